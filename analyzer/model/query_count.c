/* query_count.c — more senders than receives: an owner spawns M tasks that
 * each send once on an unbuffered channel and receives fewer than M values
 * on some path (the errgroup that returns on the first error). Counted only
 * when every count is a constant; otherwise silent. */
#include "model/query_impl.h"

#include <stdlib.h>

/* Does the task function send on cls exactly once on every path, and touch
 * it in no other way? */
static bool sends_once(q_ctx *q, int32_t task, model_obj_id cls)
{
    const model_func *fn = &q_tu(q)->funcs[task];
    q_pos send = { -1, 0, 0 };
    for (uint32_t b = 0; b < fn->nblocks; b++)
        for (uint32_t i = 0; i < fn->blocks[b].nevents; i++) {
            const model_event *ev = &fn->blocks[b].events[i];
            q_pos p = { task, b, i };
            if (ev->kind == MODEL_EV_SEND && q_class(q, ev->obj) == cls) {
                if (send.func >= 0 || q_block_in_cycle(q, task, b))
                    return false;
                send = p;
            } else if (ev->kind == MODEL_EV_SELECT || ev->kind == MODEL_EV_SPAWN ||
                       (ev->kind == MODEL_EV_CALL && ev->callee_func >= 0) ||
                       ((ev->kind == MODEL_EV_RECV || ev->kind == MODEL_EV_CLOSE) && q_class(q, ev->obj) == cls)) {
                return false; /* selects, helpers, spawns: not counted */
            }
        }
    if (send.func < 0)
        return false;
    for (uint32_t b = 0; b < fn->nblocks; b++)
        for (uint32_t i = 0; i < fn->blocks[b].nevents; i++) {
            q_pos p = { task, b, i };
            if (fn->blocks[b].events[i].kind == MODEL_EV_RETURN && !q_must_precede(q, send, p))
                return false;
        }
    return true;
}

typedef struct walk {
    q_ctx *q;
    const model_func *fn;
    int32_t func;
    model_obj_id cls;
    const bool *sender; /* per function: a task that sends once */
    int64_t *iter;      /* per loop head: rounds entered so far, -1 outside */
    long budget;
    bool abort, hit;
    long long sends, recvs;
    model_loc last_recv, ret;
} walk;

static void dfs(walk *w, uint32_t b, uint32_t from, long long sends, long long recvs, model_loc last);

/* Leaves a counted loop's head: into the body while rounds remain, else out. */
static void at_head(walk *w, uint32_t b, uint32_t from, long long sends, long long recvs, model_loc last)
{
    long long trips;
    if (!q_loop_trip_count(w->q, w->func, b, &trips) || trips > 64) {
        w->abort = true;
        return;
    }
    int64_t saved = w->iter[b];
    if (from == UINT32_MAX || !q_loop_contains(w->q, w->func, b, from))
        w->iter[b] = 0;
    const model_block *bl = &w->fn->blocks[b];
    bool into = w->iter[b] < trips;
    for (size_t s = 0; s < bl->nsucc && !w->abort && !w->hit; s++) {
        bool body = q_loop_contains(w->q, w->func, b, bl->succ[s]) && bl->succ[s] != b;
        if (body != into)
            continue;
        int64_t keep = w->iter[b];
        if (into)
            w->iter[b]++;
        dfs(w, bl->succ[s], b, sends, recvs, last);
        w->iter[b] = keep;
    }
    w->iter[b] = saved;
}

/* One path, block by block: counts the sending tasks spawned and the
 * receives; at a return, more sends than receives is the finding. */
static void dfs(walk *w, uint32_t b, uint32_t from, long long sends, long long recvs, model_loc last)
{
    if (w->abort || w->hit || --w->budget < 0) {
        w->abort = true;
        return;
    }
    const model_block *bl = &w->fn->blocks[b];
    for (size_t i = 0; i < bl->nevents; i++) {
        const model_event *ev = &bl->events[i];
        if (ev->kind == MODEL_EV_SPAWN && ev->callee_func >= 0 && w->sender[ev->callee_func]) {
            if (i + 1 == bl->nevents && bl->nsucc > 1) {
                w->abort = true; /* a branch on the spawn's result: its failure starts no sender */
                return;
            }
            sends++;
        } else if (ev->kind == MODEL_EV_RECV && q_class(w->q, ev->obj) == w->cls) {
            recvs++;
            last = ev->loc;
        } else if (ev->kind == MODEL_EV_NORETURN) {
            return;
        } else if (ev->kind == MODEL_EV_RETURN) {
            if (sends > recvs) {
                w->hit = true;
                w->sends = sends, w->recvs = recvs;
                w->last_recv = last, w->ret = ev->loc;
            }
            return;
        }
    }
    if (bl->loop_head) {
        at_head(w, b, from, sends, recvs, last);
        return;
    }
    if (q_block_in_cycle(w->q, w->func, b) && q_loop_of(w->q, w->func, b) < 0) {
        w->abort = true; /* a cycle that is no natural loop */
        return;
    }
    for (size_t s = 0; s < bl->nsucc && !w->abort && !w->hit; s++)
        dfs(w, bl->succ[s], b, sends, recvs, last);
}

bool q_send_outnumbered(q_ctx *q, q_pos send, q_count_verdict *v)
{
    const model_tu *tu = q_tu(q);
    const model_event *sev = q_ev(q, send);
    model_obj_id cls = q_class(q, sev->obj);
    if (sev->kind != MODEL_EV_SEND || cls == MODEL_NO_OBJ || !q_chan_unbuffered(q, cls))
        return false;
    const q_facts *f = q_facts_of(q, cls);
    if (f->escapes || f->returned || f->closes || f->has_field_or_global)
        return false;
    /* one owner: every spawn or call of a sending task, and every receive */
    int32_t owner = -1, via = -1; /* via: the one function called that receives through calls */
    bool *sender = q_xcalloc(tu->nfuncs, sizeof *sender);
    bool ok = true;
    for (size_t k = 0; k < q_nevents(q) && ok; k++) {
        q_pos p = q_event_pos(q, k);
        const model_event *ev = q_ev(q, p);
        if (ev->kind == MODEL_EV_SEND && q_class(q, ev->obj) == cls) {
            if (!sender[p.func] && !(sender[p.func] = sends_once(q, p.func, cls)))
                ok = false;
        }
    }
    for (size_t k = 0; k < q_nevents(q) && ok; k++) {
        q_pos p = q_event_pos(q, k);
        const model_event *ev = q_ev(q, p);
        int32_t here = -1;
        if ((ev->kind == MODEL_EV_SPAWN || ev->kind == MODEL_EV_CALL) && ev->callee_func >= 0 &&
            sender[ev->callee_func]) {
            if (ev->kind == MODEL_EV_CALL || ev->nargs != 1 || !ev->args || q_class(q, ev->args[0]) != cls)
                ok = false;
            here = p.func;
        } else if (q_receives(q, ev, cls)) {
            if (ev->kind != MODEL_EV_RECV)
                ok = false;
            here = p.func;
        } else if ((ev->kind == MODEL_EV_CALL || ev->kind == MODEL_EV_SPAWN) && ev->callee_func >= 0 &&
                   q_func_touches(q, ev->callee_func, cls, MODEL_EV_RECV)) {
            via = via < 0 || via == ev->callee_func ? ev->callee_func : -2; /* main calling the owner */
        }
        if (here >= 0) {
            if (owner >= 0 && owner != here)
                ok = false;
            owner = here;
        }
    }
    ok = ok && owner >= 0 && send.func != owner && sender[send.func] && via != -2 &&
         (via < 0 || q_calls_into(tu, via, owner));
    /* the owner itself is started once at most */
    for (size_t k = 0; k < q_nevents(q) && ok; k++) {
        const model_event *ev = q_ev(q, q_event_pos(q, k));
        if ((ev->kind == MODEL_EV_SPAWN || ev->kind == MODEL_EV_CALL) && ev->callee_func == owner &&
            q_block_in_cycle(q, q_event_pos(q, k).func, q_event_pos(q, k).block))
            ok = false;
    }
    bool hit = false;
    if (ok) {
        const model_func *fn = &tu->funcs[owner];
        walk w = { q, fn, owner, cls, sender, q_xcalloc(fn->nblocks, sizeof(int64_t)), 100000,
                   false, false, 0, 0, { 0, 0 }, { 0, 0 } };
        for (uint32_t b = 0; b < fn->nblocks; b++)
            w.iter[b] = -1;
        dfs(&w, fn->entry, UINT32_MAX, 0, 0, (model_loc){ 0, 0 });
        free(w.iter);
        hit = w.hit && !w.abort;
        if (hit)
            *v = (q_count_verdict){ w.sends, w.recvs, w.recvs ? w.last_recv : w.ret, owner };
    }
    free(sender);
    return hit;
}
