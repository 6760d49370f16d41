/* test_fix_units.c — unit tests of fix-it rendering (driver/fixit_render.h)
 * and of applying and writing fixes (driver/fix_apply.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driver/fix_apply.h"
#include "driver/fixit_render.h"

#define L(l, c) ((model_loc){ (l), (c) })

static const src_file *one_src(void *ctx, const char *file)
{
    (void)file;
    return ctx;
}

/* The text of `text` after d's fix-its (rendered), or NULL when none is left. */
static char *fixed_text(const char *text, diag *d)
{
    src_file *src = src_file_load("t.c", text, strlen(text));
    char *out = NULL;
    if (fixit_render(d, one_src, src) && d->nfixits) {
        bool fixed[1];
        size_t len;
        out = fix_apply_text(src, "t.c", d, 1, fixed, &len);
    }
    src_file_free(src);
    return out;
}

static diag *finding(diag_list *list)
{
    return diag_new(list, "ticker-not-stopped", "t.c", L(1, 1), "leak");
}

static void test_before_return_own_line(void **state)
{
    (void)state;
    const char *text = "void f(int x)\n{\n    if (x) {\n        g();\n        return;\n    }\n}\n";
    diag_list l = { 0 };
    diag_add_stmt_fixit(finding(&l), DIAG_FIXIT_BEFORE_STMT, L(5, 9), "stop(t);", 0);
    char *out = fixed_text(text, &l.items[0]);
    assert_string_equal(out, "void f(int x)\n{\n    if (x) {\n        g();\n        stop(t);\n        return;\n    }\n}\n");
    free(out);
    diag_list_free(&l);
}

static void test_before_return_braceless_inline(void **state)
{
    (void)state;
    const char *text = "int f(int x)\n{\n    if (x) return 1; // why\n    return 0;\n}\n";
    diag_list l = { 0 };
    diag_add_stmt_fixit(finding(&l), DIAG_FIXIT_BEFORE_STMT, L(3, 12), "stop(t);", 0);
    char *out = fixed_text(text, &l.items[0]);
    assert_string_equal(out, "int f(int x)\n{\n    if (x) { stop(t); return 1; } // why\n    return 0;\n}\n");
    free(out);
    diag_list_free(&l);
}

static void test_before_return_else_body(void **state)
{
    (void)state;
    const char *text = "void f(int x)\n{\n    if (x)\n        g();\n    else\n        return;\n    h();\n}\n";
    diag_list l = { 0 };
    diag_add_stmt_fixit(finding(&l), DIAG_FIXIT_BEFORE_STMT, L(6, 9), "stop(t);", 0);
    char *out = fixed_text(text, &l.items[0]);
    assert_string_equal(out, "void f(int x)\n{\n    if (x)\n        g();\n    else {\n        stop(t);\n"
                             "        return;\n    }\n    h();\n}\n");
    free(out);
    diag_list_free(&l);
}

static void test_before_closing_brace(void **state)
{
    (void)state;
    const char *text = "void f(void)\n{\n\tg();\n}\n";
    diag_list l = { 0 };
    diag_add_stmt_fixit(finding(&l), DIAG_FIXIT_BEFORE_STMT, L(4, 1), "stop(t);", 0);
    char *out = fixed_text(text, &l.items[0]);
    assert_string_equal(out, "void f(void)\n{\n\tg();\n\tstop(t);\n}\n");
    free(out);
    diag_list_free(&l);
}

/* A name declared in an inner block is not in scope at a return after it:
 * the fix is dropped, and every other fix-it of the finding with it. */
static void test_out_of_scope_dropped(void **state)
{
    (void)state;
    const char *text = "void f(int x)\n{\n    {\n        T *t = make();\n    }\n    return;\n}\n";
    diag_list l = { 0 };
    diag *d = finding(&l);
    diag_add_fixit(d, L(1, 1), L(1, 1), "/* x */");
    diag_fixit *x = diag_add_stmt_fixit(d, DIAG_FIXIT_BEFORE_STMT, L(6, 5), "stop(t);", 0);
    x->scope = L(4, 12);
    src_file *src = src_file_load("t.c", text, strlen(text));
    assert_false(fixit_render(d, one_src, src));
    assert_int_equal(d->nfixits, 0);
    src_file_free(src);
    diag_list_free(&l);
}

/* `return;` only in a void function; a select whose result is cast away is
 * not a statement of its own. */
static void test_select_checks(void **state)
{
    (void)state;
    const char *text = "int f(void)\n{\n    tt_select(c, 1);\n    return 0;\n}\n"
                       "void g(void)\n{\n    (void)tt_select(c, 1);\n}\n"
                       "void h(void)\n{\n    tt_select(c, 1);\n}\n";
    diag_list l = { 0 };
    diag_fixit *x = diag_add_stmt_fixit(finding(&l), DIAG_FIXIT_STMT_END, L(3, 5), " == 1)\nreturn;", 0);
    x->void_fn = L(1, 5);
    assert_null(fixed_text(text, &l.items[0]));
    diag_list_free(&l);
    diag_add_stmt_fixit(finding(&l), DIAG_FIXIT_STMT_END, L(8, 11), " == 1)\nreturn;", 0);
    assert_null(fixed_text(text, &l.items[0]));
    diag_list_free(&l);
    x = diag_add_stmt_fixit(finding(&l), DIAG_FIXIT_STMT_END, L(12, 5), " == 1)\nreturn;", 0);
    x->void_fn = L(10, 6);
    char *out = fixed_text(text, &l.items[0]);
    assert_non_null(strstr(out, "void h(void)\n{\n    tt_select(c, 1) == 1)\n        return;\n}\n"));
    free(out);
    diag_list_free(&l);
}

static void test_append_init(void **state)
{
    (void)state;
    const char *text = "void f(void)\n{\n    tt_case cs[] = {\n        A,\n        B(x, y)\n    };\n}\n";
    diag_list l = { 0 };
    diag_add_stmt_fixit(finding(&l), DIAG_FIXIT_APPEND_INIT, L(5, 9), "C", 0);
    char *out = fixed_text(text, &l.items[0]);
    assert_string_equal(out, "void f(void)\n{\n    tt_case cs[] = {\n        A,\n        B(x, y),\n        C\n    };\n}\n");
    free(out);
    diag_list_free(&l);
    /* not the last element: no */
    diag_add_stmt_fixit(finding(&l), DIAG_FIXIT_APPEND_INIT, L(4, 9), "C", 0);
    assert_null(fixed_text(text, &l.items[0]));
    diag_list_free(&l);
}

/* Findings whose edits overlap: the first is fixed, the second left; the
 * same fix twice is made once and fixes both. */
static void test_apply_overlap_and_same(void **state)
{
    (void)state;
    const char *text = "abcdef\n";
    src_file *src = src_file_load("t.c", text, strlen(text));
    diag_list l = { 0 };
    diag_add_fixit(diag_new(&l, "r", "t.c", L(1, 1), "a"), L(1, 2), L(1, 4), "X");
    diag_add_fixit(diag_new(&l, "r", "t.c", L(1, 1), "b"), L(1, 3), L(1, 5), "Y");
    diag_add_fixit(diag_new(&l, "r", "t.c", L(1, 1), "c"), L(1, 2), L(1, 4), "X");
    diag_add_fixit(diag_new(&l, "r", "t.c", L(1, 1), "d"), L(1, 6), L(1, 6), "+");
    diag_add_fixit(diag_new(&l, "r", "other.c", L(1, 1), "e"), L(1, 1), L(1, 1), "-");
    bool fixed[5];
    size_t len = 0;
    char *out = fix_apply_text(src, "t.c", l.items, l.n, fixed, &len);
    assert_string_equal(out, "aXde+f\n");
    assert_int_equal(len, 7);
    assert_true(fixed[0]);
    assert_false(fixed[1]);
    assert_true(fixed[2]);
    assert_true(fixed[3]);
    assert_false(fixed[4]);
    free(out);
    diag_list_free(&l);
    src_file_free(src);
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void test_write_refuses_changed_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/tether-fixunit-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/a.c", dir);
    FILE *f = fopen(path, "w");
    fputs("edited by someone else\n", f);
    fclose(f);
    chmod(path, 0600);
    char err[256] = "";
    const char *analyzed = "as analyzed\n";
    assert_int_equal(fix_write_file(path, analyzed, strlen(analyzed), "fixed\n", 6, err, sizeof err), -1);
    assert_non_null(strstr(err, "changed since it was analyzed"));
    assert_string_equal(read_all(path), "edited by someone else\n");
    /* unchanged: written, mode kept */
    const char *now = "edited by someone else\n";
    assert_int_equal(fix_write_file(path, now, strlen(now), "fixed\n", 6, err, sizeof err), 0);
    assert_string_equal(read_all(path), "fixed\n");
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_before_return_own_line),   cmocka_unit_test(test_before_return_braceless_inline),
        cmocka_unit_test(test_before_return_else_body),  cmocka_unit_test(test_before_closing_brace),
        cmocka_unit_test(test_out_of_scope_dropped),     cmocka_unit_test(test_select_checks),
        cmocka_unit_test(test_append_init),              cmocka_unit_test(test_apply_overlap_and_same),
        cmocka_unit_test(test_write_refuses_changed_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
