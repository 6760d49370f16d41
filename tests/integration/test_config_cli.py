#!/usr/bin/env python3
""".tether.yml through the `tether` program: aliases reveal a leak hidden in
wrappers (both front ends), the nearest file wins unless it inherits, exclude
globs (also for files named on the command line or in a compile command),
rule severities and what they do to the exit status, the front end and the
compile database from the file, command-line options winning over it,
--config and --no-config, and a bad file: one `tether: error: PATH:LINE:COL:
problem` line on stderr, nothing else, exit 2. The README's example file is
used as written.

Usage: test_config_cli.py TETHER"""
import json
import os
import re
import sys
import unittest

import itest

TETHER = None

WRAPPERS_H = r'''#include <tether.h>
int go(tt_fn fn, void *arg);
int chan_put(tt_chan *ch, const void *v);
tt_chan *chan_make(size_t size, size_t cap);
'''

# The leak of itest.LEAKY's cousin, behind wrappers: without aliases it is
# calls of functions defined elsewhere, which tether trusts.
WRAPPED = r'''#include "wrappers.h"

static void send_answer(void *arg)
{
    tt_chan *ch = arg;
    int v = 42;
    chan_put(ch, &v);
}

void leaky(void)
{
    tt_chan *ch = chan_make(sizeof(int), 0);
    go(send_answer, ch);
}
'''
WRAPPED_LINE = 7
ALIASES = 'aliases:\n  spawn: [go]\n  send: [chan_put]\n  chan_new: [chan_make]\n'


class ConfigCli(itest.ScratchTest):

    def put(self, rel, text):
        itest.write(os.path.join(self.tmp, rel), text)

    def tether(self, *args, rc=None, cwd=None):
        return itest.run([TETHER, *args], cwd=cwd or self.tmp, rc=rc, env={'NO_COLOR': '1'})

    def warnings(self, p):
        """(file, line, severity, rule) of each finding of a text report."""
        out = []
        for line in p.stdout.splitlines():
            parts = line.split(':', 4)
            if len(parts) == 5 and parts[3].strip() in ('warning', 'error', 'note') and line.endswith(']'):
                out.append((parts[0], int(parts[1]), parts[3].strip(), line[line.rindex('[') + 1:-1]))
        return [w for w in out if w[3] != '']

    # ---- aliases -----------------------------------------------------------

    def test_aliases_reveal_a_wrapped_leak(self):
        self.put('src/wrappers.h', WRAPPERS_H)
        self.put('src/leak.c', WRAPPED)
        for fe in ('clang', 'tree-sitter'):
            p = self.tether('check', '--frontend', fe, 'src', rc=0)
            self.assertEqual(self.warnings(p), [], fe)
        self.put('.tether.yml', ALIASES)
        for fe in ('clang', 'tree-sitter'):
            p = self.tether('check', '--frontend', fe, 'src', rc=1)
            self.assertEqual(self.warnings(p),
                             [('src/leak.c', WRAPPED_LINE, 'warning', 'unbuffered-send-no-fallback')], fe)
            self.assertIn("note: 'send_answer' is spawned here", p.stdout)

    # ---- which file applies -------------------------------------------------

    def test_nearest_wins_unless_it_inherits(self):
        self.put('.tether.yml', 'rules:\n  spawn-no-cancel: off\n')
        self.put('a/leak.c', itest.LEAKY)
        self.put('b/leak.c', itest.LEAKY)
        self.put('b/.tether.yml', 'frontend: tree-sitter\n')  # nothing about rules
        p = self.tether('check', 'a', 'b', rc=1)
        self.assertEqual(self.warnings(p), [('b/leak.c', itest.LEAK_LINE, 'warning', itest.LEAK_RULE)])
        self.put('b/.tether.yml', 'inherit: true\nfrontend: tree-sitter\n')
        p = self.tether('check', 'a', 'b', rc=0)
        self.assertEqual(self.warnings(p), [])
        # --no-config: neither; --config: that one for every file
        p = self.tether('check', '--no-config', 'a', 'b', rc=1)
        self.assertEqual(len(self.warnings(p)), 2)
        self.put('elsewhere/strict.yml', 'rules:\n  spawn-no-cancel: error\n')
        p = self.tether('check', '--config', 'elsewhere/strict.yml', 'a', 'b', rc=1)
        self.assertEqual([w[2] for w in self.warnings(p)], ['error', 'error'])

    def test_exclude(self):
        self.put('.tether.yml', 'exclude:\n  - third_party\n  - "**/*_gen.c"\n')
        self.put('src/leak.c', itest.LEAKY)
        self.put('src/deep/x_gen.c', itest.LEAKY)
        self.put('third_party/lib/leak.c', itest.LEAKY)
        p = self.tether('check', '.', rc=1)
        self.assertEqual([w[0] for w in self.warnings(p)], ['./src/leak.c'])
        self.assertIn('1 warning in 1 file', p.stderr)
        # named on the command line, or in a compile command (a build, a hook)
        p = self.tether('check', 'third_party/lib/leak.c', 'src/deep/x_gen.c', rc=0)
        self.assertEqual(p.stdout, '')
        src = os.path.join(self.tmp, 'third_party/lib/leak.c')
        p = self.tether('check', '--exit-zero', src, '--', 'cc', '-c', src, '-o', 'leak.o', rc=0)
        self.assertEqual(p.stdout, '')

    # ---- rules and severities ------------------------------------------------

    def test_severity(self):
        self.put('leak.c', itest.LEAKY)
        self.put('.tether.yml', 'rules:\n  %s: error\n' % itest.LEAK_RULE)
        p = self.tether('check', 'leak.c', rc=1)
        self.assertEqual(self.warnings(p), [('leak.c', itest.LEAK_LINE, 'error', itest.LEAK_RULE)])
        # an error fails the run even with --exit-zero, as --warnings-as-errors does
        self.tether('check', '--exit-zero', 'leak.c', rc=1)
        # a note is reported and never fails the run
        self.put('.tether.yml', 'rules:\n  %s: note\n' % itest.LEAK_RULE)
        p = self.tether('check', 'leak.c', rc=0)
        self.assertEqual(self.warnings(p), [('leak.c', itest.LEAK_LINE, 'note', itest.LEAK_RULE)])
        sarif = json.loads(self.tether('check', '--format=sarif', 'leak.c', rc=0).stdout)
        self.assertEqual([r['level'] for r in sarif['runs'][0]['results']], ['note'])
        # off; and the command line wins: --rule runs it, --warnings-as-errors raises it
        self.put('.tether.yml', 'rules:\n  %s: off\n' % itest.LEAK_RULE)
        self.assertEqual(self.warnings(self.tether('check', 'leak.c', rc=0)), [])
        p = self.tether('check', '--rule', itest.LEAK_RULE, 'leak.c', rc=1)
        self.assertEqual(len(self.warnings(p)), 1)
        self.put('.tether.yml', 'rules:\n  %s: note\n' % itest.LEAK_RULE)
        p = self.tether('check', '--warnings-as-errors', 'leak.c', rc=1)
        self.assertEqual([w[2] for w in self.warnings(p)], ['error'])
        self.put('.tether.yml', 'rules:\n  %s: error\n' % itest.LEAK_RULE)
        self.assertEqual(self.warnings(self.tether('check', '--disable', itest.LEAK_RULE, 'leak.c', rc=0)), [])

    # ---- front end and compile database ------------------------------------

    def test_frontend_and_compile_database(self):
        # the leak exists only with -DWITH_LEAK, which only the database has;
        # and only clang reads it (tree-sitter reads both sides of the #ifdef)
        self.put('src/a.c', itest.LEAKY.replace('    return tt_spawn(worker, ch);',
                                                '#ifdef WITH_LEAK\n    return tt_spawn(worker, ch);\n#else\n'
                                                '    tt_chan_free(ch);\n    return 0;\n#endif'))
        self.put('out/compile_commands.json', json.dumps([{
            'directory': os.path.join(self.tmp, 'src'), 'file': 'a.c',
            'arguments': ['cc', '-DWITH_LEAK', '-c', 'a.c']}]))
        self.assertEqual(self.warnings(self.tether('check', 'src/a.c', rc=0)), [])
        self.put('src/.tether.yml', 'compile-database: ../out\n')
        p = self.tether('check', 'src/a.c', rc=1)
        self.assertEqual([w[1] for w in self.warnings(p)], [itest.LEAK_LINE + 1])
        # a database that is not there: an error that names the config
        self.put('src/.tether.yml', 'compile-database: ../nowhere\n')
        p = self.tether('check', 'src/a.c', rc=2)
        self.assertIn('(compile-database of src/.tether.yml)', p.stderr)
        # a missing header: clang fails (exit 2); tree-sitter from the file does not
        self.put('h/b.c', '#include "nowhere.h"\n' + itest.LEAKY)
        self.tether('check', 'h/b.c', rc=2)
        self.put('h/.tether.yml', 'frontend: tree-sitter\n')
        p = self.tether('check', 'h/b.c', rc=1)
        self.assertEqual([w[1] for w in self.warnings(p)], [itest.LEAK_LINE + 1])
        self.tether('check', '--frontend', 'clang', 'h/b.c', rc=2)  # the option wins

    # ---- bad files ------------------------------------------------------------

    def test_bad_config_is_one_line(self):
        self.put('src/leak.c', itest.LEAKY)
        cases = [
            ('rules:\n  spawn-no-cancel: off\n bad: [\n',
             'src/.tether.yml:3:2: invalid YAML: did not find expected key (while parsing a block mapping)'),
            ('frontend: clang\nfronted: clang\n',
             "src/.tether.yml:2:1: unknown key 'fronted' (did you mean 'frontend'?) (keys: inherit, "
             "frontend, compile-database, exclude, rules, aliases)"),
            ('exclude: {a: b}\n', "src/.tether.yml:1:10: 'exclude' must be a list, not a mapping"),
            ('rules:\n  spawn-no-cancle: off\n',
             "src/.tether.yml:2:3: unknown rule 'spawn-no-cancle' (did you mean 'spawn-no-cancel'?) "
             "(see `tether rules`)"),
            ('aliases:\n  spwan: [go]\n',
             "src/.tether.yml:2:3: unknown alias target 'spwan' (did you mean 'spawn'?): keys are "
             "tether.h functions without tt_ (spawn, send, recv, chan_new, ...)"),
        ]
        for text, want in cases:
            self.put('src/.tether.yml', text)
            for fmt in ('text', 'json'):
                p = self.tether('check', '--format', fmt, 'src/leak.c', rc=2)
                self.assertEqual(p.stderr, 'tether: error: %s\n' % want)
                if fmt == 'text':
                    self.assertEqual(p.stdout, '')
        # --config names a missing file
        p = self.tether('check', '--config', 'nope.yml', 'src/leak.c', rc=2)
        self.assertEqual(p.stderr, 'tether: error: nope.yml: No such file or directory\n')

    def test_readme_alias_keys(self):
        """The README lists every alias key tether accepts (27, as
        tests/config/test_alias.c counts), and tether accepts each."""
        with open(os.path.join(itest.SOURCE_DIR, 'README.md')) as f:
            row = [l for l in f.read().splitlines() if l.startswith('| `aliases` |')][0]
        keys = re.findall(r'`([a-z_]+)`', row.split('names:')[1])
        self.assertEqual(len(set(keys)), 27)
        self.put('.tether.yml', 'aliases:\n' + ''.join('  %s: [my_%s]\n' % (k, k) for k in keys))
        self.put('ok.c', itest.FIXED)
        self.tether('check', 'ok.c', rc=0)

    def test_readme_example(self):
        """The README's example file, as written, is a valid config whose
        aliases and rules take effect."""
        self.put('.tether.yml', itest.readme_snippet('tether-yml'))
        self.put('src/leak.c', itest.LEAKY)
        self.put('third_party/x.c', itest.LEAKY)
        self.put('build/compile_commands.json', json.dumps([{
            'directory': self.tmp, 'file': 'src/leak.c', 'arguments': ['cc', '-c', 'src/leak.c']}]))
        p = self.tether('check', 'src', 'third_party', rc=1)
        self.assertEqual(self.warnings(p), [('src/leak.c', itest.LEAK_LINE, 'error', itest.LEAK_RULE)])


if __name__ == '__main__':
    TETHER = os.path.abspath(sys.argv[1])
    unittest.main(argv=sys.argv[:1], verbosity=2)
