/* test_ts_frontend.c — the tree-sitter front end on its own: unsaved
 * buffers, broken code (functions whose errors may hide what the analysis
 * follows are skipped, others modeled around them; nothing comes from inside
 * an error; a type passed to a macro is no error), constants, selects, preprocessor
 * conditionals, NULL tests, argument ranges, objects returned directly,
 * counted loops, select case tests, read errors, and the values of the
 * model (operands, calls, assignments, conditions, identifiers, (globals)). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "frontend/frontend.h"

static model_tu *build(const char *src)
{
    frontend_input in = { .path = "buffer.c", .contents = src, .length = strlen(src) };
    model_tu *tu = NULL;
    frontend_stats st;
    char err[256] = "";
    assert_int_equal(frontend_treesitter_build(&in, &tu, &st, err, sizeof err), 0);
    assert_non_null(tu);
    return tu;
}

/* The first event of this kind in function fn, or NULL. */
static const model_event *find_event(const model_tu *tu, const char *fn, model_ev_kind kind)
{
    int32_t f = model_func_find(tu, fn);
    if (f < 0)
        return NULL;
    const model_func *func = &tu->funcs[f];
    for (size_t b = 0; b < func->nblocks; b++)
        for (size_t e = 0; e < func->blocks[b].nevents; e++)
            if (func->blocks[b].events[e].kind == kind)
                return &func->blocks[b].events[e];
    return NULL;
}

static size_t count_events(const model_tu *tu)
{
    size_t n = 0;
    for (size_t f = 0; f < tu->nfuncs; f++)
        for (size_t b = 0; b < tu->funcs[f].nblocks; b++)
            n += tu->funcs[f].blocks[b].nevents;
    return n;
}

static void test_good_function_modeled(void **state)
{
    (void)state;
    model_tu *tu = build("#include <tether.h>\n"
                         "static void worker(void *arg) {\n"
                         "    tt_chan *ch = arg;\n"
                         "    int v;\n"
                         "    tt_recv(ch, &v);\n"
                         "}\n");
    const model_event *ev = find_event(tu, "worker", MODEL_EV_RECV);
    assert_non_null(ev);
    assert_int_equal(ev->loc.line, 5);
    assert_int_equal(ev->loc.col, 5);
    assert_string_equal(ev->text, "ch");
    assert_int_equal(model_obj_kind(tu, ev->obj), MODEL_KIND_CHAN);
    /* ch = arg merged the local with the parameter */
    assert_int_equal(model_obj_canon(tu, ev->obj), model_obj_canon(tu, tu->funcs[0].params[0].obj));
    model_free(tu);
}

static void test_syntax_error_skips_only_that_function(void **state)
{
    (void)state;
    model_tu *tu = build("#include <tether.h>\n"
                         "void good(tt_chan *ch) {\n"
                         "    tt_close(ch);\n"
                         "}\n"
                         "void bad(tt_chan *ch) {\n"
                         "    tt_send(ch, &;\n"           /* broken */
                         "    tt_ticker *t = tt_ticker_new(5);\n"
                         "}\n"
                         "void after(tt_wg *wg) {\n"
                         "    tt_wg_done(wg);\n"
                         "}\n");
    assert_non_null(find_event(tu, "good", MODEL_EV_CLOSE));
    assert_non_null(find_event(tu, "after", MODEL_EV_WG_DONE));
    assert_int_equal(model_func_find(tu, "bad"), -1);
    /* nothing from lines 5-8 */
    for (size_t f = 0; f < tu->nfuncs; f++)
        for (size_t b = 0; b < tu->funcs[f].nblocks; b++)
            for (size_t e = 0; e < tu->funcs[f].blocks[b].nevents; e++) {
                uint32_t line = tu->funcs[f].blocks[b].events[e].loc.line;
                assert_true(line < 5 || line > 8);
            }
    model_free(tu);
}

/* What the front end tells a sink about one file's syntax errors. */
typedef struct told {
    size_t n;
    bool note;
    char msg[256];
} told;

static void on_error(void *ctx, const frontend_error *e)
{
    told *t = ctx;
    t->n++;
    t->note = e->note;
    snprintf(t->msg, sizeof t->msg, "%s", e->msg);
}

static model_tu *build_told(const char *src, told *t, frontend_stats *st)
{
    frontend_sink sink = { t, on_error, NULL };
    frontend_input in = { .path = "buffer.c", .contents = src, .length = strlen(src), .sink = &sink };
    model_tu *tu = NULL;
    char err[256] = "";
    assert_int_equal(frontend_treesitter_build(&in, &tu, st, err, sizeof err), 0);
    return tu;
}

/* Errors macros leave (an attribute-like macro, an `else` dangling after an
 * #ifdef) name nothing the analysis follows: the function is modeled around
 * them, and the syntax error is a note. */
static void test_benign_syntax_error_modeled_around(void **state)
{
    (void)state;
    told t = { 0 };
    frontend_stats st = { 0 };
    model_tu *tu = build_told("#include <tether.h>\n"
                              "UNITTEST int f(tt_chan *ch, int fd) {\n"
                              "#ifdef HAVE_X\n"
                              "    if (fd) log_it(); else\n"
                              "#endif\n"
                              "    { tt_close(ch); }\n"
                              "    return 0;\n"
                              "}\n", &t, &st);
    assert_non_null(find_event(tu, "f", MODEL_EV_CLOSE));
    assert_int_equal(t.n, 1);
    assert_true(t.note);
    assert_non_null(strstr(t.msg, "1 of 1 functions modeled around it"));
    assert_int_equal(st.functions, 1);
    assert_int_equal(st.functions_around, 1);
    assert_int_equal(st.functions_skipped, 0);
    model_free(tu);
}

/* An error whose region names a variable of the function, a function of the
 * file, an API name or a jump may hide what the analysis follows: that
 * function is skipped (an error), the others are modeled. */
static void test_syntax_error_hiding_something_skips(void **state)
{
    (void)state;
    static const char *const hiding[] = {
        "    ch = ) ;\n",              /* a parameter */
        "    int n = 0; n = n + ;\n",  /* a local, whatever its type */
        "    helper(1, );\n",          /* a function of this file */
        "    tt_yield(+);\n",          /* the API */
        "    break 1;\n",              /* a jump */
        "    x = 1 } {\n",             /* a stray brace: the function may end early */
    };
    for (size_t i = 0; i < sizeof hiding / sizeof *hiding; i++) {
        char src[1024];
        snprintf(src, sizeof src,
                 "#include <tether.h>\nstatic void helper(int a) { (void)a; }\nint x;\n"
                 "int f(tt_chan *ch) {\n%s    tt_close(ch);\n    return 0;\n}\n"
                 "void g(tt_wg *wg) { tt_wg_done(wg); }\n",
                 hiding[i]);
        told t = { 0 };
        frontend_stats st = { 0 };
        model_tu *tu = build_told(src, &t, &st);
        assert_int_equal(model_func_find(tu, "f"), -1);
        assert_non_null(find_event(tu, "g", MODEL_EV_WG_DONE));
        assert_false(t.note);
        assert_non_null(strstr(t.msg, "1 of 3 functions skipped"));
        assert_int_equal(st.functions_skipped, 1);
        model_free(tu);
    }
}

/* An #ifdef whose branches each open the block makes the whole function
 * unreadable (one ERROR at file scope): an error, never a note. */
static void test_unreadable_function_is_an_error(void **state)
{
    (void)state;
    told t = { 0 };
    frontend_stats st = { 0 };
    model_tu *tu = build_told("#include <tether.h>\nint x;\nint f(tt_chan *ch) {\n#ifdef A\n    if (x) {\n#else\n"
                              "    if (!x) {\n#endif\n      x++;\n    }\n    tt_close(ch);\n    return 0;\n}\n",
                              &t, &st);
    assert_int_equal(model_func_find(tu, "f"), -1);
    assert_int_equal(t.n, 1);
    assert_false(t.note);
    assert_non_null(strstr(t.msg, "may hide what the analysis follows"));
    model_free(tu);
}

/* A type passed to a macro (`va_arg(ap, tt_chan *)`, `container_of(p,
 * struct job, link)`) parses as an ERROR but is no broken code: the
 * function is modeled; a real error next to it still drops it. */
static void test_type_argument_is_no_error(void **state)
{
    (void)state;
    model_tu *tu = build("#include <tether.h>\n"
                         "#include <stdarg.h>\n"
                         "static void send_all(int n, ...) {\n"
                         "    va_list ap;\n"
                         "    va_start(ap, n);\n"
                         "    tt_chan *c = va_arg(ap, tt_chan *);\n"
                         "    struct job *j = container_of(c, struct job, link);\n"
                         "    tt_send(c, &n);\n"
                         "    va_end(ap);\n"
                         "}\n"
                         "void bad(tt_chan *ch) {\n"
                         "    tt_chan *c = va_arg(ap, tt_chan *);\n"
                         "    tt_send(ch, &;\n"
                         "}\n");
    const model_event *ev = find_event(tu, "send_all", MODEL_EV_SEND);
    assert_non_null(ev);
    assert_int_equal(ev->loc.line, 8);
    assert_int_equal(model_obj_kind(tu, ev->obj), MODEL_KIND_CHAN);
    assert_int_equal(model_func_find(tu, "bad"), -1);
    model_free(tu);
}

static void test_unterminated_comment(void **state)
{
    (void)state;
    model_tu *tu = build("#include <tether.h>\n"
                         "void first(tt_ctx *c) { tt_ctx_cancel(c); }\n"
                         "/* a comment that never ends\n"
                         "void second(tt_ctx *c) { tt_ctx_cancel(c); }\n");
    assert_non_null(find_event(tu, "first", MODEL_EV_CTX_CANCEL));
    assert_int_equal(model_func_find(tu, "second"), -1);
    model_free(tu);
}

static void test_half_written_function(void **state)
{
    (void)state;
    /* what an editor sends while the user is typing */
    model_tu *tu = build("#include <tether.h>\n"
                         "void done(tt_chan *ch) { tt_close(ch); }\n"
                         "void typing(tt_chan *ch) {\n"
                         "    tt_send(ch, ");
    assert_non_null(find_event(tu, "done", MODEL_EV_CLOSE));
    assert_int_equal(model_func_find(tu, "typing"), -1);
    assert_int_equal(count_events(tu), 2); /* CLOSE and the RETURN at `}` */
    model_free(tu);
}

static void test_garbage_yields_empty_model(void **state)
{
    (void)state;
    model_tu *tu = build("}}}} ))) not C at all {{{{ tt_send(");
    assert_int_equal(tu->nfuncs, 0);
    model_free(tu);
}

static void test_constants(void **state)
{
    (void)state;
    model_tu *tu = build("#include <tether.h>\n"
                         "#define N 3\n"
                         "#define TWICE (2 * N) /* doubled */\n"
                         "enum { M = 4, K };\n"
                         "static const int C = 7;\n"
                         "void f(int n) {\n"
                         "    tt_chan *a = tt_chan_new(sizeof(int), TWICE + K);\n"
                         "    tt_wg wg = TT_WG_INIT;\n"
                         "    tt_wg_add(&wg, n);\n"
                         "    tt_sleep_ms(C);\n"
                         "    tt_ticker *t = tt_ticker_new(0x10);\n"
                         "    tt_ticker_stop(t);\n"
                         "    tt_chan_free(a);\n"
                         "}\n");
    const model_event *ev = find_event(tu, "f", MODEL_EV_CHAN_NEW);
    assert_non_null(ev);
    assert_true(ev->flags & MODEL_EVF_NUM_KNOWN);
    assert_int_equal(ev->num, 11);
    ev = find_event(tu, "f", MODEL_EV_WG_ADD);
    assert_non_null(ev);
    assert_false(ev->flags & MODEL_EVF_NUM_KNOWN);
    assert_string_equal(ev->text, "wg");
    ev = find_event(tu, "f", MODEL_EV_SLEEP);
    assert_true(ev->flags & MODEL_EVF_NUM_KNOWN);
    assert_int_equal(ev->num, 7);
    ev = find_event(tu, "f", MODEL_EV_TICKER_NEW);
    assert_int_equal(ev->num, 16);
    model_free(tu);
}

static void test_select_cases_and_loops(void **state)
{
    (void)state;
    model_tu *tu = build("#include <tether.h>\n"
                         "void f(tt_chan *in, tt_ctx *ctx) {\n"
                         "    int v;\n"
                         "    tt_case cs[] = { TT_RECV(in, &v), TT_RECV(tt_ctx_done(ctx), NULL) };\n"
                         "    cs[1] = TT_RECV(tt_after(10), NULL);\n"
                         "    for (;;)\n"
                         "        if (tt_select(cs, 2) == 1) break;\n"
                         "    while (tt_recv(in, &v) == TT_OK) {}\n"
                         "}\n");
    const model_event *ev = find_event(tu, "f", MODEL_EV_SELECT);
    assert_non_null(ev);
    assert_int_equal(ev->ncases, 2);
    assert_int_equal(ev->cases[0].op, 1);
    assert_string_equal(ev->cases[0].text, "in");
    assert_int_equal(tu->objs[ev->cases[1].obj].scope, MODEL_SCOPE_AFTER);
    assert_int_equal(ev->cases[1].obj == MODEL_NO_OBJ, 0);
    assert_true(ev->flags & MODEL_EVF_IN_COND);
    ev = find_event(tu, "f", MODEL_EV_RECV);
    assert_true(ev->flags & MODEL_EVF_LOOP_COND);
    const model_func *fn = &tu->funcs[0];
    bool infinite = false;
    for (size_t b = 0; b < fn->nblocks; b++)
        infinite |= fn->blocks[b].infinite_loop_head;
    assert_true(infinite);
    model_free(tu);
}

static void test_fields_by_tag(void **state)
{
    (void)state;
    model_tu *tu = build("#include <tether.h>\n"
                         "typedef struct { tt_chan *done; } anon_t;\n"
                         "typedef struct job { tt_wg wg; } job_t;\n"
                         "void task(void *arg) {\n"
                         "    job_t *j = arg;\n"
                         "    tt_wg_done(&j->wg);\n"
                         "    tt_close(((anon_t *)arg)->done);\n"
                         "}\n");
    const model_event *ev = find_event(tu, "task", MODEL_EV_WG_DONE);
    assert_non_null(ev);
    const model_obj *o = &tu->objs[ev->obj];
    assert_int_equal(o->scope, MODEL_SCOPE_FIELD);
    assert_string_equal(o->tag, "job");
    assert_string_equal(o->name, "wg");
    assert_string_equal(ev->text, "j->wg");
    ev = find_event(tu, "task", MODEL_EV_CLOSE);
    o = &tu->objs[ev->obj];
    assert_string_equal(o->tag, "anon_t");
    model_free(tu);
}

/* How many events of this kind function fn has. */
static size_t count_kind(const model_tu *tu, const char *fn, model_ev_kind kind)
{
    const model_func *func = &tu->funcs[model_func_find(tu, fn)];
    size_t n = 0;
    for (size_t b = 0; b < func->nblocks; b++)
        for (size_t e = 0; e < func->blocks[b].nevents; e++)
            n += func->blocks[b].events[e].kind == kind;
    return n;
}

static void test_preproc_conditionals(void **state)
{
    (void)state;
    model_tu *tu = build("#include <tether.h>\n"
                         "#if 1\n"
                         "#define N 7\n"
                         "#else\n"
                         "#define N 5\n"
                         "#endif\n"
                         "#if 0\n"
                         "void dead(tt_chan *c) { tt_close(c); }\n"
                         "#endif\n"
                         "void f(tt_chan *c) {\n"
                         "#ifdef EXTRA\n"
                         "    tt_close(c);\n"
                         "#else\n"
                         "    tt_close(c);\n"
                         "#endif\n"
                         "#if 0\n"
                         "    tt_close(c);\n"
                         "#elif (0)\n"
                         "    tt_close(c);\n"
                         "#else\n"
                         "#if 1\n"
                         "    tt_sleep_ms(N);\n"
                         "#endif\n"
                         "#endif\n"
                         "}\n");
    assert_int_equal(model_func_find(tu, "dead"), -1);
    /* #ifdef is unknown without a build: both sides */
    assert_int_equal(count_kind(tu, "f", MODEL_EV_CLOSE), 2);
    const model_event *ev = find_event(tu, "f", MODEL_EV_SLEEP);
    assert_non_null(ev);
    assert_true(ev->flags & MODEL_EVF_NUM_KNOWN);
    assert_int_equal(ev->num, 7);
    model_free(tu);
}

static void test_null_tests(void **state)
{
    (void)state;
    model_tu *tu = build("#include <stddef.h>\n"
                         "#include <tether.h>\n"
                         "struct w { tt_ticker *t; int n; };\n"
                         "int f(struct w *w, tt_ticker *t, int x) {\n"
                         "    if (!(w->t == NULL)) x++;\n"
                         "    if (t && x) x++;\n"
                         "    if (w->n) x++;\n"
                         "    while (t) break;\n"
                         "    return x ? 1 : t != NULL;\n"
                         "}\n");
    assert_int_equal(count_kind(tu, "f", MODEL_EV_NULL_TEST), 1);
    const model_event *ev = find_event(tu, "f", MODEL_EV_NULL_TEST);
    assert_int_equal(ev->num, 1);
    assert_int_equal(ev->flags, MODEL_EVF_NUM_KNOWN);
    assert_string_equal(ev->text, "w->t");
    assert_int_equal(ev->loc.line, 5);
    assert_int_equal(ev->loc.col, 11);
    /* the last event of its block, which branches */
    const model_func *fn = &tu->funcs[model_func_find(tu, "f")];
    const model_block *entry = &fn->blocks[fn->entry];
    assert_int_equal(entry->events[entry->nevents - 1].kind, MODEL_EV_NULL_TEST);
    assert_int_equal(entry->nsucc, 2);
    model_free(tu);
}

static void test_num_ranges_and_returns(void **state)
{
    (void)state;
    model_tu *tu = build("#include <tether.h>\n"
                         "static tt_chan *mk(int n) {\n"
                         "    return tt_chan_new(sizeof(int), /* n */ n);\n"
                         "}\n"
                         "void g(tt_wg *wg, tt_ctx *p, long ms) {\n"
                         "    tt_wg_add(wg, -1);\n"
                         "    tt_ctx *c = tt_ctx_with_timeout(p, ms);\n"
                         "    tt_ctx_cancel(c);\n"
                         "}\n");
    const model_event *ev = find_event(tu, "mk", MODEL_EV_CHAN_NEW);
    assert_non_null(ev);
    assert_false(ev->flags & MODEL_EVF_NUM_KNOWN);
    assert_int_equal(ev->num_begin.line, 3);
    assert_int_equal(ev->num_begin.col, 45);
    assert_int_equal(ev->num_end.col, 46);
    assert_string_equal(ev->text, "(return)");
    const model_event *ret = find_event(tu, "mk", MODEL_EV_RETURN);
    assert_int_equal(ret->obj, ev->obj);
    assert_string_equal(tu->objs[ret->obj].name, "(return)");
    assert_int_equal(tu->objs[ret->obj].kind, MODEL_KIND_CHAN);
    ev = find_event(tu, "g", MODEL_EV_WG_ADD);
    assert_true(ev->flags & MODEL_EVF_NUM_KNOWN);
    assert_int_equal(ev->num, -1);
    ev = find_event(tu, "g", MODEL_EV_CTX_NEW);
    assert_true(ev->flags & MODEL_EVF_TIMEOUT);
    assert_false(ev->flags & MODEL_EVF_NUM_KNOWN);
    assert_int_equal(ev->num_begin.col, 40);
    assert_int_equal(ev->num_end.col, 42);
    model_free(tu);
}

static void test_counted_loops(void **state)
{
    (void)state;
    model_tu *tu = build("#include <tether.h>\n"
                         "void f(tt_chan *a, int n) {\n"
                         "    int v;\n"
                         "    tt_case cs[] = { TT_RECV(a, &v), TT_RECV(a, &v) };\n"
                         "    for (int i = 0; i < (int)(sizeof cs / sizeof cs[0]); i++) v++;\n"
                         "    for (int i = 0; i < n; i++) v++;\n"
                         "    for (int i = 0; i < 9; i++) i += 2;\n"
                         "    tt_select(cs, sizeof(cs) / sizeof *cs);\n"
                         "}\n");
    const model_func *fn = &tu->funcs[model_func_find(tu, "f")];
    size_t heads = 0, counted = 0;
    for (size_t b = 0; b < fn->nblocks; b++) {
        heads += fn->blocks[b].loop_head;
        if (fn->blocks[b].trips_known) {
            counted++;
            assert_int_equal(fn->blocks[b].trips, 2);
            assert_int_equal(fn->blocks[b].loc.line, 5);
        }
    }
    assert_int_equal(heads, 3);
    assert_int_equal(counted, 1);
    const model_event *ev = find_event(tu, "f", MODEL_EV_SELECT);
    assert_true(ev->flags & MODEL_EVF_NUM_KNOWN);
    assert_int_equal(ev->num, 2);
    model_free(tu);
}

/* The CASE_TEST events of function fn, in block order, into out (at most max). */
static size_t case_tests(const model_tu *tu, const char *fn, const model_event **out, size_t max)
{
    const model_func *func = &tu->funcs[model_func_find(tu, fn)];
    size_t n = 0;
    for (size_t b = 0; b < func->nblocks; b++) {
        const model_block *bl = &func->blocks[b];
        for (size_t e = 0; e < bl->nevents; e++) {
            if (bl->events[e].kind != MODEL_EV_CASE_TEST)
                continue;
            assert_int_equal(e, bl->nevents - 1); /* the last event of its block */
            if (n < max)
                out[n] = &bl->events[e];
            n++;
        }
    }
    return n;
}

static void test_case_tests(void **state)
{
    (void)state;
    model_tu *tu = build("#include <tether.h>\n"
                         "int f(tt_chan *a) {\n"
                         "    int v;\n"
                         "    tt_case cs[] = { TT_RECV(a, &v) };\n"
                         "    int r = tt_select_default(cs, 1);\n"
                         "    v = 2;\n"
                         "    if (r != TT_DEFAULT) return 1;\n"
                         "    if (!(tt_select(cs, 1) == 0)) return 2;\n"
                         "    r = v;\n"
                         "    if (r == 0) return 3;\n"
                         "    switch (tt_select(cs, 1)) { case 0: case TT_DEFAULT: break; default: break; }\n"
                         "    return 0;\n"
                         "}\n");
    const model_event *ct[4];
    assert_int_equal(case_tests(tu, "f", ct, 4), 3);
    /* r != TT_DEFAULT: the select of line 5, tested at r */
    assert_int_equal(ct[0]->num, -4);
    assert_true(ct[0]->flags & MODEL_EVF_NUM_KNOWN);
    assert_false(ct[0]->case_then);
    assert_int_equal(ct[0]->select_loc.line, 5);
    assert_int_equal(ct[0]->select_loc.col, 13);
    assert_int_equal(ct[0]->loc.line, 7);
    assert_int_equal(ct[0]->loc.col, 9);
    /* !(call == 0): then = case 0 did not run; at the call */
    assert_int_equal(ct[1]->num, 0);
    assert_false(ct[1]->case_then);
    assert_int_equal(ct[1]->select_loc.line, 8);
    assert_int_equal(ct[1]->loc.col, ct[1]->select_loc.col);
    /* r = v cancelled line 10's; the switch: num -1, labels on its blocks */
    assert_int_equal(ct[2]->num, -1);
    assert_int_equal(ct[2]->select_loc.line, 11);
    const model_func *fn = &tu->funcs[model_func_find(tu, "f")];
    int labels = 0;
    for (size_t b = 0; b < fn->nblocks; b++) {
        if (!fn->blocks[b].case_value_known)
            continue;
        labels++;
        assert_true(fn->blocks[b].case_value == 0 || fn->blocks[b].case_value == -4);
    }
    assert_int_equal(labels, 2);
    model_free(tu);
}

static void test_unreadable_file(void **state)
{
    (void)state;
    frontend_input in = { .path = "/nonexistent/dir/x.c" };
    model_tu *tu = (model_tu *)&in;
    char err[256] = "";
    assert_int_equal(frontend_treesitter_build(&in, &tu, NULL, err, sizeof err), -1);
    assert_null(tu);
    assert_non_null(strstr(err, "/nonexistent/dir/x.c"));
}

/* ---- values (model.h, "Values") ------------------------------------------- */

/* v in the dump's notation (a static buffer). */
static const char *val(const model_val *v)
{
    static char buf[1024];
    FILE *f = tmpfile();
    assert_non_null(f);
    mv_print(v, f);
    long n = ftell(f);
    rewind(f);
    size_t got = fread(buf, 1, n > 0 && (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1, f);
    buf[got] = '\0';
    fclose(f);
    return buf;
}

/* The n-th (0-based) event of this kind in function fn. */
static const model_event *nth_event(const model_tu *tu, const char *fn, model_ev_kind kind, int n)
{
    int32_t f = model_func_find(tu, fn);
    assert_true(f >= 0);
    const model_func *func = &tu->funcs[f];
    for (int32_t id = 0; id < func->nids; id++)
        for (size_t b = 0; b < func->nblocks; b++)
            for (size_t e = 0; e < func->blocks[b].nevents; e++) {
                const model_event *ev = &func->blocks[b].events[e];
                if (ev->id == id && ev->kind == kind && n-- == 0)
                    return ev;
            }
    fail_msg("no event %d of kind %s in %s", n, model_ev_kind_name(kind), fn);
    return NULL;
}

/* vals[i] of an event, printed. */
static const char *arg(const model_event *ev, size_t i)
{
    assert_true(i < ev->nvals);
    return val(ev->vals[i]);
}

/* The conditions of fn's blocks, in block order, joined by " | ". */
static const char *conds(const model_tu *tu, const char *fn)
{
    static char out[2048];
    out[0] = '\0';
    int32_t f = model_func_find(tu, fn);
    assert_true(f >= 0);
    const model_func *func = &tu->funcs[f];
    for (size_t b = 0; b < func->nblocks; b++)
        if (func->blocks[b].cond) {
            if (out[0])
                strcat(out, " | ");
            strncat(out, val(func->blocks[b].cond), sizeof out - strlen(out) - 4);
        }
    return out;
}

static void test_values_api_events(void **state)
{
    (void)state;
    model_tu *tu = build("#include <tether.h>\n"
                         "struct s { tt_wg wg; tt_chan *ch; };\n"
                         "static void task(void *a) { (void)a; }\n"
                         "void f(tt_chan *ch, struct s *s, tt_ctx *p) {\n"
                         "    int v = 0;\n"
                         "    tt_send(ch, &v);\n"
                         "    tt_chan *c = tt_chan_new(sizeof(int), 4);\n"
                         "    tt_wg_add(&s->wg, 2);\n"
                         "    tt_case cs[] = { TT_RECV(ch, &v), TT_RECV(tt_ctx_done(p), NULL) };\n"
                         "    tt_select(cs, 2);\n"
                         "    tt_spawn(task, s);\n"
                         "    tt_sleep_ms(5);\n"
                         "    tt_ctx *t = tt_ctx_with_timeout(p, 10);\n"
                         "    tt_ticker *tk = tt_ticker_new(10);\n"
                         "    tt_recv(tt_ticker_chan(tk), &v);\n"
                         "    tt_send_at(c, &v, __FILE__, __LINE__);\n"
                         "    tt_close(0);\n"
                         "    tt_ctx_cancel(t);\n"
                         "}\n");
    const model_event *ev = nth_event(tu, "f", MODEL_EV_SEND, 0);
    assert_int_equal(ev->nvals, 2);
    assert_string_equal(arg(ev, 0), "param0:ch");
    assert_string_equal(arg(ev, 1), "&v");
    ev = nth_event(tu, "f", MODEL_EV_CHAN_NEW, 0);
    assert_string_equal(arg(ev, 0), "?");
    assert_string_equal(arg(ev, 1), "4");
    int32_t chan_new = ev->id;
    ev = nth_event(tu, "f", MODEL_EV_WG_ADD, 0);
    assert_string_equal(arg(ev, 0), "&(param1:s->wg)");
    assert_string_equal(arg(ev, 1), "2");
    ev = nth_event(tu, "f", MODEL_EV_SELECT, 0);
    assert_string_equal(arg(ev, 0), "cs[]");
    assert_true(ev->vals[0]->is_array);
    assert_string_equal(arg(ev, 1), "2");
    assert_int_equal(ev->ncases, 2);
    assert_string_equal(val(ev->cases[0].ch), "param0:ch");
    assert_string_equal(val(ev->cases[0].elem), "&v");
    assert_string_equal(val(ev->cases[1].ch), "tt_ctx_done(param2:p)");
    assert_string_equal(val(ev->cases[1].elem), "NULL");
    ev = nth_event(tu, "f", MODEL_EV_SPAWN, 0);
    assert_non_null(ev->fn);
    assert_int_equal(ev->fn->kind, MODEL_VAL_FUNC);
    assert_string_equal(val(ev->fn), "func:task");
    assert_string_equal(arg(ev, 0), "func:task");
    assert_string_equal(arg(ev, 1), "param1:s");
    ev = nth_event(tu, "f", MODEL_EV_SLEEP, 0);
    assert_string_equal(arg(ev, 0), "5");
    ev = nth_event(tu, "f", MODEL_EV_CTX_NEW, 0);
    assert_string_equal(arg(ev, 0), "param2:p");
    assert_string_equal(arg(ev, 1), "10");
    ev = nth_event(tu, "f", MODEL_EV_TICKER_NEW, 0);
    assert_int_equal(ev->nvals, 1);
    assert_string_equal(arg(ev, 0), "10");
    /* an API value inside an event's operand: no event of its own */
    ev = nth_event(tu, "f", MODEL_EV_RECV, 0);
    assert_int_equal(ev->vals[0]->kind, MODEL_VAL_API);
    assert_string_equal(arg(ev, 0), "tt_ticker_chan(tk)");
    /* an `_at` variant: the call-site arguments are no operands */
    ev = nth_event(tu, "f", MODEL_EV_SEND, 1);
    assert_int_equal(ev->nvals, 2);
    assert_string_equal(arg(ev, 0), "c");
    /* a 0 where the API takes a pointer */
    ev = nth_event(tu, "f", MODEL_EV_CLOSE, 0);
    assert_string_equal(arg(ev, 0), "NULL");
    /* c = tt_chan_new(...): CHAN_NEW, then ASSIGN(c, RESULT(CHAN_NEW)) */
    ev = nth_event(tu, "f", MODEL_EV_ASSIGN, 1);
    assert_string_equal(arg(ev, 0), "c");
    assert_int_equal(ev->vals[1]->kind, MODEL_VAL_RESULT);
    assert_int_equal(ev->vals[1]->num, chan_new);
    assert_true(ev->id > chan_new);
    model_free(tu);
}

static void test_values_calls(void **state)
{
    (void)state;
    model_tu *tu = build("#include <stdio.h>\n"
                         "#include <stdlib.h>\n"
                         "#include <tether.h>\n"
                         "struct act { void (*f)(void *); void *env; };\n"
                         "static int twice(int x) { return 2 * x; }\n"
                         "int f(struct act *a, tt_chan *ch, int n) {\n"
                         "    printf(\"%d\\n\", n);\n"
                         "    a->f(a->env);\n"
                         "    int r = twice(twice(n)) + 1;\n"
                         "    if (r > 100)\n"
                         "        exit(r - 100);\n"
                         "    tt_verify_none(5);\n"
                         "    return r;\n"
                         "}\n");
    const model_event *ev = nth_event(tu, "f", MODEL_EV_CALL, 0);
    assert_string_equal(val(ev->fn), "func:printf");
    assert_null(ev->callee); /* no callee data where there was none */
    assert_int_equal(ev->nargs, 0);
    assert_int_equal(ev->nvals, 2);
    assert_int_equal(ev->vals[0]->kind, MODEL_VAL_STRING);
    assert_string_equal(arg(ev, 1), "param2:n");
    ev = nth_event(tu, "f", MODEL_EV_CALL, 1);
    assert_int_equal(ev->fn->kind, MODEL_VAL_FIELD);
    assert_string_equal(val(ev->fn), "param0:a->f");
    assert_string_equal(arg(ev, 0), "param0:a->env");
    /* same-file calls keep their callee; a call as a value is its RESULT */
    const model_event *inner = nth_event(tu, "f", MODEL_EV_CALL, 2);
    ev = nth_event(tu, "f", MODEL_EV_CALL, 3);
    assert_string_equal(inner->callee, "twice");
    assert_string_equal(arg(inner, 0), "param2:n");
    assert_int_equal(ev->vals[0]->kind, MODEL_VAL_RESULT);
    assert_int_equal(ev->vals[0]->num, inner->id);
    ev = nth_event(tu, "f", MODEL_EV_ASSIGN, 0);
    char want[32];
    snprintf(want, sizeof want, "%%%d + 1", (int)nth_event(tu, "f", MODEL_EV_CALL, 3)->id);
    assert_string_equal(arg(ev, 1), want);
    ev = nth_event(tu, "f", MODEL_EV_NORETURN, 0);
    assert_string_equal(ev->callee, "exit");
    assert_string_equal(arg(ev, 0), "r - 100");
    ev = nth_event(tu, "f", MODEL_EV_CALL, 4);
    assert_string_equal(val(ev->fn), "func:tt_verify_none");
    ev = nth_event(tu, "f", MODEL_EV_RETURN, 0);
    assert_int_equal(ev->nvals, 1);
    assert_string_equal(arg(ev, 0), "r");
    model_free(tu);
}

static void test_values_assignments(void **state)
{
    (void)state;
    model_tu *tu = build("#include <tether.h>\n"
                         "struct s { tt_chan *ch; int n; };\n"
                         "void f(struct s *s, int k) {\n"
                         "    int n = 3;\n"
                         "    n += k;\n"
                         "    n <<= 1;\n"
                         "    int a = n++;\n"
                         "    int b = --n;\n"
                         "    s->ch = tt_chan_new(4, 0);\n"
                         "    struct s v = {0};\n"
                         "    struct s w = { NULL, 2 };\n"
                         "    tt_wg wg = TT_WG_INIT;\n"
                         "    s->ch = 0;\n"
                         "    k = a = b;\n"
                         "}\n");
    static const char *const want[][2] = {
        { "n", "3" }, { "n", "n + param1:k" }, { "n", "n << 1" }, { "n", "n + 1" }, { "a", "%3 - 1" },
        { "n", "n - 1" }, { "b", "%5" }, { "param0:s->ch", "%7" }, { "v", "{}" },
        { "w", "{.ch: NULL, .n: 2}" }, { "wg", "{}" }, { "param0:s->ch", "NULL" }, { "a", "b" },
        { "param1:k", "%13" },
    };
    for (int i = 0; i < (int)(sizeof want / sizeof *want); i++) {
        const model_event *ev = nth_event(tu, "f", MODEL_EV_ASSIGN, i);
        assert_int_equal(ev->nvals, 2);
        assert_string_equal(arg(ev, 0), want[i][0]);
        assert_string_equal(arg(ev, 1), want[i][1]);
    }
    /* the ASSIGN of `s->ch = tt_chan_new(4, 0)` follows the CHAN_NEW */
    const model_event *made = nth_event(tu, "f", MODEL_EV_CHAN_NEW, 0);
    assert_int_equal(made->id, 7);
    assert_int_equal(nth_event(tu, "f", MODEL_EV_ASSIGN, 7)->id, 8);
    /* at the declared name / the expression's start */
    assert_int_equal(nth_event(tu, "f", MODEL_EV_ASSIGN, 0)->loc.col, 9);
    assert_int_equal(nth_event(tu, "f", MODEL_EV_ASSIGN, 1)->loc.col, 5);
    model_free(tu);
}

static void test_values_conditions(void **state)
{
    (void)state;
    model_tu *tu = build("#include <tether.h>\n"
                         "enum { A, B = 5 };\n"
                         "void f(tt_chan *ch, int a, int b) {\n"
                         "    int v = 0;\n"
                         "    if (a > b) v = 1;\n"
                         "    while (tt_recv(ch, &v) == TT_OK) v++;\n"
                         "    for (int i = 0; i < b; i++) v--;\n"
                         "    do v++; while (v < a);\n"
                         "    switch (v & 3) { case A: break; case B: default: v = 2; }\n"
                         "    if (a && tt_send(ch, &v) != TT_CLOSED) v = 3;\n"
                         "    int w = b || tt_send(ch, &v);\n"
                         "    w = a ? tt_send(ch, &v) : b;\n"
                         "}\n");
    assert_string_equal(conds(tu, "f"),
                        "param1:a > param2:b | %2 == 0 | i < param2:b | v < param1:a | v & 3 | "
                        "param1:a | param1:a && (%9 != -1) | !param2:b | param1:a");
    const model_func *fn = &tu->funcs[model_func_find(tu, "f")];
    bool dflt = false;
    for (size_t i = 0; i < fn->nblocks; i++)
        dflt |= fn->blocks[i].case_default;
    assert_true(dflt);
    /* the then successor (succ[0]) of `if (a > b)` holds `v = 1` */
    const model_block *head = &fn->blocks[fn->entry];
    assert_non_null(head->cond);
    assert_int_equal(head->nsucc, 2);
    const model_block *then = &fn->blocks[head->succ[0]];
    assert_int_equal(then->nevents, 1);
    assert_string_equal(arg(&then->events[0], 1), "1");
    const model_event *ev = nth_event(tu, "f", MODEL_EV_ASSIGN, 9);
    assert_string_equal(arg(ev, 0), "w");
    assert_string_equal(arg(ev, 1), "param2:b || %11");
    ev = nth_event(tu, "f", MODEL_EV_ASSIGN, 10);
    assert_string_equal(arg(ev, 1), "param1:a ? %13 : param2:b");
    model_free(tu);
}

/* Arms of ?: / && probed for events (nothing built then): API events,
 * selects, atomics, statement expressions in arms. */
static void test_values_in_arms(void **state)
{
    (void)state;
    model_tu *tu = build("#include <stdatomic.h>\n"
                         "#include <tether.h>\n"
                         "static atomic_int at;\n"
                         "int f(tt_chan *a, int x) {\n"
                         "    int v;\n"
                         "    tt_case cs[] = { TT_RECV(a, &v) };\n"
                         "    int r = x ? tt_select(cs, 1) : tt_select_default(cs, 1);\n"
                         "    r += x ? atomic_fetch_add(&at, 1) : atomic_load(&at);\n"
                         "    r += x ? ({ int q = 1; q; }) : 0;\n"
                         "    return x && tt_select(cs, 1) == 0 ? r : 0;\n"
                         "}\n");
    const model_event *s0 = nth_event(tu, "f", MODEL_EV_SELECT, 0);
    const model_event *s1 = nth_event(tu, "f", MODEL_EV_SELECT, 1);
    assert_string_equal(arg(s0, 0), "cs[]");
    assert_true(s1->has_default);
    char want[64];
    snprintf(want, sizeof want, "param1:x ? %%%d : %%%d", (int)s0->id, (int)s1->id);
    assert_string_equal(arg(nth_event(tu, "f", MODEL_EV_ASSIGN, 1), 1), want);
    /* atomic_fetch_add: *p = *p + 1, its value the old *p; atomic_load: *p */
    const model_event *add = nth_event(tu, "f", MODEL_EV_ASSIGN, 2);
    assert_string_equal(arg(add, 0), "*(&static:at)");
    assert_string_equal(arg(add, 1), "(*(&static:at)) + 1");
    snprintf(want, sizeof want, "r + (param1:x ? (%%%d - 1) : (*(&static:at)))", (int)add->id);
    assert_string_equal(arg(nth_event(tu, "f", MODEL_EV_ASSIGN, 3), 1), want);
    assert_string_equal(arg(nth_event(tu, "f", MODEL_EV_ASSIGN, 5), 1), "r + (param1:x ? q : 0)");
    model_free(tu);
}

static void test_values_identifiers(void **state)
{
    (void)state;
    model_tu *tu = build("#include <stdbool.h>\n"
                         "#include <tether.h>\n"
                         "#define N 4\n"
                         "#define NAME \"w\"\n"
                         "enum color { RED, GREEN = 5 };\n"
                         "struct s { tt_chan *chs[2]; int grid[2][3]; };\n"
                         "int g;\n"
                         "static tt_chan *sg[N];\n"
                         "extern int h(int);\n"
                         "int f(int p0, struct s *p1) {\n"
                         "    static int calls;\n"
                         "    int loc[3];\n"
                         "    bool t = true;\n"
                         "    calls = g + N + GREEN + TT_CLOSED + h(p0) + t + undeclared;\n"
                         "    loc[0] = p1->grid[1][2];\n"
                         "    sg[1] = p1->chs[0];\n"
                         "    void *q = NULL;\n"
                         "    const char *nm = NAME;\n"
                         "    int (*fp)(int) = h;\n"
                         "    return loc[0] + (q != 0) + fp(1) + (nm != 0);\n"
                         "}\n");
    const model_event *ev = nth_event(tu, "f", MODEL_EV_ASSIGN, 1);
    assert_string_equal(arg(ev, 0), "static:calls@f");
    assert_true(ev->vals[0]->is_static);
    assert_int_equal(ev->vals[0]->scope, MODEL_SCOPE_GLOBAL);
    /* N + GREEN + TT_CLOSED folded: 4 + 5 - 1 */
    char want[128];
    snprintf(want, sizeof want, "(((((global:g + 4) + 5) + -1) + %%%d) + t) + global:undeclared",
             (int)nth_event(tu, "f", MODEL_EV_CALL, 0)->id);
    assert_string_equal(arg(ev, 1), want);
    ev = nth_event(tu, "f", MODEL_EV_CALL, 0);
    assert_string_equal(val(ev->fn), "func:h");
    assert_int_equal(ev->vals[0]->kind, MODEL_VAL_VAR);
    assert_int_equal(ev->vals[0]->scope, MODEL_SCOPE_PARAM);
    assert_int_equal(ev->vals[0]->num, 0);
    ev = nth_event(tu, "f", MODEL_EV_ASSIGN, 0);
    assert_string_equal(arg(ev, 1), "1"); /* true */
    ev = nth_event(tu, "f", MODEL_EV_ASSIGN, 2);
    assert_string_equal(arg(ev, 0), "loc[][0]");
    assert_true(ev->vals[0]->sub[0]->is_array);
    assert_false(ev->vals[0]->is_array);
    /* p1->grid[1] is an array (2-D), p1->grid[1][2] is not */
    assert_string_equal(arg(ev, 1), "((param1:p1->grid[])[1][])[2]");
    ev = nth_event(tu, "f", MODEL_EV_ASSIGN, 3);
    assert_string_equal(arg(ev, 0), "static:sg[][1]");
    assert_string_equal(arg(ev, 1), "(param1:p1->chs[])[0]");
    ev = nth_event(tu, "f", MODEL_EV_ASSIGN, 4);
    assert_string_equal(arg(ev, 1), "NULL");
    ev = nth_event(tu, "f", MODEL_EV_ASSIGN, 5);
    assert_int_equal(ev->vals[1]->kind, MODEL_VAL_STRING);
    ev = nth_event(tu, "f", MODEL_EV_ASSIGN, 6);
    assert_string_equal(arg(ev, 1), "func:h");
    ev = nth_event(tu, "f", MODEL_EV_CALL, 1);
    assert_string_equal(val(ev->fn), "fp"); /* a call through a variable */
    ev = nth_event(tu, "f", MODEL_EV_RETURN, 0);
    assert_non_null(strstr(arg(ev, 0), "(q != NULL)"));
    model_free(tu);
}

/* String literals carry their text (as written; a macro's literal as
 * clang spells its expansion); glibc's ctype classifiers as clang sees the
 * macro: a CALL of __ctype_b_loc, value UNKNOWN. */
static void test_values_strings_and_ctype(void **state)
{
    (void)state;
    model_tu *tu = build("#include <ctype.h>\n"
                         "#include <stdio.h>\n"
                         "#include <tether.h>\n"
                         "#define GREETING \"hi\" \" there\"\n"
                         "int f(const char *s, tt_chan *c) {\n"
                         "    printf(\"%s:%d\" \" %s\\n\", __FILE__, __LINE__, __func__);\n"
                         "    puts(GREETING);\n"
                         "    tt_close(c);\n"
                         "    return isspace(*s);\n"
                         "}\n");
    const model_event *ev = nth_event(tu, "f", MODEL_EV_CALL, 0);
    assert_int_equal(ev->nvals, 4);
    assert_string_equal(ev->vals[0]->name, "\"%s:%d\" \" %s\\n\"");
    assert_string_equal(ev->vals[1]->name, "\"buffer.c\"");
    assert_string_equal(arg(ev, 2), "6");
    assert_string_equal(ev->vals[3]->name, "\"f\"");
    ev = nth_event(tu, "f", MODEL_EV_CALL, 1);
    assert_string_equal(ev->vals[0]->name, "\"hi there\"");
    ev = nth_event(tu, "f", MODEL_EV_CALL, 2);
    assert_string_equal(val(ev->fn), "func:__ctype_b_loc");
    assert_int_equal(ev->nvals, 0);
    ev = nth_event(tu, "f", MODEL_EV_RETURN, 0);
    assert_string_equal(arg(ev, 0), "?");
    model_free(tu);
}

static void test_values_globals(void **state)
{
    (void)state;
    model_tu *tu = build("#include <tether.h>\n"
                         "struct ops { void (*run)(void *); void *env; };\n"
                         "static void work(void *a) { (void)a; }\n"
                         "static struct ops ops = { work, 0 };\n"
                         "tt_chan *gch = NULL;\n"
                         "int counts[] = { 1, 2 };\n"
                         "void f(void) {\n"
                         "    static int calls = 7;\n"
                         "    calls++;\n"
                         "    tt_close(gch);\n"
                         "}\n");
    int32_t g = model_func_find(tu, "(globals)");
    assert_int_equal(g, (int32_t)tu->nfuncs - 1); /* after the file's functions */
    assert_true(tu->funcs[g].is_static);
    static const char *const want[][2] = {
        { "static:ops", "{.run: func:work, .env: NULL}" }, { "global:gch", "NULL" },
        { "global:counts[]", "{[0]: 1, [1]: 2}" }, { "static:calls@f", "7" },
    };
    for (int i = 0; i < 4; i++) {
        const model_event *ev = nth_event(tu, "(globals)", MODEL_EV_ASSIGN, i);
        assert_string_equal(arg(ev, 0), want[i][0]);
        assert_string_equal(arg(ev, 1), want[i][1]);
    }
    /* the static's ASSIGN is not in f: f's first ASSIGN is `calls++` */
    assert_string_equal(arg(nth_event(tu, "f", MODEL_EV_ASSIGN, 0), 1), "static:calls@f + 1");
    /* no initialized global: no (globals) */
    model_free(tu);
    tu = build("#include <tether.h>\nint g;\nvoid f(tt_chan *c) { tt_close(c); }\n");
    assert_int_equal(model_func_find(tu, "(globals)"), -1);
    model_free(tu);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_function_modeled),
        cmocka_unit_test(test_syntax_error_skips_only_that_function),
        cmocka_unit_test(test_benign_syntax_error_modeled_around),
        cmocka_unit_test(test_syntax_error_hiding_something_skips),
        cmocka_unit_test(test_unreadable_function_is_an_error),
        cmocka_unit_test(test_type_argument_is_no_error),
        cmocka_unit_test(test_unterminated_comment),
        cmocka_unit_test(test_half_written_function),
        cmocka_unit_test(test_garbage_yields_empty_model),
        cmocka_unit_test(test_constants),
        cmocka_unit_test(test_select_cases_and_loops),
        cmocka_unit_test(test_fields_by_tag),
        cmocka_unit_test(test_preproc_conditionals),
        cmocka_unit_test(test_null_tests),
        cmocka_unit_test(test_num_ranges_and_returns),
        cmocka_unit_test(test_counted_loops),
        cmocka_unit_test(test_case_tests),
        cmocka_unit_test(test_unreadable_file),
        cmocka_unit_test(test_values_api_events),
        cmocka_unit_test(test_values_calls),
        cmocka_unit_test(test_values_assignments),
        cmocka_unit_test(test_values_conditions),
        cmocka_unit_test(test_values_in_arms),
        cmocka_unit_test(test_values_identifiers),
        cmocka_unit_test(test_values_strings_and_ctype),
        cmocka_unit_test(test_values_globals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
