#!/usr/bin/env python3
"""End-to-end tests of the `tether` program: subcommands, options, exit
statuses, bad input, directories, compiler arguments, compile databases,
color and suppressions. Usage: test_cli.py TETHER RULES_DIR"""
import json
import os
import pty
import re
import select
import subprocess
import sys
import tempfile
import unittest

TETHER = None
RULES_DIR = None

LEAK = r'''#include <tether.h>

static void worker(void *arg)
{
    tt_chan *ch = arg;
    int v;
    tt_recv(ch, &v);
}

int main(void)
{
    tt_chan *ch = tt_chan_new(sizeof(int), 0);
    tt_spawn(worker, ch);%s
    return 0;
}
'''
SPAWN_LINE = 13

CLEAN = r'''#include <tether.h>

static void worker(void *arg)
{
    tt_chan *ch = arg;
    int v = 1;
    tt_send(ch, &v);
}

int main(void)
{
    tt_chan *ch = tt_chan_new(sizeof(int), 1);
    tt_spawn(worker, ch);
    int v;
    tt_recv(ch, &v);
    tt_chan_free(ch);
    return 0;
}
'''

DIAG_RE = re.compile(r'^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<kind>warning|note|error): '
                     r'(?P<msg>.*?)(?: \[(?P<rule>[a-z0-9][a-z0-9-]*)\])?\s*$')


def run(args, cwd=None, env=None, timeout=60):
    e = dict(os.environ)
    e.pop('NO_COLOR', None)
    if env:
        e.update(env)
    return subprocess.run([TETHER] + args, cwd=cwd, env=e, capture_output=True, text=True,
                          timeout=timeout)


def wg_tasks_program(n):
    """main spawns n tasks from one loop, each done on one wait group."""
    return ('#include <tether.h>\nstatic void w(void *a) { tt_wg_done(a); }\n'
            'int main(void)\n{\n    tt_wg wg = TT_WG_INIT;\n    tt_wg_add(&wg, %d);\n'
            '    for (int i = 0; i < %d; i++)\n        tt_spawn(w, &wg);\n    tt_wg_wait(&wg);\n'
            '    return 0;\n}\n' % (n, n))


ENGINE_RE = re.compile(r'; engine ([\d.]+) ms of the analysis: (\d+) states, (\d+) roots \((\d+) cut by the budget\)'
                       r'(?:, costliest root (.+): (\w+) \(([\d.]+) ms, (\d+) states\))?')


def engine_stats(stderr):
    """The engine's figures from a --stats line (None where absent)."""
    m = ENGINE_RE.search(stderr)
    assert m, stderr
    return {'ms': float(m[1]), 'states': int(m[2]), 'roots': int(m[3]), 'cut': int(m[4]),
            'top_file': m[5], 'top_func': m[6], 'top_ms': float(m[7]) if m[7] else None,
            'top_states': int(m[8]) if m[8] else None}


def warnings(out):
    return [m for m in (DIAG_RE.match(l) for l in out.splitlines()) if m and m['kind'] == 'warning']


class Base(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix='tether-cli-')
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, rel, text, mode='w'):
        path = os.path.join(self.dir, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, mode) as f:
            f.write(text)
        return path


class Subcommands(Base):
    def test_help(self):
        for args in (['--help'], ['-h'], ['help']):
            p = run(args)
            self.assertEqual(p.returncode, 0, args)
            for word in ('USAGE', 'check', 'launch', 'rules', 'explain', '--dump-model', '--stats', '-p BUILD',
                         '--frontend', '--fast', '--rule=', '--disable=', '--color', '--no-color',
                         '--format=', 'sarif', 'codeclimate', '-o FILE', '--root=', '--baseline=',
                         '--write-baseline=', '--new-from-rev=', '--warn-unused-suppressions',
                         '--exit-zero', '--warnings-as-errors', '--extra-arg=', '-q, --quiet',
                         'tether:ignore-next-line', 'NOLINTNEXTLINE(tether-RULE)', 'EXIT STATUS'):
                self.assertIn(word, p.stdout, word)
        p = run(['check', '--help'])
        self.assertEqual(p.returncode, 0)
        self.assertIn('USAGE: tether check', p.stdout)

    def test_no_args_and_unknown_command(self):
        self.assertEqual(run([]).returncode, 2)
        p = run(['frobnicate'])
        self.assertEqual(p.returncode, 2)
        self.assertIn("unknown command 'frobnicate'", p.stderr)

    def test_version(self):
        p = run(['--version'])
        self.assertEqual(p.returncode, 0)
        self.assertRegex(p.stdout, r'^tether \d+\.\d+\.\d+\n')
        self.assertIn('clang', p.stdout)

    def test_rules_lists_every_rule_with_summary(self):
        p = run(['rules'])
        self.assertEqual(p.returncode, 0)
        lines = p.stdout.splitlines()
        self.assertGreater(len(lines), 0)
        ids = [l.split()[0] for l in lines]
        self.assertIn('spawn-no-cancel', ids)
        for l in lines:
            self.assertRegex(l, r'^[a-z0-9-]+ +\S.*$')

    def test_explain_prints_embedded_docs_from_anywhere(self):
        docs = sorted(f for f in os.listdir(RULES_DIR) if f.endswith('.md'))
        for md in docs:
            with open(os.path.join(RULES_DIR, md), encoding='utf-8') as f:
                want = f.read()
            p = run(['explain', md[:-3]], cwd=self.dir)
            self.assertEqual(p.returncode, 0, md)
            self.assertEqual(p.stdout, want, md)
        p = run(['explain', 'no-such-rule'])
        self.assertEqual(p.returncode, 2)
        self.assertIn("unknown rule 'no-such-rule'", p.stderr)
        self.assertEqual(run(['explain']).returncode, 2)


class ExitStatus(Base):
    def test_clean_is_0(self):
        p = run(['check', self.write('ok.c', CLEAN)])
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertEqual(p.stdout, '')

    def test_findings_are_1_in_gcc_format(self):
        path = self.write('leak.c', LEAK % '')
        p = run(['check', '--no-color', path])
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        ws = warnings(p.stdout)
        self.assertTrue(any(w['rule'] == 'spawn-no-cancel' and int(w['line']) == SPAWN_LINE
                            and w['file'] == path for w in ws), p.stdout)
        self.assertIn('   13 |     tt_spawn(worker, ch);', p.stdout)
        self.assertNotIn('\033[', p.stdout)
        self.assertEqual(p.stderr, 'tether: 1 warning in 1 file\n')  # the summary, on stderr

    def test_usage_errors_are_2(self):
        leak = self.write('leak.c', LEAK % '')
        for args in (['check'], ['check', '--bogus', leak], ['check', '--rule=nope', leak],
                     ['check', '--color=sometimes', leak], ['check', '--frontend=gcc', leak],
                     ['check', '-p'], ['check', '-p', self.dir, leak]):
            p = run(args)
            self.assertEqual(p.returncode, 2, args)
            self.assertTrue(p.stderr.startswith('tether: error: '), (args, p.stderr))

    def test_bad_inputs_are_reported_and_others_still_analyzed(self):
        leak = self.write('a_leak.c', LEAK % '')
        binary = self.write('b_binary.c', b'\x7fELF\x00\x01\x02garbage\x00', 'wb')
        empty = self.write('c_empty.c', '')
        missing = os.path.join(self.dir, 'd_missing.c')
        nodir = os.path.join(self.dir, 'e_noc')
        os.makedirs(nodir)
        self.write('e_noc/readme.txt', 'no C here')
        p = run(['check', '--no-color', binary, missing, leak, empty, nodir])
        self.assertEqual(p.returncode, 2)  # 2 wins over 1
        self.assertTrue(any(w['file'] == leak for w in warnings(p.stdout)), p.stdout)
        errs = [l for l in p.stderr.splitlines() if l.startswith('tether: error: ')]
        self.assertEqual(len(errs), 3, p.stderr)
        for bad in (binary, missing, nodir):
            self.assertEqual(sum(l.startswith(f'tether: error: {bad}: ') for l in errs), 1, bad)

    def test_summary_follows_the_findings_in_one_pipe(self):
        # 2>&1 into one pipe: stdout's findings are all out before stderr's summary
        path = self.write('leak.c', LEAK % '')
        e = dict(os.environ)
        e.pop('NO_COLOR', None)
        p = subprocess.run([TETHER, 'check', '--no-color', path], env=e, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=60)
        self.assertEqual(p.returncode, 1, p.stdout)
        lines = p.stdout.splitlines()
        self.assertEqual(lines[-1], 'tether: 1 warning in 1 file', p.stdout)
        self.assertIn('warning:', lines[0])

    def test_budget_hit_is_a_note_not_a_failure(self):
        # 200 tasks from one loop: more schedules than the engine's budget
        path = self.write('many.c', wg_tasks_program(200))
        for fe in ('clang', 'tree-sitter'):
            p = run(['check', '--no-color', '--frontend=' + fe, path])
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
            self.assertRegex(p.stdout, re.escape(path) + r": note: the analysis of 'main' stopped at its budget "
                             r"\(\d+ states\); only what it saw is reported\n")

    def test_empty_file_and_syntax_errors_do_not_crash(self):
        self.assertEqual(run(['check', self.write('empty.c', '')]).returncode, 0)
        broken = self.write('broken.c', LEAK % '\n    int x = ;\n    garbage here(((')
        p = run(['check', '--no-color', broken])
        # Compile errors are errors (exit 2), reported as a compiler does ...
        self.assertEqual(p.returncode, 2)
        self.assertIn(f'{broken}:14:13: error: expected expression', p.stdout)
        # ... and what parsed is still analyzed: the spawn before the errors.
        self.assertTrue(any(int(w['line']) == SPAWN_LINE for w in warnings(p.stdout)), p.stdout)
        self.assertIn(f'{broken}: note: analyzed with what clang recovered', p.stdout)


class Inputs(Base):
    def test_directory_recursion_is_sorted_and_skips_hidden(self):
        self.write('src/z.c', CLEAN)
        self.write('src/sub/a.c', CLEAN)
        self.write('src/b.c', CLEAN)
        self.write('src/.hidden/h.c', CLEAN)
        self.write('src/notes.txt', 'x')
        p = run(['check', '--dump-model', 'src'], cwd=self.dir)
        self.assertEqual(p.returncode, 0, p.stderr)
        files = [l.split(' ', 1)[1] for l in p.stdout.splitlines() if l.startswith('file ')]
        self.assertEqual(files, ['src/b.c', 'src/sub/a.c', 'src/z.c'])

    def test_output_does_not_depend_on_threads(self):
        for i in range(6):
            self.write(f'd/f{i}.c', LEAK % '' if i % 2 else CLEAN)
        one = run(['check', '--no-color', '-j', '1', 'd'], cwd=self.dir)
        two = run(['check', '--no-color', '-j2', 'd'], cwd=self.dir)
        self.assertEqual(one.returncode, 1)
        self.assertEqual(one.stdout, two.stdout)
        self.assertEqual(len(warnings(one.stdout)), 3 * len(warnings(run(
            ['check', '--no-color', 'd/f1.c'], cwd=self.dir).stdout)))

    def test_extra_compiler_args_after_double_dash(self):
        src = '#include "cfg.h"\n' + (LEAK % '').replace(
            '    tt_spawn(worker, ch);', '#ifdef FOO\n    tt_spawn(worker, ch);\n#endif')
        path = self.write('x.c', src)
        self.write('inc/cfg.h', '#define CFG 1\n')
        p = run(['check', path])
        self.assertEqual(p.returncode, 2)  # cfg.h not found: an error, never a clean run
        self.assertIn(f"{path}:1:10: error: 'cfg.h' file not found", p.stdout)
        p = run(['check', path, '--', '-I' + os.path.join(self.dir, 'inc')])
        self.assertEqual((p.returncode, p.stderr), (0, 'tether: 0 warnings in 1 file\n'))
        p = run(['check', path, '--', '-DFOO', '-I', os.path.join(self.dir, 'inc')])
        self.assertEqual(p.returncode, 1, p.stderr)
        p = run(['check', '--', path, '--', '-DFOO', '-I', os.path.join(self.dir, 'inc')])
        self.assertEqual(p.returncode, 1, p.stderr)

    def test_compile_commands_json(self):
        guarded = (LEAK % '').replace('    tt_spawn(worker, ch);',
                                      '#ifdef FOO\n    tt_spawn(worker, ch);\n#endif')
        a = self.write('proj/a.c', guarded)
        b = self.write('proj/b.c', guarded)
        db = [{'directory': os.path.join(self.dir, 'proj'), 'file': 'a.c',
               'arguments': ['cc', '-c', '-DFOO', '-Iinc', '-o', 'a.o', 'a.c']}]
        self.write('build/compile_commands.json', json.dumps(db))
        p = run(['check', '--no-color', '-p', os.path.join(self.dir, 'build'), a, b])
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertEqual(p.stderr, 'tether: 1 warning in 2 files\n')
        self.assertEqual({w['file'] for w in warnings(p.stdout)}, {a})  # b.c: default flags
        p = run(['check', '-p=' + os.path.join(self.dir, 'build'), b])
        self.assertEqual(p.returncode, 0)

    def test_compile_commands_relative_paths_and_later_files(self):
        # The database's paths are relative to its "directory"; `-p build`
        # and the file are relative to the user's working directory; files
        # after one from the database must still be found (no chdir leaks),
        # and the output must not depend on the thread count.
        guarded = (LEAK % '').replace('    tt_spawn(worker, ch);',
                                      '#if CFG\n    tt_spawn(worker, ch);\n#endif')
        self.write('proj/inc/cfg.h', '#define CFG 1\n')
        self.write('proj/src/a.c', '#include "cfg.h"\n' + guarded)
        self.write('proj/other/b.c', LEAK % '')
        db = [{'directory': os.path.join(self.dir, 'proj', 'build'), 'file': '../src/a.c',
               'command': 'cc -I ../inc -c ../src/a.c -o a.o'}]
        self.write('proj/build/compile_commands.json', json.dumps(db))
        proj = os.path.join(self.dir, 'proj')
        outs = set()
        for jobs in ('-j1', '-j2', '-j2', '-j2'):
            p = run(['check', '--no-color', jobs, '-p', 'build', 'src/a.c', 'other/b.c'], cwd=proj)
            self.assertEqual((p.returncode, p.stderr), (1, 'tether: 2 warnings in 2 files\n'))
            self.assertEqual({w['file'] for w in warnings(p.stdout)}, {'src/a.c', 'other/b.c'})
            outs.add(p.stdout)
        self.assertEqual(len(outs), 1)

    def test_broken_compile_commands_is_one_error_and_files_still_analyzed(self):
        path = self.write('x.c', LEAK % '')
        for text, what in (('{"x": 1}', 'expected a JSON array'), ('[{"directory": ', 'not valid JSON'),
                           ('[{"file": "x.c"}]', 'needs "directory" and "file"')):
            self.write('db/compile_commands.json', text)
            p = run(['check', '--no-color', '-p', os.path.join(self.dir, 'db'), path])
            self.assertEqual(p.returncode, 2)
            errors = [l for l in p.stderr.splitlines() if l.startswith('tether: error: ')]
            self.assertEqual(len(errors), 1, p.stderr)
            self.assertIn(what, p.stderr)
            self.assertIn('compile_commands.json', p.stderr)
            self.assertEqual(len(warnings(p.stdout)), 1)  # still analyzed, default flags

    def test_tether_include_env_overrides(self):
        path = self.write('leak.c', LEAK % '')
        p = run(['check', path], env={'TETHER_INCLUDE': os.path.join(self.dir, 'nowhere')})
        self.assertIn("error: 'tether.h' file not found", p.stdout)
        self.assertEqual(p.returncode, 2)


class Options(Base):
    def test_rule_selection(self):
        path = self.write('leak.c', LEAK % '')
        self.assertEqual(run(['check', '--rule=spawn-no-cancel', path]).returncode, 1)
        self.assertEqual(run(['check', '--disable=spawn-no-cancel', path]).returncode, 0)
        self.assertEqual(run(['check', '--rule=ticker-not-stopped,wg-unbalanced', path]).returncode, 0)

    def test_stats(self):
        ok = self.write('ok.c', CLEAN)
        leak = self.write('leak.c', LEAK % '')
        missing = os.path.join(self.dir, 'missing.c')
        p = run(['check', '--stats', ok, leak, missing])
        self.assertEqual(p.returncode, 2)
        m = re.search(r'tether: stats: files (\d+) \(analyzed (\d+), failed (\d+)\) \+ headers (\d+); '
                      r'setup ([\d.]+) ms \+ read ([\d.]+) ms \+ parse ([\d.]+) ms \+ model ([\d.]+) ms \+ '
                      r'analysis ([\d.]+) ms \+ output ([\d.]+) ms = total ([\d.]+) ms of work on \d+ threads?; '
                      r'wall ([\d.]+) ms', p.stderr)
        self.assertIsNotNone(m, p.stderr)
        files, analyzed, failed = int(m[1]), int(m[2]), int(m[3])
        # Files add up: missing.c failed (it never became an input), the
        # two others were analyzed; the summary line counts the same.
        self.assertEqual((analyzed, failed), (2, 1))
        self.assertEqual(files, analyzed + failed)
        self.assertIn('tether: 1 warning and 1 error in 2 files', p.stderr)
        parts = [float(m[i]) for i in range(5, 11)]
        self.assertAlmostEqual(sum(parts), float(m[11]), delta=0.05 * len(parts) + 0.01)
        self.assertGreater(float(m[7]), 0)  # clang parsed something
        # The engine's share: ok.c and leak.c each have one root (main) with
        # tasks to run; its time is part of the analysis time.
        e = engine_stats(p.stderr)
        self.assertEqual((e['roots'], e['cut']), (2, 0), p.stderr)
        self.assertGreater(e['states'], 2)
        self.assertLessEqual(e['ms'], float(m[9]) + 0.05)
        self.assertIn(e['top_file'], (ok, leak))
        self.assertEqual(e['top_func'], 'main')
        self.assertGreater(e['top_states'], 0)
        self.assertLess(e['top_states'], e['states'])  # the other root explored states too
        self.assertLessEqual(e['top_ms'], e['ms'] + 0.05)

    def test_stats_engine_matches_the_engine_debug_output(self):
        # The states per root that TETHER_ENGINE_DEBUG prints add up to the
        # --stats total; a file without tether calls has no root to explore.
        leak = self.write('leak.c', LEAK % '')
        ok = self.write('ok.c', CLEAN)
        plain = self.write('plain.c', 'int twice(int x)\n{\n    return 2 * x;\n}\n')
        for fe in ('clang', 'tree-sitter'):
            p = run(['check', '--stats', '--frontend=' + fe, leak, ok, plain], env={'TETHER_ENGINE_DEBUG': '1'})
            self.assertEqual(p.returncode, 1, p.stderr)
            roots = [(name, int(n)) for name, n in re.findall(r'^root (\w+): (\d+) states', p.stderr, re.M)]
            self.assertEqual([r[0] for r in roots], ['main', 'main'], p.stderr)
            self.assertTrue(all(n > 1 for _, n in roots), p.stderr)
            e = engine_stats(p.stderr)
            self.assertEqual((e['roots'], e['cut']), (2, 0), p.stderr)
            self.assertEqual(e['states'], sum(n for _, n in roots), p.stderr)
            self.assertIn(e['top_states'], [n for _, n in roots])

    def test_stats_counts_roots_cut_by_the_budget(self):
        # 20 tasks from one loop, each done on one wait group: more states
        # than the engine's per-root budget (30,000), so main is cut there.
        many = self.write("many.c", wg_tasks_program(20))
        ok = self.write('ok.c', CLEAN)
        p = run(['check', '--stats', ok, many])
        self.assertEqual(p.returncode, 0, p.stderr)
        note = re.search(r"the analysis of 'main' stopped at its budget \((\d+) states\)", p.stdout)
        self.assertIsNotNone(note, p.stdout)
        e = engine_stats(p.stderr)
        self.assertEqual((e['roots'], e['cut']), (2, 1), p.stderr)
        self.assertEqual((e['top_file'], e['top_func']), (many, 'main'))
        self.assertEqual(e['top_states'], int(note[1]))
        self.assertGreaterEqual(e['top_states'], 30000)
        self.assertGreater(e['states'], e['top_states'])

    def test_dump_model(self):
        p = run(['check', '--dump-model', self.write('leak.c', LEAK % '')])
        self.assertEqual(p.returncode, 0)
        self.assertIn('SPAWN worker(', p.stdout)
        self.assertIn('RECV', p.stdout)

    def test_fast_frontend(self):
        path = self.write('leak.c', LEAK % '')
        built = 'tree-sitter' in run(['--version']).stdout
        for args in (['--fast'], ['--frontend=tree-sitter']):
            p = run(['check'] + args + [path])
            if built:
                self.assertIn(p.returncode, (0, 1), p.stderr)
            else:
                self.assertEqual(p.returncode, 2)
                self.assertIn('not built', p.stderr)

    def test_color(self):
        path = self.write('leak.c', LEAK % '')
        self.assertIn('\033[', run(['check', '--color=always', path]).stdout)
        self.assertNotIn('\033[', run(['check', '--color=auto', path]).stdout)  # a pipe
        self.assertNotIn('\033[', run(['check', '--color=always', '--no-color', path]).stdout)

    def pty_output(self, args, env):
        try:
            master, slave = pty.openpty()
        except OSError as e:  # e.g. a container without /dev/ptmx: skip, saying why
            self.skipTest('needs a terminal, and no pseudo-terminal can be opened here: %s' % e)
        e = dict(os.environ)
        e.pop('NO_COLOR', None)
        e.update(env)
        p = subprocess.Popen([TETHER] + args, stdout=slave, stderr=slave, env=e)
        os.close(slave)
        out = b''
        while True:
            r, _, _ = select.select([master], [], [], 30)
            if not r:
                break
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        p.wait(timeout=30)
        os.close(master)
        return p.returncode, out.decode(errors='replace')

    def test_terminal_color_summary_and_no_color(self):
        path = self.write('leak.c', LEAK % '')
        rc, out = self.pty_output(['check', path], {})
        self.assertEqual(rc, 1)
        self.assertIn('\033[1;35mwarning:', out)
        self.assertIn('tether: 1 warning in 1 file', out)
        rc, out = self.pty_output(['check', path], {'NO_COLOR': '1'})
        self.assertEqual(rc, 1)
        self.assertNotIn('\033[', out)


class Suppressions(Base):
    def check(self, comment_on_spawn='', before_spawn=''):
        src = (LEAK % '').replace('    tt_spawn(worker, ch);',
                                  before_spawn + '    tt_spawn(worker, ch);' + comment_on_spawn)
        path = self.write('s.c', src)
        return run(['check', '--no-color', '--rule=spawn-no-cancel', path])

    def test_shapes(self):
        self.assertEqual(self.check().returncode, 1)
        self.assertEqual(self.check(' // tether:ignore').returncode, 0)
        self.assertEqual(self.check(' // tether:ignore(spawn-no-cancel)').returncode, 0)
        self.assertEqual(self.check(' /* tether:ignore(wg-unbalanced, spawn-no-cancel) */').returncode, 0)
        self.assertEqual(self.check(' // tether:ignore(wg-unbalanced)').returncode, 1)
        self.assertEqual(self.check(before_spawn='    // tether:ignore-next-line(spawn-no-cancel)\n').returncode, 0)
        self.assertEqual(self.check(before_spawn='    // tether:ignore-next-line\n').returncode, 0)
        self.assertEqual(self.check(before_spawn='    // tether:ignore-next-line(ticker-not-stopped)\n').returncode, 1)
        # an ignore-begin with no end suppresses nothing, and says so (clang-tidy's rule)
        p = self.check(before_spawn='    // tether:ignore-begin(spawn-no-cancel)\n    int x = 0;\n')
        self.assertEqual(p.returncode, 1)
        self.assertIn('tether:ignore-begin has no tether:ignore-end', p.stderr)
        p = self.check(before_spawn='    // tether:ignore-begin(spawn-no-cancel)\n',
                       comment_on_spawn='\n    // tether:ignore-end')
        self.assertEqual((p.returncode, p.stderr), (0, 'tether: 0 warnings in 1 file (1 suppressed)\n'))
        p = self.check(' // tether:ignore(spawn-no-cancl)')
        self.assertEqual(p.returncode, 1)
        self.assertIn("unknown rule 'spawn-no-cancl'", p.stderr)
        p = self.check(before_spawn='    // tether:ignore-begin(spawn-no-cancel)\n    // tether:ignore-end\n')
        self.assertEqual(p.returncode, 1)
        p = self.check(before_spawn='    const char *s = "tether:ignore";\n')
        self.assertEqual(p.returncode, 1)


class LazyLibclang(Base):
    """libclang is dlopened only by the runs that use it (the clang front end,
    -p, --version); TETHER_LIBCLANG names the one library to try."""
    HIDDEN = {'TETHER_LIBCLANG': '/nonexistent/libclang.so'}
    ERROR = re.compile(r'^tether: error: cannot load libclang \(/nonexistent/libclang\.so: .+\): '
                       r'use --frontend=tree-sitter\n$')

    def loaded(self, args):
        """Whether the dynamic loader reports libclang loaded (glibc's LD_DEBUG)."""
        p = run(args, env={'LD_DEBUG': 'files'})
        return re.search(r'file=\S*libclang[^ ]* .*dynamically loaded', p.stderr) is not None

    def test_only_clang_runs_load_libclang(self):
        path = self.write('leak.c', LEAK % '')
        self.assertTrue(self.loaded(['check', path]))
        self.assertTrue(self.loaded(['--version']))
        self.assertFalse(self.loaded(['rules']))
        self.assertFalse(self.loaded(['explain', 'spawn-no-cancel']))
        if 'tree-sitter' in run(['--version']).stdout:
            self.assertFalse(self.loaded(['check', '--fast', path]))

    def test_tree_sitter_runs_without_libclang(self):
        path = self.write('leak.c', LEAK % '')
        p = run(['rules'], env=self.HIDDEN)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn('spawn-no-cancel', p.stdout)
        if 'tree-sitter' not in run(['--version']).stdout:
            return
        p = run(['check', '--fast', path], env=self.HIDDEN)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertEqual([w['rule'] for w in warnings(p.stdout)], ['spawn-no-cancel'])

    def test_clang_runs_fail_clearly_without_libclang(self):
        path = self.write('leak.c', LEAK % '')
        for args in (['check', path], ['check', '--frontend=clang', path]):
            p = run(args, env=self.HIDDEN)
            self.assertEqual(p.returncode, 2)
            self.assertEqual(p.stdout, '')
            self.assertRegex(p.stderr, self.ERROR)
        p = run(['--version'], env=self.HIDDEN)
        self.assertEqual(p.returncode, 2)
        self.assertRegex(p.stderr, self.ERROR)
        # The compile database is read without libclang: -p works with --fast.
        self.write('compile_commands.json', '[]')
        p = run(['check', '--fast', '-p', self.dir, path], env=self.HIDDEN)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertNotIn('libclang', p.stderr)

    def test_library_without_the_functions(self):
        """A library that loads but is not libclang: named, not crashed on."""
        libc = next((l.split('=>')[1].split()[0] for l in
                     subprocess.run(['ldd', TETHER], capture_output=True, text=True).stdout.splitlines()
                     if 'libc.so' in l and '=>' in l), None)
        self.assertIsNotNone(libc)
        p = run(['check', self.write('leak.c', LEAK % '')], env={'TETHER_LIBCLANG': libc})
        self.assertEqual(p.returncode, 2)
        self.assertIn('cannot load libclang (%s: no symbol clang_' % libc, p.stderr)


if __name__ == '__main__':
    TETHER = os.path.abspath(sys.argv[1])
    RULES_DIR = os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0], '-v'] + sys.argv[3:])
