/* ts_expr.c — expressions in evaluation order: tether API calls become
 * events, same-file calls and calls passing objects become CALL, exit()
 * and friends end the path, assignments alias places and record escapes. */
#include "ts_internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum api {
    API_NONE, API_SPAWN, API_SLEEP, API_CHAN_NEW, API_SEND, API_RECV, API_CLOSE, API_CHAN_FREE,
    API_SELECT, API_SELECT_DEFAULT, API_WITH_CANCEL, API_WITH_TIMEOUT, API_CANCEL, API_ERR,
    API_TICKER_NEW, API_TICKER_STOP, API_WG_ADD, API_WG_DONE, API_WG_WAIT, API_LOCK, API_UNLOCK,
    API_OBJECT, /* tt_ctx_done, tt_ticker_chan, tt_after, tt_ctx_background: objects, no event */
    API_OTHER,  /* the rest of tether.h: no event */
    API_CASE,   /* TT_RECV / TT_SEND: a macro, not a call */
} api;

static const struct { const char *name; api id; } api_names[] = {
    { "tt_spawn", API_SPAWN }, { "tt_sleep_ms", API_SLEEP }, { "tt_chan_new", API_CHAN_NEW },
    { "tt_send", API_SEND }, { "tt_recv", API_RECV }, { "tt_close", API_CLOSE },
    { "tt_chan_free", API_CHAN_FREE }, { "tt_select", API_SELECT },
    { "tt_select_default", API_SELECT_DEFAULT }, { "tt_ctx_with_cancel", API_WITH_CANCEL },
    { "tt_ctx_with_timeout", API_WITH_TIMEOUT }, { "tt_ctx_cancel", API_CANCEL },
    { "tt_ctx_err", API_ERR }, { "tt_ticker_new", API_TICKER_NEW },
    { "tt_ticker_stop", API_TICKER_STOP }, { "tt_wg_add", API_WG_ADD },
    { "tt_wg_done", API_WG_DONE }, { "tt_wg_wait", API_WG_WAIT },
    { "tt_mutex_lock", API_LOCK }, { "tt_mutex_unlock", API_UNLOCK },
    { "tt_ctx_done", API_OBJECT }, { "tt_ticker_chan", API_OBJECT }, { "tt_after", API_OBJECT },
    { "tt_ctx_background", API_OBJECT }, { "tt_chan_len", API_OTHER },
    { "tt_chan_cap", API_OTHER }, { "tt_verify_none", API_OTHER },
    { "TT_RECV", API_CASE }, { "TT_SEND", API_CASE },
};

static api api_of(const char *name, uint32_t len)
{
    frontend_alias_apply(&name, &len); /* a wrapper of .tether.yml's aliases: the API name */
    if (len > 6 && memcmp(name, "tt_", 3) == 0 && memcmp(name + len - 3, "_at", 3) == 0)
        len -= 3;
    for (size_t i = 0; i < sizeof api_names / sizeof *api_names; i++)
        if (strlen(api_names[i].name) == len && memcmp(api_names[i].name, name, len) == 0)
            return api_names[i].id;
    return API_NONE;
}

static model_ev_kind event_of(api a)
{
    switch (a) {
    case API_SPAWN: return MODEL_EV_SPAWN;
    case API_SLEEP: return MODEL_EV_SLEEP;
    case API_CHAN_NEW: return MODEL_EV_CHAN_NEW;
    case API_SEND: return MODEL_EV_SEND;
    case API_RECV: return MODEL_EV_RECV;
    case API_CLOSE: return MODEL_EV_CLOSE;
    case API_CHAN_FREE: return MODEL_EV_CHAN_FREE;
    case API_SELECT: case API_SELECT_DEFAULT: return MODEL_EV_SELECT;
    case API_WITH_CANCEL: case API_WITH_TIMEOUT: return MODEL_EV_CTX_NEW;
    case API_CANCEL: return MODEL_EV_CTX_CANCEL;
    case API_ERR: return MODEL_EV_CTX_ERR;
    case API_TICKER_NEW: return MODEL_EV_TICKER_NEW;
    case API_TICKER_STOP: return MODEL_EV_TICKER_STOP;
    case API_WG_ADD: return MODEL_EV_WG_ADD;
    case API_WG_DONE: return MODEL_EV_WG_DONE;
    case API_WG_WAIT: return MODEL_EV_WG_WAIT;
    case API_LOCK: return MODEL_EV_LOCK;
    default: return MODEL_EV_UNLOCK;
    }
}

static model_event *event(ts_ctx *c, model_ev_kind k, model_loc loc)
{
    if (c->probe) {
        c->probe_hit = true;
        memset(&c->probe_ev, 0, sizeof c->probe_ev);
        return &c->probe_ev;
    }
    model_event *ev = mb_event(c->b, k, loc);
    ev->flags |= c->cond_flags;
    return ev;
}

/* The argument nodes of a call, on the kids stack; returns the first. */
static size_t call_args(ts_ctx *c, TSNode call, size_t *nargs)
{
    TSNode args = ts_field(c, call, c->f_arguments);
    size_t first = c->nkids;
    if (!ts_node_is_null(args)) {
        first = ts_kids(c, args, true);
        /* comments are named extras: drop them in place */
        size_t w = first;
        for (size_t i = first; i < c->nkids; i++)
            if (ts_kind(c, c->kids[i]) != TS_COMMENT)
                c->kids[w] = c->kids[i], c->kid_fields[w++] = c->kid_fields[i];
        c->nkids = w;
    }
    *nargs = c->nkids - first;
    return first;
}

/* ---- select cases ------------------------------------------------------ */

/* One case from TT_RECV(ch, out), TT_SEND(ch, in), (tt_case){op, ch, ...} or
 * a brace initializer {op, ch, ...}; false if it is none of those (clang's
 * front end reads the expanded compound literal: op, then the channel). */
static bool make_case(ts_ctx *c, TSNode e, model_case *out)
{
    while (ts_kind(c, e) == TS_PAREN_EXPR || ts_kind(c, e) == TS_CAST)
        e = ts_kind(c, e) == TS_CAST ? ts_field(c, e, c->f_value) : ts_node_named_child(e, 0);
    TSNode ch = { 0 };
    int64_t op = 0;
    bool op_known = false;
    ts_sym k = ts_kind(c, e);
    if (k == TS_CALL) {
        TSNode fn = ts_field(c, e, c->f_function);
        if (ts_text_is(c, fn, "TT_RECV"))
            op = 1;
        else if (ts_text_is(c, fn, "TT_SEND"))
            op = 2;
        else
            return false;
        op_known = true;
        size_t nargs;
        size_t first = call_args(c, e, &nargs);
        if (nargs >= 1)
            ch = c->kids[first];
        ts_kids_pop(c, first);
        if (nargs < 1)
            return false;
    } else if (k == TS_COMPOUND_LITERAL || k == TS_INITIALIZER_LIST) {
        TSNode list = k == TS_COMPOUND_LITERAL ? ts_field(c, e, c->f_value) : e;
        size_t first = ts_kids(c, list, true);
        size_t n = 0;
        for (size_t i = first; i < c->nkids; i++) {
            TSNode item = c->kids[i];
            if (ts_kind(c, item) == TS_COMMENT)
                continue;
            if (ts_kind(c, item) == TS_INITIALIZER_PAIR)
                item = ts_field(c, item, c->f_value);
            if (n == 0)
                op_known = ts_eval(c, item, &op);
            else if (n == 1)
                ch = item;
            n++;
        }
        ts_kids_pop(c, first);
        if (n < 2)
            return false;
    } else {
        return false;
    }
    if (!op_known)
        return false;
    out->op = (int)op;
    out->loc = ts_loc(e);
    out->obj = ts_obj_of(c, ch, true);
    out->text = ts_obj_text(c, ch);
    return true;
}

static void put_case(ts_ctx *c, ts_entry *var, size_t idx, const model_case *mc)
{
    if (idx >= 4096)
        return;
    if (idx >= var->ncases) {
        model_case *nc = mb_alloc(c->b, (idx + 1) * sizeof *nc);
        if (var->ncases)
            memcpy(nc, var->cases, var->ncases * sizeof *nc);
        var->cases = nc;
        var->ncases = idx + 1;
    }
    var->cases[idx] = *mc;
}

/* Cases of an initializer list, by position (clang's fe__collect_init). */
static void collect_cases(ts_ctx *c, ts_entry *var, TSNode list)
{
    size_t first = ts_kids(c, list, true);
    size_t last = c->nkids, idx = 0;
    for (size_t i = first; i < last; i++) {
        TSNode item = c->kids[i];
        if (ts_kind(c, item) == TS_COMMENT)
            continue;
        if (ts_kind(c, item) == TS_INITIALIZER_PAIR) {
            /* `[K] = TT_RECV(...)`: case K; the next ones follow it */
            TSNode d = ts_field(c, item, c->f_designator);
            int64_t at;
            if (ts_kind(c, d) == TS_SUBSCRIPT_DESIGNATOR && ts_eval(c, ts_node_named_child(d, 0), &at) &&
                at >= 0)
                idx = (size_t)at;
            item = ts_field(c, item, c->f_value);
        }
        model_case mc = { 0 };
        if (make_case(c, item, &mc))
            put_case(c, var, idx, &mc);
        idx++;
    }
    ts_kids_pop(c, first);
}

void ts_record_case_init(ts_ctx *c, ts_entry *var, TSNode value)
{
    while (ts_kind(c, value) == TS_PAREN_EXPR)
        value = ts_node_named_child(value, 0);
    if (ts_kind(c, value) == TS_INITIALIZER_LIST)
        collect_cases(c, var, value);
}

bool ts_record_case_store(ts_ctx *c, TSNode lhs, TSNode rhs)
{
    while (ts_kind(c, lhs) == TS_PAREN_EXPR || ts_kind(c, lhs) == TS_CAST)
        lhs = ts_kind(c, lhs) == TS_CAST ? ts_field(c, lhs, c->f_value) : ts_node_named_child(lhs, 0);
    if (ts_kind(c, lhs) != TS_SUBSCRIPT)
        return false;
    TSNode arr = ts_strip(c, ts_field(c, lhs, c->f_argument));
    if (ts_kind(c, arr) != TS_IDENTIFIER)
        return false;
    ts_entry *v = ts_find_var(c, arr);
    int64_t idx;
    model_case mc = { 0 };
    if (!v || v->ns != NS_LOCAL || !ts_eval(c, ts_field(c, lhs, c->f_index), &idx) || idx < 0 ||
        !make_case(c, rhs, &mc))
        return false;
    put_case(c, v, (size_t)idx, &mc);
    return true;
}

static void select_cases(ts_ctx *c, TSNode arg, model_case **cases, size_t *ncases)
{
    *cases = NULL;
    *ncases = 0;
    TSNode s = ts_strip(c, arg);
    ts_entry tmp = { 0 };
    ts_entry *src = NULL;
    if (ts_kind(c, s) == TS_IDENTIFIER) {
        src = ts_find_var(c, s);
        if (src && src->ns != NS_LOCAL)
            src = NULL;
    } else if (ts_kind(c, s) == TS_COMPOUND_LITERAL) {
        collect_cases(c, &tmp, ts_field(c, s, c->f_value));
        src = &tmp;
    }
    if (!src)
        return;
    size_t used = 0;
    for (size_t i = 0; i < src->ncases; i++)
        used += src->cases[i].op != 0;
    if (!used)
        return;
    *cases = mb_alloc(c->b, used * sizeof **cases);
    for (size_t i = 0; i < src->ncases; i++)
        if (src->cases[i].op != 0)
            (*cases)[(*ncases)++] = src->cases[i];
}

/* ---- calls ------------------------------------------------------------- */

static void walk_children(ts_ctx *c, TSNode n)
{
    size_t first = ts_kids(c, n, true);
    size_t last = c->nkids;
    for (size_t i = first; i < last; i++)
        ts_expr(c, c->kids[i]);
    ts_kids_pop(c, first);
}

/* The task function's name: the identifier through casts, parens and &,
 * else the expression's text. */
static const char *spawn_callee(ts_ctx *c, TSNode e)
{
    TSNode s = ts_strip(c, e);
    return ts_kind(c, s) == TS_IDENTIFIER ? model_strdup(c->tu, ts_tmp(c, s)) : ts_obj_text(c, e);
}

/* For a call node: its callee's name (NULL when e is no plain call of a
 * function, e.g. a call through a variable) with any `_at` of a tt_ name
 * dropped, its API, and the kind of object it creates (MODEL_KIND_NONE for
 * calls that create none). */
static model_kind creation_kind(ts_ctx *c, TSNode e, const char **name, uint32_t *len, api *a)
{
    *name = NULL;
    *len = 0;
    *a = API_NONE;
    if (ts_kind(c, e) != TS_CALL)
        return MODEL_KIND_NONE;
    TSNode fid = ts_strip(c, ts_field(c, e, c->f_function));
    if (ts_kind(c, fid) != TS_IDENTIFIER || ts_find_var(c, fid))
        return MODEL_KIND_NONE;
    *name = ts_text(c, fid, len);
    if (*len > 6 && memcmp(*name, "tt_", 3) == 0 && memcmp(*name + *len - 3, "_at", 3) == 0)
        *len -= 3;
    *a = api_of(*name, *len);
    switch (*a) {
    case API_CHAN_NEW: return MODEL_KIND_CHAN;
    case API_TICKER_NEW: return MODEL_KIND_TICKER;
    case API_WITH_CANCEL:
    case API_WITH_TIMEOUT: return MODEL_KIND_CTX;
    default: return MODEL_KIND_NONE;
    }
}

/* A creation passed directly as a task's argument (`tt_spawn(f,
 * tt_chan_new(4, 0))`, through casts and parens) is made on the local object
 * "(spawn arg@L:C)", L:C the tt_spawn's loc, which the SPAWN then carries
 * (model.h): as ts_return_obj's "(return)". Else MODEL_NO_OBJ. Get-or-create:
 * the same object each time it is asked for. Not while probing, as nothing
 * is emitted then. (The same choice as clang's fe__spawn_arg_obj.) */
static model_obj_id spawn_arg_obj(ts_ctx *c, TSNode e, model_loc spawn, const char **text)
{
    if (c->probe)
        return MODEL_NO_OBJ;
    while (ts_kind(c, e) == TS_PAREN_EXPR || ts_kind(c, e) == TS_CAST)
        e = ts_kind(c, e) == TS_CAST ? ts_field(c, e, c->f_value) : ts_node_named_child(e, 0);
    const char *name;
    uint32_t len;
    api a;
    model_kind kind = creation_kind(c, e, &name, &len, &a);
    if (kind == MODEL_KIND_NONE)
        return MODEL_NO_OBJ;
    char obj[64];
    snprintf(obj, sizeof obj, "(spawn arg@%u:%u)", (unsigned)spawn.line, (unsigned)spawn.col);
    if (text)
        *text = model_strdup(c->tu, obj);
    return model_obj_local(c->tu, c->func, obj, kind, ts_loc(e));
}

static void api_call(ts_ctx *c, api a, TSNode call, size_t first, size_t nargs, model_obj_id target,
                     const char *target_text)
{
    TSNode a0 = nargs > 0 ? c->kids[first] : (TSNode){ 0 };
    TSNode a1 = nargs > 1 ? c->kids[first + 1] : (TSNode){ 0 };
    model_loc loc = ts_loc(call);
    /* objects first: mb_event's pointer is only valid until the next event */
    model_obj_id obj = MODEL_NO_OBJ, obj2 = MODEL_NO_OBJ;
    const char *text = NULL;
    int64_t num = 0;
    bool known = false;
    const char *callee = NULL;
    model_obj_id *args = NULL;
    const char **arg_texts = NULL;
    model_case *cases = NULL;
    size_t ncases = 0;
    TSNode num_arg = { 0 }; /* where num is written, constant or not */
    switch (a) {
    case API_SPAWN:
        callee = nargs > 0 ? spawn_callee(c, a0) : NULL;
        args = mb_alloc(c->b, sizeof *args);
        arg_texts = mb_alloc(c->b, sizeof *arg_texts);
        args[0] = nargs > 1 ? spawn_arg_obj(c, a1, loc, NULL) : MODEL_NO_OBJ;
        if (nargs > 1 && args[0] == MODEL_NO_OBJ)
            args[0] = ts_obj_of(c, a1, true);
        arg_texts[0] = nargs > 1 ? ts_obj_text(c, a1) : NULL;
        break;
    case API_SLEEP:
        known = nargs > 0 && ts_eval(c, a0, &num);
        num_arg = a0;
        break;
    case API_CHAN_NEW:
    case API_TICKER_NEW:
    case API_WITH_CANCEL:
    case API_WITH_TIMEOUT:
        obj = target;
        text = target_text;
        if (a == API_WITH_CANCEL || a == API_WITH_TIMEOUT)
            obj2 = nargs > 0 ? ts_obj_of(c, a0, true) : MODEL_NO_OBJ;
        if (a == API_TICKER_NEW) {
            known = nargs > 0 && ts_eval(c, a0, &num);
            num_arg = a0;
        } else if (a != API_WITH_CANCEL) {
            known = nargs > 1 && ts_eval(c, a1, &num);
            num_arg = a1;
        }
        break;
    case API_SELECT:
    case API_SELECT_DEFAULT:
        if (nargs > 0)
            select_cases(c, a0, &cases, &ncases);
        known = nargs > 1 && ts_eval(c, a1, &num); /* the count */
        num_arg = a1;
        break;
    case API_WG_ADD:
        known = nargs > 1 && ts_eval(c, a1, &num);
        num_arg = a1;
        /* fall through */
    default:
        if (nargs > 0) {
            obj = ts_obj_of(c, a0, true);
            text = ts_obj_text(c, a0);
        }
        break;
    }
    model_event *ev = event(c, event_of(a), loc);
    ev->obj = obj;
    ev->obj2 = obj2;
    ev->text = text;
    ev->num = num;
    if (known)
        ev->flags |= MODEL_EVF_NUM_KNOWN;
    if (a == API_WITH_TIMEOUT)
        ev->flags |= MODEL_EVF_TIMEOUT;
    if (!ts_node_is_null(num_arg)) {
        TSPoint b = ts_node_start_point(num_arg), e = ts_node_end_point(num_arg);
        ev->num_begin = (model_loc){ b.row + 1, b.column + 1 };
        ev->num_end = (model_loc){ e.row + 1, e.column + 1 };
    }
    ev->callee = callee;
    ev->args = args;
    ev->arg_texts = arg_texts;
    ev->nargs = args ? 1 : 0;
    ev->cases = cases;
    ev->ncases = ncases;
    ev->has_default = a == API_SELECT_DEFAULT;
}

/* Any other named call: a CALL event if the callee is defined in this file
 * or an argument holds a tether object (clang's fe__other_call). A CALL to
 * a function of this file names the place its result is stored into
 * (target) as its object. */
static void other_call(ts_ctx *c, TSNode call, const char *name, uint32_t len, size_t first, size_t nargs,
                       model_obj_id target, const char *target_text)
{
    bool here = ts_find(c, NS_FUNC, name, len, NULL, 0) != NULL;
    model_obj_id *args = nargs ? mb_alloc(c->b, nargs * sizeof *args) : NULL;
    bool any = false;
    for (size_t i = 0; i < nargs; i++) {
        TSNode a = c->kids[first + i];
        args[i] = ts_obj_of(c, a, false);
        if (args[i] != MODEL_NO_OBJ && (model_obj_kind(c->tu, args[i]) != MODEL_KIND_NONE ||
                                        ts_type_of_expr(c, ts_strip(c, a)).kind != MODEL_KIND_NONE))
            any = true;
    }
    if (!here && !any)
        return;
    const char **texts = nargs ? mb_alloc(c->b, nargs * sizeof *texts) : NULL;
    for (size_t i = 0; i < nargs; i++)
        texts[i] = ts_obj_text(c, c->kids[first + i]);
    char buf[256];
    if (len >= sizeof buf)
        len = sizeof buf - 1;
    memcpy(buf, name, len);
    buf[len] = '\0';
    model_event *ev = event(c, MODEL_EV_CALL, ts_loc(call));
    ev->callee = model_strdup(c->tu, buf);
    if (here && target != MODEL_NO_OBJ) {
        ev->obj = target;
        ev->text = target_text;
    }
    ev->args = args;
    ev->arg_texts = texts;
    ev->nargs = nargs;
}

static bool is_noreturn(ts_ctx *c, const char *name, uint32_t len)
{
    static const char *const known[] = { "exit", "abort", "_Exit", "quick_exit", "pthread_exit",
                                         "__builtin_unreachable", "__builtin_trap", "longjmp",
                                         "siglongjmp", "__assert_fail", "thrd_exit" };
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (strlen(known[i]) == len && memcmp(known[i], name, len) == 0)
            return true;
    return ts_find(c, NS_NORETURN, name, len, NULL, 0) != NULL;
}

/* Whether fid (a call's stripped function) names tt_spawn (or tt_spawn_at). */
static bool is_spawn(ts_ctx *c, TSNode fid)
{
    if (ts_kind(c, fid) != TS_IDENTIFIER || ts_find_var(c, fid))
        return false;
    uint32_t len;
    const char *name = ts_text(c, fid, &len);
    frontend_alias_apply(&name, &len);
    return (len == 8 || len == 11) && memcmp(name, "tt_spawn", 8) == 0 &&
           (len == 8 || memcmp(name + 8, "_at", 3) == 0);
}

static void call(ts_ctx *c, TSNode n, model_obj_id target, const char *target_text)
{
    /* the arguments are evaluated before the call */
    size_t nargs;
    size_t first = call_args(c, n, &nargs);
    TSNode fn = ts_field(c, n, c->f_function);
    TSNode fid = ts_strip(c, fn);
    /* tt_spawn(f, tt_chan_new(1, 0)): the creation is made on the SPAWN's
     * "(spawn arg@L:C)" object (spawn_arg_obj) */
    model_obj_id spawn_arg = MODEL_NO_OBJ;
    const char *spawn_text = NULL;
    if (nargs > 1 && is_spawn(c, fid))
        spawn_arg = spawn_arg_obj(c, c->kids[first + 1], ts_loc(n), &spawn_text);
    for (size_t i = 0; i < nargs; i++)
        ts_expr_target(c, c->kids[first + i], i == 1 ? spawn_arg : MODEL_NO_OBJ, i == 1 ? spawn_text : NULL);
    /* a call through a pointer (a variable, a field, an expression) has no
     * name: only its callee expression may hold events */
    if (ts_kind(c, fid) != TS_IDENTIFIER || ts_find_var(c, fid)) {
        ts_expr(c, fn);
        ts_kids_pop(c, first);
        return;
    }
    uint32_t len;
    const char *name = ts_text(c, fid, &len);
    if (len > 6 && memcmp(name, "tt_", 3) == 0 && memcmp(name + len - 3, "_at", 3) == 0)
        len -= 3; /* tt_send_at -> tt_send (any tt_ name, as clang's fe_api_name) */
    api a = api_of(name, len);
    if (a == API_CASE || a == API_OBJECT || a == API_OTHER) {
        /* no event */
    } else if (a != API_NONE) {
        api_call(c, a, n, first, nargs, target, target_text);
    } else if (len == 6 && memcmp(name, "assert", 6) == 0) {
        /* assert(x): only x is modeled, not the failure arm (as clang's
         * front end reads the macro's expansion, fe_walk.c) */
    } else if (is_noreturn(c, name, len)) {
        char buf[256];
        snprintf(buf, sizeof buf, "%.*s", (int)len, name);
        if (c->probe)
            c->probe_hit = true;
        else
            mb_noreturn(c->b, ts_loc(n), buf);
    } else {
        other_call(c, n, name, len, first, nargs, target, target_text);
    }
    ts_kids_pop(c, first);
}

/* A creation or a call to a function of this file returned directly
 * (`return tt_ticker_new(9);`, `return make_ticker();`) is made on the
 * local object "(return)" of the function, which the RETURN then carries
 * (model.h). Its text is "(return)" too, not the call's text: the event of
 * the call already says which call it is, and the place it is stored into
 * is the function's result. (The same choice as clang's fe__return_obj.)
 * A same-file call only when the function's result can hold an object (a
 * pointer or a struct), as for variables. */
model_obj_id ts_return_obj(ts_ctx *c, TSNode e)
{
    while (ts_kind(c, e) == TS_PAREN_EXPR || ts_kind(c, e) == TS_CAST)
        e = ts_kind(c, e) == TS_CAST ? ts_field(c, e, c->f_value) : ts_node_named_child(e, 0);
    TSNode arms[TS_MAX_ARMS];
    size_t n = ts_cond_arms(c, e, arms, TS_MAX_ARMS);
    for (size_t i = 0; i < n; i++) {
        /* `return x ? tt_chan_new(0, 1) : NULL;`: made in its arm */
        model_obj_id made = ts_return_obj(c, arms[i]);
        if (made != MODEL_NO_OBJ)
            return made;
    }
    const char *name;
    uint32_t len;
    api a;
    model_kind kind = creation_kind(c, e, &name, &len, &a);
    if (!name)
        return MODEL_NO_OBJ;
    if (kind == MODEL_KIND_NONE) { /* else a creation; or a same-file call's result: */
        if (a != API_NONE || !c->ret_object || (len == 6 && memcmp(name, "assert", 6) == 0) ||
            is_noreturn(c, name, len) || !ts_find(c, NS_FUNC, name, len, NULL, 0))
            return MODEL_NO_OBJ;
        kind = c->ret_kind;
    }
    return model_obj_local(c->tu, c->func, "(return)", kind, ts_loc(e));
}

/* ---- assignments ---------------------------------------------------------- */

static TSNode strip_parens(ts_ctx *c, TSNode n)
{
    for (;;) {
        ts_sym k = ts_kind(c, n);
        if (k == TS_PAREN_EXPR)
            n = ts_node_named_child(n, 0);
        else if (k == TS_CAST)
            n = ts_field(c, n, c->f_value);
        else
            return n;
    }
}

/* Where a store to place `lhs` makes the stored object outlive the call. */
static model_escape escape_of(ts_ctx *c, TSNode lhs)
{
    lhs = strip_parens(c, lhs);
    switch (ts_kind(c, lhs)) {
    case TS_FIELD_EXPR:
        return MODEL_ESCAPE_FIELD;
    case TS_POINTER_EXPR:
        return MODEL_ESCAPE_DEREF;
    case TS_SUBSCRIPT: {
        TSNode base = strip_parens(c, ts_field(c, lhs, c->f_argument));
        if (ts_type_of_expr(c, base).is_pointer)
            return MODEL_ESCAPE_DEREF;
        return escape_of(c, base);
    }
    case TS_IDENTIFIER: {
        ts_entry *v = ts_find_var(c, lhs);
        if (v && (v->ns == NS_GLOBAL || v->is_static_local))
            return MODEL_ESCAPE_GLOBAL;
        return MODEL_ESCAPE_NONE;
    }
    default:
        return MODEL_ESCAPE_NONE;
    }
}

static bool is_creation(ts_ctx *c, TSNode e)
{
    e = strip_parens(c, e);
    if (ts_kind(c, e) != TS_CALL)
        return false;
    TSNode fn = ts_strip(c, ts_field(c, e, c->f_function));
    if (ts_kind(c, fn) != TS_IDENTIFIER)
        return false;
    uint32_t len;
    const char *name = ts_text(c, fn, &len);
    api a = api_of(name, len);
    return a == API_CHAN_NEW || a == API_TICKER_NEW || a == API_WITH_CANCEL || a == API_WITH_TIMEOUT;
}

/* The object rhs (walked) stores into dest: the alias and the escape. */
static void store_one(ts_ctx *c, model_escape to, model_obj_id dest, bool pointer_dest, TSNode rhs,
                      model_loc loc)
{
    if (is_creation(c, rhs))
        return;
    model_obj_id v = ts_obj_of(c, rhs, pointer_dest);
    if (v == MODEL_NO_OBJ || c->tu->objs[v].scope == MODEL_SCOPE_NULL)
        return; /* a NULL store is no alias: it would merge every place set to NULL */
    /* `*out = c` stores into the pointee, not into `out`: no merge */
    if (dest != MODEL_NO_OBJ && to != MODEL_ESCAPE_DEREF)
        model_obj_alias(c->tu, dest, v);
    if (to == MODEL_ESCAPE_NONE)
        return;
    if (model_obj_kind(c->tu, v) == MODEL_KIND_NONE &&
        ts_type_of_expr(c, ts_strip(c, rhs)).kind == MODEL_KIND_NONE)
        return;
    model_event *ev = event(c, MODEL_EV_ESCAPE, loc);
    ev->obj = v;
    ev->text = ts_obj_text(c, rhs);
    ev->escape_to = to;
}

/* A store of rhs into dest that makes rhs's object outlive the call as
 * `to` says. */
static void store_esc(ts_ctx *c, model_escape to, model_obj_id dest, const char *dest_text,
                      bool pointer_dest, TSNode rhs, model_loc loc)
{
    ts_expr_target(c, rhs, dest, dest_text);
    TSNode arms[TS_MAX_ARMS];
    size_t n = ts_cond_arms(c, rhs, arms, TS_MAX_ARMS);
    if (n == 0) {
        store_one(c, to, dest, pointer_dest, rhs, loc);
        return;
    }
    /* `p = c ? a : b`: a store of each arm (creations made on dest by the
     * walk above, NULL arms skipped), each arm object's ESCAPE once (as
     * clang's fe__store_esc) */
    model_obj_id seen[TS_MAX_ARMS];
    size_t nseen = 0;
    for (size_t i = 0; i < n; i++) {
        model_obj_id v = is_creation(c, arms[i]) ? MODEL_NO_OBJ : ts_obj_of(c, arms[i], pointer_dest);
        bool dup = v == MODEL_NO_OBJ;
        for (size_t j = 0; j < nseen && !dup; j++)
            dup = seen[j] == v;
        if (dup)
            continue;
        seen[nseen++] = v;
        store_one(c, to, dest, pointer_dest, arms[i], loc);
    }
}

void ts_return_arms(ts_ctx *c, TSNode e, model_obj_id made, model_loc loc)
{
    TSNode arms[TS_MAX_ARMS];
    size_t n = ts_cond_arms(c, e, arms, TS_MAX_ARMS);
    for (size_t i = 0; i < n; i++)
        if (!is_creation(c, arms[i]))
            store_one(c, MODEL_ESCAPE_NONE, made, c->returns_pointer, arms[i], loc);
}

void ts_store(ts_ctx *c, TSNode lhs, model_obj_id dest, const char *dest_text, bool pointer_dest,
              TSNode rhs, model_loc loc)
{
    store_esc(c, ts_node_is_null(lhs) ? MODEL_ESCAPE_NONE : escape_of(c, lhs), dest, dest_text,
              pointer_dest, rhs, loc);
}

/* ---- initializer lists ------------------------------------------------------ *
 * `struct job j = { .ch = c, .wg = &wg }`, `{ c, &wg }`, `(struct job){ ... }`:
 * each field is stored into as `j.ch = c;` would be (alias and ESCAPE to a
 * field), the place written "j.ch" (compound literal ".ch", array element
 * "js[1].ch"), exactly as clang's fe__init. tether's own records (tt_case)
 * are not: every select would merge its channels. */

static const char *place(ts_ctx *c, const char *prefix, const char *field, uint32_t flen, long idx)
{
    char buf[256];
    if (field)
        snprintf(buf, sizeof buf, "%s.%.*s", prefix, (int)flen, field);
    else
        snprintf(buf, sizeof buf, "%s[%ld]", prefix, idx);
    return model_strdup(c->tu, buf);
}

static TSNode skip_parens(ts_ctx *c, TSNode n)
{
    while (ts_kind(c, n) == TS_PAREN_EXPR)
        n = ts_node_named_child(n, 0);
    return n;
}

/* value stored into field f of struct tag, its place written text */
static void init_field(ts_ctx *c, const char *tag, const ts_entry *f, const char *text, TSNode value,
                       model_loc loc)
{
    if (ts_kind(c, skip_parens(c, value)) == TS_INITIALIZER_LIST) {
        ts_init_list(c, skip_parens(c, value), f->type, text);
        return;
    }
    store_esc(c, MODEL_ESCAPE_FIELD, ts_field_obj(c, tag, f), text,
              f->type.is_pointer || f->type.kind != MODEL_KIND_NONE, value, loc);
}

static void init_record(ts_ctx *c, TSNode list, const char *tag, const char *prefix)
{
    uint32_t taglen = (uint32_t)strlen(tag), next = 0;
    size_t first = ts_kids(c, list, true);
    size_t last = c->nkids;
    for (size_t i = first; i < last; i++) {
        TSNode item = c->kids[i];
        if (ts_kind(c, item) == TS_COMMENT)
            continue;
        model_loc loc = ts_loc(item);
        if (ts_kind(c, item) != TS_INITIALIZER_PAIR) {
            ts_entry *at = ts_find(c, NS_FIELD_AT, tag, taglen, (const char *)&next, sizeof next);
            if (!at) {
                ts_expr(c, item);
                continue;
            }
            next++;
            init_field(c, tag, at->field, place(c, prefix, at->field->key2, at->field->len2, 0), item,
                       loc);
            continue;
        }
        /* .a.b = v: the designators, then the value */
        TSNode value = ts_field(c, item, c->f_value);
        const char *cur = tag, *holder = tag, *text = prefix;
        const ts_entry *f = NULL;
        bool ok = true, top = true;
        size_t d0 = ts_kids(c, item, true);
        for (size_t j = d0; j < c->nkids && ok; j++) {
            if (c->kid_fields[j] != c->f_designator)
                continue;
            TSNode d = c->kids[j];
            TSNode fname = ts_node_named_child(d, 0);
            if (ts_kind(c, d) != TS_FIELD_DESIGNATOR || ts_node_is_null(fname) || !cur) {
                ok = false;
                break;
            }
            uint32_t len;
            const char *s = ts_text(c, fname, &len);
            f = ts_find(c, NS_STRUCT_FIELD, cur, (uint32_t)strlen(cur), s, len);
            if (!f) {
                ok = false;
                break;
            }
            if (top)
                next = (uint32_t)f->value + 1;
            top = false;
            text = place(c, text, s, len, 0);
            holder = cur;
            cur = f->type.tag;
        }
        ts_kids_pop(c, d0);
        if (ok && f)
            init_field(c, holder, f, text, value, loc);
        else
            ts_expr(c, value);
    }
    ts_kids_pop(c, first);
}

void ts_init_list(ts_ctx *c, TSNode list, ts_type t, const char *prefix)
{
    bool tether = t.is_case || t.kind != MODEL_KIND_NONE || (t.tag && strncmp(t.tag, "tt_", 3) == 0);
    if (t.is_array) {
        ts_type el = t;
        el.is_array = false;
        el.is_record = t.tag != NULL;
        long idx = 0;
        size_t first = ts_kids(c, list, true);
        size_t last = c->nkids;
        for (size_t i = first; i < last; i++, idx++) {
            TSNode value = c->kids[i];
            if (ts_kind(c, value) == TS_COMMENT) {
                idx--;
                continue;
            }
            if (ts_kind(c, value) == TS_INITIALIZER_PAIR) {
                TSNode d = ts_field(c, value, c->f_designator);
                int64_t at;
                if (ts_kind(c, d) == TS_SUBSCRIPT_DESIGNATOR) {
                    TSNode ix = ts_node_named_child(d, 0);
                    if (ts_eval(c, ix, &at))
                        idx = (long)at;
                    ts_expr(c, ix);
                }
                value = ts_field(c, value, c->f_value);
            }
            if (ts_kind(c, skip_parens(c, value)) == TS_INITIALIZER_LIST)
                ts_init_list(c, skip_parens(c, value), el, place(c, prefix, NULL, 0, idx));
            else
                ts_expr(c, value);
        }
        ts_kids_pop(c, first);
    } else if (t.is_record && !t.is_pointer && t.tag && !tether) {
        init_record(c, list, t.tag, prefix);
    } else {
        walk_children(c, list);
    }
}

static void assign(ts_ctx *c, TSNode n)
{
    TSNode lhs = ts_field(c, n, c->f_left), rhs = ts_field(c, n, c->f_right);
    TSNode op = ts_field(c, n, c->f_operator);
    ts_expr(c, lhs);
    if (!ts_text_is(c, op, "=")) {
        ts_expr(c, rhs);
        ts_sel_store(c, lhs, (TSNode){ 0 }); /* `r += x`: no select's result any more */
        return;
    }
    ts_record_case_store(c, lhs, rhs);
    model_obj_id dest = ts_obj_of(c, lhs, false);
    const char *dest_text = dest != MODEL_NO_OBJ ? ts_obj_text(c, lhs) : NULL;
    ts_type lt = ts_type_of_expr(c, lhs);
    ts_store(c, lhs, dest, dest_text, lt.is_pointer || lt.kind != MODEL_KIND_NONE, rhs, ts_loc(n));
    ts_sel_store(c, lhs, rhs);
}

/* ---- conditional evaluation ----------------------------------------------- *
 * `c ? a : b`, `a && b` and `a || b` evaluate an arm only on some paths. An
 * arm that emits events is lowered to a branch (mb_if / mb_else); arms
 * without events stay straight-line code, so plain expressions add no
 * blocks. The outermost such expression is probed once (walked with
 * c->probe set, nothing emitted), which records the arms of every
 * conditional inside it in c->arms; nested ones find their entry, so each
 * node is walked at most twice (as clang's fe__branch). */

static size_t arm_hash(const void *id)
{
    uintptr_t h = (uintptr_t)id;
    h ^= h >> 17;
    h *= (uintptr_t)0x9E3779B97F4A7C15u;
    return (size_t)(h ^ (h >> 29));
}

static ts_arm_memo *arm_slot(ts_ctx *c, TSNode n, bool create)
{
    if (create && (c->narms + 1) * 2 > c->caparms) {
        size_t cap = c->caparms ? c->caparms * 2 : 64;
        ts_arm_memo *old = c->arms;
        size_t oldcap = c->caparms;
        c->arms = xcalloc(cap, sizeof *c->arms);
        c->caparms = cap;
        c->narms = 0;
        for (size_t i = 0; i < oldcap; i++) {
            if (old[i].gen != c->gen)
                continue;
            size_t j = arm_hash(old[i].id) & (cap - 1);
            while (c->arms[j].gen == c->gen)
                j = (j + 1) & (cap - 1);
            c->arms[j] = old[i];
            c->narms++;
        }
        free(old);
    }
    if (!c->caparms)
        return NULL;
    size_t j = arm_hash(n.id) & (c->caparms - 1);
    while (c->arms[j].gen == c->gen) {
        if (c->arms[j].id == n.id)
            return &c->arms[j];
        j = (j + 1) & (c->caparms - 1);
    }
    if (!create)
        return NULL;
    c->arms[j] = (ts_arm_memo){ n.id, c->gen, 0 };
    c->narms++;
    return &c->arms[j];
}

static bool probe_arm(ts_ctx *c, TSNode a)
{
    bool saved = c->probe_hit;
    c->probe_hit = false;
    ts_expr(c, a);
    bool hit = c->probe_hit;
    c->probe_hit = saved || hit;
    return hit;
}

static unsigned arms(ts_ctx *c, TSNode n, TSNode a0, TSNode a1)
{
    if (c->probe) {
        unsigned mask = (probe_arm(c, a0) ? 1u : 0u) | (probe_arm(c, a1) ? 2u : 0u);
        arm_slot(c, n, true)->mask = (unsigned char)mask;
        return mask;
    }
    ts_arm_memo *m = arm_slot(c, n, false);
    if (m)
        return m->mask;
    c->probe = true;
    c->probe_hit = false;
    unsigned mask = arms(c, n, a0, a1);
    c->probe = false;
    c->probe_hit = false;
    return mask;
}

/* The arms of conditional n whose condition was walked (a1 null: the right
 * operand of && / ||, in the `?` slot). */
static void branch(ts_ctx *c, TSNode n, TSNode a0, TSNode a1, model_obj_id target,
                   const char *target_text)
{
    unsigned mask = arms(c, n, a0, a1);
    if (c->probe)
        return;
    if (mask == 0) {
        ts_expr_target(c, a0, target, target_text);
        ts_expr_target(c, a1, target, target_text);
        return;
    }
    mb_if(c->b);
    ts_expr_target(c, a0, target, target_text);
    if (mask & 2u) {
        mb_else(c->b);
        ts_expr_target(c, a1, target, target_text);
        mb_end_if(c->b);
    } else {
        mb_end_if(c->b);
        ts_expr_target(c, a1, target, target_text); /* no events: only its aliases */
    }
}

/* target: where the value is stored (a creation in an arm is made on it) */
static void conditional(ts_ctx *c, TSNode n, model_obj_id target, const char *target_text)
{
    TSNode cond = ts_field(c, n, c->f_condition);
    TSNode a0 = ts_field(c, n, c->f_consequence);
    TSNode a1 = ts_field(c, n, c->f_alternative);
    if (ts_node_is_null(a0)) { /* GNU `x ?: y`: as x || y, both stored */
        ts_expr_target(c, cond, target, target_text);
        branch(c, n, a1, (TSNode){ 0 }, target, target_text);
    } else {
        ts_expr(c, cond);
        branch(c, n, a0, a1, target, target_text);
    }
}

static void binary(ts_ctx *c, TSNode n)
{
    TSNode op = ts_field(c, n, c->f_operator);
    if (!ts_text_is(c, op, "&&") && !ts_text_is(c, op, "||")) {
        walk_children(c, n);
        return;
    }
    ts_expr(c, ts_field(c, n, c->f_left));
    branch(c, n, ts_field(c, n, c->f_right), (TSNode){ 0 }, MODEL_NO_OBJ, NULL);
}

/* ---- the walk ------------------------------------------------------------- */

void ts_expr_target(ts_ctx *c, TSNode n, model_obj_id target, const char *target_text)
{
    if (ts_node_is_null(n))
        return;
    switch (ts_kind(c, n)) {
    case TS_CALL:
        call(c, n, target, target_text);
        return;
    case TS_ASSIGNMENT:
        assign(c, n);
        return;
    case TS_CONDITIONAL:
        conditional(c, n, target, target_text);
        return;
    case TS_COMPOUND_LITERAL: {
        TSNode td = ts_field(c, n, c->f_type), name;
        ts_type t = ts_declarator(c, ts_field(c, td, c->f_declarator),
                                  ts_type_of_spec(c, ts_field(c, td, c->f_type)), &name, NULL);
        TSNode list = ts_field(c, n, c->f_value);
        if (ts_kind(c, list) == TS_INITIALIZER_LIST)
            ts_init_list(c, list, t, "");
        else
            walk_children(c, n);
        return;
    }
    case TS_BINARY:
        binary(c, n);
        return;
    case TS_UPDATE: /* `r++`: no select's result any more */
        walk_children(c, n);
        ts_sel_store(c, ts_field(c, n, c->f_argument), (TSNode){ 0 });
        return;
    case TS_PAREN_EXPR:
    case TS_CAST: {
        TSNode in = ts_kind(c, n) == TS_CAST ? ts_field(c, n, c->f_value) : ts_node_named_child(n, 0);
        if (ts_kind(c, in) == TS_COMPOUND_STATEMENT) {
            ts_stmt_expr(c, in); /* GNU statement expression */
            return;
        }
        ts_expr_target(c, in, target, target_text);
        return;
    }
    case TS_SIZEOF:
    case TS_IDENTIFIER:
    case TS_NUMBER:
    case TS_FIELD_IDENTIFIER:
    case TS_COMMENT:
    case TS_TYPE_DESCRIPTOR:
        return;
    default:
        walk_children(c, n);
        return;
    }
}

void ts_expr(ts_ctx *c, TSNode n)
{
    ts_expr_target(c, n, MODEL_NO_OBJ, NULL);
}
