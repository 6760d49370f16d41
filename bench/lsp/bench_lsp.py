#!/usr/bin/env python3
"""bench/lsp: how fast `tether lsp` answers an edit, and whether its memory
stays flat.

For files of about 500, 5,000 and 50,000 lines (modules of
bench/analyzer/gen_corpus.py put end to end, leaks included), it opens the
file in a fresh server (debounceMs 0, so the time measured is the server's
own: the default debounce of 150 ms comes on top while typing), then makes
EDITS edits one after the other, each an incremental change that types or
removes one character in a comment in the middle of the file (the model
stays as it was); on the 5,000-line file also MODEL_EDITS edits that change
the model, each kind a row: a statement added to (and taken out of) a
helper without the API (a call to another function of its module), and
one added to a function with the API (tt_sleep_ms). It measures
the time from writing the didChange to reading the publishDiagnostics of
that version (the tree-sitter front end on the unsaved text, the rules,
the diagnostics' conversion, the pipe both ways). It prints the median and
95th percentile per size, and the server's mean CPU time per edit (user
and system, from /proc: less inflated by other work on the machine than
the latency). Then, on the 5,000-line file, it makes 10,000
more edits, each waited for, and reports the server's resident memory
before and after.

    bench/lsp/bench_lsp.py [--tether build/analyzer/cli/tether] [--edits 300] [--model-edits 100]

Writes the table to bench/out/lsp.txt too. Never run by ctest (a benchmark:
the machine's load changes the numbers)."""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'lsp'))
from lspclient import Client, edit  # noqa: E402

TARGET_P95_MS = 20.0   # at 5,000 lines


def make_file(tmp, lines):
    """About `lines` lines of realistic modules, as one file."""
    gen = os.path.join(tmp, 'gen')
    shutil.rmtree(gen, ignore_errors=True)
    n = max(1, lines // 340 + 1)
    subprocess.run([sys.executable, os.path.join(ROOT, 'bench', 'analyzer', 'gen_corpus.py'), gen, str(n)],
                   check=True, capture_output=True)
    text = ''
    for name in sorted(os.listdir(gen)):
        if name.endswith('.c'):
            with open(os.path.join(gen, name)) as f:
                text += f.read()
            if text.count('\n') >= lines:
                break
    body = text.split('\n')[:lines]
    mid = len(body) // 2
    body.insert(mid, '/* edit: */')
    path = os.path.join(tmp, 'big_%d.c' % lines)
    with open(path, 'w') as f:
        f.write('\n'.join(body) + '\n')
    return path, mid


def comment_edit(line):
    """A character typed into the comment `/* edit: */` (i even) or taken
    out again: the comment stays a comment."""
    return lambda i: edit(line, 9, line, 9, 'x') if i % 2 == 0 else edit(line, 9, line, 10, '')


def statement_edit(brace, stmt):
    """A statement added after the function's opening brace (i even) or
    taken out again: the model changes."""
    return lambda i: (edit(brace + 1, 0, brace + 1, 0, stmt + '\n') if i % 2 == 0
                      else edit(brace + 1, 0, brace + 2, 0, ''))


def function_after(path, mid, pattern):
    """The line (0-based) of the opening brace of the first function after
    line mid whose header matches pattern, and its name's module prefix."""
    with open(path) as f:
        lines = f.read().split('\n')
    for i in range(mid, len(lines) - 1):
        m = re.match(pattern, lines[i])
        if m and lines[i + 1] == '{':
            return i + 1, m.group(1)
    raise SystemExit('bench: no function matching %r after line %d' % (pattern, mid))


def edits(c, uri, make, first, count):
    """count edits (make(i): the i-th change) from version first on, each
    waited for; the latencies (ms). Each odd edit undoes the one before, so
    an even count leaves the text as it was."""
    assert count % 2 == 0
    out = []
    for v in range(first, first + count):
        change = make(v - first)
        t0 = time.monotonic()
        c.change(uri, v, [change])
        m = c.wait_for(lambda m: m.get('method') == 'textDocument/publishDiagnostics'
                       and m['params'].get('version') == v, 120, 'version %d' % v)
        out.append((m['_t'] - t0) * 1000)
        edits.findings = len(m['params']['diagnostics'])
        c.seen.clear()
    return out


def cpu_ms(c):
    """The server's CPU time so far (user + system), in ms: a cost the
    machine's load does not inflate as much as it does the latency."""
    with open('/proc/%d/stat' % c.proc.pid) as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000.0 / os.sysconf('SC_CLK_TCK')


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--tether', default=os.path.join(ROOT, 'build', 'analyzer', 'cli', 'tether'))
    ap.add_argument('--edits', type=int, default=300)
    ap.add_argument('--memory-edits', type=int, default=10000)
    ap.add_argument('--sizes', type=int, nargs='+', default=[500, 5000, 50000], help='file sizes in lines')
    ap.add_argument('--model-edits', type=int, default=100, help='edits that change the model, per kind')
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix='tether-bench-lsp-')
    rows = []
    memory = None
    try:
        for lines in args.sizes:
            path, mid = make_file(tmp, lines)
            c = Client(args.tether)
            c.initialize({'tether': {'debounceMs': 0}})
            with open(path) as f:
                uri = c.open(path, f.read(), 1)
            c.diagnostics(uri, 1, timeout=300)
            n = max(20, args.edits if lines < 50000 else args.edits // 3) // 2 * 2
            kinds = [('comment', comment_edit(mid), n)]
            if lines == 5000:
                # a helper without the API gets a call to another function of
                # its module; a function with the API gets one more operation
                brace, mod = function_after(path, mid, r'static void (\w+)_lower\(char \*s\)$')
                kinds.append(('statement, no API', statement_edit(brace, '    (void)%s_hash(s);' % mod),
                              args.model_edits // 2 * 2))
                brace, _ = function_after(path, mid, r'int (\w+)_poll\(')
                kinds.append(('statement, API', statement_edit(brace, '    tt_sleep_ms(1);'),
                              args.model_edits // 2 * 2))
            version = 2
            for kind, make, count in kinds:
                edits(c, uri, make, version, 10)           # warm up
                cpu0 = cpu_ms(c)
                lat = edits(c, uri, make, version + 10, count)
                cpu = (cpu_ms(c) - cpu0) / count
                version += 10 + count
                rows.append((lines, kind, edits.findings, count, statistics.median(lat), pct(lat, 95),
                             max(lat), cpu))
                print('%6d lines, %s: median %.1f ms, p95 %.1f ms' % (lines, kind, rows[-1][4], rows[-1][5]),
                      flush=True)
            if lines == 5000:
                before = c.rss_kib()
                edits(c, uri, comment_edit(mid), version, args.memory_edits // 2 * 2)
                after = c.rss_kib()
                memory = (before, after)
            c.shutdown(timeout=60)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    out = ['| lines | edit | findings | edits | median (ms) | p95 (ms) | max (ms) | server CPU per edit (ms) |',
           '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |']
    for r in rows:
        out.append('| %d | %s | %d | %d | %.1f | %.1f | %.1f | %.1f |' % r)
    out.append('')
    for r in rows:
        if r[0] == 5000 and r[1] == 'comment' or r[0] == 5000 and args.model_edits:
            out.append('p95 at 5,000 lines, %s: %.1f ms (target under %.0f ms: %s)'
                       % (r[1], r[5], TARGET_P95_MS, 'PASS' if r[5] < TARGET_P95_MS else 'MISS'))
    if memory:
        out.append('resident memory at 5,000 lines: %d KiB before, %d KiB after %d more edits (%+d KiB)'
                   % (memory[0], memory[1], args.memory_edits, memory[1] - memory[0]))
    out.append('load average at the end: %s' % ' '.join(open('/proc/loadavg').read().split()[:3]))
    text = '\n'.join(out)
    print(text)
    os.makedirs(os.path.join(ROOT, 'bench', 'out'), exist_ok=True)
    with open(os.path.join(ROOT, 'bench', 'out', 'lsp.txt'), 'w') as f:
        f.write(text + '\n')


if __name__ == '__main__':
    main()
