#!/usr/bin/env python3
"""Every fixture analyzed at once, with one worker thread and with two, and
again: the report (warnings, notes, order, exit status) must not change.
Usage: deterministic.py TETHER FIXTURES_DIR"""
import subprocess
import sys


def check(tool, folder, fe, jobs):
    p = subprocess.run([tool, 'check', '--no-color', '--frontend=' + fe, '-j' + str(jobs), folder],
                       capture_output=True, text=True, timeout=600)
    return p.returncode, p.stdout


def main():
    tool, folder = sys.argv[1], sys.argv[2]
    bad = 0
    for fe in ('tree-sitter', 'clang'):
        runs = [check(tool, folder, fe, j) for j in (1, 2, 2)]
        rc, out = runs[0]
        if rc != 1 or ': warning: ' not in out:
            print(f'{fe}: expected findings (exit 1), got exit {rc}')
            bad += 1
        for (rc2, out2), j in zip(runs[1:], (2, 2)):
            if (rc2, out2) != (rc, out):
                print(f'{fe}: -j{j} differs from -j1')
                bad += 1
        print(f'{fe}: {out.count(": warning: ")} warnings, the same in {len(runs)} runs')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
