#!/usr/bin/env bash
# The main job on the bundled example: tether check finds the leaks before
# the program runs, then the program runs with TETHER_VERIFY=1 and the
# runtime's leak report confirms them. Usage: scripts/run-example.sh BUILD_DIR
set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}

echo "\$ tether check examples/"
"$build/analyzer/cli/tether" check examples/
status=$?
if [ "$status" -ne 1 ]; then
  echo "run-example: expected tether to report the example's leaks (exit 1), got exit $status" >&2
  exit 1
fi

echo
echo "\$ TETHER_VERIFY=1 $build/examples/pool_server"
TETHER_VERIFY=1 "$build/examples/pool_server"
status=$?
if [ "$status" -ne 3 ]; then
  echo "run-example: expected the runtime to report leaks (exit 3), got exit $status" >&2
  exit 1
fi
echo
echo "Both agree: the example leaks. See README.md for what each warning means."
