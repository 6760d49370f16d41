/* query_path.c — the statement a leaking path leaves through: on a path
 * where a class is not released, the last break/continue/goto/return
 * (model_block.loc) before the leaking return — the exit the user must
 * change (`case T_NOP: break;` that skips tt_wg_done). */
#include "model/query_impl.h"

#include <stdlib.h>

/* How the leak walk (q_visit_leak) leaves block b from event `first`: -1
 * released or ended (cut), -2 by every successor, else the only successor
 * index a NULL test leaves by. */
static int leave(q_ctx *q, int32_t func, uint32_t b, size_t first, q_leak *l)
{
    const model_block *bl = &q_tu(q)->funcs[func].blocks[b];
    for (size_t i = first; i < bl->nevents; i++) {
        q_verdict v = q_visit_leak(q, (q_pos){ func, b, (uint32_t)i }, &bl->events[i], l);
        if (v == Q_CUT)
            return -1;
        if ((v == Q_ONLY_SUCC0 || v == Q_ONLY_SUCC1) && i + 1 == bl->nevents)
            return v == Q_ONLY_SUCC0 ? 0 : 1;
    }
    return -2;
}

/* May the leak walk go from b (entered at `first`) along its successor s? */
static bool edge_ok(q_ctx *q, int32_t func, uint32_t b, size_t first, q_leak *l, size_t s)
{
    int how = leave(q, func, b, first, l);
    return how == -2 || (how >= 0 && (size_t)how == s);
}

bool q_leak_exit_loc(q_ctx *q, q_pos from, bool include_from, model_obj_id cls, q_release rel, q_pos ret,
                     model_loc *out)
{
    const model_func *fn = &q_tu(q)->funcs[from.func];
    if (ret.func != from.func)
        return false;
    q_leak l = { q_class(q, cls), rel };
    size_t n = fn->nblocks;
    bool *fwd = q_xcalloc(n, sizeof *fwd), *back = q_xcalloc(n, sizeof *back);
    uint32_t *queue = q_xcalloc(n + 1, sizeof *queue);
    size_t first_idx = include_from ? from.idx : from.idx + 1;
    /* forward: the blocks a leaking walk from `from` reaches */
    size_t head = 0, tail = 0;
    fwd[from.block] = true;
    queue[tail++] = from.block;
    while (head < tail) {
        uint32_t b = queue[head++];
        const model_block *bl = &fn->blocks[b];
        size_t first = b == from.block ? first_idx : 0;
        for (size_t s = 0; s < bl->nsucc; s++) {
            uint32_t w = bl->succ[s];
            if (w < n && !fwd[w] && edge_ok(q, from.func, b, first, &l, s)) {
                fwd[w] = true;
                queue[tail++] = w;
            }
        }
    }
    /* backward from the return, level by level: the nearest marked jump
     * statement on a leaking path (the earliest in the source on a tie) */
    bool found = false;
    if (fwd[ret.block]) {
        head = tail = 0;
        back[ret.block] = true;
        queue[tail++] = ret.block;
        while (head < tail && !found) {
            size_t level_start = head, level_end = tail;
            model_loc best = { 0, 0 };
            for (; head < level_end; head++) {
                const model_block *bl = &fn->blocks[queue[head]];
                if (bl->loc.line && !bl->loop_head && (!best.line || q_loc_before(bl->loc, best)))
                    best = bl->loc;
            }
            if (best.line) {
                *out = best;
                found = true;
                break;
            }
            for (size_t i = level_start; i < level_end; i++) {
                const model_block *bl = &fn->blocks[queue[i]];
                for (size_t p = 0; p < bl->npred; p++) {
                    uint32_t u = bl->pred[p];
                    if (u >= n || back[u] || !fwd[u])
                        continue;
                    const model_block *ub = &fn->blocks[u];
                    size_t first = u == from.block ? first_idx : 0;
                    for (size_t s = 0; s < ub->nsucc; s++)
                        if (ub->succ[s] == queue[i] && edge_ok(q, from.func, u, first, &l, s)) {
                            back[u] = true;
                            queue[tail++] = u;
                            break;
                        }
                }
            }
        }
    }
    free(fwd);
    free(back);
    free(queue);
    return found;
}
