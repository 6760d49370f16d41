#!/usr/bin/env python3
"""bench/lsp: how fast `tether lsp` answers an edit, and whether its memory
stays flat.

For files of about 500, 5,000 and 50,000 lines (modules of
bench/analyzer/gen_corpus.py put end to end, leaks included), it opens the
file in a fresh server (debounceMs 0, so the time measured is the server's
own: the default debounce of 150 ms comes on top while typing), then makes
EDITS edits one after the other, each an incremental change that types or
removes one character in a comment in the middle of the file, and measures
the time from writing the didChange to reading the publishDiagnostics of
that version (the tree-sitter front end on the unsaved text, the rules,
the diagnostics' conversion, the pipe both ways). It prints the median and
95th percentile per size. Then, on the 5,000-line file, it makes 10,000
more edits, each waited for, and reports the server's resident memory
before and after.

    bench/lsp/bench_lsp.py [--tether build/analyzer/cli/tether] [--edits 300]

Writes the table to bench/out/lsp.txt too. Never run by ctest (a benchmark:
the machine's load changes the numbers)."""
import argparse
import os
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


def edits(c, uri, line, first, count):
    """count edits from version first on, each waited for; the latencies (ms)."""
    out = []
    for v in range(first, first + count):
        change = edit(line, 9, line, 9, 'x') if v % 2 else edit(line, 9, line, 10, '')
        t0 = time.monotonic()
        c.change(uri, v, [change])
        m = c.wait_for(lambda m: m.get('method') == 'textDocument/publishDiagnostics'
                       and m['params'].get('version') == v, 120, 'version %d' % v)
        out.append((m['_t'] - t0) * 1000)
        c.seen.clear()
    return out


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--tether', default=os.path.join(ROOT, 'build', 'analyzer', 'cli', 'tether'))
    ap.add_argument('--edits', type=int, default=300)
    ap.add_argument('--memory-edits', type=int, default=10000)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix='tether-bench-lsp-')
    rows = []
    memory = None
    try:
        for lines in (500, 5000, 50000):
            path, mid = make_file(tmp, lines)
            c = Client(args.tether)
            c.initialize({'tether': {'debounceMs': 0}})
            with open(path) as f:
                uri = c.open(path, f.read(), 1)
            first = c.diagnostics(uri, 1, timeout=300)
            n = max(20, args.edits if lines < 50000 else args.edits // 3)
            edits(c, uri, mid, 2, 10)                  # warm up
            lat = edits(c, uri, mid, 12, n)
            rows.append((lines, len(first['diagnostics']), n, statistics.median(lat), pct(lat, 95), max(lat)))
            print('%6d lines: median %.1f ms, p95 %.1f ms' % (lines, rows[-1][3], rows[-1][4]), flush=True)
            if lines == 5000:
                before = c.rss_kib()
                edits(c, uri, mid, 12 + n, args.memory_edits)
                after = c.rss_kib()
                memory = (before, after)
            c.shutdown(timeout=60)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    out = ['| lines | findings | edits | median (ms) | p95 (ms) | max (ms) |',
           '| ---: | ---: | ---: | ---: | ---: | ---: |']
    for r in rows:
        out.append('| %d | %d | %d | %.1f | %.1f | %.1f |' % r)
    p95_5k = [r[4] for r in rows if r[0] == 5000][0]
    out.append('')
    out.append('p95 at 5,000 lines: %.1f ms (target under %.0f ms: %s)'
               % (p95_5k, TARGET_P95_MS, 'PASS' if p95_5k < TARGET_P95_MS else 'MISS'))
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
