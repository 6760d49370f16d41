#!/usr/bin/env python3
"""The exploration engine's cost per file, beside the parse, for both front ends.

Runs `tether check --stats FILE` once per file and front end, each in its own
process (peak RSS from os.wait4 of that process), and reads the engine's
figures from the --stats line (time in eng_run, states, roots, roots cut by
the budget, the costliest root). Input sets:

- corpus: every cases/*/leaky.c and fixed.c of the shared real-world corpus;
- gen-N: a generated corpus (gen_corpus.py, N modules);
- cat: the first 1, 2, 4, ... generated modules put end to end in one file,
  to show how the engine grows with the size of a file (each also run with
  TETHER_ENGINE_DEBUG=1 for the time of every root);
- files: the files named with --files (for a quick look, or the smoke test).

Prints a table per set and the costliest files, and writes them to
OUT/engine.txt (raw figures: OUT/engine/runs.json). Never run in CI.

    engine_cost.py --tether T --include runtime/include --out bench/out \\
        [--corpus /work/shared/corpus] [--gen 100] [--cat 1,2,4,8,16,32,64] [--files F ...]
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
FRONTENDS = ("clang", "tree-sitter")
# The targets, per file: engine time (median and worst over a set), peak RSS.
TARGET_MEDIAN_MS = 20.0
TARGET_WORST_MS = 1000.0
TARGET_RSS_MB = 100.0

STATS_RE = re.compile(r"parse ([\d.]+) ms \+ model ([\d.]+) ms \+ analysis ([\d.]+) ms")
ENGINE_RE = re.compile(r"; engine ([\d.]+) ms of the analysis: (\d+) states, (\d+) roots \((\d+) cut by the "
                       r"budget\)(?:, costliest root (.+): (\w+) \(([\d.]+) ms, (\d+) states\))?")
ROOT_RE = re.compile(r"^root (\w+): (\d+) states, (\d+) edges, ([\d.]+) ms( \(budget hit\))?$", re.M)


def note(msg):
    sys.stderr.write("engine_cost: %s\n" % msg)
    sys.stderr.flush()


def run_tether(tether, path, frontend, cflags, debug=False):
    """One `tether check --stats` of one file in its own process: its figures."""
    cmd = [tether, "check", "--stats", "--no-color", "--frontend=" + frontend, path, "--"] + cflags
    env = dict(os.environ)
    env.pop("TETHER_VERIFY", None)
    if debug:
        env["TETHER_ENGINE_DEBUG"] = "1"
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        _, status, ru = os.wait4(p.pid, 0)  # this child's own peak RSS, not all children's
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode(errors="replace")
    r = {"file": path, "frontend": frontend, "rc": p.returncode, "wall_ms": wall * 1e3,
         "rss_mb": ru.ru_maxrss / 1024.0}
    m = STATS_RE.search(stderr)
    e = ENGINE_RE.search(stderr)
    if not m or not e:
        r["error"] = (stderr.strip().splitlines() or ["no output"])[-1][:200]
        return r
    r.update(parse_ms=float(m[1]), model_ms=float(m[2]), analysis_ms=float(m[3]), engine_ms=float(e[1]),
             states=int(e[2]), roots=int(e[3]), cut=int(e[4]), top_root=e[6] or "-",
             top_ms=float(e[7]) if e[7] else 0.0, top_states=int(e[8]) if e[8] else 0)
    if debug:
        r["per_root"] = [{"root": n, "states": int(s), "ms": float(ms), "cut": bool(c)}
                         for n, s, _, ms, c in ROOT_RE.findall(stderr)]
    return r


def cpu_ticks():
    """(busy, idle) jiffies of the whole machine, from /proc/stat (None elsewhere)."""
    try:
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    return v[0] + v[1] + v[2] + v[5] + v[6], v[3] + v[4]


def busy_pct(t0, t1):
    if not t0 or not t1 or (t1[0] - t0[0]) + (t1[1] - t0[1]) <= 0:
        return float("nan")
    return 100.0 * (t1[0] - t0[0]) / ((t1[0] - t0[0]) + (t1[1] - t0[1]))


def wait_for_idle(limit_s=30, busy=15.0):
    """Waits up to limit_s for the machine to be less than `busy` % busy (a
    shared machine: other work inflates every wall time here)."""
    for i in range(limit_s):
        t0 = cpu_ticks()
        time.sleep(1)
        pct_now = busy_pct(t0, cpu_ticks())
        if not pct_now > busy:  # also when /proc/stat cannot be read
            return
        if i == 0:
            note("CPU %.0f%% busy; waiting up to %d s for it to calm down" % (pct_now, limit_s))


def lines_of(path):
    with open(path, "rb") as f:
        return f.read().count(b"\n")


# ---- inputs -------------------------------------------------------------------

def corpus_files(corpus):
    cases = os.path.join(corpus, "cases")
    out = []
    for case in sorted(os.listdir(cases)):
        for name in ("leaky.c", "fixed.c"):
            p = os.path.join(cases, case, name)
            if os.path.isfile(p):
                out.append(p)
    return out


def gen_files(work, n):
    d = os.path.join(work, "gen-%d" % n)
    subprocess.run([sys.executable, os.path.join(HERE, "gen_corpus.py"), d, str(n)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(".c"))


def cat_files(work, modules, counts):
    """The first k modules end to end, for each k (each module's names are its own)."""
    out = []
    for k in counts:
        p = os.path.join(work, "cat-%03d.c" % k)
        with open(p, "w") as f:
            for m in modules[:k]:
                with open(m) as src:
                    f.write(src.read())
        out.append(p)
    return out


# ---- figures ------------------------------------------------------------------

def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))]


def short(path, base):
    return os.path.relpath(path, base) if base else os.path.basename(path)


def verdict(ok):
    return "PASS" if ok else "MISS"


def set_table(name, runs, base, load):
    """One input set: a row per front end, then the targets."""
    nfiles = len({r["file"] for r in runs})
    out = ["== %s: %d file%s (1-min load average %.1f before, %.1f after; CPU %.0f%% busy meanwhile) ==" % (
        name, nfiles, "" if nfiles == 1 else "s", load[0], load[1], load[2])]
    out.append("%-12s %8s %8s %9s  %-40s %15s %7s %13s %9s %9s" % (
        "front end", "eng med", "eng p90", "eng worst", "worst file: costliest root", "states med/max",
        "cut", "RSS MB med/max", "parse med", "wall med"))
    for fe in FRONTENDS:
        rs = [r for r in runs if r["frontend"] == fe]
        ok = [r for r in rs if "engine_ms" in r]
        if not rs:
            continue
        bad = len(rs) - len(ok)
        if not ok:
            out.append("%-12s no --stats line from any run (%s)" % (fe, rs[0].get("error", "?")))
            continue
        eng = [r["engine_ms"] for r in ok]
        worst = max(ok, key=lambda r: r["engine_ms"])
        rss = [r["rss_mb"] for r in rs]
        out.append("%-12s %8.2f %8.2f %9.1f  %-40s %7d/%-7d %7s %6.1f/%-6.1f %9.1f %9.1f" % (
            fe, statistics.median(eng), pct(eng, 90), worst["engine_ms"],
            "%s: %s" % (short(worst["file"], base), worst["top_root"]),
            statistics.median(r["states"] for r in ok), max(r["states"] for r in ok),
            "%d/%d" % (sum(1 for r in ok if r["cut"]), len(ok)), statistics.median(rss), max(rss),
            statistics.median(r["parse_ms"] for r in ok), statistics.median(r["wall_ms"] for r in ok)))
        if bad:
            out.append("%-12s %d run%s gave no --stats line (first: %s)" % (
                "", bad, "" if bad == 1 else "s", next(r for r in rs if "error" in r)["error"]))
        failed = sum(1 for r in rs if r["rc"] not in (0, 1))
        out.append("%-12s target engine median <= %.0f ms: %.2f ms %s; worst <= %.0f ms: %.1f ms %s "
                   "(%s, %d states); peak RSS <= %.0f MB: %.1f MB %s%s" % (
                       "", TARGET_MEDIAN_MS, statistics.median(eng), verdict(statistics.median(eng) <= TARGET_MEDIAN_MS),
                       TARGET_WORST_MS, worst["engine_ms"], verdict(worst["engine_ms"] <= TARGET_WORST_MS),
                       worst["top_root"], worst["top_states"], TARGET_RSS_MB, max(rss),
                       verdict(max(rss) <= TARGET_RSS_MB),
                       "; %d run%s exited 2 or worse" % (failed, "" if failed == 1 else "s") if failed else ""))
    return out


def cat_table(runs, load):
    """The concatenations: how the engine grows with the size of one file."""
    out = ["== one file of k generated modules end to end (1-min load average %.1f before, %.1f after; "
           "CPU %.0f%% busy meanwhile) ==" % load]
    out.append("%-12s %4s %6s %6s %8s %5s %10s %10s  %-38s %8s %9s %7s" % (
        "front end", "k", "lines", "roots", "states", "cut", "engine ms", "in cut", "costliest root (ms, states)",
        "ms/line", "parse ms", "RSS MB"))
    for fe in FRONTENDS:
        for r in sorted((r for r in runs if r["frontend"] == fe), key=lambda r: r["lines"]):
            if "engine_ms" not in r:
                out.append("%-12s %4d %6d  no --stats line: %s" % (fe, r["k"], r["lines"], r.get("error")))
                continue
            in_cut = sum(x["ms"] for x in r.get("per_root", []) if x["cut"])
            out.append("%-12s %4d %6d %6d %8d %5d %10.1f %10.1f  %-38s %8.3f %9.1f %7.1f" % (
                fe, r["k"], r["lines"], r["roots"], r["states"], r["cut"], r["engine_ms"], in_cut,
                "%s (%.0f, %d)" % (r["top_root"], r["top_ms"], r["top_states"]), r["engine_ms"] / max(r["lines"], 1),
                r["parse_ms"], r["rss_mb"]))
    out.append("'in cut': engine ms spent in roots whose exploration stopped at the budget "
               "(from TETHER_ENGINE_DEBUG's per-root lines)")
    return out


def costliest(all_runs, n, bases):
    rows = sorted((r for r in all_runs if "engine_ms" in r), key=lambda r: -r["engine_ms"])[:n]
    out = ["== the %d costliest files (engine ms, any set, either front end) ==" % n]
    out.append("%-10s %-12s %-40s %10s %8s %6s %5s  %s" % (
        "set", "front end", "file", "engine ms", "states", "roots", "cut", "costliest root: ms, states"))
    for r in rows:
        out.append("%-10s %-12s %-40s %10.1f %8d %6d %5d  %s: %.1f ms, %d states" % (
            r["set"], r["frontend"], short(r["file"], bases.get(r["set"])), r["engine_ms"], r["states"],
            r["roots"], r["cut"], r["top_root"], r["top_ms"], r["top_states"]))
    return out


# ---- main ---------------------------------------------------------------------

def measure(label, files, tether, cflags, wait_s, debug=False):
    """Every file with both front ends; the runs and (1-min load before,
    after, % of the machine's CPU busy meanwhile: ours alone is one core)."""
    runs = []
    wait_for_idle(wait_s)
    load0 = os.getloadavg()[0]
    ticks0 = cpu_ticks()
    t0 = time.time()
    for i, f in enumerate(files):
        for fe in FRONTENDS:
            r = run_tether(tether, f, fe, cflags, debug)
            r["set"] = label
            runs.append(r)
        if (i + 1) % 20 == 0:
            note("%s: %d/%d files (%.0f s)" % (label, i + 1, len(files), time.time() - t0))
    return runs, (load0, os.getloadavg()[0], busy_pct(ticks0, cpu_ticks()))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tether", required=True)
    ap.add_argument("--include", required=True, help="where tether.h is")
    ap.add_argument("--out", required=True, help="engine.txt goes here, the inputs and raw figures in OUT/engine/")
    ap.add_argument("--corpus", help="the shared real-world corpus (its cases/ folder is read)")
    ap.add_argument("--gen", type=int, default=0, help="modules in the generated corpus (0: none)")
    ap.add_argument("--cat", default="", help="comma-separated module counts for the concatenations")
    ap.add_argument("--files", nargs="*", default=[], help="more files, as a set of their own")
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--wait", type=int, default=30, help="seconds to wait at most for an idle CPU before each set")
    a = ap.parse_args()
    tether = os.path.abspath(a.tether)
    cflags = ["-std=c11", "-I" + os.path.abspath(a.include)]
    work = os.path.join(a.out, "engine")
    os.makedirs(work, exist_ok=True)
    t0 = time.time()
    lines = ["tether engine cost per file — %s, %d cores; one `tether check --stats FILE` process per file "
             "and front end" % (time.strftime("%Y-%m-%d %H:%M"), os.cpu_count()),
             "eng = time in eng_run (ms); cut = files (or roots) whose exploration stopped at the budget "
             "(30,000 states per root, 20 s per file); RSS = the process's peak (libclang included); "
             "parse = the front end's parse (ms); CPU busy: the whole machine's, %d cores (this benchmark alone "
             "keeps one busy: %.0f%%)" % (os.cpu_count(), 100.0 / (os.cpu_count() or 1)), ""]
    all_runs = []
    bases = {}
    sets = []
    if a.corpus:
        files = corpus_files(a.corpus)
        bases["corpus"] = os.path.join(a.corpus, "cases")
        sets.append(("corpus", "shared corpus (%s: %d leaky.c + %d fixed.c)" % (
            bases["corpus"], sum(f.endswith("leaky.c") for f in files), sum(f.endswith("fixed.c") for f in files)),
            files))
    gen = []
    if a.gen or a.cat:
        gen = gen_files(work, max(a.gen, max((int(k) for k in a.cat.split(",") if k), default=0)))
    if a.gen:
        bases["gen"] = os.path.join(work, "gen-%d" % len(gen))
        sets.append(("gen", "generated corpus (gen_corpus.py, %d modules)" % a.gen, gen[:a.gen]))
    if a.files:
        sets.append(("files", "files given", [os.path.abspath(f) for f in a.files]))
    for key, title, files in sets:
        note("%s: %d files x %d front ends" % (key, len(files), len(FRONTENDS)))
        runs, load = measure(key, files, tether, cflags, a.wait)
        all_runs += runs
        lines += set_table(title, runs, bases.get(key), load) + [""]
    if a.cat:
        counts = [int(k) for k in a.cat.split(",") if k]
        cats = cat_files(work, gen, counts)
        note("cat: %d files x %d front ends" % (len(cats), len(FRONTENDS)))
        runs, load = measure("cat", cats, tether, cflags, a.wait, debug=True)
        for r in runs:
            r["lines"] = lines_of(r["file"])
            r["k"] = int(re.search(r"cat-(\d+)\.c$", r["file"])[1])
        all_runs += runs
        lines += cat_table(runs, load) + [""]
    lines += costliest(all_runs, a.top, bases)
    lines += ["", "total: %.0f s" % (time.time() - t0)]
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    with open(os.path.join(a.out, "engine.txt"), "w") as f:
        f.write(text)
    with open(os.path.join(work, "runs.json"), "w") as f:
        json.dump(all_runs, f, indent=1)
    # A run the figures depend on that crashed is a failed benchmark.
    return 1 if any(r["rc"] not in (0, 1, 2) or "engine_ms" not in r for r in all_runs) else 0


if __name__ == "__main__":
    sys.exit(main())
