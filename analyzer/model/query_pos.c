/* query_pos.c — source positions rules name in their notes and fix-its:
 * loop keywords, jump statements, a channel's capacity argument. Read from
 * the model (model_block.loc, model_event.num_begin/num_end). */
#include "model/query.h"

#include <stdlib.h>

bool q_loop_loc(q_ctx *q, int32_t func, uint32_t head, model_loc *out)
{
    const model_func *fn = &q_tu(q)->funcs[func];
    if (fn->blocks[head].loc.line && fn->blocks[head].loop_head) {
        *out = fn->blocks[head].loc;
        return true;
    }
    /* a do-while loop: the natural loop's head is the body, and the keyword
     * sits on the condition block (the model's loop head) */
    bool *body;
    if (!q_loop_body(q, func, head, &body))
        return false;
    bool found = false;
    for (uint32_t b = 0; b < fn->nblocks && !found; b++)
        if (body[b] && fn->blocks[b].loop_head && fn->blocks[b].loc.line && q_loop_of(q, func, b) == head) {
            *out = fn->blocks[b].loc;
            found = true;
        }
    free(body);
    return found;
}

bool q_loop_jump_loc_except(q_ctx *q, int32_t func, uint32_t head, uint32_t cond_block, model_loc *out)
{
    const model_func *fn = &q_tu(q)->funcs[func];
    bool *body;
    if (!q_loop_body(q, func, head, &body))
        return false;
    model_loc best = { 0, 0 };
    for (uint32_t u = 0; u < fn->nblocks; u++) {
        const model_block *bl = &fn->blocks[u];
        if (!body[u] || u == head || bl->loop_head || (cond_block != UINT32_MAX && u == cond_block))
            continue;
        bool exits = false;
        model_loc found = bl->loop_head ? (model_loc){ 0, 0 } : bl->loc;
        for (size_t s = 0; s < bl->nsucc; s++) {
            uint32_t w = bl->succ[s];
            if (w >= fn->nblocks || body[w] || !q_block_can_return(q, func, w))
                continue;
            exits = true;
            /* `if (..) break;`: the break's own block lies outside the loop */
            if (!found.line && fn->blocks[w].loc.line && !fn->blocks[w].loop_head)
                found = fn->blocks[w].loc;
        }
        if (!exits)
            continue;
        for (size_t i = 0; i < bl->nevents; i++)
            if (bl->events[i].kind == MODEL_EV_RETURN)
                found = bl->events[i].loc;
        if (found.line && (!best.line || q_loc_before(found, best)))
            best = found;
    }
    free(body);
    if (!best.line)
        return false;
    *out = best;
    return true;
}

bool q_zero_capacity_range(q_ctx *q, const model_event *ev, model_loc *begin, model_loc *end)
{
    if (ev->kind != MODEL_EV_CHAN_NEW || !(ev->flags & MODEL_EVF_NUM_KNOWN) || ev->num != 0)
        return false;
    (void)q;
    if (!ev->num_begin.line)
        return false;
    *begin = ev->num_begin;
    *end = ev->num_end;
    return true;
}

