#!/usr/bin/env python3
"""The bundled example's own output and the runtime's leak report appear in
the same order through a pipe (`./dev.sh example | less`, CI logs) as on a
terminal. In a pipe stdout is fully buffered and stderr is not, so without
care the report comes first and the program's lines after it.
Usage: test_example_order.py SOURCE_DIR BUILD_DIR"""
import os
import select
import subprocess
import sys
import unittest

SOURCE_DIR = BUILD_DIR = None


def kinds(text):
    """'P' for each line the program printed, 'R' for each report line."""
    out = []
    for line in text.replace('\r\n', '\n').splitlines():
        if line.startswith(('request ', 'pool: ')):
            out.append('P')
        elif line.startswith('tether: ') or line.startswith('    '):
            out.append('R')
        elif line.strip():
            out.append('?' + line)
    return out


def runs(k):
    """k with each run of equal kinds written once: ['P', 'R'] when the
    program's lines all come before the report's."""
    return [x for i, x in enumerate(k) if i == 0 or k[i - 1] != x]


def example_env():
    env = dict(os.environ)
    env['TETHER_VERIFY'] = '1'
    return env


class ExampleOrder(unittest.TestCase):
    def example(self):
        return os.path.join(BUILD_DIR, 'examples', 'pool_server')

    def through_pipe(self):
        p = subprocess.run([self.example()], env=example_env(), stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=60)
        self.assertEqual(p.returncode, 3, p.stdout.decode(errors='replace'))  # leaks found
        return p.stdout.decode(errors='replace')

    def on_terminal(self):
        import pty
        try:
            master, slave = pty.openpty()
        except OSError as e:
            self.skipTest('no pseudo-terminal can be opened here to compare with: %s' % e)
        p = subprocess.Popen([self.example()], env=example_env(), stdout=slave, stderr=slave)
        os.close(slave)
        out = b''
        while True:
            r, _, _ = select.select([master], [], [], 60)
            if not r:
                break
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        p.wait(timeout=60)
        os.close(master)
        self.assertEqual(p.returncode, 3)
        return out.decode(errors='replace')

    def test_program_output_comes_before_the_leak_report_in_a_pipe(self):
        out = self.through_pipe()
        k = kinds(out)
        self.assertEqual(k.count('P'), 5, out)  # four requests and the pool's line
        self.assertIn('R', k, out)
        self.assertEqual(k, sorted(k), 'the report came before the program\'s own output:\n' + out)

    def test_pipe_and_terminal_show_the_same_order(self):
        tty_out = self.on_terminal()
        pipe_out = self.through_pipe()
        tty, pipe = kinds(tty_out), kinds(pipe_out)
        self.assertEqual(tty.count('P'), 5, tty_out)
        self.assertEqual(pipe.count('P'), 5, pipe_out)
        # How many report lines there are depends on timing (a request that
        # times out leaves one more lookup task behind, three lines more):
        # the order of the program's lines and the report's is what must
        # be the same.
        self.assertEqual(runs(pipe), runs(tty), 'pipe:\n%s\nterminal:\n%s' % (pipe_out, tty_out))

    def test_run_example_script_through_a_pipe(self):
        p = subprocess.run([os.path.join(SOURCE_DIR, 'scripts', 'run-example.sh'), BUILD_DIR],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
        out = p.stdout.decode(errors='replace')
        self.assertEqual(p.returncode, 0, out)
        marks = ['$ tether check examples/', 'warning:', '$ TETHER_VERIFY=1 ', 'request 1: ', 'request 4: ',
                 'pool: did not finish in time', 'tether: leaked task', 'tether: tt_verify_none: ', 'Both agree']
        at = 0
        for m in marks:
            i = out.find(m, at)
            self.assertGreaterEqual(i, 0, '%r missing or out of order in:\n%s' % (m, out))
            at = i + len(m)


if __name__ == '__main__':
    SOURCE_DIR = os.path.abspath(sys.argv[1])
    BUILD_DIR = os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0], '-v'] + sys.argv[3:])
