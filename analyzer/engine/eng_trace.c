/* eng_trace.c — turning a eng_search's candidates into findings: each one's
 * path is replayed from the root's start (the moves and fork choices the
 * nodes remember), with the recorder on, and the end state is read for the
 * tasks' positions and the objects' states. */
#include "engine/engine_impl.h"

#include <stdio.h>
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
    uint32_t *tasks_index;   /* per entry of `tasks`: the instance it means now */
    size_t tasks_indexcap;
    eng_task_info *ti;
    size_t nti, ticap;
    eng_obj_info *oi;
    size_t noi, oicap;
} builder;

static const eng_site no_site = { NULL, -1, 0, 0 };

/* Task ids are reused once a task ends (a spawn loop's tasks share one id
 * over time): the map says which instance an id means now, and a spawn
 * starts a new one. */
static uint32_t task_index_new(builder *b, uint32_t id);

static uint32_t task_index(builder *b, uint32_t id)
{
    uint32_t i;
    if (idmap_find(&b->tasks, id, &i))
        return b->tasks_index[i];
    return task_index_new(b, id);
}

static uint32_t task_index_new(builder *b, uint32_t id)
{
    bool added;
    uint32_t k = idmap_get(&b->tasks, id, &added);
    grow_array((void **)&b->tasks_index, &b->tasks_indexcap, b->tasks.n, sizeof *b->tasks_index);
    uint32_t i = (uint32_t)b->nti;
    (void)added;
    b->tasks_index[k] = i;
    grow_array((void **)&b->ti, &b->ticap, b->nti + 1, sizeof *b->ti);
    memset(&b->ti[b->nti], 0, sizeof *b->ti);
    b->ti[b->nti].spawned = no_site;
    b->ti[b->nti].at = no_site;
    b->ti[b->nti].at_case = -1;
    b->ti[b->nti].wait_obj = ENG_NONE;
    b->ti[b->nti].func = -1;
    b->nti++;
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
        if (getenv("TETHER_ENGINE_DEBUG"))
        {
            fprintf(stderr, "engine: the replay of node %u went astray\n", target);
            extern void eng_debug_state(eng_run_ctx *r, const eng_state *s, FILE *out);
            eng_debug_state(r, s, stderr);
        }
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
    x.pure = true;
    return eng_eval(&x, ev->vals[0]);
}

static void next_add(eng_task_info *info, model_ev_kind k, uint32_t obj)
{
    for (uint32_t i = 0; i < info->nnext; i++)
        if (info->next[i].kind == k && info->next[i].obj == obj)
            return;
    if (info->nnext < 32) {
        info->next[info->nnext].kind = k;
        info->next[info->nnext].obj = obj;
        info->nnext++;
    }
}

/* The object an operation's first operand names in frame `frame` of t
 * (ENG_NONE: any, when it cannot be told). */
static uint32_t next_obj(builder *b, eng_state *s, const eng_task *t, uint32_t frame, const model_val *v, bool loc,
                         model_ev_kind k)
{
    if (!v || frame == ENG_NONE)
        return ENG_NONE;
    eng_exec x = { 0 };
    x.r = b->r;
    x.s = s;
    x.task = t->id;
    x.pure = true;
    x.frame_at = frame + 1;
    eng_val e = eng_eval(&x, v);
    if (!loc)
        return e.kind == EV_CHAN ? obj_index(b, s, e.a) : ENG_NONE;
    eng_loc l = eng_ptr_loc(e);
    if (!l.ok)
        return ENG_NONE;
    eng_obj_kind ok = k == MODEL_EV_LOCK || k == MODEL_EV_UNLOCK ? ENG_OBJ_MUTEX : ENG_OBJ_WG;
    uint64_t key = (1ull << 63) | ((uint64_t)l.cell << 32) | l.path;
    uint32_t idx;
    return idmap_find(&b->objs, key, &idx) ? idx : loc_index(b, l.cell, l.path, ok, no_site);
}

/* How deep next_ops follows calls from a frame's code into callees. */
#define NEXT_CALL_DEPTH 4

/* The function a call event calls, evaluated in frame `frame` of t
 * (ENG_NONE: not known, or not one of the program's). */
static uint32_t next_callee(builder *b, eng_state *s, const eng_task *t, uint32_t frame, uint32_t fn,
                            const model_event *ev)
{
    eng_run_ctx *r = b->r;
    if (!ev->fn)
        return ev->callee ? eng_prog_lookup(r, r->prog.funcs[fn].tu, ev->callee) : ENG_NONE;
    if (frame == ENG_NONE)
        return ENG_NONE;
    eng_exec x = { 0 };
    x.r = r;
    x.s = s;
    x.task = t->id;
    x.pure = true;
    x.frame_at = frame + 1;
    eng_val v = eng_eval(&x, ev->fn);
    if (v.kind == EV_FUNC)
        return v.a & ENG_API_FN ? ENG_NONE : v.a;
    /* a pointer no longer known (its variable is dead by now): the call the
     * frame is in calls what the frame above runs, and will again */
    const eng_frame *f = &t->frames[frame];
    const model_block *bl = &r->prog.funcs[f->fn].fn->blocks[f->block];
    if (frame + 1 < t->nframes && f->ev > 0 && f->ev <= bl->nevents && &bl->events[f->ev - 1] == ev)
        return t->frames[frame + 1].fn;
    return ENG_NONE;
}

static void next_scan(builder *b, eng_state *s, const eng_task *t, eng_task_info *info, uint32_t fn,
                      uint32_t frame, uint32_t blk, uint32_t start_ev, int depth);

/* One event's operation, if it is one; a call's callee is scanned whole
 * (its objects unknown: any). */
static void next_event(builder *b, eng_state *s, const eng_task *t, eng_task_info *info, uint32_t fn,
                       uint32_t frame, const model_event *ev, int depth)
{
    switch (ev->kind) {
    case MODEL_EV_SEND: case MODEL_EV_RECV: case MODEL_EV_CLOSE:
        next_add(info, ev->kind, next_obj(b, s, t, frame, ev->nvals ? ev->vals[0] : NULL, false, ev->kind));
        break;
    case MODEL_EV_SELECT:
        for (size_t c = 0; c < ev->ncases; c++)
            next_add(info, ev->cases[c].op == 2 ? MODEL_EV_SEND : MODEL_EV_RECV,
                     next_obj(b, s, t, frame, ev->cases[c].ch, false, MODEL_EV_RECV));
        break;
    case MODEL_EV_WG_DONE: case MODEL_EV_WG_ADD: case MODEL_EV_UNLOCK: case MODEL_EV_LOCK:
        next_add(info, ev->kind, next_obj(b, s, t, frame, ev->nvals ? ev->vals[0] : NULL, true, ev->kind));
        break;
    case MODEL_EV_CTX_CANCEL: case MODEL_EV_TICKER_STOP: case MODEL_EV_SPAWN:
        next_add(info, ev->kind, ENG_NONE);
        break;
    case MODEL_EV_CALL: {
        if (depth >= NEXT_CALL_DEPTH)
            break;
        uint32_t callee = next_callee(b, s, t, frame, fn, ev);
        if (callee != ENG_NONE && b->r->prog.funcs[callee].fn->nblocks)
            next_scan(b, s, t, info, callee, ENG_NONE, b->r->prog.funcs[callee].fn->entry, 0, depth + 1);
        break;
    }
    default:
        break;
    }
}

/* The operations reachable in function fn from event start_ev of block blk;
 * frame: the task's frame running it (its values known), or ENG_NONE for a
 * callee not entered yet. */
static void next_scan(builder *b, eng_state *s, const eng_task *t, eng_task_info *info, uint32_t fn,
                      uint32_t frame, uint32_t blk, uint32_t start_ev, int depth)
{
    const model_func *mf = b->r->prog.funcs[fn].fn;
    uint8_t *seen = calloc(mf->nblocks ? mf->nblocks : 1, 1);
    uint32_t *work = malloc((mf->nblocks + 1) * sizeof *work);
    size_t n = 0;
    for (int pass = 0;; pass++) {
        const model_block *bl = &mf->blocks[blk];
        for (size_t e = pass == 0 ? start_ev : 0; e < bl->nevents; e++)
            next_event(b, s, t, info, fn, frame, &bl->events[e], depth);
        for (size_t k = 0; k < bl->nsucc; k++)
            if (!seen[bl->succ[k]]) {
                seen[bl->succ[k]] = 1;
                work[n++] = bl->succ[k];
            }
        if (!n)
            break;
        blk = work[--n];
    }
    free(seen);
    free(work);
}

/* The operations t's code can reach after its current one: in each frame
 * from where it stands (objects evaluated with the frame's values), and in
 * the functions those call (objects unknown). */
static void next_ops(builder *b, eng_state *s, const eng_task *t, eng_task_info *info)
{
    for (uint32_t fr = t->nframes; fr-- > 0;) {
        const eng_frame *f = &t->frames[fr];
        bool top = fr == t->nframes - 1;
        next_scan(b, s, t, info, f->fn, fr, f->block, f->ev + (top ? 1 : 0), 0);
    }
}

static bool ru_site_same(eng_site a, eng_site b)
{
    return a.tu == b.tu && a.func == b.func && a.block == b.block && a.index == b.index;
}

static void build(builder *b, eng_search *S, const eng_cand *c, eng_state *end, eng_rec *rec, eng_result *res)
{
    eng_run_ctx *r = b->r;
    task_index(b, end->root_id);
    /* tasks and objects named by the steps; steps get task indexes here */
    for (size_t i = 0; i < rec->n; i++) {
        eng_step *st = &rec->steps[i];
        st->task = task_index(b, st->task);
        if (st->kind == ENG_STEP_OP && st->callee_func >= 0 && eng_site_event(st->site) &&
            eng_site_event(st->site)->kind == MODEL_EV_SPAWN) {
            uint32_t child = task_index_new(b, (uint32_t)st->num);
            st->num = child;
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
        const model_event *op = eng_task_op(r, t);
        if (op && (op->kind == MODEL_EV_SEND || op->kind == MODEL_EV_RECV || op->kind == MODEL_EV_SELECT)) {
            size_t n = op->kind == MODEL_EV_SELECT ? op->ncases : 1;
            for (size_t k = 0; k < n && info->nchan < 16; k++) {
                const model_val *cv = op->kind == MODEL_EV_SELECT ? op->cases[k].ch : op->nvals ? op->vals[0] : NULL;
                eng_exec x = { 0 };
                x.r = r;
                x.s = end;
                x.task = t->id;
                x.pure = true;
                eng_val v = cv ? eng_eval(&x, cv) : ev_unknown();
                info->chan_null[info->nchan] = v.kind == EV_INT && v.n == 0;
                if (info->chan_null[info->nchan] && cv->kind == MODEL_VAL_API && strcmp(cv->name, "tt_ctx_done") == 0 &&
                    cv->nsub == 1) {
                    eng_val ctx = eng_eval(&x, cv->sub[0]);
                    info->chan_background[info->nchan] = ctx.kind == EV_CTX && ctx.a == ENG_BACKGROUND;
                }
                info->chan[info->nchan] = v.kind == EV_CHAN ? obj_index(b, end, v.a) : ENG_NONE;
                info->nchan++;
            }
        }
        next_ops(b, end, t, info);
        info = &b->ti[ti];
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
                if (rec->steps[i].task == ri) {
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
                /* held: by the task that locked it last (it may have ended
                 * since), where it took it */
                o->holder = ENG_NONE;
                for (size_t k = rec->n; v.kind == EV_MUTEX && k-- > 0;) {
                    const eng_step *st = &rec->steps[k];
                    const model_event *ev = eng_site_event(st->site);
                    if (st->loc_obj == i && ev && ev->kind == MODEL_EV_LOCK) {
                        o->holder = st->task;
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
        st->obj = st->obj == ENG_NONE ? ENG_NONE : idmap_find(&b->objs, st->obj, &idx) ? idx : ENG_NONE;
    }
    eng_finding f;
    memset(&f, 0, sizeof f);
    f.kind = c->kind;
    f.task = ENG_NONE;
    f.obj = ENG_NONE;
    f.deadlock = c->deadlock;
    uint32_t idx;
    if (c->task != ENG_NONE && idmap_find(&b->tasks, c->task, &idx)) {
        f.task = idx = b->tasks_index[idx];
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
    if (c->kind == ENG_LOCK_LEAK) {
        f.site = site_of(r, c->k1);
        f.obj = loc_index(b, c->k2, c->k3, ENG_OBJ_MUTEX, f.site);
        b->oi[f.obj].held_at = f.site;
        f.task = ENG_NONE;
        for (size_t i = rec->n; i-- > 0;) /* the task that took it */
            if (rec->steps[i].kind == ENG_STEP_OP && rec->steps[i].loc_obj == f.obj &&
                ru_site_same(rec->steps[i].site, f.site)) {
                f.task = rec->steps[i].task;
                break;
            }
        b->oi[f.obj].holder = f.task;
        f.objs = b->oi;
    }
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

/* Whether the event at site id sits in a loop of its function (it can run
 * again without leaving the function). */
static bool site_in_loop(const eng_run_ctx *r, uint32_t id)
{
    if (id == ENG_NONE || id >= r->nsites)
        return false;
    eng_site st = eng_site_get(r, id)->s;
    const model_func *fn = eng_site_func(st);
    if (!fn || st.block >= fn->nblocks)
        return false;
    uint8_t *seen = xcalloc(fn->nblocks, 1);
    uint32_t *work = xmalloc((fn->nblocks + 1) * sizeof *work);
    size_t n = 0;
    bool found = false;
    work[n++] = st.block;
    while (n && !found) {
        const model_block *bl = &fn->blocks[work[--n]];
        for (size_t i = 0; i < bl->nsucc && !found; i++) {
            uint32_t b = bl->succ[i];
            found = b == st.block;
            if (!seen[b]) {
                seen[b] = 1;
                work[n++] = b;
            }
        }
    }
    free(seen);
    free(work);
    return found;
}

/* A task going round forever keeps what it holds: the tickers still
 * running and the contexts never canceled in its cycle leak too (not one
 * made inside a loop: a new one each round, this state's one may be
 * stopped or canceled later in the round). */
static void cycle_leaks(eng_search *S, const eng_cand *c, const eng_state *end)
{
    for (uint32_t i = 0; i < end->nobjs; i++) {
        const eng_obj *o = end->objs[i];
        eng_finding_kind k;
        if (o->escaped || site_in_loop(S->r, o->site))
            continue;
        if (o->kind == OBJ_TICKER && !o->stopped)
            k = ENG_TICKER_LEAK;
        else if (o->kind == OBJ_CTX && !o->cancel_called)
            k = ENG_CTX_LEAK;
        else
            continue;
        bool known = false;
        for (size_t j = 0; j < S->ncands && !known; j++)
            known = S->cands[j].kind == k && S->cands[j].k1 == o->site;
        if (known)
            continue;
        grow_array((void **)&S->cands, &S->candcap, S->ncands + 1, sizeof *S->cands);
        S->cands[S->ncands++] = (eng_cand){ k, o->site, 0, 0, c->node, ENG_NONE, o->id, false };
    }
}

void eng_trace_findings(eng_run_ctx *r, uint32_t root_fn, eng_search *S, eng_result *res)
{
    for (size_t i = 0; i < S->ncands; i++) {
        eng_cand c = S->cands[i]; /* (the list may grow) */
        eng_rec rec = { 0 };
        rec.on = true;
        builder b;
        memset(&b, 0, sizeof b);
        b.r = r;
        eng_state *end = replay(r, root_fn, S, c.node, &rec, &b);
        if (!end) {
            free(rec.steps);
            free(b.tasks_index);
            free(b.tasks.keys);
            free(b.objs.keys);
            free(b.ti);
            free(b.oi);
            continue;
        }
        if (c.kind == ENG_LOOPING)
            cycle_leaks(S, &c, end);
        build(&b, S, &c, end, &rec, res);
        eng_state_free(end);
        free(b.tasks_index);
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
