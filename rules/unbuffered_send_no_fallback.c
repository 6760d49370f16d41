/* unbuffered_send_no_fallback.c — unbuffered-send-no-fallback: a plain
 * tt_send on an unbuffered channel whose receiver can stop receiving first
 * (gives up on a timeout or cancel, leaves its loop, receives fewer times
 * than the sender sends, returns without receiving), or that waits in a
 * circle with another task's send. */
#include <stdlib.h>
#include <string.h>

#include "model/query.h"
#include "rule.h"

static const char *const RULE_ID = "unbuffered-send-no-fallback";

typedef struct ctx {
    q_ctx *q;
    const model_tu *tu;
    diag_list *out;
} ctx;

static bool func_calls_into(const model_tu *tu, int32_t from, int32_t target)
{
    return q_calls_into(tu, from, target);
}

/* Spawn sites of tasks that run `func` (directly or through calls). */
static size_t sender_spawns(ctx *c, int32_t func, q_pos *out, size_t cap)
{
    size_t n = 0;
    for (size_t k = 0; k < q_nevents(c->q); k++) {
        q_pos p = q_event_pos(c->q, k);
        const model_event *ev = q_ev(c->q, p);
        if (ev->kind == MODEL_EV_SPAWN && ev->callee_func >= 0 &&
            func_calls_into(c->tu, ev->callee_func, func) && n < cap)
            out[n++] = p;
    }
    return n;
}

/* Is the event a receive from the class (plain or a select case)? */
static bool receives(const q_ctx *q, const model_event *ev, model_obj_id cls)
{
    if (ev->kind == MODEL_EV_RECV)
        return q_class(q, ev->obj) == cls;
    if (ev->kind == MODEL_EV_SELECT)
        for (size_t i = 0; i < ev->ncases; i++)
            if (ev->cases[i].op == 1 && q_class(q, ev->cases[i].obj) == cls)
                return true;
    return false;
}

typedef struct avoid_ctx { model_obj_id cls; } avoid_ctx;

static q_verdict visit_no_recv(q_ctx *q, q_pos at, const model_event *ev, void *user)
{
    (void)at;
    avoid_ctx *a = user;
    if (receives(q, ev, a->cls))
        return Q_CUT;
    if ((ev->kind == MODEL_EV_CALL || ev->kind == MODEL_EV_SPAWN) && ev->callee_func >= 0 &&
        q_func_touches(q, ev->callee_func, a->cls, MODEL_EV_RECV))
        return Q_CUT;
    if (ev->kind == MODEL_EV_NORETURN)
        return Q_CUT;
    if (ev->kind == MODEL_EV_CALL && ev->callee_func >= 0 && !q_func_returns(q, ev->callee_func))
        return Q_CUT;
    return ev->kind == MODEL_EV_RETURN ? Q_FOUND : Q_GO;
}

static q_verdict visit_return(q_ctx *q, q_pos at, const model_event *ev, void *user)
{
    (void)at;
    (void)user;
    if (ev->kind == MODEL_EV_NORETURN)
        return Q_CUT;
    if (ev->kind == MODEL_EV_CALL && ev->callee_func >= 0 && !q_func_returns(q, ev->callee_func))
        return Q_CUT;
    return ev->kind == MODEL_EV_RETURN ? Q_FOUND : Q_GO;
}

/* Heads of the loops of func that receive from the class: a counted loop
 * around a receive is taken to run at least once. */
static bool *loops_that_receive(ctx *c, int32_t func, model_obj_id cls)
{
    const model_func *fn = &c->tu->funcs[func];
    bool *cut = calloc(fn->nblocks ? fn->nblocks : 1, sizeof *cut);
    if (!cut)
        abort();
    for (uint32_t b = 0; b < fn->nblocks; b++)
        for (size_t i = 0; i < fn->blocks[b].nevents; i++) {
            const model_event *ev = &fn->blocks[b].events[i];
            bool recv = receives(c->q, ev, cls) ||
                        ((ev->kind == MODEL_EV_CALL || ev->kind == MODEL_EV_SPAWN) && ev->callee_func >= 0 &&
                         q_func_touches(c->q, ev->callee_func, cls, MODEL_EV_RECV));
            if (!recv)
                continue;
            int64_t head = q_loop_of(c->q, func, b);
            if (head >= 0)
                cut[head] = true;
        }
    return cut;
}

/* How the owner names the channel: the spawn's argument, else its creation. */
static const char *owner_text(ctx *c, q_pos spawn, model_obj_id cls, const char *fallback)
{
    const model_event *sp = q_ev(c->q, spawn);
    if (sp->nargs && sp->args && q_class(c->q, sp->args[0]) == cls && sp->arg_texts && sp->arg_texts[0])
        return sp->arg_texts[0];
    const model_func *fn = &c->tu->funcs[spawn.func];
    for (size_t b = 0; b < fn->nblocks; b++)
        for (size_t i = 0; i < fn->blocks[b].nevents; i++) {
            const model_event *ev = &fn->blocks[b].events[i];
            if (ev->kind == MODEL_EV_CHAN_NEW && q_class(c->q, ev->obj) == cls && ev->text)
                return ev->text;
        }
    return fallback;
}

typedef enum { N_NONE, N_RETURNS, N_STOPS, N_GIVES_UP } note_kind;

typedef struct verdict {
    note_kind kind;
    model_loc loc;
    const char *text;
} verdict;

/* The receiver side of one receive: gives up, stops early, or keeps going. */
static note_kind classify(ctx *c, q_pos r, model_obj_id cls, bool sender_repeats, bool sender_forever,
                          model_loc *loc)
{
    q_ctx *q = c->q;
    const model_event *ev = q_ev(q, r);
    const model_func *fn = &c->tu->funcs[r.func];
    bool cyc = q_block_in_cycle(q, r.func, r.block);
    if (ev->kind == MODEL_EV_SELECT) {
        int fb = q_select_fallback(q, ev);
        if (fb >= 0 || fb == -2) {
            const q_facts *f = fb >= 0 ? q_facts_of(q, ev->cases[fb].obj) : NULL;
            bool cancel = f && f->is_ctx_done;
            if (cancel || !cyc) {
                *loc = fb >= 0 ? ev->cases[fb].loc : ev->loc;
                if (!loc->line)
                    loc->line = ev->loc.line, loc->col = ev->loc.col;
                return N_GIVES_UP;
            }
            return N_NONE;
        }
    }
    (void)cls;
    if (!cyc) {
        if (!sender_repeats)
            return N_NONE;
        q_pos ret;
        if (q_walk(q, r, false, visit_return, NULL, &ret))
            *loc = q_ev(q, ret)->loc;
        else
            *loc = ev->loc;
        return N_STOPS;
    }
    int64_t head = q_loop_of(q, r.func, r.block);
    bool drains = (ev->flags & MODEL_EVF_IN_COND) != 0; /* until closed */
    if (drains) {
        model_loc jump;
        /* a receive in a loop's condition, or deciding an `if` that leaves
         * the loop once the channel is closed: only other jumps stop early */
        bool loop_cond = (ev->flags & MODEL_EVF_LOOP_COND) != 0;
        uint32_t cond = loop_cond || r.idx + 1 != fn->blocks[r.block].nevents ? UINT32_MAX : r.block;
        if (sender_repeats && head >= 0 && q_loop_jump_exit(q, r.func, (uint32_t)head, cond)) {
            /* the jump statement, or the receive when the source is not readable */
            *loc = q_src_loop_jump_loc_except(q, r.func, (uint32_t)head, cond, &jump) ? jump : ev->loc;
            return N_STOPS;
        }
        return N_NONE;
    }
    if (head >= 0 && q_block_can_end(q, r.func, (uint32_t)head) && sender_forever) {
        if (!q_src_loop_loc(q, r.func, (uint32_t)head, loc))
            *loc = fn->blocks[head].nevents ? fn->blocks[head].events[0].loc : ev->loc;
        return N_STOPS;
    }
    return N_NONE;
}

/* Circular wait: every receive of `cls` comes after the receiver's own
 * unbuffered send, whose only receives come after this send. */
static bool circular(ctx *c, q_pos s, model_obj_id cls, int32_t *other)
{
    q_ctx *q = c->q;
    bool any = false;
    for (size_t k = 0; k < q_nevents(q); k++) {
        q_pos r = q_event_pos(q, k);
        const model_event *rev = q_ev(q, r);
        if (!receives(q, rev, cls))
            continue;
        if (rev->kind != MODEL_EV_RECV || r.func == s.func)
            return false;
        bool blocked = false;
        for (size_t j = 0; j < q_nevents(q) && !blocked; j++) {
            q_pos s2 = q_event_pos(q, j);
            const model_event *sev = q_ev(q, s2);
            if (s2.func != r.func || sev->kind != MODEL_EV_SEND)
                continue;
            model_obj_id c2 = q_class(q, sev->obj);
            if (c2 == cls || !q_chan_unbuffered(q, c2) || !q_must_precede(q, s2, r))
                continue;
            bool all_after = true, some = false;
            for (size_t m = 0; m < q_nevents(q) && all_after; m++) {
                q_pos r2 = q_event_pos(q, m);
                if (!receives(q, q_ev(q, r2), c2))
                    continue;
                some = true;
                if (r2.func != s.func || !q_must_precede(q, s, r2))
                    all_after = false;
            }
            blocked = some && all_after;
        }
        if (!blocked)
            return false;
        any = true;
        *other = r.func;
    }
    return any;
}

static void add_spawn_notes(ctx *c, diag *d, const q_pos *spawns, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const model_event *sp = q_ev(c->q, spawns[i]);
        diag_add_note(d, sp->loc, "'%s' is spawned here", sp->callee ? sp->callee : "?");
    }
}

static bool repeats_at(ctx *c, q_pos p)
{
    return q_block_in_cycle(c->q, p.func, p.block);
}

/* Is the function called (or spawned) from inside a loop anywhere? */
static bool called_in_loop(ctx *c, int32_t func)
{
    for (size_t k = 0; k < q_nevents(c->q); k++) {
        q_pos p = q_event_pos(c->q, k);
        const model_event *ev = q_ev(c->q, p);
        if ((ev->kind == MODEL_EV_CALL || ev->kind == MODEL_EV_SPAWN) && ev->callee_func == func &&
            repeats_at(c, p))
            return true;
    }
    return false;
}

static void suggest(ctx *c, diag *d, model_obj_id cls, bool once)
{
    q_pos nw;
    model_loc b, e;
    char text[32];
    if (once && q_chan_new_of(c->q, cls, &nw) &&
        q_src_call_arg(c->q, q_ev(c->q, nw)->loc, 1, &b, &e, text, sizeof text) && strcmp(text, "0") == 0) {
        diag_add_fixit(d, b, e, "1");
        const char *name = q_ev(c->q, nw)->text ? q_ev(c->q, nw)->text : "the channel";
        diag_set_hint(d, "make '%s' buffered with capacity 1 so the send cannot block", name);
    } else {
        diag_set_hint(d, "send inside a tt_select with a case on a done channel or context so the sender can give up");
    }
}

static void check_send(ctx *c, q_pos s)
{
    q_ctx *q = c->q;
    const model_event *sev = q_ev(q, s);
    model_obj_id cls = q_class(q, sev->obj);
    if (cls == MODEL_NO_OBJ || !q_chan_unbuffered(q, cls))
        return;
    const q_facts *f = q_facts_of(q, cls);
    if (f->escapes)
        return;
    const char *name = sev->text ? sev->text : "?";
    q_pos spawns[16];
    size_t nspawns = sender_spawns(c, s.func, spawns, 16);
    bool in_loop = repeats_at(c, s);
    bool sender_repeats = in_loop || called_in_loop(c, s.func);
    for (size_t i = 0; i < nspawns; i++)
        sender_repeats |= repeats_at(c, spawns[i]);
    bool sender_forever = in_loop && !q_block_can_end(q, s.func, s.block);

    int32_t other = -1;
    if (nspawns && circular(c, s, cls, &other)) {
        diag *d = diag_new(c->out, RULE_ID, c->tu->path, sev->loc,
                           "send on unbuffered channel '%s' can block forever: its receiver can stop receiving first",
                           name);
        add_spawn_notes(c, d, spawns, nspawns);
        q_pos others[16];
        size_t nothers = sender_spawns(c, other, others, 16);
        add_spawn_notes(c, d, others, nothers);
        suggest(c, d, cls, !sender_repeats);
        return;
    }

    verdict v = { N_NONE, { 0, 0 }, NULL };
    bool steady = false, any_recv = false;
    for (size_t k = 0; k < q_nevents(q); k++) {
        q_pos r = q_event_pos(q, k);
        if (!receives(q, q_ev(q, r), cls))
            continue;
        any_recv = true;
        model_loc loc = { 0, 0 };
        note_kind nk = classify(c, r, cls, sender_repeats, sender_forever, &loc);
        if (nk == N_NONE)
            steady = true;
        else if (v.kind == N_NONE)
            v = (verdict){ nk, loc, NULL };
    }
    /* the owner returns on some path without receiving at all */
    for (size_t i = 0; i < nspawns && v.kind == N_NONE && !f->returned; i++) {
        avoid_ctx a = { cls };
        q_pos ret;
        bool *cut = loops_that_receive(c, spawns[i].func, cls);
        bool leaves = q_walk_cut(q, spawns[i], false, visit_no_recv, &a, cut, &ret);
        free(cut);
        if (leaves) {
            bool owner_only = true;
            for (size_t k = 0; k < q_nevents(q) && owner_only; k++) {
                q_pos r = q_event_pos(q, k);
                if (receives(q, q_ev(q, r), cls) && r.func != spawns[i].func &&
                    !func_calls_into(c->tu, spawns[i].func, r.func))
                    owner_only = false;
            }
            if (owner_only) {
                v = (verdict){ N_RETURNS, q_ev(q, ret)->loc, owner_text(c, spawns[i], cls, name) };
                steady = false;
            }
        }
    }
    if (v.kind == N_NONE || (steady && v.kind != N_RETURNS) || (!any_recv && v.kind != N_RETURNS))
        return;
    diag *d = diag_new(c->out, RULE_ID, c->tu->path, sev->loc,
                       "send on unbuffered channel '%s' can block forever: its receiver can stop receiving first",
                       name);
    add_spawn_notes(c, d, spawns, nspawns);
    switch (v.kind) {
    case N_RETURNS:
        diag_add_note(d, v.loc, "the receiver returns here without receiving from '%s'", v.text);
        break;
    case N_STOPS:
        diag_add_note(d, v.loc, "the receiver stops receiving here");
        break;
    case N_GIVES_UP:
        diag_add_note(d, v.loc, "the receiver gives up here (timeout or cancel case)");
        break;
    case N_NONE:
        break;
    }
    suggest(c, d, cls, !sender_repeats);
}

static int run(const model_tu *tu, diag_list *out)
{
    ctx c = { q_new(tu), tu, out };
    for (size_t k = 0; k < q_nevents(c.q); k++) {
        q_pos p = q_event_pos(c.q, k);
        if (q_ev(c.q, p)->kind == MODEL_EV_SEND)
            check_send(&c, p);
    }
    q_free(c.q);
    return 0;
}

const rule rule_unbuffered_send_no_fallback = {
    .id = "unbuffered-send-no-fallback",
    .summary = "A send on an unbuffered channel, outside a select with a fallback, whose receiver can stop receiving first.",
    .run = run,
};
