/* spawn_no_cancel.c — spawn-no-cancel: a spawned task that can block or loop
 * forever with no cancellation signal from its owner reaching it, or whose
 * receive loop only its owner can end by closing the channel, and the owner
 * can return without closing it. */
#include <stdlib.h>
#include <string.h>

#include "model/query.h"
#include "rule.h"

static const char *const RULE_ID = "spawn-no-cancel";

typedef enum { W_NONE, W_RECV, W_RANGE, W_CTX_DONE, W_BACKGROUND, W_SELECT, W_LOOP } witness_kind;

typedef struct witness {
    witness_kind kind;
    model_loc loc;
    const char *text;
    model_obj_id signal; /* W_LOOP: the never-firing signal its exits wait on */
} witness;

static model_obj_id dead_case_signal(q_ctx *q, const model_event *sel);

/* Each search enters a function once (recursion, a helper called twice). */
static bool first_visit(bool *seen_funcs, int32_t func)
{
    bool first = !seen_funcs[func];
    seen_funcs[func] = true;
    return first;
}

/* Does the loop around `block` have an exit other than its condition? */
static bool loop_has_jump_exit(q_ctx *q, int32_t func, uint32_t block)
{
    int64_t head = q_loop_of(q, func, block);
    return head >= 0 && q_loop_jump_exit(q, func, (uint32_t)head, UINT32_MAX);
}

/* The first blocking point of `func` (or a same-file callee) that can never
 * become ready. */
static bool find_block(q_ctx *q, int32_t func, bool *seen_funcs, witness *w)
{
    if (!first_visit(seen_funcs, func))
        return false;
    const model_func *fn = &q_tu(q)->funcs[func];
    bool *reach = q_live_blocks(q, func);
    bool found = false;
    for (uint32_t b = 0; b < fn->nblocks && !found; b++) {
        if (!reach[b])
            continue;
        for (size_t i = 0; i < fn->blocks[b].nevents && !found; i++) {
            const model_event *ev = &fn->blocks[b].events[i];
            if (ev->kind == MODEL_EV_RECV) {
                bool range = (ev->flags & MODEL_EVF_LOOP_COND) && !loop_has_jump_exit(q, func, b);
                if (q_recv_can_ready(q, ev->obj, range))
                    continue;
                const q_facts *f = q_facts_of(q, ev->obj);
                w->loc = ev->loc;
                w->text = ev->text ? ev->text : "?";
                w->signal = MODEL_NO_OBJ;
                if (f && f->is_ctx_done) {
                    const q_facts *base = q_facts_of(q, f->base);
                    w->kind = base && base->has_background && !base->ctx_news ? W_BACKGROUND : W_CTX_DONE;
                    w->signal = f->base;
                } else {
                    w->kind = range && f && f->sends ? W_RANGE : W_RECV;
                    if (w->kind == W_RANGE)
                        w->signal = ev->obj;
                }
                found = true;
            } else if (ev->kind == MODEL_EV_SELECT && !ev->has_default) {
                if (q_select_can_ready(q, ev))
                    continue;
                *w = (witness){ W_SELECT, ev->loc, ev->text, dead_case_signal(q, ev) };
                found = true;
            } else if (ev->kind == MODEL_EV_CALL && ev->callee_func >= 0) {
                found = find_block(q, ev->callee_func, seen_funcs, w);
            }
        }
    }
    free(reach);
    return found;
}

/* A receive loop of `func` (or a same-file callee) that ends only once its
 * channel is closed: `while (tt_recv(ch, &v) == TT_OK)` with no other exit. */
static bool find_range(q_ctx *q, int32_t func, bool *seen_funcs, q_pos *out)
{
    if (!first_visit(seen_funcs, func))
        return false;
    const model_func *fn = &q_tu(q)->funcs[func];
    bool *reach = q_live_blocks(q, func);
    bool found = false;
    for (uint32_t b = 0; b < fn->nblocks && !found; b++) {
        if (!reach[b])
            continue;
        for (size_t i = 0; i < fn->blocks[b].nevents && !found; i++) {
            const model_event *ev = &fn->blocks[b].events[i];
            if (ev->kind == MODEL_EV_RECV && (ev->flags & MODEL_EVF_LOOP_COND) && !loop_has_jump_exit(q, func, b)) {
                *out = (q_pos){ func, b, (uint32_t)i };
                found = true;
            } else if (ev->kind == MODEL_EV_CALL && ev->callee_func >= 0) {
                found = find_range(q, ev->callee_func, seen_funcs, out);
            }
        }
    }
    free(reach);
    return found;
}

/* Is every tt_close of the channel made by the owner (its function, or a
 * same-file function it calls)? Then only the owner can end the task's
 * receive loop; a close anywhere else (another task, a shutdown function
 * the owner's caller runs) may come later. */
static bool closed_only_by(q_ctx *q, int32_t owner, model_obj_id cls)
{
    bool any = false;
    for (size_t k = 0; k < q_nevents(q); k++) {
        q_pos p = q_event_pos(q, k);
        const model_event *ev = q_ev(q, p);
        if (ev->kind != MODEL_EV_CLOSE || q_class(q, ev->obj) != cls)
            continue;
        if (!q_calls_into(q_tu(q), owner, p.func))
            return false;
        any = true;
    }
    return any;
}

/* The task's receive loop ends only when its channel is closed, only the
 * owner closes it, and the owner can return without closing it: the
 * return (*ret) and the receive (*recv). */
static bool left_open(q_ctx *q, q_pos spawn, int32_t task, q_pos *recv, q_pos *ret)
{
    bool *seen = q_xcalloc(q_tu(q)->nfuncs, sizeof *seen);
    bool found = find_range(q, task, seen, recv);
    free(seen);
    if (!found)
        return false;
    model_obj_id cls = q_class(q, q_ev(q, *recv)->obj);
    const q_facts *f = q_facts_of(q, cls);
    if (!f || f->escapes || f->returned || f->is_ctx_done || f->is_ticker_chan || f->is_after || !f->chan_news ||
        !closed_only_by(q, spawn.func, cls))
        return false;
    return q_spawn_left_open(q, spawn, cls, ret);
}

/* How the owner names the channel at the spawn: the spawn's argument when
 * it is the channel, else where the owner makes it. */
static const char *owner_name(q_ctx *q, q_pos spawn, model_obj_id cls, const char *fallback)
{
    const model_event *sp = q_ev(q, spawn);
    if (sp->nargs && sp->args && q_class(q, sp->args[0]) == cls && sp->arg_texts && sp->arg_texts[0])
        return sp->arg_texts[0];
    q_pos nw;
    if (q_chan_new_of(q, cls, &nw) && q_ev(q, nw)->text)
        return q_ev(q, nw)->text;
    return fallback;
}

/* Blocks of func holding a send that unbuffered-send-no-fallback reports. */
static bool *reported_sends(q_ctx *q, int32_t func)
{
    const model_func *fn = &q_tu(q)->funcs[func];
    bool *in = q_xcalloc(fn->nblocks, sizeof *in);
    for (uint32_t b = 0; b < fn->nblocks; b++)
        for (size_t i = 0; i < fn->blocks[b].nevents && !in[b]; i++) {
            q_send_verdict v;
            if (fn->blocks[b].events[i].kind == MODEL_EV_SEND &&
                q_send_blocks_forever(q, (q_pos){ func, b, (uint32_t)i }, &v))
                in[b] = true;
        }
    return in;
}

/* Is the loop at head stuck: no path leaves it, or only paths a
 * cancellation signal that never fires would take (*signal)? */
static bool loop_stuck(q_ctx *q, int32_t func, uint32_t head, model_obj_id *signal)
{
    *signal = MODEL_NO_OBJ;
    if (!q_block_can_end(q, func, head))
        return true;
    return q_loop_exits_dead(q, func, head, signal);
}

/* Where a note points at the loop at `head`: its keyword, else the first
 * event of the head block or (an empty head) of a block right after it. */
static model_loc loop_place(q_ctx *q, int32_t func, uint32_t head)
{
    const model_func *fn = &q_tu(q)->funcs[func];
    const model_block *hb = &fn->blocks[head];
    model_loc loc;
    if (q_loop_loc(q, func, head, &loc))
        return loc;
    if (hb->nevents)
        return hb->events[0].loc;
    for (size_t s = 0; s < hb->nsucc; s++)
        if (hb->succ[s] < fn->nblocks && fn->blocks[hb->succ[s]].nevents)
            return fn->blocks[hb->succ[s]].events[0].loc;
    return fn->loc;
}

/* A reachable loop of `func` (or of a same-file callee that never returns)
 * that no path leaves, or that only a dead cancellation signal would end.
 * A loop whose every round blocks on a send that unbuffered-send-no-fallback
 * reports is left to that rule: one mistake, one warning. */
static bool find_loop(q_ctx *q, int32_t func, bool *seen_funcs, witness *w)
{
    if (!first_visit(seen_funcs, func))
        return false;
    const model_func *fn = &q_tu(q)->funcs[func];
    bool *reach = q_live_blocks(q, func);
    bool *sends = NULL;
    bool found = false;
    /* outermost first: a loop head none of whose enclosing heads is stuck */
    for (uint32_t b = 0; b < fn->nblocks && !found; b++) {
        if (!reach[b] || !q_block_in_cycle(q, func, b) || !q_loop_contains(q, func, b, b))
            continue; /* b heads no loop */
        model_obj_id signal;
        if (!loop_stuck(q, func, b, &signal))
            continue;
        bool in_stuck_loop = false;
        for (uint32_t h = 0; h < fn->nblocks && !in_stuck_loop; h++) {
            model_obj_id unused;
            in_stuck_loop = h != b && reach[h] && q_loop_contains(q, func, h, b) && loop_stuck(q, func, h, &unused);
        }
        if (in_stuck_loop)
            continue;
        if (!sends)
            sends = reported_sends(q, func);
        if (!q_cycle_avoiding(q, func, b, sends))
            continue;
        *w = (witness){ W_LOOP, loop_place(q, func, b), NULL, signal };
        found = true;
    }
    free(sends);
    for (uint32_t b = 0; b < fn->nblocks && !found; b++) {
        if (!reach[b])
            continue;
        for (size_t i = 0; i < fn->blocks[b].nevents && !found; i++) {
            const model_event *ev = &fn->blocks[b].events[i];
            if (ev->kind == MODEL_EV_CALL && ev->callee_func >= 0 && !q_func_returns(q, ev->callee_func))
                found = find_loop(q, ev->callee_func, seen_funcs, w);
        }
    }
    free(reach);
    return found;
}

/* Where the dead signal is made: a context's tt_ctx_with_cancel, or a
 * channel's tt_chan_new (the first in the file). */
static bool signal_origin(q_ctx *q, model_obj_id sig, const model_event **out)
{
    model_obj_id cls = q_class(q, sig);
    for (size_t k = 0; k < q_nevents(q); k++) {
        const model_event *ev = q_ev(q, q_event_pos(q, k));
        if ((ev->kind == MODEL_EV_CTX_NEW || ev->kind == MODEL_EV_CHAN_NEW) && q_class(q, ev->obj) == cls) {
            *out = ev;
            return true;
        }
    }
    return false;
}

/* Where an owner usually shuts a task down: a same-file function with such
 * a name that is handed the task's argument or the signal. */
static const char *shutdown_func(q_ctx *q, q_pos spawn, model_obj_id sig)
{
    static const char *const words[] = { "destroy", "stop", "close", "shutdown", "free", "fini", "cleanup",
                                         "teardown", "quit", "release", "dispose", "deinit", "term" };
    const model_tu *tu = q_tu(q);
    const model_event *sp = q_ev(q, spawn);
    model_obj_id arg = sp->nargs && sp->args ? q_class(q, sp->args[0]) : MODEL_NO_OBJ;
    model_obj_id sc = q_class(q, sig);
    for (size_t f = 0; f < tu->nfuncs; f++) {
        const model_func *fn = &tu->funcs[f];
        if ((int32_t)f == spawn.func || (int32_t)f == sp->callee_func || !fn->name)
            continue;
        bool handed = false;
        for (size_t p = 0; p < fn->nparams && !handed; p++) {
            model_obj_id pc = q_class(q, fn->params[p].obj);
            handed = pc != MODEL_NO_OBJ && (pc == arg || pc == sc);
        }
        if (!handed)
            continue;
        for (size_t i = 0; i < sizeof words / sizeof *words; i++)
            if (strstr(fn->name, words[i]))
                return fn->name;
    }
    return NULL;
}

/* The advice when the task already waits on a signal that nothing fires:
 * fire that one (named), rather than add another. */
static void signal_hint(q_ctx *q, diag *d, q_pos spawn, const char *task, model_obj_id sig, const char *site)
{
    const q_facts *f = q_facts_of(q, sig);
    const model_event *origin;
    char buf[128];
    if (!f) {
        diag_set_hint(d, "give the task a done channel or context and select on it wherever it blocks or loops");
        return;
    }
    if (f->has_background && !f->ctx_news) {
        diag_set_hint(d, "'%s' waits on tt_ctx_background(), which is never canceled: pass it a context made with "
                         "tt_ctx_with_cancel and cancel that where the owner shuts the task down", task);
        return;
    }
    /* the channel as the note names it at the blocking site, else as made */
    const char *what = site                                              ? site
                       : signal_origin(q, sig, &origin) && origin->text ? origin->text
                                                                         : model_obj_describe(q_tu(q), sig, buf, sizeof buf);
    bool ctx = model_obj_kind(q_tu(q), sig) == MODEL_KIND_CTX || f->ctx_news > 0;
    const char *where = shutdown_func(q, spawn, sig);
    if (where)
        diag_set_hint(d, "%s'%s' is never %s: %s it where the owner shuts '%s' down (for example in '%s')",
                      ctx ? "context " : "", what, ctx ? "canceled" : "closed", ctx ? "cancel" : "close", task, where);
    else
        diag_set_hint(d, "%s'%s' is never %s: %s it where the owner shuts '%s' down", ctx ? "context " : "", what,
                      ctx ? "canceled" : "closed", ctx ? "cancel" : "close", task);
}

/* The receive case of a select that can never complete which most likely is
 * the task's stop signal: a context's done channel, else the last such case
 * (`{ jobs, quit }`). Its channel, or the context. */
static model_obj_id dead_case_signal(q_ctx *q, const model_event *sel)
{
    model_obj_id best = MODEL_NO_OBJ;
    for (size_t c = 0; c < sel->ncases; c++) {
        if (!q_case_never_fires(q, sel, c))
            continue;
        const q_facts *f = q_facts_of(q, sel->cases[c].obj);
        if (f && f->is_ctx_done && f->base != MODEL_NO_OBJ)
            return f->base;
        best = sel->cases[c].obj;
    }
    return best;
}

static void report(q_ctx *q, diag_list *out, q_pos at, const witness *w)
{
    const model_tu *tu = q_tu(q);
    const model_event *spawn = q_ev(q, at);
    const char *name = spawn->callee ? spawn->callee : "?";
    diag *d = diag_new(out, RULE_ID, tu->path, spawn->loc,
                       "task '%s' %s forever: no cancellation signal reaches it", name,
                       w->kind == W_LOOP ? "loops" : "can block");
    model_obj_id hint_sig = w->signal;
    switch (w->kind) {
    case W_RECV:
        diag_add_note(d, w->loc, "'%s' blocks here on tt_recv from '%s', which nothing sends to or closes",
                      name, w->text);
        break;
    case W_RANGE:
        diag_add_note(d, w->loc, "'%s' blocks here on tt_recv from '%s', which nothing closes", name, w->text);
        break;
    case W_BACKGROUND:
        diag_add_note(d, w->loc,
                      "'%s' blocks here on tt_recv from the done channel of a background context, which is never canceled",
                      name);
        break;
    case W_CTX_DONE:
        diag_add_note(d, w->loc, "'%s' blocks here on tt_recv from '%s', whose context is never canceled",
                      name, w->text);
        break;
    case W_SELECT:
        diag_add_note(d, w->loc, "'%s' blocks here on tt_select with no case that can become ready", name);
        break;
    case W_LOOP: {
        const model_event *origin;
        if (w->signal == MODEL_NO_OBJ) {
            diag_add_note(d, w->loc, "'%s' loops here with no exit", name);
            break;
        }
        diag_add_note(d, w->loc, "'%s' loops here and leaves only on a cancellation signal that never fires", name);
        if (signal_origin(q, w->signal, &origin)) {
            const char *what = origin->text ? origin->text : "?";
            if (origin->kind == MODEL_EV_CTX_NEW)
                diag_add_note(d, origin->loc, "context '%s' is made here and never canceled", what);
            else
                diag_add_note(d, origin->loc, "'%s' is made here and never closed or sent to", what);
        }
        break;
    }
    case W_NONE:
        break;
    }
    if (hint_sig != MODEL_NO_OBJ)
        signal_hint(q, d, at, name, hint_sig,
                    (w->kind == W_RECV || w->kind == W_RANGE) && w->text ? w->text : NULL);
    else
        diag_set_hint(d, "give the task a done channel or context and select on it wherever it blocks or loops");
}

/* An owner that never returns after the spawn (a server's endless main
 * loop, or a path that ends in exit()) keeps its tasks for the life of the
 * process: they are not leaked. */
static bool owner_outlives(q_ctx *q, q_pos spawn)
{
    return !q_returns_after(q, spawn, NULL);
}

/* The first way the spawned task can get stuck: a blocking point, else a
 * loop (each search follows same-file callees once). */
static bool task_stuck(q_ctx *q, int32_t task, witness *w)
{
    bool *seen = q_xcalloc(q_tu(q)->nfuncs, sizeof *seen);
    bool found = find_block(q, task, seen, w);
    if (!found) {
        memset(seen, 0, q_tu(q)->nfuncs * sizeof *seen);
        found = find_loop(q, task, seen, w);
    }
    free(seen);
    return found;
}

/* The owner returns without closing the channel the task ranges over. */
static void report_left_open(q_ctx *q, diag_list *out, q_pos spawn, q_pos recv, q_pos ret)
{
    const model_tu *tu = q_tu(q);
    const model_event *sp = q_ev(q, spawn), *rv = q_ev(q, recv);
    const char *name = sp->callee ? sp->callee : "?";
    const char *ch = owner_name(q, spawn, q_class(q, rv->obj), rv->text ? rv->text : "?");
    diag *d = diag_new(out, RULE_ID, tu->path, sp->loc, "task '%s' can block forever: no cancellation signal reaches it",
                       name);
    diag_add_note(d, rv->loc, "'%s' blocks here on tt_recv from '%s' until it is closed", name,
                  rv->text ? rv->text : "?");
    diag_add_note(d, q_ev(q, ret)->loc, "'%s' is left blocked on '%s' when the owner returns here without closing it",
                  name, ch);
    diag_set_hint(d, "call tt_close(%s) on every path out of '%s' after the spawn", ch, tu->funcs[spawn.func].name);
}

static void check_spawn(q_ctx *q, q_pos at, void *out)
{
    const model_event *ev = q_ev(q, at);
    witness w = { W_NONE, { 0, 0 }, NULL, MODEL_NO_OBJ };
    if (ev->callee_func < 0 || owner_outlives(q, at))
        return;
    if (task_stuck(q, ev->callee_func, &w)) {
        report(q, out, at, &w);
        return;
    }
    q_pos recv, ret;
    if (left_open(q, at, ev->callee_func, &recv, &ret))
        report_left_open(q, out, at, recv, ret);
}

static int run(const model_tu *tu, diag_list *out)
{
    q_check_each(tu, MODEL_EV_SPAWN, check_spawn, out);
    return 0;
}

const rule rule_spawn_no_cancel = {
    .id = "spawn-no-cancel",
    .summary = "A spawned task can block or loop forever and no cancellation signal from its owner reaches it.",
    .run = run,
};
