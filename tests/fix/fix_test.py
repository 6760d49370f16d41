#!/usr/bin/env python3
"""Tests of `tether check --fix`: golden fixes, every fixture's fix, and how files are written.

    fix_test.py golden    --tether T --cc CC ... CASE.c   # CASE.c --fix'ed must equal CASE.fixed.c
    fix_test.py fixtures  --tether T --cc CC ... DIR      # every fixture of DIR/*/ with a fix-it
    fix_test.py files     --tether T                      # atomic write, mode, links, refusals

After a fix, a file must compile (the project's flags, -Werror), check
clean with both front ends and run clean against libtether with
TETHER_VERIFY=1, as the fixtures' run tests build and run them.
"""

import argparse
import json
import os
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile

RUN_TIMEOUT_S = 10
FRONT_ENDS = (['--frontend=clang'], ['--fast'])


class Failure(Exception):
    pass


def tether(args, t, *rest, cwd=None):
    cmd = [args.tether, 'check', '--no-color', *t, *rest]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, timeout=120)


def findings(args, path, extra=()):
    """The findings of `tether check --format=json` on path: [(rule, nfixits)]."""
    p = tether(args, ['--format=json', *extra], path)
    if p.returncode not in (0, 1):
        raise Failure(f'tether exited {p.returncode} on {path}:\n{p.stdout}{p.stderr}')
    doc = json.loads(p.stdout)
    return [(f['rule'], len(f.get('fixits', []))) for f in doc['findings']]


def build_and_run(args, path, outdir):
    exe = os.path.join(outdir, os.path.splitext(os.path.basename(path))[0])
    cc = [args.cc, *shlex.split(args.cflags), '-I', args.include, path, args.lib,
          *shlex.split(args.ldflags), '-o', exe]
    c = subprocess.run(cc, capture_output=True, text=True)
    if c.returncode != 0:
        raise Failure(f'{path}: does not compile after the fix\n  {shlex.join(cc)}\n{c.stderr}')
    env = dict(os.environ, TETHER_VERIFY='1')
    env['ASAN_OPTIONS'] = ':'.join(x for x in (env.get('ASAN_OPTIONS', ''), 'detect_leaks=0') if x)
    try:
        p = subprocess.run([exe], capture_output=True, text=True, timeout=RUN_TIMEOUT_S, env=env)
    except subprocess.TimeoutExpired:
        raise Failure(f'{path}: still running after {RUN_TIMEOUT_S} s after the fix')
    if p.returncode != 0:
        raise Failure(f'{path}: exits {p.returncode} after the fix (TETHER_VERIFY=1), expected 0\n{p.stderr}')


def check_clean(args, path, rules=None):
    """Both front ends: no finding (of `rules`, when given) left in path."""
    for fe in FRONT_ENDS:
        extra = list(fe) + ([f'--rule={",".join(sorted(rules))}'] if rules else [])
        left = findings(args, path, extra)
        if left:
            p = tether(args, extra, path)
            raise Failure(f'{path}: still has findings after the fix ({" ".join(fe)}): {left}\n{p.stdout}')


def fix(args, path, fe=()):
    p = tether(args, ['--fix', *fe], path)
    return p


def cmd_golden(args):
    src = args.case
    want_path = os.path.splitext(src)[0] + '.fixed.c'
    with open(want_path, encoding='utf-8') as f:
        want = f.read()
    with tempfile.TemporaryDirectory(prefix='tether-fix-') as tmp:
        for fe in FRONT_ENDS:
            work = os.path.join(tmp, os.path.basename(src))
            shutil.copyfile(src, work)
            before = findings(args, work, fe)
            if not any(n for _, n in before):
                raise Failure(f'{src}: no fix-it offered ({" ".join(fe)}): {before}')
            p = fix(args, work, fe)
            if p.returncode != 0:
                raise Failure(f'{src}: `tether check --fix {" ".join(fe)}` exited {p.returncode}, expected 0 '
                              f'(every finding fixed)\n{p.stdout}{p.stderr}')
            with open(work, encoding='utf-8') as f:
                got = f.read()
            if got != want:
                d = subprocess.run(['diff', '-u', want_path, work], capture_output=True, text=True).stdout
                raise Failure(f'{src}: the fixed file differs from {os.path.basename(want_path)} '
                              f'({" ".join(fe)}):\n{d}')
        check_clean(args, work)
        build_and_run(args, work, tmp)
    print(f'ok {src}: fixed as {os.path.basename(want_path)}, checks and runs clean')
    return 0


def cmd_fixtures(args):
    leaks = sorted(os.path.join(args.dir, r, f) for r in os.listdir(args.dir)
                   if os.path.isdir(os.path.join(args.dir, r))
                   for f in os.listdir(os.path.join(args.dir, r)) if f.startswith('leak_') and f.endswith('.c'))
    fixed, errors = [], []
    with tempfile.TemporaryDirectory(prefix='tether-fixfx-') as tmp:
        for src in leaks:
            before = findings(args, src)
            rules = {r for r, n in before if n}
            if not rules:
                continue
            rule_dir = os.path.join(tmp, os.path.basename(os.path.dirname(src)))
            os.makedirs(rule_dir, exist_ok=True)
            work = os.path.join(rule_dir, os.path.basename(src))
            shutil.copyfile(src, work)
            try:
                p = fix(args, work)
                if p.returncode not in (0, 1):
                    raise Failure(f'{src}: --fix exited {p.returncode}\n{p.stderr}')
                with open(src, encoding='utf-8') as a, open(work, encoding='utf-8') as b:
                    if a.read() == b.read():
                        raise Failure(f'{src}: offered a fix-it but --fix changed nothing\n{p.stderr}')
                check_clean(args, work, rules)
                left = findings(args, work)
                if left:
                    raise Failure(f'{src}: findings left after the fix: {left}')
                build_and_run(args, work, rule_dir)
                fixed.append(f'{os.path.relpath(src, args.dir)} ({", ".join(sorted(rules))})')
            except Failure as e:
                errors.append(str(e))
    for f in fixed:
        print(f'ok {f}: fixed, compiles, checks and runs clean')
    for e in errors:
        print(f'FAIL {e}')
    if not fixed:
        errors.append('no fixture offered a fix-it')
        print('FAIL no fixture offered a fix-it')
    print(f'{len(fixed)} passed, {len(errors)} failed')
    return 1 if errors else 0


LEAKY = r'''#include <tether.h>

static int sample(int n)
{
    tt_ticker *t = tt_ticker_new(5);
    if (n < 0)
        return -1;
    tt_recv(tt_ticker_chan(t), NULL);
    tt_ticker_stop(t);
    return 0;
}

int main(void)
{
    return sample(-1) == -1 ? 0 : 1;
}
'''


def cmd_files(args):
    """How --fix writes files: atomically, mode and link kept, refusals."""
    errors = []

    def expect(cond, msg):
        if not cond:
            errors.append(msg)

    with tempfile.TemporaryDirectory(prefix='tether-fixfiles-') as tmp:
        # mode kept, no temporary file left, the summary says what changed
        a = os.path.join(tmp, 'a.c')
        with open(a, 'w') as f:
            f.write(LEAKY)
        os.chmod(a, 0o640)
        ino = os.stat(a).st_ino
        p = fix(args, a)
        expect(p.returncode == 0, f'--fix on a.c exited {p.returncode}: {p.stderr}')
        expect(stat.S_IMODE(os.stat(a).st_mode) == 0o640, f'mode not kept: {oct(os.stat(a).st_mode)}')
        expect(os.stat(a).st_ino != ino, 'a.c was not replaced by a rename (same inode)')
        with open(a) as f:
            text = f.read()
        expect('        tt_ticker_stop(t);\n        return -1;' in text, f'a.c not fixed:\n{text}')
        expect(sorted(os.listdir(tmp)) == ['a.c'], f'files left beside a.c: {os.listdir(tmp)}')
        expect('tether: fixed 1 finding in ' in p.stderr and '(ticker-not-stopped: 1)' in p.stderr,
               f'no summary of what changed: {p.stderr}')
        # a clean file is left alone (not even rewritten)
        ino = os.stat(a).st_ino
        p = fix(args, a)
        expect(p.returncode == 0 and os.stat(a).st_ino == ino, f'a clean file was rewritten: {p.stderr}')

        # findings left after the fix: exit 1, only they are reported
        e = os.path.join(tmp, 'e.c')
        with open(e, 'w') as f:
            f.write(LEAKY.replace('int main(void)\n{\n',
                                  'static void idle(void *arg)\n{\n    (void)arg;\n    tt_select(NULL, 0);\n}\n\n'
                                  'int main(void)\n{\n    tt_spawn(idle, NULL);\n'))
        p = fix(args, e)
        expect(p.returncode == 1, f'--fix with a finding left exited {p.returncode}, expected 1: {p.stderr}')
        expect('[select-no-exit]' in p.stdout and '[ticker-not-stopped]' not in p.stdout,
               f'--fix did not report only what is left:\n{p.stdout}')
        expect('tether: 1 warning in 1 file' in p.stderr, f'the summary does not count what is left: {p.stderr}')
        os.remove(e)

        # a symbolic link: its target is fixed, the link stays a link
        real = os.path.join(tmp, 'real.c')
        link = os.path.join(tmp, 'link.c')
        with open(real, 'w') as f:
            f.write(LEAKY)
        os.symlink('real.c', link)
        p = fix(args, link)
        expect(p.returncode == 0, f'--fix through a link exited {p.returncode}: {p.stderr}')
        expect(os.path.islink(link), 'the link was replaced by a file')
        with open(real) as f:
            expect('tt_ticker_stop(t);\n        return -1;' in f.read(), 'the link\'s target was not fixed')

        # dry run: a diff on stdout, the file untouched
        b = os.path.join(tmp, 'b.c')
        with open(b, 'w') as f:
            f.write(LEAKY)
        p = tether(args, ['--fix-dry-run'], b)
        expect(p.returncode == 1, f'--fix-dry-run exited {p.returncode}, expected 1 (findings, nothing fixed)')
        expect(p.stdout.startswith(f'--- {b}\n+++ {b}\n@@ -3,8 +3,10 @@\n'), f'no unified diff:\n{p.stdout}')
        expect('+        tt_ticker_stop(t);\n' in p.stdout, f'the diff lacks the fix:\n{p.stdout}')
        with open(b) as f:
            expect(f.read() == LEAKY, '--fix-dry-run changed the file')
        # the diff applies with patch and gives what --fix writes
        if shutil.which('patch'):
            c = os.path.join(tmp, 'c.c')
            shutil.copyfile(b, c)
            q = subprocess.run(['patch', '-s', c], input=p.stdout, capture_output=True, text=True)
            fix(args, b)
            with open(b) as f1, open(c) as f2:
                expect(q.returncode == 0 and f1.read() == f2.read(), f'the diff does not apply as --fix: {q.stderr}')
            os.remove(c)
            for extra in os.listdir(tmp):
                if extra.endswith('.orig'):
                    os.remove(os.path.join(tmp, extra))

        # a folder we cannot write in: an error for that file (exit 2), the
        # other file still fixed, nothing changed in the locked one. Root
        # may write anywhere: as root, run tether as nobody (setpriv).
        as_user = []
        if os.geteuid() == 0:
            if not shutil.which('setpriv'):
                errors.append('running as root without setpriv: cannot test an unwritable folder')
            as_user = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups']
        if not errors:
            sub = os.path.join(tmp, 'user')
            os.mkdir(sub)
            locked = os.path.join(sub, 'locked')
            os.mkdir(locked)
            l = os.path.join(locked, 'l.c')
            with open(l, 'w') as f:
                f.write(LEAKY)
            d = os.path.join(sub, 'd.c')
            with open(d, 'w') as f:
                f.write(LEAKY)
            if as_user:
                os.chmod(tmp, 0o755)
                for path in (sub, locked, l, d):
                    os.chown(path, 65534, 65534)
            os.chmod(locked, 0o555)
            p = subprocess.run([*as_user, args.tether, 'check', '--no-color', '--fix', l, d],
                               capture_output=True, text=True, timeout=120)
            os.chmod(locked, 0o755)
            expect(p.returncode == 2, f'--fix with an unwritable folder exited {p.returncode}, expected 2')
            expect(f'tether: error: {l}: cannot create a temporary file' in p.stderr, f'no error line: {p.stderr}')
            with open(l) as f:
                expect(f.read() == LEAKY, 'the unwritable file changed')
            with open(d) as f:
                expect('tt_ticker_stop(t);\n        return -1;' in f.read(), 'the other file was not fixed')

    # SARIF: a finding's fix-its are one fix (the select's four edits)
    sel = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'golden', 'select_done_ctx.c')
    p = tether(args, ['--format=sarif'], sel)
    fixes = [r.get('fixes', []) for r in json.loads(p.stdout)['runs'][0]['results']]
    expect(len(fixes) == 1 and len(fixes[0]) == 1 and len(fixes[0][0]['artifactChanges']) == 1 and
           len(fixes[0][0]['artifactChanges'][0]['replacements']) == 4,
           f'SARIF: the select fix is not one fix of four replacements: {fixes}')

    for e in errors:
        print(f'FAIL {e}')
    if not errors:
        print('ok --fix writes files atomically, keeps modes and links, refuses what it must')
    return 1 if errors else 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest='mode', required=True)
    for name in ('golden', 'fixtures', 'files'):
        s = sub.add_parser(name)
        s.add_argument('--tether', required=True)
        s.add_argument('--cc', default='cc')
        s.add_argument('--include', default='')
        s.add_argument('--lib', default='')
        s.add_argument('--cflags', default='')
        s.add_argument('--ldflags', default='')
        if name == 'golden':
            s.add_argument('case')
        elif name == 'fixtures':
            s.add_argument('dir')
    args = ap.parse_args(argv)
    try:
        return {'golden': cmd_golden, 'fixtures': cmd_fixtures, 'files': cmd_files}[args.mode](args)
    except Failure as e:
        print(f'FAIL {e}')
        return 1


if __name__ == '__main__':
    sys.exit(main())
