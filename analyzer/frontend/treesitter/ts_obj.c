/* ts_obj.c — the model object an expression denotes, its type and its text
 * as written, following model.h's mapping rules exactly as the libclang front
 * end applies them (frontend/clang/fe_expr.c): variables that are pointers or
 * hold a tether type, fields by struct tag, `chs[i]` as `chs`, `&x`, `*p`,
 * casts and parens as their operand, tt_ctx_done / tt_ticker_chan / tt_after
 * / tt_ctx_background and NULL as the special objects. */
#include "ts_internal.h"

#include <string.h>

TSNode ts_strip(ts_ctx *c, TSNode n)
{
    for (;;) {
        switch (ts_kind(c, n)) {
        case TS_PAREN_EXPR: {
            TSNode in = ts_node_named_child(n, 0);
            if (ts_node_is_null(in) || ts_kind(c, in) == TS_COMPOUND_STATEMENT)
                return n;
            n = in;
            break;
        }
        case TS_CAST:
            n = ts_field(c, n, c->f_value);
            break;
        case TS_POINTER_EXPR:
            n = ts_field(c, n, c->f_argument);
            break;
        default:
            return n;
        }
        if (ts_node_is_null(n))
            return n;
    }
}

/* ---- Conditional values ---------------------------------------------------- *
 * `c ? a : b` and GNU `x ?: y` as values: their arms (nested conditionals
 * flattened, in source order). As an object (an event's, a RETURN's, a
 * call's argument) a conditional is its first arm that holds an object other
 * than NULL, and the arms are aliased together: whichever is taken, it is
 * the same place for the rules. (A store aliases the destination with each
 * arm instead, ts_expr.c.) Exactly as clang's fe_expr.c. */

static size_t arms_of(ts_ctx *c, TSNode e, TSNode *arms, size_t max, size_t n)
{
    TSNode s = ts_strip(c, e);
    if (ts_kind(c, s) == TS_CONDITIONAL) {
        TSNode a0 = ts_field(c, s, c->f_consequence);
        /* GNU `x ?: y`: x is the value when it is not 0 */
        n = arms_of(c, ts_node_is_null(a0) ? ts_field(c, s, c->f_condition) : a0, arms, max, n);
        return arms_of(c, ts_field(c, s, c->f_alternative), arms, max, n);
    }
    if (n < max && !ts_node_is_null(e))
        arms[n++] = e;
    return n;
}

size_t ts_cond_arms(ts_ctx *c, TSNode e, TSNode *arms, size_t max)
{
    TSNode s = ts_strip(c, e);
    if (ts_kind(c, s) != TS_CONDITIONAL)
        return 0;
    return arms_of(c, s, arms, max, 0);
}

/* The object of conditional e and the arm it comes from. */
static model_obj_id cond_obj(ts_ctx *c, TSNode e, bool pointer_context, TSNode *from)
{
    TSNode arms[TS_MAX_ARMS];
    size_t n = ts_cond_arms(c, e, arms, TS_MAX_ARMS);
    model_obj_id pick = MODEL_NO_OBJ, null = MODEL_NO_OBJ;
    TSNode pick_at = { 0 }, null_at = { 0 };
    for (size_t i = 0; i < n; i++) {
        model_obj_id o = ts_obj_of(c, arms[i], pointer_context);
        if (o == MODEL_NO_OBJ)
            continue;
        if (c->tu->objs[o].scope == MODEL_SCOPE_NULL) {
            if (null == MODEL_NO_OBJ) {
                null = o;
                null_at = arms[i];
            }
        } else if (pick == MODEL_NO_OBJ) {
            pick = o;
            pick_at = arms[i];
        } else {
            model_obj_alias(c->tu, pick, o);
        }
    }
    if (pick == MODEL_NO_OBJ) {
        pick = null;
        pick_at = null_at;
    }
    if (from)
        *from = pick_at;
    return pick;
}

/* The operand whose object is the value of e: the left of an assignment
 * (`s->in = c = x` stores c), the right of a comma (clang's
 * fe__value_operand); a null node for other expressions. */
static TSNode value_operand(ts_ctx *c, TSNode e)
{
    if (ts_kind(c, e) == TS_COMMA)
        return ts_field(c, e, c->f_right);
    if (ts_kind(c, e) == TS_ASSIGNMENT && ts_text_is(c, ts_field(c, e, c->f_operator), "="))
        return ts_field(c, e, c->f_left);
    return (TSNode){ 0 };
}

/* The type of a field of a struct known by tag; NULL entry if unknown. */
static ts_entry *field_entry(ts_ctx *c, const char **tag, TSNode field)
{
    uint32_t len;
    const char *f = ts_text(c, field, &len);
    if (!*tag) {
        /* the base's type is unknown here (a header's global, a call): if
         * one struct of this file has the field, that is the one */
        ts_entry *o = ts_find(c, NS_FIELD_OWNER, f, len, NULL, 0);
        if (!o || !o->type.tag)
            return NULL;
        *tag = o->type.tag;
    }
    return ts_find(c, NS_STRUCT_FIELD, *tag, (uint32_t)strlen(*tag), f, len);
}

ts_entry *ts_field_entry(ts_ctx *c, TSNode e)
{
    if (ts_kind(c, e) != TS_FIELD_EXPR)
        return NULL;
    ts_type base = ts_type_of_expr(c, ts_field(c, e, c->f_argument));
    return field_entry(c, &base.tag, ts_field(c, e, c->f_field));
}

ts_type ts_type_of_expr(ts_ctx *c, TSNode e)
{
    ts_type none = { 0 };
    if (ts_node_is_null(e))
        return none;
    switch (ts_kind(c, e)) {
    case TS_IDENTIFIER: {
        ts_entry *v = ts_find_var(c, e);
        return v ? v->type : none;
    }
    case TS_PAREN_EXPR:
        return ts_type_of_expr(c, ts_node_named_child(e, 0));
    case TS_COMMA:
    case TS_ASSIGNMENT:
        return ts_type_of_expr(c, value_operand(c, e));
    case TS_CONDITIONAL: {
        /* clang's is the arms' common type: the first arm's that says a
         * kind, else the first pointer's or struct's */
        TSNode arms[TS_MAX_ARMS];
        size_t n = ts_cond_arms(c, e, arms, TS_MAX_ARMS);
        ts_type first = none;
        bool have = false;
        for (size_t i = 0; i < n; i++) {
            ts_type t = ts_type_of_expr(c, ts_strip(c, arms[i]));
            if (t.kind != MODEL_KIND_NONE)
                return t;
            if (!have && (t.is_pointer || t.is_record)) {
                first = t;
                have = true;
            }
        }
        return first;
    }
    case TS_POINTER_EXPR:
    case TS_SUBSCRIPT: {
        ts_type t = ts_type_of_expr(c, ts_field(c, e, c->f_argument));
        t.is_pointer = t.is_array = false; /* one level in or out: only the tag matters */
        return t;
    }
    case TS_CAST: {
        TSNode td = ts_field(c, e, c->f_type), name;
        return ts_declarator(c, ts_field(c, td, c->f_declarator),
                             ts_type_of_spec(c, ts_field(c, td, c->f_type)), &name, NULL);
    }
    case TS_FIELD_EXPR: {
        ts_type base = ts_type_of_expr(c, ts_field(c, e, c->f_argument));
        ts_entry *f = field_entry(c, &base.tag, ts_field(c, e, c->f_field));
        return f ? f->type : none;
    }
    default:
        return none;
    }
}

/* Pointers and structs may carry concurrency objects (a task's `void *arg`,
 * `&job`): they get objects even when their own kind is NONE (as clang's
 * fe__is_pointerish). */
static bool holds_object(const ts_type *t)
{
    return t->kind != MODEL_KIND_NONE || t->is_pointer || t->is_record;
}

model_obj_id ts_field_obj(ts_ctx *c, const char *tag, const ts_entry *f)
{
    if (!f || !holds_object(&f->type))
        return MODEL_NO_OBJ;
    uint32_t len = f->len2 < sizeof c->tmp ? f->len2 : (uint32_t)sizeof c->tmp - 1;
    memcpy(c->tmp, f->key2, len);
    c->tmp[len] = '\0';
    return model_obj_field(c->tu, tag, c->tmp, f->type.kind);
}

static model_obj_id var_obj(ts_ctx *c, TSNode ident, ts_entry *v)
{
    if (!holds_object(&v->type))
        return MODEL_NO_OBJ;
    if (v->ns == NS_LOCAL && !v->is_static_local) {
        if (v->obj == MODEL_NO_OBJ) /* locals are made on first use, as clang's front end does */
            v->obj = model_obj_local(c->tu, c->func, ts_tmp(c, ident), v->type.kind, v->decl);
        return v->obj;
    }
    return model_obj_global(c->tu, ts_tmp(c, ident), v->type.kind, v->decl);
}

/* Is `0` (or another literal) used where a pointer is expected? */
model_obj_id ts_obj_of(ts_ctx *c, TSNode e, bool pointer_context)
{
    if (ts_node_is_null(e))
        return MODEL_NO_OBJ;
    TSNode s = ts_strip(c, e);
    if (ts_node_is_null(s))
        return MODEL_NO_OBJ;
    switch (ts_kind(c, s)) {
    case TS_IDENTIFIER: {
        ts_entry *v = ts_find_var(c, s);
        return v ? var_obj(c, s, v) : MODEL_NO_OBJ;
    }
    case TS_FIELD_EXPR: {
        ts_type base = ts_type_of_expr(c, ts_field(c, s, c->f_argument));
        TSNode field = ts_field(c, s, c->f_field);
        ts_entry *f = field_entry(c, &base.tag, field);
        if (!f || !holds_object(&f->type))
            return MODEL_NO_OBJ;
        return model_obj_field(c->tu, base.tag, ts_tmp(c, field), f->type.kind);
    }
    case TS_SUBSCRIPT:
        return ts_obj_of(c, ts_field(c, s, c->f_argument), false);
    case TS_CALL: {
        TSNode fn = ts_field(c, s, c->f_function);
        while (ts_kind(c, fn) == TS_PAREN_EXPR)
            fn = ts_node_named_child(fn, 0);
        if (ts_kind(c, fn) != TS_IDENTIFIER)
            return MODEL_NO_OBJ;
        uint32_t len;
        const char *name = ts_text(c, fn, &len);
        if (len > 6 && memcmp(name + len - 3, "_at", 3) == 0 && memcmp(name, "tt_", 3) == 0)
            len -= 3;
        frontend_alias_apply(&name, &len);
        TSNode args = ts_field(c, s, c->f_arguments);
        TSNode a0 = ts_node_named_child_count(args) ? ts_node_named_child(args, 0) : (TSNode){ 0 };
#define IS(lit) (len == sizeof lit - 1 && memcmp(name, lit, len) == 0)
        if (IS("tt_ctx_done") && !ts_node_is_null(a0))
            return model_obj_ctx_done(c->tu, ts_obj_of(c, a0, true));
        if (IS("tt_ticker_chan") && !ts_node_is_null(a0))
            return model_obj_ticker_chan(c->tu, ts_obj_of(c, a0, true));
        if (IS("tt_after"))
            return model_obj_after(c->tu, ts_loc(fn));
        if (IS("tt_ctx_background"))
            return model_obj_background(c->tu);
#undef IS
        return MODEL_NO_OBJ;
    }
    case TS_CONDITIONAL:
        return cond_obj(c, s, pointer_context, NULL);
    case TS_COMMA:
    case TS_ASSIGNMENT:
        return ts_obj_of(c, value_operand(c, s), pointer_context);
    case TS_NULL:
        return model_obj_null(c->tu);
    case TS_NUMBER: {
        int64_t v;
        if (pointer_context && ts_eval(c, s, &v) && v == 0)
            return model_obj_null(c->tu);
        return MODEL_NO_OBJ;
    }
    default:
        return MODEL_NO_OBJ;
    }
}

/* The text of an object expression: identifiers, `.`, `->` and balanced
 * (...) / [...], whitespace collapsed — byte for byte what clang's front end
 * prints (fe__scan_text), so both models carry the same strings. */
const char *ts_obj_text(ts_ctx *c, TSNode e)
{
    TSNode s = ts_strip(c, e);
    if (ts_node_is_null(s))
        return NULL;
    TSNode in = value_operand(c, s);
    if (!ts_node_is_null(in))
        return ts_obj_text(c, in);
    if (ts_kind(c, s) == TS_CONDITIONAL) {
        TSNode arm;
        if (cond_obj(c, s, false, &arm) != MODEL_NO_OBJ)
            return ts_obj_text(c, arm); /* the arm that names the object */
    }
    char out[128];
    size_t n = 0;
    int depth = 0;
    const char *b = c->src;
    size_t p = ts_node_start_byte(s);
    for (size_t q = p; q < c->len && n < sizeof out - 1; q++) {
        char ch = b[q];
        if (ch == '(' || ch == '[') {
            depth++;
        } else if (ch == ')' || ch == ']') {
            if (depth == 0)
                break;
            depth--;
        } else if (depth == 0) {
            bool ident = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                         (ch >= '0' && ch <= '9') || ch == '_' || ch == '.';
            bool arrow = (ch == '-' && q + 1 < c->len && b[q + 1] == '>') ||
                         (ch == '>' && q > p && b[q - 1] == '-');
            if (!ident && !arrow)
                break;
        }
        if (ch == '\n' || ch == '\t' || ch == '\r')
            ch = ' ';
        if (ch == ' ' && n > 0 && out[n - 1] == ' ')
            continue;
        out[n++] = ch;
        if (depth == 0 && (ch == ')' || ch == ']') && q + 1 < c->len && b[q + 1] != '.' &&
            b[q + 1] != '-' && b[q + 1] != '[')
            break;
    }
    while (n > 0 && out[n - 1] == ' ')
        n--;
    out[n] = '\0';
    if (n)
        return model_strdup(c->tu, out);
    /* clang falls back to the cursor's spelling: a string literal's text,
     * else nothing ("?") */
    uint32_t len;
    const char *t = ts_text(c, s, &len);
    if (len && *t == '"')
        return model_strdup(c->tu, ts_tmp(c, s));
    return model_strdup(c->tu, "?");
}
