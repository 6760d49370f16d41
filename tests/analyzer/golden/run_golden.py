#!/usr/bin/env python3
"""Golden test: `tether check --dump-model FILE.c` must print FILE.model.

Runs from the golden directory with a relative path, so the output does not
depend on where the tree lives. UPDATE_GOLDEN=1 rewrites FILE.model instead.
Usage: run_golden.py TETHER FILE.c [extra tether args...]
"""
import difflib
import os
import subprocess
import sys


def main(argv):
    tether, src = os.path.abspath(argv[1]), argv[2]
    extra = argv[3:]
    here = os.path.dirname(os.path.abspath(src))
    name = os.path.basename(src)
    expected_path = os.path.join(here, os.path.splitext(name)[0] + '.model')
    p = subprocess.run([tether, 'check', '--dump-model'] + extra + [name], cwd=here,
                       capture_output=True, text=True, timeout=60)
    if p.returncode != 0 or p.stderr:
        print(f'tether exited {p.returncode}\n{p.stderr}')
        return 1
    if os.environ.get('UPDATE_GOLDEN') == '1':
        with open(expected_path, 'w', encoding='utf-8') as f:
            f.write(p.stdout)
        print(f'updated {expected_path}')
        return 0
    try:
        with open(expected_path, encoding='utf-8') as f:
            expected = f.read()
    except FileNotFoundError:
        print(f'{expected_path} is missing: run with UPDATE_GOLDEN=1 to create it')
        return 1
    if p.stdout == expected:
        print(f'ok {name}')
        return 0
    sys.stdout.writelines(difflib.unified_diff(expected.splitlines(True), p.stdout.splitlines(True),
                                               expected_path, 'tether --dump-model'))
    print('\n(if the change is intended: UPDATE_GOLDEN=1 ctest -R golden)')
    return 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))
