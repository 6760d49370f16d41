/* model_build.c — the structured builder (mb_*): front ends describe a
 * function body statement by statement and this lowers it to the CFG. */
#include "model/model_impl.h"

#include <stdlib.h>
#include <string.h>

typedef struct bblock {        /* a block while it is being built */
    model_loc loc;
    model_event *events;
    size_t nevents, evcap;
    uint32_t *succ;
    size_t nsucc, succcap;
    bool loop_head, infinite, trips_known, case_value_known, case_default;
    int64_t trips, case_value;
    model_val *cond;
} bblock;

typedef enum { C_IF, C_LOOP, C_DO, C_SWITCH } construct_kind;

typedef struct construct {
    construct_kind kind;
    uint32_t head;      /* IF/SWITCH: the condition block; LOOP: the head; DO: the body */
    uint32_t cont;      /* LOOP/DO: the continue target */
    uint32_t exit;      /* LOOP/DO/SWITCH: after the statement */
    uint32_t then_end;  /* IF: the end of the then branch */
    bool has_else, has_default, in_cond, stepped;
} construct;

typedef struct label {
    const char *name;
    uint32_t block;
    bool placed;
} label;

struct model_builder {
    model_tu *tu;
    int32_t func;
    bblock *blocks;
    size_t nblocks, blockcap;
    uint32_t cur, exit;
    construct *stack;
    size_t depth, stackcap;
    label *labels;
    size_t nlabels, labelcap;
    unsigned cond_flags;  /* flags for events in the current condition */
    uint32_t marked;      /* the block mb_mark names: see the jumps and loops */
    int32_t next_id;      /* the next event id */
};

static uint32_t new_block(model_builder *b)
{
    grow_array((void **)&b->blocks, &b->blockcap, b->nblocks + 1, sizeof *b->blocks);
    memset(&b->blocks[b->nblocks], 0, sizeof *b->blocks);
    return (uint32_t)b->nblocks++;
}

static void edge(model_builder *b, uint32_t from, uint32_t to)
{
    bblock *bl = &b->blocks[from];
    for (size_t i = 0; i < bl->nsucc; i++)
        if (bl->succ[i] == to)
            return;
    grow_array((void **)&bl->succ, &bl->succcap, bl->nsucc + 1, sizeof *bl->succ);
    bl->succ[bl->nsucc++] = to;
}

/* Continues in a fresh block nothing jumps to (after break/return/...). */
static void detach(model_builder *b)
{
    b->marked = b->cur;
    b->cur = new_block(b);
}

void mb_mark(model_builder *b, model_loc loc)
{
    if (b->marked < b->nblocks)
        b->blocks[b->marked].loc = loc;
}

static construct *push(model_builder *b, construct_kind kind)
{
    grow_array((void **)&b->stack, &b->stackcap, b->depth + 1, sizeof *b->stack);
    construct *c = &b->stack[b->depth++];
    memset(c, 0, sizeof *c);
    c->kind = kind;
    return c;
}

static construct *top(model_builder *b)
{
    return b->depth ? &b->stack[b->depth - 1] : NULL;
}

/* The innermost construct that `break` (switches too) or `continue` leaves. */
static construct *innermost(model_builder *b, bool for_continue)
{
    for (size_t i = b->depth; i-- > 0;) {
        construct *c = &b->stack[i];
        if (c->kind == C_LOOP || c->kind == C_DO || (!for_continue && c->kind == C_SWITCH))
            return c;
    }
    return NULL;
}

model_builder *mb_begin(model_tu *tu, const char *name, model_loc loc, bool is_static)
{
    model_builder *b = xcalloc(1, sizeof *b);
    b->tu = tu;
    b->func = model_add_func(tu);
    model_func *fn = &tu->funcs[b->func];
    fn->name = arena_strdup(tu->arena, name);
    fn->loc = loc;
    fn->is_static = is_static;
    b->cur = new_block(b);   /* entry */
    b->exit = new_block(b);
    b->marked = UINT32_MAX;
    return b;
}

int32_t mb_func_index(const model_builder *b)
{
    return b->func;
}

model_obj_id mb_param(model_builder *b, const char *name, model_kind kind, model_loc decl)
{
    model_func *fn = &b->tu->funcs[b->func];
    int32_t index = (int32_t)fn->nparams;
    model_obj_id id = model_obj_param_new(b->tu, b->func, index, name, kind, decl);
    model_param *params = arena_alloc(b->tu->arena, (fn->nparams + 1) * sizeof *params);
    if (fn->nparams)
        memcpy(params, fn->params, fn->nparams * sizeof *params);
    params[fn->nparams].name = arena_strdup(b->tu->arena, name ? name : "");
    params[fn->nparams].obj = id;
    fn->params = params;
    fn->nparams++;
    return id;
}

void *mb_alloc(model_builder *b, size_t size)
{
    return arena_alloc(b->tu->arena, size);
}

model_event *mb_event(model_builder *b, model_ev_kind kind, model_loc loc)
{
    bblock *bl = &b->blocks[b->cur];
    grow_array((void **)&bl->events, &bl->evcap, bl->nevents + 1, sizeof *bl->events);
    model_event *ev = &bl->events[bl->nevents++];
    memset(ev, 0, sizeof *ev);
    ev->kind = kind;
    ev->loc = loc;
    ev->flags = b->cond_flags;
    ev->obj = ev->obj2 = MODEL_NO_OBJ;
    ev->callee_func = -1;
    ev->id = b->next_id++;
    return ev;
}

void mb_cond(model_builder *b, model_val *cond)
{
    b->blocks[b->cur].cond = cond;
}

model_event *mb_assign(model_builder *b, model_loc loc, model_val *lhs, model_val *rhs)
{
    model_event *ev = mb_event(b, MODEL_EV_ASSIGN, loc);
    ev->vals = mv_array(b->tu, 2);
    ev->vals[0] = lhs ? lhs : mv_unknown(b->tu);
    ev->vals[1] = rhs ? rhs : mv_unknown(b->tu);
    ev->nvals = 2;
    return ev;
}

/* ---- if ----------------------------------------------------------------- */

void mb_if(model_builder *b)
{
    b->cond_flags = 0;
    construct *c = push(b, C_IF);
    c->head = b->cur;
    b->cur = new_block(b);
    edge(b, c->head, b->cur);
}

void mb_else(model_builder *b)
{
    construct *c = top(b);
    if (!c || c->kind != C_IF || c->has_else)
        return;
    c->has_else = true;
    c->then_end = b->cur;
    b->cur = new_block(b);
    edge(b, c->head, b->cur);
}

void mb_end_if(model_builder *b)
{
    construct *c = top(b);
    if (!c || c->kind != C_IF)
        return;
    uint32_t join = new_block(b);
    edge(b, b->cur, join);
    edge(b, c->has_else ? c->then_end : c->head, join);
    b->depth--;
    b->cur = join;
}

/* ---- while / for ------------------------------------------------------- */

void mb_loop(model_builder *b)
{
    construct *c = push(b, C_LOOP);
    c->head = new_block(b);
    c->exit = new_block(b);
    c->cont = new_block(b);
    c->in_cond = true;
    edge(b, b->cur, c->head);
    b->cur = c->head;
    b->marked = c->head;
    b->cond_flags = MODEL_EVF_LOOP_COND | MODEL_EVF_IN_COND;
}

void mb_loop_body(model_builder *b, bool infinite)
{
    construct *c = top(b);
    if (!c || c->kind != C_LOOP)
        return;
    b->cond_flags = 0;
    c->in_cond = false;
    /* the condition's events may have been emitted in the head only */
    uint32_t cond_end = b->cur;
    b->blocks[c->head].loop_head = true;
    b->blocks[c->head].infinite = infinite;
    b->cur = new_block(b);
    edge(b, cond_end, b->cur);
    if (!infinite)
        edge(b, cond_end, c->exit);
}

void mb_loop_trips(model_builder *b, int64_t trips)
{
    construct *c = top(b);
    if (!c || c->kind != C_LOOP)
        return;
    b->blocks[c->head].trips_known = true;
    b->blocks[c->head].trips = trips;
}

void mb_loop_step(model_builder *b)
{
    construct *c = top(b);
    if (!c || c->kind != C_LOOP || c->stepped)
        return;
    c->stepped = true;
    edge(b, b->cur, c->cont);
    b->cur = c->cont;
}

void mb_end_loop(model_builder *b)
{
    construct *c = top(b);
    if (!c || c->kind != C_LOOP)
        return;
    if (b->cur != c->cont)
        edge(b, b->cur, c->cont);
    edge(b, c->cont, c->head);
    b->cur = c->exit;
    b->depth--;
}

/* ---- do / while -------------------------------------------------------- */

void mb_do(model_builder *b)
{
    construct *c = push(b, C_DO);
    c->head = new_block(b);
    c->cont = new_block(b);
    c->exit = new_block(b);
    edge(b, b->cur, c->head);
    b->cur = c->head;
    b->marked = c->cont; /* the do loop's head is its condition block */
}

void mb_do_cond(model_builder *b)
{
    construct *c = top(b);
    if (!c || c->kind != C_DO)
        return;
    edge(b, b->cur, c->cont);
    b->cur = c->cont;
    c->in_cond = true;
    b->cond_flags = MODEL_EVF_LOOP_COND | MODEL_EVF_IN_COND;
}

void mb_end_do(model_builder *b, bool infinite)
{
    construct *c = top(b);
    if (!c || c->kind != C_DO)
        return;
    if (!c->in_cond)   /* mb_do_cond was skipped */
        mb_do_cond(b);
    b->cond_flags = 0;
    edge(b, b->cur, c->head);
    if (!infinite)
        edge(b, b->cur, c->exit);
    b->blocks[c->cont].loop_head = true;
    b->blocks[c->cont].infinite = infinite;
    b->cur = c->exit;
    b->depth--;
}

/* ---- switch ------------------------------------------------------------ */

void mb_switch(model_builder *b)
{
    b->cond_flags = 0;
    construct *c = push(b, C_SWITCH);
    c->head = b->cur;
    c->exit = new_block(b);
    detach(b); /* statements before the first case label are unreachable */
}

void mb_case(model_builder *b, bool is_default)
{
    construct *c = innermost(b, false);
    if (!c || c->kind != C_SWITCH)
        return;
    uint32_t blk = new_block(b);
    edge(b, c->head, blk);
    edge(b, b->cur, blk); /* fallthrough from the previous case */
    b->cur = blk;
    b->blocks[blk].case_default = is_default;
    c->has_default |= is_default;
}

void mb_case_value(model_builder *b, int64_t value)
{
    b->blocks[b->cur].case_value_known = true;
    b->blocks[b->cur].case_value = value;
}

void mb_end_switch(model_builder *b)
{
    construct *c = top(b);
    if (!c || c->kind != C_SWITCH)
        return;
    edge(b, b->cur, c->exit);
    if (!c->has_default)
        edge(b, c->head, c->exit);
    b->cur = c->exit;
    b->depth--;
}

/* ---- jumps --------------------------------------------------------------- */

void mb_break(model_builder *b)
{
    construct *c = innermost(b, false);
    if (c)
        edge(b, b->cur, c->exit);
    detach(b);
}

void mb_continue(model_builder *b)
{
    construct *c = innermost(b, true);
    if (c)
        edge(b, b->cur, c->cont);
    detach(b);
}

static label *find_label(model_builder *b, const char *name)
{
    for (size_t i = 0; i < b->nlabels; i++)
        if (strcmp(b->labels[i].name, name) == 0)
            return &b->labels[i];
    grow_array((void **)&b->labels, &b->labelcap, b->nlabels + 1, sizeof *b->labels);
    label *l = &b->labels[b->nlabels++];
    l->name = arena_strdup(b->tu->arena, name);
    l->block = new_block(b);
    l->placed = false;
    return l;
}

void mb_goto(model_builder *b, const char *name)
{
    edge(b, b->cur, find_label(b, name)->block);
    detach(b);
}

void mb_label(model_builder *b, const char *name)
{
    label *l = find_label(b, name);
    l->placed = true;
    edge(b, b->cur, l->block);
    b->cur = l->block;
}

model_event *mb_return(model_builder *b, model_loc loc, model_obj_id obj, const char *text)
{
    b->cond_flags = 0;
    model_event *ev = mb_event(b, MODEL_EV_RETURN, loc);
    ev->obj = obj;
    ev->text = arena_strdup(b->tu->arena, text);
    edge(b, b->cur, b->exit);
    detach(b);
    return ev;
}

model_event *mb_noreturn(model_builder *b, model_loc loc, const char *callee)
{
    b->cond_flags = 0;
    model_event *ev = mb_event(b, MODEL_EV_NORETURN, loc);
    ev->callee = arena_strdup(b->tu->arena, callee);
    detach(b);
    return ev;
}

/* ---- finishing the function --------------------------------------------- */

static void mark_reachable(const model_builder *b, uint32_t from, bool *seen)
{
    uint32_t *work = xmalloc(b->nblocks * sizeof *work);
    size_t n = 0;
    seen[from] = true;
    work[n++] = from;
    while (n) {
        const bblock *bl = &b->blocks[work[--n]];
        for (size_t i = 0; i < bl->nsucc; i++)
            if (!seen[bl->succ[i]]) {
                seen[bl->succ[i]] = true;
                work[n++] = bl->succ[i];
            }
    }
    free(work);
}

void mb_end(model_builder *b, model_loc end)
{
    model_tu *tu = b->tu;
    b->depth = 0;
    b->cond_flags = 0;
    bool *reach = xcalloc(b->nblocks, sizeof *reach);
    mark_reachable(b, 0, reach);
    if (reach[b->cur]) {
        model_event *ev = mb_event(b, MODEL_EV_RETURN, end);
        ev->flags |= MODEL_EVF_FALLTHROUGH_END;
        edge(b, b->cur, b->exit);
    }
    /* Drop blocks that are both unreachable and empty, so dumps stay small;
     * unreachable code with events is kept (rules may still read it). */
    uint32_t *renum = xmalloc(b->nblocks * sizeof *renum);
    size_t kept = 0;
    for (size_t i = 0; i < b->nblocks; i++) {
        bool keep = reach[i] || b->blocks[i].nevents > 0 || i == 0 || i == b->exit;
        renum[i] = keep ? (uint32_t)kept++ : UINT32_MAX;
    }
    model_func *fn = &tu->funcs[b->func];
    fn->end = end;
    fn->nids = b->next_id;
    fn->nblocks = kept;
    fn->blocks = arena_alloc(tu->arena, (kept ? kept : 1) * sizeof *fn->blocks);
    for (size_t i = 0; i < b->nblocks; i++) {
        bblock *src = &b->blocks[i];
        if (renum[i] != UINT32_MAX) {
            model_block *dst = &fn->blocks[renum[i]];
            dst->nevents = src->nevents;
            dst->events = arena_alloc(tu->arena, (src->nevents ? src->nevents : 1) * sizeof *dst->events);
            if (src->nevents)
                memcpy(dst->events, src->events, src->nevents * sizeof *dst->events);
            dst->succ = arena_alloc(tu->arena, (src->nsucc ? src->nsucc : 1) * sizeof *dst->succ);
            for (size_t s = 0; s < src->nsucc; s++)
                if (renum[src->succ[s]] != UINT32_MAX)
                    dst->succ[dst->nsucc++] = renum[src->succ[s]];
            dst->loc = src->loc;
            dst->loop_head = src->loop_head;
            dst->infinite_loop_head = src->infinite;
            dst->trips_known = src->trips_known;
            dst->case_value_known = src->case_value_known;
            dst->case_value = src->case_value;
            dst->trips = src->trips;
            dst->case_default = src->case_default;
            dst->cond = src->nsucc >= 2 ? src->cond : NULL; /* kept where a branch reads it */
        }
        free(src->events);
        free(src->succ);
    }
    fn->entry = renum[0];
    fn->exit = renum[b->exit];
    free(renum);
    free(reach);
    free(b->blocks);
    free(b->stack);
    free(b->labels);
    free(b);
}
