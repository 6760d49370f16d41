"""Helpers shared by the integration tests: running programs with a clear
failure message, scratch folders, the leaky and fixed sample programs, and
the README's snippets (the tests run the text users copy)."""
import os
import re
import shutil
import subprocess
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.path.dirname(os.path.dirname(HERE))

# A task blocked forever on a receive nobody sends to: spawn-no-cancel at
# the tt_spawn, line LEAK_LINE.
LEAKY = r'''#include <tether.h>

static void worker(void *arg)
{
    tt_chan *ch = arg;
    int v;
    tt_recv(ch, &v);
}

int start(void)
{
    tt_chan *ch = tt_chan_new(sizeof(int), 0);
    return tt_spawn(worker, ch);
}
'''
LEAK_LINE = 13
LEAK_RULE = 'spawn-no-cancel'

FIXED = r'''#include <tether.h>

static void worker(void *arg)
{
    tt_chan *ch = arg;
    int v = 1;
    tt_send(ch, &v);
}

int start(void)
{
    tt_chan *ch = tt_chan_new(sizeof(int), 1);
    tt_spawn(worker, ch);
    int v = 0;
    tt_recv(ch, &v);
    tt_chan_free(ch);
    return v;
}
'''


def run(args, cwd=None, env=None, rc=0, timeout=120, stdin=None):
    """Runs args; fails the test unless the exit status is rc (None: any).
    Returns the CompletedProcess (text stdout, stderr)."""
    full_env = dict(os.environ)
    full_env.pop('TETHER_INCLUDE', None)
    full_env.update(env or {})
    p = subprocess.run(args, cwd=cwd, env=full_env, text=True, capture_output=True,
                       timeout=timeout, input=stdin)
    if rc is not None and p.returncode != rc:
        raise AssertionError('%s\n(in %s) exited %d, expected %d\n--- stdout\n%s--- stderr\n%s' % (
            ' '.join(map(str, args)), cwd or os.getcwd(), p.returncode, rc, p.stdout, p.stderr))
    return p


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        f.write(text)


class ScratchTest(unittest.TestCase):
    """A test with a scratch folder, self.tmp, removed afterwards."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix='tether-it-')
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)


def readme_snippet(name):
    """The fenced code block after `<!-- snippet: NAME -->` in README.md."""
    with open(os.path.join(SOURCE_DIR, 'README.md')) as f:
        text = f.read()
    m = re.search(r'<!-- snippet: %s -->\s*\n```[a-z]*\n(.*?)```' % re.escape(name), text, re.S)
    if not m:
        raise AssertionError('README.md has no snippet %r' % name)
    return m.group(1)
