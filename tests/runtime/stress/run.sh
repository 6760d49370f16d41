#!/usr/bin/env bash
# Runs libtether's stress program (stress.c next to this script) for longer
# than CI does: under ThreadSanitizer by default, or AddressSanitizer+UBSan,
# or no sanitizer. Builds what it needs in the same build folders as
# ./dev.sh test (run ./dev.sh test or scripts/setup.sh once first).
#
# Usage: tests/runtime/stress/run.sh MINUTES [--tsan|--asan|--plain] [stress options]
#   stress options: --tasks N (default 2000), --leak K (default 7), --seed S
# Exit status: the stress program's (0 when every check held and the
# sanitizer reported nothing).
set -euo pipefail
cd "$(dirname "$0")/../../.."

usage() { echo "usage: $0 MINUTES [--tsan|--asan|--plain] [--tasks N] [--leak K] [--seed S]" >&2; exit 2; }
[ $# -ge 1 ] || usage
minutes=$1; shift
ms=$(awk -v m="$minutes" 'BEGIN { if (m !~ /^[0-9]+(\.[0-9]+)?$/ || m <= 0) exit 1; printf "%d", m * 60000 }') || usage

build=build-tsan
flags=(-DTETHER_SANITIZE=thread -DTETHER_RUNTIME_ONLY=ON)
case "${1:-}" in
  --tsan) shift ;;
  --asan) shift; build=build-asan; flags=(-DTETHER_SANITIZE=address,undefined) ;;
  --plain) shift; build=build; flags=() ;;
esac
args=(--tasks 2000 --leak 7 "$@")

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTETHER_WERROR=ON "${flags[@]}" >/dev/null
cmake --build "$build" -j 2 --target tether_stress >/dev/null

echo "stress: $minutes min in $build: tether_stress --ms $ms ${args[*]}"
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1}"
export TETHER_VERIFY=
status=0
"$build/tests/runtime/stress/tether_stress" --ms "$ms" "${args[@]}" || status=$?
echo "stress: exit status $status"
exit "$status"
