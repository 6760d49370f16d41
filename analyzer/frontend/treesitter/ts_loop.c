/* ts_loop.c — the trip count of a counted for loop (mb_loop_trips):
 * `for (i = A; i < B; i++)` and its kin (`<=`, `>`, `>=`, `!=`, `i--`,
 * `i += K`, `int i = A`) with constant A, B and K, and a body that does
 * not change i — exactly as clang's fe_loop.c reads it. */
#include "ts_internal.h"
#include "frontend/loop_count.h"

#include <string.h>

static TSNode unparen(ts_ctx *c, TSNode n)
{
    while (ts_kind(c, n) == TS_PAREN_EXPR)
        n = ts_node_named_child(n, 0);
    return n;
}

/* n is the variable `name` (len bytes), through parens. */
static bool is_var(ts_ctx *c, TSNode n, const char *name, uint32_t len)
{
    n = unparen(c, n);
    uint32_t l;
    const char *t = ts_text(c, n, &l);
    return ts_kind(c, n) == TS_IDENTIFIER && l == len && memcmp(t, name, len) == 0;
}

/* init: `int i = A` or `i = A`; the name is a pointer into the source. */
static bool loop_init(ts_ctx *c, TSNode init, const char **name, uint32_t *len, int64_t *a)
{
    TSNode var = { 0 }, value = { 0 };
    if (ts_kind(c, init) == TS_DECLARATION) {
        size_t first = ts_kids(c, init, true);
        size_t decls = 0;
        TSNode d = { 0 };
        for (size_t i = first; i < c->nkids; i++)
            if (c->kid_fields[i] == c->f_declarator)
                decls++, d = c->kids[i];
        ts_kids_pop(c, first);
        if (decls != 1 || ts_kind(c, d) != TS_INIT_DECLARATOR)
            return false;
        var = ts_field(c, d, c->f_declarator);
        value = ts_field(c, d, c->f_value);
    } else if (ts_kind(c, init) == TS_ASSIGNMENT && ts_text_is(c, ts_field(c, init, c->f_operator), "=")) {
        var = unparen(c, ts_field(c, init, c->f_left));
        value = ts_field(c, init, c->f_right);
    }
    if (ts_kind(c, var) != TS_IDENTIFIER || ts_node_is_null(value) || !ts_eval(c, value, a))
        return false;
    *name = ts_text(c, var, len);
    return true;
}

/* cond: `i OP B` or `B OP i`; op as if i were on the left. */
static bool loop_cond(ts_ctx *c, TSNode cond, const char *name, uint32_t len, char op[3], int64_t *b)
{
    cond = unparen(c, cond);
    if (ts_kind(c, cond) != TS_BINARY)
        return false;
    TSNode l = ts_field(c, cond, c->f_left), r = ts_field(c, cond, c->f_right);
    uint32_t ol;
    const char *o = ts_text(c, ts_field(c, cond, c->f_operator), &ol);
    bool left = is_var(c, l, name, len) && ts_eval(c, r, b);
    bool right = !left && is_var(c, r, name, len) && ts_eval(c, l, b);
    if (!left && !right)
        return false;
    if (!((ol == 1 && (o[0] == '<' || o[0] == '>')) ||
          (ol == 2 && o[1] == '=' && (o[0] == '<' || o[0] == '>' || o[0] == '!'))))
        return false;
    op[0] = o[0];
    op[1] = ol == 2 ? '=' : '\0';
    op[2] = '\0';
    if (right && op[0] != '!')
        op[0] = op[0] == '<' ? '>' : '<'; /* B < i is i > B */
    return true;
}

/* step: `i++`, `++i`, `i--`, `--i`, `i += K`, `i -= K`. */
static bool loop_step(ts_ctx *c, TSNode step, const char *name, uint32_t len, int64_t *k)
{
    ts_sym kind = ts_kind(c, step);
    if (kind == TS_UPDATE) {
        /* `(i)++` is not counted: clang's front end reads `i++` as written */
        if (ts_kind(c, ts_field(c, step, c->f_argument)) != TS_IDENTIFIER ||
            !is_var(c, ts_field(c, step, c->f_argument), name, len))
            return false;
        TSNode op = ts_field(c, step, c->f_operator);
        *k = ts_text_is(c, op, "--") ? -1 : 1;
        return true;
    }
    if (kind != TS_ASSIGNMENT || !is_var(c, ts_field(c, step, c->f_left), name, len) ||
        !ts_eval(c, ts_field(c, step, c->f_right), k))
        return false;
    TSNode op = ts_field(c, step, c->f_operator);
    if (ts_text_is(c, op, "-="))
        *k = -*k;
    else if (!ts_text_is(c, op, "+="))
        return false;
    return true;
}

bool ts_loop_trips(ts_ctx *c, TSNode init, TSNode cond, TSNode step, TSNode body, int64_t *trips)
{
    const char *name;
    uint32_t len;
    char op[3];
    int64_t a, b, k;
    if (ts_node_is_null(init) || ts_node_is_null(cond) || ts_node_is_null(step) || ts_node_is_null(body))
        return false;
    if (!loop_init(c, init, &name, &len, &a) || !loop_cond(c, cond, name, len, op, &b) ||
        !loop_step(c, step, name, len, &k) || k == 0)
        return false;
    if (loop_count_body_changes(c->src, ts_node_start_byte(body), ts_node_end_byte(body), name, len))
        return false;
    return loop_count_trips(a, op, b, k, trips);
}
