/* ts_select.c — which tt_select a branch tests, for MODEL_EV_CASE_TEST:
 * the variables of the function being walked whose last assignment was a
 * tt_select's result (in source order: a simple map name -> the select's
 * position, which any other store to the variable clears), and the if and
 * switch conditions that compare such a result, or the call itself, with a
 * constant. Mirrors the libclang front end's fe_select.c. */
#include "ts_internal.h"

#include <string.h>

static TSNode strip_parens_casts(ts_ctx *c, TSNode n)
{
    for (;;) {
        ts_sym k = ts_kind(c, n);
        if (k == TS_PAREN_EXPR) {
            /* the first named child that is not a comment */
            uint32_t cnt = ts_node_named_child_count(n);
            TSNode in = { 0 };
            for (uint32_t i = 0; i < cnt && ts_node_is_null(in); i++)
                if (ts_kind(c, ts_node_named_child(n, i)) != TS_COMMENT)
                    in = ts_node_named_child(n, i);
            n = in;
        } else if (k == TS_CAST) {
            n = ts_field(c, n, c->f_value);
        } else {
            return n;
        }
    }
}

/* A call of tt_select or tt_select_default (through parens and casts; not
 * through a variable of that name): its position, its SELECT event's. */
static bool select_call(ts_ctx *c, TSNode e, model_loc *loc)
{
    e = strip_parens_casts(c, e);
    if (ts_kind(c, e) != TS_CALL)
        return false;
    TSNode fid = ts_strip(c, ts_field(c, e, c->f_function));
    if (ts_kind(c, fid) != TS_IDENTIFIER || ts_find_var(c, fid))
        return false;
    uint32_t len;
    const char *name = ts_text(c, fid, &len);
    if (len > 6 && memcmp(name, "tt_", 3) == 0 && memcmp(name + len - 3, "_at", 3) == 0)
        len -= 3; /* tt_select_at (the macro's expansion, written out) */
    frontend_alias_apply(&name, &len);
    bool ok = (len == 9 && memcmp(name, "tt_select", 9) == 0) ||
              (len == 17 && memcmp(name, "tt_select_default", 17) == 0);
    if (ok)
        *loc = ts_loc(e);
    return ok;
}

static ts_selvar *find(ts_ctx *c, const char *name, uint32_t len)
{
    for (size_t i = 0; i < c->nselvars; i++)
        if (c->selvars[i].len == len && memcmp(c->selvars[i].name, name, len) == 0)
            return &c->selvars[i];
    return NULL;
}

void ts_sel_store(ts_ctx *c, TSNode lhs, TSNode rhs)
{
    if (c->probe)
        return; /* the walk that follows the probe sees the store */
    model_loc loc = { 0, 0 };
    bool set = !ts_node_is_null(rhs) && select_call(c, rhs, &loc);
    if (!set && c->nselvars == 0)
        return;
    lhs = strip_parens_casts(c, lhs);
    if (ts_kind(c, lhs) != TS_IDENTIFIER)
        return;
    uint32_t len;
    const char *name = ts_text(c, lhs, &len);
    ts_selvar *v = find(c, name, len);
    if (!set) {
        if (v)
            *v = c->selvars[--c->nselvars];
        return;
    }
    if (v) {
        v->loc = loc;
        return;
    }
    if (c->nselvars == c->capselvars) {
        c->capselvars = c->capselvars ? c->capselvars * 2 : 8;
        c->selvars = xrealloc(c->selvars, c->capselvars * sizeof *c->selvars);
    }
    c->selvars[c->nselvars++] = (ts_selvar){ name, len, loc };
}

/* Whether e is a select's result: the call itself, a variable holding it,
 * or `(r = tt_select(..))`. *sel: the select's position, *at: the tested
 * expression's. */
static bool source(ts_ctx *c, TSNode e, model_loc *sel, model_loc *at)
{
    e = strip_parens_casts(c, e);
    switch (ts_kind(c, e)) {
    case TS_CALL:
        if (!select_call(c, e, sel))
            return false;
        *at = *sel;
        return true;
    case TS_ASSIGNMENT: /* its value is the right operand's */
        if (!ts_text_is(c, ts_field(c, e, c->f_operator), "=") ||
            !select_call(c, ts_field(c, e, c->f_right), sel))
            return false;
        *at = *sel;
        return true;
    case TS_IDENTIFIER: {
        if (c->nselvars == 0)
            return false;
        uint32_t len;
        const char *name = ts_text(c, e, &len);
        ts_selvar *v = find(c, name, len);
        if (!v)
            return false;
        *sel = v->loc;
        *at = ts_loc(e);
        return true;
    }
    default:
        return false;
    }
}

static void emit(ts_ctx *c, model_loc at, model_loc sel, int64_t num, bool then)
{
    model_event *ev = mb_event(c->b, MODEL_EV_CASE_TEST, at);
    ev->flags = MODEL_EVF_NUM_KNOWN;
    ev->num = num;
    ev->select_loc = sel;
    ev->case_then = then;
}

void ts_case_test(ts_ctx *c, TSNode cond, bool is_switch)
{
    model_loc sel, at;
    if (is_switch) {
        if (source(c, cond, &sel, &at))
            emit(c, at, sel, -1, false);
        return;
    }
    bool sense = true; /* false under an odd number of `!` */
    TSNode e = cond;
    for (int guard = 0; guard < 16; guard++) {
        e = strip_parens_casts(c, e);
        if (source(c, e, &sel, &at)) {
            emit(c, at, sel, 0, !sense); /* `if (r)`: then = case 0 did not run */
            return;
        }
        ts_sym k = ts_kind(c, e);
        if (k == TS_UNARY) {
            if (!ts_text_is(c, ts_field(c, e, c->f_operator), "!"))
                return;
            e = ts_field(c, e, c->f_argument);
            sense = !sense;
            continue;
        }
        if (k != TS_BINARY)
            return;
        TSNode op = ts_field(c, e, c->f_operator);
        int eq = ts_text_is(c, op, "==") ? 1 : ts_text_is(c, op, "!=") ? 2 : 0;
        TSNode l = ts_field(c, e, c->f_left), r = ts_field(c, e, c->f_right);
        int64_t num = 0;
        bool ok = (source(c, l, &sel, &at) && ts_eval(c, r, &num)) ||
                  (source(c, r, &sel, &at) && ts_eval(c, l, &num));
        /* -1 is no select's result, and num = -1 marks a switch (model.h) */
        if (ok && eq && num != -1)
            emit(c, at, sel, num, (eq == 1) == sense);
        return;
    }
}
