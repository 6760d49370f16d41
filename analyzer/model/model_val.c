/* model_val.c — values (model.h, "Values"): constructors in the model's
 * arena and the dump notation. */
#include "model/model_impl.h"

#include <inttypes.h>
#include <string.h>

static model_val *mv__new(model_tu *tu, model_val_kind kind, size_t nsub)
{
    model_val *v = arena_alloc(tu->arena, sizeof *v);
    v->kind = kind;
    v->scope = MODEL_SCOPE_LOCAL;
    if (nsub) {
        v->sub = arena_alloc(tu->arena, nsub * sizeof *v->sub);
        v->nsub = nsub;
    }
    return v;
}

model_val *mv_unknown(model_tu *tu) { return mv__new(tu, MODEL_VAL_UNKNOWN, 0); }
model_val *mv_null(model_tu *tu) { return mv__new(tu, MODEL_VAL_NULL, 0); }
model_val *mv_string(model_tu *tu, const char *text)
{
    model_val *v = mv__new(tu, MODEL_VAL_STRING, 0);
    v->name = arena_strdup(tu->arena, text);
    return v;
}

model_val *mv_int(model_tu *tu, int64_t n)
{
    model_val *v = mv__new(tu, MODEL_VAL_INT, 0);
    v->num = n;
    return v;
}

model_val *mv_var(model_tu *tu, model_scope scope, const char *name, int32_t index, bool is_static)
{
    model_val *v = mv__new(tu, MODEL_VAL_VAR, 0);
    v->scope = scope;
    v->name = arena_strdup(tu->arena, name ? name : "");
    v->num = scope == MODEL_SCOPE_PARAM ? index : 0;
    v->is_static = is_static;
    return v;
}

model_val *mv_func(model_tu *tu, const char *name)
{
    model_val *v = mv__new(tu, MODEL_VAL_FUNC, 0);
    v->name = arena_strdup(tu->arena, name ? name : "");
    return v;
}

model_val *mv_field(model_tu *tu, model_val *base, const char *name, bool arrow)
{
    model_val *v = mv__new(tu, MODEL_VAL_FIELD, 1);
    v->sub[0] = base ? base : mv_unknown(tu);
    v->name = arena_strdup(tu->arena, name ? name : "");
    v->arrow = arrow;
    return v;
}

static model_val *mv__op(model_tu *tu, model_val_kind kind, model_op op, size_t n,
                         model_val *a, model_val *b, model_val *c)
{
    model_val *v = mv__new(tu, kind, n);
    model_val *ops[3] = { a, b, c };
    for (size_t i = 0; i < n; i++)
        v->sub[i] = ops[i] ? ops[i] : mv_unknown(tu);
    v->op = op;
    return v;
}

model_val *mv_index(model_tu *tu, model_val *base, model_val *index)
{
    return mv__op(tu, MODEL_VAL_INDEX, MODEL_OP_NONE, 2, base, index, NULL);
}
model_val *mv_deref(model_tu *tu, model_val *p) { return mv__op(tu, MODEL_VAL_DEREF, MODEL_OP_NONE, 1, p, NULL, NULL); }
model_val *mv_addr(model_tu *tu, model_val *lv) { return mv__op(tu, MODEL_VAL_ADDR, MODEL_OP_NONE, 1, lv, NULL, NULL); }
model_val *mv_unop(model_tu *tu, model_op op, model_val *a) { return mv__op(tu, MODEL_VAL_UNOP, op, 1, a, NULL, NULL); }

model_val *mv_binop(model_tu *tu, model_op op, model_val *a, model_val *b)
{
    return mv__op(tu, MODEL_VAL_BINOP, op, 2, a, b, NULL);
}

model_val *mv_cond(model_tu *tu, model_val *c, model_val *a, model_val *b)
{
    return mv__op(tu, MODEL_VAL_COND, MODEL_OP_NONE, 3, c, a, b);
}

model_val *mv_result(model_tu *tu, int32_t event_id)
{
    model_val *v = mv__new(tu, MODEL_VAL_RESULT, 0);
    v->num = event_id;
    return v;
}

model_val *mv_init(model_tu *tu, size_t n)
{
    model_val *v = mv__new(tu, MODEL_VAL_INIT, n);
    if (n)
        v->names = arena_alloc(tu->arena, n * sizeof *v->names);
    for (size_t i = 0; i < n; i++)
        v->sub[i] = mv_unknown(tu);
    return v;
}

void mv_init_set(model_tu *tu, model_val *init, size_t i, const char *designator, model_val *v)
{
    if (!init || init->kind != MODEL_VAL_INIT || i >= init->nsub)
        return;
    init->names[i] = arena_strdup(tu->arena, designator);
    init->sub[i] = v ? v : mv_unknown(tu);
}

model_val *mv_api(model_tu *tu, const char *name, size_t n)
{
    model_val *v = mv__new(tu, MODEL_VAL_API, n);
    v->name = arena_strdup(tu->arena, name ? name : "");
    for (size_t i = 0; i < n; i++)
        v->sub[i] = mv_unknown(tu);
    return v;
}

model_val **mv_array(model_tu *tu, size_t n)
{
    return arena_alloc(tu->arena, (n ? n : 1) * sizeof(model_val *));
}

const char *model_op_spelling(model_op op)
{
    static const char *const s[] = {
        "?", "!", "-", "~", "+", "-", "*", "/", "%", "<<", ">>", "&", "|", "^",
        "<", "<=", ">", ">=", "==", "!=", "&&", "||",
    };
    return (unsigned)op < sizeof s / sizeof *s ? s[op] : "?";
}

/* The notation: `?` unknown, `NULL`, `"str"`, integers, `x` a local,
 * `param0:x`, `global:x` / `static:x`, `func:f`, `(a)->f` / `(a).f`,
 * `(a)[i]`, `*(a)`, `&(a)`, `!(a)`, `(a + b)`, `(c ? a : b)`, `%7` the
 * result of event 7, `{.f: a, [2]: b, ?: c}`, `tt_after(10)`; a trailing
 * `[]` marks an array. Operands that are not a name or constant are
 * parenthesized. */
static bool mv__simple(const model_val *v)
{
    return v->kind == MODEL_VAL_UNKNOWN || v->kind == MODEL_VAL_INT || v->kind == MODEL_VAL_NULL ||
           v->kind == MODEL_VAL_STRING || v->kind == MODEL_VAL_VAR || v->kind == MODEL_VAL_FUNC ||
           v->kind == MODEL_VAL_RESULT;
}

static void mv__operand(const model_val *v, FILE *out)
{
    if (v && !mv__simple(v)) {
        fputc('(', out);
        mv_print(v, out);
        fputc(')', out);
    } else {
        mv_print(v, out);
    }
}

void mv_print(const model_val *v, FILE *out)
{
    if (!v) {
        fputs("-", out);
        return;
    }
    switch (v->kind) {
    case MODEL_VAL_UNKNOWN: fputs("?", out); break;
    case MODEL_VAL_INT: model_put_int(out, v->num); break;
    case MODEL_VAL_NULL: fputs("NULL", out); break;
    case MODEL_VAL_STRING: fputs(v->name ? v->name : "\"str\"", out); break;
    case MODEL_VAL_VAR:
        if (v->scope == MODEL_SCOPE_PARAM) {
            fputs("param", out);
            model_put_int(out, v->num);
            fputc(':', out);
        }
        else if (v->scope == MODEL_SCOPE_GLOBAL)
            fputs(v->is_static ? "static:" : "global:", out);
        fputs(v->name, out);
        break;
    case MODEL_VAL_FUNC: fputs("func:", out); fputs(v->name, out); break;
    case MODEL_VAL_FIELD:
        mv__operand(v->sub[0], out);
        fputs(v->arrow ? "->" : ".", out);
        fputs(v->name, out);
        break;
    case MODEL_VAL_INDEX:
        mv__operand(v->sub[0], out);
        fputc('[', out);
        mv_print(v->sub[1], out);
        fputc(']', out);
        break;
    case MODEL_VAL_DEREF: fputc('*', out); mv__operand(v->sub[0], out); break;
    case MODEL_VAL_ADDR: fputc('&', out); mv__operand(v->sub[0], out); break;
    case MODEL_VAL_UNOP: fputs(model_op_spelling(v->op), out); mv__operand(v->sub[0], out); break;
    case MODEL_VAL_BINOP:
        mv__operand(v->sub[0], out);
        fputc(' ', out);
        fputs(model_op_spelling(v->op), out);
        fputc(' ', out);
        mv__operand(v->sub[1], out);
        break;
    case MODEL_VAL_COND:
        mv__operand(v->sub[0], out);
        fputs(" ? ", out);
        mv__operand(v->sub[1], out);
        fputs(" : ", out);
        mv__operand(v->sub[2], out);
        break;
    case MODEL_VAL_RESULT: fputc('%', out); model_put_int(out, v->num); break;
    case MODEL_VAL_INIT:
        fputc('{', out);
        for (size_t i = 0; i < v->nsub; i++) {
            fprintf(out, "%s%s: ", i ? ", " : "", v->names[i] ? v->names[i] : "?");
            mv_print(v->sub[i], out);
        }
        fputc('}', out);
        break;
    case MODEL_VAL_API:
        fprintf(out, "%s(", v->name);
        for (size_t i = 0; i < v->nsub; i++) {
            if (i)
                fputs(", ", out);
            mv_print(v->sub[i], out);
        }
        fputc(')', out);
        break;
    }
    if (v->is_array)
        fputs("[]", out);
}

bool model_fold_binop(model_op op, int64_t a, int64_t b, int64_t *out)
{
    uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
    switch (op) {
    case MODEL_OP_ADD: *out = (int64_t)(ua + ub); return true;
    case MODEL_OP_SUB: *out = (int64_t)(ua - ub); return true;
    case MODEL_OP_MUL: *out = (int64_t)(ua * ub); return true;
    case MODEL_OP_DIV:
    case MODEL_OP_MOD:
        if (b == 0 || (a == INT64_MIN && b == -1))
            return false;
        *out = op == MODEL_OP_DIV ? a / b : a % b;
        return true;
    case MODEL_OP_SHL:
        if (b < 0 || b > 63)
            return false;
        *out = (int64_t)(ua << b);
        return true;
    case MODEL_OP_SHR:
        if (b < 0 || b > 63)
            return false;
        *out = a >> b;
        return true;
    case MODEL_OP_BITAND: *out = a & b; return true;
    case MODEL_OP_BITOR: *out = a | b; return true;
    case MODEL_OP_BITXOR: *out = a ^ b; return true;
    case MODEL_OP_LT: *out = a < b; return true;
    case MODEL_OP_LE: *out = a <= b; return true;
    case MODEL_OP_GT: *out = a > b; return true;
    case MODEL_OP_GE: *out = a >= b; return true;
    case MODEL_OP_EQ: *out = a == b; return true;
    case MODEL_OP_NE: *out = a != b; return true;
    case MODEL_OP_LAND: *out = a && b; return true;
    case MODEL_OP_LOR: *out = a || b; return true;
    default: return false;
    }
}
