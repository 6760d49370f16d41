/* ts_const.c — integer constant expressions, as clang would fold them:
 * literals, enum constants, object-like macros of this file, arithmetic,
 * casts to integer types and ?:. Macro bodies are text (tree-sitter does not
 * preprocess), so they go through a small tokenizer-evaluator here. */
#include "ts_internal.h"

#include <ctype.h>
#include <string.h>

enum { MAX_DEPTH = 32 };

/* An integer literal with C prefixes and suffixes; false if not one. */
static bool parse_number(const char *s, size_t len, int64_t *out)
{
    uint64_t v = 0;
    size_t i = 0;
    unsigned base = 10;
    if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        base = 16, i = 2;
    else if (len >= 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
        base = 2, i = 2;
    else if (len >= 1 && s[0] == '0')
        base = 8;
    size_t digits = 0;
    for (; i < len; i++) {
        char ch = s[i];
        unsigned d;
        if (ch == '\'')
            continue; /* C23 digit separator */
        if (ch >= '0' && ch <= '9')
            d = (unsigned)(ch - '0');
        else if (base == 16 && isxdigit((unsigned char)ch))
            d = (unsigned)(tolower((unsigned char)ch) - 'a' + 10);
        else
            break;
        if (d >= base)
            return false;
        v = v * base + d;
        digits++;
    }
    if (!digits && base != 8)
        return false;
    for (; i < len; i++)
        if (!strchr("uUlL", s[i]))
            return false; /* a float, or garbage */
    *out = (int64_t)v;
    return true;
}

static bool parse_char(const char *s, size_t len, int64_t *out)
{
    if (len == 3 && s[0] == '\'' && s[2] == '\'') {
        *out = (unsigned char)s[1];
        return true;
    }
    if (len == 4 && s[0] == '\'' && s[1] == '\\' && s[3] == '\'') {
        static const char esc[] = "n\nt\tr\r0\0\\\\''\"\"";
        for (size_t i = 0; i + 1 < sizeof esc; i += 2)
            if (esc[i] == s[2]) {
                *out = (unsigned char)esc[i + 1];
                return true;
            }
    }
    return false;
}

static bool apply_binary(const char *op, size_t oplen, int64_t a, int64_t b, int64_t *out)
{
    uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
#define OP(s) (oplen == strlen(s) && memcmp(op, s, oplen) == 0)
    if (OP("+")) *out = (int64_t)(ua + ub);
    else if (OP("-")) *out = (int64_t)(ua - ub);
    else if (OP("*")) *out = (int64_t)(ua * ub);
    else if (OP("/") || OP("%")) {
        if (b == 0 || (a == INT64_MIN && b == -1))
            return false;
        *out = OP("/") ? a / b : a % b;
    }
    else if (OP("<<")) { if (b < 0 || b > 63) return false; *out = (int64_t)(ua << b); }
    else if (OP(">>")) { if (b < 0 || b > 63) return false; *out = a >> b; }
    else if (OP("&")) *out = a & b;
    else if (OP("|")) *out = a | b;
    else if (OP("^")) *out = a ^ b;
    else if (OP("&&")) *out = a && b;
    else if (OP("||")) *out = a || b;
    else if (OP("==")) *out = a == b;
    else if (OP("!=")) *out = a != b;
    else if (OP("<")) *out = a < b;
    else if (OP(">")) *out = a > b;
    else if (OP("<=")) *out = a <= b;
    else if (OP(">=")) *out = a >= b;
    else return false;
#undef OP
    return true;
}

static bool eval_name(ts_ctx *c, const char *s, uint32_t len, int depth, int64_t *out);

/* ---- macro bodies: a token-level evaluator ---------------------------- */

typedef struct lexer {
    ts_ctx *c;
    const char *p, *end;
    const char *tok;
    size_t toklen;
    int depth;
} lexer;

static void next(lexer *lx)
{
    while (lx->p < lx->end && isspace((unsigned char)*lx->p))
        lx->p++;
    lx->tok = lx->p;
    if (lx->p >= lx->end) {
        lx->toklen = 0;
        return;
    }
    const char *q = lx->p;
    if (isalnum((unsigned char)*q) || *q == '_') {
        while (q < lx->end && (isalnum((unsigned char)*q) || *q == '_' || *q == '\''))
            q++;
    } else if (*q == '\'') {
        q++;
        if (q < lx->end && *q == '\\')
            q++;
        while (q < lx->end && *q != '\'')
            q++;
        if (q < lx->end)
            q++;
    } else {
        static const char *const two[] = { "<<", ">>", "<=", ">=", "==", "!=", "&&", "||" };
        q++;
        for (size_t i = 0; i < sizeof two / sizeof *two; i++)
            if (lx->end - lx->p >= 2 && memcmp(lx->p, two[i], 2) == 0)
                q = lx->p + 2;
    }
    lx->toklen = (size_t)(q - lx->p);
    lx->p = q;
}

static bool is(const lexer *lx, const char *s)
{
    return lx->toklen == strlen(s) && memcmp(lx->tok, s, lx->toklen) == 0;
}

static bool parse_cond(lexer *lx, int64_t *out);

static bool is_type_word(const lexer *lx)
{
    static const char *const words[] = {
        "int", "long", "short", "char", "unsigned", "signed", "_Bool", "bool", "const",
        "int8_t", "int16_t", "int32_t", "int64_t", "uint8_t", "uint16_t", "uint32_t",
        "uint64_t", "size_t", "ssize_t", "intptr_t", "uintptr_t", "ptrdiff_t",
    };
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (is(lx, words[i]))
            return true;
    return false;
}

static bool parse_unary(lexer *lx, int64_t *out)
{
    if (is(lx, "-") || is(lx, "+") || is(lx, "~") || is(lx, "!")) {
        char op = *lx->tok;
        next(lx);
        int64_t v;
        if (!parse_unary(lx, &v))
            return false;
        *out = op == '-' ? (int64_t)(0 - (uint64_t)v) : op == '~' ? ~v : op == '!' ? !v : v;
        return true;
    }
    if (is(lx, "(")) {
        next(lx);
        if (is_type_word(lx)) { /* a cast to an integer type */
            while (is_type_word(lx))
                next(lx);
            if (!is(lx, ")"))
                return false;
            next(lx);
            return parse_unary(lx, out);
        }
        if (!parse_cond(lx, out) || !is(lx, ")"))
            return false;
        next(lx);
        return true;
    }
    if (!lx->toklen)
        return false;
    const char *t = lx->tok;
    size_t len = lx->toklen;
    next(lx);
    if (isdigit((unsigned char)*t))
        return parse_number(t, len, out);
    if (*t == '\'')
        return parse_char(t, len, out);
    if (isalpha((unsigned char)*t) || *t == '_') {
        if (len == 4 && memcmp(t, "true", 4) == 0) return *out = 1, true;
        if (len == 5 && memcmp(t, "false", 5) == 0) return *out = 0, true;
        return eval_name(lx->c, t, (uint32_t)len, lx->depth + 1, out);
    }
    return false;
}

/* Binary operators by precedence level (higher binds tighter). */
static int prec(const lexer *lx)
{
    static const struct { const char *op; int p; } ops[] = {
        { "*", 10 }, { "/", 10 }, { "%", 10 }, { "+", 9 }, { "-", 9 }, { "<<", 8 }, { ">>", 8 },
        { "<", 7 }, { ">", 7 }, { "<=", 7 }, { ">=", 7 }, { "==", 6 }, { "!=", 6 }, { "&", 5 },
        { "^", 4 }, { "|", 3 }, { "&&", 2 }, { "||", 1 },
    };
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
        if (is(lx, ops[i].op))
            return ops[i].p;
    return 0;
}

static bool parse_binary(lexer *lx, int min, int64_t *out)
{
    if (!parse_unary(lx, out))
        return false;
    for (int p; (p = prec(lx)) >= min && p > 0;) {
        const char *op = lx->tok;
        size_t oplen = lx->toklen;
        next(lx);
        int64_t rhs;
        if (!parse_binary(lx, p + 1, &rhs) || !apply_binary(op, oplen, *out, rhs, out))
            return false;
    }
    return true;
}

static bool parse_cond(lexer *lx, int64_t *out)
{
    if (!parse_binary(lx, 1, out))
        return false;
    if (!is(lx, "?"))
        return true;
    next(lx);
    int64_t a, b;
    if (!parse_cond(lx, &a) || !is(lx, ":"))
        return false;
    next(lx);
    if (!parse_cond(lx, &b))
        return false;
    *out = *out ? a : b;
    return true;
}

static bool eval_text(ts_ctx *c, const char *s, size_t len, int depth, int64_t *out)
{
    /* a trailing // or block comment is part of preproc_arg's text */
    for (size_t i = 0; i + 1 < len; i++)
        if (s[i] == '/' && (s[i + 1] == '/' || s[i + 1] == '*')) {
            len = i;
            break;
        }
    lexer lx = { .c = c, .p = s, .end = s + len, .depth = depth };
    next(&lx);
    return parse_cond(&lx, out) && lx.toklen == 0;
}

static bool eval_name(ts_ctx *c, const char *s, uint32_t len, int depth, int64_t *out)
{
    if (depth > MAX_DEPTH)
        return false;
    ts_entry *e = ts_find(c, NS_ENUM, s, len, NULL, 0);
    if (e) {
        *out = e->value;
        return e->value_known;
    }
    e = ts_find(c, NS_MACRO, s, len, NULL, 0);
    if (!e || e->state == 1 || ts_node_is_null(e->node))
        return false;
    if (e->state == 0) {
        e->state = 1;
        uint32_t tl;
        const char *t = ts_text(c, e->node, &tl);
        e->value_known = eval_text(c, t, tl, depth, &e->value);
        e->state = 2;
    }
    *out = e->value;
    return e->value_known;
}

/* ---- expressions in the tree ------------------------------------------ */

static TSNode unparen(TSNode n, ts_ctx *c)
{
    while (ts_kind(c, n) == TS_PAREN_EXPR)
        n = ts_node_named_child(n, 0);
    return n;
}

/* The operand of `sizeof x` / `sizeof(x)` (an expression, not a type). */
static TSNode sizeof_operand(ts_ctx *c, TSNode n)
{
    n = unparen(n, c);
    if (ts_kind(c, n) != TS_SIZEOF)
        return (TSNode){ 0 };
    return unparen(ts_field(c, n, c->f_value), c);
}

/* `sizeof a / sizeof a[0]` (or `sizeof *a`) for an array a of known
 * length: the number of its elements, as clang folds it. */
static bool elements(ts_ctx *c, TSNode n, TSNode op, int64_t *out)
{
    if (!ts_text_is(c, op, "/"))
        return false;
    TSNode a = sizeof_operand(c, ts_field(c, n, c->f_left));
    TSNode e = sizeof_operand(c, ts_field(c, n, c->f_right));
    ts_sym ak = ts_kind(c, a);
    if ((ak != TS_IDENTIFIER && ak != TS_FIELD_EXPR) || ts_node_is_null(e))
        return false;
    TSNode base;
    if (ts_kind(c, e) == TS_SUBSCRIPT) {
        int64_t i;
        if (!ts_eval(c, ts_field(c, e, c->f_index), &i))
            return false;
        base = ts_field(c, e, c->f_argument);
    } else if (ts_kind(c, e) == TS_POINTER_EXPR && ts_text_is(c, ts_field(c, e, c->f_operator), "*")) {
        base = ts_field(c, e, c->f_argument);
    } else {
        return false;
    }
    base = unparen(base, c);
    uint32_t la, lb;
    const char *sa = ts_text(c, a, &la), *sb = ts_text(c, base, &lb);
    if (ts_kind(c, base) != ak || la != lb || memcmp(sa, sb, la) != 0)
        return false;
    /* an array variable, or an array field (`sizeof p->chs / sizeof p->chs[0]`) */
    ts_entry *v = ak == TS_IDENTIFIER ? ts_find_var(c, a) : ts_field_entry(c, a);
    if (!v || !v->array_len_known)
        return false;
    *out = v->array_len;
    return true;
}

static bool eval_node(ts_ctx *c, TSNode n, int depth, int64_t *out)
{
    if (ts_node_is_null(n) || depth > MAX_DEPTH || ts_node_has_error(n))
        return false;
    uint32_t len;
    const char *s = ts_text(c, n, &len);
    switch (ts_kind(c, n)) {
    case TS_NUMBER:
        /* tree-sitter-c reads `-1` as one literal: the sign is clang's unary minus */
        if (len > 1 && (s[0] == '-' || s[0] == '+')) {
            int64_t v;
            if (!parse_number(s + 1, len - 1, &v))
                return false;
            *out = s[0] == '-' ? (int64_t)(0 - (uint64_t)v) : v;
            return true;
        }
        return parse_number(s, len, out);
    case TS_CHAR_LITERAL: return parse_char(s, len, out);
    case TS_TRUE: *out = 1; return true;
    case TS_FALSE: *out = 0; return true;
    case TS_IDENTIFIER: {
        /* a variable shadows enum constants and macros; clang folds const
         * integer variables with constant initializers */
        ts_entry *v = ts_find_var(c, n);
        if (v) {
            *out = v->value;
            return v->value_known;
        }
        return eval_name(c, s, len, depth, out);
    }
    case TS_PAREN_EXPR: return eval_node(c, ts_node_named_child(n, 0), depth + 1, out);
    case TS_CAST: {
        TSNode td = ts_field(c, n, c->f_type);
        TSNode spec = ts_field(c, td, c->f_type);
        TSNode name;
        ts_type t = ts_declarator(c, ts_field(c, td, c->f_declarator), ts_type_of_spec(c, spec), &name, NULL);
        if (!t.is_integer || t.is_pointer)
            return false;
        return eval_node(c, ts_field(c, n, c->f_value), depth + 1, out);
    }
    case TS_UNARY: {
        TSNode op = ts_field(c, n, c->f_operator);
        int64_t v;
        if (!eval_node(c, ts_field(c, n, c->f_argument), depth + 1, &v))
            return false;
        char o = c->src[ts_node_start_byte(op)];
        *out = o == '-' ? (int64_t)(0 - (uint64_t)v) : o == '~' ? ~v : o == '!' ? !v : v;
        return true;
    }
    case TS_BINARY: {
        int64_t a, b;
        TSNode op = ts_field(c, n, c->f_operator);
        if (elements(c, n, op, out))
            return true;
        if (!eval_node(c, ts_field(c, n, c->f_left), depth + 1, &a) ||
            !eval_node(c, ts_field(c, n, c->f_right), depth + 1, &b))
            return false;
        uint32_t oplen;
        const char *ops = ts_text(c, op, &oplen);
        return apply_binary(ops, oplen, a, b, out);
    }
    case TS_CONDITIONAL: {
        int64_t cond, v;
        if (!eval_node(c, ts_field(c, n, c->f_condition), depth + 1, &cond))
            return false;
        TSNode pick = cond ? ts_field(c, n, c->f_consequence) : ts_field(c, n, c->f_alternative);
        if (!eval_node(c, pick, depth + 1, &v))
            return false;
        *out = v;
        return true;
    }
    default:
        return false;
    }
}

bool ts_eval(ts_ctx *c, TSNode expr, int64_t *out)
{
    int64_t v = 0;
    if (!eval_node(c, expr, 0, &v))
        return false;
    *out = v;
    return true;
}

bool ts_array_len(ts_ctx *c, TSNode d, TSNode init, int64_t *len)
{
    /* the declarator right above the name is the first dimension */
    TSNode above = { 0 };
    while (!ts_node_is_null(d) && ts_kind(c, d) != TS_IDENTIFIER && ts_kind(c, d) != TS_FIELD_IDENTIFIER) {
        ts_sym k = ts_kind(c, d);
        above = d;
        if (k == TS_PAREN_DECLARATOR || k == TS_ATTRIBUTED_DECLARATOR)
            d = ts_node_named_child(d, 0);
        else if (k == TS_INIT_DECLARATOR || k == TS_POINTER_DECLARATOR || k == TS_ARRAY_DECLARATOR)
            d = ts_field(c, d, c->f_declarator);
        else
            return false;
    }
    if (ts_node_is_null(d) || ts_kind(c, above) != TS_ARRAY_DECLARATOR)
        return false;
    TSNode size = ts_field(c, above, c->f_size);
    if (!ts_node_is_null(size))
        return ts_eval(c, size, len);
    init = unparen(init, c);
    if (ts_kind(c, init) != TS_INITIALIZER_LIST)
        return false;
    int64_t n = 0;
    uint32_t k = ts_node_named_child_count(init);
    for (uint32_t i = 0; i < k; i++) {
        ts_sym s = ts_kind(c, ts_node_named_child(init, i));
        if (s == TS_INITIALIZER_PAIR)
            return false; /* designators: not counted here */
        n += s != TS_COMMENT;
    }
    *len = n;
    return true;
}

/* ---- preprocessor conditionals ------------------------------------------ */

/* Only integer literals and operators: no macro (a build may define it
 * differently) and no defined(). */
static bool literal_only(ts_ctx *c, TSNode n, int depth)
{
    if (ts_node_is_null(n) || depth > MAX_DEPTH)
        return false;
    switch (ts_kind(c, n)) {
    case TS_NUMBER:
        return true;
    case TS_PAREN_EXPR:
    case TS_UNARY:
    case TS_BINARY:
        break;
    default:
        return false;
    }
    uint32_t k = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < k; i++) {
        TSNode sub = ts_node_named_child(n, i);
        if (ts_kind(c, sub) != TS_COMMENT && !literal_only(c, sub, depth + 1))
            return false;
    }
    return true;
}

int ts_preproc_known(ts_ctx *c, TSNode n)
{
    ts_sym k = ts_kind(c, n);
    if (k == TS_PREPROC_ELSE)
        return 1;
    if (k != TS_PREPROC_IF && k != TS_PREPROC_ELIF)
        return -1;
    TSNode cond = ts_field(c, n, c->f_condition);
    int64_t v;
    if (!literal_only(c, cond, 0) || !ts_eval(c, cond, &v))
        return -1;
    return v != 0;
}
