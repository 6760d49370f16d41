/* eng_por.c — partial-order reduction: when a task's next operations all
 * touch objects no other task can reach (its own channel, timer, mutex or
 * wait group: nothing else holds a pointer to them, they did not escape
 * and no global holds them), running them now or later makes no difference
 * to anyone else, so only that task's moves are explored from the state.
 * The search tries the next such task when one's moves lead to a state
 * already seen, and falls back to every move when all do (the cycle
 * proviso: a task going round privately must not starve the others). */
#include "engine/engine_impl.h"

#include <stdlib.h>
#include <string.h>

#include "model/arena.h"

typedef struct reach {
    const eng_run_ctx *r;
    const eng_state *s;
    uint64_t *cell_mask, *obj_mask;  /* by index in s->cells / s->objs */
    uint32_t *stack;
    size_t n, cap;
    uint64_t bit;
} reach;

static size_t cell_at(const eng_state *s, uint32_t id)
{
    size_t lo = 0, hi = s->ncells;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (s->cells[mid]->id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->ncells && s->cells[lo]->id == id ? lo : SIZE_MAX;
}

static size_t obj_at(const eng_state *s, uint32_t id)
{
    size_t lo = 0, hi = s->nobjs;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (s->objs[mid]->id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->nobjs && s->objs[lo]->id == id ? lo : SIZE_MAX;
}

static void mark_obj(reach *m, uint32_t id);

static void mark_cell(reach *m, uint32_t id)
{
    size_t i = cell_at(m->s, id);
    if (i == SIZE_MAX || (m->cell_mask[i] & m->bit))
        return;
    m->cell_mask[i] |= m->bit;
    grow_array((void **)&m->stack, &m->cap, m->n + 1, sizeof *m->stack);
    m->stack[m->n++] = (uint32_t)i;
}

static void mark_val(reach *m, eng_val v)
{
    if (v.kind == EV_PTR || v.kind == EV_REC)
        mark_cell(m, v.a);
    else if (v.kind == EV_CHAN || v.kind == EV_TICKER || (v.kind == EV_CTX && v.a != ENG_BACKGROUND))
        mark_obj(m, v.a);
}

static void mark_obj(reach *m, uint32_t id)
{
    size_t i = obj_at(m->s, id);
    if (i == SIZE_MAX || (m->obj_mask[i] & m->bit))
        return;
    m->obj_mask[i] |= m->bit;
    const eng_obj *o = m->s->objs[i];
    for (uint32_t k = 0; k < o->nruns; k++)
        mark_val(m, o->runs[k].v);
    if (o->done != ENG_NONE)
        mark_obj(m, o->done);
    if (o->chan != ENG_NONE)
        mark_obj(m, o->chan);
    if (o->owner != ENG_NONE)
        mark_obj(m, o->owner);
    if (o->parent != ENG_NONE)
        mark_obj(m, o->parent);
}

static void drain(reach *m)
{
    while (m->n) {
        const eng_cell *c = m->s->cells[m->stack[--m->n]];
        for (uint32_t k = 0; k < c->n; k++)
            mark_val(m, c->e[k].v);
    }
}

/* Evaluates v in task t's frame (values only; no state change but fresh
 * detached records, which the caller's copy absorbs). */
static eng_val eval_in(eng_run_ctx *r, eng_state *s, uint32_t task, const model_val *v)
{
    eng_exec x = { 0 };
    x.r = r;
    x.s = s;
    x.task = task;
    x.pure = true;
    return eng_eval(&x, v);
}

/* Whether what value v points at or is, is reached by anyone but `bit`. */
static bool shared(const reach *m, eng_val v, uint64_t bit)
{
    size_t i;
    if (v.kind == EV_PTR) {
        i = cell_at(m->s, v.a);
        return i == SIZE_MAX || (m->cell_mask[i] & ~bit) || eng_loc_escaped(m->r, m->s->cells[i], v.b) ||
               m->s->cells[i]->kind == CELL_GLOBAL;
    }
    if (v.kind == EV_CHAN || v.kind == EV_TICKER || v.kind == EV_CTX) {
        if (v.kind == EV_CTX && v.a == ENG_BACKGROUND)
            return false;
        i = obj_at(m->s, v.a);
        if (i == SIZE_MAX || (m->obj_mask[i] & ~bit) || m->s->objs[i]->escaped)
            return true;
        if (v.kind == EV_CTX) /* canceling reaches its descendants */
            for (uint32_t k = 0; k < m->s->nobjs; k++)
                if (m->s->objs[k]->kind == OBJ_CTX && m->s->objs[k]->parent == v.a &&
                    shared(m, ev_obj(EV_CTX, m->s->objs[k]->id), bit))
                    return true;
        return false;
    }
    if (v.kind == EV_INT && v.n == 0)
        return false; /* NULL: nobody */
    return true;
}

/* Whether task t's operation touches only what t alone reaches (timers:
 * some timer can fire in this state). */
static bool private_op(eng_run_ctx *r, eng_state *s, const reach *m, const eng_task *t, uint64_t bit, bool timers)
{
    if (t->yield)
        return false;
    const model_event *ev = eng_task_op(r, t);
    if (!ev)
        return false;
    switch (ev->kind) {
    case MODEL_EV_SPAWN:
        return true; /* a new task: nothing anyone else does changes it */
    case MODEL_EV_SLEEP: /* touches nothing: sleeping now or later is the same to others, */
        return !timers; /* unless a timer can fire meanwhile */
    case MODEL_EV_SELECT:
        if (ev->ncases == 0)
            return false;
        for (size_t k = 0; k < ev->ncases; k++)
            if (shared(m, eval_in(r, s, t->id, ev->cases[k].ch), bit))
                return false;
        return true;
    case MODEL_EV_SEND: case MODEL_EV_RECV: case MODEL_EV_CLOSE: case MODEL_EV_CTX_CANCEL:
    case MODEL_EV_TICKER_STOP: case MODEL_EV_LOCK: case MODEL_EV_UNLOCK: case MODEL_EV_WG_ADD:
    case MODEL_EV_WG_DONE: case MODEL_EV_WG_WAIT:
        return ev->nvals >= 1 && !shared(m, eval_in(r, s, t->id, ev->vals[0]), bit);
    default:
        return false;
    }
}

size_t eng_private_tasks(eng_run_ctx *r, eng_state *s, const eng_moves *moves, uint32_t *out, size_t max)
{
    if (s->ntasks < 2 || s->ntasks > 62 || moves->n < 2)
        return 0;
    /* a poll's default depends on whether its partners stand at their
     * operations yet: any task's private step can change that */
    bool timers = false;
    for (size_t i = 0; i < moves->n; i++) {
        if (moves->v[i].choice == ENG_CHOICE_DEFAULT)
            return 0;
        timers |= eng_move_is_timer(r, s, &moves->v[i]);
    }
    reach m = { 0 };
    m.r = r;
    m.s = s;
    m.cell_mask = xcalloc(s->ncells ? s->ncells : 1, sizeof *m.cell_mask);
    m.obj_mask = xcalloc(s->nobjs ? s->nobjs : 1, sizeof *m.obj_mask);
    for (uint32_t t = 0; t < s->ntasks; t++) {
        const eng_task *task = s->tasks[t];
        m.bit = 1ull << t;
        for (uint32_t f = 0; f < task->nframes; f++) {
            mark_cell(&m, task->frames[f].cell);
            for (int32_t k = 0; k < task->frames[f].nids; k++)
                mark_val(&m, task->frames[f].temps[k]);
        }
        drain(&m);
    }
    m.bit = 1ull << 63; /* what globals hold is everyone's */
    mark_cell(&m, r->global_cell);
    drain(&m);
    size_t n = 0;
    for (uint32_t t = 0; t < s->ntasks && n < max; t++) {
        const eng_task *task = s->tasks[t];
        bool has = false, partner = false;
        for (size_t i = 0; i < moves->n; i++)
            if (moves->v[i].task == task->id || moves->v[i].partner == task->id) {
                has = true;
                partner |= moves->v[i].partner != ENG_NONE;
            }
        if (has && !partner && private_op(r, s, &m, task, 1ull << t, timers))
            out[n++] = task->id;
    }
    free(m.cell_mask);
    free(m.obj_mask);
    free(m.stack);
    return n;
}
