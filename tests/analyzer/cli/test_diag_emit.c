/* test_diag_emit.c — unit tests of diag sorting/dedup, suppression comments
 * and the gcc-style text emitter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag/diag.h"
#include "emit/source.h"
#include "emit/text.h"
#include "driver/suppress.h"

static model_loc L(unsigned line, unsigned col)
{
    return (model_loc){ line, col };
}

static void test_sort_and_dedup(void **state)
{
    (void)state;
    diag_list list = { 0 };
    diag_new(&list, "b-rule", "b.c", L(3, 1), "x");
    diag_new(&list, "a-rule", "a.c", L(9, 2), "later");
    diag_new(&list, "b-rule", "a.c", L(2, 5), "m");
    diag_new(&list, "a-rule", "a.c", L(2, 5), "m");
    diag_new(&list, "a-rule", "a.c", L(2, 5), "m"); /* exact duplicate */
    diag *d = diag_new(&list, "a-rule", "a.c", L(2, 5), "m");
    diag_add_note(d, L(1, 1), "a note makes it different"); /* not a duplicate */
    diag_list_sort(&list);
    assert_int_equal(list.n, 5);
    assert_string_equal(list.items[0].file, "a.c");
    assert_int_equal(list.items[0].loc.line, 2);
    assert_string_equal(list.items[0].rule, "a-rule");
    assert_int_equal(list.items[0].nnotes, 0);
    assert_int_equal(list.items[1].nnotes, 1);
    assert_string_equal(list.items[2].rule, "b-rule");
    assert_int_equal(list.items[3].loc.line, 9);
    assert_string_equal(list.items[4].file, "b.c");
    diag_list_free(&list);
    assert_int_equal(list.n, 0);
}

static void test_format(void **state)
{
    (void)state;
    diag_list list = { 0 };
    diag *d = diag_new(&list, "r", "f.c", L(1, 1), "%s has %d", "x", 3);
    diag_set_hint(d, "do %s", "that");
    assert_string_equal(d->msg, "x has 3");
    assert_string_equal(d->fix_hint, "do that");
    diag_list_free(&list);
}

static const char src_text[] = "int a; // tether:ignore\n"
                               "int b; /* tether:ignore(r1, r2) */\n"
                               "// tether:ignore-next-line(r3)\n"
                               "int c;\n"
                               "/* tether:ignore-begin(r4) */\n"
                               "int d;\n"
                               "int e;\n"
                               "// tether:ignore-end\n"
                               "int f; const char *s = \"tether:ignore\";\n"
                               "int g; // tether:ignored is not a marker\n";

static void test_suppress_shapes(void **state)
{
    (void)state;
    sup_set *s = sup_parse(src_text, strlen(src_text));
    assert_true(sup_covers(s, 1, "anything"));
    assert_true(sup_covers(s, 2, "r1"));
    assert_true(sup_covers(s, 2, "r2"));
    assert_false(sup_covers(s, 2, "r"));
    assert_false(sup_covers(s, 3, "r3"));
    assert_true(sup_covers(s, 4, "r3"));
    assert_false(sup_covers(s, 4, "r4"));
    assert_true(sup_covers(s, 6, "r4"));
    assert_true(sup_covers(s, 7, "r4"));
    assert_false(sup_covers(s, 7, "r1"));
    assert_false(sup_covers(s, 9, "r4")); /* after the end; and a string is not a comment */
    assert_false(sup_covers(s, 10, "r1"));
    sup_free(s);
}

static void test_suppress_apply(void **state)
{
    (void)state;
    diag_list list = { 0 };
    diag_new(&list, "r1", "f.c", L(2, 1), "suppressed");
    diag_new(&list, "r9", "f.c", L(2, 1), "kept: other rule");
    diag_new(&list, "r1", "f.c", L(5, 1), "kept: other line");
    sup_set *s = sup_parse(src_text, strlen(src_text));
    assert_int_equal(sup_apply(s, &list), 1);
    assert_int_equal(list.n, 2);
    assert_string_equal(list.items[0].msg, "kept: other rule");
    assert_string_equal(list.items[1].msg, "kept: other line");
    sup_free(s);
    diag_list_free(&list);
}

static char *emit_to_string(const diag *d, const src_file *src, bool color)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    emit_text_diag(f, d, src, color);
    fclose(f);
    return buf;
}

static void test_emit_text(void **state)
{
    (void)state;
    const char text[] = "void f(void)\n{\n\ttt_send(ch, &v);\n}\n";
    src_file *src = src_file_load("f.c", text, strlen(text));
    diag_list list = { 0 };
    diag *d = diag_new(&list, "some-rule", "f.c", L(3, 2), "it leaks");
    diag_add_note(d, L(1, 6), "here");
    diag_add_fixit(d, L(3, 2), L(3, 9), "tt_select");
    diag_set_hint(d, "use a select");
    char *out = emit_to_string(d, src, false);
    assert_string_equal(out, "f.c:3:2: warning: it leaks [some-rule]\n"
                             "    3 | \ttt_send(ch, &v);\n"
                             "      | \t^~~~~~~\n"
                             "      | \ttt_select\n"
                             "f.c:1:6: note: here\n"
                             "    1 | void f(void)\n"
                             "      |      ^\n"
                             "note: use a select\n");
    free(out);
    out = emit_to_string(d, src, true);
    assert_non_null(strstr(out, "\033[1;35mwarning:"));
    assert_non_null(strstr(out, "\033[1;36mnote:"));
    free(out);
    out = emit_to_string(d, NULL, false); /* no source: no echo */
    assert_non_null(strstr(out, "f.c:3:2: warning: it leaks [some-rule]\nf.c:1:6: note: here\n"));
    free(out);
    diag_list_free(&list);
    src_file_free(src);
}

/* A fix-it on another line travels with the note that explains it. */
static void test_emit_note_fixit(void **state)
{
    (void)state;
    const char text[] = "tt_chan *ch = tt_chan_new(4, 0);\ntt_send(ch, &v);\n";
    src_file *src = src_file_load("g.c", text, strlen(text));
    diag_list list = { 0 };
    diag *d = diag_new(&list, "r", "g.c", L(2, 1), "blocks");
    diag_add_note(d, L(1, 30), "make 'ch' buffered");
    diag_add_note_fixit(d, L(1, 30), L(1, 31), "1");
    char *out = emit_to_string(d, src, false);
    assert_string_equal(out, "g.c:2:1: warning: blocks [r]\n"
                             "    2 | tt_send(ch, &v);\n"
                             "      | ^\n"
                             "g.c:1:30: note: make 'ch' buffered\n"
                             "    1 | tt_chan *ch = tt_chan_new(4, 0);\n"
                             "      |                              ^\n"
                             "      |                              1\n");
    free(out);
    assert_int_equal(d->fixits[0].note, 1);
    diag_list_free(&list);
    src_file_free(src);
}

static bool known_rule(const char *id)
{
    return strcmp(id, "ticker-not-stopped") == 0;
}

typedef struct problems {
    FILE *f;
    const char *path;
} problems;

static void on_problem(void *ctx, unsigned line, const char *msg)
{
    problems *p = ctx;
    fprintf(p->f, "%s:%u: %s\n", p->path, line, msg);
}

/* sup_check's reports, one "path:line: message" line each. */
static char *check_to_string(const sup_set *s, const char *path)
{
    char *buf = NULL;
    size_t len = 0;
    problems p = { open_memstream(&buf, &len), path };
    sup_check(s, known_rule, on_problem, &p);
    fclose(p.f);
    return buf;
}

/* Mistakes in suppression comments are reported, and an ignore-begin with
 * no end suppresses nothing (as clang-tidy's NOLINTBEGIN). */
static void test_suppress_problems(void **state)
{
    (void)state;
    const char text[] = "a // tether:ignore-begin(ticker-not-stopped)\n"
                        "b\n"
                        "c // tether:ignore(ticker-not-stoped)\n"
                        "d // tether:ignore-end\n";
    sup_set *s = sup_parse(text, strlen(text));
    /* the end on line 4 closes the begin of line 1: lines 1..4 covered */
    assert_true(sup_covers(s, 2, "ticker-not-stopped"));
    char *buf = check_to_string(s, "f.c");
    assert_string_equal(buf, "f.c:3: unknown rule 'ticker-not-stoped' in tether:ignore "
                             "(see `tether rules`)\n");
    free(buf);
    sup_free(s);

    const char open_only[] = "x // tether:ignore-begin(ticker-not-stopped)\ny\n/* tether:ignore-end */\n"
                             "z // tether:ignore-begin\nw\n";
    s = sup_parse(open_only, strlen(open_only));
    assert_true(sup_covers(s, 2, "ticker-not-stopped"));
    assert_false(sup_covers(s, 5, "ticker-not-stopped")); /* begin on 4 never ends */
    buf = check_to_string(s, "g.c");
    assert_string_equal(buf, "g.c:4: tether:ignore-begin has no tether:ignore-end; "
                             "it suppresses nothing\n");
    free(buf);
    sup_free(s);

    const char stray[] = "// tether:ignore-end\n";
    s = sup_parse(stray, strlen(stray));
    buf = check_to_string(s, "h.c");
    assert_string_equal(buf, "h.c:1: tether:ignore-end without a tether:ignore-begin\n");
    free(buf);
    sup_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sort_and_dedup),  cmocka_unit_test(test_format),
        cmocka_unit_test(test_suppress_shapes), cmocka_unit_test(test_suppress_apply),
        cmocka_unit_test(test_emit_text),       cmocka_unit_test(test_emit_note_fixit),
        cmocka_unit_test(test_suppress_problems),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
