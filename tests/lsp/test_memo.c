/* test_memo.c — the driver's reuse_analysis (the language server while
 * typing): an edit that leaves the model as it was but for positions moves
 * the last findings instead of analyzing again, and the moved findings are
 * exactly what a fresh analysis of the new text reports; an edit that
 * changes the model is analyzed. */
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

static const char leaky[] = "#include <tether.h>\n"
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
                            "}\n";

/* Runs text through d; the findings in *s; whether the analysis was reused. */
static bool run(driver *d, const char *text, seen *s)
{
    return reuse_run(d, "memo_test.c", text, s).analyses_reused == 1;
}

/* The reusing driver moves (or analyzes) as a fresh driver reports. */
static void expect(driver *reuse, const char *text, bool reused, size_t findings)
{
    seen a, b;
    driver *fresh = reuse_driver(false);
    if (run(reuse, text, &a) != reused)
        fail_msg("analysis %s for:\n%s", reused ? "not reused" : "reused", text);
    run(fresh, text, &b);
    driver_free(fresh);
    assert_string_equal(a.text, b.text);
    assert_int_equal(a.n, findings);
}

static void test_moves_findings_when_only_positions_change(void **state)
{
    (void)state;
    driver *d = reuse_driver(true);
    expect(d, leaky, false, 1);
    /* lines added above: everything moves down */
    const char *t = reuse_edit(leaky, "#include <tether.h>\n", "#include <tether.h>\n/* one */\n// two\n\n");
    expect(d, t, true, 1);
    /* a comment typed inside the finding's line and before the receive
     * (not between `return` and the call: the tree-sitter front end then
     * loses the call, a bug of its own) */
    t = reuse_edit(t, "    return tt_spawn(worker, ch);", "    /* typed */ return tt_spawn(worker, ch); // and here");
    expect(d, t, true, 1);
    t = reuse_edit(t, "    tt_recv(ch, &v);", "    /* before */ tt_recv(ch, &v);");
    expect(d, t, true, 1);
    /* blank lines and a comment inside a function, before its events */
    t = reuse_edit(t, "    int v;\n", "    int v;\n\n    // waits for a value\n");
    expect(d, t, true, 1);
    /* the model changes: analyzed again */
    t = reuse_edit(t, "tt_recv(ch, &v);", "v = 0; (void)ch;");
    expect(d, t, false, 0);
    t = reuse_edit(t, "\n", "\n\n");
    expect(d, t, true, 0);
    driver_free(d);
}

static const char unbuffered[] = "#include <tether.h>\n"
                                 "\n"
                                 "static void query(void *arg)\n"
                                 "{\n"
                                 "    tt_chan *result = arg;\n"
                                 "    int data = 7; tt_sleep_ms(50);\n"
                                 "    tt_send(result, &data);\n"
                                 "}\n"
                                 "\n"
                                 "int handler(void)\n"
                                 "{\n"
                                 "    int data = 0;\n"
                                 "    tt_chan *result = tt_chan_new(sizeof(int), 0);\n"
                                 "    tt_spawn(query, result);\n"
                                 "    tt_case cases[] = { TT_RECV(result, &data), TT_RECV(tt_after(10), NULL) };\n"
                                 "    if (tt_select(cases, 2) == 0)\n"
                                 "        return data;\n"
                                 "    return -1;\n"
                                 "}\n";

static void test_fixits_move_too(void **state)
{
    (void)state;
    driver *d = reuse_driver(true);
    seen s;
    run(d, unbuffered, &s);
    assert_non_null(strstr(s.text, "  fix 13:48-13:49 '1'"));
    /* a comment before the capacity, on its line */
    expect(d, reuse_edit(unbuffered, "tt_chan *result = tt_chan_new", "tt_chan *result = /* cap: */ tt_chan_new"), true,
           1);
    driver_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_moves_findings_when_only_positions_change),
        cmocka_unit_test(test_fixits_move_too),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
