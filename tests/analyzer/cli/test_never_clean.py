#!/usr/bin/env python3
"""End-to-end tests that a run is never silently clean: compile errors
(a header clang cannot find) are errors that name the header and the flag
that finds it, the file is analyzed with tree-sitter instead, and the run
exits 2; findings in project headers are reported once, in the header;
system headers and tether.h never.
Usage: test_never_clean.py TETHER SOURCE_DIR [SCHEMA...]"""
import json
import os
import sys
import unittest

import cli_common as c
from cli_common import LEAK, SPAWN_LINE, Base, diags, run

USES_HEADER = '#include "cfg.h"\n' + (LEAK % '').replace('int main(void)\n{\n',
                                                          'int main(void)\n{\n    cfg_t cfg = { 0 };\n    (void)cfg;\n')

HEADER = r'''#include <tether.h>

static void pool_worker(void *arg)
{
    tt_chan *ch = arg;
    int v;
    tt_recv(ch, &v);
}

static inline void pool_start(void)
{
    tt_chan *ch = tt_chan_new(sizeof(int), 0);
    tt_spawn(pool_worker, ch);
}
'''
USER = '#include "pool.h"\nint %s(void) { pool_start(); return 0; }\n'


class MissingHeader(Base):
    def setUp(self):
        super().setUp()
        self.src = self.write('src/a.c', USES_HEADER)
        self.write('include/cfg.h', 'typedef struct cfg { int x; } cfg_t;\n')

    def test_errors_fallback_and_exit_2(self):
        p = run(['check', '--no-color', 'src/a.c'], cwd=self.dir)
        self.assertEqual(p.returncode, 2)
        errors = diags(p.stdout, 'error')
        self.assertEqual((errors[0]['file'], errors[0]['line'], errors[0]['msg']),
                         ('src/a.c', '1', "'cfg.h' file not found"))
        self.assertIn('    1 | #include "cfg.h"\n      |          ^\n', p.stdout)  # quoted, as a compiler does
        self.assertIn("note: 'cfg.h' is in include: pass -Iinclude after `--`", p.stdout)
        self.assertIn('-p with the build', p.stdout)
        self.assertIn('src/a.c: note: analyzed with the tree-sitter front end instead', p.stdout)
        # the leak is still found, as --fast finds it
        self.assertEqual([int(w['line']) for w in diags(p.stdout)], [SPAWN_LINE + 3])
        fast = run(['check', '--fast', 'src/a.c'], cwd=self.dir)
        self.assertEqual([int(w['line']) for w in diags(fast.stdout)], [SPAWN_LINE + 3])
        self.assertRegex(p.stderr, r'^tether: 1 warning and \d+ errors? in 1 file\n$')
        # The flag the hint names works.
        p = run(['check', 'src/a.c', '--', '-Iinclude'], cwd=self.dir)
        self.assertEqual((p.returncode, len(diags(p.stdout, 'error'))), (1, 0))

    def test_long_cascades_are_cut(self):
        body = ''.join('    int x%d = ;\n' % i for i in range(12))
        path = self.write('many.c', '#include <tether.h>\nvoid f(void)\n{\n' + body + '}\n')
        p = run(['check', path])
        self.assertEqual(p.returncode, 2)
        self.assertEqual(len(diags(p.stdout, 'error')), 8)
        self.assertIn(f'{path}: note: 4 more compile errors not shown', p.stdout)
        self.assertEqual(p.stderr, 'tether: 0 warnings and 8 errors in 1 file\n')  # the errors shown

    def test_in_structured_formats(self):
        p = run(['check', '--format=sarif', 'src/a.c'], cwd=self.dir)
        self.assertEqual(p.returncode, 2)
        inv = json.loads(p.stdout)['runs'][0]['invocations'][0]
        self.assertFalse(inv['executionSuccessful'])
        levels = [n['level'] for n in inv['toolExecutionNotifications']]
        self.assertEqual(levels[0], 'error')
        self.assertEqual(levels[-1], 'note')
        self.assertIn("'cfg.h' file not found", inv['toolExecutionNotifications'][0]['message']['text'])
        self.assertIn("tether: error: src/a.c:1:10: 'cfg.h' file not found", p.stderr)

    def test_not_in_database_says_so(self):
        self.write('build/compile_commands.json', json.dumps(
            [{'directory': self.dir, 'file': 'other.c', 'arguments': ['cc', '-c', 'other.c']}]))
        self.write('other.c', '')
        p = run(['check', '-p', 'build', 'src/a.c'], cwd=self.dir)
        self.assertEqual(p.returncode, 2)
        self.assertIn('(src/a.c is not in ', p.stdout)


class ProjectHeaders(Base):
    def test_reported_once_in_the_header(self):
        self.write('inc/pool.h', HEADER)
        self.write('a.c', USER % 'a')
        self.write('b.c', USER % 'b')
        for fe in ('clang', 'tree-sitter'):
            for extra in ([], ['-j1']):
                p = run(['check', '--no-color', '--frontend=' + fe] + extra + ['a.c', 'b.c', '--', '-Iinc'],
                        cwd=self.dir)
                self.assertEqual(p.returncode, 1, (fe, p.stdout + p.stderr))
                self.assertEqual([(w['file'], int(w['line']), w['rule']) for w in diags(p.stdout)],
                                 [('inc/pool.h', 13, 'spawn-no-cancel')], fe)
                notes = diags(p.stdout, 'note')
                self.assertEqual((notes[0]['file'], int(notes[0]['line'])), ('inc/pool.h', 7))
            # In project mode too.
            self.write('build/compile_commands.json', json.dumps(
                [{'directory': self.dir, 'file': f, 'arguments': ['cc', '-Iinc', '-c', f]} for f in ('a.c', 'b.c')]))
            p = run(['check', '--frontend=' + fe, '-p', 'build'], cwd=self.dir)
            self.assertEqual([w['file'] for w in diags(p.stdout)], ['inc/pool.h'], fe)
        # Suppressed in the header, it is suppressed for every includer.
        self.write('inc/pool.h', HEADER.replace('tt_spawn(pool_worker, ch);', 'tt_spawn(pool_worker, ch); // NOLINT'))
        p = run(['check', 'a.c', 'b.c', '--', '-Iinc'], cwd=self.dir)
        self.assertEqual((p.returncode, p.stdout), (0, ''))

    def test_system_headers_never(self):
        self.write('sys/pool.h', HEADER)
        self.write('a.c', USER % 'a')
        p = run(['check', 'a.c', '--', '-isystem', 'sys'], cwd=self.dir)
        self.assertEqual((p.returncode, p.stdout), (0, ''), p.stderr)
        # tether.h itself is never analyzed as a project header.
        p = run(['check', '--frontend=tree-sitter', 'a.c', '--', '-I', os.path.join(c.SOURCE_DIR, 'runtime/include')],
                cwd=self.dir)
        self.assertEqual(p.returncode, 0, p.stdout)


if __name__ == '__main__':
    c.TETHER = os.path.abspath(sys.argv[1])
    c.SOURCE_DIR = os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0], '-v'])
