/* query_loop.c — questions about one loop: its break/return/goto exits,
 * its trip count, cycles that avoid some blocks, and exits that only a
 * cancellation signal which never fires would take. */
#include "model/query.h"

#include <stdlib.h>

/* The exits from inside the loop at `head` toward a return (break, return,
 * goto), not counting its head's condition nor the one cond_block's
 * condition decides (UINT32_MAX: none): whether there is one, and in *first
 * (NULL: stop at the first exit) the earliest statement among them the
 * model places ({0,0}: none). */
static bool jump_exits(q_ctx *q, int32_t func, uint32_t head, uint32_t cond_block, model_loc *first)
{
    const model_func *fn = &q_tu(q)->funcs[func];
    bool *body;
    if (first)
        *first = (model_loc){ 0, 0 };
    if (!q_loop_body(q, func, head, &body))
        return false;
    bool any = false;
    for (uint32_t u = 0; u < fn->nblocks; u++) {
        const model_block *bl = &fn->blocks[u];
        if (!body[u] || u == head || bl->loop_head || (cond_block != UINT32_MAX && u == cond_block))
            continue;
        bool exits = false;
        model_loc at = bl->loc;
        /* an exit that only ends the process (exit()) stops nothing early */
        for (size_t s = 0; s < bl->nsucc; s++) {
            uint32_t w = bl->succ[s];
            if (w >= fn->nblocks || body[w] || !q_block_can_return(q, func, w))
                continue;
            exits = true;
            /* `if (..) break;`: the break's own block lies outside the loop */
            if (!at.line && fn->blocks[w].loc.line && !fn->blocks[w].loop_head)
                at = fn->blocks[w].loc;
        }
        if (!exits)
            continue;
        any = true;
        if (!first)
            break;
        for (size_t i = 0; i < bl->nevents; i++)
            if (bl->events[i].kind == MODEL_EV_RETURN)
                at = bl->events[i].loc;
        if (at.line && (!first->line || q_loc_before(at, *first)))
            *first = at;
    }
    free(body);
    return any;
}

bool q_loop_jump_exit(q_ctx *q, int32_t func, uint32_t head, uint32_t cond_block)
{
    return jump_exits(q, func, head, cond_block, NULL);
}

bool q_loop_jump_loc_except(q_ctx *q, int32_t func, uint32_t head, uint32_t cond_block, model_loc *out)
{
    model_loc first;
    if (!jump_exits(q, func, head, cond_block, &first) || !first.line)
        return false;
    *out = first;
    return true;
}

bool q_loop_trip_count(const q_ctx *q, int32_t func, uint32_t head, long long *count)
{
    const model_block *bl = &q_tu(q)->funcs[func].blocks[head];
    if (!bl->loop_head || !bl->trips_known)
        return false;
    *count = bl->trips;
    return true;
}

bool q_loop_runs(const q_ctx *q, int32_t func, uint32_t head)
{
    long long n;
    return q_loop_trip_count(q, func, head, &n) && n > 0;
}

bool q_cycle_avoiding(const q_ctx *q, int32_t func, uint32_t head, const bool *avoid)
{
    const model_func *fn = &q_tu(q)->funcs[func];
    bool *body;
    if ((avoid && avoid[head]) || !q_loop_body(q, func, head, &body))
        return false;
    bool *seen = q_xcalloc(fn->nblocks, sizeof *seen);
    uint32_t *stack = q_xcalloc(fn->nblocks + 1, sizeof *stack);
    size_t sp = 0;
    bool hit = false;
    stack[sp++] = head;
    while (sp && !hit) {
        uint32_t b = stack[--sp];
        for (size_t s = 0; s < fn->blocks[b].nsucc && !hit; s++) {
            uint32_t w = fn->blocks[b].succ[s];
            if (w >= fn->nblocks || !body[w] || (avoid && avoid[w]))
                continue;
            if (w == head)
                hit = true;
            else if (!seen[w]) {
                seen[w] = true;
                stack[sp++] = w;
            }
        }
    }
    free(seen);
    free(stack);
    free(body);
    return hit;
}

/* The dead signal a deciding event waits on, or MODEL_NO_OBJ when the
 * event could take a live exit. */
static model_obj_id dead_decision(q_ctx *q, const model_event *ev)
{
    if (ev->kind == MODEL_EV_CTX_ERR) {
        model_obj_id c = q_class(q, ev->obj);
        return c != MODEL_NO_OBJ && !q_ctx_cancelable(q, c) ? ev->obj : MODEL_NO_OBJ;
    }
    if (ev->kind != MODEL_EV_SELECT || ev->has_default || ev->ncases == 0)
        return MODEL_NO_OBJ;
    model_obj_id dead = MODEL_NO_OBJ;
    for (size_t c = 0; c < ev->ncases; c++) {
        const model_case *mc = &ev->cases[c];
        if (mc->op != 1 || mc->obj == MODEL_NO_OBJ)
            return MODEL_NO_OBJ; /* a send case, or one we cannot read */
        if (!q_recv_can_ready(q, mc->obj, false)) {
            if (dead == MODEL_NO_OBJ) {
                const q_facts *f = q_facts_of(q, mc->obj);
                dead = f && f->is_ctx_done && f->base != MODEL_NO_OBJ ? f->base : mc->obj;
            }
        } else if (q_recv_can_ready(q, mc->obj, true)) {
            return MODEL_NO_OBJ; /* it can close, time out or be canceled */
        }
    }
    return dead;
}

static const model_event *last_event(const model_block *bl)
{
    size_t n = bl->nevents;
    if (n && bl->events[n - 1].kind == MODEL_EV_CASE_TEST)
        n--; /* the branch on the select's case: the event before decides */
    return n ? &bl->events[n - 1] : NULL;
}

/* Does the block wait or decide anything itself (it must not, to be the
 * plain branch taken after its predecessor's select)? */
static bool decides(const model_block *bl)
{
    for (size_t i = 0; i < bl->nevents; i++) {
        model_ev_kind k = bl->events[i].kind;
        if (k == MODEL_EV_SELECT || k == MODEL_EV_RECV || k == MODEL_EV_CTX_ERR || k == MODEL_EV_NULL_TEST ||
            k == MODEL_EV_CALL || k == MODEL_EV_NORETURN)
            return true;
    }
    return false;
}

/* The blocks of the loop body control reaches from its head without
 * taking a branch that only a select case which can never fire leads to
 * (CASE_TEST). *dead_sig: the object of the first such case met. */
static bool *live_in_loop(q_ctx *q, int32_t func, uint32_t head, const bool *body, model_obj_id *dead_sig)
{
    const model_func *fn = &q_tu(q)->funcs[func];
    bool *live = q_xcalloc(fn->nblocks, sizeof *live);
    uint32_t *stack = q_xcalloc(fn->nblocks + 1, sizeof *stack);
    size_t sp = 0;
    live[head] = true;
    stack[sp++] = head;
    while (sp) {
        uint32_t b = stack[--sp];
        for (size_t s = 0; s < fn->blocks[b].nsucc; s++) {
            uint32_t w = fn->blocks[b].succ[s];
            model_obj_id sig;
            if (w >= fn->nblocks || !body[w] || live[w])
                continue;
            if (q_case_edge_dead(q, func, b, s, &sig)) {
                if (*dead_sig == MODEL_NO_OBJ)
                    *dead_sig = sig;
                continue;
            }
            live[w] = true;
            stack[sp++] = w;
        }
    }
    free(stack);
    return live;
}

bool q_loop_exits_dead(q_ctx *q, int32_t func, uint32_t head, model_obj_id *signal)
{
    const model_func *fn = &q_tu(q)->funcs[func];
    bool *body;
    if (!q_loop_body(q, func, head, &body))
        return false;
    model_obj_id case_sig = MODEL_NO_OBJ;
    bool *live_blocks = live_in_loop(q, func, head, body, &case_sig);
    bool any = false, live = false;
    model_obj_id sig = MODEL_NO_OBJ;
    for (uint32_t u = 0; u < fn->nblocks && !live; u++) {
        const model_block *bl = &fn->blocks[u];
        if (!body[u])
            continue;
        bool exits = bl->nsucc == 0 && u != fn->exit; /* exit(): the process ends */
        bool live_edge = exits;
        for (size_t s = 0; s < bl->nsucc; s++)
            if (bl->succ[s] < fn->nblocks && !body[bl->succ[s]]) {
                model_obj_id es;
                exits = true;
                if (!q_case_edge_dead(q, func, u, s, &es))
                    live_edge = true;
                else if (sig == MODEL_NO_OBJ)
                    sig = es;
            }
        for (size_t i = 0; i < bl->nevents; i++)
            if (bl->events[i].kind == MODEL_EV_RETURN || bl->events[i].kind == MODEL_EV_NORETURN)
                exits = live_edge = true;
        if (!exits)
            continue;
        any = true;
        /* only reached after a case that can never fire, or every exit edge
         * is taken only after one: a dead exit */
        if (!live_blocks[u] || !live_edge) {
            if (sig == MODEL_NO_OBJ)
                sig = case_sig;
            continue;
        }
        /* decided by this block's last event, or by its only predecessor's */
        const model_event *ev = last_event(bl);
        model_obj_id d = ev ? dead_decision(q, ev) : MODEL_NO_OBJ;
        /* a block that only leaves (`{ ...; return; }`) after its predecessor's select */
        bool only_leaves = bl->nsucc > 0;
        for (size_t s = 0; s < bl->nsucc; s++)
            if (bl->succ[s] < fn->nblocks && body[bl->succ[s]])
                only_leaves = false;
        if (d == MODEL_NO_OBJ && only_leaves && bl->npred == 1 && body[bl->pred[0]] && !decides(bl)) {
            const model_event *pev = last_event(&fn->blocks[bl->pred[0]]);
            d = pev ? dead_decision(q, pev) : MODEL_NO_OBJ;
        }
        if (d == MODEL_NO_OBJ)
            live = true;
        else if (sig == MODEL_NO_OBJ)
            sig = d;
    }
    free(body);
    free(live_blocks);
    if (!any || live)
        return false;
    *signal = sig;
    return true;
}
