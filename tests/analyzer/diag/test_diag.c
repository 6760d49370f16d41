/* test_diag.c — unit tests of the diagnostics' ranges, severities, files on
 * notes and fix-its, copies and moves (diag.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "diag/diag.h"

static model_loc L(unsigned line, unsigned col)
{
    return (model_loc){ line, col };
}

/* The calls rules make keep working: warning, the finding's file on every
 * note and fix-it, range unknown until the driver fills it. */
static void test_defaults(void **state)
{
    (void)state;
    diag_list list = { 0 };
    diag *d = diag_new(&list, "r", "a.c", L(3, 5), "m");
    diag_add_note(d, L(1, 2), "n");
    diag_add_fixit(d, L(3, 5), L(3, 6), "x");
    diag_add_note_fixit(d, L(1, 2), L(1, 3), "y");
    assert_int_equal(d->severity, DIAG_WARNING);
    assert_int_equal(d->end.line, 0);
    assert_string_equal(d->fingerprint, "");
    assert_string_equal(d->notes[0].file, "a.c");
    assert_int_equal(d->notes[0].end.line, 0);
    assert_string_equal(d->fixits[0].file, "a.c");
    assert_int_equal(d->fixits[0].note, 0);
    assert_string_equal(d->fixits[1].file, "a.c");
    assert_int_equal(d->fixits[1].note, 1);
    diag_list_free(&list);
}

static void test_ranges_and_files(void **state)
{
    (void)state;
    diag_list list = { 0 };
    diag *d = diag_new(&list, "r", "a.c", L(3, 5), "m");
    diag_set_end(d, L(3, 12));
    diag_add_note_in(d, "inc/h.h", L(7, 1), L(7, 4), "in %s", "a header");
    diag_add_fixit_in(d, "inc/h.h", L(7, 1), L(7, 4), "new", 1);
    diag_add_note_in(d, NULL, L(2, 1), L(0, 0), "here");
    assert_int_equal(d->end.col, 12);
    assert_string_equal(d->notes[0].file, "inc/h.h");
    assert_string_equal(d->notes[0].msg, "in a header");
    assert_int_equal(d->notes[0].end.col, 4);
    assert_string_equal(d->fixits[0].file, "inc/h.h");
    assert_string_equal(d->notes[1].file, "a.c");
    diag_list_free(&list);
}

/* A note in another file makes a different finding (not a duplicate). */
static void test_sort_by_note_file(void **state)
{
    (void)state;
    diag_list list = { 0 };
    diag *a = diag_new(&list, "r", "a.c", L(1, 1), "m");
    diag_add_note_in(a, "b.h", L(2, 1), L(0, 0), "n");
    diag *b = diag_new(&list, "r", "a.c", L(1, 1), "m");
    diag_add_note_in(b, "a.h", L(2, 1), L(0, 0), "n");
    diag_new(&list, "r", "a.c", L(1, 1), "m");
    diag_new(&list, "r", "a.c", L(1, 1), "m");
    diag_list_sort(&list);
    assert_int_equal(list.n, 3);
    assert_int_equal(list.items[0].nnotes, 0);
    assert_string_equal(list.items[1].notes[0].file, "a.h");
    assert_string_equal(list.items[2].notes[0].file, "b.h");
    diag_list_free(&list);
}

static void test_copy_and_move(void **state)
{
    (void)state;
    diag_list src = { 0 }, dst = { 0 };
    diag *d = diag_new(&src, "r", "a.c", L(4, 2), "m %d", 1);
    d->severity = DIAG_ERROR;
    diag_set_end(d, L(4, 9));
    diag_add_note_in(d, "h.h", L(1, 1), L(1, 3), "n");
    diag_add_fixit_in(d, "h.h", L(1, 1), L(1, 3), "t", 1);
    diag_set_hint(d, "h");
    strcpy(d->fingerprint, "0123456789abcdef");
    diag *c = diag_copy(&dst, d);
    assert_int_equal(c->severity, DIAG_ERROR);
    assert_int_equal(c->end.col, 9);
    assert_string_equal(c->notes[0].file, "h.h");
    assert_string_equal(c->fixits[0].text, "t");
    assert_int_equal(c->fixits[0].note, 1);
    assert_string_equal(c->fix_hint, "h");
    assert_string_equal(c->fingerprint, "0123456789abcdef");
    assert_ptr_not_equal(c->msg, d->msg);
    diag_list_move(&dst, &src);
    assert_int_equal(src.n, 0);
    assert_int_equal(dst.n, 2);
    diag_list_sort(&dst); /* the copy and the original are duplicates */
    assert_int_equal(dst.n, 1);
    diag_list_free(&dst);
    diag_list_free(&src);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_ranges_and_files),
        cmocka_unit_test(test_sort_by_note_file),
        cmocka_unit_test(test_copy_and_move),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
