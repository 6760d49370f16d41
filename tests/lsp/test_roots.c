/* test_roots.c — the driver's per-root reuse (reuse_analysis, roots.h):
 * after an edit that changes the model, only the roots that reach the
 * changed function are explored again; the others' findings are re-aimed
 * at the new model (functions at other indexes and lines), and what is
 * reported is exactly what a fresh analysis of the new text reports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver/driver.h"
#include "reuse_util.h"

/* Three roots: start (a leak), run_ticking (clean), start_flusher (a
 * leak); clamp is called by nothing at first. */
static const char prog[] =
    "#include <stdio.h>\n"
    "#include <tether.h>\n"
    "\n"
    "static int clamp(int v, int lo, int hi)\n"
    "{\n"
    "    if (v < lo)\n"
    "        return lo;\n"
    "    return v > hi ? hi : v;\n"
    "}\n"
    "\n"
    "static void worker(void *arg)\n"
    "{\n"
    "    tt_chan *ch = arg;\n"
    "    int v;\n"
    "    tt_recv(ch, &v);\n"
    "}\n"
    "\n"
    "int start(void)\n"
    "{\n"
    "    tt_chan *ch = tt_chan_new(sizeof(int), 0);\n"
    "    return tt_spawn(worker, ch);\n"
    "}\n"
    "\n"
    "static void ticking(void *arg)\n"
    "{\n"
    "    tt_ctx *ctx = arg;\n"
    "    tt_ticker *t = tt_ticker_new(10);\n"
    "    for (;;) {\n"
    "        tt_case cs[2] = { TT_RECV(tt_ctx_done(ctx), NULL), TT_RECV(tt_ticker_chan(t), NULL) };\n"
    "        if (tt_select(cs, 2) == 0)\n"
    "            break;\n"
    "    }\n"
    "    tt_ticker_stop(t);\n"
    "}\n"
    "\n"
    "int run_ticking(tt_ctx *parent)\n"
    "{\n"
    "    tt_ctx *ctx = tt_ctx_with_cancel(parent);\n"
    "    int rc = tt_spawn(ticking, ctx);\n"
    "    tt_ctx_cancel(ctx);\n"
    "    return rc;\n"
    "}\n"
    "\n"
    "static void flusher(void *arg)\n"
    "{\n"
    "    (void)arg;\n"
    "    for (;;) {\n"
    "        tt_sleep_ms(100);\n"
    "        fflush(stdout);\n"
    "    }\n"
    "}\n"
    "\n"
    "int start_flusher(void)\n"
    "{\n"
    "    return tt_spawn(flusher, NULL);\n"
    "}\n";

/* Runs text through d; the findings in *s; the roots not explored again. */
static size_t run(driver *d, const char *text, seen *s)
{
    return reuse_run(d, "roots_test.c", text, s).roots_reused;
}

/* The reusing driver reports what a fresh driver reports, with `reused`
 * roots not explored again. */
static void expect(driver *reuse, const char *text, size_t reused, size_t findings)
{
    seen a, b;
    driver *fresh = reuse_driver(false);
    size_t got = run(reuse, text, &a);
    run(fresh, text, &b);
    driver_free(fresh);
    if (got != reused)
        fail_msg("%zu roots reused, expected %zu, for:\n%s", got, reused, text);
    assert_string_equal(a.text, b.text);
    assert_int_equal(a.n, findings);
}

static void test_only_the_roots_that_reach_an_edit_run_again(void **state)
{
    (void)state;
    driver *d = reuse_driver(true);
    expect(d, prog, 0, 2);
    /* run_ticking changes: start and start_flusher are kept */
    const char *t =
        reuse_edit(prog, "    tt_ctx_cancel(ctx);\n", "    tt_ctx_cancel(ctx);\n    (void)clamp(rc, 0, 1);\n");
    expect(d, t, 2, 2);
    /* worker (reached from start) changes and stops leaking */
    t = reuse_edit(t, "    tt_recv(ch, &v);\n", "    v = 0;\n    (void)ch;\n");
    expect(d, t, 2, 1);
    /* and leaks again */
    t = reuse_edit(t, "    v = 0;\n    (void)ch;\n", "    tt_recv(ch, &v);\n");
    expect(d, t, 2, 2);
    /* a new function on top: every other function moves to another index
     * and line; nothing they reach changed */
    t = reuse_edit(t, "static int clamp", "static int twice(int v)\n{\n    return 2 * v;\n}\n\nstatic int clamp");
    expect(d, t, 3, 2);
    /* clamp is reached from run_ticking only */
    t = reuse_edit(t, "    if (v < lo)\n", "    v = twice(v);\n    if (v < lo)\n");
    expect(d, t, 2, 2);
    driver_free(d);
}

static void test_a_new_definition_of_a_called_name_is_a_change(void **state)
{
    (void)state;
    driver *d = reuse_driver(true);
    /* fflush is no function of the file: defining one changes what
     * start_flusher reaches */
    expect(d, prog, 0, 2);
    const char *t =
        reuse_edit(prog, "static void flusher", "static void fflush(FILE *f)\n{\n    (void)f;\n}\n\nstatic void flusher");
    expect(d, t, 2, 2);
    driver_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_only_the_roots_that_reach_an_edit_run_again),
        cmocka_unit_test(test_a_new_definition_of_a_called_name_is_a_change),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
