/* query_pos.c — source positions rules name in their notes and fix-its:
 * loop keywords and a channel's capacity argument, read from the model
 * (model_block.loc, model_event.num_begin/num_end). The jump statements that
 * leave a loop are in query_loop.c. */
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

