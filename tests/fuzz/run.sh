#!/usr/bin/env bash
# Fuzzes every harness tests/fuzz/fuzz_*.c with libFuzzer (clang's
# -fsanitize=fuzzer, with AddressSanitizer and UndefinedBehaviorSanitizer).
#
#   tests/fuzz/run.sh SECONDS [BUILD_DIR]
#       configures and builds BUILD_DIR (default build-fuzz: clang,
#       -DTETHER_SANITIZE=address,undefined -DTETHER_FUZZ=ON), then fuzzes
#       each harness for SECONDS; prints each one's executions and what it
#       found. Exit status 1 if any harness crashed.
#   tests/fuzz/run.sh --one FUZZER SECONDS WORKDIR [--brief]
#       one harness (what the ctest fuzz/<name>/run calls, with --brief:
#       seeded with the hand-made seeds and the regressions only, so that
#       loading the seeds takes seconds, not minutes).
#
# Per harness <name>, under WORKDIR/<name>/: corpus/ (kept between runs:
# what fuzzing found so far), seeds/ (assembled anew: the fixtures, the
# golden inputs, the shared corpus when there is one, and
# tests/fuzz/seeds/<name>/, seeds/c/ for the two front ends), crashes/ (crash-*, leak-*, timeout-* inputs).
# The dictionary is made from the API's names (runtime/include/tether.h),
# the rule ids (rules/list.h) and tests/fuzz/dict/<name>.dict (c.dict for
# the two front ends).
#
# A crash becomes a regression test: copy the input into
# tests/fuzz/regression/<name>/ (a short name saying what it is); the ctest
# fuzz/<name>/replay runs it in every build, the sanitizer builds included.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

usage() { sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }

# The shared corpus of real bug ports, when this checkout has one beside it.
shared_corpus() {
  for d in "$root/../shared/corpus/cases" /work/shared/corpus/cases; do
    [ -d "$d" ] && { echo "$d"; return; }
  done
  return 0
}

# seeds NAME DIR [--brief]: the seed inputs of harness NAME, copied flat into DIR.
seeds() {
  local name=$1 dir=$2 brief=${3:-} f i=0
  rm -rf "$dir"; mkdir -p "$dir"
  copy() { for f in "$@"; do [ -f "$f" ] && cp "$f" "$dir/$(printf '%05d' $i)-$(basename "$f")" && i=$((i + 1)); done; return 0; }
  if [ -z "$brief" ]; then
    case $name in
      treesitter|clang|reuse|suppress)
        copy "$root"/fixtures/*/*.c "$root"/tests/analyzer/golden/*.c "$root"/examples/*.c
        local sc; sc=$(shared_corpus)
        [ -n "$sc" ] && copy "$sc"/*/*.c
        ;;
    esac
  fi
  local g; g=$(group "$name")
  [ -d "$here/seeds/$g" ] && copy "$here/seeds/$g"/*
  [ -d "$here/regression/$name" ] && copy "$here/regression/$name"/*
  return 0
}

# group NAME: the name of the seeds/ and dict/ entries harness NAME uses
# (the two front ends share the C ones).
group() { case $1 in treesitter|clang|reuse) echo c ;; *) echo "$1" ;; esac; }

# dict NAME FILE: the dictionary of harness NAME.
dict() {
  local name=$1 out=$2
  : > "$out"
  case $name in
    treesitter|clang|reuse|lsp)
      grep -oh '\b[tT][tT]_[A-Za-z0-9_]*' "$root/runtime/include/tether.h" | sort -u | sed 's/.*/"&"/' >> "$out" ;;
  esac
  case $name in
    treesitter|clang|reuse|suppress|config|lsp)
      sed -n 's/^RULE(\(.*\))$/\1/p' "$root/rules/list.h" | tr _ - | sed 's/.*/"&"/' >> "$out" ;;
  esac
  local g; g=$(group "$name")
  [ -f "$here/dict/$g.dict" ] && grep -v '^#' "$here/dict/$g.dict" >> "$out"
  return 0
}

one() { # one FUZZER SECONDS WORKDIR [--brief]
  local fuzzer=$1 seconds=$2 work=$3 brief=${4:-}
  local name; name=$(basename "$fuzzer"); name=${name#fuzz_}
  local w="$work/$name"
  mkdir -p "$w/corpus" "$w/crashes"
  seeds "$name" "$w/seeds" "$brief"
  dict "$name" "$w/dict"
  local log="$w/last.log" rc=0
  # -timeout: one input may take this long (the engine's budget is far less);
  # -rss_limit_mb: libclang and ASan together stay well under it.
  "$fuzzer" -max_total_time="$seconds" -timeout=60 -rss_limit_mb=4096 -print_final_stats=1 \
    -dict="$w/dict" -artifact_prefix="$w/crashes/" "$w/corpus" "$w/seeds" > "$log" 2>&1 || rc=$?
  local execs; execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  local rate; rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  local units; units=$(find "$w/corpus" -type f | wc -l)
  # libFuzzer checks -max_total_time only once every seed has run: with slow
  # seeds (the front ends under ASan) the run can end there, never mutating.
  local took; took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
  local inited; inited=$(sed -n 's/^#\([0-9]*\)[[:space:]]*INITED.*/\1/p' "$log" | tail -1)
  local only=""
  [ -n "$inited" ] && [ "$inited" = "$execs" ] &&
    only=" (only the seeds ran, in ${took:-?} s: no input was mutated; --brief seeds fewer)"
  if [ $rc -eq 0 ]; then
    echo "fuzz $name: ${execs:-?} executions in ${took:-$seconds} s (${rate:-?}/s), corpus $units inputs, no crash$only"
  else
    echo "fuzz $name: CRASH after ${execs:-?} executions (exit $rc); last lines of $log:"
    grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|artifact_prefix|Test unit written|.*Timeout|.*out-of-memory)' "$log" | head -8 | sed 's/^/  /'
    echo "  to keep it as a regression test: cp $w/crashes/<file> $here/regression/$name/<what-it-is>"
  fi
  return $rc
}

case "${1:-}" in
  --one) [ $# -eq 4 ] || [ $# -eq 5 ] || usage; one "$2" "$3" "$4" "${5:-}"; exit ;;
  ''|-h|--help) usage ;;
esac
seconds=$1
build=${2:-$root/build-fuzz}
[[ $seconds =~ ^[0-9]+$ ]] || usage
command -v clang >/dev/null || { echo "run.sh: clang is needed (scripts/setup.sh installs it)" >&2; exit 2; }
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
  -DTETHER_SANITIZE=address,undefined -DTETHER_FUZZ=ON >/dev/null
cmake --build "$build" --target fuzz_all -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
status=0
for exe in "$build"/tests/fuzz/fuzz_*; do
  case $exe in *_replay|*.*) continue ;; esac
  [ -x "$exe" ] || continue
  one "$exe" "$seconds" "$build/tests/fuzz/work" || status=1
done
exit $status
