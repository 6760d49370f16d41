/* test_reuse.c — the driver's reuse_parses (an editor's saves with the
 * clang front end): a header that did not change is not parsed again. The
 * proof is a header rewritten behind clang's back (same size, same
 * modification time): a reused parse still sees the old header, a fresh
 * parse the new one; once the header's time changes, the reused parse
 * sees it too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include "driver/driver.h"

static const char source[] = "#include <tether.h>\n"
                             "#include \"cfg.h\"\n"
                             "\n"
                             "static void worker(void *arg)\n"
                             "{\n"
                             "    tt_chan *ch = arg;\n"
                             "    int v = 1;\n"
                             "    tt_send(ch, &v);\n"
                             "}\n"
                             "\n"
                             "int start(void)\n"
                             "{\n"
                             "    tt_chan *ch = tt_chan_new(sizeof(int), 0);\n"
                             "    return START(worker, ch);\n"
                             "}\n";

typedef struct counts {
    size_t findings, errors;
} counts;

static void on_error(void *ctx, const driver_error *e)
{
    if (e->level == DRIVER_LEVEL_ERROR)
        ((counts *)ctx)->errors++;
}

static void on_file(void *ctx, const driver_file *f)
{
    ((counts *)ctx)->findings += f->ndiags;
}

static char dir[64], cpath[128], hpath[128];

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Findings of one run of the file's unsaved text (extra appended, as a
 * save would change it) with a driver that reuses parses or not. */
static size_t run(driver *d, const char *extra)
{
    static char text[4096];
    snprintf(text, sizeof text, "%s%s", source, extra);
    driver_input in = { 0 };
    in.path = cpath;
    in.text = text;
    in.length = strlen(text);
    counts c = { 0, 0 };
    driver_sink sink = { &c, on_error, on_file, NULL };
    driver_run(d, &in, 1, &sink, NULL, NULL);
    assert_int_equal(c.errors, 0);
    return c.findings;
}

static driver *make(bool reuse)
{
    driver_opts o = { 0 };
    o.frontend = "clang";
    o.tether_include = TETHER_INCLUDE_DIR;
    o.headers = true;
    o.jobs = 1;
    o.reuse_parses = reuse;
    driver *d = driver_new(&o, NULL);
    assert_non_null(d);
    return d;
}

static void test_unchanged_headers_are_not_parsed_again(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/tether-reuse-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(cpath, sizeof cpath, "%s/a.c", dir);
    snprintf(hpath, sizeof hpath, "%s/cfg.h", dir);
    write_file(cpath, source);
    write_file(hpath, "#define START(f, a) tt_spawn(f, a)\n");
    struct stat st;
    assert_int_equal(stat(hpath, &st), 0);
    struct utimbuf old = { st.st_atime, st.st_mtime };

    driver *reuse = make(true), *fresh = make(false);
    assert_int_equal(run(reuse, ""), 1);          /* the spawned task's send leaks */
    assert_int_equal(run(reuse, "/* saved */\n"), 1);

    /* The header's macro now spawns nothing, with its old size and time
     * (a macro, not a constant: the front end reads literals from the
     * files' text, but macro expansions from clang's parse). */
    write_file(hpath, "#define START(f, a) ((void)(f), 0)\n");
    assert_int_equal(utime(hpath, &old), 0);
    assert_int_equal(run(reuse, "/* saved again */\n"), 1); /* not read again */
    assert_int_equal(run(fresh, "/* saved again */\n"), 0); /* a fresh parse reads it */

    /* Its time changes: the reused parse notices. */
    struct utimbuf later = { st.st_atime + 10, st.st_mtime + 10 };
    assert_int_equal(utime(hpath, &later), 0);
    assert_int_equal(run(reuse, "/* third save */\n"), 0);

    driver_free(reuse);
    driver_free(fresh);
    unlink(cpath);
    unlink(hpath);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unchanged_headers_are_not_parsed_again),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
