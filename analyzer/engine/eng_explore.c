/* eng_explore.c — the eng_search. From each root, every schedule: states are
 * hashed and visited once; each state's successors are all its moves (and
 * each move's forks). The state graph is kept as nodes and edges (not the
 * states themselves: a node remembers its parent and the move that made it,
 * so a finding's path is replayed when it is reported).
 *
 * End states: a state with no move is final. Its blocked tasks are
 * findings; so are, once the root has returned, tickers still running and
 * contexts never canceled that nothing outside the program holds. A task
 * that runs forever shows as a closed cycle of states (a bottom strongly
 * connected component) after the root returned, that it never leaves. */
#include "engine/engine_impl.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/arena.h"

void eng_debug_state(eng_run_ctx *r, const eng_state *s, FILE *out);

/* The budget is counted in states, so that results do not depend on the
 * machine's speed or load; the time limit is only a safety net. */
enum { DEFAULT_MAX_STATES = 30000, DEFAULT_MAX_DEPTH = 24 };
static const double DEFAULT_MAX_MS = 20000.0;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static uint32_t add_node(eng_search *S, eng_state *s, uint64_t h, uint32_t parent, const eng_move *m,
                         const eng_forks *forks)
{
    grow_array((void **)&S->nodes, &S->nodecap, S->nnodes + 1, sizeof *S->nodes);
    eng_node *n = &S->nodes[S->nnodes];
    memset(n, 0, sizeof *n);
    n->hash = h;
    n->parent = parent;
    if (m)
        n->move = *m;
    n->forks_off = (uint32_t)S->nforks;
    n->forks_len = (uint32_t)forks->n;
    grow_array((void **)&S->forks, &S->forkcap, S->nforks + forks->n + 1, 1);
    if (forks->n)
        memcpy(S->forks + S->nforks, forks->bits, forks->n);
    S->nforks += forks->n;
    n->depth = parent == ENG_NONE ? 0 : S->nodes[parent].depth + 1;
    n->root_done = s->root_done;
    n->self_task[0] = n->self_task[1] = ENG_NONE;
    n->tasks_off = (uint32_t)S->nalive;
    n->ntasks = s->ntasks;
    grow_array((void **)&S->alive, &S->alivecap, S->nalive + s->ntasks + 1, sizeof *S->alive);
    for (uint32_t i = 0; i < s->ntasks; i++)
        S->alive[S->nalive++] = s->tasks[i]->id;
    eng_map_put(S->visited, h, (uint32_t)S->nnodes);
    return (uint32_t)S->nnodes++;
}

static void add_cand(eng_search *S, eng_cand c)
{
    for (size_t i = 0; i < S->ncands; i++) {
        eng_cand *o = &S->cands[i];
        if (o->kind == c.kind && o->k1 == c.k1 && o->k2 == c.k2 && o->k3 == c.k3) {
            /* the simplest end state tells it best: fewest tasks still
             * there (a task blocked alone, not as part of a jam), then
             * the shortest path */
            const eng_node *cn = &S->nodes[c.node], *on = &S->nodes[o->node];
            if (cn->ntasks < on->ntasks || (cn->ntasks == on->ntasks && cn->depth < on->depth))
                *o = c;
            return;
        }
    }
    grow_array((void **)&S->cands, &S->candcap, S->ncands + 1, sizeof *S->cands);
    S->cands[S->ncands++] = c;
}

/* The findings a final state shows. */
static void final_state(eng_search *S, eng_state *s, uint32_t id)
{
    eng_run_ctx *r = S->r;
    if (s->panic_site != ENG_NONE) {
        add_cand(S, (eng_cand){ ENG_WG_NEGATIVE, s->panic_site, 0, 0, id, ENG_NONE, ENG_NONE, false });
        return;
    }
    if (s->exited)
        return;
    bool deadlock = !s->root_done;
    for (uint32_t i = 0; i < s->ntasks; i++) {
        const eng_task *t = s->tasks[i];
        uint32_t site = eng_task_site(r, t);
        add_cand(S, (eng_cand){ ENG_BLOCKED, t->spawn_site, t->fn, site, id, t->id, ENG_NONE, deadlock });
    }
    if (!s->root_done)
        return;
    /* mutexes still locked by a task that ended */
    for (uint32_t i = 0; i < s->ncells; i++) {
        const eng_cell *c = s->cells[i];
        for (uint32_t k = 0; k < c->n; k++) {
            const eng_val *v = &c->e[k].v;
            if (v->kind == EV_MUTEX && v->n == 0 && !eng_loc_escaped(r, c, c->e[k].path))
                add_cand(S, (eng_cand){ ENG_LOCK_LEAK, v->a, c->id, c->e[k].path, id, ENG_NONE,
                                        ENG_NONE, false });
        }
    }
    for (uint32_t i = 0; i < s->nobjs; i++) {
        const eng_obj *o = s->objs[i];
        if (o->escaped)
            continue;
        if (o->kind == OBJ_TICKER && !o->stopped)
            add_cand(S, (eng_cand){ ENG_TICKER_LEAK, o->site, 0, 0, id, ENG_NONE, o->id, false });
        else if (o->kind == OBJ_CTX && !o->cancel_called)
            add_cand(S, (eng_cand){ ENG_CTX_LEAK, o->site, 0, 0, id, ENG_NONE, o->id, false });
    }
}

/* ---- cycles nobody leaves: Tarjan's strongly connected components ------------- */

static void bottom_cycles(eng_search *S)
{
    size_t n = S->nnodes;
    uint32_t *index = xmalloc((n ? n : 1) * sizeof *index), *low = xmalloc((n ? n : 1) * sizeof *low);
    uint32_t *stack = xmalloc((n ? n : 1) * sizeof *stack), *comp = xmalloc((n ? n : 1) * sizeof *comp);
    bool *on = xcalloc(n ? n : 1, 1);
    typedef struct { uint32_t v, e; } frame;
    frame *calls = xmalloc((n ? n : 1) * sizeof *calls);
    for (size_t i = 0; i < n; i++)
        index[i] = ENG_NONE;
    uint32_t next = 0, sp = 0, ncomp = 0;
    for (uint32_t root = 0; root < n; root++) {
        if (index[root] != ENG_NONE)
            continue;
        size_t cp = 0;
        calls[cp++] = (frame){ root, 0 };
        index[root] = low[root] = next++;
        stack[sp++] = root;
        on[root] = true;
        while (cp) {
            frame *f = &calls[cp - 1];
            eng_node *nd = &S->nodes[f->v];
            if (f->e < nd->nedges) {
                uint32_t w = S->edges[nd->edge_off + f->e++];
                if (index[w] == ENG_NONE) {
                    index[w] = low[w] = next++;
                    stack[sp++] = w;
                    on[w] = true;
                    calls[cp++] = (frame){ w, 0 };
                } else if (on[w] && index[w] < low[f->v]) {
                    low[f->v] = index[w];
                }
                continue;
            }
            uint32_t v = f->v;
            if (low[v] == index[v]) {
                uint32_t w;
                do {
                    w = stack[--sp];
                    on[w] = false;
                    comp[w] = ncomp;
                } while (w != v);
                ncomp++;
            }
            cp--;
            if (cp && low[v] < low[calls[cp - 1].v])
                low[calls[cp - 1].v] = low[v];
        }
    }
    /* per component: size, leaves it, every state's root returned */
    uint32_t *size = xcalloc(ncomp ? ncomp : 1, sizeof *size);
    bool *leaves = xcalloc(ncomp ? ncomp : 1, 1), *self = xcalloc(ncomp ? ncomp : 1, 1),
         *root_alive = xcalloc(ncomp ? ncomp : 1, 1);
    uint32_t *rep = xmalloc((ncomp ? ncomp : 1) * sizeof *rep);
    for (uint32_t c = 0; c < ncomp; c++)
        rep[c] = ENG_NONE;
    for (uint32_t v = 0; v < n; v++) {
        uint32_t c = comp[v];
        size[c]++;
        if (rep[c] == ENG_NONE || S->nodes[v].depth < S->nodes[rep[c]].depth)
            rep[c] = v;
        if (!S->nodes[v].root_done)
            root_alive[c] = true;
        for (uint32_t e = 0; e < S->nodes[v].nedges; e++) {
            uint32_t w = S->edges[S->nodes[v].edge_off + e];
            if (comp[w] != c)
                leaves[c] = true;
            else if (w == v)
                self[c] = true;
        }
    }
    for (uint32_t c = 0; c < ncomp; c++) {
        if (leaves[c] || root_alive[c] || (size[c] < 2 && !self[c]))
            continue;
        /* tasks alive in every state of the cycle */
        const eng_node *r0 = &S->nodes[rep[c]];
        for (uint32_t k = 0; k < r0->ntasks; k++) {
            uint32_t tid = S->alive[r0->tasks_off + k];
            bool always = true;
            for (uint32_t v = 0; v < n && always; v++) {
                if (comp[v] != c)
                    continue;
                bool found = false;
                for (uint32_t j = 0; j < S->nodes[v].ntasks && !found; j++)
                    found = S->alive[S->nodes[v].tasks_off + j] == tid;
                always = found;
            }
            if (!always)
                continue;
            /* one that never moves in the cycle is blocked there, not going
             * round (the cycle's states but its first are reached by moves
             * inside it; a state's move back to itself is remembered) */
            bool moved = false;
            for (uint32_t v = 0; v < n && !moved; v++) {
                const eng_node *nd = &S->nodes[v];
                moved = comp[v] == c && ((nd->parent != ENG_NONE && comp[nd->parent] == c &&
                                          (nd->move.task == tid || nd->move.partner == tid)) ||
                                         nd->self_task[0] == tid || nd->self_task[1] == tid);
            }
            if (moved)
                add_cand(S, (eng_cand){ ENG_LOOPING, tid, 0, 0, rep[c], tid, ENG_NONE, false });
            else
                add_cand(S, (eng_cand){ ENG_BLOCKED, ENG_NONE - 3, tid, c, rep[c], tid, ENG_NONE, false });
        }
    }
    free(size);
    free(leaves);
    free(self);
    free(root_alive);
    free(rep);
    free(index);
    free(low);
    free(stack);
    free(comp);
    free(on);
    free(calls);
}

/* ---- roots ------------------------------------------------------------------------ */

/* The state before the root runs: globals, their initializers, the root's frame. */
eng_state *eng_initial_state(eng_run_ctx *r, uint32_t root_fn)
{
    eng_state *s = eng_state_new();
    eng_cell_add(s, r->global_cell, CELL_GLOBAL, true, ENG_NONE);
    if (!r->prog.closed) /* a library: its globals are shared with its callers */
        eng_escape_loc(r, s, r->global_cell, 0);
    for (size_t f = 0; f < r->prog.nfuncs; f++) {
        if (strcmp(r->prog.funcs[f].fn->name, "(globals)") != 0)
            continue;
        uint32_t id = eng_spawn(r, s, ENG_NONE, ENG_NONE - 2, (uint32_t)f, ev_unknown());
        eng_succs out = { 0 };
        eng_forks none = { 0 };
        eng_run_task(r, s, id, &none, NULL, 0, NULL, NULL, &out);
        s = out.v[0].s; /* initializers do not branch: keep the first run */
        free(out.v[0].forks.bits);
        for (size_t i = 1; i < out.n; i++) {
            eng_state_free(out.v[i].s);
            free(out.v[i].forks.bits);
        }
        free(out.v);
        eng_task_remove(s, id);
    }
    uint32_t root = eng_spawn(r, s, ENG_NONE, ENG_NONE, root_fn, ev_unknown());
    s->root_id = root;
    /* every parameter is the caller's: unknown */
    return s;
}

typedef struct pending {
    eng_state *s;
    uint32_t id;
} pending;

/* Explores from one root; candidates accumulate in S. */
/* Adds the successors of move m from p: new states to the graph and the
 * stack, an edge to each; frees out. */
static void add_succs(eng_search *S, const pending *p, const eng_move *m, eng_succs *out, pending **stack,
                      size_t *sp, size_t *spcap)
{
    for (size_t i = 0; i < out->n; i++) {
        uint64_t h = eng_state_hash(out->v[i].s);
        uint32_t id;
        if (eng_map_get(S->visited, h, &id)) {
            eng_state_free(out->v[i].s);
            if (id == p->id && S->nodes[id].self_task[0] == ENG_NONE) {
                S->nodes[id].self_task[0] = m->task;
                S->nodes[id].self_task[1] = m->partner;
            }
        } else {
            id = add_node(S, out->v[i].s, h, p->id, m, &out->v[i].forks);
            if (S->debug_every && id % S->debug_every == 0)
                eng_debug_state(S->r, out->v[i].s, stderr);
            grow_array((void **)stack, spcap, *sp + 1, sizeof **stack);
            (*stack)[(*sp)++] = (pending){ out->v[i].s, id };
        }
        free(out->v[i].forks.bits);
        grow_array((void **)&S->edges, &S->edgecap, S->nedges + 1, sizeof *S->edges);
        S->edges[S->nedges++] = id;
    }
    free(out->v);
    out->v = NULL;
    out->n = out->cap = 0;
}

/* Explores only task's moves from p when none of them leads to a state
 * already seen (else nothing is added and false returned). */
static bool expand_private(eng_search *S, const pending *p, const eng_moves *moves, uint32_t task,
                           pending **stack, size_t *sp, size_t *spcap)
{
    size_t n = 0;
    for (size_t m = 0; m < moves->n; m++)
        n += moves->v[m].task == task;
    eng_succs *outs = xcalloc(n, sizeof *outs);
    bool known = false;
    for (size_t m = 0, k = 0; m < moves->n && !known; m++) {
        if (moves->v[m].task != task)
            continue;
        eng_apply(S->r, p->s, &moves->v[m], NULL, 0, NULL, &outs[k]);
        for (size_t i = 0; i < outs[k].n && !known; i++) {
            uint32_t id;
            known = eng_map_get(S->visited, eng_state_hash(outs[k].v[i].s), &id);
        }
        k++;
    }
    for (size_t m = 0, k = 0; m < moves->n; m++) {
        if (moves->v[m].task != task)
            continue;
        if (known)
            eng_succs_free(&outs[k]);
        else
            add_succs(S, p, &moves->v[m], &outs[k], stack, sp, spcap);
        k++;
    }
    free(outs);
    return !known;
}

static void explore_root(eng_search *S, uint32_t root_fn, double deadline)
{
    eng_run_ctx *r = S->r;
    eng_state *s0 = eng_initial_state(r, root_fn);
    eng_succs init = { 0 };
    eng_forks none = { 0 };
    eng_run_task(r, s0, s0->root_id, &none, NULL, 0, NULL, NULL, &init);
    pending *stack = NULL;
    size_t sp = 0, spcap = 0;
    for (size_t i = 0; i < init.n; i++) {
        eng_state_gc(r, init.v[i].s);
        uint64_t h = eng_state_hash(init.v[i].s);
        uint32_t id;
        if (eng_map_get(S->visited, h, &id)) {
            eng_state_free(init.v[i].s);
        } else {
            id = add_node(S, init.v[i].s, h, ENG_NONE, NULL, &init.v[i].forks);
            grow_array((void **)&stack, &spcap, sp + 1, sizeof *stack);
            stack[sp++] = (pending){ init.v[i].s, id };
        }
        free(init.v[i].forks.bits);
    }
    free(init.v);
    eng_moves moves = { 0 };
    size_t checks = 0;
    while (sp) {
        pending p = stack[--sp];
        if (S->nnodes >= r->max_states || ((++checks & 63) == 0 && now_ms() > deadline)) {
            S->budget_hit = true;
            eng_state_free(p.s);
            while (sp)
                eng_state_free(stack[--sp].s);
            break;
        }
        eng_moves_of(r, p.s, &moves);
        if (moves.n == 0)
            final_state(S, p.s, p.id);
        uint32_t edge_off = (uint32_t)S->nedges;
        /* a task whose moves are its own business goes first, alone, unless
         * that comes back to a known state; then the next such task, and all
         * moves when every one does */
        uint32_t cands[8];
        size_t ncands = eng_private_tasks(r, p.s, &moves, cands, 8);
        bool alone = false;
        for (size_t c = 0; c < ncands && !alone; c++)
            alone = expand_private(S, &p, &moves, cands[c], &stack, &sp, &spcap);
        if (!alone)
            for (size_t m = 0; m < moves.n; m++) {
                eng_succs out = { 0 };
                eng_apply(r, p.s, &moves.v[m], NULL, 0, NULL, &out);
                add_succs(S, &p, &moves.v[m], &out, &stack, &sp, &spcap);
            }
        S->nodes[p.id].edge_off = edge_off;
        S->nodes[p.id].nedges = (uint32_t)(S->nedges - edge_off);
        S->nodes[p.id].expanded = true;
        eng_state_free(p.s);
    }
    free(moves.v);
    free(stack);
}

/* ---- the run ------------------------------------------------------------------------ */

eng_result *eng_run(const model_tu *const *tus, size_t ntus, const eng_opts *opts)
{
    double t0 = now_ms();
    eng_result *res = xcalloc(1, sizeof *res);
    eng_run_ctx *r = xcalloc(1, sizeof *r);
    r->name_map = eng_map_new();
    r->name_ptr_map = eng_map_new();
    r->func_cache = eng_map_new();
    r->path_map = eng_map_new();
    r->id_map = eng_map_new();
    r->site_map = eng_map_new();
    grow_array((void **)&r->paths, &r->pathcap, 1, sizeof *r->paths);
    r->paths[0] = (eng_path){ 0, 0, 0 };
    r->npaths = 1;
    r->max_states = opts && opts->max_states ? opts->max_states : DEFAULT_MAX_STATES;
    r->max_depth = opts && opts->max_depth ? opts->max_depth : DEFAULT_MAX_DEPTH;
    double budget = opts && opts->max_ms > 0 ? opts->max_ms : DEFAULT_MAX_MS;
    eng_prog_init(r, tus, ntus);
    r->global_cell = eng_intern_id(r, ID_ENV, 0, 0, 0);
    uint32_t *roots;
    size_t nroots = eng_prog_roots(r, &roots);
    res->roots = xcalloc(nroots ? nroots : 1, sizeof *res->roots);
    for (size_t i = 0; i < nroots; i++) {
        const eng_func *rf = &r->prog.funcs[roots[i]];
        if (opts && opts->skip_root && opts->skip_root(opts->skip_ctx, rf->tu, rf->func)) {
            eng_root_stats *st = &res->roots[res->nroots++];
            *st = (eng_root_stats){ .tu = rf->tu, .func = rf->func, .skipped = true, .first_finding = res->nfindings };
            continue;
        }
        double r0 = now_ms();
        eng_search S = { 0 };
        S.r = r;
        S.debug_every = getenv("TETHER_ENGINE_STATES") ? (uint32_t)atoi(getenv("TETHER_ENGINE_STATES")) : 0;
        S.visited = eng_map_new();
        /* each root gets an equal share of what is left of the budget */
        double deadline = r0 + (budget - (r0 - t0)) / (double)(nroots - i);
        explore_root(&S, roots[i], deadline);
        if (!S.budget_hit)
            bottom_cycles(&S);
        size_t first = res->nfindings;
        eng_trace_findings(r, roots[i], &S, res);
        eng_root_stats *st = &res->roots[res->nroots++];
        st->first_finding = first;
        st->nfindings = res->nfindings - first;
        st->tu = r->prog.funcs[roots[i]].tu;
        st->func = r->prog.funcs[roots[i]].func;
        st->states = S.nnodes;
        st->edges = S.nedges;
        st->ms = now_ms() - r0;
        st->budget_hit = S.budget_hit;
        res->budget_hit |= S.budget_hit;
        res->states += S.nnodes;
        free(S.nodes);
        free(S.forks);
        free(S.edges);
        free(S.alive);
        free(S.cands);
        eng_map_free(S.visited);
    }
    free(roots);
    /* free the run's tables */
    for (size_t i = 0; i < r->nnames; i++)
        free(r->names[i]);
    free(r->names);
    free(r->paths);
    free(r->id_tuples);
    free(r->sites);
    eng_map_free(r->name_map);
    eng_map_free(r->name_ptr_map);
    eng_map_free(r->func_cache);
    eng_map_free(r->path_map);
    eng_map_free(r->id_map);
    eng_map_free(r->site_map);
    eng_prog_free(&r->prog);
    free(r);
    /* the collector's buffers are per thread: a thread that ends (a language
     * server's, an editor's) would leak them */
    eng_state_gc_release();
    res->ms = now_ms() - t0;
    return res;
}
