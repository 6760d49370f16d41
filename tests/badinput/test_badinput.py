#!/usr/bin/env python3
"""The catalogue of bad and hostile inputs (issue 11, part 2), with both
front ends.

    test_badinput.py TETHER CASE [--slow]

Each case writes its inputs into a scratch folder (the big ones are made
here, never committed) and runs `tether check` on them together with
good.c, a file with one known leak. A bad input must give exactly one error
line naming it and the problem, exit status 2, and good.c must still be
analyzed (its finding printed). A hostile but valid input must be analyzed
(exit status 1 from good.c's finding, no error line). Every run must end
within the time limit with its peak memory under the limit (--slow: a
sanitizer build, limits doubled). `test_badinput.py TETHER list` prints the
cases.
"""
import os
import re
import resource
import shutil
import stat
import subprocess
import sys
import tempfile
import time

FRONTENDS = ("clang", "tree-sitter")
GOOD = """#include <tether.h>
static void *worker(void *arg)
{
    tt_chan *ch = arg;
    int v;
    tt_recv(ch, &v);
    return NULL;
}
int main(void)
{
    tt_chan *ch = tt_chan_new(sizeof(int), 0);
    tt_spawn(worker, ch);
    return 0;
}
"""
GOOD_FINDING = re.compile(r"^good\.c:12:\d+: warning: .*\[spawn-no-cancel\]$", re.M)
API = "#include <tether.h>\n"

TIME_LIMIT = 120.0        # seconds per run (the engine's budget is 20 s per file)
MEM_LIMIT = 2 << 20       # peak resident KB per run


class Failure(Exception):
    pass


def check(cond, what, out=None):
    if not cond:
        raise Failure(what + ("\n--- output ---\n" + out[-3000:] if out else ""))


def run(tether, args, cwd, user=None):
    """Runs tether; (status, stdout, stderr, seconds, peak KB)."""
    def drop():
        if user is not None:
            os.setgroups([])
            os.setgid(user)
            os.setuid(user)
    t0 = time.monotonic()
    p = subprocess.Popen([tether] + args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         preexec_fn=drop if user is not None else None)
    out, err = p.communicate(timeout=TIME_LIMIT * 2)
    secs = time.monotonic() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the largest child so far
    return p.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), secs, peak


def write(d, name, text, mode="w"):
    path = os.path.join(d, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode) as f:
        f.write(text)
    return path


def error_lines(text):
    """The lines that are errors (tether's own or a compile error's); the
    text report shows them on stdout, other formats on stderr."""
    return [l for l in text.splitlines() if re.match(r"^(tether: error: |\S+:\d+(:\d+)?: error: |\S+: error: )", l)]


def analyze(tether, d, fe, inputs, extra=(), user=None):
    args = ["check", "--no-color", "--frontend=" + fe] + list(extra) + list(inputs)
    rc, out, err, secs, peak = run(tether, args, d, user)
    both = out + err
    check(secs <= TIME_LIMIT, "%s: took %.1f s (limit %.0f s)" % (fe, secs, TIME_LIMIT), both)
    check(rc in (0, 1, 2), "%s: exit status %d (a crash?)" % (fe, rc), both)
    return rc, out, err, both, secs, peak


def expect_bad(tether, d, fe, bad, problem, inputs=None, extra=(), user=None, name=None):
    """One error line naming `name` (default: bad) with `problem` (a regexp),
    exit status 2, good.c still analyzed."""
    rc, out, err, both, secs, peak = analyze(tether, d, fe, inputs or [bad, "good.c"], extra, user)
    errs = error_lines(both)
    check(len(errs) == 1, "%s: %d error lines, want 1" % (fe, len(errs)), both)
    check((name or bad) in errs[0], "%s: the error does not name %s: %s" % (fe, name or bad, errs[0]), both)
    check(re.search(problem, errs[0]), "%s: the error does not say /%s/: %s" % (fe, problem, errs[0]), both)
    check(rc == 2, "%s: exit status %d, want 2" % (fe, rc), both)
    check(GOOD_FINDING.search(out), "%s: good.c was not analyzed" % fe, both)
    return both


def expect_ok(tether, d, fe, files, extra=(), findings=None):
    """Analyzed: no error line, good.c's finding, exit 1; `findings`: regexps
    the output must also hold."""
    rc, out, err, both, secs, peak = analyze(tether, d, fe, list(files) + ["good.c"], extra)
    check(not error_lines(both), "%s: error lines: %s" % (fe, error_lines(both)), both)
    check(GOOD_FINDING.search(out), "%s: good.c was not analyzed" % fe, both)
    check(rc == 1, "%s: exit status %d, want 1" % (fe, rc), both)
    for f in findings or ():
        check(re.search(f, out, re.M), "%s: no finding /%s/" % (fe, f), both)
    return both


# ---- the cases ---------------------------------------------------------------

def case_missing_file(t, d, fe):
    expect_bad(t, d, fe, "missing.c", "No such file or directory")


def case_unreadable_file(t, d, fe):
    write(d, "secret.c", API + "void f(tt_chan *c) { tt_close(c); }\n")
    os.chmod(os.path.join(d, "secret.c"), 0)
    user = None
    if os.geteuid() == 0:  # root reads anything: run as nobody
        user = 65534
        os.chmod(d, 0o755)
        probe = subprocess.run([t, "--version"], preexec_fn=lambda: (os.setgroups([]), os.setgid(user), os.setuid(user)),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if probe.returncode != 0:
            raise Skip("running as root and %s cannot run as nobody" % t)
    expect_bad(t, d, fe, "secret.c", "Permission denied", user=user)


def case_directory_without_c_files(t, d, fe):
    write(d, "docs/README.md", "no C here\n")
    write(d, "docs/x.h", "int x;\n")
    expect_bad(t, d, fe, "docs", "no \\.c files")


def case_symlink_loop(t, d, fe):
    os.symlink("loop.c", os.path.join(d, "loop.c"))      # a link to itself
    expect_bad(t, d, fe, "loop.c", "Too many levels of symbolic links")
    # A folder holding a link back to itself: the link is an error, every
    # real file is analyzed once.
    write(d, "tree/sub/leak.c", GOOD)
    os.symlink("..", os.path.join(d, "tree/sub/up"))
    os.symlink("sub", os.path.join(d, "tree/again"))
    both = expect_bad(t, d, fe, "tree", "symbolic link loop", inputs=["tree", "good.c"], name="tree/sub/up")
    check(len(re.findall(r"leak\.c:12:\d+: warning", both)) == 1, "%s: leak.c not analyzed exactly once" % fe, both)


def case_binary_file(t, d, fe):
    write(d, "blob.c", bytes(range(256)) * 64, "wb")
    expect_bad(t, d, fe, "blob.c", "binary")


def case_empty_file(t, d, fe):
    write(d, "empty.c", "")
    expect_ok(t, d, fe, ["empty.c"])


def case_50mb_file(t, d, fe):
    body = "".join("static int f%d(int x) { return x + %d; }\n" % (i, i) for i in range(1000))
    n = (50 << 20) // len(body) + 1
    with open(os.path.join(d, "huge.c"), "w") as f:
        f.write(API)
        for _ in range(n):
            f.write(body.replace("static int f", "static int f%d_" % _))
    expect_bad(t, d, fe, "huge.c", "file too large")


DEEP = 100000
NESTINGS = {
    "braces": "void f(tt_chan *c) {\n" + "{" * DEEP + "tt_close(c);" + "}" * DEEP + "}\n",
    "ifs": "void f(tt_chan *c, int x) {\n" + "if (x) " * DEEP + "tt_close(c);\n}\n",
    "else-ifs": "void f(tt_chan *c, int x) {\n if (x == 0) tt_close(c);\n" +
                "".join("else if (x == %d) tt_close(c);\n" % i for i in range(1, DEEP)) + "}\n",
    "parens": "int f(tt_chan *c) { tt_close(c); return " + "(" * DEEP + "1" + ")" * DEEP + "; }\n",
    "unary": "int f(tt_chan *c, int x) { tt_close(c); return " + "!" * DEEP + "x; }\n",
    "casts": "int f(tt_chan *c, int x) { tt_close(c); return " + "(int)" * DEEP + "x; }\n",
    "binary": "int f(tt_chan *c, int x) { tt_close(c); return x" + " + x" * DEEP + "; }\n",
    "ternary": "int f(tt_chan *c, int x) { tt_close(c); return " + "x ? 1 : " * DEEP + "0; }\n",
    "labels": "void f(tt_chan *c) {\n" + "".join("l%d: " % i for i in range(DEEP)) + "tt_close(c);\n}\n",
    "declarator": "void f(tt_chan *c) { tt_close(c); int " + "*" * DEEP + "p = 0; (void)p; }\n",
    "initializer": "void f(tt_chan *c) { tt_close(c); int a[] = " + "{" * DEEP + "1" + "}" * DEEP + "; (void)a; }\n",
    "preprocessor": "void f(tt_chan *c) { tt_close(c); }\n" + "#if 1\n" * DEEP + "int y;\n" + "#endif\n" * DEEP,
    "members": "struct s { struct s *n; tt_chan *c; };\nvoid f(struct s *p) { tt_close(p" + "->n" * DEEP + "->c); }\n",
}


def case_deep_nesting(t, d, fe):
    for shape, text in NESTINGS.items():
        write(d, shape + ".c", API + text)
        expect_bad(t, d, fe, shape + ".c", r"nesting deeper than \d+ levels at line \d+: not analyzed")


def case_invalid_utf8_and_nul(t, d, fe):
    # Invalid UTF-8 in comments and strings: analyzed; the reports stay valid UTF-8.
    write(d, "latin1.c", (GOOD.replace("int v;", 'int v; /* caf\xe9 \xff\xfe */ const char *s = "\xe2\x82"; (void)s;')
                          ).encode("latin-1"), "wb")
    expect_ok(t, d, fe, ["latin1.c"], findings=[r"^latin1\.c:12:\d+: warning: .*\[spawn-no-cancel\]$"])
    for fmt in ("sarif", "json", "codeclimate"):
        rc, out, err, both, secs, peak = analyze(t, d, fe, ["latin1.c"], ["--format=" + fmt])
        import json
        json.loads(out)  # decoded as UTF-8 above with "replace": check the bytes too
        raw = subprocess.run([t, "check", "--frontend=" + fe, "--format=" + fmt, "latin1.c"], cwd=d,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
        raw.decode("utf-8")
    # A NUL byte, near the top or far down: not C text, one line that says where.
    write(d, "nul.c", GOOD.replace("int v;", "int v;\0").encode(), "wb")
    expect_bad(t, d, fe, "nul.c", "binary data: a NUL byte on line 5")
    write(d, "late-nul.c", (GOOD + "/*" + "x" * 9000 + "\n\0 */\n").encode(), "wb")
    expect_bad(t, d, fe, "late-nul.c", "binary data: a NUL byte on line 16")


def case_line_endings(t, d, fe):
    write(d, "crlf.c", GOOD.replace("\n", "\r\n").encode(), "wb")
    mixed = "".join(l + ("\r\n", "\n", "\r\n")[i % 3] for i, l in enumerate(GOOD.split("\n")[:-1]))
    write(d, "mixed.c", mixed.encode(), "wb")
    expect_ok(t, d, fe, ["crlf.c", "mixed.c"],
              findings=[r"^crlf\.c:12:5: warning: .*\[spawn-no-cancel\]$", r"^mixed\.c:12:5: warning: .*\[spawn-no-cancel\]$"])


def case_1mb_line(t, d, fe):
    table = "static const int table[] = {" + ",".join(["7"] * (1 << 19)) + "};\n"
    write(d, "long.c", GOOD.replace("#include <tether.h>\n", "#include <tether.h>\n" + table))
    expect_ok(t, d, fe, ["long.c"], findings=[r"^long\.c:13:\d+: warning"])


def case_bad_compile_database(t, d, fe):
    write(d, "src/a.c", GOOD)
    for name, text, problem in (
            ("malformed", '[{"directory": "/", "command": "cc -c a.c", "file": "a.c"},,]', r"compile_commands\.json"),
            ("incomplete", '[{"directory": "%s", "command": "cc -c a.c", "fi' % d, r"compile_commands\.json"),
            ("not-a-list", '{"file": "a.c"}', r"compile_commands\.json")):
        write(d, name + "/compile_commands.json", text)
        expect_bad(t, d, fe, name + "/compile_commands.json", problem, inputs=["-p", name, "good.c"])


def case_compile_database_naming_missing_files(t, d, fe):
    write(d, "src/a.c", GOOD.replace("int main", "int run"))
    src = os.path.join(d, "src")
    write(d, "build/compile_commands.json",
          '[{"directory": "%s", "command": "cc -c a.c", "file": "a.c"},\n'
          ' {"directory": "%s", "command": "cc -c gone.c", "file": "gone.c"}]\n' % (src, src))
    rc, out, err, both, secs, peak = analyze(t, d, fe, ["-p", "build"])
    errs = error_lines(both)
    check(len(errs) == 1 and "gone.c" in errs[0] and "No such file" in errs[0],
          "%s: want one error naming gone.c: %s" % (fe, errs), both)
    check(rc == 2, "%s: exit status %d, want 2" % (fe, rc), both)
    check(re.search(r"a\.c:12:\d+: warning", out), "%s: a.c not analyzed" % fe, both)


def case_missing_header(t, d, fe):
    write(d, "uses.c", GOOD.replace("#include <tether.h>\n", '#include <tether.h>\n#include "nothere.h"\n'))
    if fe == "clang":
        both = expect_bad(t, d, fe, "uses.c", "'nothere.h' file not found")
        check(re.search(r"uses\.c:13:\d+: warning", both), "clang: uses.c not analyzed (fallback)", both)
    else:  # tree-sitter reads no header
        expect_ok(t, d, fe, ["uses.c"], findings=[r"^uses\.c:13:\d+: warning"])


def case_redefined_api(t, d, fe):
    write(d, "mine.c", "#define tt_send(c, v) my_send(c, v)\n"
                       "struct tt_chan { int fd; };\n"
                       "int my_send(struct tt_chan *c, void *v);\n"
                       "int tt_recv(struct tt_chan *c, void *v) { (void)c; (void)v; return 0; }\n"
                       "static void *tt_spawn(void *(*fn)(void *), void *arg) { return fn(arg); }\n"
                       "void f(struct tt_chan *c) { int v = 1; tt_send(c, &v); tt_recv(c, &v); }\n")
    write(d, "wrap.c", API + "#define SEND(c, v) tt_send(c, v)\n"
                       "static inline int put(tt_chan *c, int v) { return tt_send(c, &v); }\n"
                       "void g(tt_chan *c) { SEND(c, &(int){1}); put(c, 2); tt_close(c); }\n")
    expect_ok(t, d, fe, ["mine.c", "wrap.c"])


# Valid but hostile programs: each must be analyzed (no error line, good.c's
# finding) within the limits, the engine's budget holding.
HOSTILE = {
    "self-spawning-task": API + "static void *w(void *a) { tt_spawn(w, a); tt_chan *c = a; int v; tt_recv(c, &v);"
                                " return 0; }\nint start(tt_chan *c) { return tt_spawn(w, c); }\n",
    "mutual-recursion": API + "static void g(tt_chan *c, int n);\n"
                              "static void f(tt_chan *c, int n) { if (n) g(c, n - 1); else tt_close(c); }\n"
                              "static void g(tt_chan *c, int n) { f(c, n); g(c, n); }\n"
                              "void start(void) { tt_chan *c = tt_chan_new(0, 0); f(c, 3); }\n",
    "100k-statements": GOOD.replace("int main(void)\n{\n", "int main(void)\n{\n    int x = 0;\n" + "    x++;\n" * 100000),
    "10k-spawns": API + "static void *w(void *a) { tt_chan *c = a; int v = 1; tt_send(c, &v); return 0; }\n"
                        "void start(tt_chan *c) { for (int i = 0; i < 10000; i++) tt_spawn(w, c); }\n",
    "million-channels": API + "void churn(void) { for (long i = 0; i < 1000000; i++) {"
                              " tt_chan *c = tt_chan_new(sizeof(int), 1); int v = 1; tt_send(c, &v); tt_close(c); } }\n",
    "goto-into-loops": API + "void f(tt_chan *c, int n) {\n  int v;\n  goto inside;\n  while (n--) {\n  inside:\n"
                             "    if (tt_recv(c, &v) < 0) goto out;\n    for (;;) { if (v) goto inside; break; }\n  }\n"
                             "out:\n  tt_close(c);\n}\n",
}


def hostile_case(text):
    def case(t, d, fe):
        write(d, "hostile.c", text)
        expect_ok(t, d, fe, ["hostile.c"])
    return case


def case_switch_10k_cases(t, d, fe):
    cases = "".join("    case %d: x += %d; break;\n" % (i, i) for i in range(10000))
    labels = "".join("    case %d:\n" % i for i in range(10000, 20000))
    write(d, "switch.c", API + "int f(tt_chan *c, int x) {\n  switch (x) {\n" + cases + labels +
          "    tt_close(c); break;\n  default: break;\n  }\n  return x;\n}\n")
    expect_ok(t, d, fe, ["switch.c"])


def case_macro_bomb(t, d, fe):
    text = API + "#define L0 x,x,x,x,x,x,x,x,x,x\n"
    text += "".join("#define L%d %s\n" % (i, ",".join(["L%d" % (i - 1)] * 10)) for i in range(1, 10))
    write(d, "bomb.c", text + "int x, a[] = { L9 };\nvoid f(tt_chan *c) { tt_close(c); }\n")
    if fe == "clang":
        expect_bad(t, d, fe, "bomb.c", r"macro 'L\d' expands to more than \d+ tokens")
    else:  # tree-sitter expands no macro
        expect_ok(t, d, fe, ["bomb.c"])


class Skip(Exception):
    pass


CASES = {name[5:].replace("_", "-"): fn for name, fn in globals().items() if name.startswith("case_")}
CASES.update({name: hostile_case(text) for name, text in HOSTILE.items()})


def main():
    global TIME_LIMIT, MEM_LIMIT
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    tether, name = os.path.abspath(sys.argv[1]), sys.argv[2]
    if name == "list":
        print("\n".join(CASES))
        return 0
    if "--slow" in sys.argv[3:]:
        TIME_LIMIT, MEM_LIMIT = TIME_LIMIT * 2, MEM_LIMIT * 2
    fn = CASES[name]
    failed = 0
    for fe in FRONTENDS:
        d = tempfile.mkdtemp(prefix="tether-bad-")
        try:
            write(d, "good.c", GOOD)
            fn(tether, d, fe)
            print("ok   %s (%s)" % (name, fe))
        except Skip as e:
            print("skip %s (%s): %s" % (name, fe, e))
        except Failure as e:
            print("FAIL %s (%s): %s" % (name, fe, e))
            failed += 1
        finally:
            for root, dirs, files in os.walk(d):
                for x in dirs + files:
                    try:
                        os.chmod(os.path.join(root, x), 0o700, follow_symlinks=False)
                    except (OSError, NotImplementedError):
                        pass
            shutil.rmtree(d, ignore_errors=True)
    # Peak memory of every tether this case ran (the largest child).
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print("peak memory %d MB" % (peak >> 10))
    if peak > MEM_LIMIT:
        print("FAIL %s: peak memory %d MB over the limit of %d MB" % (name, peak >> 10, MEM_LIMIT >> 10))
        failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
