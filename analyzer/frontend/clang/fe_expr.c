/* fe_expr.c — the libclang front end's view of expressions: children,
 * positions, kinds from types, constant values, text as written, and the
 * model object an expression denotes. */
#include "fe_clang.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum CXChildVisitResult fe__collect(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    fe_kids *k = data;
    enum CXCursorKind kind = clang_getCursorKind(c);
    if (clang_isReference(kind) || clang_isAttribute(kind))
        return CXChildVisit_Continue;
    if (k->n == k->cap) {
        size_t cap = k->cap * 2;
        CXCursor *v = malloc(cap * sizeof *v);
        if (!v) {
            fputs("tether: error: out of memory\n", stderr);
            abort();
        }
        memcpy(v, k->v, k->n * sizeof *v);
        if (k->v != k->small)
            free(k->v);
        k->v = v;
        k->cap = cap;
    }
    k->v[k->n++] = c;
    return CXChildVisit_Continue;
}

/* The walk asks libclang for the children and the extent of the same node
 * again and again (strip, elvis, binop, ... helpers), and each
 * clang_visitChildren call has a large fixed cost. Both are pure functions
 * of the cursor within one translation unit, so they are memoized in
 * direct-mapped tables, one set per thread, valid between fe_memo_begin
 * and fe_memo_end (one translation unit: entries carry its generation, so
 * nothing is cleared or allocated per file). */
#define FE_MEMO_KIDS 128      /* powers of two; small, to stay in cache */
#define FE_MEMO_EXTENTS 128
#define FE_MEMO_MAXKIDS 4

typedef struct fe_memo_kids {
    CXCursor key;
    unsigned gen, n;
    CXCursor kids[FE_MEMO_MAXKIDS];
} fe_memo_kids;

typedef struct fe_memo_extent {
    CXCursor key;
    unsigned gen;
    CXSourceRange r;
} fe_memo_extent;

static _Thread_local struct {
    unsigned gen;  /* of the translation unit being walked; 0: none */
    unsigned last; /* the last generation handed out */
    fe_memo_kids kids[FE_MEMO_KIDS];
    fe_memo_extent extents[FE_MEMO_EXTENTS];
} fe__memo;

void fe_memo_begin(void)
{
    if (++fe__memo.last == 0) { /* wrapped: old entries could look valid */
        memset(&fe__memo, 0, sizeof fe__memo);
        fe__memo.last = 1;
    }
    fe__memo.gen = fe__memo.last;
}

void fe_memo_end(void)
{
    fe__memo.gen = 0;
}

static size_t fe__memo_hash(CXCursor c, size_t size)
{
    uint64_t h = (uint64_t)(uintptr_t)c.data[0] ^ ((uint64_t)(uintptr_t)c.data[1] << 7) ^
                 (uint64_t)c.kind;
    h *= 0x9E3779B97F4A7C15u; /* Fibonacci hashing: the high bits are well mixed */
    return (size_t)(h >> 32) & (size - 1);
}

static bool fe__same_cursor(CXCursor a, CXCursor b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

void fe_kids_get(CXCursor c, fe_kids *k)
{
    k->v = k->small;
    k->n = 0;
    k->cap = sizeof k->small / sizeof k->small[0];
    fe_memo_kids *m = fe__memo.gen ? &fe__memo.kids[fe__memo_hash(c, FE_MEMO_KIDS)] : NULL;
    if (m && m->gen == fe__memo.gen && fe__same_cursor(m->key, c)) {
        memcpy(k->v, m->kids, m->n * sizeof *k->v);
        k->n = m->n;
        return;
    }
    clang_visitChildren(c, fe__collect, k);
    if (m && k->n <= FE_MEMO_MAXKIDS) {
        m->key = c;
        m->gen = fe__memo.gen;
        m->n = (unsigned)k->n;
        memcpy(m->kids, k->v, k->n * sizeof *k->v);
    }
}

CXSourceRange fe_extent(CXCursor c)
{
    fe_memo_extent *m =
        fe__memo.gen ? &fe__memo.extents[fe__memo_hash(c, FE_MEMO_EXTENTS)] : NULL;
    if (m && m->gen == fe__memo.gen && fe__same_cursor(m->key, c))
        return m->r;
    CXSourceRange r = clang_getCursorExtent(c);
    if (m) {
        m->key = c;
        m->gen = fe__memo.gen;
        m->r = r;
    }
    return r;
}

void fe_kids_free(fe_kids *k)
{
    if (k->v != k->small)
        free(k->v);
    k->v = NULL;
}

model_loc fe_loc(CXSourceLocation l)
{
    unsigned line = 0, col = 0;
    clang_getFileLocation(l, NULL, &line, &col, NULL);
    return (model_loc){ line, col };
}

model_loc fe_cursor_loc(CXCursor c)
{
    return fe_loc(clang_getCursorLocation(c));
}

long fe_offset(const fe_state *st, CXSourceLocation l)
{
    CXFile f = NULL;
    unsigned off = 0;
    clang_getFileLocation(l, &f, NULL, NULL, &off);
    if (!f || !clang_File_isEqual(f, st->main_file) || off > st->buflen)
        return -1;
    return (long)off;
}

/* One child expression of a wrapper (the last one: a cast's first child may
 * be its type), or a null cursor. */
static CXCursor fe__inner(CXCursor e)
{
    fe_kids k;
    fe_kids_get(e, &k);
    CXCursor r = k.n ? k.v[k.n - 1] : clang_getNullCursor();
    fe_kids_free(&k);
    return r;
}

static bool fe__same_type(CXType a, CXType b)
{
    return clang_equalTypes(clang_getCanonicalType(a), clang_getCanonicalType(b)) != 0;
}

/* The children of an unexposed expression that is GNU `x ?: y`: x, two
 * opaque copies of x (same extent; shown as x itself when x is no lvalue),
 * y. */
static bool fe__elvis_kids(const fe_kids *k)
{
    enum CXCursorKind k0 = k->n == 4 ? clang_getCursorKind(k->v[0]) : CXCursor_UnexposedExpr;
    enum CXCursorKind k1 = k->n == 4 ? clang_getCursorKind(k->v[1]) : CXCursor_UnexposedExpr;
    enum CXCursorKind k2 = k->n == 4 ? clang_getCursorKind(k->v[2]) : CXCursor_UnexposedExpr;
    return k->n == 4 && (k1 == CXCursor_UnexposedExpr || k1 == k0) &&
           (k2 == CXCursor_UnexposedExpr || k2 == k0) &&
           clang_equalRanges(fe_extent(k->v[0]), fe_extent(k->v[1])) &&
           clang_equalRanges(fe_extent(k->v[0]), fe_extent(k->v[2]));
}

bool fe_elvis(CXCursor e, CXCursor *x, CXCursor *y)
{
    if (clang_getCursorKind(e) != CXCursor_UnexposedExpr)
        return false;
    fe_kids k;
    fe_kids_get(e, &k);
    bool yes = fe__elvis_kids(&k);
    if (yes) {
        if (x)
            *x = k.v[0];
        if (y)
            *y = k.v[3];
    }
    fe_kids_free(&k);
    return yes;
}

static CXCursor fe__strip(CXCursor e, bool unary)
{
    for (;;) {
        enum CXCursorKind k = clang_getCursorKind(e);
        if (k == CXCursor_UnexposedExpr || k == CXCursor_ParenExpr || k == CXCursor_CStyleCastExpr) {
            fe_kids kk;
            fe_kids_get(e, &kk);
            bool elvis = k == CXCursor_UnexposedExpr && fe__elvis_kids(&kk);
            CXCursor in = kk.n ? kk.v[kk.n - 1] : clang_getNullCursor(); /* as fe__inner */
            fe_kids_free(&kk);
            if (elvis)
                return e; /* `x ?: y` is no wrapper of y */
            if (clang_Cursor_isNull(in) || !clang_isExpression(clang_getCursorKind(in)))
                return e;
            e = in;
        } else if (unary && k == CXCursor_UnaryOperator) {
            /* libclang 14 has no operator kind: & and * are told by types. */
            CXCursor in = fe__inner(e);
            if (clang_Cursor_isNull(in))
                return e;
            CXType r = clang_getCanonicalType(clang_getCursorType(e));
            CXType t = clang_getCanonicalType(clang_getCursorType(in));
            bool addr = r.kind == CXType_Pointer && fe__same_type(clang_getPointeeType(r), t);
            bool deref = t.kind == CXType_Pointer && fe__same_type(clang_getPointeeType(t), r);
            if (!addr && !deref)
                return e;
            e = in;
        } else {
            return e;
        }
    }
}

CXCursor fe_strip(CXCursor e)
{
    return fe__strip(e, true);
}

CXCursor fe_strip_parens(CXCursor e)
{
    return fe__strip(e, false);
}

/* Pointers and structs may carry concurrency objects (a task's `void *arg`,
 * `&job`): they get objects even when their own kind is NONE. */
static bool fe__is_pointerish(CXType t)
{
    t = clang_getCanonicalType(t);
    return t.kind == CXType_Pointer || t.kind == CXType_Record;
}

model_kind fe_kind_of_type(CXType t)
{
    t = clang_getCanonicalType(t);
    for (int guard = 0; guard < 8; guard++) {
        if (t.kind == CXType_Pointer)
            t = clang_getCanonicalType(clang_getPointeeType(t));
        else if (t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray ||
                 t.kind == CXType_VariableArray)
            t = clang_getCanonicalType(clang_getArrayElementType(t));
        else
            break;
    }
    if (t.kind != CXType_Record)
        return MODEL_KIND_NONE;
    CXString s = clang_getCursorSpelling(clang_getTypeDeclaration(t));
    const char *n = clang_getCString(s);
    model_kind k = MODEL_KIND_NONE;
    if (n && n[0] == 't' && n[1] == 't' && n[2] == '_') {
        if (strcmp(n, "tt_chan") == 0)
            k = MODEL_KIND_CHAN;
        else if (strcmp(n, "tt_ctx") == 0)
            k = MODEL_KIND_CTX;
        else if (strcmp(n, "tt_ticker") == 0)
            k = MODEL_KIND_TICKER;
        else if (strcmp(n, "tt_wg") == 0)
            k = MODEL_KIND_WG;
        else if (strcmp(n, "tt_mutex") == 0)
            k = MODEL_KIND_MUTEX;
    }
    clang_disposeString(s);
    return k;
}

bool fe_eval_int(CXCursor e, int64_t *out)
{
    if (clang_Cursor_isNull(e))
        return false;
    CXEvalResult r = clang_Cursor_Evaluate(e);
    if (!r)
        return false;
    bool ok = clang_EvalResult_getKind(r) == CXEval_Int;
    if (ok)
        *out = (int64_t)clang_EvalResult_getAsLongLong(r);
    clang_EvalResult_dispose(r);
    return ok;
}

/* The text of an object expression starting at byte `p`: identifiers, `.`,
 * `->` and balanced (...) / [...], whitespace collapsed. */
static const char *fe__scan_text(fe_state *st, size_t p)
{
    char out[128];
    size_t n = 0;
    int depth = 0;
    const char *b = st->buf;
    for (size_t q = p; q < st->buflen && n < sizeof out - 1; q++) {
        char c = b[q];
        if (c == '(' || c == '[') {
            depth++;
        } else if (c == ')' || c == ']') {
            if (depth == 0)
                break;
            depth--;
        } else if (depth == 0) {
            bool ident = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                         c == '_' || c == '.';
            bool arrow = (c == '-' && q + 1 < st->buflen && b[q + 1] == '>') ||
                         (c == '>' && q > p && b[q - 1] == '-');
            if (!ident && !arrow)
                break;
        }
        if (c == '\n' || c == '\t' || c == '\r')
            c = ' ';
        if (c == ' ' && n > 0 && out[n - 1] == ' ')
            continue;
        out[n++] = c;
        if (depth == 0 && (c == ')' || c == ']') && q + 1 < st->buflen && b[q + 1] != '.' &&
            b[q + 1] != '-' && b[q + 1] != '[')
            break;
    }
    while (n > 0 && out[n - 1] == ' ')
        n--;
    out[n] = '\0';
    return n ? model_strdup(st->m, out) : NULL;
}

/* ---- Conditional values ---------------------------------------------------- *
 * `c ? a : b` and GNU `x ?: y` as values: their arms (nested conditionals
 * flattened, in source order). As an object (an event's, a RETURN's, a
 * call's argument) a conditional is its first arm that holds an object other
 * than NULL, and the arms are aliased together: whichever is taken, it is
 * the same place for the rules. (A store aliases the destination with each
 * arm instead, fe_walk.c.) The tree-sitter front end does the same
 * (ts_obj.c). */

static size_t fe__arms(CXCursor e, CXCursor *arms, size_t max, size_t n)
{
    CXCursor s = fe_strip(e), x, y;
    if (clang_getCursorKind(s) == CXCursor_ConditionalOperator) {
        fe_kids k;
        fe_kids_get(s, &k);
        if (k.n == 3) {
            n = fe__arms(k.v[1], arms, max, n);
            n = fe__arms(k.v[2], arms, max, n);
        }
        fe_kids_free(&k);
        return n;
    }
    if (fe_elvis(s, &x, &y)) {
        n = fe__arms(x, arms, max, n);
        return fe__arms(y, arms, max, n);
    }
    if (n < max)
        arms[n++] = e;
    return n;
}

size_t fe_cond_arms(CXCursor e, CXCursor *arms, size_t max)
{
    CXCursor s = fe_strip(e);
    if (clang_getCursorKind(s) != CXCursor_ConditionalOperator && !fe_elvis(s, NULL, NULL))
        return 0;
    return fe__arms(s, arms, max, 0);
}

/* The object of conditional e (stripped) and the arm it comes from. */
static model_obj_id fe__cond_obj(fe_state *st, CXCursor e, CXCursor *from)
{
    CXCursor arms[FE_MAX_ARMS];
    size_t n = fe_cond_arms(e, arms, FE_MAX_ARMS);
    model_obj_id pick = MODEL_NO_OBJ, null = MODEL_NO_OBJ;
    CXCursor pick_at = clang_getNullCursor(), null_at = clang_getNullCursor();
    for (size_t i = 0; i < n; i++) {
        model_obj_id o = fe_obj(st, arms[i]);
        if (o == MODEL_NO_OBJ)
            continue;
        if (st->m->objs[o].scope == MODEL_SCOPE_NULL) {
            if (null == MODEL_NO_OBJ) {
                null = o;
                null_at = arms[i];
            }
        } else if (pick == MODEL_NO_OBJ) {
            pick = o;
            pick_at = arms[i];
        } else {
            model_obj_alias(st->m, pick, o);
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

/* The operand whose object is the value of binary operator e: the left of
 * an assignment (`s->in = c = x` stores c), the right of a comma. */
static bool fe__value_operand(fe_state *st, CXCursor e, CXCursor *out)
{
    if (clang_getCursorKind(e) != CXCursor_BinaryOperator)
        return false;
    fe_kids k;
    fe_kids_get(e, &k);
    const char *op = k.n == 2 ? fe_binop(st, k.v[0], k.v[1]) : NULL;
    bool yes = false;
    if (op && *op == ',') {
        *out = k.v[1];
        yes = true;
    } else if (op && *op == '=' && op + 1 < st->buf + st->buflen && op[1] != '=') {
        *out = k.v[0];
        yes = true;
    }
    fe_kids_free(&k);
    return yes;
}

const char *fe_text(fe_state *st, CXCursor e)
{
    CXCursor s = fe_strip(e), in;
    if (fe__value_operand(st, s, &in))
        return fe_text(st, in);
    if (clang_getCursorKind(s) == CXCursor_ConditionalOperator || fe_elvis(s, NULL, NULL)) {
        CXCursor arm;
        if (fe__cond_obj(st, s, &arm) != MODEL_NO_OBJ)
            return fe_text(st, arm); /* the arm that names the object */
    }
    long off = fe_offset(st, clang_getRangeStart(fe_extent(s)));
    const char *t = off >= 0 ? fe__scan_text(st, (size_t)off) : NULL;
    if (t)
        return t;
    CXString sp = clang_getCursorSpelling(s);
    const char *c = clang_getCString(sp);
    t = model_strdup(st->m, c && *c ? c : "?");
    clang_disposeString(sp);
    return t;
}

char *fe_callee_name(CXCursor call, CXCursor *decl)
{
    CXCursor ref = clang_getCursorReferenced(call);
    if (clang_Cursor_isNull(ref) || clang_getCursorKind(ref) != CXCursor_FunctionDecl) {
        /* `(tt_send)(ch, &v)`: the callee is behind parentheses or casts. */
        fe_kids k;
        fe_kids_get(call, &k);
        CXCursor callee = k.n ? fe_strip(k.v[0]) : clang_getNullCursor();
        fe_kids_free(&k);
        if (!clang_Cursor_isNull(callee) && clang_getCursorKind(callee) == CXCursor_DeclRefExpr)
            ref = clang_getCursorReferenced(callee);
    }
    if (decl)
        *decl = ref;
    if (clang_Cursor_isNull(ref) || clang_getCursorKind(ref) != CXCursor_FunctionDecl)
        return NULL;
    CXString s = clang_getCursorSpelling(ref);
    const char *c = clang_getCString(s);
    char *name = c ? strdup(c) : NULL;
    clang_disposeString(s);
    return frontend_alias_apply_owned(name); /* a wrapper of .tether.yml's aliases: the API name */
}

void fe_api_name(char *name)
{
    size_t n = strlen(name);
    if (n > 6 && strncmp(name, "tt_", 3) == 0 && strcmp(name + n - 3, "_at") == 0)
        name[n - 3] = '\0';
}

static char *fe__record_name(CXCursor field);

/* The field of record `outer` whose type is the unnamed record `rec`. */
typedef struct fe_holder {
    CXCursor rec, found;
} fe_holder;

static enum CXVisitorResult fe__holder_visit(CXCursor c, CXClientData data)
{
    fe_holder *h = data;
    CXType t = clang_getCanonicalType(clang_getCursorType(c));
    if (t.kind == CXType_Record && clang_equalCursors(clang_getTypeDeclaration(t), h->rec)) {
        h->found = c;
        return CXVisit_Break;
    }
    return CXVisit_Continue;
}

/* An unnamed struct or union inside another one is named after the field
 * holding it ("job.u"); the fields of an anonymous member (C11
 * `union { ... };`) belong to the outer record. NULL if rec is not nested. */
static char *fe__nested_name(CXCursor rec)
{
    CXCursor outer = clang_getCursorSemanticParent(rec);
    enum CXCursorKind ok = clang_getCursorKind(outer);
    if (ok != CXCursor_StructDecl && ok != CXCursor_UnionDecl)
        return NULL;
    fe_holder h = { rec, clang_getNullCursor() };
    clang_Type_visitFields(clang_getCursorType(outer), fe__holder_visit, &h);
    if (clang_Cursor_isNull(h.found))
        return NULL;
    char *base = fe__record_name(h.found);
    CXString fs = clang_getCursorSpelling(h.found);
    const char *f = clang_getCString(fs);
    char *name = NULL;
    if (!f || !*f || clang_Cursor_isAnonymousRecordDecl(rec)) {
        name = base;
        base = NULL;
    } else {
        size_t n = strlen(base) + strlen(f) + 2;
        name = malloc(n);
        if (name)
            snprintf(name, n, "%s.%s", base, f);
    }
    clang_disposeString(fs);
    free(base);
    return name;
}

/* The struct tag or typedef name of the record that declares a field. */
static char *fe__record_name(CXCursor field)
{
    CXCursor rec = clang_getCursorSemanticParent(field);
    CXString s = clang_getCursorSpelling(rec);
    const char *c = clang_getCString(s);
    char *name = NULL;
    if (c && *c) {
        name = strdup(c);
    } else if ((name = fe__nested_name(rec)) != NULL) {
        /* named after its holder */
    } else {
        CXString ts = clang_getTypeSpelling(clang_getCursorType(rec));
        const char *t = clang_getCString(ts);
        t = t ? t : "?";
        if (strncmp(t, "struct ", 7) == 0)
            t += 7;
        else if (strncmp(t, "union ", 6) == 0)
            t += 6;
        name = strdup(t);
        clang_disposeString(ts);
    }
    clang_disposeString(s);
    return name;
}

bool fe_is_global_var(CXCursor decl)
{
    enum CX_StorageClass sc = clang_Cursor_getStorageClass(decl);
    enum CXCursorKind pk = clang_getCursorKind(clang_getCursorSemanticParent(decl));
    return clang_getCursorKind(decl) == CXCursor_VarDecl &&
           (sc == CX_SC_Static || sc == CX_SC_Extern || pk == CXCursor_TranslationUnit);
}

static model_obj_id fe__var_obj(fe_state *st, CXCursor ref)
{
    CXType t = clang_getCursorType(ref);
    model_kind kind = fe_kind_of_type(t);
    if (kind == MODEL_KIND_NONE && !fe__is_pointerish(t))
        return MODEL_NO_OBJ;
    CXString s = clang_getCursorSpelling(ref);
    const char *name = clang_getCString(s);
    model_obj_id id = MODEL_NO_OBJ;
    if (clang_getCursorKind(ref) == CXCursor_ParmDecl) {
        id = model_obj_lookup(st->m, st->func, name);
    } else {
        model_loc decl = fe_cursor_loc(ref);
        if (fe_is_global_var(ref)) {
            /* A global declared only outside the main file (stderr) is no
             * object unless it holds a tether object (then it has no
             * position here): tree-sitter cannot see it, no rule needs it. */
            if (!clang_Location_isFromMainFile(clang_getCursorLocation(ref))) {
                CXCursor def = clang_getCursorDefinition(ref);
                if (!clang_Cursor_isNull(def) &&
                    clang_Location_isFromMainFile(clang_getCursorLocation(def)))
                    decl = fe_cursor_loc(def);
                else if (kind == MODEL_KIND_NONE)
                    goto out;
                else
                    decl = (model_loc){ 0, 0 };
            }
            id = model_obj_global(st->m, name, kind, decl);
        } else
            id = model_obj_local(st->m, st->func, name, kind, decl);
    }
out:
    clang_disposeString(s);
    return id;
}

model_obj_id fe_decl_obj(fe_state *st, CXCursor decl)
{
    return fe__var_obj(st, decl);
}

model_obj_id fe_field_obj(fe_state *st, CXCursor field)
{
    if (clang_getCursorKind(field) != CXCursor_FieldDecl)
        return MODEL_NO_OBJ;
    CXType t = clang_getCursorType(field);
    model_kind kind = fe_kind_of_type(t);
    if (kind == MODEL_KIND_NONE && !fe__is_pointerish(t))
        return MODEL_NO_OBJ;
    char *tag = fe__record_name(field);
    CXString fs = clang_getCursorSpelling(field);
    model_obj_id id = model_obj_field(st->m, tag, clang_getCString(fs), kind);
    clang_disposeString(fs);
    free(tag);
    return id;
}

model_obj_id fe_obj(fe_state *st, CXCursor e)
{
    if (clang_Cursor_isNull(e))
        return MODEL_NO_OBJ;
    CXCursor s = fe_strip(e);
    switch (clang_getCursorKind(s)) {
    case CXCursor_DeclRefExpr: {
        CXCursor ref = clang_getCursorReferenced(s);
        enum CXCursorKind rk = clang_getCursorKind(ref);
        if (rk == CXCursor_VarDecl || rk == CXCursor_ParmDecl)
            return fe__var_obj(st, ref);
        return MODEL_NO_OBJ;
    }
    case CXCursor_MemberRefExpr:
        return fe_field_obj(st, clang_getCursorReferenced(s));
    case CXCursor_ArraySubscriptExpr: {
        fe_kids k;
        fe_kids_get(s, &k);
        model_obj_id id = k.n ? fe_obj(st, k.v[0]) : MODEL_NO_OBJ;
        fe_kids_free(&k);
        return id;
    }
    case CXCursor_CallExpr: {
        char *name = fe_callee_name(s, NULL);
        model_obj_id id = MODEL_NO_OBJ;
        if (name) {
            fe_api_name(name);
            int nargs = clang_Cursor_getNumArguments(s);
            if (strcmp(name, "tt_ctx_done") == 0 && nargs >= 1)
                id = model_obj_ctx_done(st->m, fe_obj(st, clang_Cursor_getArgument(s, 0)));
            else if (strcmp(name, "tt_ticker_chan") == 0 && nargs >= 1)
                id = model_obj_ticker_chan(st->m, fe_obj(st, clang_Cursor_getArgument(s, 0)));
            else if (strcmp(name, "tt_after") == 0)
                id = model_obj_after(st->m, fe_cursor_loc(s));
            else if (strcmp(name, "tt_ctx_background") == 0)
                id = model_obj_background(st->m);
            free(name);
        }
        return id;
    }
    case CXCursor_ConditionalOperator:
        return fe__cond_obj(st, s, NULL);
    case CXCursor_BinaryOperator: {
        CXCursor in;
        return fe__value_operand(st, s, &in) ? fe_obj(st, in) : MODEL_NO_OBJ;
    }
    case CXCursor_UnexposedExpr:
        return fe_elvis(s, NULL, NULL) ? fe__cond_obj(st, s, NULL) : MODEL_NO_OBJ;
    case CXCursor_IntegerLiteral: {
        int64_t v;
        if (fe__is_pointerish(clang_getCursorType(e)) && fe_eval_int(s, &v) && v == 0)
            return model_obj_null(st->m);
        return MODEL_NO_OBJ;
    }
    default:
        return MODEL_NO_OBJ;
    }
}
