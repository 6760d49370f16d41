/* eng_live.c — what a function's frame still needs: which locals may be
 * read again from each point (a backward liveness analysis over the
 * function's blocks), and which event results outlive their block. States
 * keep only those, so two schedules that differ in a dead variable or a
 * stale result meet in one state. Computed once per function and run. */
#include "engine/engine_impl.h"

#include <stdlib.h>
#include <string.h>

#include "model/arena.h"

typedef struct live_ctx {
    eng_run_ctx *r;
    eng_fninfo *fi;
    const model_func *fn;
} live_ctx;

static uint32_t var_index(live_ctx *c, const char *name)
{
    uint32_t id = eng_model_name(c->r, name);
    for (uint32_t i = 0; i < c->fi->nvars; i++)
        if (c->fi->vars[i] == id)
            return i;
    if (c->fi->nvars == c->fi->varcap) {
        c->fi->varcap = c->fi->varcap ? c->fi->varcap * 2 : 16;
        c->fi->vars = xrealloc(c->fi->vars, c->fi->varcap * sizeof *c->fi->vars);
        c->fi->addr_taken = xrealloc(c->fi->addr_taken, c->fi->varcap);
    }
    c->fi->vars[c->fi->nvars] = id;
    c->fi->addr_taken[c->fi->nvars] = 0;
    return c->fi->nvars++;
}

static bool is_local(const model_val *v)
{
    return v && v->kind == MODEL_VAL_VAR && (v->scope == MODEL_SCOPE_LOCAL || v->scope == MODEL_SCOPE_PARAM);
}

/* Pass 1: every local named, the ones whose address is taken (or that are
 * arrays: their name is their address), and where each result is used. */
static void scan(live_ctx *c, const model_val *v, uint32_t block, bool under_addr)
{
    if (!v)
        return;
    if (is_local(v)) {
        uint32_t i = var_index(c, v->name);
        if (under_addr || v->is_array)
            c->fi->addr_taken[i] = 1;
    }
    if (v->kind == MODEL_VAL_RESULT && v->num >= 0 && v->num < c->fn->nids &&
        c->fi->def_block[v->num] != (int32_t)block)
        c->fi->long_lived[v->num] = 1;
    bool addr = v->kind == MODEL_VAL_ADDR || (under_addr && (v->kind == MODEL_VAL_FIELD || v->kind == MODEL_VAL_INDEX) &&
                                               !v->arrow);
    for (size_t i = 0; i < v->nsub; i++)
        scan(c, v->sub[i], block, addr && i == 0);
}

/* `&x` of a whole local that is not an array: what tt_recv writes to and
 * tt_send or a select case reads from; those calls neither keep the
 * address nor write through it later, so x stays an ordinary local. */
static const model_val *elem_local(const model_val *v)
{
    if (v && v->kind == MODEL_VAL_ADDR && v->nsub == 1 && is_local(v->sub[0]) && !v->sub[0]->is_array)
        return v->sub[0];
    return NULL;
}

/* The element pointer of a tt_send or tt_recv. */
static const model_val *op_elem(const model_event *ev)
{
    return (ev->kind == MODEL_EV_SEND || ev->kind == MODEL_EV_RECV) && ev->nvals > 1 ? ev->vals[1] : NULL;
}

static void set_bit(uint64_t *bits, uint32_t i) { bits[i / 64] |= 1ull << (i % 64); }
static void clr_bit(uint64_t *bits, uint32_t i) { bits[i / 64] &= ~(1ull << (i % 64)); }

/* The locals v reads. */
static void uses(live_ctx *c, const model_val *v, uint64_t *live)
{
    if (!v)
        return;
    if (is_local(v))
        set_bit(live, var_index(c, v->name));
    for (size_t i = 0; i < v->nsub; i++)
        uses(c, v->sub[i], live);
}

/* live := live before ev, given live after it. */
static void transfer(live_ctx *c, const model_event *ev, uint64_t *live)
{
    if (ev->kind == MODEL_EV_RETURN || ev->kind == MODEL_EV_NORETURN)
        memset(live, 0, c->fi->words * sizeof *live);
    if (ev->kind == MODEL_EV_ASSIGN && ev->nvals == 2 && is_local(ev->vals[0])) {
        clr_bit(live, var_index(c, ev->vals[0]->name));
        uses(c, ev->vals[1], live);
        return;
    }
    const model_val *out = ev->kind == MODEL_EV_RECV ? elem_local(op_elem(ev)) : NULL;
    if (out) /* tt_recv always writes its element (a zero when closed) */
        clr_bit(live, var_index(c, out->name));
    uses(c, ev->fn, live);
    for (size_t i = 0; i < ev->nvals; i++)
        if (!out || ev->vals[i] != op_elem(ev))
            uses(c, ev->vals[i], live);
    for (size_t k = 0; k < ev->ncases; k++) {
        uses(c, ev->cases[k].ch, live);
        uses(c, ev->cases[k].elem, live);
    }
}

static bool plain_event(model_ev_kind k)
{
    return k == MODEL_EV_ASSIGN || k == MODEL_EV_LOCK || k == MODEL_EV_UNLOCK || k == MODEL_EV_SLEEP ||
           k == MODEL_EV_NULL_TEST || k == MODEL_EV_CTX_ERR;
}

/* loop_plain: for each loop head, whether every block of its natural loop
 * (the blocks that reach a back edge to it without passing it) is plain. */
static void plain_loops(eng_fninfo *fi, const model_func *fn)
{
    size_t nb = fn->nblocks ? fn->nblocks : 1;
    fi->loop_plain = xcalloc(nb, 1);
    uint8_t *in = xmalloc(nb);
    uint32_t *stack = xmalloc(nb * sizeof *stack);
    for (size_t h = 0; h < fn->nblocks; h++) {
        if (!fn->blocks[h].loop_head)
            continue;
        memset(in, 0, nb);
        in[h] = 1;
        size_t sp = 0;
        for (size_t p = 0; p < fn->blocks[h].npred; p++) {
            uint32_t u = fn->blocks[h].pred[p];
            if (!in[u]) {
                in[u] = 1;
                stack[sp++] = u;
            }
        }
        while (sp) {
            const model_block *bl = &fn->blocks[stack[--sp]];
            for (size_t p = 0; p < bl->npred; p++)
                if (!in[bl->pred[p]]) {
                    in[bl->pred[p]] = 1;
                    stack[sp++] = bl->pred[p];
                }
        }
        /* the preds of h outside the loop pulled in the code before it; keep
         * only blocks h reaches */
        uint8_t *reach = xcalloc(nb, 1);
        reach[h] = 1;
        stack[sp++] = (uint32_t)h;
        while (sp) {
            const model_block *bl = &fn->blocks[stack[--sp]];
            for (size_t k = 0; k < bl->nsucc; k++)
                if (!reach[bl->succ[k]] && bl->succ[k] != h) {
                    reach[bl->succ[k]] = 1;
                    stack[sp++] = bl->succ[k];
                }
        }
        bool plain = true;
        for (size_t b = 0; b < fn->nblocks && plain; b++)
            if (in[b] && reach[b])
                for (size_t e = 0; e < fn->blocks[b].nevents && plain; e++)
                    plain = plain_event(fn->blocks[b].events[e].kind);
        fi->loop_plain[h] = plain;
        free(reach);
    }
    free(in);
    free(stack);
}

static void build(eng_run_ctx *r, eng_fninfo *fi, const model_func *fn)
{
    live_ctx c = { r, fi, fn };
    size_t nids = fn->nids > 0 ? (size_t)fn->nids : 1;
    fi->def_block = xmalloc(nids * sizeof *fi->def_block);
    fi->long_lived = xcalloc(nids, 1);
    for (size_t i = 0; i < nids; i++)
        fi->def_block[i] = -1;
    for (size_t b = 0; b < fn->nblocks; b++)
        for (size_t e = 0; e < fn->blocks[b].nevents; e++) {
            int32_t id = fn->blocks[b].events[e].id;
            if (id >= 0 && id < fn->nids)
                fi->def_block[id] = (int32_t)b;
        }
    for (size_t p = 0; p < fn->nparams; p++)
        if (fn->params[p].name && *fn->params[p].name)
            var_index(&c, fn->params[p].name);
    for (size_t b = 0; b < fn->nblocks; b++) {
        const model_block *bl = &fn->blocks[b];
        scan(&c, bl->cond, (uint32_t)b, false);
        for (size_t e = 0; e < bl->nevents; e++) {
            const model_event *ev = &bl->events[e];
            scan(&c, ev->fn, (uint32_t)b, false);
            for (size_t i = 0; i < ev->nvals; i++) {
                const model_val *x = ev->vals[i] == op_elem(ev) ? elem_local(ev->vals[i]) : NULL;
                scan(&c, x ? x : ev->vals[i], (uint32_t)b, false);
            }
            for (size_t k = 0; k < ev->ncases; k++) {
                const model_val *x = elem_local(ev->cases[k].elem);
                scan(&c, ev->cases[k].ch, (uint32_t)b, false);
                scan(&c, x ? x : ev->cases[k].elem, (uint32_t)b, false);
            }
        }
    }
    fi->words = (fi->nvars + 63) / 64;
    if (fi->words == 0)
        fi->words = 1;
    /* live-in per block, to a fixpoint */
    size_t nb = fn->nblocks ? fn->nblocks : 1;
    uint64_t *in = xcalloc(nb * fi->words, sizeof *in);
    uint64_t *tmp = xmalloc(fi->words * sizeof *tmp);
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t b = fn->nblocks; b-- > 0;) {
            const model_block *bl = &fn->blocks[b];
            memset(tmp, 0, fi->words * sizeof *tmp);
            for (size_t s = 0; s < bl->nsucc; s++)
                for (uint32_t w = 0; w < fi->words; w++)
                    tmp[w] |= in[bl->succ[s] * fi->words + w];
            uses(&c, bl->cond, tmp);
            for (size_t e = bl->nevents; e-- > 0;)
                transfer(&c, &bl->events[e], tmp);
            if (memcmp(tmp, &in[b * fi->words], fi->words * sizeof *tmp) != 0) {
                memcpy(&in[b * fi->words], tmp, fi->words * sizeof *tmp);
                changed = true;
            }
        }
    }
    /* live before each event of each block (and at its end) */
    fi->live = xcalloc(nb, sizeof *fi->live);
    for (size_t b = 0; b < fn->nblocks; b++) {
        const model_block *bl = &fn->blocks[b];
        fi->live[b] = xcalloc((bl->nevents + 1) * fi->words, sizeof *fi->live[b]);
        uint64_t *at = fi->live[b];
        for (size_t s = 0; s < bl->nsucc; s++)
            for (uint32_t w = 0; w < fi->words; w++)
                at[bl->nevents * fi->words + w] |= in[bl->succ[s] * fi->words + w];
        uses(&c, bl->cond, &at[bl->nevents * fi->words]);
        for (size_t e = bl->nevents; e-- > 0;) {
            memcpy(&at[e * fi->words], &at[(e + 1) * fi->words], fi->words * sizeof *at);
            transfer(&c, &bl->events[e], &at[e * fi->words]);
        }
    }
    free(in);
    free(tmp);
    plain_loops(fi, fn);
}

const eng_fninfo *eng_fninfo_of(eng_run_ctx *r, uint32_t fn)
{
    eng_func *f = &r->prog.funcs[fn];
    if (!f->info) {
        f->info = xcalloc(1, sizeof *f->info);
        build(r, f->info, f->fn);
    }
    return f->info;
}

bool eng_var_live(const eng_fninfo *fi, uint32_t block, uint32_t ev, uint32_t name)
{
    uint32_t i = 0;
    while (i < fi->nvars && fi->vars[i] != name)
        i++;
    if (i == fi->nvars || fi->addr_taken[i])
        return true; /* not a local we know, or reachable through a pointer */
    const uint64_t *at = &fi->live[block][(size_t)ev * fi->words];
    return (at[i / 64] >> (i % 64)) & 1;
}

void eng_fninfo_free(eng_fninfo *fi, size_t nblocks)
{
    if (!fi)
        return;
    for (size_t b = 0; b < nblocks; b++)
        free(fi->live[b]);
    free(fi->live);
    free(fi->vars);
    free(fi->addr_taken);
    free(fi->def_block);
    free(fi->long_lived);
    free(fi->loop_plain);
    free(fi);
}
