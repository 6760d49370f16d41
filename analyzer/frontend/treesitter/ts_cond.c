/* ts_cond.c — an if condition that tests one object against NULL, for
 * MODEL_EV_NULL_TEST: `t`, `!t`, `t == NULL`, `t != 0`, `NULL == t`,
 * `!(t == NULL)`, through parens and casts, where t is a variable, field or
 * array element whose type holds a tether object, or an assignment to one
 * (`(t = make()) == NULL`), as clang's fe_cond.c. */
#include "ts_internal.h"

/* The first named child that is not a comment. */
static TSNode inner(ts_ctx *c, TSNode n)
{
    uint32_t k = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < k; i++) {
        TSNode sub = ts_node_named_child(n, i);
        if (ts_kind(c, sub) != TS_COMMENT)
            return sub;
    }
    return (TSNode){ 0 };
}

static TSNode strip_parens_casts(ts_ctx *c, TSNode n)
{
    for (;;) {
        ts_sym k = ts_kind(c, n);
        if (k == TS_PAREN_EXPR)
            n = inner(c, n);
        else if (k == TS_CAST)
            n = ts_field(c, n, c->f_value);
        else
            return n;
    }
}

/* NULL or 0, through parens and casts. */
static bool null_const(ts_ctx *c, TSNode n)
{
    n = strip_parens_casts(c, n);
    int64_t v;
    ts_sym k = ts_kind(c, n);
    return k == TS_NULL || (k == TS_NUMBER && ts_eval(c, n, &v) && v == 0);
}

/* A place whose type holds a tether object (`*p` and calls are not), or an
 * assignment to one (`(ch = tt_chan_new(...)) == NULL` tests ch). */
static bool obj_expr(ts_ctx *c, TSNode n)
{
    n = strip_parens_casts(c, n);
    switch (ts_kind(c, n)) {
    case TS_ASSIGNMENT:
        return ts_text_is(c, ts_field(c, n, c->f_operator), "=") && obj_expr(c, ts_field(c, n, c->f_left));
    case TS_IDENTIFIER:
        if (!ts_find_var(c, n))
            return false;
        break;
    case TS_FIELD_EXPR:
    case TS_SUBSCRIPT:
        break;
    default:
        return false;
    }
    return ts_type_of_expr(c, n).kind != MODEL_KIND_NONE;
}

bool ts_null_test(ts_ctx *c, TSNode cond, TSNode *obj, bool *nonnull)
{
    bool sense = true; /* false under an odd number of `!` */
    TSNode e = cond;
    for (int guard = 0; guard < 16; guard++) {
        e = strip_parens_casts(c, e);
        ts_sym k = ts_kind(c, e);
        if (k == TS_UNARY) {
            if (!ts_text_is(c, ts_field(c, e, c->f_operator), "!"))
                return false;
            e = ts_field(c, e, c->f_argument);
            sense = !sense;
            continue;
        }
        if (k == TS_BINARY) {
            TSNode op = ts_field(c, e, c->f_operator);
            bool eq = ts_text_is(c, op, "=="), ne = ts_text_is(c, op, "!=");
            if (!eq && !ne)
                return false;
            TSNode l = ts_field(c, e, c->f_left), r = ts_field(c, e, c->f_right), o;
            if (null_const(c, r) && obj_expr(c, l))
                o = l;
            else if (null_const(c, l) && obj_expr(c, r))
                o = r;
            else
                return false;
            *obj = strip_parens_casts(c, o);
            *nonnull = ne == sense;
            return true;
        }
        if (!obj_expr(c, e))
            return false;
        *obj = e;
        *nonnull = sense;
        return true;
    }
    return false;
}
