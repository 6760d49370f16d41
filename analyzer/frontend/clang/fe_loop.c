/* fe_loop.c — the trip count of a counted for loop (mb_loop_trips):
 * `for (i = A; i < B; i++)` and its kin (`<=`, `>`, `>=`, `!=`, `i--`,
 * `i += K`, `int i = A`) with constant A, B and K, and a body that does
 * not change i. Read from the source as the tree-sitter front end reads it
 * (ts_loop.c), so both give the same counts; loops inside macros get none. */
#include "fe_clang.h"
#include "frontend/loop_count.h"

#include <stdio.h>
#include <string.h>

/* The name of variable expression e (through parens and implicit casts). */
static bool fe__var_name(CXCursor e, char *buf, size_t size)
{
    CXCursor s = fe_strip_parens(e);
    if (clang_getCursorKind(s) != CXCursor_DeclRefExpr)
        return false;
    enum CXCursorKind rk = clang_getCursorKind(clang_getCursorReferenced(s));
    if (rk != CXCursor_VarDecl && rk != CXCursor_ParmDecl)
        return false;
    CXString sp = clang_getCursorSpelling(s);
    const char *n = clang_getCString(sp);
    bool ok = n && *n && strlen(n) < size;
    if (ok)
        strcpy(buf, n);
    clang_disposeString(sp);
    return ok;
}

/* e's text as written in the main file, blanks dropped, in buf. */
static bool fe__squeezed(fe_state *st, CXCursor e, char *buf, size_t size)
{
    CXSourceRange r = fe_extent(e);
    long from = fe_offset(st, clang_getRangeStart(r)), to = fe_offset(st, clang_getRangeEnd(r));
    if (from < 0 || to <= from)
        return false;
    size_t n = 0;
    for (long i = from; i < to; i++) {
        char c = st->buf[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            continue;
        if (n + 1 >= size)
            return false;
        buf[n++] = c;
    }
    buf[n] = '\0';
    return true;
}

/* The two children of a binary operator. */
static bool fe__operands(CXCursor e, CXCursor *l, CXCursor *r)
{
    fe_kids k;
    fe_kids_get(e, &k);
    bool ok = k.n == 2;
    if (ok) {
        *l = k.v[0];
        *r = k.v[1];
    }
    fe_kids_free(&k);
    return ok;
}

/* init: `int i = A` or `i = A`. */
static bool fe__loop_init(fe_state *st, CXCursor init, char *name, size_t size, int64_t *a)
{
    enum CXCursorKind k = clang_getCursorKind(init);
    if (k == CXCursor_DeclStmt) {
        fe_kids d;
        fe_kids_get(init, &d);
        CXCursor v = d.n == 1 ? d.v[0] : clang_getNullCursor();
        fe_kids_free(&d);
        if (clang_Cursor_isNull(v) || clang_getCursorKind(v) != CXCursor_VarDecl)
            return false;
        fe_kids e;
        fe_kids_get(v, &e);
        bool ok = e.n == 1 && fe_eval_int(e.v[0], a);
        fe_kids_free(&e);
        CXString sp = clang_getCursorSpelling(v);
        const char *n = clang_getCString(sp);
        ok = ok && n && *n && strlen(n) < size;
        if (ok)
            strcpy(name, n);
        clang_disposeString(sp);
        return ok;
    }
    CXCursor l, r;
    if (k != CXCursor_BinaryOperator || !fe__operands(init, &l, &r))
        return false;
    const char *op = fe_binop(st, l, r);
    return op && op[0] == '=' && op[1] != '=' && fe__var_name(l, name, size) && fe_eval_int(r, a);
}

/* cond: `i OP B` or `B OP i`; *op one of "<", "<=", ">", ">=", "!=" as if i
 * were on the left. */
static bool fe__loop_cond(fe_state *st, CXCursor cond, const char *name, char op[3], int64_t *b)
{
    CXCursor l, r;
    cond = fe_strip_parens(cond);
    if (clang_getCursorKind(cond) != CXCursor_BinaryOperator || !fe__operands(cond, &l, &r))
        return false;
    const char *o = fe_binop(st, l, r);
    if (!o)
        return false;
    char v[128];
    bool left = fe__var_name(l, v, sizeof v) && strcmp(v, name) == 0 && fe_eval_int(r, b);
    bool right = !left && fe__var_name(r, v, sizeof v) && strcmp(v, name) == 0 && fe_eval_int(l, b);
    if (!left && !right)
        return false;
    size_t n = (o[1] == '=' && o[0] != '=') ? 2 : 1;
    if (o[0] == '!' ? n != 2 : (o[0] != '<' && o[0] != '>') || o[1] == o[0])
        return false; /* not a comparison (`<<`, `==`, ...) */
    op[0] = o[0];
    op[1] = n == 2 ? '=' : '\0';
    op[2] = '\0';
    if (right && op[0] != '!')
        op[0] = op[0] == '<' ? '>' : '<'; /* B < i is i > B */
    return true;
}

/* step: `i++`, `++i`, `i--`, `--i`, `i += K`, `i -= K`. */
static bool fe__loop_step(fe_state *st, CXCursor step, const char *name, int64_t *k)
{
    char t[160], want[140];
    enum CXCursorKind kind = clang_getCursorKind(step);
    if (kind == CXCursor_UnaryOperator) {
        if (!fe__squeezed(st, step, t, sizeof t) || strlen(name) + 2 >= sizeof want)
            return false;
        for (int s = 0; s < 4; s++) {
            const char *inc = s & 1 ? "--" : "++";
            if (s < 2)
                snprintf(want, sizeof want, "%s%s", name, inc);
            else
                snprintf(want, sizeof want, "%s%s", inc, name);
            if (strcmp(t, want) == 0) {
                *k = s & 1 ? -1 : 1;
                return true;
            }
        }
        return false;
    }
    CXCursor l, r;
    char v[128];
    if (kind != CXCursor_CompoundAssignOperator || !fe__operands(step, &l, &r) ||
        !fe__var_name(l, v, sizeof v) || strcmp(v, name) != 0 || !fe_eval_int(r, k))
        return false;
    const char *o = fe_binop(st, l, r);
    if (!o || o[1] != '=' || (o[0] != '+' && o[0] != '-'))
        return false;
    if (o[0] == '-')
        *k = -*k;
    return true;
}

bool fe_loop_trips(fe_state *st, const CXCursor part[4], int64_t *trips)
{
    char name[128], op[3];
    int64_t a, b, k;
    for (int i = 0; i < 4; i++)
        if (clang_Cursor_isNull(part[i]))
            return false;
    if (!fe__loop_init(st, part[0], name, sizeof name, &a) || !fe__loop_cond(st, part[1], name, op, &b) ||
        !fe__loop_step(st, part[2], name, &k) || k == 0)
        return false;
    CXSourceRange r = fe_extent(part[3]);
    long from = fe_offset(st, clang_getRangeStart(r)), to = fe_offset(st, clang_getRangeEnd(r));
    if (from < 0 || to < from || loop_count_body_changes(st->buf, (size_t)from, (size_t)to, name, strlen(name)))
        return false;
    return loop_count_trips(a, op, b, k, trips);
}
