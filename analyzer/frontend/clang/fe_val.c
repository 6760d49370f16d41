/* fe_val.c — the libclang front end's values (model.h, "Values"): what an
 * identifier, a literal, an operator node, a field or an index is as a
 * model_val, constant folding, designators of initializer lists, and a pure
 * evaluator (no events, no objects) for the initializers of globals. The
 * walk (fe_walk.c) builds the values of the expressions it visits from these
 * helpers, bottom-up, in the same pass that emits events.
 *
 * libclang 14 does not say which operator an operator node is: it is read
 * from the source between (binary) or around (unary) the operands; inside a
 * function-like macro's body, where every token is placed at the macro's
 * name, `==` / `!=` come from the macro's definition (fe_cond.c), `&`, `*`
 * and `!` from types, constant operands are folded by clang's evaluator, and
 * anything else is UNKNOWN. */
#include "fe_clang.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool fe__ident_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static bool fe__is_array_type(CXType t)
{
    enum CXTypeKind k = clang_getCanonicalType(t).kind;
    return k == CXType_ConstantArray || k == CXType_IncompleteArray || k == CXType_VariableArray ||
           k == CXType_DependentSizedArray;
}

/* ---- Identifiers ---------------------------------------------------------- *
 * One value per declaration (values are read-only, so every use of a
 * variable shares its VAR; a parameter belongs to one function, so its
 * index is its own): open addressing keyed by the declaration's cursor, for
 * the whole translation unit (an entry is used when gen is FE__VGEN: the
 * state starts zeroed). */
#define FE__VGEN 1u

static fe_val_memo *fe__vmemo_slot(fe_state *st, CXCursor decl, bool create)
{
    unsigned h = clang_hashCursor(decl);
    if (create && (st->nvmemo + 1) * 2 > st->capvmemo) {
        size_t cap = st->capvmemo ? st->capvmemo * 2 : 64;
        fe_val_memo *old = st->vmemo;
        size_t oldcap = st->capvmemo;
        st->vmemo = calloc(cap, sizeof *st->vmemo);
        if (!st->vmemo) {
            fputs("tether: error: out of memory\n", stderr);
            abort();
        }
        st->capvmemo = cap;
        st->nvmemo = 0;
        for (size_t i = 0; i < oldcap; i++) {
            if (old[i].gen != FE__VGEN)
                continue;
            size_t j = old[i].hash & (cap - 1);
            while (st->vmemo[j].gen == FE__VGEN)
                j = (j + 1) & (cap - 1);
            st->vmemo[j] = old[i];
            st->nvmemo++;
        }
        free(old);
    }
    if (!st->capvmemo)
        return NULL;
    size_t j = h & (st->capvmemo - 1);
    while (st->vmemo[j].gen == FE__VGEN) {
        if (st->vmemo[j].hash == h && clang_equalCursors(st->vmemo[j].decl, decl))
            return &st->vmemo[j];
        j = (j + 1) & (st->capvmemo - 1);
    }
    if (!create)
        return NULL;
    st->vmemo[j] = (fe_val_memo){ decl, h, FE__VGEN, NULL };
    st->nvmemo++;
    return &st->vmemo[j];
}

/* The parameter index of `name` in the function being built, or -1. */
static int32_t fe__param_index(const fe_state *st, const char *name)
{
    if (st->func < 0 || (size_t)st->func >= st->m->nfuncs)
        return -1;
    const model_func *fn = &st->m->funcs[st->func];
    for (size_t i = 0; i < fn->nparams; i++)
        if (fn->params[i].name && strcmp(fn->params[i].name, name) == 0)
            return (int32_t)i;
    return -1;
}

static model_val *fe__decl_val(fe_state *st, CXCursor decl)
{
    enum CXCursorKind k = clang_getCursorKind(decl);
    if (k == CXCursor_EnumConstantDecl)
        return mv_int(st->m, (int64_t)clang_getEnumConstantDeclValue(decl));
    if (k != CXCursor_FunctionDecl && k != CXCursor_VarDecl && k != CXCursor_ParmDecl)
        return mv_unknown(st->m);
    CXString s = clang_getCursorSpelling(decl);
    const char *name = clang_getCString(s);
    name = name ? name : "";
    model_val *v;
    if (k == CXCursor_FunctionDecl) {
        v = mv_func(st->m, name);
    } else if (k == CXCursor_ParmDecl) {
        int32_t idx = fe__param_index(st, name);
        v = idx >= 0 ? mv_var(st->m, MODEL_SCOPE_PARAM, name, idx, false)
                     : mv_var(st->m, MODEL_SCOPE_LOCAL, name, -1, false);
    } else {
        CXCursor parent = clang_getCursorSemanticParent(decl);
        enum CXCursorKind pk = clang_getCursorKind(parent);
        if (clang_Cursor_getStorageClass(decl) == CX_SC_Static && pk == CXCursor_FunctionDecl) {
            /* a function-static local: static:NAME@FUNC */
            CXString fs = clang_getCursorSpelling(parent);
            const char *fname = clang_getCString(fs);
            size_t n = strlen(name) + strlen(fname ? fname : "") + 2;
            char small[128];
            char *buf = n <= sizeof small ? small : malloc(n);
            if (!buf) {
                fputs("tether: error: out of memory\n", stderr);
                abort();
            }
            snprintf(buf, n, "%s@%s", name, fname ? fname : "");
            v = mv_var(st->m, MODEL_SCOPE_GLOBAL, buf, -1, true);
            if (buf != small)
                free(buf);
            clang_disposeString(fs);
        } else if (fe_is_global_var(decl)) {
            v = mv_var(st->m, MODEL_SCOPE_GLOBAL, name, -1,
                       clang_getCursorLinkage(decl) == CXLinkage_Internal);
        } else {
            v = mv_var(st->m, MODEL_SCOPE_LOCAL, name, -1, false);
        }
        v->is_array = fe__is_array_type(clang_getCursorType(decl));
    }
    clang_disposeString(s);
    return v;
}

model_val *fe_val_decl(fe_state *st, CXCursor decl)
{
    if (st->probe)
        return NULL;
    if (clang_Cursor_isNull(decl))
        return mv_unknown(st->m);
    fe_val_memo *m = fe__vmemo_slot(st, decl, true);
    if (m && m->v)
        return m->v;
    model_val *v = fe__decl_val(st, decl);
    if (m)
        m->v = v;
    return v;
}

model_val *fe_val_ref(fe_state *st, CXCursor e)
{
    if (st->probe)
        return NULL;
    return fe_val_decl(st, clang_getCursorReferenced(e));
}

/* ---- Literals ---------------------------------------------------------------- */

/* A string literal's value carries its text (the lead's note in
 * notes/values.md): as written from its first byte to its last (`"a" "b"`
 * and `"%" PRIu64 "\n"` stay so; read from the file, not from the extent,
 * which costs more); a literal written in a macro's body (or __FILE__,
 * __func__): clang's spelling of it (quoted, adjacent parts joined). */
/* The end of the string literal (and adjacent literals and macros between
 * them) starting at b: after its last closing quote; -1 if b starts none. */
static long fe__string_end(const fe_state *st, long b)
{
    const char *s = st->buf;
    long n = (long)st->buflen, p = b, last = -1;
    for (;;) {
        long q = p;
        while (q < n && q < p + 2 && (s[q] == 'L' || s[q] == 'u' || s[q] == 'U' || s[q] == '8'))
            q++;
        if (q < n && s[q] == '"') {
            for (q++; q < n && s[q] != '"' && s[q] != '\n'; q++)
                if (s[q] == '\\')
                    q++;
            if (q >= n || s[q] != '"')
                return last;
            last = p = q + 1;
        } else if (last >= 0 && p < n && fe__ident_char(s[p])) {
            while (p < n && fe__ident_char(s[p])) /* a macro joined to the literals (PRIu64) */
                p++;
            last = p;
        } else {
            return last;
        }
        while (p < n && (s[p] == ' ' || s[p] == '\t' || s[p] == '\n' || s[p] == '\r'))
            p++;
    }
}

static model_val *fe__string(fe_state *st, CXCursor e)
{
    long b = fe_offset(st, clang_getCursorLocation(e));
    long en = b >= 0 ? fe__string_end(st, b) : -1;
    if (en > b) {
        char *t = malloc((size_t)(en - b) + 1);
        if (!t) {
            fputs("tether: error: out of memory\n", stderr);
            abort();
        }
        memcpy(t, st->buf + b, (size_t)(en - b));
        t[en - b] = '\0';
        model_val *v = mv_string(st->m, t);
        free(t);
        return v;
    }
    CXString sp = clang_getCursorSpelling(e);
    model_val *v = mv_string(st->m, clang_getCString(sp));
    clang_disposeString(sp);
    return v;
}

/* An integer literal written in the file at off (not in a macro's body:
 * there the position is the macro's name): its value, read from the text
 * (cheaper than clang's evaluator). */
static bool fe__int_text(const fe_state *st, long off, int64_t *out)
{
    if (off < 0 || (size_t)off >= st->buflen || st->buf[off] < '0' || st->buf[off] > '9')
        return false;
    const char *s = st->buf + off, *end = st->buf + st->buflen;
    unsigned base = 10;
    if (s + 1 < end && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        base = 16, s += 2;
    else if (s + 1 < end && s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
        base = 2, s += 2;
    else if (s[0] == '0')
        base = 8;
    uint64_t v = 0;
    size_t digits = 0;
    for (; s < end; s++) {
        char c = *s;
        unsigned d;
        if (c == '\'')
            continue; /* C23 digit separator */
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (base == 16 && c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (base == 16 && c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            break;
        if (d >= base)
            return false;
        v = v * base + d;
        digits++;
    }
    if (!digits && base != 8)
        return false;
    while (s < end && (*s == 'u' || *s == 'U' || *s == 'l' || *s == 'L'))
        s++;
    if (s < end && (fe__ident_char(*s) || *s == '.'))
        return false; /* a float or something else: ask clang */
    *out = (int64_t)v;
    return true;
}

model_val *fe_val_literal(fe_state *st, CXCursor e, enum CXCursorKind k)
{
    if (st->probe)
        return NULL;
    int64_t n;
    switch (k) {
    case CXCursor_IntegerLiteral:
        if (fe__int_text(st, fe_offset(st, clang_getCursorLocation(e)), &n))
            return mv_int(st->m, n);
        return fe_eval_int(e, &n) ? mv_int(st->m, n) : mv_unknown(st->m);
    case CXCursor_CharacterLiteral:
        return fe_eval_int(e, &n) ? mv_int(st->m, n) : mv_unknown(st->m);
    case CXCursor_StringLiteral:
        return fe__string(st, e);
    default:
        return mv_unknown(st->m);
    }
}

/* ---- Folding: over INT operands only, model_fold_binop ------------------------ */

static bool fe__is_int(const model_val *v)
{
    return v && v->kind == MODEL_VAL_INT;
}

model_val *fe_fold_unop(model_tu *m, model_op op, model_val *a)
{
    if (fe__is_int(a)) {
        int64_t v = a->num;
        switch (op) {
        case MODEL_OP_NEG: return mv_int(m, (int64_t)(0 - (uint64_t)v));
        case MODEL_OP_BITNOT: return mv_int(m, ~v);
        case MODEL_OP_NOT: return mv_int(m, !v);
        default: break;
        }
    }
    return mv_unop(m, op, a);
}

model_val *fe_fold_binop(model_tu *m, model_op op, model_val *a, model_val *b)
{
    int64_t r;
    if (fe__is_int(a) && fe__is_int(b) && model_fold_binop(op, a->num, b->num, &r))
        return mv_int(m, r);
    return mv_binop(m, op, a, b);
}

model_val *fe_fold_cond(model_tu *m, model_val *c, model_val *a, model_val *b)
{
    if (fe__is_int(c) && fe__is_int(a) && fe__is_int(b))
        return c->num ? a : b;
    return mv_cond(m, c, a, b);
}

/* ---- Operators ------------------------------------------------------------------ */

/* The operator token between l and r, read from the source (blanks, `)`
 * and comments skipped); NULL inside a macro's body. */
static bool fe__op_char(char c)
{
    return c == '+' || c == '-' || c == '*' || c == '/' || c == '%' || c == '<' || c == '>' ||
           c == '=' || c == '!' || c == '&' || c == '|' || c == '^' || c == ',';
}

static bool fe__known_op(const char *p, size_t n);

/* The operator read backwards from r's first token, when libclang places r
 * there (not a field access: libclang places those at the field's name)
 * and l before it (operands inside a macro's body are both placed at the
 * macro's name): cheaper than the operands' extents. NULL if unsure. */
static const char *fe__op_before(fe_state *st, CXCursor l, CXCursor r)
{
    long rb = fe_offset(st, clang_getCursorLocation(r));
    if (rb <= 0)
        return NULL;
    long lb = fe_offset(st, clang_getCursorLocation(l));
    if (lb < 0 || lb >= rb)
        return NULL;
    const char *b = st->buf;
    long i = rb - 1;
    while (i > lb && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r'))
        i--;
    long end = i + 1;
    while (i > lb && end - i <= 3 && fe__op_char(b[i]))
        i--;
    long start = i + 1;
    if (start >= end || end - start > 3 || fe__op_char(b[i]) || b[i] == '/')
        return NULL; /* more operator characters than one operator, or a comment's end */
    return fe__known_op(b + start, (size_t)(end - start)) ? b + start : NULL;
}

static const char *fe__op_text(fe_state *st, CXCursor l, CXCursor r)
{
    const char *fast = fe__op_before(st, l, r);
    if (fast)
        return fast;
    long le = fe_offset(st, clang_getRangeEnd(fe_extent(l)));
    long rb = fe_offset(st, clang_getRangeStart(fe_extent(r)));
    if (le < 0 || rb < 0 || le > rb)
        return NULL;
    const char *b = st->buf;
    for (long i = le; i < rb; i++) {
        char c = b[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == ')')
            continue;
        if (c == '/' && i + 1 < rb && b[i + 1] == '*') {
            for (i += 2; i + 1 < rb && !(b[i] == '*' && b[i + 1] == '/'); i++)
                ;
            i++;
            continue;
        }
        if (c == '/' && i + 1 < rb && b[i + 1] == '/') {
            while (i < rb && b[i] != '\n')
                i++;
            continue;
        }
        /* (operands that are two arguments of one macro, `OP(a, b)` over
         * `x + y`, have the arguments' comma between them: read as a comma,
         * as always; a comma written in one argument cannot be told apart) */
        return b + i;
    }
    return NULL;
}

bool fe_plain_loc(const fe_state *st, CXSourceLocation l, long off)
{
    (void)st;
    unsigned exp = 0;
    clang_getExpansionLocation(l, NULL, NULL, NULL, &exp);
    return (long)exp == off;
}


/* The operator token at p (at most `left` bytes; the longest that
 * matches): its code (a model_op, FE_OP_ASSIGN or FE_OP_COMMA, with
 * FE_OP_COMPOUND for `op=`) and *len; FE_OP_UNKNOWN if none. */
static int fe__op_code(const char *p, size_t left, size_t *len)
{
    char c0 = left > 0 ? p[0] : '\0', c1 = left > 1 ? p[1] : '\0', c2 = left > 2 ? p[2] : '\0';
    int op = FE_OP_UNKNOWN;
    *len = 1;
    switch (c0) {
    case '<':
    case '>':
        if (c1 == c0) {
            op = c0 == '<' ? MODEL_OP_SHL : MODEL_OP_SHR;
            *len = 2;
            if (c2 == '=') {
                op |= FE_OP_COMPOUND;
                *len = 3;
            }
        } else if (c1 == '=') {
            op = c0 == '<' ? MODEL_OP_LE : MODEL_OP_GE;
            *len = 2;
        } else {
            op = c0 == '<' ? MODEL_OP_LT : MODEL_OP_GT;
        }
        return op;
    case '&':
    case '|':
        if (c1 == c0) {
            *len = 2;
            return c0 == '&' ? MODEL_OP_LAND : MODEL_OP_LOR;
        }
        op = c0 == '&' ? MODEL_OP_BITAND : MODEL_OP_BITOR;
        break;
    case '=':
        if (c1 == '=') {
            *len = 2;
            return MODEL_OP_EQ;
        }
        return FE_OP_ASSIGN;
    case '!':
        if (c1 == '=') {
            *len = 2;
            return MODEL_OP_NE;
        }
        return FE_OP_UNKNOWN;
    case ',': return FE_OP_COMMA;
    case '+': op = MODEL_OP_ADD; break;
    case '-': op = MODEL_OP_SUB; break;
    case '*': op = MODEL_OP_MUL; break;
    case '/': op = MODEL_OP_DIV; break;
    case '%': op = MODEL_OP_MOD; break;
    case '^': op = MODEL_OP_BITXOR; break;
    default: return FE_OP_UNKNOWN;
    }
    if (c1 == '=') {
        op |= FE_OP_COMPOUND;
        *len = 2;
    }
    return op;
}

static bool fe__known_op(const char *p, size_t n)
{
    size_t len;
    return fe__op_code(p, n, &len) != FE_OP_UNKNOWN && len == n;
}

int fe_binop_of(fe_state *st, CXCursor e, CXCursor l, CXCursor r, bool compound)
{
    const char *p = fe__op_text(st, l, r);
    if (p) {
        size_t len;
        int op = fe__op_code(p, (size_t)(st->buf + st->buflen - p), &len);
        if (op == FE_OP_UNKNOWN)
            return op;
        bool is_compound = (op & FE_OP_COMPOUND) != 0;
        return is_compound == compound ? op & ~FE_OP_COMPOUND : FE_OP_UNKNOWN;
    }
    if (compound)
        return FE_OP_UNKNOWN;
    /* A macro's body: an assignment between pointers or records is told by
     * types (as the walk always did), == / != from the macro's definition. */
    CXType t = clang_getCanonicalType(clang_getCursorType(e));
    if ((t.kind == CXType_Pointer || t.kind == CXType_Record) &&
        clang_equalTypes(t, clang_getCanonicalType(clang_getCursorType(l))) &&
        clang_equalTypes(t, clang_getCanonicalType(clang_getCursorType(r))))
        return FE_OP_ASSIGN;
    int eq = fe_eq_op(st, e, l, r);
    return eq == 1 ? MODEL_OP_EQ : eq == 2 ? MODEL_OP_NE : FE_OP_UNKNOWN;
}

/* `&`, `*` told by types (libclang 14 has no operator kind). */
static int fe__unop_by_type(CXCursor e, CXCursor in)
{
    CXType r = clang_getCanonicalType(clang_getCursorType(e));
    CXType t = clang_getCanonicalType(clang_getCursorType(in));
    if (r.kind == CXType_Pointer && clang_equalTypes(clang_getCanonicalType(clang_getPointeeType(r)), t))
        return FE_U_ADDR;
    if (t.kind == CXType_Pointer && clang_equalTypes(clang_getCanonicalType(clang_getPointeeType(t)), r))
        return FE_U_DEREF;
    return FE_U_UNKNOWN;
}

static bool fe__word_at(const fe_state *st, long off, const char *w)
{
    size_t n = strlen(w);
    return off >= 0 && (size_t)off + n <= st->buflen && memcmp(st->buf + off, w, n) == 0 &&
           ((size_t)off + n == st->buflen || !fe__ident_char(st->buf[off + n]));
}

/* A postfix `++` / `--` after the operand that starts at b (an lvalue
 * written plainly: names, `.`, `->`, brackets): '+', '-', or 0. */
static char fe__postfix_at(const fe_state *st, long b)
{
    const char *s = st->buf;
    long n = (long)st->buflen;
    int depth = 0;
    for (long i = b; i < n; i++) {
        char c = s[i];
        if (depth > 0) {
            depth += (c == '(' || c == '[') ? 1 : (c == ')' || c == ']') ? -1 : 0;
            continue;
        }
        if (c == '(' || c == '[') {
            depth++;
        } else if ((c == '+' || c == '-') && i + 1 < n && s[i + 1] == c) {
            return c;
        } else if (c == '-' && i + 1 < n && s[i + 1] == '>') {
            i++;
        } else if (!(fe__ident_char(c) || c == '.' || c == ' ' || c == '\t' || c == '\n' ||
                     c == '\r')) {
            return 0;
        }
    }
    return 0;
}

int fe_unop_of(fe_state *st, CXCursor e, CXCursor in)
{
    /* libclang places a unary operator at its first token: the operator,
     * or the operand of a postfix one */
    long b = fe_offset(st, clang_getCursorLocation(e));
    const char *s = st->buf;
    if (b >= 0 && (size_t)b < st->buflen) {
        char c = s[b], c1 = (size_t)b + 1 < st->buflen ? s[b + 1] : '\0';
        switch (c) {
        case '+': return c1 == '+' ? FE_U_PREINC : FE_U_PLUS;
        case '-': return c1 == '-' ? FE_U_PREDEC : FE_U_NEG;
        case '!': return FE_U_NOT;
        case '~': return FE_U_BITNOT;
        case '*': return FE_U_DEREF;
        case '&': return c1 == '&' ? FE_U_UNKNOWN : FE_U_ADDR; /* GNU &&label */
        case '_':
            if (fe__word_at(st, b, "__extension__"))
                return FE_U_PLUS;
            break;
        default: break;
        }
        char post = fe__postfix_at(st, b);
        if (post)
            return post == '+' ? FE_U_POSTINC : FE_U_POSTDEC;
    }
    long en = fe_offset(st, clang_getRangeEnd(fe_extent(e)));
    if (en >= 2 && (size_t)en <= st->buflen && s[en - 1] == s[en - 2] && (s[en - 1] == '+' || s[en - 1] == '-'))
        return s[en - 1] == '+' ? FE_U_POSTINC : FE_U_POSTDEC;
    /* a macro's body */
    int op = fe__unop_by_type(e, in);
    if (op != FE_U_UNKNOWN)
        return op;
    return fe_is_not(st, e, in) ? FE_U_NOT : FE_U_UNKNOWN;
}

/* An operator whose operator could not be told: its value when clang folds
 * it and its operands are constants, else UNKNOWN. */
static model_val *fe__by_clang(fe_state *st, CXCursor e, bool constant_operands)
{
    int64_t n;
    if (constant_operands && fe_eval_int(e, &n))
        return mv_int(st->m, n);
    return mv_unknown(st->m);
}

model_val *fe_val_unary(fe_state *st, CXCursor e, int op, model_val *sub)
{
    if (st->probe)
        return NULL;
    switch (op) {
    case FE_U_PLUS: return sub;
    case FE_U_NEG: return fe_fold_unop(st->m, MODEL_OP_NEG, sub);
    case FE_U_NOT: return fe_fold_unop(st->m, MODEL_OP_NOT, sub);
    case FE_U_BITNOT: return fe_fold_unop(st->m, MODEL_OP_BITNOT, sub);
    case FE_U_ADDR: return sub && sub->kind == MODEL_VAL_FUNC ? sub : mv_addr(st->m, sub);
    case FE_U_DEREF: return sub && sub->kind == MODEL_VAL_FUNC ? sub : mv_deref(st->m, sub);
    default: return fe__by_clang(st, e, fe__is_int(sub));
    }
}

/* The operand of `sizeof x` (through parens), or a null cursor: sizeof
 * over a type, _Alignof, or no sizeof. */
static CXCursor fe__sizeof_operand(fe_state *st, CXCursor e)
{
    e = fe_strip_parens(e);
    CXCursor none = clang_getNullCursor();
    if (clang_getCursorKind(e) != CXCursor_UnaryExpr)
        return none;
    /* not _Alignof (inside a macro's body the text is the macro's name) */
    long off = fe_offset(st, clang_getRangeStart(fe_extent(e)));
    if (off >= 0 && (fe__word_at(st, off, "_Alignof") || fe__word_at(st, off, "alignof") ||
                     fe__word_at(st, off, "__alignof__") || fe__word_at(st, off, "__alignof")))
        return none;
    fe_kids k;
    fe_kids_get(e, &k);
    CXCursor in = k.n == 1 && clang_isExpression(clang_getCursorKind(k.v[0])) ? k.v[0] : none;
    fe_kids_free(&k);
    return clang_Cursor_isNull(in) ? none : fe_strip_parens(in);
}

/* Whether a and b (both variables or both fields) are written the same:
 * their source text, and the same declaration (inside a macro's body, every
 * token's text is the macro's name). */
static bool fe__same_text(fe_state *st, CXCursor a, CXCursor b)
{
    if (!clang_equalCursors(clang_getCursorReferenced(a), clang_getCursorReferenced(b)))
        return false;
    CXSourceRange ra = fe_extent(a), rb = fe_extent(b);
    long a0 = fe_offset(st, clang_getRangeStart(ra)), a1 = fe_offset(st, clang_getRangeEnd(ra));
    long b0 = fe_offset(st, clang_getRangeStart(rb)), b1 = fe_offset(st, clang_getRangeEnd(rb));
    return a0 >= 0 && b0 >= 0 && a1 > a0 && b1 > b0 && a1 - a0 == b1 - b0 &&
           memcmp(st->buf + a0, st->buf + b0, (size_t)(a1 - a0)) == 0;
}

/* `sizeof a / sizeof a[K]` or `sizeof a / sizeof *a` over an array `a` of
 * constant length (an identifier or a field, written the same twice): its
 * length, as an INT; NULL if e is not that. */
static model_val *fe__sizeof_div(fe_state *st, CXCursor l, CXCursor r)
{
    CXCursor a = fe__sizeof_operand(st, l);
    CXCursor el = fe__sizeof_operand(st, r);
    if (clang_Cursor_isNull(a) || clang_Cursor_isNull(el))
        return NULL;
    enum CXCursorKind ak = clang_getCursorKind(a);
    if (ak != CXCursor_DeclRefExpr && ak != CXCursor_MemberRefExpr)
        return NULL;
    CXType at = clang_getCanonicalType(clang_getCursorType(a));
    if (at.kind != CXType_ConstantArray)
        return NULL;
    fe_kids k;
    fe_kids_get(el, &k);
    CXCursor base = clang_getNullCursor();
    enum CXCursorKind ek = clang_getCursorKind(el);
    int64_t idx;
    if (ek == CXCursor_ArraySubscriptExpr && k.n == 2 && fe_eval_int(k.v[1], &idx))
        base = k.v[0];
    else if (ek == CXCursor_UnaryOperator && k.n == 1 && fe_unop_of(st, el, k.v[0]) == FE_U_DEREF)
        base = k.v[0];
    fe_kids_free(&k);
    if (clang_Cursor_isNull(base))
        return NULL;
    base = fe_strip_parens(base);
    if (clang_getCursorKind(base) != ak || !fe__same_text(st, a, base))
        return NULL;
    return mv_int(st->m, (int64_t)clang_getArraySize(at));
}

model_val *fe_val_binary(fe_state *st, CXCursor e, CXCursor l, CXCursor r, int op, model_val *lv,
                         model_val *rv)
{
    if (st->probe)
        return NULL;
    if (op == MODEL_OP_DIV || op == FE_OP_UNKNOWN) {
        model_val *n = fe__sizeof_div(st, l, r);
        if (n)
            return n;
    }
    if (op == FE_OP_COMMA)
        return rv;
    if (op < MODEL_OP_ADD || op > MODEL_OP_LOR)
        return fe__by_clang(st, e, fe__is_int(lv) && fe__is_int(rv));
    return fe_fold_binop(st->m, (model_op)op, lv, rv);
}

/* ---- Places and conversions ---------------------------------------------------- */

bool fe_val_transparent(CXCursor e, CXCursor kid)
{
    /* an implicit conversion: libclang places it where its operand is; a
     * va_arg (its operand `ap` is itself converted) or offsetof (an index
     * operand) is placed elsewhere. Only those operands are checked: the
     * positions cost, and most conversions are over a variable or a call. */
    enum CXCursorKind k = clang_getCursorKind(kid);
    if (k != CXCursor_UnexposedExpr && k != CXCursor_IntegerLiteral && k != CXCursor_BinaryOperator)
        return true;
    return clang_equalLocations(clang_getCursorLocation(e), clang_getCursorLocation(kid)) != 0;
}

model_val *fe_val_cast(fe_state *st, CXCursor e, model_val *inner)
{
    if (st->probe)
        return NULL;
    if (inner && inner->kind == MODEL_VAL_INT && inner->num == 0 &&
        clang_getCanonicalType(clang_getCursorType(e)).kind == CXType_Pointer)
        return mv_null(st->m);
    return inner ? inner : mv_unknown(st->m);
}

model_val *fe_val_member(fe_state *st, CXCursor e, CXCursor base, model_val *bv)
{
    if (st->probe)
        return NULL;
    /* the member's name: libclang places the node at it; read from the file
     * when written there (cheaper than its spelling) */
    CXSourceLocation at = clang_getCursorLocation(e);
    long off = fe_offset(st, at);
    char small[64];
    const char *name = NULL;
    CXString s = { NULL, 0 };
    bool spelled = false;
    if (off >= 0 && fe_plain_loc(st, at, off)) {
        size_t n = 0;
        while ((size_t)off + n < st->buflen && fe__ident_char(st->buf[off + n]))
            n++;
        if (n > 0 && n < sizeof small) {
            memcpy(small, st->buf + off, n);
            small[n] = '\0';
            name = small;
        }
    }
    if (!name) {
        s = clang_getCursorSpelling(e);
        name = clang_getCString(s);
        spelled = true;
    }
    model_val *v;
    if (!name || !*name) {
        v = bv; /* an anonymous struct or union member */
    } else {
        bool arrow = clang_getCanonicalType(clang_getCursorType(base)).kind == CXType_Pointer;
        v = mv_field(st->m, bv, name, arrow);
        v->is_array = fe__is_array_type(clang_getCursorType(e));
    }
    if (spelled)
        clang_disposeString(s);
    return v;
}

model_val *fe_val_index(fe_state *st, CXCursor e, model_val *base, model_val *index)
{
    if (st->probe)
        return NULL;
    model_val *v = mv_index(st->m, base, index);
    v->is_array = fe__is_array_type(clang_getCursorType(e));
    return v;
}

/* ---- Initializer lists ------------------------------------------------------------ */

static enum CXVisitorResult fe__field_visit(CXCursor c, CXClientData data)
{
    fe_fields *f = data;
    CXString s = clang_getCursorSpelling(c);
    const char *name = clang_getCString(s);
    bool unnamed = !name || !*name; /* `int : 3;` takes no initializer */
    clang_disposeString(s);
    if (unnamed)
        return CXVisit_Continue;
    if (f->n == f->cap) {
        size_t cap = f->cap * 2;
        CXCursor *v = malloc(cap * sizeof *v);
        if (!v) {
            fputs("tether: error: out of memory\n", stderr);
            abort();
        }
        memcpy(v, f->v, f->n * sizeof *v);
        if (f->v != f->small)
            free(f->v);
        f->v = v;
        f->cap = cap;
    }
    f->v[f->n++] = c;
    return CXVisit_Continue;
}

void fe_fields_get(CXType t, fe_fields *f)
{
    f->v = f->small;
    f->n = 0;
    f->cap = sizeof f->small / sizeof f->small[0];
    clang_Type_visitFields(t, fe__field_visit, f);
}

void fe_fields_free(fe_fields *f)
{
    if (f->v != f->small)
        free(f->v);
    f->v = NULL;
}

static enum CXChildVisitResult fe__desig_visit(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    fe_desig *d = data;
    enum CXCursorKind k = clang_getCursorKind(c);
    if (k == CXCursor_MemberRef) {
        CXString sp = clang_getCursorSpelling(c);
        const char *n = clang_getCString(sp);
        bool implicit = !n || !*n; /* the anonymous member holding a field */
        clang_disposeString(sp);
        if (implicit)
            return CXChildVisit_Continue;
        if (d->nfields == 0)
            d->first = clang_getCursorLocation(c);
        CXCursor field = clang_getCursorReferenced(c);
        if (d->nfields < sizeof d->fields / sizeof d->fields[0])
            d->fields[d->nfields] = field;
        d->nfields++;
        if (!clang_Cursor_isNull(d->value) && !d->value_is_part && d->nparts < FE_DESIG_PARTS) {
            d->parts[d->nparts] = d->value; /* `[i].f`: the index came first */
            d->part_index[d->nparts++] = true;
            d->value_is_part = true;
        }
        if (d->nparts < FE_DESIG_PARTS) {
            d->parts[d->nparts] = field;
            d->part_index[d->nparts++] = false;
        }
    } else if (clang_isExpression(k)) {
        if (!clang_Cursor_isNull(d->value) && d->nindex++ == 0)
            d->index = d->value; /* `[i] = v`: the index comes first */
        if (!clang_Cursor_isNull(d->value) && !d->value_is_part && d->nparts < FE_DESIG_PARTS) {
            d->parts[d->nparts] = d->value;
            d->part_index[d->nparts++] = true;
        }
        d->value = c;
        d->value_is_part = false;
    }
    return CXChildVisit_Continue;
}

bool fe_designated(CXCursor item, fe_desig *d)
{
    memset(d, 0, sizeof *d);
    d->index = d->value = clang_getNullCursor();
    if (clang_getCursorKind(item) != CXCursor_UnexposedExpr ||
        clang_getCanonicalType(clang_getCursorType(item)).kind != CXType_Void)
        return false;
    clang_visitChildren(item, fe__desig_visit, d);
    return !clang_Cursor_isNull(d->value) && (d->nfields > 0 || !clang_Cursor_isNull(d->index));
}

/* ".f", "[3]", ".a.b", "[1].x": the designator as written (indexes
 * evaluated); NULL if a part cannot be told. */
static const char *fe__desig_name(fe_state *st, const fe_desig *d)
{
    char buf[256];
    size_t n = 0;
    if (d->nparts == 0 || d->nparts >= FE_DESIG_PARTS)
        return NULL;
    for (size_t i = 0; i < d->nparts; i++) {
        int w;
        if (d->part_index[i] && i + 1 < d->nparts && d->part_index[i + 1]) {
            /* GNU `[A ... B]`: no one designator */
            long from = fe_offset(st, clang_getRangeEnd(fe_extent(d->parts[i])));
            long to = fe_offset(st, clang_getRangeStart(fe_extent(d->parts[i + 1])));
            for (long p = from; p >= 0 && p + 2 < to; p++)
                if (memcmp(st->buf + p, "...", 3) == 0)
                    return NULL;
        }
        if (d->part_index[i]) {
            int64_t at;
            if (!fe_eval_int(d->parts[i], &at))
                return NULL;
            w = snprintf(buf + n, sizeof buf - n, "[%lld]", (long long)at);
        } else {
            CXString s = clang_getCursorSpelling(d->parts[i]);
            w = snprintf(buf + n, sizeof buf - n, ".%s", clang_getCString(s));
            clang_disposeString(s);
        }
        if (w < 0 || (size_t)w >= sizeof buf - n)
            return NULL;
        n += (size_t)w;
    }
    return model_strdup(st->m, buf);
}

static const char *fe__field_desig(fe_state *st, CXCursor field)
{
    CXString s = clang_getCursorSpelling(field);
    char buf[256];
    snprintf(buf, sizeof buf, ".%s", clang_getCString(s));
    clang_disposeString(s);
    return model_strdup(st->m, buf);
}

void fe_init_desig(fe_state *st, CXType t, const fe_kids *k, const char **names, CXCursor *values)
{
    t = clang_getCanonicalType(t);
    bool record = t.kind == CXType_Record;
    bool array = t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray;
    fe_fields f;
    f.v = NULL;
    if (record)
        fe_fields_get(t, &f);
    size_t next = 0; /* the field or index a positional element initializes */
    for (size_t i = 0; i < k->n; i++) {
        fe_desig d;
        if (fe_designated(k->v[i], &d)) {
            values[i] = d.value;
            names[i] = fe__desig_name(st, &d);
            if (record && d.nfields > 0) {
                for (size_t j = 0; j < f.n; j++)
                    if (clang_equalCursors(f.v[j], d.fields[0]))
                        next = j + 1;
            } else if (array && d.nparts > 0 && d.part_index[0]) {
                int64_t at;
                if (fe_eval_int(d.parts[0], &at) && at >= 0)
                    next = (size_t)at + 1;
            }
            continue;
        }
        values[i] = k->v[i];
        if (record) {
            names[i] = next < f.n ? fe__field_desig(st, f.v[next]) : NULL;
        } else if (array) {
            char buf[32];
            snprintf(buf, sizeof buf, "[%zu]", next);
            names[i] = model_strdup(st->m, buf);
        } else {
            names[i] = NULL;
        }
        next++;
    }
    if (record)
        fe_fields_free(&f);
}

bool fe_init_empty(fe_state *st, CXCursor list, const fe_kids *k)
{
    if (k->n == 0)
        return true;
    long off = fe_offset(st, clang_getRangeStart(fe_extent(list)));
    if (off >= 0 && (fe__word_at(st, off, "TT_WG_INIT") || fe__word_at(st, off, "TT_MUTEX_INIT")))
        return true;
    if (k->n != 1)
        return false;
    /* `{0}`: the literal 0 as written, or `false` (under implicit
     * conversions only; `{NULL}` and `{ZERO}` keep their element) */
    CXCursor e = k->v[0];
    for (int guard = 0; guard < 8 && clang_getCursorKind(e) == CXCursor_UnexposedExpr; guard++) {
        fe_kids in;
        fe_kids_get(e, &in);
        CXCursor next = in.n == 1 && fe_val_transparent(e, in.v[0]) ? in.v[0] : clang_getNullCursor();
        fe_kids_free(&in);
        if (clang_Cursor_isNull(next))
            return false;
        e = next;
    }
    if (clang_getCursorKind(e) != CXCursor_IntegerLiteral)
        return false;
    long at = fe_offset(st, clang_getRangeStart(fe_extent(e)));
    return fe__word_at(st, at, "0") || fe__word_at(st, at, "false");
}

/* ---- The pure evaluator ------------------------------------------------------------- */

static model_val *fe__pure_init(fe_state *st, CXCursor list)
{
    fe_kids k;
    fe_kids_get(list, &k);
    model_val *v;
    if (fe_init_empty(st, list, &k)) {
        v = mv_init(st->m, 0);
    } else {
        const char **names = malloc(k.n * sizeof *names);
        CXCursor *values = malloc(k.n * sizeof *values);
        if (!names || !values) {
            fputs("tether: error: out of memory\n", stderr);
            abort();
        }
        fe_init_desig(st, clang_getCursorType(list), &k, names, values);
        v = mv_init(st->m, k.n);
        for (size_t i = 0; i < k.n; i++)
            mv_init_set(st->m, v, i, names[i], fe_value(st, values[i]));
        free(names);
        free(values);
    }
    fe_kids_free(&k);
    return v;
}

model_val *fe_value(fe_state *st, CXCursor e)
{
    if (st->probe)
        return NULL;
    if (clang_Cursor_isNull(e))
        return mv_unknown(st->m);
    enum CXCursorKind k = clang_getCursorKind(e);
    switch (k) {
    case CXCursor_DeclRefExpr:
        return fe_val_ref(st, e);
    case CXCursor_IntegerLiteral:
    case CXCursor_CharacterLiteral:
    case CXCursor_FloatingLiteral:
    case CXCursor_StringLiteral:
        return fe_val_literal(st, e, k);
    case CXCursor_InitListExpr:
        return fe__pure_init(st, e);
    default:
        break;
    }
    fe_kids kk;
    fe_kids_get(e, &kk);
    model_val *v = NULL;
    switch (k) {
    case CXCursor_ParenExpr:
    case CXCursor_CompoundLiteralExpr:
        v = kk.n ? fe_value(st, kk.v[kk.n - 1]) : NULL;
        break;
    case CXCursor_CStyleCastExpr:
        v = kk.n ? fe_val_cast(st, e, fe_value(st, kk.v[kk.n - 1])) : NULL;
        break;
    case CXCursor_UnexposedExpr:
        if (kk.n == 1 && clang_isExpression(clang_getCursorKind(kk.v[0])) && fe_val_transparent(e, kk.v[0]))
            v = fe_val_cast(st, e, fe_value(st, kk.v[0]));
        break;
    case CXCursor_MemberRefExpr:
        if (kk.n == 1)
            v = fe_val_member(st, e, kk.v[0], fe_value(st, kk.v[0]));
        break;
    case CXCursor_ArraySubscriptExpr:
        if (kk.n == 2)
            v = fe_val_index(st, e, fe_value(st, kk.v[0]), fe_value(st, kk.v[1]));
        break;
    case CXCursor_UnaryOperator:
        if (kk.n == 1) {
            int op = fe_unop_of(st, e, kk.v[0]);
            if (op != FE_U_PREINC && op != FE_U_PREDEC && op != FE_U_POSTINC && op != FE_U_POSTDEC)
                v = fe_val_unary(st, e, op, fe_value(st, kk.v[0]));
        }
        break;
    case CXCursor_BinaryOperator:
        if (kk.n == 2) {
            int op = fe_binop_of(st, e, kk.v[0], kk.v[1], false);
            if (op != FE_OP_ASSIGN)
                v = fe_val_binary(st, e, kk.v[0], kk.v[1], op, fe_value(st, kk.v[0]),
                                  fe_value(st, kk.v[1]));
        }
        break;
    case CXCursor_ConditionalOperator:
        if (kk.n == 3)
            v = fe_fold_cond(st->m, fe_value(st, kk.v[0]), fe_value(st, kk.v[1]), fe_value(st, kk.v[2]));
        break;
    default:
        break;
    }
    fe_kids_free(&kk);
    return v ? v : mv_unknown(st->m);
}

/* ---- Atomics ------------------------------------------------------------------------ *
 * The lead's note in notes/values.md ("Atomics as memory operations") and
 * tree-sitter's precisions 32-36: C11 atomic_* / atomic_*_explicit, clang's
 * __c11_atomic_*, GNU __atomic_* and __sync_* by the name as written (clang
 * turns most of them into an AtomicExpr without a name, and __sync_* into
 * sized builtins such as __sync_fetch_and_add_4). */

static bool fe__strip_prefix(const char **s, size_t *n, const char *p)
{
    size_t k = strlen(p);
    if (*n < k || memcmp(*s, p, k) != 0)
        return false;
    *s += k;
    *n -= k;
    return true;
}

static bool fe__strip_suffix(const char *s, size_t *n, const char *p)
{
    size_t k = strlen(p);
    if (*n < k || memcmp(s + *n - k, p, k) != 0)
        return false;
    *n -= k;
    return true;
}

static bool fe__word_is(const char *s, size_t n, const char *w)
{
    return strlen(w) == n && memcmp(s, w, n) == 0;
}

static model_op fe__atomic_op(const char *s, size_t n)
{
    return fe__word_is(s, n, "add")   ? MODEL_OP_ADD
           : fe__word_is(s, n, "sub") ? MODEL_OP_SUB
           : fe__word_is(s, n, "or")  ? MODEL_OP_BITOR
           : fe__word_is(s, n, "and") ? MODEL_OP_BITAND
           : fe__word_is(s, n, "xor") ? MODEL_OP_BITXOR
                                      : MODEL_OP_NONE;
}

int fe_atomic_of(const char *name, size_t len, model_op *op, int *k)
{
    const char *s = name;
    size_t n = len;
    *op = MODEL_OP_NONE;
    *k = 0;
    bool gnu = false, sync = false;
    if (fe__strip_prefix(&s, &n, "__c11_atomic_") || fe__strip_prefix(&s, &n, "atomic_")) {
        fe__strip_suffix(s, &n, "_explicit");
    } else if (fe__strip_prefix(&s, &n, "__atomic_")) {
        gnu = !fe__strip_suffix(s, &n, "_n");
    } else if (fe__strip_prefix(&s, &n, "__sync_")) {
        sync = true;
        /* clang's sized builtins: __sync_fetch_and_add_4 */
        if (!fe__strip_suffix(s, &n, "_16") && !fe__strip_suffix(s, &n, "_8") &&
            !fe__strip_suffix(s, &n, "_4") && !fe__strip_suffix(s, &n, "_2"))
            fe__strip_suffix(s, &n, "_1");
    } else {
        return FE_AT_NONE;
    }
    if (fe__word_is(s, n, "thread_fence") || fe__word_is(s, n, "signal_fence") ||
        fe__word_is(s, n, "synchronize"))
        return FE_AT_FENCE;
    if (fe__word_is(s, n, "load"))
        return gnu ? FE_AT_LOAD_GEN : FE_AT_LOAD;
    if (fe__word_is(s, n, "store") || fe__word_is(s, n, "init"))
        return gnu ? FE_AT_STORE_GEN : FE_AT_STORE;
    if (fe__word_is(s, n, "clear") || fe__word_is(s, n, "flag_clear") || fe__word_is(s, n, "lock_release"))
        return FE_AT_STORE_K;
    if (fe__word_is(s, n, "test_and_set") || fe__word_is(s, n, "flag_test_and_set") ||
        fe__word_is(s, n, "lock_test_and_set")) {
        *k = 1;
        return fe__word_is(s, n, "lock_test_and_set") ? FE_AT_EXCHANGE : FE_AT_STORE_K;
    }
    if (fe__word_is(s, n, "exchange"))
        return FE_AT_EXCHANGE;
    if ((n >= 16 && memcmp(s, "compare_exchange", 16) == 0) || fe__word_is(s, n, "bool_compare_and_swap") ||
        fe__word_is(s, n, "val_compare_and_swap"))
        return FE_AT_CAS;
    const char *w = s;
    size_t wn = n;
    if (fe__strip_prefix(&w, &wn, sync ? "fetch_and_" : "fetch_")) {
        *op = fe__atomic_op(w, wn);
        return FE_AT_FETCH;
    }
    if (fe__strip_suffix(s, &n, sync ? "_and_fetch" : "_fetch")) {
        *op = fe__atomic_op(s, n);
        return FE_AT_OP_FETCH;
    }
    return FE_AT_NONE; /* is_lock_free and the rest: calls */
}

int fe_atomic_expr(fe_state *st, CXCursor e, model_op *op, int *k, long *open, long *close)
{
    long off = fe_offset(st, clang_getCursorLocation(e));
    if (off < 0)
        return FE_AT_NONE;
    size_t n = 0;
    while ((size_t)off + n < st->buflen && fe__ident_char(st->buf[off + n]))
        n++;
    if (n == 0 || (st->buf[off] >= '0' && st->buf[off] <= '9'))
        return FE_AT_NONE;
    int kind = fe_atomic_of(st->buf + off, n, op, k);
    if (kind == FE_AT_NONE)
        return kind;
    long p = off + (long)n;
    while ((size_t)p < st->buflen && (st->buf[p] == ' ' || st->buf[p] == '\t' || st->buf[p] == '\n' ||
                                      st->buf[p] == '\r'))
        p++;
    if ((size_t)p >= st->buflen || st->buf[p] != '(')
        return FE_AT_NONE;
    *open = p;
    *close = fe_offset(st, clang_getRangeEnd(fe_extent(e)));
    return *close > p ? kind : FE_AT_NONE;
}
