/* test_suppress.c — unit tests of clang-tidy's NOLINT shapes and of unused
 * suppressions (driver/suppress.h); tether:ignore's own shapes are tested
 * in cli/test_diag_emit.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver/suppress.h"

static const char nolint_text[] =
    "a; // NOLINT\n"                                   /* 1: every rule */
    "b; // NOLINT(tether-spawn-no-cancel)\n"           /* 2 */
    "c; // NOLINT(bugprone-foo, tether-wg-*)\n"        /* 3: a glob */
    "d; // NOLINT(bugprone-foo)\n"                     /* 4: not tether's */
    "// NOLINTNEXTLINE(tether-ticker-not-stopped)\n"   /* 5 */
    "e;\n"                                             /* 6 */
    "/* NOLINTBEGIN(tether-spawn-no-cancel) */\n"      /* 7 */
    "f;\n"                                             /* 8 */
    "/* NOLINTEND(tether-spawn-no-cancel) */\n"        /* 9 */
    "g; // NOLINTNEXTLINE\n"                           /* 10 */
    "h;\n"                                             /* 11 */
    "i; // XNOLINT is no marker, nor is NOLINTED\n";   /* 12 */

static void test_nolint_shapes(void **state)
{
    (void)state;
    sup_set *s = sup_parse(nolint_text, strlen(nolint_text));
    assert_true(sup_covers(s, 1, "anything"));
    assert_true(sup_covers(s, 2, "spawn-no-cancel"));
    assert_false(sup_covers(s, 2, "wg-unbalanced"));
    assert_true(sup_covers(s, 3, "wg-unbalanced"));
    assert_false(sup_covers(s, 3, "spawn-no-cancel"));
    assert_false(sup_covers(s, 4, "spawn-no-cancel"));
    assert_false(sup_covers(s, 5, "ticker-not-stopped"));
    assert_true(sup_covers(s, 6, "ticker-not-stopped"));
    assert_true(sup_covers(s, 8, "spawn-no-cancel"));
    assert_false(sup_covers(s, 8, "wg-unbalanced"));
    assert_false(sup_covers(s, 10, "spawn-no-cancel"));
    assert_true(sup_covers(s, 11, "spawn-no-cancel"));
    assert_false(sup_covers(s, 12, "spawn-no-cancel"));
    sup_free(s);
}

static void on_problem(void *ctx, unsigned line, const char *msg)
{
    fprintf(ctx, "%u: %s\n", line, msg);
}

static bool known(const char *id)
{
    return strcmp(id, "spawn-no-cancel") == 0;
}

/* NOLINTEND pairs with the NOLINTBEGIN of the same list, as clang-tidy's;
 * unknown tether- checks are reported, other tools' are not. */
static void test_nolint_problems(void **state)
{
    (void)state;
    const char text[] = "// NOLINTBEGIN(tether-spawn-no-cancel)\n"
                        "x;\n"
                        "// NOLINTEND(tether-wg-unbalanced)\n"
                        "y; // NOLINT(tether-spwn-no-cancel, readability-x, tether-*)\n";
    sup_set *s = sup_parse(text, strlen(text));
    assert_false(sup_covers(s, 2, "spawn-no-cancel")); /* never closed: nothing */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    sup_check(s, known, on_problem, f);
    fclose(f);
    assert_string_equal(buf, "1: NOLINTBEGIN has no matching NOLINTEND; it suppresses nothing\n"
                             "4: unknown check 'tether-spwn-no-cancel' in NOLINT (see `tether rules`)\n"
                             "3: NOLINTEND without a matching NOLINTBEGIN\n");
    free(buf);
    sup_free(s);
}

static bool all_ran(const char *rule, void *ctx)
{
    (void)ctx;
    (void)rule;
    return true;
}

static bool only_spawn_ran(const char *rule, void *ctx)
{
    (void)ctx;
    return rule && strcmp(rule, "spawn-no-cancel") == 0;
}

static const char unused_text[] = "a; // tether:ignore(spawn-no-cancel)\n" /* 1: used */
                                  "b; // tether:ignore(spawn-no-cancel)\n" /* 2: unused */
                                  "c; // NOLINT\n"                         /* 3: maybe clang-tidy's */
                                  "d; // NOLINT(tether-spawn-no-cancel)\n" /* 4: unused */
                                  "e; // NOLINT(bugprone-x)\n"             /* 5: not tether's */
                                  "f; // tether:ignore(wg-unbalanced)\n"   /* 6: unused */
                                  "    // tether:ignore-next-line\n";      /* 7: unused, every rule */

static void test_unused(void **state)
{
    (void)state;
    sup_set *s = sup_parse(unused_text, strlen(unused_text));
    diag_list list = { 0 };
    diag_new(&list, "spawn-no-cancel", "f.c", (model_loc){ 1, 1 }, "found");
    assert_int_equal(sup_apply(s, &list), 1);
    assert_int_equal(list.n, 0);
    assert_int_equal(sup_report_unused(s, "f.c", "unused-suppression", all_ran, NULL, &list), 4);
    unsigned lines[] = { 2, 4, 6, 7 }, cols[] = { 7, 7, 7, 8 };
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(list.items[i].rule, "unused-suppression");
        assert_string_equal(list.items[i].file, "f.c");
        assert_int_equal(list.items[i].loc.line, lines[i]);
        assert_int_equal(list.items[i].loc.col, cols[i]);
    }
    assert_non_null(strstr(list.items[0].msg, "tether:ignore suppressed nothing"));
    assert_non_null(strstr(list.items[1].msg, "NOLINT suppressed nothing"));
    assert_non_null(strstr(list.items[3].msg, "the next line"));
    diag_list_free(&list);
    /* A rule that did not run cannot be judged: its comments are not unused. */
    assert_int_equal(sup_report_unused(s, "f.c", "unused-suppression", only_spawn_ran, NULL, &list), 2);
    diag_list_free(&list);
    sup_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nolint_shapes),
        cmocka_unit_test(test_nolint_problems),
        cmocka_unit_test(test_unused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
