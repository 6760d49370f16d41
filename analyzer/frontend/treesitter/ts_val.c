/* ts_val.c — values (model.h, "Values") of the leaves of expressions and
 * the folding of operators over them; ts_expr.c builds the trees while it
 * walks (no second pass). Nothing here is called while probing: the walk
 * builds no values then. */
#include "ts_internal.h"

#include <stdio.h>
#include <string.h>

/* The name of the function being built, for "NAME@FUNC". */
static const char *func_name(const ts_ctx *c)
{
    return c->func >= 0 ? c->tu->funcs[c->func].name : "";
}

/* Integer macros of the C library that clang folds from the headers (the
 * usual x86-64 Linux values). */
static const struct { const char *name; int64_t value; } libc_consts[] = {
    { "EXIT_SUCCESS", 0 }, { "EXIT_FAILURE", 1 }, { "EOF", -1 },
    { "STDIN_FILENO", 0 }, { "STDOUT_FILENO", 1 }, { "STDERR_FILENO", 2 },
    { "CHAR_BIT", 8 }, { "INT_MAX", 2147483647 }, { "INT_MIN", -2147483647 - 1 },
    { "UINT_MAX", 4294967295 }, { "RAND_MAX", 2147483647 },
    { "CLOCK_REALTIME", 0 }, { "CLOCK_MONOTONIC", 1 },
};

static bool is_text(const char *s, uint32_t len, const char *lit)
{
    return strlen(lit) == len && memcmp(s, lit, len) == 0;
}

/* A STRING value whose text (model.h: the literal as written, quotes
 * included) is text[0..len). */
static model_val *string_val(ts_ctx *c, const char *text, size_t len)
{
    return mv_string(c->tu, arena_strndup(c->arena, text, len));
}

/* `"` s `"` as a STRING value. */
static model_val *quoted(ts_ctx *c, const char *s)
{
    size_t n = strlen(s);
    char *q = arena_alloc(c->arena, n + 3);
    q[0] = '"';
    memcpy(q + 1, s, n);
    q[n + 1] = '"';
    q[n + 2] = '\0';
    return string_val(c, q, n + 2);
}

/* A macro body made of string literals only (`"a" "b"`), as clang spells
 * the expanded literal: one literal, the parts joined (`"ab"`); NULL if the
 * body is something else. */
static model_val *macro_string(ts_ctx *c, const char *t, uint32_t len)
{
    char *out = arena_alloc(c->arena, (size_t)len + 3);
    size_t n = 0;
    out[n++] = '"';
    uint32_t i = 0;
    bool any = false;
    for (;;) {
        while (i < len && (t[i] == ' ' || t[i] == '\t' || t[i] == '\r' || t[i] == '\n'))
            i++;
        if (i + 1 < len && t[i] == '/' && (t[i + 1] == '/' || t[i + 1] == '*'))
            break; /* a comment after the body */
        if (i >= len)
            break;
        if (t[i] != '"')
            return NULL;
        for (i++; i < len && t[i] != '"'; i++) {
            if (t[i] == '\\' && i + 1 < len)
                out[n++] = t[i++];
            out[n++] = t[i];
        }
        if (i >= len)
            return NULL; /* unterminated */
        i++;
        any = true;
    }
    if (!any)
        return NULL;
    out[n++] = '"';
    return string_val(c, out, n);
}

/* An object-like macro of this file whose body is a string literal or a
 * null pointer constant, as clang sees its expansion; else NULL. */
static model_val *macro_value(ts_ctx *c, const ts_entry *m)
{
    if (ts_node_is_null(m->node))
        return NULL;
    uint32_t len;
    const char *t = ts_text(c, m->node, &len);
    char buf[64];
    size_t n = 0;
    for (uint32_t i = 0; i < len && n + 1 < sizeof buf; i++) {
        if (t[i] == '/' && i + 1 < len && (t[i + 1] == '/' || t[i + 1] == '*'))
            break; /* a comment after the body */
        if (t[i] == '"')
            return n == 0 ? macro_string(c, t, len) : NULL;
        if (t[i] != ' ' && t[i] != '\t' && t[i] != '\r' && t[i] != '\n')
            buf[n++] = t[i];
    }
    buf[n] = '\0';
    if (strcmp(buf, "NULL") == 0 || strcmp(buf, "((void*)0)") == 0 || strcmp(buf, "(void*)0") == 0)
        return mv_null(c->tu);
    return NULL;
}

model_val *ts_val_ident(ts_ctx *c, TSNode n)
{
    uint32_t len;
    const char *s = ts_text(c, n, &len);
    ts_entry *v = ts_find_var(c, n);
    if (v) {
        model_val *out;
        if (v->ns == NS_LOCAL && v->is_extern_local) {
            ts_entry *g = ts_find(c, NS_GLOBAL, s, len, NULL, 0);
            out = mv_var(c->tu, MODEL_SCOPE_GLOBAL, ts_tmp(c, n), 0, g && g->is_static);
        } else if (v->ns == NS_LOCAL && v->is_static_local) {
            char buf[600];
            snprintf(buf, sizeof buf, "%.*s@%s", (int)(len < 256 ? len : 256), s, func_name(c));
            out = mv_var(c->tu, MODEL_SCOPE_GLOBAL, buf, 0, true);
        } else if (v->ns == NS_LOCAL && v->param_index >= 0) {
            out = mv_var(c->tu, MODEL_SCOPE_PARAM, ts_tmp(c, n), v->param_index, false);
        } else if (v->ns == NS_LOCAL) {
            out = mv_var(c->tu, MODEL_SCOPE_LOCAL, ts_tmp(c, n), 0, false);
        } else {
            out = mv_var(c->tu, MODEL_SCOPE_GLOBAL, ts_tmp(c, n), 0, v->is_static);
        }
        out->is_array = v->type.is_array;
        return out;
    }
    ts_entry *e = ts_find(c, NS_ENUM, s, len, NULL, 0);
    if (e)
        return e->value_known ? mv_int(c->tu, e->value) : mv_unknown(c->tu);
    ts_entry *m = ts_find(c, NS_MACRO, s, len, NULL, 0);
    if (m) {
        int64_t k;
        if (ts_eval(c, n, &k))
            return mv_int(c->tu, k);
        model_val *mv = macro_value(c, m);
        if (mv)
            return mv;
    }
    if (ts_find(c, NS_FUNC, s, len, NULL, 0) || ts_find(c, NS_PROTO, s, len, NULL, 0))
        return mv_func(c->tu, ts_tmp(c, n));
    if (is_text(s, len, "TT_WG_INIT") || is_text(s, len, "TT_MUTEX_INIT"))
        return mv_init(c->tu, 0);
    if (ts_tether_function(s, len))
        return mv_func(c->tu, ts_tmp(c, n)); /* `f->cancel = tt_ctx_cancel;` */
    if (is_text(s, len, "__FILE__"))
        return quoted(c, c->tu->path ? c->tu->path : ""); /* the path as given */
    if (is_text(s, len, "__func__") || is_text(s, len, "__FUNCTION__"))
        return quoted(c, func_name(c));
    if (is_text(s, len, "__LINE__"))
        return mv_int(c->tu, ts_loc(n).line);
    if (!ts_find(c, NS_MACRO, s, len, NULL, 0))
        for (size_t i = 0; i < sizeof libc_consts / sizeof *libc_consts; i++)
            if (is_text(s, len, libc_consts[i].name))
                return mv_int(c->tu, libc_consts[i].value);
    return mv_var(c->tu, MODEL_SCOPE_GLOBAL, ts_tmp(c, n), 0, false);
}

model_val *ts_val_leaf(ts_ctx *c, TSNode n)
{
    int64_t k;
    switch (ts_kind(c, n)) {
    case TS_IDENTIFIER:
        return ts_val_ident(c, n);
    case TS_NUMBER:
    case TS_CHAR_LITERAL:
    case TS_TRUE:
    case TS_FALSE:
        return ts_eval(c, n, &k) ? mv_int(c->tu, k) : mv_unknown(c->tu);
    case TS_NULL:
        return mv_null(c->tu);
    case TS_STRING_LITERAL:
    case TS_CONCAT_STRING: {
        uint32_t len;
        const char *t = ts_text(c, n, &len);
        return string_val(c, t, len); /* first to last byte, as written */
    }
    default:
        return mv_unknown(c->tu);
    }
}

model_op ts_val_binop_of(ts_ctx *c, TSNode op)
{
    static const struct { const char *s; model_op op; } ops[] = {
        { "+", MODEL_OP_ADD }, { "-", MODEL_OP_SUB }, { "*", MODEL_OP_MUL }, { "/", MODEL_OP_DIV },
        { "%", MODEL_OP_MOD }, { "<<", MODEL_OP_SHL }, { ">>", MODEL_OP_SHR },
        { "&", MODEL_OP_BITAND }, { "|", MODEL_OP_BITOR }, { "^", MODEL_OP_BITXOR },
        { "<", MODEL_OP_LT }, { "<=", MODEL_OP_LE }, { ">", MODEL_OP_GT }, { ">=", MODEL_OP_GE },
        { "==", MODEL_OP_EQ }, { "!=", MODEL_OP_NE }, { "&&", MODEL_OP_LAND }, { "||", MODEL_OP_LOR },
    };
    uint32_t len;
    const char *s = ts_text(c, op, &len);
    if (len && s[len - 1] == '=' && len >= 2 && !(len == 2 && (s[0] == '=' || s[0] == '!' || s[0] == '<' || s[0] == '>')))
        len--; /* a compound assignment's `+=`, `<<=`: its operator */
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
        if (is_text(s, len, ops[i].s))
            return ops[i].op;
    return MODEL_OP_NONE;
}

static bool is_int(const model_val *v)
{
    return v && v->kind == MODEL_VAL_INT;
}

model_val *ts_val_binop(ts_ctx *c, model_op op, model_val *a, model_val *b)
{
    int64_t k;
    if (is_int(a) && is_int(b) && model_fold_binop(op, a->num, b->num, &k))
        return mv_int(c->tu, k);
    return mv_binop(c->tu, op, a, b);
}

model_val *ts_val_unop(ts_ctx *c, model_op op, model_val *a)
{
    if (is_int(a)) {
        uint64_t u = (uint64_t)a->num;
        switch (op) {
        case MODEL_OP_NOT: return mv_int(c->tu, a->num == 0);
        case MODEL_OP_NEG: return mv_int(c->tu, (int64_t)(0 - u));
        case MODEL_OP_BITNOT: return mv_int(c->tu, (int64_t)~u);
        default: break;
        }
    }
    return mv_unop(c->tu, op, a);
}

model_val *ts_val_cond(ts_ctx *c, model_val *cond, model_val *a, model_val *b)
{
    if (is_int(cond) && is_int(a) && is_int(b))
        return mv_int(c->tu, cond->num ? a->num : b->num);
    return mv_cond(c->tu, cond, a, b);
}

model_val *ts_val_ptr(ts_ctx *c, model_val *v)
{
    if (!v)
        return v;
    if (v->kind == MODEL_VAL_INT && v->num == 0)
        return mv_null(c->tu);
    if (v->kind == MODEL_VAL_COND && v->nsub == 3) {
        /* `x ? p : 0` stored into a pointer: the 0 arm is a null pointer */
        model_val *a = ts_val_ptr(c, v->sub[1]), *b = ts_val_ptr(c, v->sub[2]);
        if (a != v->sub[1] || b != v->sub[2])
            return mv_cond(c->tu, v->sub[0], a, b);
    }
    return v;
}

/* The parameters of a function declarator that are pointers (arrays and
 * functions as parameters are pointers too), one bit each (the first 64). */
static uint64_t ptr_params(ts_ctx *c, TSNode fdecl)
{
    TSNode plist = ts_field(c, fdecl, c->f_parameters);
    uint64_t mask = 0;
    unsigned i = 0;
    uint32_t n = ts_node_named_child_count(plist);
    for (uint32_t k = 0; k < n && i < 64; k++) {
        TSNode p = ts_node_named_child(plist, k);
        if (ts_kind(c, p) != TS_PARAMETER_DECLARATION) {
            if (ts_kind(c, p) == TS_IDENTIFIER)
                i++; /* K&R: an int unless declared below */
            continue;
        }
        TSNode spec = ts_field(c, p, c->f_type), d = ts_field(c, p, c->f_declarator), name;
        if (ts_node_is_null(d) && ts_text_is(c, spec, "void"))
            continue; /* f(void) */
        ts_type t = ts_declarator(c, d, ts_type_of_spec(c, spec), &name, NULL);
        if (t.is_pointer || t.is_array || t.is_function)
            mask |= (uint64_t)1 << i;
        i++;
    }
    return mask;
}

uint64_t ts_val_ptr_params(ts_ctx *c, ts_entry *proto)
{
    if (proto->state != 2) {
        proto->ptr_params = ts_node_is_null(proto->node) ? 0 : ptr_params(c, proto->node);
        proto->state = 2;
    }
    return proto->ptr_params;
}
