"""What the language server tests share: the tether under test, sample
programs, a scratch folder per test, and applying LSP edits to text."""
import os
import shutil
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

from lspclient import Client, edit, frame  # noqa: E402,F401

TETHER = None   # set by main()

sys.path.insert(0, os.path.join(SOURCE_DIR, 'tests', 'integration'))
from itest import LEAKY, LEAK_LINE as _LEAK_LINE_1, readme_snippet  # noqa: E402,F401

# The integration tests' leaky program: spawn-no-cancel at the tt_spawn,
# 0-based line LEAK_LINE, character LEAK_CHAR; the receive that blocks on
# RECV_LINE.
LEAK_LINE = _LEAK_LINE_1 - 1
LEAK_CHAR = LEAKY.split('\n')[LEAK_LINE].index('tt_spawn')
RECV_LINE = next(i for i, l in enumerate(LEAKY.split('\n')) if 'tt_recv' in l)

# The fixture whose leak has a capacity-1 fix-it.
UNBUFFERED = os.path.join(SOURCE_DIR, 'fixtures', 'unbuffered-send-no-fallback', 'leak_handler_timeout.c')


def apply_edits(text, edits):
    """Applies LSP TextEdits (UTF-16 positions) to text, as an editor does."""
    lines = text.split('\n')

    def offset(pos):
        off = sum(len(l.encode('utf-16-le')) // 2 + 1 for l in lines[:pos['line']])
        line = lines[pos['line']] if pos['line'] < len(lines) else ''
        return off + min(pos['character'], len(line.encode('utf-16-le')) // 2)

    u = text.encode('utf-16-le')
    for e in sorted(edits, key=lambda e: (e['range']['start']['line'], e['range']['start']['character']),
                    reverse=True):
        b, x = offset(e['range']['start']), offset(e['range']['end'])
        u = u[:2 * b] + e['newText'].encode('utf-16-le') + u[2 * x:]
    return u.decode('utf-16-le')


class LspTest(unittest.TestCase):
    """A test with a scratch folder (self.tmp) and clients stopped at the end."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix='tether-lsp-')
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)

    def client(self, options=None, capabilities=None, initialize=True, **kw):
        """A server (kw: Client's cwd, env), initialized with options."""
        c = Client(TETHER, **kw)
        self.addCleanup(c.kill)
        if initialize:
            c.initialize({'tether': options if options is not None else {'debounceMs': 0}},
                         capabilities=capabilities)
        return c

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w') as f:
            f.write(text)
        return path


def main():
    global TETHER
    TETHER = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
