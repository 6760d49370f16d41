"""What the CLI end-to-end tests share: running tether, the sample
programs, parsing gcc-style output, a temporary folder per test."""
import os
import re
import subprocess
import tempfile
import unittest

TETHER = None  # set by each test file's main

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

int main(void)
{
    tt_chan *ch = tt_chan_new(sizeof(int), 1);
    int v = 1;
    tt_send(ch, &v);
    tt_recv(ch, &v);
    tt_chan_free(ch);
    return 0;
}
'''

# A send on an unbuffered channel whose receiver gives up: a finding with
# notes and a fix-it (capacity 1).
SEND = r'''#include <tether.h>

static void lookup(void *arg)
{
    tt_chan *ch = arg;
    int value = 42; tt_sleep_ms(50); /* slower than the caller's 20 ms */
    tt_send(ch, &value);
}

int main(void)
{
    tt_chan *ch = tt_chan_new(sizeof(int), 0);
    tt_spawn(lookup, ch);
    int value;
    tt_case cases[] = { TT_RECV(ch, &value), TT_RECV(tt_after(20), NULL) };
    tt_select(cases, 2);
    return 0;
}
'''

DIAG_RE = re.compile(r'^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<kind>warning|note|error): '
                     r'(?P<msg>.*?)(?: \[(?P<rule>[a-z0-9][a-z0-9-]*)\])?\s*$')


def run(args, cwd=None, env=None, timeout=120, tether=None):
    e = dict(os.environ)
    e.pop('NO_COLOR', None)
    if env:
        e.update(env)
    return subprocess.run([tether or TETHER] + args, cwd=cwd, env=e, capture_output=True, text=True,
                          timeout=timeout)


def diags(out, kind='warning'):
    return [m for m in (DIAG_RE.match(l) for l in out.splitlines()) if m and m['kind'] == kind]


class Base(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix='tether-cli-')
        self.dir = os.path.realpath(self.tmp.name)

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, rel, text, mode='w'):
        path = os.path.join(self.dir, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, mode) as f:
            f.write(text)
        return path
