/* query_send.c — can a plain tt_send on an unbuffered channel block forever?
 * The analysis behind unbuffered-send-no-fallback, shared so that other
 * rules can tell when that rule already reports a task's mistake. */
#include "model/query_impl.h"

#include <stdlib.h>

size_t q_task_spawns(const q_ctx *q, int32_t func, q_pos *out, size_t cap)
{
    size_t n = 0;
    for (size_t k = 0; k < q_nevents(q); k++) {
        q_pos p = q_event_pos(q, k);
        const model_event *ev = q_ev(q, p);
        if (ev->kind == MODEL_EV_SPAWN && ev->callee_func >= 0 && q_calls_into(q_tu(q), ev->callee_func, func) &&
            n < cap)
            out[n++] = p;
    }
    return n;
}

bool q_receives(const q_ctx *q, const model_event *ev, model_obj_id cls)
{
    if (ev->kind == MODEL_EV_RECV)
        return q_class(q, ev->obj) == cls;
    if (ev->kind == MODEL_EV_SELECT)
        for (size_t i = 0; i < ev->ncases; i++)
            if (ev->cases[i].op == 1 && q_class(q, ev->cases[i].obj) == cls)
                return true;
    return false;
}

/* Does the event receive from the class, itself or through the same-file
 * function it calls or spawns? */
static bool receives_here(q_ctx *q, const model_event *ev, model_obj_id cls)
{
    return q_receives(q, ev, cls) || ((ev->kind == MODEL_EV_CALL || ev->kind == MODEL_EV_SPAWN) &&
                                      ev->callee_func >= 0 && q_func_touches(q, ev->callee_func, cls, MODEL_EV_RECV));
}

/* A path to a return on which nothing receives from the class (user: it). */
static q_verdict visit_no_recv(q_ctx *q, q_pos at, const model_event *ev, void *user)
{
    return receives_here(q, ev, *(const model_obj_id *)user) ? Q_CUT : q_visit_return(q, at, ev, NULL);
}

/* A receive from the class (user: it): the owner uses the task's channel. */
static q_verdict visit_recv_use(q_ctx *q, q_pos at, const model_event *ev, void *user)
{
    (void)at;
    return receives_here(q, ev, *(const model_obj_id *)user) ? Q_FOUND : Q_GO;
}

/* Heads of the loops of func that receive from the class: a counted loop
 * around a receive is taken to run at least once. */
static bool *loops_that_receive(q_ctx *q, int32_t func, model_obj_id cls)
{
    const model_func *fn = &q_tu(q)->funcs[func];
    bool *cut = q_xcalloc(fn->nblocks, sizeof *cut);
    for (uint32_t b = 0; b < fn->nblocks; b++)
        for (size_t i = 0; i < fn->blocks[b].nevents; i++) {
            int64_t head = q_loop_of(q, func, b);
            if (head >= 0 && receives_here(q, &fn->blocks[b].events[i], cls))
                cut[head] = true;
        }
    return cut;
}

/* How the owner names the channel: the spawn's argument, else its creation. */
static const char *owner_text(q_ctx *q, q_pos spawn, model_obj_id cls, const char *fallback)
{
    const model_event *sp = q_ev(q, spawn);
    if (sp->nargs && sp->args && q_class(q, sp->args[0]) == cls && sp->arg_texts && sp->arg_texts[0])
        return sp->arg_texts[0];
    const model_func *fn = &q_tu(q)->funcs[spawn.func];
    for (size_t b = 0; b < fn->nblocks; b++)
        for (size_t i = 0; i < fn->blocks[b].nevents; i++) {
            const model_event *ev = &fn->blocks[b].events[i];
            if (ev->kind == MODEL_EV_CHAN_NEW && q_class(q, ev->obj) == cls && ev->text)
                return ev->text;
        }
    return fallback;
}

/* Does some CASE_TEST of func branch on this select's result? */
static bool case_tested(const q_ctx *q, int32_t func, const model_event *sel)
{
    const model_func *fn = &q_tu(q)->funcs[func];
    for (size_t b = 0; b < fn->nblocks; b++)
        for (size_t i = 0; i < fn->blocks[b].nevents; i++) {
            const model_event *ev = &fn->blocks[b].events[i];
            if (ev->kind == MODEL_EV_CASE_TEST && ev->select_loc.line == sel->loc.line &&
                ev->select_loc.col == sel->loc.col)
                return true;
        }
    return false;
}

/* A select in a loop with a timeout or cancel case (r): after that case
 * ran, can the receiver return without receiving from cls again (the loop
 * ends through its own condition, a break or a return)? Only the branches
 * the model ties to that case (CASE_TEST) are followed; a select whose
 * result nothing tests is taken to keep receiving. *loc: that case. */
static bool gives_up_in_loop(q_ctx *q, q_pos r, model_obj_id cls, model_loc *loc)
{
    const model_event *sel = q_ev(q, r);
    if (sel->ncases >= 63 || !case_tested(q, r.func, sel))
        return false;
    for (size_t c = 0; c < sel->ncases; c++) {
        const q_facts *f = q_facts_of(q, sel->cases[c].obj);
        if (sel->cases[c].op != 1 || !f || !(f->is_after || f->is_ctx_done))
            continue;
        if (q_walk_case(q, r, sel, (uint64_t)1 << c, visit_no_recv, &cls, NULL)) {
            *loc = sel->cases[c].loc.line ? sel->cases[c].loc : sel->loc;
            return true;
        }
    }
    return false;
}

/* Does the event fire the signal `target` (a context: cancel; a channel:
 * close or send), itself or through a same-file function it calls or spawns? */
static bool fires(q_ctx *q, const model_event *ev, model_obj_id target, bool ctx)
{
    model_ev_kind k1 = ctx ? MODEL_EV_CTX_CANCEL : MODEL_EV_CLOSE, k2 = ctx ? MODEL_EV_CTX_CANCEL : MODEL_EV_SEND;
    if ((ev->kind == k1 || ev->kind == k2) && q_class(q, ev->obj) == target)
        return true;
    if (ev->kind == MODEL_EV_SELECT && !ctx)
        for (size_t c = 0; c < ev->ncases; c++)
            if (ev->cases[c].op == 2 && q_class(q, ev->cases[c].obj) == target)
                return true;
    return (ev->kind == MODEL_EV_CALL || ev->kind == MODEL_EV_SPAWN) && ev->callee_func >= 0 &&
           (q_func_touches(q, ev->callee_func, target, k1) || q_func_touches(q, ev->callee_func, target, k2) ||
            (!ctx && q_func_touches(q, ev->callee_func, target, MODEL_EV_SELECT)));
}

/* Can the receiver's case on `sig` (a context's done channel, or a quit
 * channel) fire only after the send s is over? True when the sending
 * function runs once and is the only one to fire it (cancel; close or send),
 * never before s on any path, and a context has no timeout and no parent
 * anything can cancel. Such a case cannot make the receiver give up while
 * the send is pending: the owner sends, then signals. */
static bool late_signal(q_ctx *q, q_pos s, model_obj_id sig)
{
    const q_facts *f = q_facts_of(q, sig);
    if (!f || f->is_after || f->is_ticker_chan || f->escapes || f->returned)
        return false;
    bool ctx = f->is_ctx_done;
    model_obj_id target = ctx ? q_class(q, f->base) : q_class(q, sig);
    const q_facts *tf = q_facts_of(q, target);
    if (!tf || tf->escapes || tf->returned || tf->has_null || tf->has_background)
        return false;
    if (ctx && (tf->ctx_timeouts || !tf->ctx_news))
        return false;
    unsigned runs = 0, fired = 0;
    for (size_t k = 0; k < q_nevents(q); k++) {
        q_pos p = q_event_pos(q, k);
        const model_event *ev = q_ev(q, p);
        if ((ev->kind == MODEL_EV_CALL || ev->kind == MODEL_EV_SPAWN) && ev->callee_func == s.func)
            runs += q_block_in_cycle(q, p.func, p.block) ? 2 : 1;
        if (ctx && ev->kind == MODEL_EV_CTX_NEW && q_class(q, ev->obj) == target &&
            (ev->obj2 == MODEL_NO_OBJ || q_ctx_cancelable(q, q_class(q, ev->obj2))))
            return false;
        if (!fires(q, ev, target, ctx))
            continue;
        if (p.func != s.func || q_reaches(q, p, s))
            return false;
        fired++;
    }
    /* a signal nothing fires is another rule's finding: keep the old view */
    return runs <= 1 && fired > 0;
}

/* A select on cls whose other cases are all late signals (late_signal):
 * while s is pending it is a plain receive. After its case on cls ran, can
 * the receiver return without receiving again? Counted loops are taken to
 * match their senders, as plain receives are. */
static bool select_as_recv(q_ctx *q, q_pos s, q_pos r, model_obj_id cls, bool sender_repeats, q_send_why *why,
                           model_loc *loc)
{
    const model_event *ev = q_ev(q, r);
    if (ev->has_default || ev->ncases >= 63)
        return false;
    int data = -1;
    for (size_t c = 0; c < ev->ncases; c++) {
        if (ev->cases[c].op == 1 && q_class(q, ev->cases[c].obj) == cls && data < 0)
            data = (int)c;
        else if (ev->cases[c].op != 1 || !late_signal(q, s, ev->cases[c].obj))
            return false;
    }
    if (data < 0)
        return false;
    *why = Q_SEND_OK;
    if (!sender_repeats)
        return true;
    q_pos ret;
    if (!q_walk_case(q, r, ev, (uint64_t)1 << data, visit_no_recv, &cls, &ret))
        return true;
    int64_t head = q_loop_of(q, r.func, r.block);
    long long trips;
    if (head >= 0 && q_loop_trip_count(q, r.func, (uint32_t)head, &trips))
        return true;
    *why = Q_SEND_STOPS;
    *loc = q_ev(q, ret)->loc;
    return true;
}

/* The receiver side of one receive: gives up, stops early, or keeps going.
 * *terminated: whether the send is always followed by a terminator message
 * (q_send_terminated), computed on first need (-1: not yet). */
static q_send_why classify(q_ctx *q, q_pos s, q_pos r, model_obj_id cls, bool sender_repeats, bool sender_forever,
                           int *terminated, model_loc *loc)
{
    const model_event *ev = q_ev(q, r);
    const model_func *fn = &q_tu(q)->funcs[r.func];
    bool cyc = q_block_in_cycle(q, r.func, r.block);
    q_send_why late_why;
    if (ev->kind == MODEL_EV_SELECT && select_as_recv(q, s, r, cls, sender_repeats, &late_why, loc))
        return late_why;
    if (ev->kind == MODEL_EV_SELECT) {
        int fb = q_select_fallback(q, ev);
        if (fb >= 0 || fb == -2) {
            const q_facts *f = fb >= 0 ? q_facts_of(q, ev->cases[fb].obj) : NULL;
            bool cancel = f && f->is_ctx_done;
            if (cancel || !cyc) {
                *loc = fb >= 0 ? ev->cases[fb].loc : ev->loc;
                if (!loc->line)
                    *loc = ev->loc;
                return Q_SEND_GIVES_UP;
            }
            return gives_up_in_loop(q, r, cls, loc) ? Q_SEND_GIVES_UP : Q_SEND_OK;
        }
    }
    if (!cyc) {
        if (!sender_repeats)
            return Q_SEND_OK;
        q_pos ret;
        *loc = q_returns_after(q, r, &ret) ? q_ev(q, ret)->loc : ev->loc;
        return Q_SEND_STOPS;
    }
    int64_t head = q_loop_of(q, r.func, r.block);
    if (ev->flags & MODEL_EVF_IN_COND) {
        /* a receive in a loop's condition, or deciding an `if` that leaves
         * the loop once the channel is closed (until closed): only other
         * jumps stop early */
        bool loop_cond = (ev->flags & MODEL_EVF_LOOP_COND) != 0;
        uint32_t cond = loop_cond || r.idx + 1 != fn->blocks[r.block].nevents ? UINT32_MAX : r.block;
        if (sender_repeats && head >= 0 && q_loop_jump_exit(q, r.func, (uint32_t)head, cond)) {
            /* the owner ends with a terminator message: the break is the
             * receiver's answer to it, and strands nothing sent before */
            if (*terminated < 0)
                *terminated = q_send_terminated(q, s);
            if (*terminated)
                return Q_SEND_OK;
            /* the jump statement, or the receive when its position is unknown */
            if (!q_loop_jump_loc_except(q, r.func, (uint32_t)head, cond, loc))
                *loc = ev->loc;
            return Q_SEND_STOPS;
        }
        return Q_SEND_OK;
    }
    if (head >= 0 && q_block_can_end(q, r.func, (uint32_t)head) && sender_forever) {
        if (!q_loop_loc(q, r.func, (uint32_t)head, loc))
            *loc = fn->blocks[head].nevents ? fn->blocks[head].events[0].loc : ev->loc;
        return Q_SEND_STOPS;
    }
    return Q_SEND_OK;
}

/* Is some unbuffered plain send of r's function, on a class other than
 * `cls`, before r on every path, with all its receives in s's function
 * after s? Then r's function is stuck at that send: *blocker. */
static bool blocked_before(q_ctx *q, q_pos s, q_pos r, model_obj_id cls, q_pos *blocker)
{
    for (size_t j = 0; j < q_nevents(q); j++) {
        q_pos s2 = q_event_pos(q, j);
        const model_event *sev = q_ev(q, s2);
        if (s2.func != r.func || sev->kind != MODEL_EV_SEND)
            continue;
        model_obj_id c2 = q_class(q, sev->obj);
        if (c2 == cls || !q_chan_unbuffered(q, c2) || q_facts_of(q, c2)->escapes || !q_must_precede(q, s2, r))
            continue;
        bool all_after = true, some = false;
        for (size_t m = 0; m < q_nevents(q) && all_after; m++) {
            q_pos r2 = q_event_pos(q, m);
            if (!q_receives(q, q_ev(q, r2), c2))
                continue;
            some = true;
            if (r2.func != s.func || !q_must_precede(q, s, r2))
                all_after = false;
        }
        if (some && all_after) {
            *blocker = s2;
            return true;
        }
    }
    return false;
}

/* Circular wait: every receive of `cls` comes after the receiver's own
 * unbuffered send, whose only receives come after this send — or every
 * receive of `cls` is in the sending task itself, after this send (tasks
 * that each send to the other first: struct fields merge their channels,
 * which only adds receivers, so this still holds). */
static bool circular(q_ctx *q, q_pos s, model_obj_id cls, q_send_verdict *v)
{
    bool any = false, self = false;
    for (size_t k = 0; k < q_nevents(q); k++) {
        q_pos r = q_event_pos(q, k);
        const model_event *rev = q_ev(q, r);
        if (!q_receives(q, rev, cls))
            continue;
        if (rev->kind != MODEL_EV_RECV)
            return false;
        if (r.func == s.func) {
            if (!q_must_precede(q, s, r))
                return false;
            self = true;
            continue;
        }
        q_pos blocker;
        if (!blocked_before(q, s, r, cls, &blocker))
            return false;
        any = true;
        v->other = r.func;
        v->other_send = blocker;
    }
    if (self && !any) {
        v->other = s.func;
        v->other_send = s;
    }
    return any || self;
}

static bool called_in_loop(q_ctx *q, int32_t func)
{
    for (size_t k = 0; k < q_nevents(q); k++) {
        q_pos p = q_event_pos(q, k);
        const model_event *ev = q_ev(q, p);
        if ((ev->kind == MODEL_EV_CALL || ev->kind == MODEL_EV_SPAWN) && ev->callee_func == func &&
            q_block_in_cycle(q, p.func, p.block))
            return true;
    }
    return false;
}

bool q_send_blocks_forever(q_ctx *q, q_pos s, q_send_verdict *v)
{
    const model_event *sev = q_ev(q, s);
    *v = (q_send_verdict){ Q_SEND_OK, { 0, 0 }, NULL, -1, { -1, 0, 0 }, false };
    model_obj_id cls = q_class(q, sev->obj);
    if (sev->kind != MODEL_EV_SEND || cls == MODEL_NO_OBJ || !q_chan_unbuffered(q, cls))
        return false;
    const q_facts *f = q_facts_of(q, cls);
    if (f->escapes)
        return false;
    q_pos spawns[16];
    size_t nspawns = q_task_spawns(q, s.func, spawns, 16);
    bool in_loop = q_block_in_cycle(q, s.func, s.block);
    bool sender_repeats = in_loop || called_in_loop(q, s.func);
    for (size_t i = 0; i < nspawns; i++)
        sender_repeats |= q_block_in_cycle(q, spawns[i].func, spawns[i].block);
    bool sender_forever = in_loop && !q_block_can_end(q, s.func, s.block);
    v->sender_repeats = sender_repeats;

    if (nspawns && circular(q, s, cls, v)) {
        v->why = Q_SEND_CIRCULAR;
        return true;
    }

    q_send_why why = Q_SEND_OK;
    model_loc wloc = { 0, 0 };
    bool steady = false, any_recv = false;
    int terminated = -1;
    for (size_t k = 0; k < q_nevents(q); k++) {
        q_pos r = q_event_pos(q, k);
        if (!q_receives(q, q_ev(q, r), cls))
            continue;
        any_recv = true;
        model_loc loc = { 0, 0 };
        q_send_why w = classify(q, s, r, cls, sender_repeats, sender_forever, &terminated, &loc);
        if (w == Q_SEND_OK)
            steady = true;
        else if (why == Q_SEND_OK)
            why = w, wloc = loc;
    }
    /* the owner returns on some path without receiving at all */
    for (size_t i = 0; i < nspawns && why == Q_SEND_OK && !f->returned; i++) {
        q_pos ret;
        bool *cut = loops_that_receive(q, spawns[i].func, cls);
        bool leaves = q_walk_from_spawn(q, spawns[i], visit_no_recv, &cls, visit_recv_use, &cls, cut, &ret);
        free(cut);
        if (!leaves)
            continue;
        bool owner_only = true;
        for (size_t k = 0; k < q_nevents(q) && owner_only; k++) {
            q_pos r = q_event_pos(q, k);
            if (q_receives(q, q_ev(q, r), cls) && r.func != spawns[i].func &&
                !q_calls_into(q_tu(q), spawns[i].func, r.func))
                owner_only = false;
        }
        if (owner_only) {
            why = Q_SEND_RETURNS;
            wloc = q_ev(q, ret)->loc;
            v->text = owner_text(q, spawns[i], cls, sev->text ? sev->text : "?");
            steady = false;
        }
    }
    if (why == Q_SEND_OK || (steady && why != Q_SEND_RETURNS) || (!any_recv && why != Q_SEND_RETURNS))
        return false;
    v->why = why;
    v->loc = wloc;
    return true;
}

/* How far every run of the event at `from` is followed by a plain send on
 * cls before its function returns, or after the call in each same-file
 * caller: 0 always; 1 but for runs at a place that runs at most once (the
 * terminator itself); 2 not (or cannot tell). */
static int followed(q_ctx *q, q_pos from, model_obj_id cls, int depth)
{
    q_pos ret;
    if (!q_returns_after(q, from, NULL))
        return 2; /* a sender that never returns sends no terminator */
    if (!q_leak_path(q, from, false, cls, Q_REL_SEND, &ret))
        return 0;
    if (depth > 4 || q_block_in_cycle(q, from.func, from.block))
        return 2; /* the last round of a loop is not followed */
    int worst = -1;
    unsigned spawns = 0;
    for (size_t k = 0; k < q_nevents(q) && worst < 2; k++) {
        q_pos p = q_event_pos(q, k);
        const model_event *ev = q_ev(q, p);
        if (ev->callee_func != from.func)
            continue;
        if (ev->kind == MODEL_EV_CALL) {
            int r = p.func == from.func ? 2 : followed(q, p, cls, depth + 1);
            worst = r > worst ? r : worst;
        } else if (ev->kind == MODEL_EV_SPAWN) {
            spawns += q_block_in_cycle(q, p.func, p.block) ? 2 : 1;
        }
    }
    if (worst >= 0)
        return spawns ? 2 : worst;
    return spawns > 1 ? 2 : 1; /* main, or a task spawned once */
}

bool q_send_terminated(q_ctx *q, q_pos send)
{
    const model_event *ev = q_ev(q, send);
    model_obj_id cls = q_class(q, ev->obj);
    if (ev->kind != MODEL_EV_SEND || cls == MODEL_NO_OBJ)
        return false;
    return followed(q, send, cls, 0) <= 1;
}
