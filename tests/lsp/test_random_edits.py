#!/usr/bin/env python3
"""The language server's reuse (incremental parse, findings moved or kept
from the last analysis) gives exactly what a fresh analysis gives: a
sequence of random edits, each sent as an incremental didChange (some with
several changes, some as the whole text), and after each one the server's
diagnostics and notes are compared with `tether check --fast` on the same
text. Edits: a character typed into or taken out of a comment, blank and
comment lines, statements added to a function body (ones the model does
not hold, ones it does, ones that use the API), lines deleted (which often
breaks the syntax), stray characters, nesting too deep to analyze, and the
original text back.

    test_random_edits.py TETHER [--seed N] [--edits N]"""
import json
import os
import random
import re
import subprocess
import sys
import unittest

import lsptest
from lsptest import LspTest, edit

SEED = int(os.environ.get('TETHER_RANDOM_EDITS_SEED', '0')) or random.SystemRandom().randrange(1, 1 << 30)
EDITS = int(os.environ.get('TETHER_RANDOM_EDITS', '60'))

# Three parts that each have roots of their own: a generated module with a
# task that loops forever, a leaky spawn, and a clean owner; plus helpers
# without the API.
PROGRAM = r'''#include <stdio.h>
#include <tether.h>

/* helpers that do not use the API */
static int count_words(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == ' ';
    return n;
}

static int clamp(int v, int lo, int hi)
{
    if (v < lo)
        return lo;
    return v > hi ? hi : v;
}

static void worker(void *arg)
{
    tt_chan *ch = arg;
    int v;
    tt_recv(ch, &v);
}

int start(void)
{
    tt_chan *ch = tt_chan_new(sizeof(int), 0);
    int n = count_words("a b c");
    (void)n;
    return tt_spawn(worker, ch);
}

static void ticking(void *arg)
{
    tt_ctx *ctx = arg;
    tt_ticker *t = tt_ticker_new(10);
    for (;;) {
        tt_case cs[2] = { TT_RECV(tt_ctx_done(ctx), NULL), TT_RECV(tt_ticker_chan(t), NULL) };
        int r = tt_select(cs, 2);
        if (r == 0)
            break;
    }
    tt_ticker_stop(t);
}

int run_ticking(tt_ctx *parent)
{
    tt_ctx *ctx = tt_ctx_with_cancel(parent);
    int rc = tt_spawn(ticking, ctx);
    tt_sleep_ms(clamp(rc, 1, 5));
    tt_ctx_cancel(ctx);
    return rc;
}

static void flusher(void *arg)
{
    (void)arg;
    for (;;) {
        tt_sleep_ms(100);
        fflush(stdout);
    }
}

int start_flusher(void)
{
    return tt_spawn(flusher, NULL);
}

/* never given a statement (its brace is not on a line of its own): a task
 * that spawns itself runs the engine to its time limit */
static void sink(void *arg) {
    int v;
    tt_recv(arg, &v);
}
'''

STATEMENTS = [
    '    (void)0;',                                   # nothing the model holds
    '    int added = clamp(3, 1, 2); (void)added;',     # a call into the file
    '    tt_sleep_ms(1);',                            # the API, harmlessly
    '    tt_chan *extra = tt_chan_new(sizeof(int), 0); (void)extra;',
    '    tt_chan *lost = tt_chan_new(sizeof(int), 0); tt_spawn(sink, lost);',
]


class Editor:
    """The text as the client holds it, and random edits to it."""

    def __init__(self, rng, text):
        self.rng = rng
        self.text = text
        self.original = text

    def lines(self):
        return self.text.split('\n')

    def _at(self, line, char):
        """Offset of (line, char) in the text (ASCII: UTF-16 = bytes)."""
        ls = self.lines()
        return sum(len(x) + 1 for x in ls[:line]) + char

    def change(self, l0, c0, l1, c1, new):
        """An incremental change, applied here too."""
        b, e = self._at(l0, c0), self._at(l1, c1)
        self.text = self.text[:b] + new + self.text[e:]
        return edit(l0, c0, l1, c1, new)

    def random_change(self):
        """One change (or None for the whole original text); what it was."""
        ls = self.lines()
        kind = self.rng.choice(['comment', 'comment', 'line', 'statement', 'statement', 'statement',
                                'delete', 'stray', 'original'] + (['deep'] if self.rng.random() < 0.2 else []))
        if kind == 'deep':   # nesting past the front ends' limit: the file is refused
            i = self.rng.choice([i for i, x in enumerate(ls) if x == '{']) + 1
            return self.change(i, 0, i, 0, '    (void)(%s0%s);\n' % ('(' * 1001, ')' * 1001)), kind
        if kind == 'comment':
            comments = [i for i, x in enumerate(ls) if '/*' in x]
            if comments:
                i = self.rng.choice(comments)
                c = ls[i].index('/*') + 2
                if ls[i][c:c + 1] == 'x':
                    return self.change(i, c, i, c + 1, ''), kind
                return self.change(i, c, i, c, 'x'), kind
            kind = 'line'
        if kind == 'line':
            i = self.rng.randrange(len(ls))
            return self.change(i, 0, i, 0, self.rng.choice(['\n', '// note\n', '\n\n'])), kind
        if kind == 'statement':
            bodies = [i for i, x in enumerate(ls) if x == '{']
            i = self.rng.choice(bodies) + 1
            return self.change(i, 0, i, 0, self.rng.choice(STATEMENTS) + '\n'), kind
        if kind == 'delete':
            i = self.rng.randrange(len(ls) - 1)
            return self.change(i, 0, i + 1, 0, ''), kind
        if kind == 'stray':
            i = self.rng.randrange(len(ls))
            c = self.rng.randrange(len(ls[i]) + 1)
            return self.change(i, c, i, c, self.rng.choice(['{', ')', ';', '@', '/*', 'x'])), kind
        self.text = self.original
        return None, kind


# A problem line of the server's window/logMessage: "prog.c:3:1: error: ...".
PROBLEM = re.compile(r': (error|warning|note): (.*)$')


def lsp_view(diags):
    """The server's diagnostics, as comparable tuples (1-based columns)."""
    out = []
    for d in diags:
        r = d['range']
        notes = tuple((n['message'], n['location']['range']['start']['line'] + 1,
                       n['location']['range']['start']['character'] + 1)
                      for n in d.get('relatedInformation', []))
        out.append((d['code'], d['message'], r['start']['line'] + 1, r['start']['character'] + 1,
                    r['end']['line'] + 1, r['end']['character'] + 1, notes))
    return sorted(out)


def check_view(findings):
    out = []
    for f in findings:
        r = f['range']
        notes = tuple((n['message'], n['range']['start']['line'], n['range']['start']['column'])
                      for n in f['notes'])
        out.append((f['rule'], f['message'], r['start']['line'], r['start']['column'], r['end']['line'],
                    r['end']['column'], notes))
    return sorted(out)


BUDGET = re.compile(r'stopped at its budget \((\d+) states\)')


def clock_cut(a, b):
    """Whether the two runs' problems differ only in a budget note's count
    of states: the engine's state budget gives the same count on the same
    model every time, so one of them was cut by its time limit (a safety
    net for a machine under load), which has no fixed answer."""
    if a == b or len(a) != len(b):
        return False
    return all(x == y or (BUDGET.search(x[1]) and BUDGET.sub('', x[1]) == BUDGET.sub('', y[1]))
               for x, y in zip(a, b))


class RandomEdits(LspTest):
    def fresh(self, path, text):
        """`tether check --fast` of text at path: findings and note texts."""
        with open(path, 'w') as f:
            f.write(text)
        p = subprocess.run([lsptest.TETHER, 'check', '--fast', '--format=json', os.path.basename(path)],
                           cwd=os.path.dirname(path), capture_output=True, text=True, timeout=300)
        self.assertIn(p.returncode, (0, 1, 2), p.stderr)   # 2: syntax errors that may hide something
        out = json.loads(p.stdout)
        problems = sorted((x['level'], x['message'] + (' (%s)' % x['hint'] if x.get('hint') else ''))
                          for x in out['problems'])
        return check_view(out['findings']), problems

    def test_random_edits_match_a_fresh_analysis(self):
        rng = random.Random(SEED)
        c = self.client({'debounceMs': 0, 'frontend': 'tree-sitter'})
        path = self.write('prog.c', PROGRAM)
        uri = c.open(path, PROGRAM, 1)
        c.diagnostics(uri, 1, timeout=120)
        ed = Editor(rng, PROGRAM)
        kinds = {}
        compared = clocked = 0
        for v in range(2, EDITS + 2):
            n = 1 if rng.random() < 0.8 else rng.randrange(2, 4)
            changes, what = [], []
            for _ in range(n):
                ch, kind = ed.random_change()
                changes.append(ch if ch else {'text': ed.text})
                what.append(kind)
            kinds.update({k: kinds.get(k, 0) + 1 for k in what})
            c.seen.clear()
            c.change(uri, v, changes)
            got = c.diagnostics(uri, v, timeout=120)
            logs = [m['params']['message'] for m in c.seen if m.get('method') == 'window/logMessage']
            server_problems = sorted(m.groups() for msg in logs for line in msg.split('\n')
                                     for m in [PROBLEM.search(line)] if m)
            want, want_problems = self.fresh(path, ed.text)
            ctx = 'seed %d, version %d, edits %s; text:\n%s' % (SEED, v, what, ed.text)
            if clock_cut(server_problems, want_problems):
                clocked += 1   # the engine's time limit, not its state budget: no fixed answer
                continue
            self.assertEqual(lsp_view(got['diagnostics']), want, ctx)
            self.assertEqual(server_problems, want_problems, ctx)
            compared += 1
        print('%d versions compared, %d cut by the clock; edits: %s' % (compared, clocked, kinds), file=sys.stderr)
        self.assertGreaterEqual(compared, EDITS * 3 // 4, '%d versions cut by the clock' % clocked)
        # the sequence covered what it is meant to
        for k in ('comment', 'statement', 'delete'):
            self.assertGreater(kinds.get(k, 0), 0, kinds)


if __name__ == '__main__':
    print('seed %d (TETHER_RANDOM_EDITS_SEED to repeat)' % SEED, file=sys.stderr)
    lsptest.main()
