#!/usr/bin/env python3
"""Times the analyzer against its baselines and prints the tables (driven by bench/analyzer/run).

Every command is a fresh process under /usr/bin/time -f %M (peak RSS); wall
time is taken around it, user+sys CPU from getrusage of the children. Cheap commands get one warm-up run and three
timed runs (median); costly ones fewer, as the table says. The per-file
clang and clang-tidy loops run on a stride sample when a corpus is larger
than --sample files and are extrapolated linearly (marked "extrap.").
"""

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time

CHEAP_S = 2.0     # below this, a warm-up run is discarded, then 3 timed runs
COSTLY_S = 20.0   # above this, the first run is the only one
TIDY_CHECKS = "-*,misc-definitions-in-headers"


def note(msg):
    sys.stderr.write("bench: %s\n" % msg)
    sys.stderr.flush()


def run_once(cmd, cwd):
    """Runs cmd; returns wall s, cpu s, peak RSS KiB, exit code, stdout, stderr."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        full = ["/usr/bin/time", "-o", tf.name, "-f", "%M"] + cmd
        ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        p = subprocess.run(full, cwd=cwd, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, errors="replace")
        wall = time.perf_counter() - t0
        ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        fields = tf.read().split()
    # CPU from getrusage (microseconds; GNU time's %U/%S round to 10 ms). GNU
    # time writes "Command exited with non-zero status N" first when rc != 0.
    cpu = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    return {"wall": wall, "cpu": cpu, "rss": int(fields[-1]), "rc": p.returncode,
            "stdout": p.stdout, "stderr": p.stderr}


def timed(label, cmd, cwd):
    """Median wall/cpu over a few runs of cmd (see CHEAP_S, COSTLY_S)."""
    first = run_once(cmd, cwd)
    if first["wall"] < CHEAP_S:
        runs = [run_once(cmd, cwd) for _ in range(3)]
    elif first["wall"] < COSTLY_S:
        runs = [first] + [run_once(cmd, cwd) for _ in range(2)]
    else:
        runs = [first]
    walls = [r["wall"] for r in runs]
    med = statistics.median(walls)
    mid = min(runs, key=lambda r: abs(r["wall"] - med))
    res = {"wall": med, "cpu": statistics.median(r["cpu"] for r in runs),
           "rss": max(r["rss"] for r in runs), "n": len(runs),
           "spread": max(walls) / max(min(walls), 1e-9), "rc": mid["rc"],
           "stdout": mid["stdout"], "stderr": mid["stderr"], "runs": runs}
    note("%-34s %9.1f ms wall %9.1f ms cpu  (n=%d, rc=%d)"
         % (label, med * 1e3, res["cpu"] * 1e3, len(runs), mid["rc"]))
    return res


# ---- tether output -----------------------------------------------------------

# "rules" in older tethers' --stats, "analysis" (rules and engine) since the driver.
STAT_RE = re.compile(r"\b(parse|model|rules?|analysis)\b[^0-9\n]*?([0-9]+(?:\.[0-9]+)?)\s*ms", re.I)


def parse_stats(stderr):
    """The --stats split as {'parse': ms, 'model': ms, 'rules': ms} (missing keys absent)."""
    found = {}
    for key, val in STAT_RE.findall(stderr):
        key = key.lower()
        key = "rules" if key.startswith("rule") or key == "analysis" else key
        found.setdefault(key, float(val))
    return found


def median_stats(res):
    per_run = [parse_stats(r["stderr"]) for r in res["runs"]]
    keys = set().union(*per_run) if per_run else set()
    return {k: statistics.median(s[k] for s in per_run if k in s) for k in keys}


DIAG_RE = re.compile(r"^(.+?):(\d+):(?:\d+:)? warning: .*\[([a-z0-9-]+)\]\s*$", re.M)


def findings(stdout):
    return [(os.path.basename(f), int(line), rule) for f, line, rule in DIAG_RE.findall(stdout)]


def check_findings(stdout, expected_path):
    """'found F; planted P, reported R' for a corpus with expected.tsv."""
    got = findings(stdout)
    if not os.path.exists(expected_path):
        return "%d warnings" % len(got)
    planted = []
    with open(expected_path) as f:
        for row in f:
            name, line, rule = row.rstrip("\n").split("\t")
            planted.append((name, int(line), rule))
    got_fr = {(f, r) for f, _, r in got}
    hit = sum(1 for f, _, r in planted if (f, r) in got_fr)
    planted_fr = {(f, r) for f, _, r in planted}
    extra = sum(1 for f, _, r in got if (f, r) not in planted_fr)
    return ("%d warnings: %d/%d planted leaks reported; %d not planted (false positives: "
            "the generated code is clean there)" % (len(got), hit, len(planted), extra))


# ---- one input set -----------------------------------------------------------

def sample(files, k):
    if len(files) <= k:
        return files
    step = len(files) / k
    return [files[int(i * step)] for i in range(k)]


def measure_set(name, cwd, files, a, parallel, big_real):
    """Times every tool on files (relative to cwd); returns rows and facts."""
    inc = os.path.abspath(a.include)
    cflags = ["-std=c11", "-I" + inc]
    n = len(files)
    rows = {}
    facts = {"n": n, "bytes": sum(os.path.getsize(os.path.join(cwd, f)) for f in files),
             "largest": max(os.path.getsize(os.path.join(cwd, f)) for f in files)}

    tether = os.path.abspath(a.tether)
    rows["tether"] = timed(name + " tether clang", [tether, "check", "--stats"] + files
                           + ["--"] + cflags, cwd)
    rows["tether"]["stats"] = median_stats(rows["tether"])
    if parallel:  # the same on one thread, to compare per core with the clang loop
        rows["tether1"] = timed(name + " tether clang -j1", [tether, "check", "--stats", "-j1"]
                                + files + ["--"] + cflags, cwd)
        rows["tether1"]["stats"] = median_stats(rows["tether1"])
    rows["ts"] = timed(name + " tether tree-sitter",
                       [tether, "check", "--stats", "--frontend=tree-sitter"] + files
                       + ["--"] + cflags, cwd)
    rows["ts"]["stats"] = median_stats(rows["ts"])
    rows["floor"] = timed(name + " ts_parse floor", [os.path.abspath(a.ts_parse)] + files, cwd)

    # The per-file loops, on a sample when the set is large.
    part = sample(files, a.sample)
    scale = n / len(part)
    listfile = os.path.abspath(os.path.join(a.out, "analyzer", "list-%s.txt" % name))
    with open(listfile, "w") as f:
        f.write("".join(p + "\n" for p in part))  # relative to cwd, like the other tools
    loops = [("clang", ["xargs", "-n1", "-a", listfile, "clang", "-fsyntax-only"] + cflags),
             # clang-tidy FILE -- FLAGS: -I{} puts each file before the "--".
             ("tidy", ["xargs", "-I{}", "-a", listfile, "clang-tidy", "--quiet",
                       "-checks=" + TIDY_CHECKS, "{}", "--"] + cflags)]
    if parallel:
        loops.insert(1, ("clang_p2", ["xargs", "-n1", "-P2", "-a", listfile, "clang",
                                      "-fsyntax-only"] + cflags))
    for key, cmd in loops:
        r = timed("%s %s (%d files)" % (name, key, len(part)), cmd, cwd)
        r["sampled"] = len(part) < n
        r["sample_n"] = len(part)
        for k in ("wall", "cpu"):
            r[k] *= scale
        rows[key] = r
    facts["findings_clang"] = check_findings(rows["tether"]["stdout"],
                                             os.path.join(cwd, "expected.tsv"))
    facts["findings_ts"] = check_findings(rows["ts"]["stdout"],
                                          os.path.join(cwd, "expected.tsv"))
    facts["big_real"] = big_real
    return rows, facts


# ---- tables ------------------------------------------------------------------

def verdict(ok, *runs):
    for r in runs:
        if r["rc"] not in (0, 1):
            return "INVALID (a run exited %d)" % r["rc"]
    return "PASS" if ok else "MISS"


def ratio(a, b):
    return a / b if b > 0 else float("inf")


def fmt_ms(s):
    return "%.1f" % (s * 1e3) if s < 10 else "%.0f" % (s * 1e3)


def table(name, rows, facts):
    n = facts["n"]
    out = []
    out.append("== %s: %d file%s, %.1f MB, largest %.0f KB (1-min load average %.1f before, %.1f after) ==" % (
        name, n, "" if n == 1 else "s", facts["bytes"] / 1e6, facts["largest"] / 1e3,
        facts["load"][0], facts["load"][1]))
    out.append("%-38s %10s %10s %9s %9s %6s  %s" % (
        "tool", "wall ms", "cpu ms", "ms/file", "x tether", "runs", "note"))
    base = rows["tether"]["wall"]
    order = [("tether", "tether check (clang), 1 process"),
             ("tether1", "tether check (clang) -j1"),
             ("clang", "clang -fsyntax-only, 1 proc/file"),
             ("clang_p2", "clang -fsyntax-only, xargs -P2"),
             ("tidy", "clang-tidy (1 cheap check), 1/file"),
             ("ts", "tether check --frontend=tree-sitter"),
             ("floor", "raw tree-sitter parse (ts_parse)")]
    for key, label in order:
        if key not in rows:
            continue
        r = rows[key]
        notes = []
        if r.get("sampled"):
            notes.append("extrap. from %d-file sample x%.0f" % (r["sample_n"], n / r["sample_n"]))
        if r["rc"] not in (0, 1):
            notes.append("exit %d" % r["rc"])
        if r["spread"] > 1.3:
            notes.append("spread %.2fx" % r["spread"])
        st = r.get("stats")
        if st:
            notes.append("parse %.0f, model %.0f, rules %.0f ms" % (
                st.get("parse", float("nan")), st.get("model", float("nan")),
                st.get("rules", float("nan"))))
        out.append("%-38s %10s %10s %9.2f %9.2f %6d  %s" % (
            label, fmt_ms(r["wall"]), fmt_ms(r["cpu"]), r["wall"] * 1e3 / n,
            r["wall"] / base, r["n"], "; ".join(notes)))
    out.append("findings, clang mode: %s" % facts["findings_clang"])
    out.append("findings, tree-sitter mode: %s" % facts["findings_ts"])

    # Targets.
    t = rows["tether"]
    st = t["stats"]
    if "parse" in st and ("model" in st or "rules" in st):
        extra = st.get("model", 0) + st.get("rules", 0)
        pct = 100 * extra / st["parse"] if st["parse"] else float("inf")
        out.append("target  model+rules <= 10%% of parse (clang): %.1f%% (%.0f / %.0f ms)   %s" % (
            pct, extra, st["parse"], verdict(pct <= 10, t)))
    else:
        out.append("target  model+rules <= 10%% of parse: --stats not understood: %r   MISS"
                   % rows["tether"]["stderr"][-200:])
    sts = rows["ts"]["stats"]
    if "parse" in sts:
        extra = sts.get("model", 0) + sts.get("rules", 0)
        out.append("info    model+rules vs parse (tree-sitter): %.1f%% (%.0f / %.0f ms)" % (
            100 * extra / sts["parse"] if sts["parse"] else float("inf"), extra, sts["parse"]))
    c = rows["clang"]
    out.append("target  one tether run faster than the clang -fsyntax-only loop: %s vs %s ms%s   %s" % (
        fmt_ms(t["wall"]), fmt_ms(c["wall"]), " (loop extrapolated)" if c.get("sampled") else "",
        verdict(t["wall"] < c["wall"], t)))
    if "tether1" in rows:
        t1 = rows["tether1"]
        out.append("target  ... per core: tether -j1 vs the sequential loop: %s vs %s ms   %s" % (
            fmt_ms(t1["wall"]), fmt_ms(c["wall"]), verdict(t1["wall"] < c["wall"], t1)))
    if "clang_p2" in rows:
        p2 = rows["clang_p2"]
        out.append("target  ... and than the loop under xargs -P2: %s vs %s ms   %s" % (
            fmt_ms(t["wall"]), fmt_ms(p2["wall"]), verdict(t["wall"] < p2["wall"], t)))
    ts, fl = rows["ts"], rows["floor"]
    out.append("target  tree-sitter mode within 1.5x of the raw parse: %.2fx (%s / %s ms; cpu %.2fx)   %s" % (
        ts["wall"] / fl["wall"], fmt_ms(ts["wall"]), fmt_ms(fl["wall"]), ratio(ts["cpu"], fl["cpu"]),
        verdict(ts["wall"] <= 1.5 * fl["wall"], ts, fl)))
    speed = t["wall"] / ts["wall"]
    per_core = ""
    if "tether1" in rows:
        per_core = "; per core (-j1): %.1fx" % (rows["tether1"]["wall"] / ts["wall"])
    if facts["big_real"]:
        out.append("info    tree-sitter mode vs clang mode: %.1fx faster%s (the 50x target is for the corpus)"
                   % (speed, per_core))
    else:
        out.append("target  tree-sitter mode >= 50x faster than clang mode: %.1fx (cpu %.1fx%s)   %s" % (
            speed, ratio(t["cpu"], ts["cpu"]), per_core, verdict(speed >= 50, t, ts)))
    out.append("info    peak RSS: clang mode %.1f MB, tree-sitter mode %.1f MB, ts_parse %.1f MB" % (
        t["rss"] / 1024, ts["rss"] / 1024, fl["rss"] / 1024))
    return out


def summary(results):
    """Linearity and memory across the corpus sizes."""
    sizes = sorted(k for k in results if isinstance(k, int))
    out = ["== scaling across corpus sizes (ms per file; wall, and cpu = user+sys) =="]
    out.append("%-6s %11s %11s %10s %10s %11s %14s %10s" % (
        "files", "clang wall", "clang cpu", "ts wall", "ts cpu", "floor cpu", "clang-loop cpu", "ts RSS MB"))
    for n in sizes:
        rows, _ = results[n]
        out.append("%-6d %11.2f %11.2f %10.3f %10.3f %11.3f %14.2f %10.1f" % (
            n, rows["tether"]["wall"] * 1e3 / n, rows["tether"]["cpu"] * 1e3 / n,
            rows["ts"]["wall"] * 1e3 / n, rows["ts"]["cpu"] * 1e3 / n,
            rows["floor"]["cpu"] * 1e3 / n, rows["clang"]["cpu"] * 1e3 / n,
            rows["ts"]["rss"] / 1024))
    big = [n for n in sizes if n >= 100]
    if len(big) >= 2:
        lo, hi = big[0], big[-1]
        for key, label in (("tether", "clang mode"), ("ts", "tree-sitter mode")):
            a = results[lo][0][key]["cpu"] / lo
            b = results[hi][0][key]["cpu"] / hi
            w = (results[hi][0][key]["wall"] / hi) / (results[lo][0][key]["wall"] / lo)
            out.append("target  linear (%s): cpu ms/file at %d files is %.2fx that at %d (<= 1.25x; "
                       "wall: %.2fx)   %s" % (label, hi, b / a, lo, w,
                                             verdict(b / a <= 1.25, results[lo][0][key],
                                                     results[hi][0][key])))
        out.append("        (judged on CPU time, which a busy shared machine does not inflate; "
                   "10 files is left out: process start-up dominates it)")
    if sizes:
        lo, hi = sizes[0], sizes[-1]
        r_lo = results[lo][0]["ts"]["rss"]
        r_hi = results[hi][0]["ts"]["rss"]
        f_hi = results[hi][1]
        out.append("target  tree-sitter peak RSS independent of corpus size: %.1f MB at %d files, "
                   "%.1f MB at %d files (%.1f MB of input; <= 1.25x)   %s" % (
                       r_lo / 1024, lo, r_hi / 1024, hi, f_hi["bytes"] / 1e6,
                       verdict(r_hi <= 1.25 * r_lo, results[lo][0]["ts"],
                               results[hi][0]["ts"])))
    if "sqlite" in results and sizes:
        rows, facts = results["sqlite"]
        r_lo = results[sizes[0]][0]["ts"]["rss"]
        grow = (rows["ts"]["rss"] - r_lo) / 1024
        out.append("info    tree-sitter peak RSS on sqlite3.c (%.1f MB file): %.1f MB, i.e. %.1f MB "
                   "above the small-corpus run = %.1fx the file size (ts_parse: %.1f MB)" % (
                       facts["largest"] / 1e6, rows["ts"]["rss"] / 1024, grow,
                       grow * 1024 * 1024 / facts["largest"], rows["floor"]["rss"] / 1024))
    return out


def sqlite_version(path):
    try:
        with open(os.path.join(os.path.dirname(path), "VERSION")) as f:
            return f.read().strip()
    except OSError:
        return "12"


def tether_parallel(tether):
    """True when `tether check` parses files on more than one thread (it has
    --jobs, default 2 on 2 cores): then the clang loop also runs under xargs -P2."""
    p = subprocess.run([tether, "--help"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    return "--jobs" in p.stdout and (os.cpu_count() or 1) >= 2


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tether", required=True)
    ap.add_argument("--ts-parse", required=True)
    ap.add_argument("--include", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--sqlite")
    ap.add_argument("--sample", type=int, default=100,
                    help="per-file loops run on at most this many files, extrapolated")
    ap.add_argument("sizes", nargs="*", type=int)
    a = ap.parse_args()
    os.environ.pop("TETHER_VERIFY", None)
    parallel = tether_parallel(a.tether)
    results = {}
    loads = {}
    t0 = time.time()
    for n in a.sizes:
        cwd = os.path.join(a.out, "corpus-%d" % n)
        files = sorted(f for f in os.listdir(cwd) if f.endswith(".c"))
        load0 = os.getloadavg()[0]
        results[n] = measure_set("corpus-%d" % n, cwd, files, a, parallel, False)
        loads[n] = (load0, os.getloadavg()[0])
    if a.sqlite:
        load0 = os.getloadavg()[0]
        results["sqlite"] = measure_set("sqlite3.c", os.path.dirname(a.sqlite),
                                        [os.path.basename(a.sqlite)], a, parallel, True)
        loads["sqlite"] = (load0, os.getloadavg()[0])
    lines = ["tether analyzer benchmark — %s, %d cores, %s" % (
        time.strftime("%Y-%m-%d %H:%M"), os.cpu_count(),
        "tether runs files on several threads" if parallel else "tether runs on one thread"),
        "wall = median wall time; cpu = user+sys; x tether = wall / tether-clang wall (lower is faster)",
        ""]
    for key in list(a.sizes) + (["sqlite"] if a.sqlite else []):
        rows, facts = results[key]
        facts["load"] = loads[key]
        name = "corpus-%d" % key if isinstance(key, int) else "sqlite3.c (better-sqlite3 %s amalgamation)" % (
            sqlite_version(a.sqlite))
        lines += table(name, rows, facts) + [""]
    lines += summary(results)
    lines.append("")
    lines.append("total benchmark time: %.0f s" % (time.time() - t0))
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    with open(os.path.join(a.out, "analyzer.txt"), "w") as f:
        f.write(text)
    # Every run's numbers and --stats line, for a closer look.
    raw = {str(k): {tool: [{"wall_s": r["wall"], "cpu_s": r["cpu"], "rss_kb": r["rss"], "rc": r["rc"],
                            "stats": r["stderr"].strip().splitlines()[-1:] if "tether" in tool
                            or tool == "ts" else []}
                           for r in res["runs"]]
                    for tool, res in rows.items()}
           for k, (rows, _) in results.items()}
    with open(os.path.join(a.out, "analyzer", "runs.json"), "w") as f:
        json.dump(raw, f, indent=1)


if __name__ == "__main__":
    main()
