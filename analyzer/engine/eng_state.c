/* eng_state.c — states: tasks, memory cells and objects, shared between
 * states copy-on-write (a move touches a few of them), hashed per part,
 * and collected: memory no task can reach is dropped, so a loop that
 * allocates comes back to a state it has seen. */
#include "engine/engine_impl.h"

#include <stdlib.h>
#include <string.h>

#include "model/arena.h"

/* ---- hashing ------------------------------------------------------------------- */

static inline uint64_t h_mix(uint64_t h, uint64_t x)
{
    h ^= x + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    h *= 0xbf58476d1ce4e5b9ull;
    return h ^ (h >> 31);
}

static uint64_t h_val(uint64_t h, eng_val v)
{
    h = h_mix(h, (uint64_t)v.kind | ((uint64_t)v.nz << 8));
    h = h_mix(h, ((uint64_t)v.a << 32) | v.b);
    return h_mix(h, (uint64_t)v.n);
}

/* ---- sorted arrays of parts ---------------------------------------------------- */

#define FIND(arr, n, key, idx)                                  \
    do {                                                        \
        size_t lo_ = 0, hi_ = (n);                              \
        while (lo_ < hi_) {                                     \
            size_t mid_ = (lo_ + hi_) / 2;                      \
            if ((arr)[mid_]->id < (key))                        \
                lo_ = mid_ + 1;                                 \
            else                                                \
                hi_ = mid_;                                     \
        }                                                       \
        (idx) = lo_;                                            \
    } while (0)

static void *insert_at(void **arr, uint32_t *n, size_t at, void *item)
{
    memmove(&arr[at + 1], &arr[at], (*n - at) * sizeof *arr);
    arr[at] = item;
    (*n)++;
    return item;
}

/* ---- tasks ---------------------------------------------------------------------- */

eng_task *eng_task_new(uint32_t id)
{
    eng_task *t = xcalloc(1, sizeof *t);
    t->refs = 1;
    t->id = id;
    t->spawn_site = ENG_NONE;
    return t;
}

static void frame_free(eng_frame *f)
{
    free(f->temps);
    free(f->visits);
}

static void task_decref(eng_task *t)
{
    if (!t || --t->refs > 0)
        return;
    for (uint32_t i = 0; i < t->nframes; i++)
        frame_free(&t->frames[i]);
    free(t->frames);
    free(t);
}

static eng_task *task_clone(const eng_task *t)
{
    eng_task *c = xmalloc(sizeof *c);
    *c = *t;
    c->refs = 1;
    c->frames = xmalloc((t->framecap ? t->framecap : 1) * sizeof *c->frames);
    for (uint32_t i = 0; i < t->nframes; i++) {
        const eng_frame *f = &t->frames[i];
        eng_frame *g = &c->frames[i];
        *g = *f;
        size_t nt = f->nids ? (size_t)f->nids : 1, nb = f->nblocks ? f->nblocks : 1;
        g->temps = xmalloc(nt * sizeof *g->temps);
        memcpy(g->temps, f->temps, nt * sizeof *g->temps);
        g->visits = xmalloc(nb);
        memcpy(g->visits, f->visits, nb);
    }
    return c;
}

eng_frame *eng_task_push(eng_task *t, const eng_func *f)
{
    if (t->nframes == t->framecap) {
        t->framecap = t->framecap ? t->framecap * 2 : 4;
        t->frames = xrealloc(t->frames, t->framecap * sizeof *t->frames);
    }
    eng_frame *fr = &t->frames[t->nframes++];
    memset(fr, 0, sizeof *fr);
    fr->block = f->fn->entry;
    fr->ret_id = -1;
    fr->nids = f->fn->nids;
    fr->nblocks = (uint32_t)f->fn->nblocks;
    fr->temps = xcalloc(fr->nids ? (size_t)fr->nids : 1, sizeof *fr->temps);
    fr->visits = xcalloc(fr->nblocks ? fr->nblocks : 1, 1);
    t->hashed = false;
    return fr;
}

void eng_task_pop(eng_task *t)
{
    if (!t->nframes)
        return;
    frame_free(&t->frames[--t->nframes]);
    t->hashed = false;
}

eng_task *eng_task_get(const eng_state *s, uint32_t id)
{
    size_t i;
    FIND(s->tasks, s->ntasks, id, i);
    return i < s->ntasks && s->tasks[i]->id == id ? s->tasks[i] : NULL;
}

eng_task *eng_task_mut(eng_state *s, uint32_t id)
{
    size_t i;
    FIND(s->tasks, s->ntasks, id, i);
    if (i >= s->ntasks || s->tasks[i]->id != id)
        return NULL;
    eng_task *t = s->tasks[i];
    if (t->refs > 1) {
        eng_task *c = task_clone(t);
        t->refs--;
        s->tasks[i] = t = c;
    }
    t->hashed = false;
    return t;
}

void eng_task_add(eng_state *s, eng_task *t)
{
    size_t i;
    FIND(s->tasks, s->ntasks, t->id, i);
    s->tasks = xrealloc(s->tasks, (s->ntasks + 1) * sizeof *s->tasks);
    insert_at((void **)s->tasks, &s->ntasks, i, t);
}

/* The mutexes task `id` holds stay locked by nobody once it ends (n = 0):
 * its id may be given to a task spawned later, which must not seem to hold
 * them. */
static void orphan_mutexes(eng_state *s, uint32_t id)
{
    for (uint32_t i = 0; i < s->ncells; i++) {
        const eng_cell *c = s->cells[i];
        for (uint32_t k = 0; k < c->n; k++)
            if (c->e[k].v.kind == EV_MUTEX && c->e[k].v.n == (int64_t)id + 1) {
                eng_cell *m = eng_cell_mut(s, c->id);
                m->e[k].v.n = 0;
                c = m;
            }
    }
}

void eng_task_remove(eng_state *s, uint32_t id)
{
    size_t i;
    FIND(s->tasks, s->ntasks, id, i);
    if (i >= s->ntasks || s->tasks[i]->id != id)
        return;
    orphan_mutexes(s, id);
    task_decref(s->tasks[i]);
    memmove(&s->tasks[i], &s->tasks[i + 1], (s->ntasks - i - 1) * sizeof *s->tasks);
    s->ntasks--;
}

static uint64_t task_hash(eng_task *t)
{
    if (t->hashed)
        return t->hash;
    uint64_t h = h_mix(t->id, ((uint64_t)t->spawn_site << 32) | t->fn);
    h = h_mix(h, t->yield);
    for (uint32_t i = 0; i < t->nframes; i++) {
        const eng_frame *f = &t->frames[i];
        h = h_mix(h, ((uint64_t)f->fn << 32) | f->block);
        h = h_mix(h, ((uint64_t)f->ev << 32) | f->cell);
        h = h_mix(h, (uint64_t)(int64_t)f->ret_id);
        for (int32_t k = 0; k < f->nids; k++)
            if (f->temps[k].kind != EV_UNKNOWN || f->temps[k].nz)
                h = h_val(h_mix(h, (uint64_t)k), f->temps[k]);
        for (size_t b = 0; b < f->nblocks; b++)
            if (f->visits[b])
                h = h_mix(h, ((uint64_t)b << 8) | f->visits[b]);
    }
    t->hash = h;
    t->hashed = true;
    return h;
}

/* ---- cells ---------------------------------------------------------------------- */

static void cell_decref(eng_cell *c)
{
    if (!c || --c->refs > 0)
        return;
    free(c->e);
    free(c->esc);
    free(c);
}

eng_cell *eng_cell_get(const eng_state *s, uint32_t id)
{
    size_t i;
    FIND(s->cells, s->ncells, id, i);
    return i < s->ncells && s->cells[i]->id == id ? s->cells[i] : NULL;
}

eng_cell *eng_cell_mut(eng_state *s, uint32_t id)
{
    size_t i;
    FIND(s->cells, s->ncells, id, i);
    if (i >= s->ncells || s->cells[i]->id != id)
        return NULL;
    eng_cell *c = s->cells[i];
    if (c->refs > 1) {
        eng_cell *d = xmalloc(sizeof *d);
        *d = *c;
        d->refs = 1;
        d->cap = c->n ? c->n : 1;
        d->e = xmalloc(d->cap * sizeof *d->e);
        if (c->n)
            memcpy(d->e, c->e, c->n * sizeof *d->e);
        d->esc = NULL;
        if (c->nesc) {
            d->esc = xmalloc(c->nesc * sizeof *d->esc);
            memcpy(d->esc, c->esc, c->nesc * sizeof *d->esc);
        }
        c->refs--;
        s->cells[i] = c = d;
    }
    c->hashed = false;
    return c;
}

eng_cell *eng_cell_add(eng_state *s, uint32_t id, eng_cell_kind kind, bool zeroed, uint32_t site)
{
    size_t i;
    FIND(s->cells, s->ncells, id, i);
    if (i < s->ncells && s->cells[i]->id == id) { /* reused id: start afresh */
        eng_cell *c = eng_cell_mut(s, id);
        c->n = 0;
        c->kind = (uint8_t)kind;
        c->zeroed = zeroed;
        c->escaped = false;
        c->nesc = 0;
        c->site = site;
        return c;
    }
    eng_cell *c = xcalloc(1, sizeof *c);
    c->refs = 1;
    c->id = id;
    c->kind = (uint8_t)kind;
    c->zeroed = zeroed;
    c->site = site;
    s->cells = xrealloc(s->cells, (s->ncells + 1) * sizeof *s->cells);
    insert_at((void **)s->cells, &s->ncells, i, c);
    return c;
}

void eng_cell_remove(eng_state *s, uint32_t id)
{
    size_t i;
    FIND(s->cells, s->ncells, id, i);
    if (i >= s->ncells || s->cells[i]->id != id)
        return;
    cell_decref(s->cells[i]);
    memmove(&s->cells[i], &s->cells[i + 1], (s->ncells - i - 1) * sizeof *s->cells);
    s->ncells--;
}

static size_t cell__find(const eng_cell *c, uint32_t path)
{
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c->e[mid].path < path)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const eng_val *eng_cell_find(const eng_cell *c, uint32_t path)
{
    size_t i = cell__find(c, path);
    return i < c->n && c->e[i].path == path ? &c->e[i].v : NULL;
}

void eng_cell_set(eng_cell *c, uint32_t path, eng_val v)
{
    size_t i = cell__find(c, path);
    c->hashed = false;
    if (i < c->n && c->e[i].path == path) {
        c->e[i].v = v;
        return;
    }
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 4;
        c->e = xrealloc(c->e, c->cap * sizeof *c->e);
    }
    memmove(&c->e[i + 1], &c->e[i], (c->n - i) * sizeof *c->e);
    c->e[i].path = path;
    c->e[i].v = v;
    c->n++;
}

void eng_cell_del(eng_cell *c, uint32_t path)
{
    size_t i = cell__find(c, path);
    if (i < c->n && c->e[i].path == path) {
        memmove(&c->e[i], &c->e[i + 1], (c->n - i - 1) * sizeof *c->e);
        c->n--;
        c->hashed = false;
    }
}

static uint64_t cell_hash(eng_cell *c)
{
    if (c->hashed)
        return c->hash;
    uint64_t h = h_mix(c->id, ((uint64_t)c->kind << 16) | ((uint64_t)c->zeroed << 8) | c->escaped);
    h = h_mix(h, c->site);
    for (uint32_t i = 0; i < c->nesc; i++)
        h = h_mix(h, 0xe5c0000000000000ull | c->esc[i]);
    for (uint32_t i = 0; i < c->n; i++)
        h = h_val(h_mix(h, c->e[i].path), c->e[i].v);
    c->hash = h;
    c->hashed = true;
    return h;
}

/* ---- objects -------------------------------------------------------------------- */

static void obj_decref(eng_obj *o)
{
    if (!o || --o->refs > 0)
        return;
    free(o->buf);
    free(o);
}

eng_obj *eng_obj_get(const eng_state *s, uint32_t id)
{
    size_t i;
    FIND(s->objs, s->nobjs, id, i);
    return i < s->nobjs && s->objs[i]->id == id ? s->objs[i] : NULL;
}

eng_obj *eng_obj_mut(eng_state *s, uint32_t id)
{
    size_t i;
    FIND(s->objs, s->nobjs, id, i);
    if (i >= s->nobjs || s->objs[i]->id != id)
        return NULL;
    eng_obj *o = s->objs[i];
    if (o->refs > 1) {
        eng_obj *d = xmalloc(sizeof *d);
        *d = *o;
        d->refs = 1;
        d->bufcap = o->nbuf ? o->nbuf : 1;
        d->buf = xmalloc(d->bufcap * sizeof *d->buf);
        if (o->nbuf)
            memcpy(d->buf, o->buf, o->nbuf * sizeof *d->buf);
        o->refs--;
        s->objs[i] = o = d;
    }
    o->hashed = false;
    return o;
}

eng_obj *eng_obj_add(eng_state *s, uint32_t id, eng_okind kind, uint32_t site)
{
    size_t i;
    FIND(s->objs, s->nobjs, id, i);
    if (i < s->nobjs && s->objs[i]->id == id) {
        obj_decref(s->objs[i]);
        memmove(&s->objs[i], &s->objs[i + 1], (s->nobjs - i - 1) * sizeof *s->objs);
        s->nobjs--;
    }
    eng_obj *o = xcalloc(1, sizeof *o);
    o->refs = 1;
    o->id = id;
    o->kind = (uint8_t)kind;
    o->site = site;
    o->owner = o->parent = o->done = o->chan = ENG_NONE;
    s->objs = xrealloc(s->objs, (s->nobjs + 1) * sizeof *s->objs);
    insert_at((void **)s->objs, &s->nobjs, i, o);
    return o;
}

static void obj_remove_at(eng_state *s, size_t i)
{
    obj_decref(s->objs[i]);
    memmove(&s->objs[i], &s->objs[i + 1], (s->nobjs - i - 1) * sizeof *s->objs);
    s->nobjs--;
}

static uint64_t obj_hash(eng_obj *o)
{
    if (o->hashed)
        return o->hash;
    uint64_t h = h_mix(o->id, ((uint64_t)o->kind << 32) | o->site);
    uint64_t flags = (uint64_t)o->escaped | (uint64_t)o->closed << 1 | (uint64_t)o->after << 2 |
                     (uint64_t)o->fired << 3 | (uint64_t)o->canceled << 4 | (uint64_t)o->timeout << 5 |
                     (uint64_t)o->timed_out << 6 | (uint64_t)o->cancel_called << 7 |
                     (uint64_t)o->stopped << 8;
    h = h_mix(h, flags);
    h = h_mix(h, (uint64_t)o->cap);
    h = h_mix(h, ((uint64_t)o->owner << 32) | o->parent);
    h = h_mix(h, ((uint64_t)o->done << 32) | o->chan);
    for (uint32_t i = 0; i < o->nbuf; i++)
        h = h_val(h, o->buf[i]);
    o->hash = h;
    o->hashed = true;
    return h;
}

/* ---- states --------------------------------------------------------------------- */

eng_state *eng_state_new(void)
{
    eng_state *s = xcalloc(1, sizeof *s);
    s->root_id = ENG_NONE;
    s->panic_site = ENG_NONE;
    return s;
}

eng_state *eng_state_copy(const eng_state *s)
{
    eng_state *c = xmalloc(sizeof *c);
    *c = *s;
    c->tasks = xmalloc((s->ntasks ? s->ntasks : 1) * sizeof *c->tasks);
    if (s->ntasks) /* memcpy from NULL is undefined even for 0 bytes */
        memcpy(c->tasks, s->tasks, s->ntasks * sizeof *c->tasks);
    for (uint32_t i = 0; i < s->ntasks; i++)
        s->tasks[i]->refs++;
    c->cells = xmalloc((s->ncells ? s->ncells : 1) * sizeof *c->cells);
    if (s->ncells)
        memcpy(c->cells, s->cells, s->ncells * sizeof *c->cells);
    for (uint32_t i = 0; i < s->ncells; i++)
        s->cells[i]->refs++;
    c->objs = xmalloc((s->nobjs ? s->nobjs : 1) * sizeof *c->objs);
    if (s->nobjs)
        memcpy(c->objs, s->objs, s->nobjs * sizeof *c->objs);
    for (uint32_t i = 0; i < s->nobjs; i++)
        s->objs[i]->refs++;
    return c;
}

void eng_state_free(eng_state *s)
{
    if (!s)
        return;
    for (uint32_t i = 0; i < s->ntasks; i++)
        task_decref(s->tasks[i]);
    for (uint32_t i = 0; i < s->ncells; i++)
        cell_decref(s->cells[i]);
    for (uint32_t i = 0; i < s->nobjs; i++)
        obj_decref(s->objs[i]);
    free(s->tasks);
    free(s->cells);
    free(s->objs);
    free(s);
}

uint64_t eng_state_hash(eng_state *s)
{
    uint64_t h = h_mix(0x1234, (uint64_t)s->root_done | (uint64_t)s->exited << 1);
    h = h_mix(h, s->root_id);
    h = h_mix(h, s->panic_site);
    for (uint32_t i = 0; i < s->ntasks; i++)
        h = h_mix(h, task_hash(s->tasks[i]));
    for (uint32_t i = 0; i < s->ncells; i++)
        h = h_mix(h, cell_hash(s->cells[i]));
    for (uint32_t i = 0; i < s->nobjs; i++)
        h = h_mix(h, obj_hash(s->objs[i]));
    return h;
}

uint32_t eng_fresh_id(eng_run_ctx *r, const eng_state *s, uint32_t kind, uint32_t a, uint32_t b)
{
    for (uint32_t k = 0;; k++) {
        uint32_t id = eng_intern_id(r, kind, a, b, k);
        bool live = kind == ID_TASK ? eng_task_get(s, id) != NULL
                  : kind == ID_OBJ  ? eng_obj_get(s, id) != NULL
                                    : eng_cell_get(s, id) != NULL;
        if (!live)
            return id;
    }
}

/* ---- reachability: GC and escapes ------------------------------------------------ */

typedef struct mark_ctx {
    eng_state *s;
    uint8_t *cell_mark, *obj_mark;   /* by index into s->cells / s->objs */
    uint32_t *cell_ids, *obj_ids;    /* the ids, in order, side by side (a search
                                        through them touches no cell) */
    uint32_t *stack;                 /* pending cell indexes */
    size_t n, cap;
} mark_ctx;

/* The index of id in ids[0..n), or SIZE_MAX. */
static size_t id_search(const uint32_t *ids, size_t n, uint32_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && ids[lo] == id ? lo : SIZE_MAX;
}

static size_t cell_index(const mark_ctx *m, uint32_t id)
{
    return id_search(m->cell_ids, m->s->ncells, id);
}

static size_t obj_index(const mark_ctx *m, uint32_t id)
{
    return id_search(m->obj_ids, m->s->nobjs, id);
}

static void mark_obj(mark_ctx *m, uint32_t id);

static void mark_cell(mark_ctx *m, uint32_t id)
{
    size_t i = cell_index(m, id);
    if (i == SIZE_MAX || m->cell_mark[i])
        return;
    m->cell_mark[i] = 1;
    grow_array((void **)&m->stack, &m->cap, m->n + 1, sizeof *m->stack);
    m->stack[m->n++] = (uint32_t)i;
}

static void mark_val(mark_ctx *m, eng_val v)
{
    switch (v.kind) {
    case EV_PTR: case EV_REC: mark_cell(m, v.a); break;
    case EV_CHAN: case EV_TICKER: mark_obj(m, v.a); break;
    case EV_CTX: if (v.a != ENG_BACKGROUND) mark_obj(m, v.a); break;
    default: break;
    }
}

static void mark_obj(mark_ctx *m, uint32_t id)
{
    size_t i = obj_index(m, id);
    if (i == SIZE_MAX || m->obj_mark[i])
        return;
    m->obj_mark[i] = 1;
    const eng_obj *o = m->s->objs[i];
    for (uint32_t k = 0; k < o->nbuf; k++)
        mark_val(m, o->buf[k]);
    if (o->done != ENG_NONE)
        mark_obj(m, o->done);
    if (o->chan != ENG_NONE)
        mark_obj(m, o->chan);
    if (o->owner != ENG_NONE)
        mark_obj(m, o->owner);

}

static void mark_drain(mark_ctx *m)
{
    while (m->n) {
        const eng_cell *c = m->s->cells[m->stack[--m->n]];
        for (uint32_t k = 0; k < c->n; k++)
            mark_val(m, c->e[k].v);
    }
}

/* The marking's buffers, kept per thread from one collection to the next. */
static _Thread_local struct {
    uint8_t *marks;
    uint32_t *ids, *stack;
    size_t marks_cap, ids_cap, stack_cap;
} gc_buf;

static void mark_init(mark_ctx *m, eng_state *s)
{
    memset(m, 0, sizeof *m);
    m->s = s;
    size_t n = s->ncells + s->nobjs + 1;
    grow_array((void **)&gc_buf.marks, &gc_buf.marks_cap, 2 * n, 1);
    grow_array((void **)&gc_buf.ids, &gc_buf.ids_cap, n, sizeof *gc_buf.ids);
    memset(gc_buf.marks, 0, 2 * n);
    m->cell_mark = gc_buf.marks;
    m->obj_mark = gc_buf.marks + s->ncells;
    m->cell_ids = gc_buf.ids;
    m->obj_ids = gc_buf.ids + s->ncells;
    for (uint32_t i = 0; i < s->ncells; i++)
        m->cell_ids[i] = s->cells[i]->id;
    for (uint32_t i = 0; i < s->nobjs; i++)
        m->obj_ids[i] = s->objs[i]->id;
    m->stack = gc_buf.stack;
    m->cap = gc_buf.stack_cap;
}

static void mark_free(mark_ctx *m)
{
    gc_buf.stack = m->stack; /* it may have grown */
    gc_buf.stack_cap = m->cap;
}

void eng_state_gc_release(void)
{
    free(gc_buf.marks);
    free(gc_buf.ids);
    free(gc_buf.stack);
    memset(&gc_buf, 0, sizeof gc_buf);
}

bool eng_loc_escaped(const eng_run_ctx *r, const eng_cell *c, uint32_t path)
{
    for (uint32_t i = 0; c->escaped && i < c->nesc; i++)
        if (eng_path_has_prefix(r, path, c->esc[i]) || eng_path_has_prefix(r, c->esc[i], path))
            return true;
    return false;
}

/* Escaping, part by part: what a pointer into a cell reaches is the part
 * under it (a field given to unknown code does not give away its siblings). */
typedef struct esc_item { uint32_t cell, path; } esc_item;

typedef struct esc_ctx {
    eng_run_ctx *r;
    eng_state *s;
    esc_item *stack;
    size_t n, cap;
} esc_ctx;

static void esc_obj(esc_ctx *e, uint32_t id);

static void esc_val(esc_ctx *e, eng_val v)
{
    switch (v.kind) {
    case EV_PTR:
        grow_array((void **)&e->stack, &e->cap, e->n + 1, sizeof *e->stack);
        e->stack[e->n++] = (esc_item){ v.a, v.b };
        break;
    case EV_REC:
        grow_array((void **)&e->stack, &e->cap, e->n + 1, sizeof *e->stack);
        e->stack[e->n++] = (esc_item){ v.a, 0 };
        break;
    case EV_CHAN: case EV_TICKER: esc_obj(e, v.a); break;
    case EV_CTX: if (v.a != ENG_BACKGROUND) esc_obj(e, v.a); break;
    default: break;
    }
}

static void esc_obj(esc_ctx *e, uint32_t id)
{
    const eng_obj *o = eng_obj_get(e->s, id);
    if (!o || o->escaped)
        return;
    eng_obj_mut(e->s, id)->escaped = true;
    o = eng_obj_get(e->s, id);
    for (uint32_t k = 0; k < o->nbuf; k++)
        esc_val(e, o->buf[k]);
    uint32_t links[4] = { o->done, o->chan, o->owner, o->parent };
    for (size_t k = 0; k < 4; k++)
        if (links[k] != ENG_NONE)
            esc_obj(e, links[k]);
}

/* Adds path to the cell's escaped parts; false if it was covered already. */
static bool esc_add(esc_ctx *e, uint32_t cell, uint32_t path)
{
    const eng_cell *c = eng_cell_get(e->s, cell);
    if (!c)
        return false;
    for (uint32_t i = 0; i < c->nesc; i++)
        if (eng_path_has_prefix(e->r, path, c->esc[i]))
            return false;
    eng_cell *m = eng_cell_mut(e->s, cell);
    uint32_t keep = 0; /* parts under the new one are covered by it */
    for (uint32_t i = 0; i < m->nesc; i++)
        if (!eng_path_has_prefix(e->r, m->esc[i], path))
            m->esc[keep++] = m->esc[i];
    m->esc = xrealloc(m->esc, (keep + 1) * sizeof *m->esc);
    m->esc[keep++] = path;
    m->nesc = keep;
    m->escaped = true;
    return true;
}

void eng_escape_loc(eng_run_ctx *r, eng_state *s, uint32_t cell, uint32_t path)
{
    esc_ctx e = { r, s, NULL, 0, 0 };
    grow_array((void **)&e.stack, &e.cap, 1, sizeof *e.stack);
    e.stack[e.n++] = (esc_item){ cell, path };
    while (e.n) {
        esc_item it = e.stack[--e.n];
        if (!esc_add(&e, it.cell, it.path))
            continue;
        const eng_cell *c = eng_cell_get(s, it.cell);
        for (uint32_t k = 0; c && k < c->n; k++)
            if (eng_path_has_prefix(r, c->e[k].path, it.path) || eng_path_has_prefix(r, it.path, c->e[k].path)) {
                esc_val(&e, c->e[k].v);
                c = eng_cell_get(s, it.cell);
            }
    }
    free(e.stack);
}

void eng_escape(eng_run_ctx *r, eng_state *s, eng_val v)
{
    esc_ctx e = { r, s, NULL, 0, 0 };
    esc_val(&e, v);
    while (e.n) {
        esc_item it = e.stack[--e.n];
        eng_escape_loc(r, s, it.cell, it.path);
    }
    free(e.stack);
}

/* An object nothing can operate on any more that holds no news: a channel
 * (its tasks hold it if they wait on it), a canceled context, a stopped
 * ticker. Unreachable contexts not canceled and tickers still running stay:
 * they are the leaks end states report. */
static bool obj_finished(const eng_obj *o)
{
    switch (o->kind) {
    case OBJ_CHAN: return o->owner == ENG_NONE;
    case OBJ_CTX: return o->cancel_called || o->escaped;
    case OBJ_TICKER: return o->stopped || o->escaped;
    }
    return true;
}

/* Drops the locals of each frame that its code will not read again. */
static void trim_dead_locals(eng_run_ctx *r, eng_state *s)
{
    for (uint32_t t = 0; t < s->ntasks; t++) {
        const eng_task *task = s->tasks[t];
        for (uint32_t k = 0; k < task->nframes; k++) {
            const eng_frame *f = &task->frames[k];
            const eng_fninfo *fi = eng_fninfo_of(r, f->fn);
            const eng_cell *c = eng_cell_get(s, f->cell);
            if (!c)
                continue;
            for (uint32_t i = c->n; i-- > 0;) {
                uint32_t p = c->e[i].path;
                while (r->paths[p].depth > 1)
                    p = r->paths[p].parent;
                uint32_t step = r->paths[p].step;
                if ((step & 3u) != 3u || eng_var_live(fi, f->block, f->ev, step >> 2))
                    continue;
                eng_cell *mc = eng_cell_mut(s, f->cell);
                eng_cell_del(mc, c->e[i].path);
                c = mc;
            }
        }
    }
}

void eng_state_gc(eng_run_ctx *r, eng_state *s)
{
    trim_dead_locals(r, s);
    mark_ctx m;
    mark_init(&m, s);
    for (uint32_t t = 0; t < s->ntasks; t++) {
        const eng_task *task = s->tasks[t];
        for (uint32_t f = 0; f < task->nframes; f++) {
            const eng_frame *fr = &task->frames[f];
            mark_cell(&m, fr->cell);
            for (int32_t k = 0; k < fr->nids; k++)
                mark_val(&m, fr->temps[k]);
        }
    }
    for (uint32_t i = 0; i < s->ncells; i++) /* globals and what the environment holds */
        if (s->cells[i]->kind == CELL_GLOBAL || s->cells[i]->escaped || s->cells[i]->kind == CELL_ENV)
            mark_cell(&m, s->cells[i]->id);
    mark_drain(&m);
    /* objects: unreachable and finished go (a done or ticker channel with its
     * owner, or once its owner is gone); the rest keep what they hold */
    uint8_t *gone = m.obj_mark + s->nobjs; /* (marks has room: 2 * (cells + objs + 1)) */
    memset(gone, 0, s->nobjs);
    for (size_t i = 0; i < s->nobjs; i++)
        gone[i] = !m.obj_mark[i] && (obj_finished(s->objs[i]) || s->objs[i]->kind == OBJ_CHAN);
    for (size_t i = 0; i < s->nobjs; i++)
        if (gone[i] && s->objs[i]->kind == OBJ_CHAN && s->objs[i]->owner != ENG_NONE) {
            size_t o = obj_index(&m, s->objs[i]->owner);
            gone[i] = o == SIZE_MAX || (gone[o] && s->objs[o]->kind != OBJ_CHAN);
        }
    for (size_t i = s->nobjs; i-- > 0;)
        if (gone[i]) {
            /* a child context whose parent goes keeps no link to it */
            uint32_t id = s->objs[i]->id;
            obj_remove_at(s, i);
            memmove(&m.obj_mark[i], &m.obj_mark[i + 1], s->nobjs - i);
            memmove(&m.obj_ids[i], &m.obj_ids[i + 1], (s->nobjs - i) * sizeof *m.obj_ids);
            memmove(&gone[i], &gone[i + 1], s->nobjs - i);
            for (uint32_t k = 0; k < s->nobjs; k++)
                if (s->objs[k]->parent == id)
                    eng_obj_mut(s, s->objs[k]->id)->parent = ENG_NONE;
        }
    for (uint32_t i = 0; i < s->nobjs; i++)
        if (!m.obj_mark[i]) {
            m.obj_mark[i] = 1;
            eng_obj *o = s->objs[i];
            for (uint32_t k = 0; k < o->nbuf; k++)
                mark_val(&m, o->buf[k]);
            if (o->done != ENG_NONE)
                mark_obj(&m, o->done);
            if (o->chan != ENG_NONE)
                mark_obj(&m, o->chan);
        }
    mark_drain(&m);
    size_t keep = 0;
    for (size_t i = 0; i < s->ncells; i++) {
        if (m.cell_mark[i])
            s->cells[keep++] = s->cells[i];
        else
            cell_decref(s->cells[i]);
    }
    s->ncells = (uint32_t)keep;
    mark_free(&m);
}
