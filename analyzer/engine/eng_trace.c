/* eng_trace.c — turning a eng_search's candidates into findings: each one's
 * path is replayed from the root's start (the moves and fork choices the
 * nodes remember), with the recorder on, and the end state is read for the
 * tasks' positions and the objects' states. */
#include "engine/engine_impl.h"

#include <stdlib.h>
#include <string.h>

#include "model/arena.h"

typedef struct idmap {
    uint64_t *keys;
    size_t n, cap;
} idmap;

/* Index of key in m, adding it if absent (*added set then). */
static uint32_t idmap_get(idmap *m, uint64_t key, bool *added)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->keys[i] == key) {
            if (added)
                *added = false;
            return (uint32_t)i;
        }
    grow_array((void **)&m->keys, &m->cap, m->n + 1, sizeof *m->keys);
    m->keys[m->n] = key;
    if (added)
        *added = true;
    return (uint32_t)m->n++;
}

static bool idmap_find(const idmap *m, uint64_t key, uint32_t *idx)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->keys[i] == key) {
            *idx = (uint32_t)i;
            return true;
        }
    return false;
}

typedef struct builder {
    eng_run_ctx *r;
    idmap tasks, objs;       /* task ids; object ids and (1<<63 | cell<<32 | path) locations */
    eng_task_info *ti;
    size_t nti, ticap;
    eng_obj_info *oi;
    size_t noi, oicap;
} builder;

static const eng_site no_site = { NULL, -1, 0, 0 };

static uint32_t task_index(builder *b, uint32_t id)
{
    bool added;
    uint32_t i = idmap_get(&b->tasks, id, &added);
    if (added) {
        grow_array((void **)&b->ti, &b->ticap, b->nti + 1, sizeof *b->ti);
        memset(&b->ti[b->nti], 0, sizeof *b->ti);
        b->ti[b->nti].spawned = no_site;
        b->ti[b->nti].at = no_site;
        b->ti[b->nti].at_case = -1;
        b->ti[b->nti].wait_obj = ENG_NONE;
        b->ti[b->nti].func = -1;
        b->nti++;
    }
    return i;
}

static eng_site site_of(eng_run_ctx *r, uint32_t site)
{
    return site < r->nsites ? r->sites[site].s : no_site;
}

static void obj_fill(builder *b, eng_obj_info *o, const eng_obj *e)
{
    o->made = site_of(b->r, e->site);
    o->cap = e->cap;
    o->closed = e->closed;
    o->canceled = e->canceled;
    o->stopped = e->stopped;
    o->timeout = e->timeout;
    o->count = e->nbuf;
    o->after = e->after;
}

/* The index of runtime object id (snapshotting it from s when first seen). */
static uint32_t obj_index(builder *b, const eng_state *s, uint32_t id)
{
    if (id == ENG_NONE || id == ENG_BACKGROUND)
        return ENG_NONE;
    bool added;
    uint32_t i = idmap_get(&b->objs, id, &added);
    if (added) {
        grow_array((void **)&b->oi, &b->oicap, b->noi + 1, sizeof *b->oi);
        eng_obj_info *o = &b->oi[b->noi++];
        memset(o, 0, sizeof *o);
        o->made = no_site;
        o->owner = o->holder = ENG_NONE;
        o->held_at = no_site;
        o->cap = -1;
        const eng_obj *e = eng_obj_get(s, id);
        if (e) {
            o->kind = e->kind == OBJ_CHAN ? ENG_OBJ_CHAN : e->kind == OBJ_CTX ? ENG_OBJ_CTX : ENG_OBJ_TICKER;
            obj_fill(b, o, e);
            if (e->kind == OBJ_CHAN && e->owner != ENG_NONE) {
                const eng_obj *w = eng_obj_get(s, e->owner);
                o->ctx_done = w && w->kind == OBJ_CTX;
                o->ticker_chan = w && w->kind == OBJ_TICKER;
                uint32_t oi = obj_index(b, s, e->owner);
                b->oi[i].owner = oi;
            }
        }
    }
    return i;
}

static uint32_t loc_index(builder *b, uint32_t cell, uint32_t path, eng_obj_kind kind, eng_site first)
{
    uint64_t key = (1ull << 63) | ((uint64_t)cell << 32) | path;
    bool added;
    uint32_t i = idmap_get(&b->objs, key, &added);
    if (added) {
        grow_array((void **)&b->oi, &b->oicap, b->noi + 1, sizeof *b->oi);
        eng_obj_info *o = &b->oi[b->noi++];
        memset(o, 0, sizeof *o);
        o->kind = kind;
        o->made = first;
        o->owner = o->holder = ENG_NONE;
        o->held_at = no_site;
        o->cap = -1;
    }
    return i;
}

/* Replays eng_node `target`'s path; returns the end state and fills rec. */
static eng_state *replay(eng_run_ctx *r, uint32_t root_fn, eng_search *S, uint32_t target, eng_rec *rec,
                         builder *b)
{
    size_t n = 0;
    for (uint32_t v = target; v != ENG_NONE; v = S->nodes[v].parent)
        n++;
    uint32_t *chain = xmalloc((n ? n : 1) * sizeof *chain);
    size_t k = n;
    for (uint32_t v = target; v != ENG_NONE; v = S->nodes[v].parent)
        chain[--k] = v;
    eng_state *s = eng_initial_state(r, root_fn);
    const eng_node *first = &S->nodes[chain[0]];
    eng_succs out = { 0 };
    eng_forks none = { 0 };
    size_t at = 0;
    eng_run_task(r, s, s->root_id, &none, S->forks + first->forks_off, first->forks_len, &at, rec, &out);
    s = out.n ? out.v[0].s : NULL;
    for (size_t i = 0; i < out.n; i++)
        free(out.v[i].forks.bits);
    free(out.v);
    if (s)
        eng_state_gc(r, s);
    for (size_t i = 1; s && i < n; i++) {
        const eng_node *nd = &S->nodes[chain[i]];
        size_t before = rec->n;
        eng_succs next = { 0 };
        eng_apply(r, s, &nd->move, S->forks + nd->forks_off, nd->forks_len, rec, &next);
        eng_state_free(s);
        s = next.n ? next.v[0].s : NULL;
        for (size_t j = 1; j < next.n; j++)
            eng_state_free(next.v[j].s);
        for (size_t j = 0; j < next.n; j++)
            free(next.v[j].forks.bits);
        free(next.v);
        for (size_t j = before; s && j < rec->n; j++) /* objects as they were then */
            if (rec->steps[j].obj != ENG_NONE)
                obj_index(b, s, rec->steps[j].obj);
    }
    free(chain);
    if (s && eng_state_hash(s) != S->nodes[target].hash) { /* the replay went astray */
        eng_state_free(s);
        return NULL;
    }
    return s;
}

/* The sites of a task's stack, innermost first. */
static void task_frames(eng_run_ctx *r, const eng_task *t, eng_task_info *ti)
{
    ti->nframes = 0;
    for (uint32_t k = t->nframes; k-- > 0 && ti->nframes < 16;) {
        const eng_frame *f = &t->frames[k];
        const eng_func *fn = &r->prog.funcs[f->fn];
        uint32_t ev = f->ev;
        if (k + 1 < t->nframes && ev > 0) /* a caller stands past its CALL */
            ev--;
        ti->frames[ti->nframes++] = (eng_site){ fn->tu, fn->func, f->block, ev };
    }
}

static eng_val loc_of_op(eng_run_ctx *r, eng_state *s, const eng_task *t, const model_event *ev)
{
    if (!ev || ev->nvals < 1)
        return ev_unknown();
    eng_exec x = { 0 };
    x.r = r;
    x.s = s;
    x.task = t->id;
    return eng_eval(&x, ev->vals[0]);
}

static void build(builder *b, eng_search *S, const eng_cand *c, eng_state *end, eng_rec *rec, eng_result *res)
{
    eng_run_ctx *r = b->r;
    task_index(b, end->root_id);
    /* tasks and objects named by the steps */
    for (size_t i = 0; i < rec->n; i++) {
        eng_step *st = &rec->steps[i];
        uint32_t ti = task_index(b, st->task);
        (void)ti;
        if (st->kind == ENG_STEP_OP && st->callee_func >= 0 && eng_site_event(st->site) &&
            eng_site_event(st->site)->kind == MODEL_EV_SPAWN) {
            uint32_t child = task_index(b, (uint32_t)st->num);
            b->ti[child].spawned = st->site;
            b->ti[child].tu = st->callee_tu;
            b->ti[child].func = st->callee_func;
            b->ti[child].done = true;
        }
        if (st->raw_cell != ENG_NONE) {
            const model_event *ev = eng_site_event(st->site);
            eng_obj_kind k = ev && (ev->kind == MODEL_EV_LOCK || ev->kind == MODEL_EV_UNLOCK) ? ENG_OBJ_MUTEX
                                                                                              : ENG_OBJ_WG;
            st->loc_obj = loc_index(b, st->raw_cell, st->raw_path, k, st->site);
        }
    }
    /* the root */
    {
        uint32_t ri = task_index(b, end->root_id);
        b->ti[ri].done = end->root_done;
    }
    /* tasks alive at the end */
    for (uint32_t i = 0; i < end->ntasks; i++) {
        const eng_task *t = end->tasks[i];
        uint32_t ti = task_index(b, t->id);
        eng_task_info *info = &b->ti[ti];
        info->done = false;
        const eng_func *fn = &r->prog.funcs[t->fn];
        info->tu = fn->tu;
        info->func = fn->func;
        info->at = site_of(r, eng_task_site(r, t));
        task_frames(r, t, info);
        eng_obj_kind kind;
        uint32_t w = eng_wait_obj(r, end, t, &kind);
        if (w != ENG_NONE) {
            info->wait_obj = obj_index(b, end, w);
        } else if (kind == ENG_OBJ_MUTEX || kind == ENG_OBJ_WG) {
            eng_loc l = eng_ptr_loc(loc_of_op(r, end, t, eng_task_op(r, t)));
            if (l.ok)
                info->wait_obj = loc_index(b, l.cell, l.path, kind, info->at);
        }
    }
    /* the root's function */
    {
        uint32_t ri = task_index(b, end->root_id);
        if (b->ti[ri].func < 0) {
            /* the root started at the first step's function, or is alive */
            for (size_t i = 0; i < rec->n; i++)
                if (rec->steps[i].task == end->root_id) {
                    b->ti[ri].tu = rec->steps[i].site.tu;
                    b->ti[ri].func = rec->steps[i].site.func;
                    break;
                }
        }
    }
    /* objects at the end: final flags, wait-group counts, mutex holders */
    for (size_t i = 0; i < b->objs.n; i++) {
        uint64_t key = b->objs.keys[i];
        eng_obj_info *o = &b->oi[i];
        if (key >> 63) {
            eng_loc l = { (uint32_t)(key >> 32) & 0x7fffffffu, (uint32_t)key, true };
            eng_val v = eng_load(r, end, end->root_id, l);
            if (o->kind == ENG_OBJ_WG)
                o->count = v.kind == EV_INT ? v.n : -1;
            if (o->kind == ENG_OBJ_MUTEX) {
                uint32_t holder;
                o->holder = v.kind == EV_INT && v.n > 0 && idmap_find(&b->tasks, (uint64_t)(v.n - 1), &holder)
                                ? holder : ENG_NONE;
                for (size_t k = rec->n; o->holder != ENG_NONE && k-- > 0;) { /* where it took it */
                    const eng_step *st = &rec->steps[k];
                    const model_event *ev = eng_site_event(st->site);
                    if (st->loc_obj == i && st->task == (uint32_t)(v.n - 1) && ev && ev->kind == MODEL_EV_LOCK) {
                        o->held_at = st->site;
                        break;
                    }
                }
            }
        } else {
            const eng_obj *e = eng_obj_get(end, (uint32_t)key);
            if (e)
                obj_fill(b, o, e);
        }
    }
    /* steps: task ids to indexes */
    for (size_t i = 0; i < rec->n; i++) {
        uint32_t idx;
        eng_step *st = &rec->steps[i];
        st->task = idmap_find(&b->tasks, st->task, &idx) ? idx : ENG_NONE;
        st->obj = st->obj == ENG_NONE ? ENG_NONE : idmap_find(&b->objs, st->obj, &idx) ? idx : ENG_NONE;
        if (st->kind == ENG_STEP_OP && st->callee_func >= 0 && idmap_find(&b->tasks, (uint64_t)st->num, &idx))
            st->num = idx;
    }
    eng_finding f;
    memset(&f, 0, sizeof f);
    f.kind = c->kind;
    f.task = ENG_NONE;
    f.obj = ENG_NONE;
    f.deadlock = c->deadlock;
    uint32_t idx;
    if (c->task != ENG_NONE && idmap_find(&b->tasks, c->task, &idx)) {
        f.task = idx;
        f.site = b->ti[idx].at;
        f.obj = b->ti[idx].wait_obj;
    }
    if (c->obj != ENG_NONE) {
        f.obj = obj_index(b, end, c->obj);
        f.site = b->oi[f.obj].made;
    }
    if (c->kind == ENG_WG_NEGATIVE) {
        f.site = site_of(r, c->k1);
        for (size_t i = rec->n; i-- > 0;)
            if (rec->steps[i].loc_obj != ENG_NONE) {
                f.obj = rec->steps[i].loc_obj;
                f.task = rec->steps[i].task;
                break;
            }
    }
    if (c->kind == ENG_LOOPING && f.task != ENG_NONE)
        f.site = b->ti[f.task].spawned;
    f.tasks = b->ti;
    f.ntasks = b->nti;
    f.objs = b->oi;
    f.nobjs = b->noi;
    f.steps = rec->steps;
    f.nsteps = rec->n;
    res->findings = xrealloc(res->findings, (res->nfindings + 1) * sizeof *res->findings);
    res->findings[res->nfindings++] = f;
    (void)S;
}

void eng_trace_findings(eng_run_ctx *r, uint32_t root_fn, eng_search *S, eng_result *res)
{
    for (size_t i = 0; i < S->ncands; i++) {
        const eng_cand *c = &S->cands[i];
        eng_rec rec = { 0 };
        rec.on = true;
        builder b;
        memset(&b, 0, sizeof b);
        b.r = r;
        eng_state *end = replay(r, root_fn, S, c->node, &rec, &b);
        if (!end) {
            free(rec.steps);
            free(b.tasks.keys);
            free(b.objs.keys);
            free(b.ti);
            free(b.oi);
            continue;
        }
        build(&b, S, c, end, &rec, res);
        eng_state_free(end);
        free(b.tasks.keys);
        free(b.objs.keys);
    }
}

void eng_result_free(eng_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nfindings; i++) {
        free(r->findings[i].tasks);
        free(r->findings[i].objs);
        free(r->findings[i].steps);
    }
    free(r->findings);
    free(r->roots);
    free(r);
}
