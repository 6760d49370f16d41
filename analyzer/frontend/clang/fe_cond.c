/* fe_cond.c — what the libclang front end reads around conditions and
 * arguments: an if condition that tests one object against NULL (for
 * MODEL_EV_NULL_TEST) and the source range of a call's argument (an event's
 * num_begin / num_end). libclang 14 does not say which operator an
 * operator node is (nor pretty-prints expressions): it is read from the
 * source; inside a macro's body, whose tokens libclang places at the
 * macro's name, `!` is told by types and `==` / `!=` from the macro's
 * definition when this file holds it. */
#include "fe_clang.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool fe__ident_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static bool fe__space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Skips a comment, string or character literal starting at p; returns the
 * offset after it, or p if there is none. */
static size_t fe__skip_lexeme(const char *b, size_t n, size_t p)
{
    if (b[p] == '/' && p + 1 < n && b[p + 1] == '/') {
        while (p < n && b[p] != '\n')
            p++;
        return p;
    }
    if (b[p] == '/' && p + 1 < n && b[p + 1] == '*') {
        for (p += 2; p + 1 < n && !(b[p] == '*' && b[p + 1] == '/'); p++)
            ;
        return p + 2 <= n ? p + 2 : n;
    }
    if (b[p] == '"' || b[p] == '\'') {
        char q = b[p];
        for (p++; p < n && b[p] != q && b[p] != '\n'; p++)
            if (b[p] == '\\')
                p++;
        return p < n ? p + 1 : n;
    }
    return p;
}

/* ---- NULL tests --------------------------------------------------------- */

/* Whether unary operator e (its operand `in`) is `!`. */
bool fe_is_not(fe_state *st, CXCursor e, CXCursor in)
{
    long off = fe_offset(st, clang_getRangeStart(fe_extent(e)));
    if (off >= 0 && (size_t)off < st->buflen && !fe__ident_char(st->buf[off]))
        return st->buf[off] == '!'; /* the operator as written */
    /* a macro's body (the position is the macro's name): of the unary
     * operators only `!` makes an int of a pointer */
    enum CXTypeKind r = clang_getCanonicalType(clang_getCursorType(e)).kind;
    return clang_getCanonicalType(clang_getCursorType(in)).kind == CXType_Pointer &&
           r == CXType_Int;
}

/* Offset just past the end of the line holding p (backslash-newlines
 * continue it). */
static size_t fe__line_end(const char *b, size_t n, size_t p)
{
    for (; p < n && b[p] != '\n'; p++)
        if (b[p] == '\\' && p + 1 < n && b[p + 1] == '\n')
            p++;
    return p;
}

/* The one `==` or `!=` in the body of the function-like macro whose name
 * is written at offset off, when this file defines it: 1 `==`, 2 `!=`, 0
 * none, several, or no definition here. */
static int fe__eq_in_macro(fe_state *st, long off)
{
    const char *b = st->buf;
    size_t n = st->buflen, len = 0;
    if (off < 0 || (size_t)off >= n)
        return 0;
    while ((size_t)off + len < n && fe__ident_char(b[off + len]))
        len++;
    if (len == 0)
        return 0;
    /* a few entries of memory: a macro used in many conditions (or
     * values) is looked up once, a system macro (isspace) not each time */
    size_t slots = sizeof st->eq_macro / sizeof st->eq_macro[0];
    for (size_t i = 0; i < slots; i++)
        if (st->eq_macro[i].len == len && memcmp(st->eq_macro[i].name, b + off, len) == 0)
            return st->eq_macro[i].op;
    size_t slot = st->eq_macro_next++ % slots;
    st->eq_macro[slot].name = b + off;
    st->eq_macro[slot].len = len;
    st->eq_macro[slot].op = 0;
    if (!st->fdefs_built) {
        /* once per file: where the function-like macros are defined */
        st->fdefs_built = true;
        for (const char *h = memchr(b, '#', n); h; h = memchr(h + 1, '#', n - (size_t)(h + 1 - b))) {
            size_t q = (size_t)(h - b), s0 = q;
            while (s0 > 0 && (b[s0 - 1] == ' ' || b[s0 - 1] == '\t'))
                s0--;
            if (s0 > 0 && b[s0 - 1] != '\n')
                continue; /* not the first thing on its line */
            for (q++; q < n && (b[q] == ' ' || b[q] == '\t'); q++)
                ;
            if (n - q < 7 || memcmp(b + q, "define", 6) != 0 || !fe__space(b[q + 6]))
                continue;
            for (q += 6; q < n && (b[q] == ' ' || b[q] == '\t'); q++)
                ;
            size_t k = 0;
            while (q + k < n && fe__ident_char(b[q + k]))
                k++;
            if (k == 0 || q + k >= n || b[q + k] != '(')
                continue;
            if (st->nfdefs == st->capfdefs) {
                st->capfdefs = st->capfdefs ? st->capfdefs * 2 : 16;
                void *np = realloc(st->fdefs, st->capfdefs * sizeof *st->fdefs);
                if (!np) {
                    fputs("tether: error: out of memory\n", stderr);
                    abort();
                }
                st->fdefs = np;
            }
            st->fdefs[st->nfdefs].at = q;
            st->fdefs[st->nfdefs++].len = k;
        }
    }
    for (size_t d = 0; d < st->nfdefs; d++) {
        size_t q = st->fdefs[d].at;
        if (st->fdefs[d].len != len || memcmp(b + q, b + off, len) != 0)
            continue;
        size_t end = fe__line_end(b, n, q);
        int found = 0, count = 0;
        for (q += len; q + 1 < end;) {
            size_t r = fe__skip_lexeme(b, end, q);
            if (r != q) {
                q = r;
                continue;
            }
            if (b[q + 1] == '=' && (b[q] == '=' || b[q] == '!')) {
                found = b[q] == '=' ? 1 : 2;
                count++;
                q += 2;
                continue;
            }
            q++;
        }
        st->eq_macro[slot].op = count == 1 ? found : 0; /* defined twice: the first definition */
        return st->eq_macro[slot].op;
    }
    return 0;
}

/* The comparison binary operator e (operands l, r) makes: 1 `==`, 2 `!=`,
 * 0 another operator. */
int fe_eq_op(fe_state *st, CXCursor e, CXCursor l, CXCursor r)
{
    const char *op = fe_binop(st, l, r);
    if (op) {
        if (op + 1 < st->buf + st->buflen && op[1] == '=')
            return op[0] == '=' ? 1 : op[0] == '!' ? 2 : 0;
        return 0;
    }
    /* a macro's body, or a comment between the operands */
    long off = fe_offset(st, clang_getRangeStart(fe_extent(e)));
    if (off < 0 || (size_t)off >= st->buflen || !fe__ident_char(st->buf[off]))
        return 0;
    return fe__eq_in_macro(st, off);
}

/* A null pointer constant: 0 or NULL (`((void *)0)`), through parens and casts. */
static bool fe__is_null_const(CXCursor e)
{
    CXCursor s = fe_strip_parens(e);
    int64_t v;
    return clang_getCursorKind(s) == CXCursor_IntegerLiteral && fe_eval_int(s, &v) && v == 0;
}

/* A place that holds a tether object by its type: a variable, a field or
 * an array element of type tt_chan *, tt_ticker *, ... (through parens and
 * casts; `*p` and calls are not places tested here), or an assignment to
 * one (`(ch = tt_chan_new(...)) == NULL` tests ch). */
static bool fe__is_obj_expr(fe_state *st, CXCursor e)
{
    CXCursor s = fe_strip_parens(e);
    switch (clang_getCursorKind(s)) {
    case CXCursor_BinaryOperator: {
        fe_kids kk;
        fe_kids_get(s, &kk);
        const char *op = kk.n == 2 ? fe_binop(st, kk.v[0], kk.v[1]) : NULL;
        bool yes = op && op[0] == '=' && op + 1 < st->buf + st->buflen && op[1] != '=' &&
                   fe__is_obj_expr(st, kk.v[0]);
        fe_kids_free(&kk);
        return yes;
    }
    case CXCursor_DeclRefExpr: {
        enum CXCursorKind rk = clang_getCursorKind(clang_getCursorReferenced(s));
        if (rk != CXCursor_VarDecl && rk != CXCursor_ParmDecl)
            return false;
        break;
    }
    case CXCursor_MemberRefExpr:
    case CXCursor_ArraySubscriptExpr:
        break;
    default:
        return false;
    }
    return fe_kind_of_type(clang_getCursorType(s)) != MODEL_KIND_NONE;
}

bool fe_null_test(fe_state *st, CXCursor cond, CXCursor *obj, bool *nonnull)
{
    bool sense = true; /* false under an odd number of `!` */
    CXCursor e = cond;
    for (int guard = 0; guard < 16; guard++) {
        e = fe_strip_parens(e);
        enum CXCursorKind k = clang_getCursorKind(e);
        if (k == CXCursor_UnaryOperator) {
            fe_kids kk;
            fe_kids_get(e, &kk);
            bool not = kk.n == 1 && fe_is_not(st, e, kk.v[0]);
            if (not)
                e = kk.v[0];
            fe_kids_free(&kk);
            if (!not)
                return false;
            sense = !sense;
            continue;
        }
        if (k == CXCursor_BinaryOperator && !fe__is_obj_expr(st, e)) { /* not `(t = x)` */
            fe_kids kk;
            fe_kids_get(e, &kk);
            bool ok = false;
            if (kk.n == 2) {
                CXCursor o = clang_getNullCursor();
                if (fe__is_null_const(kk.v[1]) && fe__is_obj_expr(st, kk.v[0]))
                    o = kk.v[0];
                else if (fe__is_null_const(kk.v[0]) && fe__is_obj_expr(st, kk.v[1]))
                    o = kk.v[1];
                int op = clang_Cursor_isNull(o) ? 0 : fe_eq_op(st, e, kk.v[0], kk.v[1]);
                if (op) {
                    *obj = fe_strip_parens(o);
                    *nonnull = (op == 2) == sense;
                    ok = true;
                }
            }
            fe_kids_free(&kk);
            return ok;
        }
        if (!fe__is_obj_expr(st, e))
            return false;
        *obj = e;
        *nonnull = sense;
        return true;
    }
    return false;
}

/* ---- Argument ranges ----------------------------------------------------- */

static model_loc fe__loc_at(fe_state *st, size_t off)
{
    return fe_loc(clang_getLocationForOffset(st->tu, st->main_file, (unsigned)off));
}

bool fe_arg_range(fe_state *st, CXCursor call, const char *name, int idx, model_loc *begin,
                  model_loc *end)
{
    long off = fe_offset(st, clang_getCursorLocation(call));
    if (off < 0)
        return false;
    const char *b = st->buf;
    size_t n = st->buflen, p = (size_t)off;
    /* the callee as written: `name` or `name_at`, maybe in parentheses */
    while (p < n && (b[p] == '(' || fe__space(b[p])))
        p++;
    size_t id = p, nl = strlen(name);
    while (p < n && fe__ident_char(b[p]))
        p++;
    if (!frontend_alias_stands_for(b + id, p - id, name) && (p - id < nl || memcmp(b + id, name, nl) != 0 ||
        !(p - id == nl || (p - id == nl + 3 && memcmp(b + id + nl, "_at", 3) == 0))))
        return false;
    while (p < n && (b[p] == ')' || fe__space(b[p])))
        p++;
    if (p >= n || b[p] != '(')
        return false;
    /* the arguments: split at commas outside brackets; each one's range
     * leaves out blanks and comments around it */
    int depth = 0, arg = 0;
    size_t first = 0, last = 0;
    bool seen = false;
    for (p++; p < n;) {
        char c = b[p];
        size_t q = fe__skip_lexeme(b, n, p);
        if (q != p) {
            if (c == '"' || c == '\'') {
                if (!seen)
                    first = p;
                seen = true;
                last = q;
            }
            p = q;
            continue;
        }
        if (depth == 0 && (c == ',' || c == ')')) {
            if (arg == idx) {
                if (!seen)
                    return false;
                *begin = fe__loc_at(st, first);
                *end = fe__loc_at(st, last);
                return true;
            }
            if (c == ')')
                return false;
            arg++;
            seen = false;
            p++;
            continue;
        }
        if (c == '(' || c == '[' || c == '{')
            depth++;
        else if (c == ')' || c == ']' || c == '}')
            depth--;
        if (!fe__space(c)) {
            if (!seen)
                first = p;
            seen = true;
            last = p + 1;
        }
        p++;
    }
    return false;
}
