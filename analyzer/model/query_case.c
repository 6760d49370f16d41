/* query_case.c — which tt_select case a branch follows (MODEL_EV_CASE_TEST):
 * the cases that can have run when control leaves a block by one of its
 * successors, and walks that keep to the branches a given case takes. */
#include "model/query_impl.h"

#include <stdlib.h>

/* The default pseudo-case of tt_select_default (TT_DEFAULT). */
#define TT_DEFAULT_RESULT (-4)

const model_event *q_case_select(const q_ctx *q, int32_t func, model_loc select_loc)
{
    const model_func *fn = &q_tu(q)->funcs[func];
    if (!select_loc.line)
        return NULL;
    for (size_t b = 0; b < fn->nblocks; b++)
        for (size_t i = 0; i < fn->blocks[b].nevents; i++) {
            const model_event *ev = &fn->blocks[b].events[i];
            if (ev->kind == MODEL_EV_SELECT && ev->loc.line == select_loc.line && ev->loc.col == select_loc.col)
                return ev;
        }
    return NULL;
}

/* Bit of a case index (the default pseudo-case is bit ncases). */
static uint64_t bit(size_t i) { return i < 64 ? (uint64_t)1 << i : 0; }

bool q_case_edge(const q_ctx *q, int32_t func, uint32_t block, size_t s, const model_event **sel, uint64_t *cases)
{
    const model_func *fn = &q_tu(q)->funcs[func];
    const model_block *bl = &fn->blocks[block];
    if (!bl->nevents || s >= bl->nsucc)
        return false;
    const model_event *ct = &bl->events[bl->nevents - 1];
    if (ct->kind != MODEL_EV_CASE_TEST)
        return false;
    const model_event *se = q_case_select(q, func, ct->select_loc);
    if (!se || se->ncases >= 63)
        return false;
    size_t n = se->ncases;
    uint64_t all = bit(n) - 1;
    if (se->has_default)
        all |= bit(n);
    uint64_t mask;
    if (ct->num >= 0 || ct->num == TT_DEFAULT_RESULT) {
        /* an if: succ[0] is the then branch */
        uint64_t k = ct->num == TT_DEFAULT_RESULT ? (se->has_default ? bit(n) : 0)
                                                   : ((size_t)ct->num < n ? bit((size_t)ct->num) : 0);
        bool then_is_k = ct->case_then;
        bool taken_when_k = s == 0 ? then_is_k : !then_is_k;
        mask = taken_when_k ? k : (all & ~k);
    } else {
        /* a switch: a labeled case block is taken for its label, any other
         * successor (default, or past the switch) for the unlabeled results */
        uint64_t labeled = 0;
        for (size_t t = 0; t < bl->nsucc; t++) {
            const model_block *w = &fn->blocks[bl->succ[t]];
            if (w->case_value_known && w->case_value >= 0 && (size_t)w->case_value < n)
                labeled |= bit((size_t)w->case_value);
            else if (w->case_value_known && w->case_value == TT_DEFAULT_RESULT && se->has_default)
                labeled |= bit(n);
        }
        const model_block *w = &fn->blocks[bl->succ[s]];
        if (w->case_value_known)
            mask = w->case_value >= 0 && (size_t)w->case_value < n ? bit((size_t)w->case_value)
                   : w->case_value == TT_DEFAULT_RESULT && se->has_default ? bit(n)
                                                                             : 0;
        else
            mask = all & ~labeled;
    }
    if (sel)
        *sel = se;
    *cases = mask;
    return true;
}

bool q_case_never_fires(const q_ctx *q, const model_event *sel, size_t c)
{
    if (c >= sel->ncases)
        return false; /* the default pseudo-case: always possible */
    const model_case *mc = &sel->cases[c];
    return mc->op == 1 && mc->obj != MODEL_NO_OBJ && !q_recv_can_ready(q, mc->obj, false);
}

bool q_case_edge_dead(const q_ctx *q, int32_t func, uint32_t block, size_t s, model_obj_id *signal)
{
    const model_event *sel;
    uint64_t cases;
    if (!q_case_edge(q, func, block, s, &sel, &cases))
        return false;
    model_obj_id first = MODEL_NO_OBJ;
    for (size_t c = 0; c <= sel->ncases && c < 63; c++) {
        if (!(cases & bit(c)))
            continue;
        if (!q_case_never_fires(q, sel, c))
            return false;
        if (first == MODEL_NO_OBJ)
            first = sel->cases[c].obj;
    }
    if (signal) {
        const q_facts *f = q_facts_of(q, first);
        *signal = f && f->is_ctx_done && f->base != MODEL_NO_OBJ ? f->base : first;
    }
    return true;
}

/* ---- Walks along the branches one case takes --------------------------- */

typedef struct case_walk {
    q_ctx *q;
    int32_t func;
    const model_event *sel; /* the select whose case is followed */
    uint64_t want;          /* branches on it are taken when one of these cases ran */
} case_walk;

/* May control leave block b by successor s, given that one of w->want ran? */
static bool edge_allowed(const case_walk *w, uint32_t b, size_t s)
{
    const model_event *sel;
    uint64_t cases;
    if (!q_case_edge(w->q, w->func, b, s, &sel, &cases) || sel != w->sel)
        return true;
    return (cases & w->want) != 0;
}

bool q_walk_case(q_ctx *q, q_pos from, const model_event *sel, uint64_t want, q_visit_fn visit, void *user,
                 q_pos *found)
{
    const model_func *fn = &q_tu(q)->funcs[from.func];
    case_walk w = { q, from.func, sel, want };
    bool *seen = q_xcalloc(fn->nblocks, sizeof *seen);
    uint32_t *stack = q_xcalloc(fn->nblocks + 1, sizeof *stack);
    size_t sp = 0;
    bool hit = false;
    /* the start block from the event after `from`, then whole blocks */
    uint32_t b = from.block;
    size_t first = from.idx + 1;
    for (;;) {
        const model_block *bl = &fn->blocks[b];
        bool cut = false;
        for (size_t i = first; i < bl->nevents && !cut; i++) {
            q_pos at = { from.func, b, (uint32_t)i };
            q_verdict v = visit(q, at, &bl->events[i], user);
            if (v == Q_FOUND) {
                if (found)
                    *found = at;
                hit = true;
                goto out;
            }
            cut = v == Q_CUT;
        }
        if (!cut)
            for (size_t s = 0; s < bl->nsucc; s++) {
                uint32_t t = bl->succ[s];
                if (t < fn->nblocks && !seen[t] && edge_allowed(&w, b, s)) {
                    seen[t] = true;
                    stack[sp++] = t;
                }
            }
        if (!sp)
            break;
        b = stack[--sp];
        first = 0;
    }
out:
    free(seen);
    free(stack);
    return hit;
}
