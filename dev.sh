#!/usr/bin/env bash
# The project's two entry points (see README):
#   ./dev.sh example   install what is missing, build, run tether on examples/
#   ./dev.sh test      install what is missing, build, run every test suite:
#                      a -Werror build, an AddressSanitizer+UBSan build, and
#                      a ThreadSanitizer build of the runtime and its tests,
#                      and a few seconds of libFuzzer on every harness of
#                      tests/fuzz (a clang build; tests/fuzz/run.sh runs longer).
set -euo pipefail
cd "$(dirname "$0")"
jobs=$(nproc 2>/dev/null || echo 2)

build() { # build DIR [cmake args...]
  local dir=$1; shift
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
}

suite() { # suite NAME DIR [cmake args...]
  local name=$1 dir=$2; shift 2
  echo "== $name"
  build "$dir" "$@"
  (cd "$dir" && ctest --output-on-failure -j "$jobs" --timeout 300)
}

scripts/setup.sh
case "${1:-}" in
  example)
    build build -DTETHER_WERROR=ON
    exec scripts/run-example.sh build
    ;;
  test)
    suite "tests (-Werror)" build -DTETHER_WERROR=ON
    suite "tests (AddressSanitizer + UndefinedBehaviorSanitizer)" build-asan \
      -DTETHER_WERROR=ON -DTETHER_SANITIZE=address,undefined
    suite "runtime tests (ThreadSanitizer)" build-tsan \
      -DTETHER_WERROR=ON -DTETHER_SANITIZE=thread -DTETHER_RUNTIME_ONLY=ON
    echo "== fuzz harnesses (libFuzzer + AddressSanitizer + UndefinedBehaviorSanitizer, a few seconds each)"
    cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
      -DTETHER_SANITIZE=address,undefined -DTETHER_FUZZ=ON -DTETHER_FUZZ_SECONDS=5 >/dev/null
    cmake --build build-fuzz --target fuzz_all -j "$jobs"
    (cd build-fuzz && ctest --output-on-failure -j "$jobs" -L '^fuzz$')
    ;;
  *)
    echo "usage: ./dev.sh example | test" >&2
    exit 2
    ;;
esac
