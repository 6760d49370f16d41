#!/usr/bin/env python3
"""The analyzer is leak-free under LeakSanitizer (issue 11, part 4).

    test_lsan.py TETHER fixtures|corpus SOURCE_DIR

Runs an AddressSanitizer build of `tether check` (LeakSanitizer on) with
both front ends over every fixture (fixtures/*/) or every case of the
shared corpus of real bug ports (../shared/corpus/cases/*/, skipped when
this checkout has none beside it, as in CI without shared/): clang with the
SARIF report, and for the fixtures also tree-sitter with the text and JSON
reports. Any leak report, sanitizer
report or crash fails the test; exit status 0, 1 or 2 is the analyzer's own.
"""
import glob
import os
import subprocess
import sys

LEAK_EXIT = 23  # LeakSanitizer's exit status, set below


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    tether, what, src = sys.argv[1], sys.argv[2], os.path.abspath(sys.argv[3])
    if what == "fixtures":
        files = sorted(glob.glob(os.path.join(src, "fixtures", "*", "*.c")))
    else:
        corpus = [d for d in (os.path.join(src, "..", "shared", "corpus", "cases"), "/work/shared/corpus/cases")
                  if os.path.isdir(d)]
        if not corpus:
            print("skip: no shared corpus beside this checkout")
            return 0
        files = sorted(glob.glob(os.path.join(corpus[0], "*", "*.c")))
    if not files:
        print("FAIL: no input files found")
        return 1
    env = dict(os.environ)
    env["ASAN_OPTIONS"] = ":".join(x for x in (env.get("ASAN_OPTIONS", ""), "detect_leaks=1") if x)
    env["LSAN_OPTIONS"] = ":".join(x for x in (env.get("LSAN_OPTIONS", ""), "exitcode=%d" % LEAK_EXIT) if x)
    failed = 0
    runs = 0
    # The fixtures' analyze tests already run the clang front end's text
    # report under this build's LeakSanitizer: here the other paths.
    passes = (("clang", ["--format=sarif"]), ("tree-sitter", []), ("tree-sitter", ["--format=json", "-j1"]))
    if what == "corpus":  # real ports run the engine long: one pass (minutes under ASan otherwise)
        passes = passes[:1]
    for fe, extra in passes:
        # In chunks: one run per 40 files keeps a report readable.
        for i in range(0, len(files), 40):
            chunk = files[i:i + 40]
            p = subprocess.run([tether, "check", "--no-color", "--frontend=" + fe] + extra + chunk,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
            runs += 1
            err = p.stderr.decode("utf-8", "replace")
            bad = p.returncode not in (0, 1, 2) or "Sanitizer" in err or "runtime error:" in err
            if bad:
                failed += 1
                print("FAIL %s %s on %s..%s: exit %d\n%s" % (fe, " ".join(extra), os.path.basename(chunk[0]),
                                                           os.path.basename(chunk[-1]), p.returncode, err[-4000:]))
    print("%d runs over %d files, %d with a leak or sanitizer report" % (runs, len(files), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
