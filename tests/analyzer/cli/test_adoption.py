#!/usr/bin/env python3
"""End-to-end tests of adopting tether on existing code: baselines matched
by fingerprint, --new-from-rev, NOLINT suppressions, unused suppressions,
--exit-zero and --warnings-as-errors.
Usage: test_adoption.py TETHER SOURCE_DIR [SCHEMA...]"""
import json
import os
import subprocess
import sys
import unittest

import cli_common as c
from cli_common import LEAK, SPAWN_LINE, Base, diags, run

TICKER = r'''#include <tether.h>

void poll_forever(void)
{
    tt_ticker *t = tt_ticker_new(10);
    tt_recv(tt_ticker_chan(t), NULL);
}
'''


class Baseline(Base):
    def test_write_then_only_new_findings(self):
        path = self.write('src/a.c', LEAK % '')
        base = os.path.join(self.dir, 'base.json')
        p = run(['check', '--write-baseline', base, 'src/a.c'], cwd=self.dir)
        self.assertEqual(p.returncode, 0, p.stderr)  # accepted: recorded
        self.assertEqual(len(diags(p.stdout)), 1)    # and still shown
        with open(base, encoding='utf-8') as f:
            doc = json.load(f)
        self.assertEqual(doc['version'], 1)
        self.assertEqual([(x['rule'], x['file'], x['line']) for x in doc['findings']],
                         [('spawn-no-cancel', 'src/a.c', SPAWN_LINE)])
        p = run(['check', '--baseline', base, 'src/a.c'], cwd=self.dir)
        self.assertEqual((p.returncode, p.stdout), (0, ''))
        self.assertIn('1 in the baseline', p.stderr)
        # Unrelated edits move the finding: still recorded.
        with open(path, 'w') as f:
            f.write('/* a comment\n   that moves everything */\n\n' + (LEAK % '').replace('    tt_spawn', '\ttt_spawn'))
        self.assertEqual(run(['check', '--baseline=' + base, 'src/a.c'], cwd=self.dir).returncode, 0)
        # A new finding in another file is reported; so is a changed line.
        self.write('src/b.c', TICKER)
        p = run(['check', '--baseline', base, 'src'], cwd=self.dir)
        self.assertEqual(p.returncode, 1)
        self.assertEqual([(w['file'], w['rule']) for w in diags(p.stdout)], [('src/b.c', 'ticker-not-stopped')])
        with open(path, 'w') as f:
            f.write((LEAK % '').replace('tt_spawn(worker, ch);', 'tt_spawn(worker, ch ); (void)0;'))
        p = run(['check', '--baseline', base, 'src/a.c'], cwd=self.dir)
        self.assertEqual(p.returncode, 1)

    def test_bad_baseline_is_one_error(self):
        self.write('a.c', LEAK % '')
        self.write('base.json', '{"version": 2, "findings": []}')
        p = run(['check', '--baseline', 'base.json', 'a.c'], cwd=self.dir)
        self.assertEqual((p.returncode, p.stdout), (2, ''))
        self.assertEqual(p.stderr, 'tether: error: --baseline: base.json: not a tether baseline '
                                   '(version 1 with a "findings" list)\n')


class NewFromRev(Base):
    def git(self, *args):
        subprocess.run(['git', '-c', 'user.name=t', '-c', 'user.email=t@example.com'] + list(args), cwd=self.dir,
                       check=True, capture_output=True)

    def test_only_changed_lines(self):
        self.git('init', '-q')
        self.write('old.c', LEAK % '')
        self.write('other.c', TICKER)
        self.git('add', '.')
        self.git('commit', '-qm', 'old code with leaks')
        self.assertEqual(run(['check', '--new-from-rev', 'HEAD', '.'], cwd=self.dir).returncode, 0)
        # A new leak on a new line of old.c; other.c untouched; a new file.
        src = (LEAK % '').replace('    return 0;', '    tt_chan *c2 = tt_chan_new(sizeof(int), 0);\n'
                                                  '    tt_spawn(worker, c2);\n    return 0;')
        self.write('old.c', src)
        self.write('new.c', TICKER)
        p = run(['check', '--new-from-rev=HEAD', '.'], cwd=self.dir)
        self.assertEqual(p.returncode, 1, p.stderr)
        got = sorted((w['file'], int(w['line'])) for w in diags(p.stdout))
        self.assertEqual(got, [('./new.c', 5), ('./old.c', SPAWN_LINE + 2)])
        p = run(['check', '--new-from-rev', 'no-such-rev', '.'], cwd=self.dir)
        self.assertEqual((p.returncode, p.stdout), (2, ''))
        self.assertTrue(p.stderr.startswith('tether: error: --new-from-rev no-such-rev: '), p.stderr)


class Suppressions(Base):
    def check(self, comment='', before='', args=()):
        src = (LEAK % '').replace('    tt_spawn(worker, ch);', before + '    tt_spawn(worker, ch);' + comment)
        return run(['check', '--no-color'] + list(args) + [self.write('s.c', src)])

    def test_nolint(self):
        self.assertEqual(self.check(' // NOLINT').returncode, 0)
        self.assertEqual(self.check(' // NOLINT(tether-spawn-no-cancel)').returncode, 0)
        self.assertEqual(self.check(' // NOLINT(tether-*)').returncode, 0)
        self.assertEqual(self.check(' // NOLINT(bugprone-foo)').returncode, 1)
        self.assertEqual(self.check(' // NOLINT(tether-wg-unbalanced)').returncode, 1)
        self.assertEqual(self.check(before='    // NOLINTNEXTLINE(tether-spawn-no-cancel)\n').returncode, 0)
        self.assertEqual(self.check(before='    // NOLINTBEGIN(tether-spawn-no-cancel)\n',
                                    comment='\n    // NOLINTEND(tether-spawn-no-cancel)').returncode, 0)
        p = self.check(before='    // NOLINTBEGIN(tether-spawn-no-cancel)\n')
        self.assertEqual(p.returncode, 1)
        self.assertIn('NOLINTBEGIN has no matching NOLINTEND; it suppresses nothing', p.stderr)

    def test_unused_suppressions(self):
        p = self.check(before='    int a = 0; // tether:ignore(ticker-not-stopped)\n'
                              '    int b = 0; // NOLINT(tether-wg-unbalanced)\n'
                              '    int c = 0; // NOLINT\n',
                       comment=' // tether:ignore(spawn-no-cancel)', args=['--warn-unused-suppressions'])
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        ws = diags(p.stdout)
        self.assertEqual([(w['rule'], int(w['line']), int(w['col'])) for w in ws],
                         [('unused-suppression', 13, 19), ('unused-suppression', 14, 19)])
        self.assertIn('tether:ignore suppressed nothing', ws[0]['msg'])
        # Without the option, nothing; with --rule, a rule that did not run
        # cannot be judged.
        p = self.check(before='    int a = 0; // tether:ignore(ticker-not-stopped)\n')
        self.assertEqual(p.returncode, 1)
        p = self.check(before='    int a = 0; // tether:ignore(ticker-not-stopped)\n',
                       comment=' // tether:ignore(spawn-no-cancel)',
                       args=['--warn-unused-suppressions', '--rule=spawn-no-cancel'])
        self.assertEqual((p.returncode, p.stdout), (0, ''))


class ExitStatus(Base):
    def test_exit_zero_and_warnings_as_errors(self):
        path = self.write('a.c', LEAK % '')
        p = run(['check', '--exit-zero', path])
        self.assertEqual(p.returncode, 0)
        self.assertEqual(len(diags(p.stdout)), 1)
        p = run(['check', '--warnings-as-errors', path])
        self.assertEqual(p.returncode, 1)
        self.assertEqual(len(diags(p.stdout, 'error')), 1)
        self.assertEqual(diags(p.stdout, 'error')[0]['rule'], 'spawn-no-cancel')
        self.assertEqual(run(['check', '--exit-zero', '--warnings-as-errors', path]).returncode, 1)
        p = run(['check', '--exit-zero', '--warnings-as-errors=tether-wg-unbalanced', path])
        self.assertEqual((p.returncode, len(diags(p.stdout))), (0, 1))
        p = run(['check', '--format=sarif', '--warnings-as-errors', path])
        self.assertEqual(json.loads(p.stdout)['runs'][0]['results'][0]['level'], 'error')
        self.assertEqual(run(['check', '--exit-zero', os.path.join(self.dir, 'missing.c')]).returncode, 2)


if __name__ == '__main__':
    c.TETHER = os.path.abspath(sys.argv[1])
    unittest.main(argv=[sys.argv[0], '-v'])
