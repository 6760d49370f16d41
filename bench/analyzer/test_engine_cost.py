#!/usr/bin/env python3
"""Smoke test of engine_cost.py (ctest bench_engine_cost_smoke, a few
seconds): on three fixtures it runs, reads every --stats line, and its
tables say what the runs measured. No timing is judged here (speed targets
live in the benchmark's own output). Usage: test_engine_cost.py TETHER ROOT"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

TETHER = ROOT = None
CUT = 'fixtures/chan-never-closed/leak_n_workers_range_jobs.c'  # 4 workers, unknown job count: over the budget
SMALL = ('fixtures/spawn-no-cancel/leak_recv_never_sent.c', 'fixtures/cancel-not-called/ok_cancel_via_helper.c')


class EngineCost(unittest.TestCase):
    def test_three_files(self):
        with tempfile.TemporaryDirectory(prefix='tether-engine-cost-') as out:
            files = [os.path.join(ROOT, f) for f in SMALL + (CUT,)]
            p = subprocess.run([sys.executable, os.path.join(ROOT, 'bench', 'analyzer', 'engine_cost.py'),
                                '--tether', TETHER, '--include', os.path.join(ROOT, 'runtime', 'include'),
                                '--out', out, '--wait', '0', '--files'] + files, capture_output=True, text=True, timeout=120)
            self.assertEqual(p.returncode, 0, p.stderr)
            with open(os.path.join(out, 'engine.txt')) as f:
                self.assertEqual(f.read(), p.stdout)
            with open(os.path.join(out, 'engine', 'runs.json')) as f:
                runs = json.load(f)
        self.assertEqual(sorted((r['file'], r['frontend']) for r in runs),
                         sorted((f, fe) for f in files for fe in ('clang', 'tree-sitter')))
        for r in runs:
            self.assertIn(r['rc'], (0, 1), r)
            self.assertGreater(r['states'], 1, r)      # each file has a root with a task
            self.assertGreaterEqual(r['roots'], 1, r)
            self.assertGreater(r['rss_mb'], 1, r)
            self.assertGreater(r['parse_ms'], 0, r)
            self.assertLessEqual(r['engine_ms'], r['analysis_ms'] + 0.05, r)
            self.assertEqual(r['cut'], 1 if r['file'].endswith(CUT) else 0, r)
        cut = [r for r in runs if r['file'].endswith(CUT)]
        self.assertTrue(all(r['top_root'] == 'main' and r['top_states'] >= 30000 for r in cut), cut)
        # The table: a row per front end with its targets, the budget-cut
        # file as the worst, and that file first among the costliest.
        lines = p.stdout.splitlines()
        for fe in ('clang', 'tree-sitter'):
            row = next(l for l in lines if l.startswith(fe + ' '))
            self.assertIn('leak_n_workers_range_jobs.c: main', row)
            self.assertIn(' 1/3 ', row)  # one file of three cut by the budget
        self.assertEqual(sum('target engine median <= 20 ms' in l for l in lines), 2, p.stdout)
        top = lines.index(next(l for l in lines if l.startswith('== the 10 costliest files')))
        self.assertIn('leak_n_workers_range_jobs.c', lines[top + 2])
        self.assertIn('main: ', lines[top + 2])


if __name__ == '__main__':
    TETHER = os.path.abspath(sys.argv[1])
    ROOT = os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0], '-v'] + sys.argv[3:])
