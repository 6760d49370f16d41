/* ts_expr.c — expressions in evaluation order: tether API calls become
 * events, every other call a CALL (callee and argument objects for
 * same-file calls and calls passing objects), exit() and friends end the
 * path, assignments alias places, record escapes and become ASSIGN events.
 * The walk returns each expression's value (model.h, "Values"), built
 * bottom-up as it goes: operands of events, RESULTs of calls and
 * assignments, INITs of initializers, conditions of the branches it builds.
 * While probing (c->probe) it builds no values and returns NULL. */
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

/* Each API with its own parameters: how many (an `_at` variant's call-site
 * arguments come after them) and which are integers (bit i; the others are
 * pointers, where a 0 is NULL). */
static const struct { const char *name; api id; unsigned char arity, ints; } api_names[] = {
    { "tt_spawn", API_SPAWN, 2, 0 }, { "tt_sleep_ms", API_SLEEP, 1, 1 },
    { "tt_chan_new", API_CHAN_NEW, 2, 3 }, { "tt_send", API_SEND, 2, 0 },
    { "tt_recv", API_RECV, 2, 0 }, { "tt_close", API_CLOSE, 1, 0 },
    { "tt_chan_free", API_CHAN_FREE, 1, 0 }, { "tt_select", API_SELECT, 2, 2 },
    { "tt_select_default", API_SELECT_DEFAULT, 2, 2 },
    { "tt_ctx_with_cancel", API_WITH_CANCEL, 1, 0 },
    { "tt_ctx_with_timeout", API_WITH_TIMEOUT, 2, 2 }, { "tt_ctx_cancel", API_CANCEL, 1, 0 },
    { "tt_ctx_err", API_ERR, 1, 0 }, { "tt_ticker_new", API_TICKER_NEW, 1, 1 },
    { "tt_ticker_stop", API_TICKER_STOP, 1, 0 }, { "tt_wg_add", API_WG_ADD, 2, 2 },
    { "tt_wg_done", API_WG_DONE, 1, 0 }, { "tt_wg_wait", API_WG_WAIT, 1, 0 },
    { "tt_mutex_lock", API_LOCK, 1, 0 }, { "tt_mutex_unlock", API_UNLOCK, 1, 0 },
    { "tt_ctx_done", API_OBJECT, 1, 0 }, { "tt_ticker_chan", API_OBJECT, 1, 0 },
    { "tt_after", API_OBJECT, 1, 1 }, { "tt_ctx_background", API_OBJECT, 0, 0 },
    { "tt_chan_len", API_OTHER, 1, 0 }, { "tt_chan_cap", API_OTHER, 1, 0 },
    /* tt_verify_none is neither an event nor a value: a CALL (other_call) */
    { "TT_RECV", API_CASE, 2, 0 }, { "TT_SEND", API_CASE, 2, 0 },
};

/* The API a name (with any `_at` of a tt_ name dropped) calls; *arity and
 * *ints (if not NULL) its parameters as in api_names. */
static api api_shape(const char *name, uint32_t len, unsigned *arity, unsigned *ints)
{
    frontend_alias_apply(&name, &len); /* a wrapper of .tether.yml's aliases: the API name */
    if (len < 7 || (name[0] != 't' && name[0] != 'T') || name[2] != '_')
        return API_NONE; /* every name below is tt_... or TT_... */
    if (len > 6 && memcmp(name, "tt_", 3) == 0 && memcmp(name + len - 3, "_at", 3) == 0)
        len -= 3;
    for (size_t i = 0; i < sizeof api_names / sizeof *api_names; i++)
        if (strlen(api_names[i].name) == len && memcmp(api_names[i].name, name, len) == 0) {
            if (arity)
                *arity = api_names[i].arity;
            if (ints)
                *ints = api_names[i].ints;
            return api_names[i].id;
        }
    return API_NONE;
}

static api api_of(const char *name, uint32_t len)
{
    return api_shape(name, len, NULL, NULL);
}

bool ts_tether_function(const char *name, uint32_t len)
{
    api a = api_of(name, len);
    if (a != API_NONE)
        return a != API_CASE;
    if (len > 6 && memcmp(name + len - 3, "_at", 3) == 0)
        len -= 3;
    return len == 14 && memcmp(name, "tt_verify_none", 14) == 0;
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
    if (c->values_only) { /* a global's initializer: no events (none expected) */
        memset(&c->probe_ev, 0, sizeof c->probe_ev);
        return &c->probe_ev;
    }
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
/* The channel and element values of a case from its value v (the INIT
 * the walk built: {.op, .ch, .elem, ...}). */
static void case_vals(const model_val *v, model_case *out)
{
    out->ch = out->elem = NULL;
    if (!v || v->kind != MODEL_VAL_INIT)
        return;
    for (size_t i = 0; i < v->nsub; i++) {
        const char *d = v->names[i];
        if (d && strcmp(d, ".ch") == 0)
            out->ch = v->sub[i];
        else if (d && strcmp(d, ".elem") == 0)
            out->elem = v->sub[i];
    }
}

static bool make_case(ts_ctx *c, TSNode e, const model_val *v, model_case *out)
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
    case_vals(v, out);
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

/* Cases of an initializer list, by position (clang's fe__collect_init);
 * init: the list's INIT value, element k for the k-th item. */
static void collect_cases(ts_ctx *c, ts_entry *var, TSNode list, const model_val *init)
{
    size_t first = ts_kids(c, list, true);
    size_t last = c->nkids, idx = 0, k = 0;
    for (size_t i = first; i < last; i++) {
        TSNode item = c->kids[i];
        if (ts_kind(c, item) == TS_COMMENT)
            continue;
        const model_val *iv = init && init->kind == MODEL_VAL_INIT && k < init->nsub ? init->sub[k] : NULL;
        k++;
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
        if (make_case(c, item, iv, &mc))
            put_case(c, var, idx, &mc);
        idx++;
    }
    ts_kids_pop(c, first);
}

void ts_record_case_init(ts_ctx *c, ts_entry *var, TSNode value, model_val *init_val)
{
    while (ts_kind(c, value) == TS_PAREN_EXPR)
        value = ts_node_named_child(value, 0);
    if (ts_kind(c, value) == TS_INITIALIZER_LIST)
        collect_cases(c, var, value, init_val);
}

/* The local case array and index `cs[K]` writes, or NULL. */
static ts_entry *case_slot(ts_ctx *c, TSNode lhs, int64_t *idx)
{
    while (ts_kind(c, lhs) == TS_PAREN_EXPR || ts_kind(c, lhs) == TS_CAST)
        lhs = ts_kind(c, lhs) == TS_CAST ? ts_field(c, lhs, c->f_value) : ts_node_named_child(lhs, 0);
    if (ts_kind(c, lhs) != TS_SUBSCRIPT)
        return NULL;
    TSNode arr = ts_strip(c, ts_field(c, lhs, c->f_argument));
    if (ts_kind(c, arr) != TS_IDENTIFIER)
        return NULL;
    ts_entry *v = ts_find_var(c, arr);
    if (!v || v->ns != NS_LOCAL || !ts_eval(c, ts_field(c, lhs, c->f_index), idx) || *idx < 0)
        return NULL;
    return v;
}

/* After the walk of `cs[K] = TT_RECV(...)` (recorded by
 * ts_record_case_store before it): the case's values from rhs_val. */
static void case_store_vals(ts_ctx *c, TSNode lhs, const model_val *rhs_val)
{
    int64_t idx;
    ts_entry *v = case_slot(c, lhs, &idx);
    if (v && (uint64_t)idx < v->ncases && v->cases[idx].op != 0)
        case_vals(rhs_val, &v->cases[idx]);
}

bool ts_record_case_store(ts_ctx *c, TSNode lhs, TSNode rhs, model_val *rhs_val)
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
        !make_case(c, rhs, rhs_val, &mc))
        return false;
    put_case(c, v, (size_t)idx, &mc);
    return true;
}

static void select_cases(ts_ctx *c, TSNode arg, const model_val *argv, model_case **cases,
                         size_t *ncases)
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
        while (argv && (argv->kind == MODEL_VAL_ADDR || argv->kind == MODEL_VAL_DEREF))
            argv = argv->sub[0];
        collect_cases(c, &tmp, ts_field(c, s, c->f_value), argv);
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

/* An API event; vals: its nvals argument values (NULL while probing).
 * Returns its RESULT. */
static model_val *api_call(ts_ctx *c, api a, TSNode call, size_t first, size_t nargs, model_obj_id target,
                           const char *target_text, model_val **vals, size_t nvals)
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
            select_cases(c, a0, vals && nvals > 0 ? vals[0] : NULL, &cases, &ncases);
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
    if (c->probe)
        return NULL;
    ev->vals = vals;
    ev->nvals = nvals;
    if (a == API_SPAWN && nvals > 0)
        ev->fn = vals[0];
    return mv_result(c->tu, ev->id);
}

/* Any other named call: a CALL event with its callee as fn (FUNC name) and
 * its argument values. The callee's name and the arguments' objects only if
 * the callee is defined in this file or an argument holds a tether object
 * (clang's fe__other_call); a CALL to a function of this file then names
 * the place its result is stored into (target) as its object. Returns its
 * RESULT. */
static model_val *other_call(ts_ctx *c, TSNode call, const char *name, uint32_t len, size_t first,
                             size_t nargs, model_obj_id target, const char *target_text,
                             model_val **vals)
{
    bool here = ts_find(c, NS_FUNC, name, len, NULL, 0) != NULL;
    model_obj_id *args = nargs ? mb_alloc(c->b, nargs * sizeof *args) : NULL;
    bool any = false;
    uint64_t ptrs = 0; /* a 0 passed to a pointer parameter is NULL (clang's implicit cast) */
    bool ptrs_known = false;
    for (size_t i = 0; i < nargs; i++) {
        TSNode a = c->kids[first + i];
        bool pointer = false;
        if (i < 64 && ts_kind(c, ts_strip(c, a)) == TS_NUMBER) {
            if (!ptrs_known) {
                ts_entry *p = ts_find(c, NS_PROTO, name, len, NULL, 0);
                ptrs = p ? ts_val_ptr_params(c, p) : 0;
                ptrs_known = true;
            }
            pointer = (ptrs >> i) & 1u;
        }
        args[i] = ts_obj_of(c, a, pointer);
        if (args[i] != MODEL_NO_OBJ && (model_obj_kind(c->tu, args[i]) != MODEL_KIND_NONE ||
                                        ts_type_of_expr(c, ts_strip(c, a)).kind != MODEL_KIND_NONE))
            any = true;
    }
    const char **texts = NULL;
    if (here || any) {
        texts = nargs ? mb_alloc(c->b, nargs * sizeof *texts) : NULL;
        for (size_t i = 0; i < nargs; i++)
            texts[i] = ts_obj_text(c, c->kids[first + i]);
    }
    char buf[256];
    if (len >= sizeof buf)
        len = sizeof buf - 1;
    memcpy(buf, name, len);
    buf[len] = '\0';
    model_event *ev = event(c, MODEL_EV_CALL, ts_loc(call));
    if (c->probe)
        return NULL;
    if (here || any) {
        ev->callee = model_strdup(c->tu, buf);
        if (here && target != MODEL_NO_OBJ) {
            ev->obj = target;
            ev->text = target_text;
        }
        ev->args = args;
        ev->arg_texts = texts;
        ev->nargs = nargs;
    }
    /* what clang sees of <stdarg.h>'s macros */
    static const char *const builtins[][2] = { { "va_start", "__builtin_va_start" },
                                               { "va_end", "__builtin_va_end" },
                                               { "va_copy", "__builtin_va_copy" } };
    const char *fname = buf;
    for (size_t i = 0; i < sizeof builtins / sizeof *builtins; i++)
        if (strcmp(buf, builtins[i][0]) == 0 && !here)
            fname = builtins[i][1];
    ev->fn = mv_func(c->tu, fname);
    ev->vals = vals;
    ev->nvals = nargs;
    return mv_result(c->tu, ev->id);
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

static bool has_prefix(const char *s, uint32_t len, const char *p)
{
    size_t n = strlen(p);
    return len >= n && memcmp(s, p, n) == 0;
}

/* Atomic operations as memory operations (the lead's note in
 * notes/values.md): C11 atomic_* / atomic_*_explicit, clang's
 * __c11_atomic_*, GNU __atomic_* and __sync_* builtins, whatever the
 * spelling. */
typedef enum atomic_kind {
    AT_NONE,     /* not one: a call */
    AT_FENCE,    /* nothing */
    AT_LOAD,     /* value *p */
    AT_LOAD_GEN, /* GNU __atomic_load(p, ret, o): *ret = *p */
    AT_STORE,    /* *p = v */
    AT_STORE_GEN,/* GNU __atomic_store(p, vp, o): *p = *vp */
    AT_STORE_K,  /* *p = k (clear, lock_release: 0; test_and_set: 1, value UNKNOWN) */
    AT_FETCH,    /* *p = *p op v, value the old *p (add, sub) or UNKNOWN */
    AT_OP_FETCH, /* *p = *p op v, value the new *p */
    AT_EXCHANGE, /* *p = v, value UNKNOWN */
    AT_CAS,      /* *p = ?, value UNKNOWN */
} atomic_kind;

static bool strip_prefix(const char **s, uint32_t *len, const char *p)
{
    size_t n = strlen(p);
    if (*len < n || memcmp(*s, p, n) != 0)
        return false;
    *s += n;
    *len -= (uint32_t)n;
    return true;
}

static bool strip_suffix(const char *s, uint32_t *len, const char *p)
{
    size_t n = strlen(p);
    if (*len < n || memcmp(s + *len - n, p, n) != 0)
        return false;
    *len -= (uint32_t)n;
    return true;
}

static bool word_is(const char *s, uint32_t len, const char *w)
{
    return strlen(w) == len && memcmp(s, w, len) == 0;
}

/* The operator of an arithmetic word ("add", "sub", "or", "and", "xor");
 * MODEL_OP_NONE for others (nand, min, max). */
static model_op atomic_op(const char *s, uint32_t len)
{
    return word_is(s, len, "add") ? MODEL_OP_ADD : word_is(s, len, "sub") ? MODEL_OP_SUB
         : word_is(s, len, "or") ? MODEL_OP_BITOR : word_is(s, len, "and") ? MODEL_OP_BITAND
         : word_is(s, len, "xor") ? MODEL_OP_BITXOR : MODEL_OP_NONE;
}

/* Which atomic operation a call's name is (*op, *k for some kinds); not a
 * function this file declares under such a name. */
static atomic_kind atomic_of(ts_ctx *c, const char *name, uint32_t len, model_op *op, int *k)
{
    const char *s = name;
    uint32_t n = len;
    *op = MODEL_OP_NONE;
    *k = 0;
    bool gnu = false, sync = false;
    if (strip_prefix(&s, &n, "__c11_atomic_") || strip_prefix(&s, &n, "atomic_")) {
        strip_suffix(s, &n, "_explicit");
    } else if (strip_prefix(&s, &n, "__atomic_")) {
        gnu = !strip_suffix(s, &n, "_n");
    } else if (strip_prefix(&s, &n, "__sync_")) {
        sync = true;
    } else {
        return AT_NONE;
    }
    if (ts_find(c, NS_PROTO, name, len, NULL, 0))
        return AT_NONE;
    if (word_is(s, n, "thread_fence") || word_is(s, n, "signal_fence") || word_is(s, n, "synchronize"))
        return AT_FENCE;
    if (word_is(s, n, "load"))
        return gnu ? AT_LOAD_GEN : AT_LOAD;
    if (word_is(s, n, "store") || word_is(s, n, "init"))
        return gnu ? AT_STORE_GEN : AT_STORE;
    if (word_is(s, n, "clear") || word_is(s, n, "flag_clear") || word_is(s, n, "lock_release"))
        return AT_STORE_K;
    if (word_is(s, n, "test_and_set") || word_is(s, n, "flag_test_and_set") ||
        word_is(s, n, "lock_test_and_set")) {
        *k = 1;
        return word_is(s, n, "lock_test_and_set") ? AT_EXCHANGE : AT_STORE_K;
    }
    if (word_is(s, n, "exchange"))
        return AT_EXCHANGE;
    if (has_prefix(s, n, "compare_exchange") || word_is(s, n, "bool_compare_and_swap") ||
        word_is(s, n, "val_compare_and_swap"))
        return AT_CAS;
    const char *w = s;
    uint32_t wn = n;
    if (strip_prefix(&w, &wn, sync ? "fetch_and_" : "fetch_")) {
        *op = atomic_op(w, wn);
        return AT_FETCH;
    }
    if (strip_suffix(s, &n, sync ? "_and_fetch" : "_fetch")) {
        *op = atomic_op(s, n);
        return AT_OP_FETCH;
    }
    return AT_NONE; /* is_lock_free and the rest: calls */
}

/* An atomic operation's events and value; vals: its nargs argument values
 * (NULL while probing). */
static model_val *atomic_call(ts_ctx *c, TSNode call, atomic_kind kind, model_op op, int k,
                              model_val **vals, size_t nargs)
{
    if (kind == AT_FENCE || kind == AT_LOAD)
        return c->probe ? NULL : kind == AT_LOAD ? mv_deref(c->tu, nargs ? vals[0] : NULL) : mv_unknown(c->tu);
    model_loc loc = ts_loc(call);
    if (c->probe)
        return ts_assign_event(c, loc, NULL, NULL);
    model_val *p = nargs > 0 ? vals[0] : NULL, *v = nargs > 1 ? vals[1] : NULL;
    model_val *at = mv_deref(c->tu, p);
    switch (kind) {
    case AT_LOAD_GEN:
        ts_assign_event(c, loc, mv_deref(c->tu, v), at);
        return mv_unknown(c->tu);
    case AT_STORE:
        ts_assign_event(c, loc, at, v);
        return mv_unknown(c->tu);
    case AT_STORE_GEN:
        ts_assign_event(c, loc, at, mv_deref(c->tu, v));
        return mv_unknown(c->tu);
    case AT_STORE_K:
        ts_assign_event(c, loc, at, mv_int(c->tu, k));
        return mv_unknown(c->tu);
    case AT_EXCHANGE:
        ts_assign_event(c, loc, at, k ? mv_int(c->tu, k) : v);
        return mv_unknown(c->tu);
    case AT_CAS:
        ts_assign_event(c, loc, at, mv_unknown(c->tu));
        return mv_unknown(c->tu);
    case AT_FETCH:
    case AT_OP_FETCH: {
        model_val *r = ts_assign_event(c, loc, at, op == MODEL_OP_NONE ? mv_unknown(c->tu)
                                                                        : mv_binop(c->tu, op, at, v));
        if (kind == AT_OP_FETCH && op != MODEL_OP_NONE)
            return r;
        if (op == MODEL_OP_ADD || op == MODEL_OP_SUB)
            return mv_binop(c->tu, op == MODEL_OP_ADD ? MODEL_OP_SUB : MODEL_OP_ADD, r, v);
        return mv_unknown(c->tu);
    }
    default:
        return mv_unknown(c->tu);
    }
}

/* glibc's <ctype.h> classifiers are macros in C: `isspace(c)` is
 * `((*__ctype_b_loc ())[(int) (c)] & (unsigned short int) _ISspace)`. */
static bool is_ctype_macro(ts_ctx *c, const char *name, uint32_t len)
{
    static const char *const names[] = { "isalnum", "isalpha", "iscntrl", "isdigit",
                                         "islower", "isgraph", "isprint", "ispunct",
                                         "isspace", "isupper", "isxdigit", "isblank" };
    if (len < 7 || len > 8 || name[0] != 'i' || name[1] != 's')
        return false;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (word_is(name, len, names[i]))
            return !ts_find(c, NS_PROTO, name, len, NULL, 0);
    return false;
}

/* What clang sees of that expansion: the CALL of __ctype_b_loc, then the
 * argument's events; the value UNKNOWN (libclang cannot tell the
 * operators inside a macro's body). */
static model_val *ctype_value(ts_ctx *c, TSNode call)
{
    model_event *ev = event(c, MODEL_EV_CALL, ts_loc(call));
    if (!c->probe && !c->values_only)
        ev->fn = mv_func(c->tu, "__ctype_b_loc");
    walk_children(c, ts_field(c, call, c->f_arguments));
    return c->probe ? NULL : mv_unknown(c->tu);
}

/* The value of TT_RECV(ch, out) / TT_SEND(ch, in): the macro's compound
 * literal `(tt_case){ op, (ch), (void *)(out), false }`. */
static model_val *case_value(ts_ctx *c, int op, model_val **vals, size_t nvals)
{
    static const char *const fields[] = { ".op", ".ch", ".elem", ".ok" };
    model_val *v = mv_init(c->tu, 4);
    mv_init_set(c->tu, v, 0, fields[0], mv_int(c->tu, op));
    mv_init_set(c->tu, v, 1, fields[1], ts_val_ptr(c, nvals > 0 ? vals[0] : NULL));
    mv_init_set(c->tu, v, 2, fields[2], ts_val_ptr(c, nvals > 1 ? vals[1] : NULL));
    mv_init_set(c->tu, v, 3, fields[3], mv_int(c->tu, 0));
    return v;
}

/* Calls: the arguments in order, then the callee expression (a call through
 * a pointer), then the call's event; returns the call's value. */
static model_val *call(ts_ctx *c, TSNode n, model_obj_id target, const char *target_text)
{
    TSNode fn = ts_field(c, n, c->f_function);
    TSNode fid = ts_strip(c, fn);
    /* a call through a pointer (a variable, a field, an expression) has no
     * name: fn is its callee expression's value */
    bool named = ts_kind(c, fid) == TS_IDENTIFIER && !ts_find_var(c, fid);
    uint32_t len = 0;
    const char *name = named ? ts_text(c, fid, &len) : NULL;
    if (named && len == 6 && memcmp(name, "va_arg", 6) == 0)
        return c->probe ? NULL : mv_unknown(c->tu); /* a type as argument: clang's VAArgExpr */
    model_op aop = MODEL_OP_NONE;
    int ak = 0;
    atomic_kind atomic = named ? atomic_of(c, name, len, &aop, &ak) : AT_NONE;
    if (named && is_ctype_macro(c, name, len))
        return ctype_value(c, n);
    if (c->values_only) { /* no call in a constant initializer: nothing to model */
        walk_children(c, ts_field(c, n, c->f_arguments));
        return mv_unknown(c->tu);
    }
    /* the arguments are evaluated before the call */
    size_t nargs;
    size_t first = call_args(c, n, &nargs);
    /* tt_spawn(f, tt_chan_new(1, 0)): the creation is made on the SPAWN's
     * "(spawn arg@L:C)" object (spawn_arg_obj) */
    model_obj_id spawn_arg = MODEL_NO_OBJ;
    const char *spawn_text = NULL;
    if (nargs > 1 && is_spawn(c, fid))
        spawn_arg = spawn_arg_obj(c, c->kids[first + 1], ts_loc(n), &spawn_text);
    model_val **vals = !c->probe && nargs ? mv_array(c->tu, nargs) : NULL;
    for (size_t i = 0; i < nargs; i++) {
        model_val *v = ts_expr_target(c, c->kids[first + i], i == 1 ? spawn_arg : MODEL_NO_OBJ,
                                      i == 1 ? spawn_text : NULL);
        if (vals)
            vals[i] = v;
    }
    if (atomic != AT_NONE) {
        model_val *out = atomic_call(c, n, atomic, aop, ak, vals, nargs);
        ts_kids_pop(c, first);
        return out;
    }
    if (!named) {
        model_val *fv = ts_expr(c, fn);
        model_event *ev = event(c, MODEL_EV_CALL, ts_loc(n));
        ts_kids_pop(c, first);
        if (c->probe)
            return NULL;
        ev->fn = fv;
        ev->vals = vals;
        ev->nvals = nargs;
        return mv_result(c->tu, ev->id);
    }
    frontend_alias_apply(&name, &len); /* values name the API, not the wrapper */
    if (len > 6 && memcmp(name, "tt_", 3) == 0 && memcmp(name + len - 3, "_at", 3) == 0)
        len -= 3; /* tt_send_at -> tt_send (any tt_ name, as clang's fe_api_name) */
    unsigned arity = 0, ints = 0;
    api a = api_shape(name, len, &arity, &ints);
    size_t nvals = nargs;
    if (a != API_NONE && vals) {
        if (nvals > arity)
            nvals = arity; /* an `_at` variant's call-site arguments */
        for (size_t i = 0; i < nvals; i++)
            if (!(ints & (1u << i)))
                vals[i] = ts_val_ptr(c, vals[i]);
    }
    model_val *out = NULL;
    if (a == API_CASE) {
        if (!c->probe)
            out = nargs == 2 ? case_value(c, ts_text_is(c, fid, "TT_SEND") ? 2 : 1, vals, nargs)
                             : mv_unknown(c->tu);
    } else if (a == API_OBJECT || a == API_OTHER) {
        if (!c->probe) {
            char buf[64];
            snprintf(buf, sizeof buf, "%.*s", (int)(len < 63 ? len : 63), name);
            out = mv_api(c->tu, buf, nvals);
            for (size_t i = 0; i < nvals; i++)
                out->sub[i] = vals[i] ? vals[i] : mv_unknown(c->tu);
        }
    } else if (a != API_NONE) {
        out = api_call(c, a, n, first, nargs, target, target_text, vals, nvals);
    } else if (len == 6 && memcmp(name, "assert", 6) == 0) {
        /* assert(x): only x is modeled, not the failure arm (as clang's
         * front end reads the macro's expansion, fe_walk.c) */
        if (!c->probe)
            out = mv_unknown(c->tu);
    } else if (is_noreturn(c, name, len)) {
        char buf[256];
        snprintf(buf, sizeof buf, "%.*s", (int)len, name);
        if (c->probe) {
            c->probe_hit = true;
        } else {
            model_event *ev = mb_noreturn(c->b, ts_loc(n), buf);
            ev->vals = vals;
            ev->nvals = nargs;
            out = mv_result(c->tu, ev->id);
        }
    } else {
        bool zero = false; /* a 0 argument, maybe a null pointer */
        for (size_t i = 0; vals && i < nargs && !zero; i++)
            zero = vals[i] && (vals[i]->kind == MODEL_VAL_INT || vals[i]->kind == MODEL_VAL_COND);
        ts_entry *p = zero ? ts_find(c, NS_PROTO, name, len, NULL, 0) : NULL;
        uint64_t mask = p ? ts_val_ptr_params(c, p) : 0;
        for (size_t i = 0; mask && i < nargs && i < 64; i++)
            if (mask & ((uint64_t)1 << i))
                vals[i] = ts_val_ptr(c, vals[i]);
        out = other_call(c, n, name, len, first, nargs, target, target_text, vals);
    }
    ts_kids_pop(c, first);
    return out;
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
static model_val *store_esc(ts_ctx *c, model_escape to, model_obj_id dest, const char *dest_text,
                            bool pointer_dest, TSNode rhs, model_loc loc)
{
    model_val *v = ts_expr_target(c, rhs, dest, dest_text);
    TSNode arms[TS_MAX_ARMS];
    size_t n = ts_cond_arms(c, rhs, arms, TS_MAX_ARMS);
    if (n == 0) {
        store_one(c, to, dest, pointer_dest, rhs, loc);
        return v;
    }
    /* `p = c ? a : b`: a store of each arm (creations made on dest by the
     * walk above, NULL arms skipped), each arm object's ESCAPE once (as
     * clang's fe__store_esc) */
    model_obj_id seen[TS_MAX_ARMS];
    size_t nseen = 0;
    for (size_t i = 0; i < n; i++) {
        model_obj_id o = is_creation(c, arms[i]) ? MODEL_NO_OBJ : ts_obj_of(c, arms[i], pointer_dest);
        bool dup = o == MODEL_NO_OBJ;
        for (size_t j = 0; j < nseen && !dup; j++)
            dup = seen[j] == o;
        if (dup)
            continue;
        seen[nseen++] = o;
        store_one(c, to, dest, pointer_dest, arms[i], loc);
    }
    return v;
}

void ts_return_arms(ts_ctx *c, TSNode e, model_obj_id made, model_loc loc)
{
    TSNode arms[TS_MAX_ARMS];
    size_t n = ts_cond_arms(c, e, arms, TS_MAX_ARMS);
    for (size_t i = 0; i < n; i++)
        if (!is_creation(c, arms[i]))
            store_one(c, MODEL_ESCAPE_NONE, made, c->returns_pointer, arms[i], loc);
}

model_val *ts_store(ts_ctx *c, TSNode lhs, model_obj_id dest, const char *dest_text, bool pointer_dest,
                    TSNode rhs, model_loc loc)
{
    return store_esc(c, ts_node_is_null(lhs) ? MODEL_ESCAPE_NONE : escape_of(c, lhs), dest, dest_text,
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

/* Designators of initializer_pair item, as written (".a.b", "[2].x"; an
 * index evaluated), into buf; false if one cannot be told. */
static bool designators(ts_ctx *c, TSNode item, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    bool ok = true;
    size_t d0 = ts_kids(c, item, true);
    for (size_t j = d0; j < c->nkids && ok; j++) {
        if (c->kid_fields[j] != c->f_designator)
            continue;
        TSNode d = c->kids[j];
        TSNode in = ts_node_named_child(d, 0);
        int w = -1;
        if (ts_kind(c, d) == TS_FIELD_DESIGNATOR && !ts_node_is_null(in)) {
            uint32_t len;
            const char *s = ts_text(c, in, &len);
            w = snprintf(buf + n, size - n, ".%.*s", (int)len, s);
        } else if (ts_kind(c, d) == TS_SUBSCRIPT_DESIGNATOR && ts_node_named_child_count(d) == 1) {
            int64_t k;
            if (ts_eval(c, in, &k))
                w = snprintf(buf + n, size - n, "[%lld]", (long long)k);
        }
        if (w < 0 || (size_t)w >= size - n)
            ok = false;
        else
            n += (size_t)w;
    }
    ts_kids_pop(c, d0);
    return ok && n > 0;
}

/* The number of items of an initializer list (comments are no items). */
static size_t list_items(ts_ctx *c, TSNode list)
{
    size_t n = 0;
    uint32_t k = ts_node_named_child_count(list);
    for (uint32_t i = 0; i < k; i++)
        n += ts_kind(c, ts_node_named_child(list, i)) != TS_COMMENT;
    return n;
}

/* `{}` or `{0}`: all zero (model.h: an INIT with no elements). */
static bool all_zero(ts_ctx *c, TSNode list)
{
    size_t n = list_items(c, list);
    if (n == 0)
        return true;
    if (n != 1)
        return false;
    uint32_t k = ts_node_named_child_count(list);
    for (uint32_t i = 0; i < k; i++) {
        TSNode item = ts_node_named_child(list, i);
        int64_t v;
        if (ts_kind(c, item) != TS_COMMENT)
            /* (stdbool's false is the literal 0 for clang) */
            return (ts_kind(c, item) == TS_NUMBER && ts_eval(c, item, &v) && v == 0) ||
                   ts_kind(c, item) == TS_FALSE;
    }
    return false;
}

/* value stored into field f of struct tag, its place written text */
static model_val *init_field(ts_ctx *c, const char *tag, const ts_entry *f, const char *text, TSNode value,
                             model_loc loc, bool indexed)
{
    if (ts_kind(c, skip_parens(c, value)) == TS_INITIALIZER_LIST) {
        ts_type t = f->type;
        if (indexed) { /* `.in[1] = { ... }`: an element's initializer */
            t.is_array = false;
            t.is_pointer = t.elem_pointer;
            t.is_record = t.tag && !t.elem_pointer;
            t.array_depth = t.array_depth ? t.array_depth - 1 : 0;
            t.is_array = t.array_depth > 0;
        }
        return ts_init_list(c, skip_parens(c, value), t, text);
    }
    if (c->values_only) /* a global's initializer: no stores (objects) */
        return f->type.is_pointer ? ts_val_ptr(c, ts_expr(c, value)) : ts_expr(c, value);
    model_val *v = store_esc(c, MODEL_ESCAPE_FIELD, ts_field_obj(c, tag, f), text,
                             f->type.is_pointer || f->type.kind != MODEL_KIND_NONE, value, loc);
    return f->type.is_pointer ? ts_val_ptr(c, v) : v;
}

/* An element of an initializer list the front end stores nothing for. */
static model_val *init_item(ts_ctx *c, TSNode value)
{
    if (ts_kind(c, skip_parens(c, value)) == TS_INITIALIZER_LIST)
        return ts_init_list(c, skip_parens(c, value), (ts_type){ 0 }, "");
    return ts_expr(c, value);
}

static void init_put(ts_ctx *c, model_val *init, size_t i, const char *designator, model_val *v)
{
    if (init)
        mv_init_set(c->tu, init, i, designator, v);
}

static model_val *init_record(ts_ctx *c, TSNode list, const char *tag, const char *prefix)
{
    uint32_t taglen = (uint32_t)strlen(tag), next = 0;
    model_val *init = c->probe ? NULL : mv_init(c->tu, list_items(c, list));
    size_t out = 0;
    char desig[256];
    size_t first = ts_kids(c, list, true);
    size_t last = c->nkids;
    for (size_t i = first; i < last; i++) {
        TSNode item = c->kids[i];
        if (ts_kind(c, item) == TS_COMMENT)
            continue;
        size_t at_out = out++;
        model_loc loc = ts_loc(item);
        if (ts_kind(c, item) != TS_INITIALIZER_PAIR) {
            ts_entry *at = ts_find(c, NS_FIELD_AT, tag, taglen, (const char *)&next, sizeof next);
            if (!at) {
                init_put(c, init, at_out, NULL, ts_expr(c, item));
                continue;
            }
            next++;
            snprintf(desig, sizeof desig, ".%.*s", (int)at->field->len2, at->field->key2);
            model_val *v = init_field(c, tag, at->field, place(c, prefix, at->field->key2, at->field->len2, 0),
                                      item, loc, false);
            init_put(c, init, at_out, desig, v);
            continue;
        }
        /* .a.b = v: the designators, then the value */
        TSNode value = ts_field(c, item, c->f_value);
        bool named = designators(c, item, desig, sizeof desig);
        const char *cur = tag, *holder = tag, *text = prefix;
        const ts_entry *f = NULL;
        bool ok = true, top = true, indexed = false;
        size_t d0 = ts_kids(c, item, true);
        for (size_t j = d0; j < c->nkids && ok; j++) {
            if (c->kid_fields[j] != c->f_designator)
                continue;
            TSNode d = c->kids[j];
            TSNode fname = ts_node_named_child(d, 0);
            if (ts_kind(c, d) == TS_SUBSCRIPT_DESIGNATOR && f) {
                /* `.chs[1] = c`: a store into field chs (as clang's
                 * fe__designated reads the field designators only) */
                indexed = true;
                continue;
            }
            indexed = false;
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
        model_val *v = ok && f ? init_field(c, holder, f, text, value, loc, indexed) : init_item(c, value);
        if (ok && f && indexed && f->type.elem_pointer && !c->probe)
            v = ts_val_ptr(c, v);
        init_put(c, init, at_out, named ? desig : NULL, v);
    }
    ts_kids_pop(c, first);
    return init;
}

/* tt_case's fields, for positional braces `{ TT_OP_RECV, ch, &v }`. */
static const char *const case_fields[] = { ".op", ".ch", ".elem", ".ok" };

model_val *ts_init_list(ts_ctx *c, TSNode list, ts_type t, const char *prefix)
{
    bool tether = t.is_case || t.kind != MODEL_KIND_NONE || (t.tag && strncmp(t.tag, "tt_", 3) == 0);
    if (all_zero(c, list)) {
        walk_children(c, list);
        return c->probe ? NULL : mv_init(c->tu, 0);
    }
    if (t.is_array) {
        ts_type el = t;
        el.is_array = false;
        el.is_pointer = t.elem_pointer;
        el.elem_pointer = false;
        el.is_record = t.tag != NULL && !t.elem_pointer;
        model_val *init = c->probe ? NULL : mv_init(c->tu, list_items(c, list));
        size_t out = 0;
        char desig[256];
        long idx = 0;
        size_t first = ts_kids(c, list, true);
        size_t last = c->nkids;
        for (size_t i = first; i < last; i++, idx++) {
            TSNode value = c->kids[i];
            if (ts_kind(c, value) == TS_COMMENT) {
                idx--;
                continue;
            }
            bool named = true;
            if (ts_kind(c, value) == TS_INITIALIZER_PAIR) {
                named = designators(c, value, desig, sizeof desig);
                TSNode d = ts_field(c, value, c->f_designator);
                int64_t at;
                if (ts_kind(c, d) == TS_SUBSCRIPT_DESIGNATOR) {
                    TSNode ix = ts_node_named_child(d, 0);
                    if (ts_eval(c, ix, &at))
                        idx = (long)at;
                    ts_expr(c, ix);
                }
                value = ts_field(c, value, c->f_value);
            } else {
                snprintf(desig, sizeof desig, "[%ld]", idx);
            }
            model_val *v;
            if (ts_kind(c, skip_parens(c, value)) == TS_INITIALIZER_LIST)
                v = ts_init_list(c, skip_parens(c, value), el, place(c, prefix, NULL, 0, idx));
            else
                v = ts_expr(c, value);
            if (el.is_pointer)
                v = c->probe ? v : ts_val_ptr(c, v);
            init_put(c, init, out++, named ? desig : NULL, v);
        }
        ts_kids_pop(c, first);
        return init;
    }
    if (t.is_record && !t.is_pointer && t.tag && !tether)
        return init_record(c, list, t.tag, prefix);
    /* tether's records (tt_case: by position), unknown types: as written */
    model_val *init = c->probe ? NULL : mv_init(c->tu, list_items(c, list));
    size_t out = 0, pos = 0;
    char desig[256];
    size_t first = ts_kids(c, list, true);
    size_t last = c->nkids;
    for (size_t i = first; i < last; i++) {
        TSNode item = c->kids[i];
        if (ts_kind(c, item) == TS_COMMENT)
            continue;
        const char *name = NULL;
        if (ts_kind(c, item) == TS_INITIALIZER_PAIR) {
            if (designators(c, item, desig, sizeof desig))
                name = desig;
            size_t d0 = ts_kids(c, item, true);
            for (size_t j = d0; j < c->nkids; j++)
                if (c->kid_fields[j] == c->f_designator)
                    ts_expr(c, c->kids[j]);
            TSNode value = ts_field(c, item, c->f_value);
            ts_kids_pop(c, d0);
            item = value;
            pos = sizeof case_fields; /* positions after a designator: unknown */
        } else if (t.is_case && !t.is_pointer && pos < sizeof case_fields / sizeof *case_fields) {
            name = case_fields[pos++];
        }
        model_val *v = init_item(c, item);
        if (name && t.is_case && (strcmp(name, ".ch") == 0 || strcmp(name, ".elem") == 0))
            v = c->probe ? v : ts_val_ptr(c, v);
        init_put(c, init, out++, name, v);
    }
    ts_kids_pop(c, first);
    return init;
}

/* An ASSIGN lhs = rhs at loc, flagged as the events of its expression. */
model_val *ts_assign_event(ts_ctx *c, model_loc loc, model_val *lhs, model_val *rhs)
{
    if (c->values_only)
        return mv_unknown(c->tu);
    if (c->probe) {
        c->probe_hit = true;
        return NULL;
    }
    model_event *ev = mb_assign(c->b, loc, lhs, rhs);
    ev->flags |= c->cond_flags;
    return mv_result(c->tu, ev->id);
}

/* Whether v would change as a pointer (ts_val_ptr): a 0, or a `?:`. */
static bool maybe_null(const model_val *v)
{
    return v && ((v->kind == MODEL_VAL_INT && v->num == 0) || v->kind == MODEL_VAL_COND);
}

/* Whether place lhs (of type lt, as ts_type_of_expr tells) holds a
 * pointer: `chs[i]` of `tt_chan *chs[4]` too. */
static bool pointer_place(ts_ctx *c, TSNode lhs, ts_type lt)
{
    TSNode s = skip_parens(c, lhs);
    if (ts_kind(c, s) == TS_SUBSCRIPT) {
        ts_type at = ts_type_of_expr(c, ts_field(c, s, c->f_argument));
        return at.is_array && at.elem_pointer;
    }
    return lt.is_pointer;
}

static model_val *assign(ts_ctx *c, TSNode n)
{
    const TSFieldId f[3] = { c->f_left, c->f_operator, c->f_right };
    TSNode k3[3];
    ts_fields(c, n, f, k3, 3);
    TSNode lhs = k3[0], op = k3[1], rhs = k3[2];
    model_val *lv = ts_expr(c, lhs);
    if (c->values_only) { /* no assignment in a constant initializer */
        ts_expr(c, rhs);
        return mv_unknown(c->tu);
    }
    if (!ts_text_is(c, op, "=")) {
        /* `x op= y` is x = x op y */
        model_val *rv = ts_expr(c, rhs);
        ts_sel_store(c, lhs, (TSNode){ 0 }); /* `r += x`: no select's result any more */
        if (c->probe)
            return ts_assign_event(c, ts_loc(n), NULL, NULL);
        return ts_assign_event(c, ts_loc(n), lv, ts_val_binop(c, ts_val_binop_of(c, op), lv, rv));
    }
    bool is_case = ts_record_case_store(c, lhs, rhs, NULL);
    model_obj_id dest = ts_obj_of(c, lhs, false);
    const char *dest_text = dest != MODEL_NO_OBJ ? ts_obj_text(c, lhs) : NULL;
    ts_type lt = ts_type_of_expr(c, lhs);
    model_val *rv = ts_store(c, lhs, dest, dest_text, lt.is_pointer || lt.kind != MODEL_KIND_NONE, rhs,
                             ts_loc(n));
    if (is_case && !c->probe)
        case_store_vals(c, lhs, rv);
    ts_sel_store(c, lhs, rhs);
    if (!c->probe && maybe_null(rv) && pointer_place(c, lhs, lt))
        rv = ts_val_ptr(c, rv);
    return ts_assign_event(c, ts_loc(n), lv, rv);
}

/* `x++` is x = x + 1, its value the old x: (x + 1) - 1; `++x` the new. */
static model_val *update(ts_ctx *c, TSNode n)
{
    const TSFieldId f[2] = { c->f_argument, c->f_operator };
    TSNode k2[2];
    ts_fields(c, n, f, k2, 2);
    TSNode arg = k2[0], op = k2[1];
    bool inc = ts_text_is(c, op, "++");
    bool prefix = ts_node_start_byte(op) < ts_node_start_byte(arg);
    model_val *lv = ts_expr(c, arg);
    ts_sel_store(c, arg, (TSNode){ 0 }); /* `r++`: no select's result any more */
    if (c->probe)
        return ts_assign_event(c, ts_loc(n), NULL, NULL);
    model_op o = inc ? MODEL_OP_ADD : MODEL_OP_SUB;
    model_val *r = ts_assign_event(c, ts_loc(n), lv, mv_binop(c->tu, o, lv, mv_int(c->tu, 1)));
    if (prefix)
        return r;
    return mv_binop(c->tu, inc ? MODEL_OP_SUB : MODEL_OP_ADD, r, mv_int(c->tu, 1));
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
 * operand of && / ||, in the `?` slot); cond: the branch's condition (then
 * = a0). The arms' values in *v0, *v1 (NULL while probing). */
static void branch(ts_ctx *c, TSNode n, TSNode a0, TSNode a1, model_obj_id target,
                   const char *target_text, model_val *cond, model_val **v0, model_val **v1)
{
    *v0 = *v1 = NULL;
    unsigned mask = arms(c, n, a0, a1);
    if (c->probe)
        return;
    if (mask == 0) {
        *v0 = ts_expr_target(c, a0, target, target_text);
        *v1 = ts_expr_target(c, a1, target, target_text);
        return;
    }
    mb_cond(c->b, cond);
    mb_if(c->b);
    *v0 = ts_expr_target(c, a0, target, target_text);
    if (mask & 2u) {
        mb_else(c->b);
        *v1 = ts_expr_target(c, a1, target, target_text);
        mb_end_if(c->b);
    } else {
        mb_end_if(c->b);
        *v1 = ts_expr_target(c, a1, target, target_text); /* no events: only its aliases */
    }
}

/* target: where the value is stored (a creation in an arm is made on it) */
static model_val *conditional(ts_ctx *c, TSNode n, model_obj_id target, const char *target_text)
{
    const TSFieldId f[3] = { c->f_condition, c->f_consequence, c->f_alternative };
    TSNode k3[3];
    ts_fields(c, n, f, k3, 3);
    TSNode cond = k3[0], a0 = k3[1], a1 = k3[2];
    model_val *v0, *v1;
    if (ts_node_is_null(a0)) { /* GNU `x ?: y`: as x || y, both stored; x ? x : y */
        model_val *x = ts_expr_target(c, cond, target, target_text);
        branch(c, n, a1, (TSNode){ 0 }, target, target_text,
               c->probe ? NULL : ts_val_unop(c, MODEL_OP_NOT, x), &v0, &v1);
        return c->probe ? NULL : ts_val_cond(c, x, x, v0);
    }
    model_val *cv = ts_expr(c, cond);
    branch(c, n, a0, a1, target, target_text, cv, &v0, &v1);
    return c->probe ? NULL : ts_val_cond(c, cv, v0, v1);
}

static model_val *binary(ts_ctx *c, TSNode n)
{
    const TSFieldId f[3] = { c->f_left, c->f_operator, c->f_right };
    TSNode k3[3];
    ts_fields(c, n, f, k3, 3);
    TSNode l = k3[0], op = k3[1], r = k3[2];
    model_op o = ts_val_binop_of(c, op);
    if (o == MODEL_OP_DIV && ts_kind(c, skip_parens(c, l)) == TS_SIZEOF &&
        ts_kind(c, skip_parens(c, r)) == TS_SIZEOF) {
        /* `sizeof a / sizeof a[0]` over an array of known length */
        int64_t k;
        if (ts_eval(c, n, &k))
            return c->probe ? NULL : mv_int(c->tu, k);
    }
    model_val *lv = ts_expr(c, l);
    if (o != MODEL_OP_LAND && o != MODEL_OP_LOR) {
        model_val *rv = ts_expr(c, r);
        if (c->probe)
            return NULL;
        if (o == MODEL_OP_EQ || o == MODEL_OP_NE) {
            /* `p == 0`: a null pointer constant compared with a pointer */
            if (maybe_null(rv) && pointer_place(c, l, ts_type_of_expr(c, l)))
                rv = ts_val_ptr(c, rv);
            if (maybe_null(lv) && pointer_place(c, r, ts_type_of_expr(c, r)))
                lv = ts_val_ptr(c, lv);
        }
        return o == MODEL_OP_NONE ? mv_unknown(c->tu) : ts_val_binop(c, o, lv, rv);
    }
    /* the right operand runs when the left is true (&&) or false (||) */
    model_val *v0, *v1;
    model_val *cond = c->probe ? NULL : o == MODEL_OP_LAND ? lv : ts_val_unop(c, MODEL_OP_NOT, lv);
    branch(c, n, r, (TSNode){ 0 }, MODEL_NO_OBJ, NULL, cond, &v0, &v1);
    return c->probe ? NULL : ts_val_binop(c, o, lv, v0);
}

static model_op unary_op(ts_ctx *c, TSNode op)
{
    if (ts_text_is(c, op, "!"))
        return MODEL_OP_NOT;
    if (ts_text_is(c, op, "-"))
        return MODEL_OP_NEG;
    if (ts_text_is(c, op, "~"))
        return MODEL_OP_BITNOT;
    return MODEL_OP_NONE; /* unary + */
}

/* `*p`, `&x`; a function designator through either is the function. */
static model_val *pointer_expr(ts_ctx *c, TSNode n)
{
    const TSFieldId f[2] = { c->f_argument, c->f_operator };
    TSNode k2[2];
    ts_fields(c, n, f, k2, 2);
    model_val *v = ts_expr(c, k2[0]);
    if (c->probe)
        return NULL;
    if (v && v->kind == MODEL_VAL_FUNC)
        return v;
    if (ts_text_is(c, k2[1], "&"))
        return mv_addr(c->tu, v);
    return mv_deref(c->tu, v);
}

static model_val *field_expr(ts_ctx *c, TSNode n)
{
    const TSFieldId f[3] = { c->f_argument, c->f_operator, c->f_field };
    TSNode k3[3];
    ts_fields(c, n, f, k3, 3);
    model_val *base = ts_expr(c, k3[0]);
    if (c->probe)
        return NULL;
    model_val *v = mv_field(c->tu, base, ts_tmp(c, k3[2]), ts_text_is(c, k3[1], "->"));
    /* an array field: only when some struct has an array field of that name */
    if (ts_find_node(c, NS_ARRAY_FIELD, k3[2])) {
        ts_entry *e = ts_field_entry(c, n);
        v->is_array = e && e->type.is_array;
    }
    return v;
}

/* Whether subscript n selects an array (`g[1]` of `int g[2][3]`): fewer
 * subscripts than its array's dimensions. */
static bool subscript_array(ts_ctx *c, TSNode n)
{
    if (!c->multidim)
        return false;
    unsigned k = 0;
    while (ts_kind(c, n) == TS_SUBSCRIPT && k < 256) {
        k++;
        n = skip_parens(c, ts_field(c, n, c->f_argument));
    }
    ts_type t = ts_type_of_expr(c, n);
    return t.is_array && k < t.array_depth;
}

/* glibc's errno is `(*__errno_location ())`: what clang sees. */
static model_val *errno_value(ts_ctx *c, TSNode n)
{
    model_event *ev = event(c, MODEL_EV_CALL, ts_loc(n));
    if (c->probe)
        return NULL;
    ev->fn = mv_func(c->tu, "__errno_location");
    return mv_deref(c->tu, mv_result(c->tu, ev->id));
}

/* ---- the walk ------------------------------------------------------------- */

model_val *ts_expr_target(ts_ctx *c, TSNode n, model_obj_id target, const char *target_text)
{
    if (ts_node_is_null(n))
        return NULL;
    switch (ts_kind(c, n)) {
    case TS_CALL:
        return call(c, n, target, target_text);
    case TS_ASSIGNMENT:
        return assign(c, n);
    case TS_CONDITIONAL:
        return conditional(c, n, target, target_text);
    case TS_COMPOUND_LITERAL: {
        TSNode td = ts_field(c, n, c->f_type), name;
        ts_type t = ts_declarator(c, ts_field(c, td, c->f_declarator),
                                  ts_type_of_spec(c, ts_field(c, td, c->f_type)), &name, NULL);
        TSNode list = ts_field(c, n, c->f_value);
        if (ts_kind(c, list) == TS_INITIALIZER_LIST)
            return ts_init_list(c, list, t, "");
        walk_children(c, n);
        return c->probe ? NULL : mv_unknown(c->tu);
    }
    case TS_INITIALIZER_LIST:
        return ts_init_list(c, n, (ts_type){ 0 }, "");
    case TS_BINARY:
        return binary(c, n);
    case TS_UPDATE:
        return update(c, n);
    case TS_UNARY: {
        const TSFieldId f[2] = { c->f_argument, c->f_operator };
        TSNode k2[2];
        ts_fields(c, n, f, k2, 2);
        model_val *v = ts_expr(c, k2[0]);
        if (c->probe)
            return NULL;
        model_op o = unary_op(c, k2[1]);
        return o == MODEL_OP_NONE ? v : ts_val_unop(c, o, v);
    }
    case TS_POINTER_EXPR:
        return pointer_expr(c, n);
    case TS_FIELD_EXPR:
        return field_expr(c, n);
    case TS_SUBSCRIPT: {
        const TSFieldId f[2] = { c->f_argument, c->f_index };
        TSNode k2[2];
        ts_fields(c, n, f, k2, 2);
        model_val *base = ts_expr(c, k2[0]);
        model_val *index = ts_expr(c, k2[1]);
        if (c->probe)
            return NULL;
        model_val *v = mv_index(c->tu, base, index);
        v->is_array = subscript_array(c, n);
        return v;
    }
    case TS_COMMA: {
        const TSFieldId f[2] = { c->f_left, c->f_right };
        TSNode k2[2];
        ts_fields(c, n, f, k2, 2);
        ts_expr(c, k2[0]);
        return ts_expr_target(c, k2[1], target, target_text);
    }
    case TS_PAREN_EXPR:
    case TS_CAST: {
        bool cast = ts_kind(c, n) == TS_CAST;
        TSNode in = cast ? ts_field(c, n, c->f_value) : ts_node_named_child(n, 0);
        if (!cast)
            while (ts_kind(c, in) == TS_COMMENT)
                in = ts_node_next_named_sibling(in);
        if (ts_kind(c, in) == TS_COMPOUND_STATEMENT)
            return ts_stmt_expr(c, in); /* GNU statement expression */
        model_val *v = ts_expr_target(c, in, target, target_text);
        if (cast && !c->probe && maybe_null(v) && ts_type_of_expr(c, n).is_pointer)
            v = ts_val_ptr(c, v); /* (void *)0 */
        return v;
    }
    case TS_IDENTIFIER:
        if (ts_text_is(c, n, "errno") && !ts_find_var(c, n))
            return errno_value(c, n);
        return c->probe ? NULL : ts_val_leaf(c, n);
    case TS_NUMBER:
    case TS_CHAR_LITERAL:
    case TS_TRUE:
    case TS_FALSE:
    case TS_NULL:
    case TS_STRING_LITERAL:
    case TS_CONCAT_STRING:
        return c->probe ? NULL : ts_val_leaf(c, n);
    case TS_SIZEOF:
    case TS_ALIGNOF:
    case TS_OFFSETOF:
    case TS_FIELD_IDENTIFIER:
    case TS_COMMENT:
    case TS_TYPE_DESCRIPTOR:
        return c->probe ? NULL : mv_unknown(c->tu);
    default:
        walk_children(c, n);
        return c->probe ? NULL : mv_unknown(c->tu);
    }
}

model_val *ts_expr(ts_ctx *c, TSNode n)
{
    return ts_expr_target(c, n, MODEL_NO_OBJ, NULL);
}
