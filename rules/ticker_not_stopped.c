/* ticker_not_stopped.c — ticker-not-stopped: a ticker its owner does not
 * stop on every path out, unless ownership moves (returned, stored where it
 * outlives the call, handed to a function that stops it or to code this
 * file does not show). A ticker a constructor returns is followed into the
 * callers that keep the result, and reported there. */
#include <stddef.h>

#include "model/query.h"
#include "rule.h"

static const char *const RULE_ID = "ticker-not-stopped";

/* A path to a `return` of the ticker itself (user: its class), on which
 * nothing else releases it. */
static q_verdict visit_return_of(q_ctx *q, q_pos at, const model_event *ev, void *user)
{
    (void)at;
    model_obj_id cls = *(const model_obj_id *)user;
    if (ev->kind == MODEL_EV_RETURN && ev->obj != MODEL_NO_OBJ && q_class(q, ev->obj) == cls)
        return Q_FOUND;
    if (q_event_releases(q, ev, cls, Q_REL_TICKER_STOP))
        return Q_CUT;
    if (ev->kind == MODEL_EV_NORETURN || ev->kind == MODEL_EV_RETURN)
        return Q_CUT;
    return q_non_null_branch(q, ev, cls);
}

/* A spawn of a same-file task that is passed the ticker (user: its class). */
static q_verdict visit_handed(q_ctx *q, q_pos at, const model_event *ev, void *user)
{
    (void)at;
    model_obj_id cls = *(const model_obj_id *)user;
    if (ev->kind == MODEL_EV_SPAWN && ev->callee_func >= 0)
        for (size_t a = 0; a < ev->nargs; a++)
            if (ev->args && q_class(q, ev->args[a]) == cls)
                return Q_FOUND;
    return Q_GO;
}

/* When the owner hands the ticker to a task that does not stop it either. */
static void add_handed_note(q_ctx *q, diag *d, q_pos from, model_obj_id cls, const char *name)
{
    q_pos sp;
    if (!q_walk(q, from, false, visit_handed, &cls, &sp))
        return;
    const model_event *ev = q_ev(q, sp);
    if (q_func_touches(q, ev->callee_func, cls, MODEL_EV_TICKER_STOP))
        return;
    diag_add_note(d, ev->loc, "'%s' is handed to task '%s' here, which does not stop it either", name,
                  ev->callee ? ev->callee : "?");
}

/* One leak: the warning at `site` (the tt_ticker_new, or the caller's call
 * that keeps a constructor's result), with the path's notes. */
static void report(q_ctx *q, diag_list *out, q_pos site, const char *name, const model_event *made,
                   const char *maker, model_obj_id cls, q_pos ret)
{
    const model_tu *tu = q_tu(q);
    diag *d = diag_new(out, RULE_ID, tu->path, q_ev(q, site)->loc, "ticker '%s' is not stopped on every path",
                       name);
    if (made)
        diag_add_note(d, made->loc, "'%s' is created here, in '%s'", name, maker);
    add_handed_note(q, d, site, cls, name);
    diag_add_note(d, q_ev(q, ret)->loc, "'%s' leaks when the function returns here", name);
    diag_set_hint(d, "call tt_ticker_stop(%s) before every return", name);
}

/* The ticker made at `made` leaves `from`'s function by a return: follow it
 * into every caller that keeps the result (through wrappers, a few levels). */
static void follow_callers(q_ctx *q, diag_list *out, q_pos from, model_obj_id cls, q_pos made, int depth)
{
    const model_tu *tu = q_tu(q);
    q_pos rp;
    if (depth > 4 || !q_walk(q, from, false, visit_return_of, &cls, &rp))
        return;
    for (size_t k = 0; k < q_nevents(q); k++) {
        q_pos p = q_event_pos(q, k);
        const model_event *ev = q_ev(q, p);
        model_obj_id local;
        if (ev->kind != MODEL_EV_CALL || ev->callee_func != from.func || !q_call_result(q, p, &local))
            continue;
        q_pos ret;
        if (q_leak_path(q, p, false, cls, Q_REL_TICKER_STOP, &ret)) {
            const char *name = tu->objs[local].name ? tu->objs[local].name : "ticker";
            report(q, out, p, name, q_ev(q, made), tu->funcs[made.func].name, cls, ret);
        } else {
            follow_callers(q, out, p, cls, made, depth + 1);
        }
    }
}

/* One tt_ticker_new: stopped on every path, moved, or reported. */
static void check_new(q_ctx *q, q_pos at, void *out)
{
    const model_tu *tu = q_tu(q);
    const model_event *ev = q_ev(q, at);
    model_obj_id cls = q_class(q, ev->obj);
    const q_facts *f = q_facts_of(q, cls);
    if (!f || f->escapes)
        return; /* code this file does not show may stop it */
    const char *name = ev->text ? ev->text : "ticker";
    if (f->has_field_or_global) {
        /* it lives in a struct field or global: any stop in the file will do */
        if (f->ticker_stops == 0) {
            diag *d = diag_new(out, RULE_ID, tu->path, ev->loc, "ticker '%s' is not stopped on every path", name);
            diag_set_hint(d, "call tt_ticker_stop on '%s' where its owner shuts down", name);
        }
        return;
    }
    q_pos ret;
    if (q_leak_path(q, at, false, cls, Q_REL_TICKER_STOP, &ret))
        report(q, out, at, name, NULL, NULL, cls, ret);
    else if (!f->returned)
        follow_callers(q, out, at, cls, at, 0);
}

static int run(const model_tu *tu, diag_list *out)
{
    q_check_each(tu, MODEL_EV_TICKER_NEW, check_new, out);
    return 0;
}

const rule rule_ticker_not_stopped = {
    .id = "ticker-not-stopped",
    .summary = "A ticker is not stopped on every path out of the function that owns it.",
    .run = run,
};
