#!/usr/bin/env python3
"""Parity of the two front ends: `tether check` with --frontend=clang and
--frontend=tree-sitter must print the same diagnostics (rule, line, message,
notes) and the same --dump-model for every fixture and golden input.

A file that cannot agree by design says so in a comment read here:
    // parity: clang-only "why"        (or tree-sitter-only)
or has a line `PATH "why"` in known_differences.txt next to this script (for
inputs owned elsewhere). A marked file must still differ: a stale marker
fails the test, so the list stays short and true.

Model dumps are compared after one normalization: object ids are replaced
by the objects' descriptions (objects are listed sorted), so the two front
ends may create objects in a different order. Nothing is dropped: clang
makes no object for a global declared outside the file (stderr), which
tree-sitter could not see.

Usage: run_parity.py TETHER ROOT [FILES...]
"""
import glob
import os
import re
import subprocess
import sys

MARK = re.compile(r'//\s*parity:\s*(clang-only|tree-sitter-only)\s+"([^"]+)"')


def run(tether, root, frontend, path, dump):
    args = [tether, 'check', '--no-color', '--frontend=' + frontend]
    if dump:
        args.append('--dump-model')
    p = subprocess.run(args + [path], cwd=root, capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout


OBJ = re.compile(r'^  #(\d+) (\S+) (\S+) (.*?)(?: = #(\d+))?$')


def normalize(dump):
    """Object ids -> descriptions."""
    lines = dump.splitlines()
    names, objs, rest = {}, [], []
    in_objs = False
    for ln in lines:
        if ln == 'objects:':
            in_objs = True
            rest.append(ln)
            continue
        m = OBJ.match(ln) if in_objs else None
        if m:
            names[m.group(1)] = '<%s %s %s>' % (m.group(2), m.group(3), m.group(4))
            objs.append(m)
            continue
        in_objs = False
        rest.append(ln)
    body = '\n'.join(rest)
    out_objs = []
    for m in objs:
        alias = ' = ' + names.get(m.group(5), '?') if m.group(5) else ''
        out_objs.append('  ' + names[m.group(1)] + alias)
    body = re.sub(r'#(\d+)', lambda x: names.get(x.group(1), x.group(0)), body)
    out = body.replace('objects:', 'objects:\n' + '\n'.join(sorted(out_objs)), 1)
    return out


def marker(root, rel, known):
    try:
        with open(os.path.join(root, rel), encoding='utf-8', errors='replace') as f:
            m = MARK.search(f.read())
    except OSError:
        m = None
    if m:
        return '%s: %s' % (m.group(1), m.group(2))
    return known.get(rel)


def main(argv):
    tether, root = os.path.abspath(argv[1]), os.path.abspath(argv[2])
    here = os.path.dirname(os.path.abspath(__file__))
    known = {}
    kpath = os.path.join(here, 'known_differences.txt')
    if os.path.exists(kpath):
        for ln in open(kpath, encoding='utf-8'):
            ln = ln.strip()
            if ln and not ln.startswith('#'):
                path, _, why = ln.partition(' ')
                known[path] = why.strip().strip('"')
    files = argv[3:] or sorted(glob.glob(os.path.join(root, 'fixtures', '*', '*.c')) +
                               glob.glob(os.path.join(root, 'tests', 'analyzer', 'golden', '*.c')))
    rels = [os.path.relpath(os.path.abspath(f), root) for f in files]
    failures, diag_same, dump_same, dump_raw_same = [], 0, 0, 0
    for rel in rels:
        why = marker(root, rel, known)
        c_diag = run(tether, root, 'clang', rel, False)
        t_diag = run(tether, root, 'tree-sitter', rel, False)
        c_dump = run(tether, root, 'clang', rel, True)
        t_dump = run(tether, root, 'tree-sitter', rel, True)
        d_ok = c_diag == t_diag
        m_raw = c_dump == t_dump
        m_ok = c_dump[0] == t_dump[0] and normalize(c_dump[1]) == normalize(t_dump[1])
        diag_same += d_ok
        dump_same += m_ok
        dump_raw_same += m_raw
        if why:
            if d_ok and m_ok:
                failures.append('%s: marked "%s" but both front ends agree: drop the marker' % (rel, why))
            else:
                print('known  %s (%s)' % (rel, why))
            continue
        if not d_ok:
            failures.append('%s: diagnostics differ\n--- clang (exit %d)\n%s--- tree-sitter (exit %d)\n%s'
                            % (rel, c_diag[0], c_diag[1], t_diag[0], t_diag[1]))
        if not m_ok:
            import difflib
            diff = ''.join(difflib.unified_diff(normalize(c_dump[1]).splitlines(True),
                                                normalize(t_dump[1]).splitlines(True),
                                                'clang', 'tree-sitter'))
            failures.append('%s: models differ\n%s' % (rel, diff))
    n = len(rels)
    print('parity: diagnostics identical on %d of %d files; models identical on %d of %d '
          '(%d byte for byte)' % (diag_same, n, dump_same, n, dump_raw_same))
    for f in failures:
        print('FAIL ' + f)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
