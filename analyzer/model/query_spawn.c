/* query_spawn.c — paths from a spawn: the branch on the spawn's own result
 * (on the failure branch of `if (tt_spawn(task, arg) != TT_OK)` there is no
 * task, so nothing on that path can leave it blocked), and the owner's paths
 * that leave a channel the task ranges over open. */
#include "model/query_impl.h"

#include <stdlib.h>

typedef struct branch_use {
    q_ctx *q;
    const model_func *fn;
    int32_t func;
    q_visit_fn uses;
    void *user;
} branch_use;

/* A block on a path from the branch: a using event ends the search (found),
 * a return or exit() ends the path. */
static q_verdict visit_use_block(uint32_t b, void *user)
{
    branch_use *u = user;
    const model_block *bl = &u->fn->blocks[b];
    for (size_t i = 0; i < bl->nevents; i++) {
        const model_event *ev = &bl->events[i];
        if (u->uses(u->q, (q_pos){ u->func, b, (uint32_t)i }, ev, u->user) == Q_FOUND)
            return Q_FOUND;
        if (ev->kind == MODEL_EV_RETURN || ev->kind == MODEL_EV_NORETURN)
            return Q_CUT;
    }
    return Q_GO;
}

int q_spawn_failure_branch(q_ctx *q, q_pos spawn, q_visit_fn uses, void *user)
{
    const model_func *fn = &q_tu(q)->funcs[spawn.func];
    const model_block *bl = &fn->blocks[spawn.block];
    const model_event *ev = q_ev(q, spawn);
    /* only a spawn that is the whole decision of an if (IN_COND without
     * LOOP_COND): `tt_spawn(t, a); if (bad) return;` decides on something else */
    if (ev->kind != MODEL_EV_SPAWN || spawn.idx + 1 != bl->nevents || bl->nsucc != 2 ||
        !(ev->flags & MODEL_EVF_IN_COND) || (ev->flags & MODEL_EVF_LOOP_COND) || !uses)
        return -1;
    bool used[2];
    for (size_t s = 0; s < 2; s++) {
        branch_use u = { q, fn, spawn.func, uses, user };
        used[s] = bl->succ[s] < fn->nblocks && q_blocks_from(fn, bl->succ[s], visit_use_block, &u, NULL);
    }
    if (used[0] == used[1])
        return -1; /* both use the task (or neither): no way to tell */
    return used[0] ? 1 : 0;
}

typedef struct spawn_walk {
    q_pos spawn;
    int keep;        /* the successor of the spawn's block to follow */
    q_visit_fn visit;
    void *user;
} spawn_walk;

static q_verdict visit_spawn_walk(q_ctx *q, q_pos at, const model_event *ev, void *user)
{
    spawn_walk *w = user;
    if (at.func == w->spawn.func && at.block == w->spawn.block && at.idx == w->spawn.idx)
        return w->keep == 0 ? Q_ONLY_SUCC0 : Q_ONLY_SUCC1;
    return w->visit(q, at, ev, w->user);
}

bool q_walk_from_spawn(q_ctx *q, q_pos spawn, q_visit_fn visit, void *user, q_visit_fn uses, void *uses_user,
                       const bool *cut_blocks, q_pos *found)
{
    int fail = q_spawn_failure_branch(q, spawn, uses, uses_user);
    if (fail < 0)
        return q_walk_cut(q, spawn, false, visit, user, cut_blocks, found);
    spawn_walk w = { spawn, 1 - fail, visit, user };
    return q_walk_cut(q, spawn, true, visit_spawn_walk, &w, cut_blocks, found);
}

bool q_uses_chan(const q_ctx *q, const model_event *ev, model_obj_id cls)
{
    cls = q_class(q, cls);
    if (cls == MODEL_NO_OBJ)
        return false;
    switch (ev->kind) {
    case MODEL_EV_SEND:
    case MODEL_EV_RECV:
    case MODEL_EV_CLOSE:
    case MODEL_EV_ESCAPE:
        return q_class(q, ev->obj) == cls;
    case MODEL_EV_RETURN:
        return ev->obj != MODEL_NO_OBJ && q_class(q, ev->obj) == cls;
    case MODEL_EV_SELECT:
        for (size_t c = 0; c < ev->ncases; c++)
            if (q_class(q, ev->cases[c].obj) == cls)
                return true;
        return false;
    case MODEL_EV_CALL:
    case MODEL_EV_SPAWN:
        for (size_t a = 0; a < ev->nargs; a++)
            if (ev->args && q_class(q, ev->args[a]) == cls)
                return true;
        return false;
    default:
        return false;
    }
}

static q_verdict visit_chan_use(q_ctx *q, q_pos at, const model_event *ev, void *user)
{
    (void)at;
    return q_uses_chan(q, ev, *(const model_obj_id *)user) ? Q_FOUND : Q_GO;
}

/* A path on which the channel is neither closed nor handed on (stored where
 * it outlives the call, returned), nor NULL (user: a q_leak). */
static q_verdict visit_left_open(q_ctx *q, q_pos at, const model_event *ev, void *user)
{
    const q_leak *l = user;
    if ((ev->kind == MODEL_EV_ESCAPE || (ev->kind == MODEL_EV_RETURN && ev->obj != MODEL_NO_OBJ)) &&
        q_class(q, ev->obj) == l->cls)
        return Q_CUT;
    /* a helper that closes it on some path (`if (!q->shut) tt_close(..)`):
     * its own guard is taken to be right */
    if (ev->kind == MODEL_EV_CALL && ev->callee_func >= 0 && q_func_touches(q, ev->callee_func, l->cls, MODEL_EV_CLOSE))
        return Q_CUT;
    return q_visit_leak(q, at, ev, user);
}

bool q_spawn_left_open(q_ctx *q, q_pos spawn, model_obj_id chan, q_pos *ret)
{
    q_leak l = { q_class(q, chan), Q_REL_CLOSE };
    if (l.cls == MODEL_NO_OBJ)
        return false;
    bool *cut = q_releasing_loops(q, spawn.func, l.cls, Q_REL_CLOSE);
    int64_t own = q_loop_of(q, spawn.func, spawn.block);
    if (own >= 0)
        cut[own] = false; /* never the loop the walk starts in */
    bool r = q_walk_from_spawn(q, spawn, visit_left_open, &l, visit_chan_use, &l.cls, cut, ret);
    free(cut);
    return r;
}
