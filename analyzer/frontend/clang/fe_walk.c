/* fe_walk.c — walks one function body in source order and drives the
 * model builder (model.h's mb_* calls): statements become structured
 * builder calls, tether API calls, other calls and assignments become
 * events, and each expression's value (model.h, "Values") is built on the
 * way, bottom-up, from fe_val.c's helpers: fe__expr returns it. */
#include "fe_clang.h"

#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>

static void fe__stmt(fe_state *st, CXCursor s);
static model_val *fe__expr(fe_state *st, CXCursor e, model_obj_id dest, const char *dest_text);
static model_val *fe__assign_ev(fe_state *st, model_loc loc, model_val *lhs, model_val *rhs);

static void *fe__xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("tether: error: out of memory\n", stderr);
        abort();
    }
    return q;
}

/* ---- Events ---------------------------------------------------------------- */

static model_event *fe__event(fe_state *st, model_ev_kind kind, model_loc loc)
{
    if (st->probe) {
        st->probe_hit = true;
        memset(&st->probe_ev, 0, sizeof st->probe_ev);
        return &st->probe_ev;
    }
    model_event *ev = mb_event(st->b, kind, loc);
    ev->flags |= st->cond_flags;
    return ev;
}

/* `num` from argument idx of call (API name `name`): its value if it is a
 * constant, and where it is written, constant or not. */
static void fe__num(fe_state *st, model_event *ev, CXCursor call, const char *name, int idx)
{
    int64_t v;
    if (fe_eval_int(clang_Cursor_getArgument(call, (unsigned)idx), &v)) {
        ev->num = v;
        ev->flags |= MODEL_EVF_NUM_KNOWN;
    }
    if (!st->probe)
        fe_arg_range(st, call, name, idx, &ev->num_begin, &ev->num_end);
}

static void fe__set_obj(fe_state *st, model_event *ev, CXCursor e)
{
    ev->obj = fe_obj(st, e);
    ev->text = fe_text(st, e);
}

static int fe__cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool fe__defined_here(const fe_state *st, const char *name)
{
    return st->ndefined &&
           bsearch(&name, st->defined, st->ndefined, sizeof *st->defined, fe__cmp_name) != NULL;
}

/* Whether text[0..n) contains word as a whole identifier. */
static bool fe__has_word(const char *text, size_t n, const char *word)
{
    size_t w = strlen(word);
    for (size_t i = 0; i + w <= n; i++) {
        if (memcmp(text + i, word, w) != 0)
            continue;
        bool left = i == 0 || !(isalnum((unsigned char)text[i - 1]) || text[i - 1] == '_');
        bool right = i + w == n || !(isalnum((unsigned char)text[i + w]) || text[i + w] == '_');
        if (left && right)
            return true;
    }
    return false;
}

/* Whether a call to decl (named name) never returns. */
static bool fe__noreturn(fe_state *st, const char *name, CXCursor decl)
{
    static const char *const known[] = { "exit", "abort", "_Exit", "quick_exit", "pthread_exit",
                                         "__builtin_unreachable", "__builtin_trap", "longjmp",
                                         "siglongjmp", "__assert_fail", "thrd_exit" };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(name, known[i]) == 0)
            return true;
    CXCursor canon = clang_getCanonicalCursor(decl);
    unsigned h = clang_hashCursor(canon);
    if (st->capmemo) {
        for (size_t j = h & (st->capmemo - 1); st->memo[j].used; j = (j + 1) & (st->capmemo - 1))
            if (st->memo[j].hash == h && clang_equalCursors(st->memo[j].decl, canon))
                return st->memo[j].noreturn;
    }
    /* __attribute__((noreturn)) is part of the function type; C11's
     * _Noreturn is an attribute on some declaration of the function. */
    CXString ts = clang_getTypeSpelling(clang_getCursorType(decl));
    bool nr = strstr(clang_getCString(ts), "noreturn") != NULL;
    clang_disposeString(ts);
    for (CXCursor d = canon; !nr && !clang_Cursor_isNull(d);) {
        /* Only the text before the name, read from the file's buffer (a
         * clang_tokenize call costs time in proportion to the file, which
         * made sqlite3.c take seconds), and only when it is plain text in
         * one file: with macros the extent's start can lie far away. */
        CXFile ff = NULL, tf = NULL;
        unsigned from = 0, to = 0;
        clang_getFileLocation(clang_getRangeStart(fe_extent(d)), &ff, NULL, NULL, &from);
        clang_getFileLocation(clang_getCursorLocation(d), &tf, NULL, NULL, &to);
        size_t size = 0;
        const char *buf = ff ? clang_getFileContents(st->tu, ff, &size) : NULL;
        if (buf && tf && clang_File_isEqual(ff, tf) && from <= to && to <= size && to - from <= 512)
            nr = fe__has_word(buf + from, to - from, "_Noreturn") ||
                 fe__has_word(buf + from, to - from, "noreturn");
        CXCursor def = clang_getCursorDefinition(d);
        d = (!clang_Cursor_isNull(def) && !clang_equalCursors(def, d)) ? def : clang_getNullCursor();
    }
    if ((st->nmemo + 1) * 2 > st->capmemo) {
        size_t cap = st->capmemo ? st->capmemo * 2 : 64;
        fe_noreturn_memo *old = st->memo;
        st->memo = calloc(cap, sizeof *st->memo);
        if (!st->memo) {
            fputs("tether: error: out of memory\n", stderr);
            abort();
        }
        for (size_t i = 0; i < st->capmemo; i++) {
            if (!old[i].used)
                continue;
            size_t j = old[i].hash & (cap - 1);
            while (st->memo[j].used)
                j = (j + 1) & (cap - 1);
            st->memo[j] = old[i];
        }
        free(old);
        st->capmemo = cap;
    }
    size_t j = h & (st->capmemo - 1);
    while (st->memo[j].used)
        j = (j + 1) & (st->capmemo - 1);
    st->memo[j] = (fe_noreturn_memo){ canon, h, true, nr };
    st->nmemo++;
    return nr;
}

/* ---- Select cases ------------------------------------------------------------ */

/* The channel and element of a case from its value v, the INIT of
 * `(tt_case){ op, ch, elem, ok }` (NULL: unknown). */
static void fe__case_vals(model_case *c, const model_val *v)
{
    if (v && v->kind == MODEL_VAL_INIT && v->nsub >= 3) {
        c->ch = v->sub[1];
        c->elem = v->sub[2];
    }
}

/* Reads one `(tt_case){ op, ch, elem, ok }` (what TT_RECV / TT_SEND expand
 * to) or a plain `{ op, ch, ... }`; v: its value, for the case's ch and
 * elem (NULL: set later). */
static bool fe__case(fe_state *st, CXCursor c, model_case *out, const model_val *v)
{
    CXCursor e = fe_strip_parens(c);
    model_loc loc = fe_cursor_loc(e);
    if (clang_getCursorKind(e) == CXCursor_CompoundLiteralExpr) {
        fe_kids k;
        fe_kids_get(e, &k);
        e = k.n ? k.v[k.n - 1] : clang_getNullCursor();
        fe_kids_free(&k);
    }
    if (clang_Cursor_isNull(e) || clang_getCursorKind(e) != CXCursor_InitListExpr)
        return false;
    fe_kids k;
    fe_kids_get(e, &k);
    int64_t op = 0;
    bool ok = k.n >= 2 && fe_eval_int(k.v[0], &op);
    if (ok) {
        out->op = (int)op;
        out->obj = fe_obj(st, k.v[1]);
        out->text = fe_text(st, k.v[1]);
        out->loc = loc;
        fe__case_vals(out, v);
    }
    fe_kids_free(&k);
    return ok;
}

static fe_case_array *fe__array(fe_state *st, CXCursor decl, bool create)
{
    for (size_t i = 0; i < st->narrays; i++)
        if (clang_equalCursors(st->arrays[i].decl, decl))
            return &st->arrays[i];
    if (!create)
        return NULL;
    if (st->narrays == st->caparrays) {
        st->caparrays = st->caparrays ? st->caparrays * 2 : 4;
        st->arrays = fe__xrealloc(st->arrays, st->caparrays * sizeof *st->arrays);
    }
    fe_case_array *a = &st->arrays[st->narrays++];
    a->decl = decl;
    a->cases = NULL;
    a->ncases = 0;
    return a;
}

/* Stores case `c` at index idx of array a (growing it in the arena). */
static void fe__array_put(fe_state *st, fe_case_array *a, size_t idx, const model_case *c)
{
    if (idx >= 4096)
        return;
    if (idx >= a->ncases) {
        model_case *nc = mb_alloc(st->b, (idx + 1) * sizeof *nc);
        if (a->ncases)
            memcpy(nc, a->cases, a->ncases * sizeof *nc);
        a->cases = nc;
        a->ncases = idx + 1;
    }
    a->cases[idx] = *c;
}

static bool fe__is_case_array(CXType t)
{
    t = clang_getCanonicalType(t);
    if (t.kind != CXType_ConstantArray && t.kind != CXType_IncompleteArray &&
        t.kind != CXType_VariableArray)
        return false;
    CXType el = clang_getArrayElementType(t);
    CXString s = clang_getTypeSpelling(el);
    bool yes = strstr(clang_getCString(s), "tt_case") != NULL;
    clang_disposeString(s);
    if (!yes) {
        CXString ts = clang_getTypeSpelling(clang_getCanonicalType(el));
        yes = strstr(clang_getCString(ts), "tt_case") != NULL;
        clang_disposeString(ts);
    }
    return yes;
}

/* The cases of array initializer init (its value initv: one element per
 * item, or NULL). */
static void fe__collect_init(fe_state *st, fe_case_array *a, CXCursor init, const model_val *initv)
{
    fe_kids k;
    fe_kids_get(init, &k);
    if (initv && (initv->kind != MODEL_VAL_INIT || initv->nsub != k.n))
        initv = NULL;
    int64_t idx = 0;
    for (size_t i = 0; i < k.n; i++, idx++) {
        CXCursor item = k.v[i];
        fe_desig d;
        int64_t at;
        if (fe_designated(item, &d) && d.nfields == 0) {
            /* `[K] = TT_RECV(...)`: case K; the next ones follow it */
            if (fe_eval_int(d.index, &at) && at >= 0)
                idx = at;
            item = d.value;
        }
        model_case c = { 0 };
        if (fe__case(st, item, &c, initv ? initv->sub[i] : NULL))
            fe__array_put(st, a, (size_t)idx, &c);
    }
    fe_kids_free(&k);
}

/* The cases of a select whose case argument is arg (its value argv). */
static void fe__select(fe_state *st, model_event *ev, CXCursor arg, const model_val *argv)
{
    CXCursor a = fe_strip(arg);
    enum CXCursorKind k = clang_getCursorKind(a);
    model_case *cases = NULL;
    size_t n = 0;
    if (k == CXCursor_DeclRefExpr) {
        fe_case_array *arr = fe__array(st, clang_getCursorReferenced(a), false);
        if (arr) {
            cases = arr->cases;
            n = arr->ncases;
        }
    } else if (k == CXCursor_CompoundLiteralExpr) {
        fe_kids kk;
        fe_kids_get(a, &kk);
        if (kk.n && clang_getCursorKind(kk.v[kk.n - 1]) == CXCursor_InitListExpr) {
            fe_case_array tmp = { clang_getNullCursor(), NULL, 0 };
            fe__collect_init(st, &tmp, kk.v[kk.n - 1], argv);
            cases = tmp.cases;
            n = tmp.ncases;
        }
        fe_kids_free(&kk);
    }
    size_t used = 0;
    for (size_t i = 0; i < n; i++)
        used += cases[i].op != 0;
    ev->cases = used ? mb_alloc(st->b, used * sizeof *ev->cases) : NULL;
    ev->ncases = 0;
    for (size_t i = 0; i < n; i++)
        if (cases[i].op != 0)
            ev->cases[ev->ncases++] = cases[i];
}

/* ---- Calls --------------------------------------------------------------- */

typedef enum fe_api {
    FE_API_NONE,  /* not the API */
    FE_API_QUIET, /* the API, no event of its own */
    FE_API_EVENT, /* obj = argument 0 */
    FE_API_NEW,   /* obj = the assigned place */
    FE_API_SPAWN,
    FE_API_SELECT,
    FE_API_SLEEP,
} fe_api;

typedef struct fe_api_entry {
    const char *name;
    fe_api api;
    model_ev_kind kind;
    int num_arg;  /* the argument giving `num`, or -1 */
    int obj2_arg; /* CTX_NEW: the parent, or -1 */
    int nparams;  /* the API function's parameters: its values (an `_at`
                     variant's call-site arguments are dropped) */
} fe_api_entry;

/* tt_verify_none is no entry: neither an event nor a value, it is a CALL
 * like any other function's (notes/values.md). */
static const fe_api_entry fe__apis[] = {
    { "tt_after", FE_API_QUIET, MODEL_EV_CALL, -1, -1, 1 },
    { "tt_chan_cap", FE_API_QUIET, MODEL_EV_CALL, -1, -1, 1 },
    { "tt_chan_free", FE_API_EVENT, MODEL_EV_CHAN_FREE, -1, -1, 1 },
    { "tt_chan_len", FE_API_QUIET, MODEL_EV_CALL, -1, -1, 1 },
    { "tt_chan_new", FE_API_NEW, MODEL_EV_CHAN_NEW, 1, -1, 2 },
    { "tt_close", FE_API_EVENT, MODEL_EV_CLOSE, -1, -1, 1 },
    { "tt_ctx_background", FE_API_QUIET, MODEL_EV_CALL, -1, -1, 0 },
    { "tt_ctx_cancel", FE_API_EVENT, MODEL_EV_CTX_CANCEL, -1, -1, 1 },
    { "tt_ctx_done", FE_API_QUIET, MODEL_EV_CALL, -1, -1, 1 },
    { "tt_ctx_err", FE_API_EVENT, MODEL_EV_CTX_ERR, -1, -1, 1 },
    { "tt_ctx_with_cancel", FE_API_NEW, MODEL_EV_CTX_NEW, -1, 0, 1 },
    { "tt_ctx_with_timeout", FE_API_NEW, MODEL_EV_CTX_NEW, 1, 0, 2 },
    { "tt_mutex_lock", FE_API_EVENT, MODEL_EV_LOCK, -1, -1, 1 },
    { "tt_mutex_unlock", FE_API_EVENT, MODEL_EV_UNLOCK, -1, -1, 1 },
    { "tt_recv", FE_API_EVENT, MODEL_EV_RECV, -1, -1, 2 },
    { "tt_select", FE_API_SELECT, MODEL_EV_SELECT, 1, -1, 2 },
    { "tt_select_default", FE_API_SELECT, MODEL_EV_SELECT, 1, -1, 2 },
    { "tt_send", FE_API_EVENT, MODEL_EV_SEND, -1, -1, 2 },
    { "tt_sleep_ms", FE_API_SLEEP, MODEL_EV_SLEEP, 0, -1, 1 },
    { "tt_spawn", FE_API_SPAWN, MODEL_EV_SPAWN, -1, -1, 2 },
    { "tt_ticker_chan", FE_API_QUIET, MODEL_EV_CALL, -1, -1, 1 },
    { "tt_ticker_new", FE_API_NEW, MODEL_EV_TICKER_NEW, 0, -1, 1 },
    { "tt_ticker_stop", FE_API_EVENT, MODEL_EV_TICKER_STOP, -1, -1, 1 },
    { "tt_wg_add", FE_API_EVENT, MODEL_EV_WG_ADD, 1, -1, 2 },
    { "tt_wg_done", FE_API_EVENT, MODEL_EV_WG_DONE, -1, -1, 1 },
    { "tt_wg_wait", FE_API_EVENT, MODEL_EV_WG_WAIT, -1, -1, 1 },
};

static int fe__cmp_api(const void *key, const void *elem)
{
    return strcmp(key, ((const fe_api_entry *)elem)->name);
}

static const fe_api_entry *fe__api_find(const char *name)
{
    if (strncmp(name, "tt_", 3) != 0)
        return NULL;
    return bsearch(name, fe__apis, sizeof fe__apis / sizeof fe__apis[0], sizeof fe__apis[0],
                   fe__cmp_api);
}

/* The name of a function expression (through casts, parens and &). */
static const char *fe__fn_name(fe_state *st, CXCursor e)
{
    CXCursor s = fe_strip(e);
    if (clang_getCursorKind(s) != CXCursor_DeclRefExpr)
        return fe_text(st, e);
    CXString sp = clang_getCursorSpelling(s);
    const char *name = model_strdup(st->m, clang_getCString(sp));
    clang_disposeString(sp);
    return name;
}

/* The first n values of av as an event's vals (unknown where missing). */
static void fe__set_vals(fe_state *st, model_event *ev, model_val *const *av, int nav, int n)
{
    if (st->probe || n <= 0)
        return;
    ev->vals = mv_array(st->m, (size_t)n);
    for (int i = 0; i < n; i++)
        ev->vals[i] = i < nav && av[i] ? av[i] : mv_unknown(st->m);
    ev->nvals = (size_t)n;
}

static model_val *fe__result(fe_state *st, const model_event *ev)
{
    return st->probe ? NULL : mv_result(st->m, ev->id);
}

/* A call that is not the API (name NULL: through a pointer, fn its value):
 * a CALL with the callee's value and the arguments' (av). A call to a
 * function of this file, or one passing an object, also names the callee
 * and the arguments' objects (as the rules have always read them); dest:
 * the place its result is stored into (a CALL to a function of this file
 * names it as its object). */
static model_val *fe__other_call(fe_state *st, CXCursor call, const char *name, model_val *fn,
                                 model_loc loc, model_obj_id dest, const char *dest_text,
                                 model_val *const *av, int nargs)
{
    bool here = name && fe__defined_here(st, name);
    model_obj_id small[8];
    model_obj_id *objs = (size_t)nargs <= 8 ? small : fe__xrealloc(NULL, (size_t)nargs * sizeof *objs);
    bool any = false;
    for (int i = 0; name && i < nargs; i++) {
        CXCursor a = clang_Cursor_getArgument(call, (unsigned)i);
        objs[i] = fe_obj(st, a);
        if (objs[i] != MODEL_NO_OBJ &&
            (model_obj_kind(st->m, objs[i]) != MODEL_KIND_NONE ||
             fe_kind_of_type(clang_getCursorType(fe_strip(a))) != MODEL_KIND_NONE))
            any = true;
    }
    model_event *ev = fe__event(st, MODEL_EV_CALL, loc); /* probing: a hit */
    if (st->probe) {
        if (objs != small)
            free(objs);
        return NULL;
    }
    if (here || any) {
        ev->callee = model_strdup(st->m, name);
        if (here && dest != MODEL_NO_OBJ) {
            ev->obj = dest;
            ev->text = dest_text;
        }
        ev->nargs = (size_t)nargs;
        if (nargs) {
            ev->args = mb_alloc(st->b, (size_t)nargs * sizeof *ev->args);
            ev->arg_texts = mb_alloc(st->b, (size_t)nargs * sizeof *ev->arg_texts);
            for (int i = 0; i < nargs; i++) {
                ev->args[i] = objs[i];
                ev->arg_texts[i] = fe_text(st, clang_Cursor_getArgument(call, (unsigned)i));
            }
        }
    }
    ev->fn = fn;
    fe__set_vals(st, ev, av, nargs, nargs);
    if (objs != small)
        free(objs);
    return mv_result(st->m, ev->id);
}

/* A creation passed directly as a task's argument (`tt_spawn(f,
 * tt_chan_new(4, 0))`, through casts and parens) is made on the local object
 * "(spawn arg@L:C)", L:C the tt_spawn's loc, which the SPAWN then carries
 * (model.h): as fe__return_obj's "(return)". Else MODEL_NO_OBJ. (The same
 * choice as the tree-sitter front end's spawn_arg_obj, ts_expr.c.) */
static model_obj_id fe__spawn_arg_obj(fe_state *st, CXCursor arg, model_loc spawn, const char **text)
{
    CXCursor s = fe_strip_parens(arg);
    if (clang_getCursorKind(s) != CXCursor_CallExpr)
        return MODEL_NO_OBJ;
    char *name = fe_callee_name(s, NULL);
    if (!name)
        return MODEL_NO_OBJ;
    fe_api_name(name);
    const fe_api_entry *api = fe__api_find(name);
    free(name);
    if (!api || api->api != FE_API_NEW)
        return MODEL_NO_OBJ;
    model_kind kind = api->kind == MODEL_EV_CHAN_NEW     ? MODEL_KIND_CHAN
                      : api->kind == MODEL_EV_TICKER_NEW ? MODEL_KIND_TICKER
                                                         : MODEL_KIND_CTX;
    char obj[64];
    snprintf(obj, sizeof obj, "(spawn arg@%u:%u)", (unsigned)spawn.line, (unsigned)spawn.col);
    *text = model_strdup(st->m, obj);
    return model_obj_local(st->m, st->func, obj, kind, fe_cursor_loc(s));
}

static bool fe__is_spawn(CXCursor call)
{
    char *name = fe_callee_name(call, NULL);
    if (!name)
        return false;
    fe_api_name(name);
    bool spawn = strcmp(name, "tt_spawn") == 0;
    free(name);
    return spawn;
}

/* An atomic operation (FE_AT_*) over the values of its arguments as
 * written (vals[0] the pointer): its ASSIGN and its value (the lead's note
 * in notes/values.md; the same as tree-sitter's atomic_call). */
static model_val *fe__atomic_apply(fe_state *st, model_loc loc, int kind, model_op op, int k,
                                   model_val *const *vals, size_t n)
{
    if (kind == FE_AT_FENCE || kind == FE_AT_LOAD) {
        if (st->probe)
            return NULL;
        return kind == FE_AT_LOAD ? mv_deref(st->m, n ? vals[0] : NULL) : mv_unknown(st->m);
    }
    if (st->probe) {
        st->probe_hit = true;
        return NULL;
    }
    model_val *p = n > 0 ? vals[0] : NULL, *v = n > 1 ? vals[1] : NULL;
    model_val *at = mv_deref(st->m, p);
    switch (kind) {
    case FE_AT_LOAD_GEN:
        fe__assign_ev(st, loc, mv_deref(st->m, v), at);
        return mv_unknown(st->m);
    case FE_AT_STORE:
        fe__assign_ev(st, loc, at, v);
        return mv_unknown(st->m);
    case FE_AT_STORE_GEN:
        fe__assign_ev(st, loc, at, mv_deref(st->m, v));
        return mv_unknown(st->m);
    case FE_AT_STORE_K:
        fe__assign_ev(st, loc, at, mv_int(st->m, k));
        return mv_unknown(st->m);
    case FE_AT_EXCHANGE:
        fe__assign_ev(st, loc, at, k ? mv_int(st->m, k) : v);
        return mv_unknown(st->m);
    case FE_AT_CAS:
        fe__assign_ev(st, loc, at, mv_unknown(st->m));
        return mv_unknown(st->m);
    case FE_AT_FETCH:
    case FE_AT_OP_FETCH: {
        model_val *r = fe__assign_ev(st, loc, at, op == MODEL_OP_NONE ? mv_unknown(st->m)
                                                                     : mv_binop(st->m, op, at, v));
        if (kind == FE_AT_OP_FETCH && op != MODEL_OP_NONE)
            return r;
        if (op == MODEL_OP_ADD || op == MODEL_OP_SUB)
            return mv_binop(st->m, op == MODEL_OP_ADD ? MODEL_OP_SUB : MODEL_OP_ADD, r, v);
        return mv_unknown(st->m);
    }
    default:
        return mv_unknown(st->m);
    }
}

#define FE_MAX_ATOMIC_ARGS 8

/* The arguments as written of an atomic builtin whose parentheses are at
 * [open, close): the outermost sub-expressions of e written there, in
 * source order (a macro's own parts, such as the memory order
 * stdatomic.h adds or its `&(obj)->_Value`, are not). */
static void fe__atomic_args(fe_state *st, CXCursor e, long open, long close, CXCursor *out, long *at,
                            size_t *n)
{
    fe_kids k;
    fe_kids_get(e, &k);
    for (size_t i = 0; i < k.n; i++) {
        if (!clang_isExpression(clang_getCursorKind(k.v[i])))
            continue;
        CXSourceRange r = fe_extent(k.v[i]);
        long b = fe_offset(st, clang_getRangeStart(r)), en = fe_offset(st, clang_getRangeEnd(r));
        if (b > open && en >= 0 && en <= close) {
            size_t j = *n;
            if (j == FE_MAX_ATOMIC_ARGS)
                continue;
            for (; j > 0 && at[j - 1] > b; j--) { /* insertion in source order */
                out[j] = out[j - 1];
                at[j] = at[j - 1];
            }
            out[j] = k.v[i];
            at[j] = b;
            (*n)++;
        } else {
            fe__atomic_args(st, k.v[i], open, close, out, at, n);
        }
    }
    fe_kids_free(&k);
}

/* An atomic builtin clang shows as an unexposed expression (AtomicExpr):
 * its arguments' events and values, then its own ASSIGN; its value. */
static model_val *fe__atomic_expr(fe_state *st, CXCursor e, int kind, model_op op, int k, long open,
                                  long close)
{
    CXCursor args[FE_MAX_ATOMIC_ARGS];
    long at[FE_MAX_ATOMIC_ARGS];
    size_t n = 0;
    fe__atomic_args(st, e, open, close, args, at, &n);
    model_val *vals[FE_MAX_ATOMIC_ARGS];
    for (size_t i = 0; i < n; i++)
        vals[i] = fe__expr(st, args[i], MODEL_NO_OBJ, NULL);
    return fe__atomic_apply(st, fe_cursor_loc(e), kind, op, k, vals, n);
}

/* A call: its events (the arguments', then its own) and its value: the
 * RESULT of its event, or the API value of a side-effect-free tether call. */
static model_val *fe__call(fe_state *st, CXCursor call, model_obj_id dest, const char *dest_text)
{
    int nargs = clang_Cursor_getNumArguments(call);
    if (nargs < 0)
        nargs = 0;
    /* tt_spawn(f, tt_chan_new(1, 0)): the creation's object, made before
     * the arguments are walked (their events come first) */
    model_obj_id spawn_arg = MODEL_NO_OBJ;
    const char *spawn_text = NULL;
    if (nargs > 1 && !st->probe && fe__is_spawn(call))
        spawn_arg = fe__spawn_arg_obj(st, clang_Cursor_getArgument(call, 1), fe_cursor_loc(call),
                                      &spawn_text);
    model_val *small[8];
    model_val **av = (size_t)nargs <= 8 ? small : fe__xrealloc(NULL, (size_t)nargs * sizeof *av);
    for (int i = 0; i < nargs; i++)
        av[i] = fe__expr(st, clang_Cursor_getArgument(call, (unsigned)i), i == 1 ? spawn_arg : MODEL_NO_OBJ,
                         i == 1 ? spawn_text : NULL);
    model_val *result = NULL;
    CXCursor decl;
    char *name = fe_callee_name(call, &decl);
    model_loc loc = fe_cursor_loc(call);
    if (!name) {
        /* A call through a pointer: the callee's value (and events) */
        fe_kids k;
        fe_kids_get(call, &k);
        model_val *fn = k.n ? fe__expr(st, k.v[0], MODEL_NO_OBJ, NULL) : NULL;
        fe_kids_free(&k);
        if (!st->probe && !fn)
            fn = mv_unknown(st->m);
        result = fe__other_call(st, call, NULL, fn, loc, MODEL_NO_OBJ, NULL, av, nargs);
        goto out;
    }
    model_val *fn = st->probe ? NULL : mv_func(st->m, name);
    if (name[0] == '_' || name[0] == 'a') {
        /* __sync_*, __atomic_test_and_set, ... (builtins: clang declares
         * them where they are first used) and atomic_* functions of headers:
         * memory operations */
        model_op aop;
        int ak;
        int kind = fe_atomic_of(name, strlen(name), &aop, &ak);
        if (kind != FE_AT_NONE &&
            (name[0] == '_' || !clang_Location_isFromMainFile(clang_getCursorLocation(decl)))) {
            result = fe__atomic_apply(st, loc, kind, aop, ak, av, (size_t)nargs);
            free(name);
            goto out;
        }
    }
    fe_api_name(name);
    const fe_api_entry *api = fe__api_find(name);
    CXCursor a0 = nargs > 0 ? clang_Cursor_getArgument(call, 0) : clang_getNullCursor();
    CXCursor a1 = nargs > 1 ? clang_Cursor_getArgument(call, 1) : clang_getNullCursor();
    if (api) {
        model_event *ev = NULL;
        int nv = api->nparams;
        switch (api->api) {
        case FE_API_NONE:
        case FE_API_QUIET:
            if (!st->probe) {
                result = mv_api(st->m, name, (size_t)nv);
                for (int i = 0; i < nv && i < nargs; i++)
                    result->sub[i] = av[i] ? av[i] : mv_unknown(st->m);
            }
            break;
        case FE_API_EVENT:
            ev = fe__event(st, api->kind, loc);
            if (nargs > 0)
                fe__set_obj(st, ev, a0);
            break;
        case FE_API_SLEEP:
            ev = fe__event(st, api->kind, loc);
            break;
        case FE_API_NEW:
            ev = fe__event(st, api->kind, loc);
            ev->obj = dest;
            ev->text = dest_text;
            if (api->obj2_arg >= 0 && nargs > api->obj2_arg)
                ev->obj2 = fe_obj(st, clang_Cursor_getArgument(call, (unsigned)api->obj2_arg));
            if (strcmp(name, "tt_ctx_with_timeout") == 0)
                ev->flags |= MODEL_EVF_TIMEOUT;
            break;
        case FE_API_SPAWN:
            ev = fe__event(st, api->kind, loc);
            if (nargs > 0)
                ev->callee = fe__fn_name(st, a0);
            ev->nargs = 1;
            ev->args = mb_alloc(st->b, sizeof *ev->args);
            ev->arg_texts = mb_alloc(st->b, sizeof *ev->arg_texts);
            ev->args[0] = spawn_arg != MODEL_NO_OBJ ? spawn_arg : nargs > 1 ? fe_obj(st, a1) : MODEL_NO_OBJ;
            ev->arg_texts[0] = nargs > 1 ? fe_text(st, a1) : NULL;
            if (!st->probe)
                ev->fn = nargs > 0 && av[0] ? av[0] : mv_unknown(st->m);
            break;
        case FE_API_SELECT:
            ev = fe__event(st, api->kind, loc);
            ev->has_default = strcmp(name, "tt_select_default") == 0;
            if (nargs > 0)
                fe__select(st, ev, a0, av[0]);
            break;
        }
        if (ev && api->num_arg >= 0 && nargs > api->num_arg)
            fe__num(st, ev, call, name, api->num_arg);
        if (ev) {
            fe__set_vals(st, ev, av, nargs, nv);
            result = fe__result(st, ev);
        }
    } else if (fe__noreturn(st, name, decl)) {
        if (st->probe) {
            st->probe_hit = true;
        } else {
            model_event *ev = mb_noreturn(st->b, loc, model_strdup(st->m, name));
            fe__set_vals(st, ev, av, nargs, nargs);
            result = mv_result(st->m, ev->id);
        }
    } else {
        result = fe__other_call(st, call, name, fn, loc, dest, dest_text, av, nargs);
    }
    free(name);
out:
    if (av != small)
        free(av);
    return result;
}

/* Whether a call creates the object it is assigned to (obj = the place). */
static bool fe__is_creation(CXCursor e)
{
    e = fe_strip_parens(e);
    if (clang_getCursorKind(e) != CXCursor_CallExpr)
        return false;
    char *name = fe_callee_name(e, NULL);
    if (!name)
        return false;
    fe_api_name(name);
    const fe_api_entry *api = fe__api_find(name);
    free(name);
    return api && api->api == FE_API_NEW;
}

/* A creation or a call to a function of this file returned directly
 * (`return tt_ticker_new(9);`, `return make_ticker();`) is made on the
 * local object "(return)" of the function, which the RETURN then carries
 * (model.h). Its text is "(return)" too, not the call's text: the event of
 * the call already says which call it is, and the place it is stored into
 * is the function's result. (The same choice as the tree-sitter front end's,
 * ts_stmt.c.) A same-file call only when the function's result can hold an
 * object (a pointer or a struct), as for variables. */
static model_obj_id fe__return_obj(fe_state *st, CXCursor e)
{
    CXCursor s = fe_strip_parens(e);
    CXCursor arms[FE_MAX_ARMS];
    size_t n = fe_cond_arms(s, arms, FE_MAX_ARMS);
    for (size_t i = 0; i < n; i++) {
        /* `return x ? tt_chan_new(0, 1) : NULL;`: made in its arm */
        model_obj_id made = fe__return_obj(st, arms[i]);
        if (made != MODEL_NO_OBJ)
            return made;
    }
    if (clang_getCursorKind(s) != CXCursor_CallExpr)
        return MODEL_NO_OBJ;
    CXCursor decl;
    char *name = fe_callee_name(s, &decl);
    if (!name)
        return MODEL_NO_OBJ;
    fe_api_name(name);
    const fe_api_entry *api = fe__api_find(name);
    model_kind kind = MODEL_KIND_NONE;
    bool made = false;
    if (api) {
        made = api->api == FE_API_NEW;
        kind = api->kind == MODEL_EV_CHAN_NEW     ? MODEL_KIND_CHAN
               : api->kind == MODEL_EV_TICKER_NEW ? MODEL_KIND_TICKER
                                                  : MODEL_KIND_CTX;
    } else if (st->ret_object && fe__defined_here(st, name) && !fe__noreturn(st, name, decl)) {
        made = true;
        kind = st->ret_kind;
    }
    free(name);
    return made ? model_obj_local(st->m, st->func, "(return)", kind, fe_cursor_loc(s)) : MODEL_NO_OBJ;
}

/* ---- Assignments ----------------------------------------------------------- */

static bool fe__is_pointer(CXType t)
{
    return clang_getCanonicalType(t).kind == CXType_Pointer;
}

/* Where a store to place `l` makes the stored object outlive the call. */
static model_escape fe__escape_of(CXCursor l)
{
    CXCursor s = fe_strip_parens(l);
    switch (clang_getCursorKind(s)) {
    case CXCursor_MemberRefExpr:
        return MODEL_ESCAPE_FIELD;
    case CXCursor_DeclRefExpr:
        return fe_is_global_var(clang_getCursorReferenced(s)) ? MODEL_ESCAPE_GLOBAL : MODEL_ESCAPE_NONE;
    case CXCursor_UnaryOperator:
        return MODEL_ESCAPE_DEREF;
    case CXCursor_ArraySubscriptExpr: {
        fe_kids k;
        fe_kids_get(s, &k);
        model_escape esc = MODEL_ESCAPE_NONE;
        if (k.n) {
            CXCursor base = fe_strip_parens(k.v[0]);
            if (fe__is_pointer(clang_getCursorType(base)))
                esc = MODEL_ESCAPE_DEREF;
            else
                esc = fe__escape_of(base);
        }
        fe_kids_free(&k);
        return esc;
    }
    default:
        return MODEL_ESCAPE_NONE;
    }
}

/* A store of r into dest, which makes r's object outlive the call as `esc`
 * says. */
static void fe__store_one(fe_state *st, model_escape esc, model_obj_id dest, CXCursor r, model_loc loc)
{
    if (fe__is_creation(r))
        return;
    model_obj_id v = fe_obj(st, r);
    if (v == MODEL_NO_OBJ)
        return;
    /* A NULL store is not an alias: it would merge every place ever set to NULL. */
    if (st->m->objs[v].scope == MODEL_SCOPE_NULL)
        return;
    /* `*out = c` stores into the pointee, not into `out`: no merge. */
    if (dest != MODEL_NO_OBJ && esc != MODEL_ESCAPE_DEREF)
        model_obj_alias(st->m, dest, v);
    if (esc == MODEL_ESCAPE_NONE)
        return;
    if (model_obj_kind(st->m, v) == MODEL_KIND_NONE &&
        fe_kind_of_type(clang_getCursorType(fe_strip(r))) == MODEL_KIND_NONE)
        return;
    model_event *ev = fe__event(st, MODEL_EV_ESCAPE, loc);
    ev->obj = v;
    ev->text = fe_text(st, r);
    ev->escape_to = esc;
}

/* The ASSIGN lhs = rhs at loc (in a condition: flagged as its events are),
 * and its value: RESULT of it. */
static model_val *fe__assign_ev(fe_state *st, model_loc loc, model_val *lhs, model_val *rhs)
{
    if (st->probe) {
        st->probe_hit = true;
        return NULL;
    }
    model_event *ev = mb_assign(st->b, loc, lhs, rhs);
    ev->flags |= st->cond_flags;
    return mv_result(st->m, ev->id);
}

/* Stores r into dest: r's events and value, then the aliases and ESCAPEs
 * of the store. */
static model_val *fe__store_esc(fe_state *st, model_escape esc, model_obj_id dest, const char *dest_text,
                                CXCursor r, model_loc loc)
{
    model_val *v = fe__expr(st, r, dest, dest_text);
    CXCursor arms[FE_MAX_ARMS];
    size_t n = fe_cond_arms(r, arms, FE_MAX_ARMS);
    if (n == 0) {
        fe__store_one(st, esc, dest, r, loc);
        return v;
    }
    /* `p = c ? a : b`: a store of each arm (creations made on dest by the
     * walk above, NULL arms skipped), each arm object's ESCAPE once. The
     * tree-sitter front end does the same (ts_expr.c). */
    model_obj_id seen[FE_MAX_ARMS];
    size_t nseen = 0;
    for (size_t i = 0; i < n; i++) {
        model_obj_id o = fe__is_creation(arms[i]) ? MODEL_NO_OBJ : fe_obj(st, arms[i]);
        bool dup = o == MODEL_NO_OBJ;
        for (size_t j = 0; j < nseen && !dup; j++)
            dup = seen[j] == o;
        if (dup)
            continue;
        seen[nseen++] = o;
        fe__store_one(st, esc, dest, arms[i], loc);
    }
    return v;
}

/* `place = value` (assignment or initialization; l is null for a
 * declaration whose object is dest): the value stored. */
static model_val *fe__store(fe_state *st, CXCursor l, model_obj_id dest, const char *dest_text,
                            CXCursor r, model_loc loc)
{
    return fe__store_esc(st, clang_Cursor_isNull(l) ? MODEL_ESCAPE_NONE : fe__escape_of(l), dest,
                         dest_text, r, loc);
}

/* ---- Initializer lists -------------------------------------------------------- *
 * `struct job j = { .ch = c, .wg = &wg }`, `{ c, &wg }` and `(struct job){ ... }`
 * store into the fields as `j.ch = c;` does: the field object is aliased
 * with the value's and an ESCAPE (to a field) is recorded. The place is
 * written "j.ch" (a compound literal's: ".ch"; an array element's:
 * "js[1].ch"). tether's own records (tt_case: TT_RECV / TT_SEND) are not
 * stored into: every select would merge its channels. The list's value is
 * an INIT of its elements' values with their designators (fe_val.c). */

static bool fe__is_tether_record(CXType t)
{
    CXString s = clang_getCursorSpelling(clang_getTypeDeclaration(t));
    const char *n = clang_getCString(s);
    bool yes = n && strncmp(n, "tt_", 3) == 0;
    clang_disposeString(s);
    if (!yes) {
        CXString ts = clang_getTypeSpelling(t);
        n = clang_getCString(ts);
        yes = n && (strncmp(n, "tt_", 3) == 0 || strncmp(n, "struct tt_", 10) == 0);
        clang_disposeString(ts);
    }
    return yes;
}

static const char *fe__place(fe_state *st, const char *prefix, const char *field, long idx)
{
    char buf[256];
    if (field)
        snprintf(buf, sizeof buf, "%s.%s", prefix, field);
    else
        snprintf(buf, sizeof buf, "%s[%ld]", prefix, idx);
    return model_strdup(st->m, buf);
}

static model_val *fe__init(fe_state *st, CXCursor list, const char *prefix);

/* One element of an initializer list stored into field `field` (its place
 * written `text`), at loc: its value. */
static model_val *fe__init_field(fe_state *st, CXCursor field, const char *text, CXCursor value,
                                 model_loc loc)
{
    if (clang_getCursorKind(fe_strip_parens(value)) == CXCursor_InitListExpr)
        return fe__init(st, fe_strip_parens(value), text);
    return fe__store_esc(st, MODEL_ESCAPE_FIELD, fe_field_obj(st, field), text, value, loc);
}

/* The items k of a record's list: stores into its fields; vals[i] the
 * value of item i. */
static void fe__init_record(fe_state *st, CXType t, const fe_kids *k, const char *prefix,
                            model_val **vals)
{
    fe_fields f;
    fe_fields_get(t, &f);
    size_t next = 0;
    for (size_t i = 0; i < k->n; i++) {
        CXCursor item = k->v[i];
        model_loc loc = fe_loc(clang_getRangeStart(fe_extent(item)));
        fe_desig d;
        if (fe_designated(item, &d)) {
            if (d.nfields == 0 || d.nfields > sizeof d.fields / sizeof d.fields[0]) {
                vals[i] = fe__expr(st, d.value, MODEL_NO_OBJ, NULL);
                continue;
            }
            for (size_t j = 0; j < f.n; j++)
                if (clang_equalCursors(f.v[j], d.fields[0]))
                    next = j + 1;
            if (loc.line == 0) {
                /* a field of an anonymous member: clang's designator has
                 * no position; the `.` before the field's name has */
                long off = fe_offset(st, d.first);
                while (off > 0 && st->buf[off - 1] != '.' && st->buf[off - 1] != '{' &&
                       st->buf[off - 1] != ',')
                    off--;
                if (off > 0 && st->buf[off - 1] == '.')
                    off--;
                if (off >= 0)
                    loc = fe_loc(clang_getLocationForOffset(st->tu, st->main_file, (unsigned)off));
            }
            const char *text = prefix;
            for (size_t j = 0; j < d.nfields; j++) {
                CXString sp = clang_getCursorSpelling(d.fields[j]);
                text = fe__place(st, text, clang_getCString(sp), 0);
                clang_disposeString(sp);
            }
            vals[i] = fe__init_field(st, d.fields[d.nfields - 1], text, d.value, loc);
        } else if (next < f.n) {
            CXString sp = clang_getCursorSpelling(f.v[next]);
            const char *text = fe__place(st, prefix, clang_getCString(sp), 0);
            clang_disposeString(sp);
            vals[i] = fe__init_field(st, f.v[next++], text, item, loc);
        } else {
            vals[i] = fe__expr(st, item, MODEL_NO_OBJ, NULL);
        }
    }
    fe_fields_free(&f);
}

static model_val *fe__init(fe_state *st, CXCursor list, const char *prefix)
{
    CXType t = clang_getCanonicalType(clang_getCursorType(list));
    fe_kids k;
    fe_kids_get(list, &k);
    model_val *small[16];
    model_val **vals = k.n <= 16 ? small : fe__xrealloc(NULL, k.n * sizeof *vals);
    for (size_t i = 0; i < k.n; i++)
        vals[i] = NULL;
    bool empty = fe_init_empty(st, list, &k);
    if (empty) {
        /* `{0}`: all zero, no stores (a 0 stored into a pointer field would
         * make a NULL object for nothing; tree-sitter's ts_init_list agrees) */
        for (size_t i = 0; i < k.n; i++)
            fe__expr(st, k.v[i], MODEL_NO_OBJ, NULL);
    } else if (t.kind == CXType_Record && !fe__is_tether_record(t)) {
        fe__init_record(st, t, &k, prefix, vals);
    } else if (t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray) {
        long idx = 0;
        for (size_t i = 0; i < k.n; i++, idx++) {
            CXCursor value = k.v[i];
            fe_desig d;
            int64_t at;
            if (fe_designated(value, &d) && d.nfields == 0) {
                if (fe_eval_int(d.index, &at))
                    idx = (long)at;
                fe__expr(st, d.index, MODEL_NO_OBJ, NULL);
                value = d.value;
            }
            CXCursor in = fe_strip_parens(value);
            if (clang_getCursorKind(in) == CXCursor_InitListExpr)
                vals[i] = fe__init(st, in, fe__place(st, prefix, NULL, idx));
            else
                vals[i] = fe__expr(st, value, MODEL_NO_OBJ, NULL);
        }
    } else {
        for (size_t i = 0; i < k.n; i++)
            vals[i] = fe__expr(st, k.v[i], MODEL_NO_OBJ, NULL);
    }
    model_val *init = NULL;
    if (!st->probe) {
        if (empty) {
            init = mv_init(st->m, 0);
        } else {
            const char **names = fe__xrealloc(NULL, k.n * sizeof *names);
            CXCursor *items = fe__xrealloc(NULL, k.n * sizeof *items);
            fe_init_desig(st, t, &k, names, items);
            init = mv_init(st->m, k.n);
            for (size_t i = 0; i < k.n; i++)
                mv_init_set(st->m, init, i, names[i], vals[i]);
            free(names);
            free(items);
        }
    }
    if (vals != small)
        free(vals);
    fe_kids_free(&k);
    return init;
}

/* `l = r`: l's events, r's, the store's ESCAPEs, the ASSIGN; its value. */
static model_val *fe__assign(fe_state *st, CXCursor e, CXCursor l, CXCursor r)
{
    model_val *lv = fe__expr(st, l, MODEL_NO_OBJ, NULL);
    CXCursor ls = fe_strip_parens(l);
    CXCursor case_decl = clang_getNullCursor();
    int64_t case_idx = -1;
    if (clang_getCursorKind(ls) == CXCursor_ArraySubscriptExpr) {
        /* cs[i] = TT_RECV(...): remember the case for a later tt_select. */
        fe_kids k;
        fe_kids_get(ls, &k);
        int64_t idx;
        model_case c = { 0 };
        if (k.n == 2 && clang_getCursorKind(fe_strip(k.v[0])) == CXCursor_DeclRefExpr &&
            fe_eval_int(k.v[1], &idx) && idx >= 0 && fe__case(st, r, &c, NULL)) {
            CXCursor decl = clang_getCursorReferenced(fe_strip(k.v[0]));
            fe__array_put(st, fe__array(st, decl, true), (size_t)idx, &c);
            case_decl = decl;
            case_idx = idx;
        }
        fe_kids_free(&k);
    }
    model_obj_id dest = fe_obj(st, l);
    model_val *rv = fe__store(st, l, dest, dest != MODEL_NO_OBJ ? fe_text(st, l) : NULL, r, fe_cursor_loc(e));
    if (case_idx >= 0 && !st->probe) {
        /* the case's channel and element, from the value stored */
        fe_case_array *a = fe__array(st, case_decl, false);
        if (a && (size_t)case_idx < a->ncases)
            fe__case_vals(&a->cases[case_idx], rv);
    }
    fe_sel_store(st, l, r);
    return fe__assign_ev(st, fe_cursor_loc(e), lv, rv);
}

/* ---- Conditional evaluation ----------------------------------------------- *
 * `c ? a : b`, `a && b` and `a || b` evaluate an arm only on some paths. An
 * arm that emits events is lowered to a branch (mb_if / mb_else); arms
 * without events stay straight-line code, so plain expressions add no
 * blocks. Which arms emit events is learned by probing: the outermost such
 * expression is walked once with st->probe set (nothing is emitted), which
 * records the arms of every conditional inside it in st->arms; nested ones
 * then find their entry, so each node is walked at most twice. */

static fe_arm_memo *fe__arm_slot(fe_state *st, CXCursor e, bool create)
{
    unsigned h = clang_hashCursor(e);
    if (create && (st->narms + 1) * 2 > st->caparms) {
        /* grow (entries of earlier functions are dropped) */
        size_t cap = st->caparms ? st->caparms * 2 : 64;
        fe_arm_memo *old = st->arms;
        size_t oldcap = st->caparms;
        st->arms = calloc(cap, sizeof *st->arms);
        if (!st->arms) {
            fputs("tether: error: out of memory\n", stderr);
            abort();
        }
        st->caparms = cap;
        st->narms = 0;
        for (size_t i = 0; i < oldcap; i++) {
            if (old[i].gen != st->gen)
                continue;
            size_t j = old[i].hash & (cap - 1);
            while (st->arms[j].gen == st->gen)
                j = (j + 1) & (cap - 1);
            st->arms[j] = old[i];
            st->narms++;
        }
        free(old);
    }
    if (!st->caparms)
        return NULL;
    size_t j = h & (st->caparms - 1);
    while (st->arms[j].gen == st->gen) {
        if (st->arms[j].hash == h && clang_equalCursors(st->arms[j].expr, e))
            return &st->arms[j];
        j = (j + 1) & (st->caparms - 1);
    }
    if (!create)
        return NULL;
    st->arms[j] = (fe_arm_memo){ e, h, st->gen, 0 };
    st->narms++;
    return &st->arms[j];
}

/* Walks arm `a` (may be null) while probing; true if it emitted an event. */
static bool fe__probe_arm(fe_state *st, CXCursor a)
{
    bool saved = st->probe_hit;
    st->probe_hit = false;
    if (!clang_Cursor_isNull(a))
        fe__expr(st, a, MODEL_NO_OBJ, NULL);
    bool hit = st->probe_hit;
    st->probe_hit = saved || hit;
    return hit;
}

/* The arms of conditional e (a1 may be null for && / ||) that emit events. */
static unsigned fe__arms(fe_state *st, CXCursor e, CXCursor a0, CXCursor a1)
{
    if (st->probe) {
        unsigned mask = (fe__probe_arm(st, a0) ? 1u : 0u) | (fe__probe_arm(st, a1) ? 2u : 0u);
        fe__arm_slot(st, e, true)->mask = (unsigned char)mask;
        return mask;
    }
    fe_arm_memo *m = fe__arm_slot(st, e, false);
    if (m)
        return m->mask;
    st->probe = true;
    st->probe_hit = false;
    unsigned mask = fe__arms(st, e, a0, a1);
    st->probe = false;
    st->probe_hit = false;
    return mask;
}

/* Walks the arms of a conditional whose condition was walked: a branch for
 * each arm that emits events (a1 null: the right operand of && / ||, which
 * goes into the `?` slot). dest: where the value of a `?:` is stored (a
 * creation in an arm is made on it); none for && / ||. */
static void fe__branch(fe_state *st, CXCursor e, CXCursor a0, CXCursor a1, model_obj_id dest,
                       const char *dest_text, model_val *cond, model_val **v0, model_val **v1)
{
    unsigned mask = fe__arms(st, e, a0, a1);
    *v0 = *v1 = NULL;
    if (st->probe || mask == 0) {
        if (!st->probe) {
            *v0 = fe__expr(st, a0, dest, dest_text);
            if (!clang_Cursor_isNull(a1))
                *v1 = fe__expr(st, a1, dest, dest_text);
        }
        return;
    }
    mb_cond(st->b, cond);
    mb_if(st->b);
    *v0 = fe__expr(st, a0, dest, dest_text);
    if (mask & 2u) {
        mb_else(st->b);
        *v1 = fe__expr(st, a1, dest, dest_text);
        mb_end_if(st->b);
    } else {
        mb_end_if(st->b);
        if (!clang_Cursor_isNull(a1))
            *v1 = fe__expr(st, a1, dest, dest_text); /* no events: only its aliases */
    }
}

/* The operator of binary operator e written between l and r ("&&", "||",
 * "=", ...), read from the source; NULL inside macros or past comments. */
const char *fe_binop(fe_state *st, CXCursor l, CXCursor r)
{
    long le = fe_offset(st, clang_getRangeEnd(fe_extent(l)));
    long rb = fe_offset(st, clang_getRangeStart(fe_extent(r)));
    if (le < 0 || rb < 0 || le > rb)
        return NULL;
    for (long i = le; i < rb; i++) {
        char c = st->buf[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ')')
            continue;
        if (c == '/' && i + 1 < rb && (st->buf[i + 1] == '*' || st->buf[i + 1] == '/'))
            return NULL;
        return st->buf + i;
    }
    return NULL;
}

/* ---- assert ------------------------------------------------------------------ *
 * tree-sitter sees `assert(x)` as a call, clang its expansion (glibc:
 * `((x) ? (void)0 : __assert_fail(...))`, or with GNU extensions a
 * statement expression with an if). Both front ends model only the
 * asserted expression x, evaluated once, and not the failure arm: a failed
 * assertion is a bug, not a path the rules should follow. */

/* If e is part of the expansion of a macro named `assert` written in the
 * main file (and not of its argument), its offset there; else -1. */
static long fe__assert_at(fe_state *st, CXCursor e)
{
    CXSourceLocation l = clang_getCursorLocation(e);
    CXFile f = NULL;
    unsigned off = 0;
    clang_getExpansionLocation(l, &f, NULL, NULL, &off);
    if (!f || off + 6 > st->buflen || st->buf[off] != 'a' || !clang_File_isEqual(f, st->main_file))
        return -1;
    if (memcmp(st->buf + off, "assert", 6) != 0)
        return -1;
    if (off + 6 < st->buflen) {
        char c = st->buf[off + 6];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')
            return -1;
    }
    /* the macro's own tokens map to the expansion; its argument's to where
     * they are written, after it */
    return fe_offset(st, l) == (long)off ? (long)off : -1;
}

typedef struct fe_find_arg {
    fe_state *st;
    long after;
    CXCursor found;
} fe_find_arg;

static enum CXChildVisitResult fe__find_arg(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    fe_find_arg *fa = data;
    if (!clang_isExpression(clang_getCursorKind(c)))
        return CXChildVisit_Recurse;
    if (fe_offset(fa->st, clang_getRangeStart(fe_extent(c))) > fa->after) {
        fa->found = c;
        return CXChildVisit_Break;
    }
    return CXChildVisit_Recurse;
}

/* Walks the asserted expression of an assert expansion at offset `at`. */
static void fe__assert(fe_state *st, CXCursor e, long at)
{
    fe_find_arg fa = { st, at, clang_getNullCursor() };
    clang_visitChildren(e, fe__find_arg, &fa);
    if (!clang_Cursor_isNull(fa.found))
        fe__expr(st, fa.found, MODEL_NO_OBJ, NULL);
}

/* ---- Expressions ------------------------------------------------------------ */

static model_val *fe__unknown(fe_state *st)
{
    return st->probe ? NULL : mv_unknown(st->m);
}

/* `x op= y`: x's events, y's, the ASSIGN x = x op y; its value. */
static model_val *fe__compound_assign(fe_state *st, CXCursor e, const fe_kids *kk)
{
    if (kk->n != 2) {
        for (size_t i = 0; i < kk->n; i++)
            fe__expr(st, kk->v[i], MODEL_NO_OBJ, NULL);
        return fe__unknown(st);
    }
    model_val *lv = fe__expr(st, kk->v[0], MODEL_NO_OBJ, NULL);
    model_val *rv = fe__expr(st, kk->v[1], MODEL_NO_OBJ, NULL);
    fe_sel_store(st, kk->v[0], clang_getNullCursor()); /* r no longer holds a select's result */
    model_val *sum = NULL;
    if (!st->probe) {
        int op = fe_binop_of(st, e, kk->v[0], kk->v[1], true);
        sum = op >= MODEL_OP_ADD && op <= MODEL_OP_BITXOR ? fe_fold_binop(st->m, (model_op)op, lv, rv)
                                                          : mv_unknown(st->m);
    }
    return fe__assign_ev(st, fe_cursor_loc(e), lv, sum);
}

/* A unary operator: `x++` and the like are an ASSIGN (x = x + 1), the
 * others values over their operand. */
static model_val *fe__unary(fe_state *st, CXCursor e, const fe_kids *kk)
{
    if (kk->n != 1) {
        for (size_t i = 0; i < kk->n; i++)
            fe__expr(st, kk->v[i], MODEL_NO_OBJ, NULL);
        return fe__unknown(st);
    }
    model_val *sub = fe__expr(st, kk->v[0], MODEL_NO_OBJ, NULL);
    int op = fe_unop_of(st, e, kk->v[0]);
    fe_sel_update(st, e); /* `r++`: r no longer holds a select's result */
    bool inc = op == FE_U_PREINC || op == FE_U_POSTINC;
    if (!inc && op != FE_U_PREDEC && op != FE_U_POSTDEC)
        return fe_val_unary(st, e, op, sub);
    model_val *one = st->probe ? NULL : mv_int(st->m, 1);
    model_val *stored = st->probe ? NULL : fe_fold_binop(st->m, inc ? MODEL_OP_ADD : MODEL_OP_SUB, sub, one);
    model_val *res = fe__assign_ev(st, fe_cursor_loc(e), sub, stored);
    if (st->probe || op == FE_U_PREINC || op == FE_U_PREDEC)
        return res;
    /* x++ as a value: the value before the store */
    return mv_binop(st->m, inc ? MODEL_OP_SUB : MODEL_OP_ADD, res, one);
}

/* A binary operator: assignments, `&&` / `||` (the right operand a branch
 * when it has events), the comma, the others values. */
static model_val *fe__binary(fe_state *st, CXCursor e, const fe_kids *kk)
{
    if (kk->n != 2) {
        for (size_t i = 0; i < kk->n; i++)
            fe__expr(st, kk->v[i], MODEL_NO_OBJ, NULL);
        return fe__unknown(st);
    }
    int op = fe_binop_of(st, e, kk->v[0], kk->v[1], false);
    if (op == FE_OP_ASSIGN)
        return fe__assign(st, e, kk->v[0], kk->v[1]);
    model_val *lv = fe__expr(st, kk->v[0], MODEL_NO_OBJ, NULL);
    if (op == MODEL_OP_LAND || op == MODEL_OP_LOR) {
        /* the right operand runs when l != 0 (&&) or l == 0 (||) */
        model_val *cond = st->probe ? NULL : op == MODEL_OP_LAND ? lv : fe_fold_unop(st->m, MODEL_OP_NOT, lv);
        model_val *rv, *none;
        fe__branch(st, e, kk->v[1], clang_getNullCursor(), MODEL_NO_OBJ, NULL, cond, &rv, &none);
        return st->probe ? NULL : fe_fold_binop(st->m, (model_op)op, lv, rv);
    }
    model_val *rv = fe__expr(st, kk->v[1], MODEL_NO_OBJ, NULL);
    return fe_val_binary(st, e, kk->v[0], kk->v[1], op, lv, rv);
}

/* A GNU statement expression: its statements; its value the last one's
 * when that is an expression. */
static model_val *fe__stmt_expr(fe_state *st, const fe_kids *kk)
{
    model_val *v = NULL;
    for (size_t i = 0; i < kk->n; i++) {
        if (clang_getCursorKind(kk->v[i]) != CXCursor_CompoundStmt) {
            fe__stmt(st, kk->v[i]);
            continue;
        }
        fe_kids ck;
        fe_kids_get(kk->v[i], &ck);
        for (size_t j = 0; j < ck.n; j++) {
            if (j + 1 == ck.n && clang_isExpression(clang_getCursorKind(ck.v[j])))
                v = fe__expr(st, ck.v[j], MODEL_NO_OBJ, NULL);
            else
                fe__stmt(st, ck.v[j]);
        }
        fe_kids_free(&ck);
    }
    return v ? v : fe__unknown(st);
}

/* Walks expression e in evaluation order: emits its events and returns its
 * value (NULL while probing). dest: the place its value is stored into, for
 * the objects of creations (see fe__call). */
/* Whether the walk may go one level deeper at c; when not, where it
 * stopped is kept (the file is then refused, fe_clang.c). */
static bool fe__descend(fe_state *st, CXCursor c)
{
    if (st->depth < FE_MAX_WALK_DEPTH)
        return true;
    if (!st->deep_line) {
        unsigned line = fe_cursor_loc(c).line;
        st->deep_line = line ? line : 1;
    }
    return false;
}

static model_val *fe__expr_at(fe_state *st, CXCursor e, model_obj_id dest, const char *dest_text);
static void fe__stmt_at(fe_state *st, CXCursor s);

static model_val *fe__expr(fe_state *st, CXCursor e, model_obj_id dest, const char *dest_text)
{
    if (!fe__descend(st, e))
        return fe__unknown(st);
    st->depth++;
    model_val *v = fe__expr_at(st, e, dest, dest_text);
    st->depth--;
    return v;
}

static void fe__stmt(fe_state *st, CXCursor s)
{
    if (!fe__descend(st, s))
        return;
    st->depth++;
    fe__stmt_at(st, s);
    st->depth--;
}

static model_val *fe__expr_at(fe_state *st, CXCursor e, model_obj_id dest, const char *dest_text)
{
    enum CXCursorKind k = clang_getCursorKind(e);
    if (k == CXCursor_ParenExpr || k == CXCursor_CStyleCastExpr || k == CXCursor_ConditionalOperator ||
        k == CXCursor_BinaryOperator || k == CXCursor_StmtExpr) {
        long at = fe__assert_at(st, e);
        if (at >= 0) {
            fe__assert(st, e, at);
            return fe__unknown(st);
        }
    }
    switch (k) {
    case CXCursor_DeclRefExpr:
        return fe_val_ref(st, e);
    case CXCursor_IntegerLiteral:
    case CXCursor_FloatingLiteral:
    case CXCursor_StringLiteral:
    case CXCursor_CharacterLiteral:
        return fe_val_literal(st, e, k);
    case CXCursor_UnaryExpr: /* sizeof: not evaluated */
        return fe__unknown(st);
    case CXCursor_CallExpr:
        return fe__call(st, e, dest, dest_text);
    case CXCursor_InitListExpr:
        return fe__init(st, e, dest_text ? dest_text : "");
    case CXCursor_StmtExpr:
        if (st->probe) {
            st->probe_hit = true; /* statements are not probed: assume events */
            return NULL;
        }
        break;
    default:
        break;
    }
    fe_kids kk;
    fe_kids_get(e, &kk);
    model_val *v = NULL;
    switch (k) {
    case CXCursor_BinaryOperator:
        v = fe__binary(st, e, &kk);
        goto out;
    case CXCursor_CompoundAssignOperator:
        v = fe__compound_assign(st, e, &kk);
        goto out;
    case CXCursor_UnaryOperator:
        v = fe__unary(st, e, &kk);
        goto out;
    case CXCursor_ConditionalOperator:
        if (kk.n == 3) {
            model_val *c = fe__expr(st, kk.v[0], MODEL_NO_OBJ, NULL), *a, *b;
            fe__branch(st, e, kk.v[1], kk.v[2], dest, dest_text, c, &a, &b);
            v = st->probe ? NULL : fe_fold_cond(st->m, c, a, b);
            goto out;
        }
        break;
    case CXCursor_StmtExpr:
        v = fe__stmt_expr(st, &kk);
        goto out;
    case CXCursor_MemberRefExpr:
        if (kk.n == 1) {
            model_val *b = fe__expr(st, kk.v[0], MODEL_NO_OBJ, NULL);
            v = fe_val_member(st, e, kk.v[0], b);
            goto out;
        }
        break;
    case CXCursor_ArraySubscriptExpr:
        if (kk.n == 2) {
            model_val *b = fe__expr(st, kk.v[0], MODEL_NO_OBJ, NULL);
            model_val *i = fe__expr(st, kk.v[1], MODEL_NO_OBJ, NULL);
            v = fe_val_index(st, e, b, i);
            goto out;
        }
        break;
    case CXCursor_UnexposedExpr:
        if (!(kk.n == 1 && fe_val_transparent(e, kk.v[0])) && kk.n > 0) {
            model_op aop;
            int ak;
            long open, close;
            int kind = fe_atomic_expr(st, e, &aop, &ak, &open, &close);
            if (kind != FE_AT_NONE) {
                v = fe__atomic_expr(st, e, kind, aop, ak, open, close);
                goto out;
            }
        }
        if (fe_elvis(e, NULL, NULL)) {
            /* GNU `x ?: y` (common, two opaque copies of it, y): as x || y,
             * both operands stored into dest; its value x ? x : y */
            model_val *x = fe__expr(st, kk.v[0], dest, dest_text), *y, *none;
            model_val *cond = st->probe ? NULL : fe_fold_unop(st->m, MODEL_OP_NOT, x);
            fe__branch(st, e, kk.v[3], clang_getNullCursor(), dest, dest_text, cond, &y, &none);
            v = st->probe ? NULL : fe_fold_cond(st->m, x, x, y);
            goto out;
        }
        break;
    default:
        break;
    }
    /* Parentheses, casts and implicit conversions are transparent (their
     * operand's value, a 0 made a pointer NULL); any other node's children
     * are walked for their events and its value is UNKNOWN. */
    bool pass = k == CXCursor_ParenExpr || k == CXCursor_UnexposedExpr || k == CXCursor_CStyleCastExpr;
    model_val *last = NULL;
    size_t nexpr = 0;
    for (size_t i = 0; i < kk.n; i++) {
        enum CXCursorKind ck = clang_getCursorKind(kk.v[i]);
        if (clang_isExpression(ck)) {
            last = fe__expr(st, kk.v[i], pass ? dest : MODEL_NO_OBJ, pass ? dest_text : NULL);
            nexpr++;
        } else if (clang_isStatement(ck)) {
            fe__stmt(st, kk.v[i]);
        }
    }
    if (st->probe)
        goto out;
    if ((k == CXCursor_ParenExpr || k == CXCursor_CompoundLiteralExpr) && nexpr)
        v = last;
    else if (k == CXCursor_CStyleCastExpr && nexpr)
        v = fe_val_cast(st, e, last);
    else if (k == CXCursor_UnexposedExpr && nexpr == 1 && kk.n == 1 && fe_val_transparent(e, kk.v[0]))
        v = fe_val_cast(st, e, last);
    else
        v = mv_unknown(st->m);
out:
    fe_kids_free(&kk);
    return v;
}

/* Events of a condition, flagged as such; its value. */
static model_val *fe__cond(fe_state *st, CXCursor c, unsigned flags)
{
    unsigned saved = st->cond_flags;
    st->cond_flags |= flags;
    model_val *v = fe__expr(st, c, MODEL_NO_OBJ, NULL);
    st->cond_flags = saved;
    return v;
}

static bool fe__const_true(CXCursor c)
{
    int64_t v;
    return fe_eval_int(c, &v) && v != 0;
}

/* An if condition that tests one object against NULL: a NULL_TEST, the
 * last event before mb_if (model.h). Its position is the object's. */
static void fe__null_test(fe_state *st, CXCursor cond)
{
    CXCursor o;
    bool nonnull;
    if (!fe_null_test(st, cond, &o, &nonnull))
        return;
    model_obj_id obj = fe_obj(st, o);
    if (obj == MODEL_NO_OBJ)
        return;
    model_event *ev = mb_event(st->b, MODEL_EV_NULL_TEST,
                               fe_loc(clang_getRangeStart(fe_extent(o))));
    ev->flags = MODEL_EVF_NUM_KNOWN;
    ev->obj = obj;
    ev->text = fe_text(st, o);
    ev->num = nonnull ? 1 : 0;
}

/* ---- Declarations and statements ------------------------------------------- */

static void fe__vardecl_init(fe_state *st, CXCursor v, CXCursor init);

/* The initializer of variable v (its children k), or a null cursor. */
static CXCursor fe__var_init(fe_state *st, CXCursor v, const fe_kids *k)
{
    if (!k->n || !clang_isExpression(clang_getCursorKind(k->v[k->n - 1])))
        return clang_getNullCursor();
    /* The last child is the initializer, unless it is an array size: an
     * initializer follows a `=` after the name. */
    CXCursor last = k->v[k->n - 1];
    long name = fe_offset(st, clang_getCursorLocation(v));
    long start = fe_offset(st, clang_getRangeStart(fe_extent(last)));
    bool is_init = true;
    if (name >= 0 && start > name) {
        is_init = false;
        int depth = 0;
        for (long i = name; i < start; i++) {
            char c = st->buf[i];
            depth += c == '[' ? 1 : c == ']' ? -1 : 0;
            if (c == '=' && depth == 0)
                is_init = true;
        }
    }
    return is_init ? last : clang_getNullCursor();
}

static void fe__vardecl(fe_state *st, CXCursor v)
{
    if (clang_getCursorKind(v) != CXCursor_VarDecl)
        return;
    fe_kids k;
    fe_kids_get(v, &k);
    CXCursor init = fe__var_init(st, v, &k);
    /* Array sizes (VLAs) may hold calls too. */
    for (size_t i = 0; i < k.n; i++)
        if (!clang_equalCursors(k.v[i], init) && clang_isExpression(clang_getCursorKind(k.v[i])))
            fe__expr(st, k.v[i], MODEL_NO_OBJ, NULL);
    fe_kids_free(&k);
    if (!clang_Cursor_isNull(init))
        fe__vardecl_init(st, v, init);
    fe_sel_decl(st, v, init);
}

static void fe__add_global(fe_state *st, CXCursor var, CXCursor init)
{
    if (st->nglobals == st->capglobals) {
        st->capglobals = st->capglobals ? st->capglobals * 2 : 16;
        st->globals = fe__xrealloc(st->globals, st->capglobals * sizeof *st->globals);
    }
    st->globals[st->nglobals++] = (fe_global_init){ var, init, fe_offset(st, clang_getCursorLocation(var)) };
}

/* The initializer of variable v: its events, stores and ASSIGN (a
 * function-static's ASSIGN is in (globals): it runs once). */
static void fe__vardecl_init(fe_state *st, CXCursor v, CXCursor init)
{
    model_val *val;
    if (fe__is_case_array(clang_getCursorType(v)) &&
        clang_getCursorKind(fe_strip_parens(init)) == CXCursor_InitListExpr) {
        val = fe__expr(st, init, MODEL_NO_OBJ, NULL);
        fe__collect_init(st, fe__array(st, v, true), fe_strip_parens(init), val);
    } else {
        model_obj_id dest = fe_decl_obj(st, v);
        if (clang_getCursorKind(fe_strip_parens(init)) == CXCursor_InitListExpr) {
            /* `struct job j = { .ch = c }`: stores into j's fields */
            CXString s = clang_getCursorSpelling(v);
            val = fe__init(st, fe_strip_parens(init), model_strdup(st->m, clang_getCString(s)));
            clang_disposeString(s);
        } else {
            const char *text = NULL;
            if (dest != MODEL_NO_OBJ) {
                CXString s = clang_getCursorSpelling(v);
                text = model_strdup(st->m, clang_getCString(s));
                clang_disposeString(s);
            }
            val = fe__store(st, clang_getNullCursor(), dest, text, init, fe_cursor_loc(v));
        }
    }
    if (fe_is_global_var(v))
        fe__add_global(st, v, init);
    else
        fe__assign_ev(st, fe_cursor_loc(v), fe_val_decl(st, v), val);
}

void fe_note_global(fe_state *st, CXCursor var)
{
    if (clang_getCursorKind(var) != CXCursor_VarDecl)
        return;
    fe_kids k;
    fe_kids_get(var, &k);
    CXCursor init = fe__var_init(st, var, &k);
    fe_kids_free(&k);
    if (!clang_Cursor_isNull(init))
        fe__add_global(st, var, init);
}

static int fe__cmp_global(const void *a, const void *b)
{
    long x = ((const fe_global_init *)a)->offset, y = ((const fe_global_init *)b)->offset;
    return x < y ? -1 : x > y;
}

void fe_walk_globals(fe_state *st)
{
    if (st->nglobals == 0)
        return;
    qsort(st->globals, st->nglobals, sizeof *st->globals, fe__cmp_global);
    model_loc none = { 0, 0 };
    model_builder *b = mb_begin(st->m, "(globals)", none, true);
    st->b = b;
    st->func = mb_func_index(b);
    st->cond_flags = 0;
    st->narrays = 0;
    st->gen++;
    st->narms = 0;
    fe_sel_reset(st);
    for (size_t i = 0; i < st->nglobals; i++) {
        const fe_global_init *g = &st->globals[i];
        mb_assign(b, fe_cursor_loc(g->var), fe_val_decl(st, g->var), fe_value(st, g->init));
    }
    mb_end(b, none);
    st->b = NULL;
}

/* The label a goto names (its LabelRef child). */
static enum CXChildVisitResult fe__labelref(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    if (clang_getCursorKind(c) == CXCursor_LabelRef) {
        *(CXCursor *)data = c;
        return CXChildVisit_Break;
    }
    return CXChildVisit_Continue;
}

/* Splits a for statement's children into init, cond, inc and body: libclang
 * omits the absent ones, so the parts are told apart by the positions of the
 * two `;` in the header. */
static void fe__for_parts(fe_state *st, CXCursor s, const fe_kids *k, CXCursor part[4])
{
    for (int i = 0; i < 4; i++)
        part[i] = clang_getNullCursor();
    if (k->n == 0)
        return;
    part[3] = k->v[k->n - 1];
    if (k->n == 4) {
        part[0] = k->v[0];
        part[1] = k->v[1];
        part[2] = k->v[2];
        return;
    }
    if (k->n == 1)
        return;
    long from = fe_offset(st, clang_getRangeStart(fe_extent(s)));
    long to = fe_offset(st, clang_getRangeStart(fe_extent(part[3])));
    long semi[2] = { -1, -1 };
    int nsemi = 0, depth = 0;
    if (from >= 0 && to > from) {
        for (long i = from; i < to && nsemi < 2; i++) {
            char c = st->buf[i];
            if (c == '(')
                depth++;
            else if (c == ')')
                depth--;
            else if (c == ';' && depth == 1)
                semi[nsemi++] = i;
        }
    }
    for (size_t i = 0; i + 1 < k->n; i++) {
        long at = fe_offset(st, clang_getRangeStart(fe_extent(k->v[i])));
        int slot;
        if (nsemi < 2 || at < 0)
            slot = clang_isExpression(clang_getCursorKind(k->v[i])) ? 1 : 0; /* best effort */
        else
            slot = at < semi[0] ? 0 : at < semi[1] ? 1 : 2;
        part[slot] = k->v[i];
    }
}

static void fe__stmt_at(fe_state *st, CXCursor s)
{
    enum CXCursorKind kind = clang_getCursorKind(s);
    model_builder *b = st->b;
    fe_kids k;
    switch (kind) {
    case CXCursor_NullStmt:
        return;
    case CXCursor_BreakStmt:
        mb_break(b);
        mb_mark(b, fe_cursor_loc(s));
        return;
    case CXCursor_ContinueStmt:
        mb_continue(b);
        mb_mark(b, fe_cursor_loc(s));
        return;
    case CXCursor_GotoStmt: {
        CXCursor ref = clang_getNullCursor();
        clang_visitChildren(s, fe__labelref, &ref);
        CXString sp = clang_getCursorSpelling(ref);
        mb_goto(b, model_strdup(st->m, clang_getCString(sp)));
        clang_disposeString(sp);
        mb_mark(b, fe_cursor_loc(s));
        return;
    }
    default:
        break;
    }
    fe_kids_get(s, &k);
    switch (kind) {
    case CXCursor_CompoundStmt:
        for (size_t i = 0; i < k.n; i++)
            fe__stmt(st, k.v[i]);
        break;
    case CXCursor_DeclStmt:
        for (size_t i = 0; i < k.n; i++)
            fe__vardecl(st, k.v[i]);
        break;
    case CXCursor_IfStmt:
        if (k.n >= 2) {
            model_val *c = fe__cond(st, k.v[0], MODEL_EVF_IN_COND);
            fe__null_test(st, k.v[0]);
            fe_case_test(st, k.v[0], false);
            mb_cond(b, c);
            mb_if(b);
            fe__stmt(st, k.v[1]);
            if (k.n >= 3) {
                mb_else(b);
                fe__stmt(st, k.v[2]);
            }
            mb_end_if(b);
        }
        break;
    case CXCursor_WhileStmt:
        if (k.n >= 2) {
            mb_loop(b);
            mb_mark(b, fe_cursor_loc(s));
            mb_cond(b, fe__cond(st, k.v[0], MODEL_EVF_IN_COND | MODEL_EVF_LOOP_COND));
            mb_loop_body(b, fe__const_true(k.v[0]));
            fe__stmt(st, k.v[1]);
            mb_end_loop(b);
        }
        break;
    case CXCursor_ForStmt: {
        CXCursor part[4];
        fe__for_parts(st, s, &k, part);
        if (!clang_Cursor_isNull(part[0]))
            fe__stmt(st, part[0]);
        mb_loop(b);
        mb_mark(b, fe_cursor_loc(s));
        bool infinite = true;
        if (!clang_Cursor_isNull(part[1])) {
            mb_cond(b, fe__cond(st, part[1], MODEL_EVF_IN_COND | MODEL_EVF_LOOP_COND));
            infinite = fe__const_true(part[1]);
        }
        mb_loop_body(b, infinite);
        int64_t trips;
        if (!infinite && fe_loop_trips(st, part, &trips))
            mb_loop_trips(b, trips);
        if (!clang_Cursor_isNull(part[3]))
            fe__stmt(st, part[3]);
        if (!clang_Cursor_isNull(part[2])) {
            mb_loop_step(b);
            fe__expr(st, part[2], MODEL_NO_OBJ, NULL);
        }
        mb_end_loop(b);
        break;
    }
    case CXCursor_DoStmt:
        if (k.n >= 2) {
            mb_do(b);
            mb_mark(b, fe_cursor_loc(s));
            fe__stmt(st, k.v[0]);
            mb_do_cond(b);
            mb_cond(b, fe__cond(st, k.v[1], MODEL_EVF_IN_COND | MODEL_EVF_LOOP_COND));
            mb_end_do(b, fe__const_true(k.v[1]));
        }
        break;
    case CXCursor_SwitchStmt:
        if (k.n >= 2) {
            model_val *c = fe__cond(st, k.v[0], MODEL_EVF_IN_COND);
            fe_case_test(st, k.v[0], true);
            mb_cond(b, c); /* the controlling value */
            mb_switch(b);
            fe__stmt(st, k.v[k.n - 1]);
            mb_end_switch(b);
        }
        break;
    case CXCursor_CaseStmt:
    case CXCursor_DefaultStmt:
        mb_case(b, kind == CXCursor_DefaultStmt);
        if (kind == CXCursor_CaseStmt && k.n == 2) { /* `case K:` (not GNU `case A ... B:`) */
            int64_t v;
            if (fe_eval_int(k.v[0], &v))
                mb_case_value(b, v);
        }
        if (k.n)
            fe__stmt(st, k.v[k.n - 1]);
        break;
    case CXCursor_LabelStmt: {
        CXString sp = clang_getCursorSpelling(s);
        mb_label(b, model_strdup(st->m, clang_getCString(sp)));
        clang_disposeString(sp);
        if (k.n)
            fe__stmt(st, k.v[k.n - 1]);
        break;
    }
    case CXCursor_ReturnStmt: {
        model_obj_id obj = MODEL_NO_OBJ;
        const char *text = NULL;
        model_val *val = NULL;
        if (k.n) {
            model_obj_id made = fe__return_obj(st, k.v[0]);
            if (made != MODEL_NO_OBJ) {
                val = fe__expr(st, k.v[0], made, "(return)");
                /* the other arms of `return x ? tt_chan_new(0, 1) : c;` are
                 * stored into "(return)" too */
                CXCursor arms[FE_MAX_ARMS];
                size_t n = fe_cond_arms(k.v[0], arms, FE_MAX_ARMS);
                for (size_t i = 0; i < n; i++)
                    if (!fe__is_creation(arms[i]))
                        fe__store_one(st, MODEL_ESCAPE_NONE, made, arms[i], fe_cursor_loc(s));
                obj = made;
                text = "(return)";
            } else {
                /* `return x ? a : b;`: a RETURN carries one object, the
                 * first arm's other than NULL; fe_obj aliases the arms
                 * together so that the rules see either (fe_expr.c) */
                val = fe__expr(st, k.v[0], MODEL_NO_OBJ, NULL);
                obj = fe_obj(st, k.v[0]);
                if (obj != MODEL_NO_OBJ)
                    text = fe_text(st, k.v[0]);
            }
        }
        model_event *ev = mb_return(b, fe_cursor_loc(s), obj, text);
        if (k.n) {
            ev->vals = mv_array(st->m, 1);
            ev->vals[0] = val ? val : mv_unknown(st->m);
            ev->nvals = 1;
        }
        mb_mark(b, fe_cursor_loc(s));
        break;
    }
    default:
        if (clang_isExpression(kind))
            fe__expr(st, s, MODEL_NO_OBJ, NULL);
        else if (clang_isDeclaration(kind))
            fe__vardecl(st, s);
        break;
    }
    fe_kids_free(&k);
}

void fe_walk_function(fe_state *st, CXCursor fn)
{
    CXString sp = clang_getCursorSpelling(fn);
    model_builder *b = mb_begin(st->m, model_strdup(st->m, clang_getCString(sp)), fe_cursor_loc(fn),
                                clang_Cursor_getStorageClass(fn) == CX_SC_Static);
    clang_disposeString(sp);
    st->b = b;
    st->func = mb_func_index(b);
    st->cond_flags = 0;
    st->narrays = 0;
    st->gen++;
    st->narms = 0;
    fe_sel_reset(st);
    CXType rt = clang_getCanonicalType(clang_getResultType(clang_getCursorType(fn)));
    st->ret_kind = fe_kind_of_type(rt);
    st->ret_object = st->ret_kind != MODEL_KIND_NONE || rt.kind == CXType_Pointer ||
                     rt.kind == CXType_Record;
    int nparams = clang_Cursor_getNumArguments(fn);
    for (int i = 0; i < nparams; i++) {
        CXCursor p = clang_Cursor_getArgument(fn, (unsigned)i);
        CXString ps = clang_getCursorSpelling(p);
        mb_param(b, model_strdup(st->m, clang_getCString(ps)), fe_kind_of_type(clang_getCursorType(p)),
                 fe_cursor_loc(p));
        clang_disposeString(ps);
    }
    fe_kids k;
    fe_kids_get(fn, &k);
    CXCursor body = clang_getNullCursor();
    for (size_t i = 0; i < k.n; i++)
        if (clang_getCursorKind(k.v[i]) == CXCursor_CompoundStmt)
            body = k.v[i];
    fe_kids_free(&k);
    model_loc end = { 0, 0 };
    if (!clang_Cursor_isNull(body)) {
        fe__stmt(st, body);
        end = fe_loc(clang_getRangeEnd(fe_extent(body)));
        if (end.col > 1)
            end.col--;
    }
    mb_end(b, end);
    st->b = NULL;
}

void fe_set_defined(fe_state *st, char **names, size_t n)
{
    if (n > 1)
        qsort(names, n, sizeof *names, fe__cmp_name);
    st->defined = names;
    st->ndefined = n;
}
