/* fe_select.c — which tt_select a branch tests, for MODEL_EV_CASE_TEST:
 * the variables of the function being walked whose last assignment was a
 * tt_select's result (in source order: a simple map name -> the select's
 * position, which any other store to the variable clears), and the if and
 * switch conditions that compare such a result, or the call itself, with a
 * constant. Mirrors the tree-sitter front end's ts_select.c. */
#include "fe_clang.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fe_sel_reset(fe_state *st)
{
    for (size_t i = 0; i < st->nselvars; i++)
        free(st->selvars[i].name);
    st->nselvars = 0;
}

/* A call of tt_select or tt_select_default (through parens and casts): its
 * position, which is its SELECT event's. */
static bool fe__select_call(CXCursor e, model_loc *loc)
{
    e = fe_strip_parens(e);
    if (clang_getCursorKind(e) != CXCursor_CallExpr)
        return false;
    char *name = fe_callee_name(e, NULL);
    if (!name)
        return false;
    fe_api_name(name);
    bool ok = strcmp(name, "tt_select") == 0 || strcmp(name, "tt_select_default") == 0;
    free(name);
    if (ok)
        *loc = fe_cursor_loc(e);
    return ok;
}

/* The variable e names (through parens and casts), as a malloc'd string, or NULL. */
static char *fe__var_name(CXCursor e)
{
    e = fe_strip_parens(e);
    if (clang_getCursorKind(e) != CXCursor_DeclRefExpr)
        return NULL;
    enum CXCursorKind rk = clang_getCursorKind(clang_getCursorReferenced(e));
    if (rk != CXCursor_VarDecl && rk != CXCursor_ParmDecl)
        return NULL;
    CXString s = clang_getCursorSpelling(e);
    const char *c = clang_getCString(s);
    char *name = c && *c ? strdup(c) : NULL;
    clang_disposeString(s);
    return name;
}

static fe_selvar *fe__find(fe_state *st, const char *name)
{
    for (size_t i = 0; i < st->nselvars; i++)
        if (strcmp(st->selvars[i].name, name) == 0)
            return &st->selvars[i];
    return NULL;
}

/* Variable `name` (malloc'd, taken) now holds the select at loc, or (set
 * false) something else. */
static void fe__set(fe_state *st, char *name, bool set, model_loc loc)
{
    fe_selvar *v = fe__find(st, name);
    if (!set) {
        if (v) {
            free(v->name);
            *v = st->selvars[--st->nselvars];
        }
        free(name);
        return;
    }
    if (v) {
        v->loc = loc;
        free(name);
        return;
    }
    if (st->nselvars == st->capselvars) {
        size_t cap = st->capselvars ? st->capselvars * 2 : 8;
        fe_selvar *p = realloc(st->selvars, cap * sizeof *p);
        if (!p) {
            fputs("tether: error: out of memory\n", stderr);
            abort();
        }
        st->selvars = p;
        st->capselvars = cap;
    }
    st->selvars[st->nselvars++] = (fe_selvar){ name, loc };
}

void fe_sel_store(fe_state *st, CXCursor lhs, CXCursor rhs)
{
    if (st->probe)
        return; /* the walk that follows the probe sees the store */
    model_loc loc = { 0, 0 };
    bool set = !clang_Cursor_isNull(rhs) && fe__select_call(rhs, &loc);
    if (!set && st->nselvars == 0)
        return;
    char *name = fe__var_name(lhs);
    if (name)
        fe__set(st, name, set, loc);
}

void fe_sel_decl(fe_state *st, CXCursor var, CXCursor init)
{
    if (st->probe)
        return;
    model_loc loc = { 0, 0 };
    bool set = !clang_Cursor_isNull(init) && fe__select_call(init, &loc);
    if (!set && st->nselvars == 0)
        return;
    CXString s = clang_getCursorSpelling(var);
    const char *c = clang_getCString(s);
    char *name = c && *c ? strdup(c) : NULL;
    clang_disposeString(s);
    if (name)
        fe__set(st, name, set, loc);
}

void fe_sel_update(fe_state *st, CXCursor unary)
{
    if (st->probe || st->nselvars == 0)
        return;
    fe_kids k;
    fe_kids_get(unary, &k);
    CXCursor in = k.n == 1 ? k.v[0] : clang_getNullCursor();
    fe_kids_free(&k);
    if (clang_Cursor_isNull(in))
        return;
    /* libclang 14 does not name unary operators: ++ / -- as written,
     * before the operand or after it */
    CXSourceRange r = fe_extent(unary);
    long b = fe_offset(st, clang_getRangeStart(r)), e = fe_offset(st, clang_getRangeEnd(r));
    const char *s = st->buf;
    bool pre = b >= 0 && (size_t)b + 1 < st->buflen && (s[b] == '+' || s[b] == '-') && s[b + 1] == s[b];
    bool post = e >= 2 && (size_t)e <= st->buflen && (s[e - 1] == '+' || s[e - 1] == '-') &&
                s[e - 2] == s[e - 1];
    if (!pre && !post)
        return;
    char *name = fe__var_name(in);
    if (name)
        fe__set(st, name, false, (model_loc){ 0, 0 });
}

/* Whether e is a select's result: the call itself, a variable holding it,
 * or `(r = tt_select(..))`. *sel: the select's position, *at: the tested
 * expression's. */
static bool fe__source(fe_state *st, CXCursor e, model_loc *sel, model_loc *at)
{
    e = fe_strip_parens(e);
    enum CXCursorKind k = clang_getCursorKind(e);
    if (k == CXCursor_CallExpr) {
        if (!fe__select_call(e, sel))
            return false;
        *at = *sel;
        return true;
    }
    if (k == CXCursor_BinaryOperator) {
        /* an assignment: its value is the right operand's */
        fe_kids kk;
        fe_kids_get(e, &kk);
        bool ok = false;
        if (kk.n == 2) {
            const char *op = fe_binop(st, kk.v[0], kk.v[1]);
            if (op && op[0] == '=' && (op + 1 >= st->buf + st->buflen || op[1] != '=') &&
                fe__select_call(kk.v[1], sel)) {
                *at = *sel;
                ok = true;
            }
        }
        fe_kids_free(&kk);
        return ok;
    }
    if (st->nselvars == 0)
        return false;
    char *name = fe__var_name(e);
    if (!name)
        return false;
    fe_selvar *v = fe__find(st, name);
    free(name);
    if (!v)
        return false;
    *sel = v->loc;
    *at = fe_cursor_loc(e);
    return true;
}

static void fe__emit(fe_state *st, model_loc at, model_loc sel, int64_t num, bool then)
{
    model_event *ev = mb_event(st->b, MODEL_EV_CASE_TEST, at);
    ev->flags = MODEL_EVF_NUM_KNOWN;
    ev->num = num;
    ev->select_loc = sel;
    ev->case_then = then;
}

void fe_case_test(fe_state *st, CXCursor cond, bool is_switch)
{
    model_loc sel, at;
    if (is_switch) {
        if (fe__source(st, cond, &sel, &at))
            fe__emit(st, at, sel, -1, false);
        return;
    }
    bool sense = true; /* false under an odd number of `!` */
    CXCursor e = cond;
    for (int guard = 0; guard < 16; guard++) {
        e = fe_strip_parens(e);
        if (fe__source(st, e, &sel, &at)) {
            fe__emit(st, at, sel, 0, !sense); /* `if (r)`: then = case 0 did not run */
            return;
        }
        enum CXCursorKind k = clang_getCursorKind(e);
        if (k == CXCursor_UnaryOperator) {
            fe_kids kk;
            fe_kids_get(e, &kk);
            bool not = kk.n == 1 && fe_is_not(st, e, kk.v[0]);
            if (not)
                e = kk.v[0];
            fe_kids_free(&kk);
            if (!not)
                return;
            sense = !sense;
            continue;
        }
        if (k != CXCursor_BinaryOperator)
            return;
        fe_kids kk;
        fe_kids_get(e, &kk);
        int64_t num = 0;
        bool ok = false;
        if (kk.n == 2) {
            if (fe__source(st, kk.v[0], &sel, &at) && fe_eval_int(kk.v[1], &num))
                ok = true;
            else if (fe__source(st, kk.v[1], &sel, &at) && fe_eval_int(kk.v[0], &num))
                ok = true;
        }
        int op = ok ? fe_eq_op(st, e, kk.v[0], kk.v[1]) : 0;
        fe_kids_free(&kk);
        /* -1 is no select's result, and num = -1 marks a switch (model.h) */
        if (op && num != -1)
            fe__emit(st, at, sel, num, (op == 1) == sense);
        return;
    }
}
