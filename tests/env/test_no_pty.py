#!/usr/bin/env python3
"""A test that needs a terminal skips, and says why, where no
pseudo-terminal can be opened (a container without /dev/ptmx or /dev/pts,
all ptys in use) instead of failing the suite it belongs to (a failure there
used to stop ./dev.sh before the sanitizer suites ran).

Runs the CLI's terminal test with os.openpty failing as it does in such a
container; Python's pty module then tries the old BSD devices, which Linux
does not have, and raises OSError.
Usage: test_no_pty.py TEST_CLI_PY TETHER RULES_DIR"""
import os
import subprocess
import sys
import unittest

TEST_CLI = TETHER = RULES_DIR = None
TERMINAL_TEST = 'Options.test_terminal_color_summary_and_no_color'

NO_PTY = '''
import errno, os, runpy, sys
def openpty():
    raise OSError(errno.ENOENT, os.strerror(errno.ENOENT), '/dev/ptmx')
os.openpty = openpty
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name='__main__')
'''


class NoPty(unittest.TestCase):
    def run_terminal_test(self, code):
        p = subprocess.run([sys.executable, '-c', code, TEST_CLI, TETHER, RULES_DIR, TERMINAL_TEST],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
        return p.returncode, p.stdout.decode(errors='replace')

    def test_terminal_test_skips_with_its_reason(self):
        rc, out = self.run_terminal_test(NO_PTY)
        self.assertEqual(rc, 0, out)
        self.assertRegex(out, r"test_terminal_color_summary_and_no_color .*\.\.\. skipped "
                              r"'needs a terminal, and no pseudo-terminal can be opened here: .+'")
        self.assertIn('OK (skipped=1)', out)

    def test_terminal_test_runs_where_a_pty_opens(self):
        try:
            master, slave = os.openpty()
        except OSError as e:
            self.skipTest('no pseudo-terminal can be opened here either: %s' % e)
        os.close(master)
        os.close(slave)
        rc, out = self.run_terminal_test('import runpy, sys\nsys.argv = sys.argv[1:]\n'
                                         'runpy.run_path(sys.argv[0], run_name="__main__")\n')
        self.assertEqual(rc, 0, out)
        self.assertRegex(out, r'test_terminal_color_summary_and_no_color .*\.\.\. ok')


if __name__ == '__main__':
    TEST_CLI, TETHER, RULES_DIR = (os.path.abspath(a) for a in sys.argv[1:4])
    unittest.main(argv=[sys.argv[0], '-v'] + sys.argv[4:])
