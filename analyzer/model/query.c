/* query.c — the shared path and summary queries rules ask of a model
 * (classes across spawns and calls, whole-file facts, CFG walks, loops,
 * release summaries). See query.h; query_send.c, query_loop.c, query_path.c,
 * query_pos.c, query_case.c and query_spawn.c hold the rest. */
#include "model/query.h"
#include "model/query_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *q_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) {
        fputs("tether: out of memory\n", stderr);
        abort();
    }
    return p;
}

/* ---- Union-find over object ids ------------------------------------------ */

static model_obj_id uf_find(model_obj_id *uf, model_obj_id x)
{
    while (uf[x] != x) {
        uf[x] = uf[uf[x]];
        x = uf[x];
    }
    return x;
}

static bool uf_union(model_obj_id *uf, model_obj_id a, model_obj_id b)
{
    if (a == MODEL_NO_OBJ || b == MODEL_NO_OBJ)
        return false;
    a = uf_find(uf, a);
    b = uf_find(uf, b);
    if (a == b)
        return false;
    if (a < b)
        uf[b] = a;
    else
        uf[a] = b;
    return true;
}

/* Joins tt_ctx_done(x) with tt_ctx_done(y) once x and y are joined (the same
 * for tt_ticker_chan), until nothing changes. */
static void join_derived(const model_tu *tu, model_obj_id *uf)
{
    model_obj_id *first = q_xcalloc(tu->nobjs * 2, sizeof *first);
    bool changed = true;
    while (changed) {
        changed = false;
        for (size_t i = 0; i < tu->nobjs * 2; i++)
            first[i] = MODEL_NO_OBJ;
        for (size_t i = 0; i < tu->nobjs; i++) {
            const model_obj *o = &tu->objs[i];
            if ((o->scope != MODEL_SCOPE_CTX_DONE && o->scope != MODEL_SCOPE_TICKER_CHAN) ||
                o->base == MODEL_NO_OBJ)
                continue;
            size_t slot = (size_t)uf_find(uf, o->base) * 2 + (o->scope == MODEL_SCOPE_TICKER_CHAN);
            if (first[slot] == MODEL_NO_OBJ)
                first[slot] = (model_obj_id)i;
            else
                changed |= uf_union(uf, first[slot], (model_obj_id)i);
        }
    }
    free(first);
}

/* ---- Building ----------------------------------------------------------- */

bool q_call_unknown(const model_event *ev)
{
    return ev->kind == MODEL_EV_CALL && ev->callee_func < 0 &&
           !(ev->callee && strncmp(ev->callee, "tt_", 3) == 0);
}

static bool is_fresh_chan_text(const char *t)
{
    if (!t)
        return false;
    while (*t == ' ' || *t == '(')
        t++;
    return strncmp(t, "tt_chan_new", 11) == 0;
}

static void collect_events(q_ctx *q)
{
    const model_tu *tu = q->tu;
    size_t n = 0;
    for (size_t f = 0; f < tu->nfuncs; f++)
        for (size_t b = 0; b < tu->funcs[f].nblocks; b++)
            n += tu->funcs[f].blocks[b].nevents;
    q->all = q_xcalloc(n, sizeof *q->all);
    for (size_t f = 0; f < tu->nfuncs; f++)
        for (size_t b = 0; b < tu->funcs[f].nblocks; b++)
            for (size_t i = 0; i < tu->funcs[f].blocks[b].nevents; i++)
                q->all[q->nall++] = (q_pos){ (int32_t)f, (uint32_t)b, (uint32_t)i };
}

static void bind_params(q_ctx *q)
{
    const model_tu *tu = q->tu;
    for (size_t k = 0; k < q->nall; k++) {
        const model_event *ev = q_ev(q, q->all[k]);
        if ((ev->kind != MODEL_EV_SPAWN && ev->kind != MODEL_EV_CALL) || ev->callee_func < 0 ||
            (size_t)ev->callee_func >= tu->nfuncs)
            continue;
        const model_func *callee = &tu->funcs[ev->callee_func];
        size_t n = ev->nargs < callee->nparams ? ev->nargs : callee->nparams;
        if (ev->kind == MODEL_EV_SPAWN && n > 1)
            n = 1;
        for (size_t i = 0; i < n; i++)
            if (ev->args)
                uf_union(q->uf, ev->args[i], callee->params[i].obj);
    }
}


static bool calls_into(const model_tu *tu, int32_t from, int32_t target, bool *seen)
{
    if (from == target)
        return true;
    if (seen[from])
        return false;
    seen[from] = true;
    const model_func *fn = &tu->funcs[from];
    for (size_t b = 0; b < fn->nblocks; b++)
        for (size_t i = 0; i < fn->blocks[b].nevents; i++) {
            const model_event *ev = &fn->blocks[b].events[i];
            if (ev->kind == MODEL_EV_CALL && ev->callee_func >= 0 && (size_t)ev->callee_func < tu->nfuncs &&
                calls_into(tu, ev->callee_func, target, seen))
                return true;
        }
    return false;
}

bool q_calls_into(const model_tu *tu, int32_t from, int32_t target)
{
    if (from < 0 || target < 0)
        return false;
    bool *seen = q_xcalloc(tu->nfuncs, sizeof *seen);
    bool r = calls_into(tu, from, target, seen);
    free(seen);
    return r;
}

/* Does the function return an object? */
static bool returns_object(const model_func *fn)
{
    for (size_t b = 0; b < fn->nblocks; b++)
        for (size_t i = 0; i < fn->blocks[b].nevents; i++)
            if (fn->blocks[b].events[i].kind == MODEL_EV_RETURN && fn->blocks[b].events[i].obj != MODEL_NO_OBJ)
                return true;
    return false;
}

/* `T *x = f(...);` with f defined in this file: the CALL carries x (obj);
 * join x with every object f returns. A function some of whose calls keep
 * no result this way is not fully linked: what it returns may go anywhere. */
static void link_call_results(q_ctx *q)
{
    const model_tu *tu = q->tu;
    q->fully_linked = q_xcalloc(tu->nfuncs, sizeof *q->fully_linked);
    bool *unlinked = q_xcalloc(tu->nfuncs, sizeof *unlinked);
    bool *called = q_xcalloc(tu->nfuncs, sizeof *called);
    q->links = q_xcalloc(q->nall, sizeof *q->links);
    for (size_t k = 0; k < q->nall; k++) {
        const model_event *ev = q_ev(q, q->all[k]);
        if (ev->kind != MODEL_EV_CALL || ev->callee_func < 0 || (size_t)ev->callee_func >= tu->nfuncs)
            continue;
        const model_func *callee = &tu->funcs[ev->callee_func];
        if (!returns_object(callee))
            continue;
        called[ev->callee_func] = true;
        model_obj_id local = ev->obj;
        if (local == MODEL_NO_OBJ) {
            unlinked[ev->callee_func] = true;
            continue;
        }
        q->links[q->nlinks++] = (q_link){ q->all[k], local };
        for (size_t b = 0; b < callee->nblocks; b++)
            for (size_t i = 0; i < callee->blocks[b].nevents; i++) {
                const model_event *r = &callee->blocks[b].events[i];
                /* `return NULL;` links nothing: every NULL is one object */
                if (r->kind == MODEL_EV_RETURN && r->obj != MODEL_NO_OBJ &&
                    tu->objs[r->obj].scope != MODEL_SCOPE_NULL)
                    uf_union(q->uf, local, r->obj);
            }
    }
    for (size_t f = 0; f < tu->nfuncs; f++)
        q->fully_linked[f] = called[f] && !unlinked[f];
    free(unlinked);
    free(called);
}

bool q_call_result(const q_ctx *q, q_pos call, model_obj_id *local)
{
    for (size_t i = 0; i < q->nlinks; i++)
        if (q->links[i].call.func == call.func && q->links[i].call.block == call.block &&
            q->links[i].call.idx == call.idx) {
            if (local)
                *local = q->links[i].local;
            return true;
        }
    return false;
}

static q_facts *facts_at(q_ctx *q, model_obj_id obj)
{
    if (obj == MODEL_NO_OBJ || (size_t)obj >= q->tu->nobjs)
        return NULL;
    return &q->facts[q->uf[obj]];
}

static void add_facts(q_ctx *q)
{
    const model_tu *tu = q->tu;
    for (size_t i = 0; i < tu->nobjs; i++) {
        q_facts *f = &q->facts[q->uf[i]];
        const model_obj *o = &tu->objs[i];
        switch (o->scope) {
        case MODEL_SCOPE_NULL: f->has_null = true; break;
        case MODEL_SCOPE_BACKGROUND: f->has_background = true; break;
        case MODEL_SCOPE_FIELD:
        case MODEL_SCOPE_GLOBAL: f->has_field_or_global = true; break;
        case MODEL_SCOPE_CTX_DONE: f->is_ctx_done = true; f->base = o->base; break;
        case MODEL_SCOPE_TICKER_CHAN: f->is_ticker_chan = true; f->base = o->base; break;
        case MODEL_SCOPE_AFTER: f->is_after = true; break;
        default: break;
        }
    }
    for (size_t k = 0; k < q->nall; k++) {
        const model_event *ev = q_ev(q, q->all[k]);
        q_facts *f = facts_at(q, ev->obj);
        switch (ev->kind) {
        case MODEL_EV_CHAN_NEW:
            if (f) {
                f->chan_news++;
                if ((ev->flags & MODEL_EVF_NUM_KNOWN) && ev->num == 0)
                    f->cap_zero_news++;
            }
            break;
        case MODEL_EV_SEND: if (f) f->sends++; break;
        case MODEL_EV_RECV: if (f) f->recvs++; break;
        case MODEL_EV_CLOSE: if (f) f->closes++; break;
        case MODEL_EV_SELECT:
            for (size_t c = 0; c < ev->ncases; c++) {
                q_facts *cf = facts_at(q, ev->cases[c].obj);
                if (cf && ev->cases[c].op == 1)
                    cf->recvs++;
                else if (cf && ev->cases[c].op == 2)
                    cf->sends++;
            }
            break;
        case MODEL_EV_CTX_NEW:
            if (f) {
                f->ctx_news++;
                if (ev->flags & (MODEL_EVF_TIMEOUT | MODEL_EVF_NUM_KNOWN))
                    f->ctx_timeouts++;
            }
            break;
        case MODEL_EV_CTX_CANCEL: if (f) f->cancels++; break;
        case MODEL_EV_CTX_ERR: if (f) f->ctx_errs++; break;
        case MODEL_EV_TICKER_NEW: if (f) f->ticker_news++; break;
        case MODEL_EV_TICKER_STOP: if (f) f->ticker_stops++; break;
        case MODEL_EV_WG_ADD: if (f) f->wg_adds++; break;
        case MODEL_EV_WG_DONE: if (f) f->wg_dones++; break;
        case MODEL_EV_WG_WAIT: if (f) f->wg_waits++; break;
        case MODEL_EV_ESCAPE:
            if (f && ev->escape_to == MODEL_ESCAPE_DEREF)
                f->escapes = true;
            break;
        case MODEL_EV_RETURN:
            /* returned to callers this file links, or to code it does not show */
            if (f && !q->fully_linked[q->all[k].func])
                f->returned = true;
            break;
        case MODEL_EV_CALL:
            if (q_call_unknown(ev)) {
                for (size_t a = 0; a < ev->nargs; a++) {
                    q_facts *af = ev->args ? facts_at(q, ev->args[a]) : NULL;
                    if (af)
                        af->escapes = true;
                }
            } else if (ev->callee_func >= 0 && (size_t)ev->callee_func < tu->nfuncs) {
                const model_func *callee = &tu->funcs[ev->callee_func];
                for (size_t a = 0; a < ev->nargs && a < callee->nparams; a++) {
                    q_facts *pf = facts_at(q, callee->params[a].obj);
                    if (pf && ev->arg_texts && is_fresh_chan_text(ev->arg_texts[a]))
                        pf->fresh_args++;
                }
            }
            break;
        default:
            break;
        }
    }
}

/* Tarjan's strongly connected components, iteratively. */
static void compute_scc(const model_func *fn, q_finfo *fi)
{
    size_t n = fn->nblocks;
    fi->scc = q_xcalloc(n, sizeof *fi->scc);
    fi->cyclic = q_xcalloc(n, sizeof *fi->cyclic);
    int64_t *index = q_xcalloc(n, sizeof *index), *low = q_xcalloc(n, sizeof *low);
    bool *on = q_xcalloc(n, sizeof *on);
    uint32_t *stack = q_xcalloc(n, sizeof *stack), *cstack = q_xcalloc(n, sizeof *cstack);
    size_t *cpos = q_xcalloc(n, sizeof *cpos);
    size_t sp = 0, csp = 0;
    int64_t next = 1;
    uint32_t nscc = 0;
    for (size_t root = 0; root < n; root++) {
        if (index[root])
            continue;
        cstack[csp] = (uint32_t)root;
        cpos[csp++] = 0;
        index[root] = low[root] = next++;
        stack[sp++] = (uint32_t)root;
        on[root] = true;
        while (csp) {
            uint32_t v = cstack[csp - 1];
            const model_block *bl = &fn->blocks[v];
            if (cpos[csp - 1] < bl->nsucc) {
                uint32_t w = bl->succ[cpos[csp - 1]++];
                if (w >= n)
                    continue;
                if (!index[w]) {
                    index[w] = low[w] = next++;
                    stack[sp++] = w;
                    on[w] = true;
                    cstack[csp] = w;
                    cpos[csp++] = 0;
                } else if (on[w] && index[w] < low[v]) {
                    low[v] = index[w];
                }
                continue;
            }
            if (low[v] == index[v]) {
                size_t top = sp;
                uint32_t w;
                do {
                    w = stack[--sp];
                    on[w] = false;
                    fi->scc[w] = nscc;
                } while (w != v);
                if (top - sp > 1)
                    for (size_t i = sp; i < top; i++)
                        fi->cyclic[stack[i]] = true;
                nscc++;
            }
            csp--;
            if (csp) {
                uint32_t u = cstack[csp - 1];
                if (low[v] < low[u])
                    low[u] = low[v];
            }
        }
    }
    for (size_t v = 0; v < n; v++)
        for (size_t s = 0; s < fn->blocks[v].nsucc; s++)
            if (fn->blocks[v].succ[s] == v)
                fi->cyclic[v] = true;
    free(index);
    free(low);
    free(on);
    free(stack);
    free(cstack);
    free(cpos);
}

q_ctx *q_new(const model_tu *tu)
{
    q_ctx *q = q_xcalloc(1, sizeof *q);
    q->tu = tu;
    q->uf = q_xcalloc(tu->nobjs, sizeof *q->uf);
    for (size_t i = 0; i < tu->nobjs; i++)
        q->uf[i] = model_obj_canon(tu, (model_obj_id)i);
    for (size_t i = 0; i < tu->nobjs; i++)
        if (q->uf[i] == MODEL_NO_OBJ || (size_t)q->uf[i] >= tu->nobjs)
            q->uf[i] = (model_obj_id)i;
    collect_events(q);
    bind_params(q);
    link_call_results(q);
    join_derived(tu, q->uf);
    for (size_t i = 0; i < tu->nobjs; i++)
        q->uf[i] = uf_find(q->uf, (model_obj_id)i);
    q->facts = q_xcalloc(tu->nobjs, sizeof *q->facts);
    for (size_t i = 0; i < tu->nobjs; i++)
        q->facts[i].base = MODEL_NO_OBJ;
    add_facts(q);
    q->fi = q_xcalloc(tu->nfuncs, sizeof *q->fi);
    for (size_t f = 0; f < tu->nfuncs; f++)
        compute_scc(&tu->funcs[f], &q->fi[f]);
    return q;
}

void q_free(q_ctx *q)
{
    if (!q)
        return;
    for (size_t f = 0; f < q->tu->nfuncs; f++) {
        free(q->fi[f].scc);
        free(q->fi[f].cyclic);
        free(q->fi[f].loop_of);
    }
    free(q->fi);
    free(q->uf);
    free(q->facts);
    free(q->all);
    free(q->memo);
    free(q->links);
    free(q->fully_linked);
    free(q);
}

void q_check_each(const model_tu *tu, model_ev_kind kind, q_event_check check, void *user)
{
    q_ctx *q = q_new(tu);
    for (size_t k = 0; k < q->nall; k++)
        if (q_ev(q, q->all[k])->kind == kind)
            check(q, q->all[k], user);
    q_free(q);
}

const model_tu *q_tu(const q_ctx *q) { return q->tu; }
size_t q_nevents(const q_ctx *q) { return q->nall; }
q_pos q_event_pos(const q_ctx *q, size_t i) { return q->all[i]; }

const model_event *q_ev(const q_ctx *q, q_pos p)
{
    return &q->tu->funcs[p.func].blocks[p.block].events[p.idx];
}

bool q_loc_before(model_loc a, model_loc b)
{
    return a.line < b.line || (a.line == b.line && a.col < b.col);
}

/* ---- Classes and facts ----------------------------------------------------- */

model_obj_id q_class(const q_ctx *q, model_obj_id id)
{
    if (id == MODEL_NO_OBJ || id < 0 || (size_t)id >= q->tu->nobjs)
        return MODEL_NO_OBJ;
    return q->uf[id];
}

const q_facts *q_facts_of(const q_ctx *q, model_obj_id cls)
{
    cls = q_class(q, cls);
    return cls == MODEL_NO_OBJ ? NULL : &q->facts[cls];
}

bool q_chan_unbuffered(const q_ctx *q, model_obj_id cls)
{
    const q_facts *f = q_facts_of(q, cls);
    return f && f->chan_news > 0 && f->cap_zero_news == f->chan_news && !f->fresh_args;
}

bool q_chan_new_of(const q_ctx *q, model_obj_id cls, q_pos *out)
{
    cls = q_class(q, cls);
    if (cls == MODEL_NO_OBJ)
        return false;
    for (size_t k = 0; k < q->nall; k++) {
        const model_event *ev = q_ev(q, q->all[k]);
        if (ev->kind == MODEL_EV_CHAN_NEW && q_class(q, ev->obj) == cls) {
            *out = q->all[k];
            return true;
        }
    }
    return false;
}

static bool ctx_cancelable(const q_ctx *q, model_obj_id cls, int depth)
{
    const q_facts *f = q_facts_of(q, cls);
    if (!f || depth > 32)
        return true; /* unknown: assume yes */
    if (f->escapes || f->returned || f->cancels || f->ctx_timeouts)
        return true;
    if (!f->ctx_news && !f->has_background && !f->has_null)
        return true; /* made somewhere this file does not show */
    for (size_t k = 0; k < q->nall; k++) {
        const model_event *ev = q_ev(q, q->all[k]);
        if (ev->kind != MODEL_EV_CTX_NEW || q_class(q, ev->obj) != q_class(q, cls))
            continue;
        if (ev->obj2 == MODEL_NO_OBJ || ctx_cancelable(q, q_class(q, ev->obj2), depth + 1))
            return true;
    }
    return false;
}

bool q_ctx_cancelable(const q_ctx *q, model_obj_id ctx_cls)
{
    return ctx_cancelable(q, ctx_cls, 0);
}

bool q_is_ctx_done(const q_ctx *q, model_obj_id chan)
{
    const q_facts *f = q_facts_of(q, chan);
    return f && f->is_ctx_done;
}

bool q_recv_can_ready(const q_ctx *q, model_obj_id chan, bool until_closed)
{
    const q_facts *f = q_facts_of(q, chan);
    if (!f)
        return true;
    if (f->is_ctx_done)
        return q_ctx_cancelable(q, q_class(q, f->base));
    if (f->is_after || f->is_ticker_chan || f->escapes || f->returned)
        return true;
    if (!f->chan_news && !f->fresh_args && !f->has_null)
        return true; /* made somewhere this file does not show */
    if (until_closed)
        return f->closes > 0;
    return f->sends > 0 || f->closes > 0;
}

static bool chan_is_null(const q_ctx *q, model_obj_id chan)
{
    const q_facts *f = q_facts_of(q, chan);
    return f && f->has_null && !f->chan_news && !f->fresh_args && !f->escapes && !f->returned &&
           !f->is_ctx_done && !f->is_after && !f->is_ticker_chan;
}

bool q_select_can_ready(q_ctx *q, const model_event *sel)
{
    if (sel->has_default)
        return true;
    if (sel->ncases == 0) {
        /* tt_select(cases, 0) is Go's select {}; other empty case lists are
         * ones the front end could not read */
        return !(sel->flags & MODEL_EVF_NUM_KNOWN) || sel->num != 0;
    }
    for (size_t c = 0; c < sel->ncases; c++) {
        const model_case *mc = &sel->cases[c];
        if (mc->obj == MODEL_NO_OBJ)
            return true;
        if (mc->op == 1 ? q_recv_can_ready(q, mc->obj, false) : !chan_is_null(q, mc->obj))
            return true;
    }
    return false;
}

int q_select_fallback(const q_ctx *q, const model_event *sel)
{
    if (sel->has_default)
        return -2;
    for (size_t c = 0; c < sel->ncases; c++) {
        const q_facts *f = q_facts_of(q, sel->cases[c].obj);
        if (sel->cases[c].op == 1 && f && (f->is_after || f->is_ctx_done))
            return (int)c;
    }
    return -1;
}

/* ---- Control flow ---------------------------------------------------------- */

bool q_block_in_cycle(const q_ctx *q, int32_t func, uint32_t block)
{
    return q->fi[func].cyclic[block];
}

bool q_same_cycle(const q_ctx *q, int32_t func, uint32_t a, uint32_t b)
{
    return q->fi[func].cyclic[a] && q->fi[func].scc[a] == q->fi[func].scc[b];
}

bool q_walk(q_ctx *q, q_pos from, bool include_from, q_visit_fn visit, void *user, q_pos *found)
{
    return q_walk_cut(q, from, include_from, visit, user, NULL, found);
}

bool q_walk_cut(q_ctx *q, q_pos from, bool include_from, q_visit_fn visit, void *user,
                const bool *cut_blocks, q_pos *found)
{
    const model_func *fn = &q->tu->funcs[from.func];
    bool *seen = q_xcalloc(fn->nblocks, sizeof *seen);
    uint32_t *stack = q_xcalloc(fn->nblocks * 2 + 8, sizeof *stack);
    size_t sp = 0, cap = fn->nblocks * 2 + 8;
    bool hit = false;
    uint32_t b = from.block;
    size_t start = include_from ? from.idx : from.idx + 1;
    bool first = true;
    for (;;) {
        const model_block *bl = &fn->blocks[b];
        bool cut = false;
        int only = -1;
        for (size_t i = first ? start : 0; i < bl->nevents; i++) {
            q_pos at = { from.func, b, (uint32_t)i };
            q_verdict v = visit(q, at, &bl->events[i], user);
            if (v == Q_FOUND) {
                if (found)
                    *found = at;
                hit = true;
                goto out;
            }
            if (v == Q_CUT) {
                cut = true;
                break;
            }
            if ((v == Q_ONLY_SUCC0 || v == Q_ONLY_SUCC1) && i + 1 == bl->nevents)
                only = v == Q_ONLY_SUCC0 ? 0 : 1;
        }
        first = false;
        if (!cut)
            for (size_t s = 0; s < bl->nsucc; s++) {
                if (only >= 0 && s != (size_t)only)
                    continue;
                uint32_t w = bl->succ[s];
                if (w < fn->nblocks && !seen[w]) {
                    if (sp == cap) {
                        cap *= 2;
                        uint32_t *grown = realloc(stack, cap * sizeof *stack);
                        if (!grown)
                            abort();
                        stack = grown;
                    }
                    stack[sp++] = w;
                }
            }
        do {
            if (!sp)
                goto out;
            b = stack[--sp];
        } while (seen[b] || (cut_blocks && cut_blocks[b]));
        seen[b] = true;
    }
out:
    free(seen);
    free(stack);
    return hit;
}

typedef struct pair_ctx { q_pos a, b; } pair_ctx;

static bool pos_eq(q_pos x, q_pos y)
{
    return x.func == y.func && x.block == y.block && x.idx == y.idx;
}

static q_verdict visit_precede(q_ctx *q, q_pos at, const model_event *ev, void *user)
{
    (void)q;
    (void)ev;
    pair_ctx *p = user;
    if (pos_eq(at, p->b))
        return Q_FOUND;
    if (pos_eq(at, p->a))
        return Q_CUT;
    return Q_GO;
}

bool q_must_precede(q_ctx *q, q_pos a, q_pos b)
{
    if (a.func != b.func)
        return false;
    if (pos_eq(a, b))
        return true;
    pair_ctx p = { a, b };
    q_pos entry = { a.func, q->tu->funcs[a.func].entry, 0 };
    const model_block *eb = &q->tu->funcs[a.func].blocks[entry.block];
    if (eb->nevents == 0) {
        /* an empty entry block: walk from its successors through a dummy scan */
        bool reached = false;
        for (size_t s = 0; s < eb->nsucc && !reached; s++) {
            q_pos st = { a.func, eb->succ[s], 0 };
            if (q->tu->funcs[a.func].blocks[st.block].nevents)
                reached = q_walk(q, st, true, visit_precede, &p, NULL);
        }
        if (eb->nsucc && !reached)
            return true;
        if (reached)
            return false;
    }
    return !q_walk(q, entry, true, visit_precede, &p, NULL);
}

static q_verdict visit_reach(q_ctx *q, q_pos at, const model_event *ev, void *user)
{
    (void)q;
    (void)ev;
    return pos_eq(at, *(q_pos *)user) ? Q_FOUND : Q_GO;
}

bool q_reaches(q_ctx *q, q_pos a, q_pos b)
{
    if (a.func != b.func)
        return false;
    return q_walk(q, a, false, visit_reach, &b, NULL);
}

q_verdict q_visit_return(q_ctx *q, q_pos at, const model_event *ev, void *user)
{
    (void)at;
    (void)user;
    if (ev->kind == MODEL_EV_RETURN)
        return Q_FOUND;
    if (ev->kind == MODEL_EV_NORETURN)
        return Q_CUT;
    if (ev->kind == MODEL_EV_CALL && ev->callee_func >= 0 && !q_func_returns(q, ev->callee_func))
        return Q_CUT;
    return Q_GO;
}

bool q_returns_after(q_ctx *q, q_pos at, q_pos *ret)
{
    return q_walk(q, at, false, q_visit_return, NULL, ret);
}

bool q_blocks_from(const model_func *fn, uint32_t start, q_block_fn visit, void *user, bool *seen_out)
{
    bool *seen = seen_out ? seen_out : q_xcalloc(fn->nblocks, sizeof *seen);
    uint32_t *stack = q_xcalloc(fn->nblocks + 1, sizeof *stack);
    size_t sp = 0;
    bool hit = false;
    stack[sp++] = start;
    seen[start] = true;
    while (sp && !hit) {
        uint32_t b = stack[--sp];
        q_verdict v = visit(b, user);
        hit = v == Q_FOUND;
        if (v != Q_GO)
            continue;
        for (size_t s = 0; s < fn->blocks[b].nsucc; s++) {
            uint32_t w = fn->blocks[b].succ[s];
            if (w < fn->nblocks && !seen[w]) {
                seen[w] = true;
                stack[sp++] = w;
            }
        }
    }
    if (!seen_out)
        free(seen);
    free(stack);
    return hit;
}

typedef struct walk_from { q_ctx *q; int32_t func; q_visit_fn visit; void *user; q_pos *found; } walk_from;

/* The first block with events on each path: q_walk from it, go no further. */
static q_verdict walk_first_events(uint32_t b, void *user)
{
    walk_from *w = user;
    if (!w->q->tu->funcs[w->func].blocks[b].nevents)
        return Q_GO;
    return q_walk(w->q, (q_pos){ w->func, b, 0 }, true, w->visit, w->user, w->found) ? Q_FOUND : Q_CUT;
}

/* Walks that start at a block's first event must also cover an empty block:
 * this starts from the block even when it has no events. */
static bool walk_block(q_ctx *q, int32_t func, uint32_t block, q_visit_fn visit, void *user,
                       q_pos *found)
{
    if (q->tu->funcs[func].blocks[block].nevents)
        return q_walk(q, (q_pos){ func, block, 0 }, true, visit, user, found);
    walk_from w = { q, func, visit, user, found };
    return q_blocks_from(&q->tu->funcs[func], block, walk_first_events, &w, NULL);
}

typedef struct live_ctx { q_ctx *q; const model_func *fn; } live_ctx;

static q_verdict visit_live(uint32_t b, void *user)
{
    live_ctx *l = user;
    const model_block *bl = &l->fn->blocks[b];
    for (size_t i = 0; i < bl->nevents; i++)
        if (bl->events[i].kind == MODEL_EV_CALL && bl->events[i].callee_func >= 0 &&
            !q_func_returns(l->q, bl->events[i].callee_func))
            return Q_CUT;
    return Q_GO;
}

bool *q_live_blocks(q_ctx *q, int32_t func)
{
    live_ctx l = { q, &q->tu->funcs[func] };
    bool *seen = q_xcalloc(l.fn->nblocks, sizeof *seen);
    q_blocks_from(l.fn, l.fn->entry, visit_live, &l, seen);
    return seen;
}

bool q_func_returns(q_ctx *q, int32_t func)
{
    q_finfo *fi = &q->fi[func];
    if (fi->returns == 1 || fi->returns == 2)
        return true; /* in progress (recursion) or known */
    if (fi->returns == 3)
        return false;
    fi->returns = 1;
    bool r = walk_block(q, func, q->tu->funcs[func].entry, q_visit_return, NULL, NULL);
    fi->returns = r ? 2 : 3;
    return r;
}

static q_verdict visit_ends(q_ctx *q, q_pos at, const model_event *ev, void *user)
{
    if (ev->kind == MODEL_EV_NORETURN)
        return Q_FOUND;
    return q_visit_return(q, at, ev, user);
}

bool q_block_can_end(q_ctx *q, int32_t func, uint32_t block)
{
    return walk_block(q, func, block, visit_ends, NULL, NULL);
}

typedef struct avoid_pair { uint32_t h, u; } avoid_pair;

static q_verdict visit_avoiding(uint32_t b, void *user)
{
    const avoid_pair *p = user;
    return b == p->u ? Q_FOUND : b == p->h ? Q_CUT : Q_GO;
}

/* Is `u` (not `h`) reachable from the entry without passing `h`? */
static bool reach_avoiding(const model_func *fn, uint32_t h, uint32_t u)
{
    avoid_pair p = { h, u };
    return q_blocks_from(fn, fn->entry, visit_avoiding, &p, NULL);
}

bool q_loop_body(const q_ctx *q, int32_t func, uint32_t head, bool **body)
{
    const model_func *fn = &q->tu->funcs[func];
    bool *in = q_xcalloc(fn->nblocks, sizeof *in);
    uint32_t *stack = q_xcalloc(fn->nblocks + 1, sizeof *stack);
    size_t sp = 0;
    bool any = false;
    in[head] = true;
    for (size_t p = 0; p < fn->blocks[head].npred; p++) {
        uint32_t u = fn->blocks[head].pred[p];
        if (u >= fn->nblocks || !q->fi[func].cyclic[u] || q->fi[func].scc[u] != q->fi[func].scc[head])
            continue;
        if (u != head && reach_avoiding(fn, head, u))
            continue; /* head does not dominate u: not a back edge */
        any = true;
        if (!in[u]) {
            in[u] = true;
            stack[sp++] = u;
        }
    }
    while (sp) {
        uint32_t b = stack[--sp];
        for (size_t p = 0; p < fn->blocks[b].npred; p++) {
            uint32_t w = fn->blocks[b].pred[p];
            if (w < fn->nblocks && !in[w]) {
                in[w] = true;
                stack[sp++] = w;
            }
        }
    }
    free(stack);
    if (!any) {
        free(in);
        *body = NULL;
        return false;
    }
    *body = in;
    return true;
}

bool q_block_can_return(q_ctx *q, int32_t func, uint32_t block)
{
    return walk_block(q, func, block, q_visit_return, NULL, NULL);
}

/* Innermost loop head of every block of func (computed once). */
static const int64_t *loop_heads(const q_ctx *q, int32_t func)
{
    q_finfo *fi = &q->fi[func];
    if (fi->loop_of)
        return fi->loop_of;
    const model_func *fn = &q->tu->funcs[func];
    int64_t *of = q_xcalloc(fn->nblocks, sizeof *of);
    size_t *size = q_xcalloc(fn->nblocks, sizeof *size);
    for (size_t b = 0; b < fn->nblocks; b++)
        of[b] = -1;
    for (uint32_t h = 0; h < fn->nblocks; h++) {
        bool *body;
        if (!fi->cyclic[h] || !q_loop_body(q, func, h, &body))
            continue;
        size_t n = 0;
        for (size_t b = 0; b < fn->nblocks; b++)
            n += body[b];
        for (size_t b = 0; b < fn->nblocks; b++)
            if (body[b] && (of[b] < 0 || n < size[b])) {
                of[b] = h;
                size[b] = n;
            }
        free(body);
    }
    free(size);
    fi->loop_of = of;
    return of;
}

int64_t q_loop_of(const q_ctx *q, int32_t func, uint32_t block)
{
    if (!q->fi[func].cyclic[block])
        return -1;
    return loop_heads(q, func)[block];
}

bool q_loop_contains(const q_ctx *q, int32_t func, uint32_t head, uint32_t block)
{
    bool *body;
    if (!q_loop_body(q, func, head, &body))
        return false;
    bool in = body[block];
    free(body);
    return in;
}

/* ---- Release summaries ------------------------------------------------------ */

static int8_t *memo_slot(q_ctx *q, int32_t func, model_obj_id cls, int kind)
{
    for (size_t i = 0; i < q->nmemo; i++)
        if (q->memo[i].func == func && q->memo[i].cls == cls && q->memo[i].kind == kind)
            return &q->memo[i].state;
    if (q->nmemo == q->capmemo) {
        q->capmemo = q->capmemo ? q->capmemo * 2 : 16;
        q_memo *grown = realloc(q->memo, q->capmemo * sizeof *q->memo);
        if (!grown)
            abort();
        q->memo = grown;
    }
    q->memo[q->nmemo] = (q_memo){ func, cls, kind, 0 };
    return &q->memo[q->nmemo++].state;
}

static bool arg_in_class(const q_ctx *q, const model_event *ev, model_obj_id cls)
{
    for (size_t a = 0; a < ev->nargs; a++)
        if (ev->args && q_class(q, ev->args[a]) == cls)
            return true;
    return false;
}

bool q_event_releases(q_ctx *q, const model_event *ev, model_obj_id cls, q_release rel)
{
    cls = q_class(q, cls);
    model_obj_id oc = q_class(q, ev->obj);
    switch (ev->kind) {
    case MODEL_EV_TICKER_STOP: return rel == Q_REL_TICKER_STOP && oc == cls;
    case MODEL_EV_WG_DONE: return rel == Q_REL_WG_DONE && oc == cls;
    case MODEL_EV_CLOSE: return rel == Q_REL_CLOSE && oc == cls;
    case MODEL_EV_CTX_CANCEL: return rel == Q_REL_CANCEL && oc == cls;
    case MODEL_EV_SEND: return rel == Q_REL_SEND && oc == cls;
    case MODEL_EV_ESCAPE:
    case MODEL_EV_RETURN:
        return rel == Q_REL_TICKER_STOP && oc == cls && cls != MODEL_NO_OBJ;
    case MODEL_EV_SPAWN:
        /* the ticker becomes the task's: released if the task stops it */
        return rel == Q_REL_TICKER_STOP && arg_in_class(q, ev, cls) &&
               (ev->callee_func < 0 || q_func_touches(q, ev->callee_func, cls, MODEL_EV_TICKER_STOP));
    case MODEL_EV_CALL:
        if (ev->callee_func >= 0)
            return q_func_releases(q, ev->callee_func, cls, rel);
        return q_call_unknown(ev) && arg_in_class(q, ev, cls);
    default:
        return false;
    }
}

q_verdict q_non_null_branch(const q_ctx *q, const model_event *ev, model_obj_id cls)
{
    if (ev->kind != MODEL_EV_NULL_TEST || cls == MODEL_NO_OBJ || q_class(q, ev->obj) != cls)
        return Q_GO;
    /* num = 1: the then branch (succ[0]) means obj != NULL */
    return ev->num ? Q_ONLY_SUCC0 : Q_ONLY_SUCC1;
}

q_verdict q_visit_leak(q_ctx *q, q_pos at, const model_event *ev, void *user)
{
    const q_leak *l = user;
    if (q_event_releases(q, ev, l->cls, l->rel))
        return Q_CUT;
    q_verdict nn = q_non_null_branch(q, ev, l->cls);
    if (nn != Q_GO)
        return nn;
    return q_visit_return(q, at, ev, NULL);
}

/* Heads of counted loops of func that run at least once and release the class. */
bool *q_releasing_loops(q_ctx *q, int32_t func, model_obj_id cls, q_release rel)
{
    const model_func *fn = &q->tu->funcs[func];
    bool *cut = q_xcalloc(fn->nblocks, sizeof *cut);
    for (uint32_t b = 0; b < fn->nblocks; b++) {
        if (!q->fi[func].cyclic[b])
            continue;
        for (size_t i = 0; i < fn->blocks[b].nevents; i++) {
            const model_event *ev = &fn->blocks[b].events[i];
            if (!(ev->kind == MODEL_EV_TICKER_STOP || ev->kind == MODEL_EV_WG_DONE ||
                  ev->kind == MODEL_EV_CLOSE || ev->kind == MODEL_EV_CTX_CANCEL || ev->kind == MODEL_EV_SEND) ||
                !q_event_releases(q, ev, cls, rel))
                continue;
            int64_t head = q_loop_of(q, func, b);
            if (head >= 0 && !cut[head] && q_loop_runs(q, func, (uint32_t)head))
                cut[head] = true;
        }
    }
    return cut;
}

bool q_leak_path(q_ctx *q, q_pos from, bool include_from, model_obj_id cls, q_release rel,
                 q_pos *ret)
{
    q_leak l = { q_class(q, cls), rel };
    bool *cut = q_releasing_loops(q, from.func, l.cls, rel);
    /* never cut the loop the walk starts in */
    int64_t own = q_loop_of(q, from.func, from.block);
    if (own >= 0)
        cut[own] = false;
    bool r = q_walk_cut(q, from, include_from, q_visit_leak, &l, cut, ret);
    free(cut);
    return r;
}

bool q_func_releases(q_ctx *q, int32_t func, model_obj_id cls, q_release rel)
{
    cls = q_class(q, cls);
    int8_t *st = memo_slot(q, func, cls, (int)rel);
    if (*st == 1 || *st == 2)
        return true; /* recursion: assume it does */
    if (*st == 3)
        return false;
    *st = 1;
    q_leak l = { cls, rel };
    bool leaks = walk_block(q, func, q->tu->funcs[func].entry, q_visit_leak, &l, NULL);
    st = memo_slot(q, func, cls, (int)rel); /* the memo may have moved */
    *st = leaks ? 3 : 2;
    return !leaks;
}

static bool touches(q_ctx *q, int32_t func, model_obj_id cls, model_ev_kind kind, bool *seen)
{
    if (seen[func])
        return false;
    seen[func] = true;
    const model_func *fn = &q->tu->funcs[func];
    for (size_t b = 0; b < fn->nblocks; b++)
        for (size_t i = 0; i < fn->blocks[b].nevents; i++) {
            const model_event *ev = &fn->blocks[b].events[i];
            if (ev->kind == kind && q_class(q, ev->obj) == cls)
                return true;
            if (ev->kind == MODEL_EV_SELECT && (kind == MODEL_EV_RECV || kind == MODEL_EV_SEND))
                for (size_t c = 0; c < ev->ncases; c++)
                    if (ev->cases[c].op == (kind == MODEL_EV_RECV ? 1 : 2) &&
                        q_class(q, ev->cases[c].obj) == cls)
                        return true;
            if (ev->kind == MODEL_EV_CALL && ev->callee_func >= 0 &&
                touches(q, ev->callee_func, cls, kind, seen))
                return true;
        }
    return false;
}

bool q_func_touches(q_ctx *q, int32_t func, model_obj_id cls, model_ev_kind kind)
{
    cls = q_class(q, cls);
    if (cls == MODEL_NO_OBJ)
        return false;
    bool *seen = q_xcalloc(q->tu->nfuncs, sizeof *seen);
    bool r = touches(q, func, cls, kind, seen);
    free(seen);
    return r;
}
