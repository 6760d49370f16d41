/* test_fingerprint.c — unit tests of finding fingerprints (fingerprint.h):
 * stable when unrelated edits move a finding, different when what the
 * finding is about changes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <string.h>

#include "diag/fingerprint.h"

/* The fingerprint of one finding of `rule` with `msg` on `line` of text. */
static void fp(char out[DIAG_FINGERPRINT_SIZE], const char *rule, const char *path, const char *text,
               unsigned line, const char *msg)
{
    diag_list list = { 0 };
    diag_new(&list, rule, "whatever.c", (model_loc){ line, 5 }, "%s", msg);
    diag_fingerprint_file(list.items, list.n, path, text, strlen(text));
    memcpy(out, list.items[0].fingerprint, DIAG_FINGERPRINT_SIZE);
    diag_list_free(&list);
}

static const char base[] = "int main(void)\n{\n    tt_spawn(worker, ch);\n}\n";
static const char moved[] = "/* a new comment */\n\nint main(void)\n{\n    tt_spawn(worker, ch);\n}\n";
static const char reindented[] = "int main(void)\n{\n\ttt_spawn( worker,ch );\n}\n";
static const char changed[] = "int main(void)\n{\n    tt_spawn(worker2, ch);\n}\n";

static void test_format(void **state)
{
    (void)state;
    char a[DIAG_FINGERPRINT_SIZE];
    fp(a, "r", "src/a.c", base, 3, "m");
    assert_int_equal(strlen(a), 16);
    for (int i = 0; i < 16; i++)
        assert_true(isxdigit((unsigned char)a[i]) && !isupper((unsigned char)a[i]));
}

static void test_survives_moves_and_whitespace(void **state)
{
    (void)state;
    char a[DIAG_FINGERPRINT_SIZE], b[DIAG_FINGERPRINT_SIZE], c[DIAG_FINGERPRINT_SIZE];
    fp(a, "r", "src/a.c", base, 3, "m");
    fp(b, "r", "src/a.c", moved, 5, "m");
    fp(c, "r", "src/a.c", reindented, 3, "m");
    assert_string_equal(a, b);
    assert_string_equal(a, c);
}

static void test_changes_with_what_it_is_about(void **state)
{
    (void)state;
    char a[DIAG_FINGERPRINT_SIZE], x[DIAG_FINGERPRINT_SIZE];
    fp(a, "r", "src/a.c", base, 3, "m");
    fp(x, "r", "src/a.c", changed, 3, "m");
    assert_string_not_equal(a, x);
    fp(x, "other", "src/a.c", base, 3, "m");
    assert_string_not_equal(a, x);
    fp(x, "r", "src/b.c", base, 3, "m");
    assert_string_not_equal(a, x);
    fp(x, "r", "src/a.c", base, 3, "m2");
    assert_string_not_equal(a, x);
    fp(x, "r", "src/a.c", base, 2, "m"); /* another line's text */
    assert_string_not_equal(a, x);
}

/* Equal findings on equal lines differ by their occurrence index, and the
 * first keeps its fingerprint when a second one appears after it. */
static void test_occurrences(void **state)
{
    (void)state;
    const char text[] = "f();\nf();\ng();\n";
    diag_list list = { 0 };
    diag_new(&list, "r", "a.c", (model_loc){ 1, 1 }, "m");
    diag_new(&list, "r", "a.c", (model_loc){ 2, 1 }, "m");
    diag_new(&list, "r", "a.c", (model_loc){ 3, 1 }, "m");
    diag_fingerprint_file(list.items, list.n, "a.c", text, strlen(text));
    assert_string_not_equal(list.items[0].fingerprint, list.items[1].fingerprint);
    char first[DIAG_FINGERPRINT_SIZE];
    memcpy(first, list.items[0].fingerprint, sizeof first);
    diag_list_free(&list);
    diag_new(&list, "r", "a.c", (model_loc){ 1, 1 }, "m");
    diag_fingerprint_file(list.items, list.n, "a.c", text, strlen(text));
    assert_string_equal(list.items[0].fingerprint, first);
    diag_list_free(&list);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_survives_moves_and_whitespace),
        cmocka_unit_test(test_changes_with_what_it_is_about),
        cmocka_unit_test(test_occurrences),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
