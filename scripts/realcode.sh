#!/usr/bin/env bash
# Real code at scale: fetches Debian source packages and runs both front ends
# of `tether check` over each, reporting files, time, peak memory, crashes,
# warnings (there should be none: these projects do not use the API),
# errors, and the share of functions the tree-sitter front end skipped for
# syntax errors (and how many it modeled around them).
#
#   scripts/realcode.sh [-t TETHER] [-c CACHE] [-j JOBS] [PACKAGE...]
#
# PACKAGE: Debian source package names (default: libuv1 redis curl libevent
# jq). TETHER: the binary (default build/analyzer/cli/tether). CACHE: where
# the private apt setup and the sources go (default
# ${XDG_CACHE_HOME:-~/.cache}/tether-realcode); sources are fetched once.
# apt-get runs with its own sources list (deb-src of this Debian release),
# lists and cache under CACHE: nothing of the system's apt setup changes.
# Slow (minutes): not part of CI. Exit status 1 if a run crashed or warned.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tether=$root/build/analyzer/cli/tether
cache=${XDG_CACHE_HOME:-$HOME/.cache}/tether-realcode
jobs=2
while getopts t:c:j:h opt; do
  case $opt in
    t) tether=$(realpath "$OPTARG") ;;
    c) cache=$OPTARG ;;
    j) jobs=$OPTARG ;;
    *) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
packages=("$@")
[ ${#packages[@]} -gt 0 ] || packages=(libuv1 redis curl libevent jq)
[ -x "$tether" ] || { echo "realcode: no $tether (build first, or -t TETHER)" >&2; exit 2; }
for tool in apt-get dpkg-source; do
  command -v $tool >/dev/null || { echo "realcode: $tool is needed (Debian: apt-get, dpkg-dev)" >&2; exit 2; }
done

# ---- a private apt: deb-src lines, lists and cache under $cache ----------------
mkdir -p "$cache"/apt/{etc/sources.list.d,etc/preferences.d,lists/partial,archives/partial} "$cache/src"
cache=$(cd "$cache" && pwd)
suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
echo "deb-src http://deb.debian.org/debian $suite main" > "$cache/apt/etc/sources.list"
cat > "$cache/apt/apt.conf" <<CONF
Dir::Etc::SourceList "$cache/apt/etc/sources.list";
Dir::Etc::SourceParts "$cache/apt/etc/sources.list.d";
Dir::Etc::Preferences "$cache/apt/etc/preferences";
Dir::Etc::PreferencesParts "$cache/apt/etc/preferences.d";
Dir::State "$cache/apt";
Dir::State::Lists "$cache/apt/lists";
Dir::Cache "$cache/apt";
Dir::Cache::Archives "$cache/apt/archives";
APT::Sandbox::User "$(id -un)";
Acquire::Languages "none";
CONF
export APT_CONFIG=$cache/apt/apt.conf
all_there=1
for p in "${packages[@]}"; do [ -f "$cache/src/$p.dir" ] || all_there=0; done
if [ $all_there -eq 0 ] && ! ls "$cache"/apt/lists/*Sources* >/dev/null 2>&1; then
  echo "realcode: apt-get update (deb-src $suite main, private lists)" >&2
  apt-get update -qq
fi
for p in "${packages[@]}"; do
  if [ ! -f "$cache/src/$p.dir" ]; then
    # Into a folder of its own first, so an interrupted fetch is redone whole.
    echo "realcode: apt-get source $p" >&2
    tmp=$cache/src/.fetch-$p
    rm -rf "$tmp" && mkdir -p "$tmp"
    (cd "$tmp" && apt-get source -qq "$p" >/dev/null)
    dir=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | head -1)
    [ -n "$dir" ] || { echo "realcode: apt-get source $p unpacked no folder" >&2; exit 1; }
    rm -rf "${cache:?}/src/$dir" && mv "$tmp/$dir" "$cache/src/$dir" && rm -rf "$tmp"
    echo "$dir" > "$cache/src/$p.dir"
  fi
done

# ---- the runs ---------------------------------------------------------------
out=$cache/runs
mkdir -p "$out"
status=0
printf '%-10s %-12s %6s %8s %8s %7s %8s %7s %9s %17s %13s\n' package frontend files time_s peak_MB crashes warnings \
  errors functions "skipped (around)" "files: skip/was"
for p in "${packages[@]}"; do
  dir=$cache/src/$(cat "$cache/src/$p.dir")
  for fe in clang tree-sitter; do
    log=$out/$p.$fe
    rc=0
    /usr/bin/time -f '%e %M' -o "$log.time" "$tether" check --no-color --stats -j "$jobs" --frontend=$fe "$dir" \
      > "$log.out" 2> "$log.err" || rc=$?
    read -r secs kb < <(tail -1 "$log.time")
    crashes=0
    if [ $rc -gt 2 ] || grep -qE 'AddressSanitizer|runtime error:|Segmentation fault|LeakSanitizer' "$log.err"; then
      crashes=1; status=1
    fi
    warnings=$(grep -cE '^[^ ].*: warning: .*\[[a-z-]+\]$' "$log.out" || true)
    [ "$warnings" -eq 0 ] || status=1
    errors=$(grep -cE '^([^ ]+: error: |tether: error: )' "$log.out" "$log.err" | awk -F: '{s += $NF} END {print s}')
    stats=$(grep 'tether: stats:' "$log.err" | tail -1)
    files=$(sed -n 's/.*files \([0-9]*\) (analyzed.*/\1/p' <<<"$stats")
    fns=$(sed -n 's/.*; functions \([0-9]*\) .*/\1/p' <<<"$stats")
    around=$(sed -n 's/.* \([0-9]*\) modeled around them.*/\1/p' <<<"$stats")
    skipped=$(sed -n 's/.*, \([0-9]*\) skipped).*/\1/p' <<<"$stats")
    share="-"
    if [ -n "$fns" ] && [ "$fns" -gt 0 ]; then
      share=$(awk -v s="$skipped" -v a="$around" -v n="$fns" 'BEGIN { printf "%.1f%% (%.1f%%)", 100 * s / n, 100 * a / n }')
    fi
    # Files where functions were skipped, and where some were before modeling around errors existed.
    fskip=$(grep -cE 'syntax error; [0-9]+ of [0-9]+ functions skipped' "$log.out" || true)
    faround=$(grep -cE 'syntax error; [1-9][0-9]* of [0-9]+ functions modeled around' "$log.out" || true)
    files_col="$fskip/$((fskip + faround))"
    if [ "$fe" = clang ]; then # its functions are counted only where tree-sitter stood in (compile errors)
      fns="($fns)"; files_col="-"
    fi
    printf '%-10s %-12s %6s %8s %8d %7d %8d %7d %9s %17s %13s\n' "$p" "$fe" "${files:-?}" "$secs" $((kb / 1024)) \
      $crashes "$warnings" "$errors" "${fns:--}" "$share" "$files_col"
  done
done
echo "(outputs in $out; skipped: share of all function definitions the tree-sitter front end did not model"
echo " (clang: of the files it could not compile, which tree-sitter then modeled: no build flags are given);"
echo " around: modeled around syntax errors that name nothing the analysis follows, skipped before that;"
echo " files: skip/was: files with skipped functions now / before modeling around errors)"
exit $status
