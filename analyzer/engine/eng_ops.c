/* eng_ops.c — the operations tasks pause at: which of them can run in a
 * state (the moves), and what running one does. Semantics are the API's
 * (and Go's): an unbuffered send meets a receiver, a close wakes every
 * receiver, a NULL channel never becomes ready, a ticker's channel never
 * closes, a timeout (tt_after, a context's) may fire at any moment, a wait
 * group below zero aborts the process. Objects the environment holds
 * (escaped, or unknown values) may do anything: operations on them can
 * always run. */
#include "engine/engine_impl.h"

#include <stdlib.h>
#include <string.h>

#include "model/arena.h"

/* A wait group's counter is exact up to this. */
#define WG_EXACT 8

enum { TT_OP_RECV = 1, TT_OP_SEND = 2, TT_OK = 0, TT_CLOSED = -1, TT_DEFAULT = ENG_CHOICE_DEFAULT };

/* Evaluates v in task t's current frame, without changing the state (to
 * see which moves there are). */
static eng_val eval_in(eng_run_ctx *r, eng_state *s, uint32_t task, const model_val *v)
{
    eng_exec x = { 0 };
    x.r = r;
    x.s = s;
    x.task = task;
    x.pure = true;
    return eng_eval(&x, v);
}

/* The same, for running an operation: what it makes is real. */
static eng_val eval_run(eng_run_ctx *r, eng_state *s, uint32_t task, const model_val *v)
{
    eng_exec x = { 0 };
    x.r = r;
    x.s = s;
    x.task = task;
    return eng_eval(&x, v);
}

static eng_val op_arg(eng_run_ctx *r, eng_state *s, uint32_t task, const model_event *ev, size_t i)
{
    return i < ev->nvals ? eval_in(r, s, task, ev->vals[i]) : ev_unknown();
}

/* ---- readiness -------------------------------------------------------------------- */

/* YES: it can run now. MAYBE: it can run once a timer fires, a tick comes
 * or the environment acts, any moment from now (a select with a default may
 * still take the default). PAIR: it needs a partner task. */
typedef enum { READY_NO, READY_YES, READY_MAYBE, READY_PAIR } ready_t;

/* A channel operand: NULL (blocks forever), an object, or the environment's. */
typedef struct chan_ref {
    bool null, env, fresh_timer;
    const eng_obj *o;
} chan_ref;

static chan_ref chan_of(const eng_state *s, eng_val v)
{
    chan_ref c = { false, false, false, NULL };
    if (v.kind == EV_INT && v.n == 0)
        c.null = true;
    else if (v.kind == EV_CHAN && v.a == ENG_AFTER_FRESH)
        c.fresh_timer = true;
    else if (v.kind == EV_CHAN && (c.o = eng_obj_get(s, v.a)) != NULL && !c.o->escaped && c.o->cap >= 0)
        ;
    else
        c.env = true;
    return c;
}

static bool ticker_running(const eng_state *s, const eng_obj *ch)
{
    if (ch->owner == ENG_NONE)
        return false;
    const eng_obj *t = eng_obj_get(s, ch->owner);
    return t && t->kind == OBJ_TICKER && !t->stopped;
}

/* The context whose done channel ch is (NULL if it is not one). */
static const eng_obj *done_ctx(const eng_state *s, const eng_obj *ch)
{
    if (ch->owner == ENG_NONE)
        return NULL;
    const eng_obj *c = eng_obj_get(s, ch->owner);
    return c && c->kind == OBJ_CTX ? c : NULL;
}

static ready_t recv_ready(const eng_state *s, chan_ref c)
{
    if (c.null)
        return READY_NO;
    if (c.fresh_timer)
        return READY_MAYBE;
    if (c.env)
        return READY_MAYBE;
    const eng_obj *o = c.o;
    if (o->nbuf > 0 || o->closed)
        return READY_YES;
    if (o->after)
        return o->fired ? READY_NO : READY_MAYBE;
    if (ticker_running(s, o))
        return READY_MAYBE;
    const eng_obj *ctx = done_ctx(s, o);
    if (ctx)
        return ctx->canceled ? READY_YES : ctx->timeout || ctx->escaped ? READY_MAYBE : READY_NO;
    return o->cap == 0 ? READY_PAIR : READY_NO;
}

static ready_t send_ready(chan_ref c)
{
    if (c.null || c.fresh_timer)
        return READY_NO;
    if (c.env)
        return READY_MAYBE;
    if (c.o->closed)
        return READY_YES;
    if (c.o->owner != ENG_NONE || c.o->after) /* nobody receives from a ticker's or context's
                                                 channel as a partner of a send */
        return c.o->nbuf < (uint32_t)c.o->cap ? READY_YES : READY_NO;
    if (c.o->cap > 0 && c.o->nbuf < (uint32_t)c.o->cap)
        return READY_YES;
    return c.o->cap == 0 ? READY_PAIR : READY_NO;
}

/* A channel side of a paused task: the channel and whether it waits there. */
typedef struct side {
    int op;            /* TT_OP_RECV / TT_OP_SEND */
    uint32_t chan;     /* object id */
    int32_t choice;    /* case index, or -1 for a plain send/recv */
} side;

/* The channel sides task t offers (plain op or select cases), and whether
 * it blocks there (a select with a default does not). */
static size_t sides_of(eng_run_ctx *r, eng_state *s, const eng_task *t, side *out, size_t max, bool *blocking)
{
    const model_event *ev = eng_task_op(r, t);
    *blocking = false;
    if (!ev)
        return 0;
    size_t n = 0;
    if (ev->kind == MODEL_EV_SEND || ev->kind == MODEL_EV_RECV) {
        eng_val v = op_arg(r, s, t->id, ev, 0);
        if (v.kind == EV_CHAN) {
            out[n++] = (side){ ev->kind == MODEL_EV_SEND ? TT_OP_SEND : TT_OP_RECV, v.a, -1 };
            *blocking = true;
        }
    } else if (ev->kind == MODEL_EV_SELECT) {
        *blocking = !ev->has_default;
        for (size_t i = 0; i < ev->ncases && n < max; i++) {
            eng_val v = eval_in(r, s, t->id, ev->cases[i].ch);
            if (v.kind == EV_CHAN)
                out[n++] = (side){ ev->cases[i].op == TT_OP_SEND ? TT_OP_SEND : TT_OP_RECV, v.a, (int32_t)i };
        }
    }
    return n;
}

static void moves_push(eng_moves *m, eng_move mv)
{
    grow_array((void **)&m->v, &m->cap, m->n + 1, sizeof *m->v);
    m->v[m->n++] = mv;
}

/* Whether some other task waits to meet task t on chan with op `want`. */
static bool partner_exists(eng_run_ctx *r, eng_state *s, uint32_t self, uint32_t chan, int want, bool self_blocking)
{
    side sides[64];
    for (uint32_t i = 0; i < s->ntasks; i++) {
        const eng_task *u = s->tasks[i];
        if (u->id == self)
            continue;
        bool blocking;
        size_t n = sides_of(r, s, u, sides, 64, &blocking);
        if (!blocking && !self_blocking)
            continue;
        for (size_t k = 0; k < n; k++)
            if (sides[k].chan == chan && sides[k].op == want)
                return true;
    }
    return false;
}

static void pair_moves(eng_run_ctx *r, eng_state *s, const eng_task *t, side snd, bool t_blocking, eng_moves *out)
{
    side sides[64];
    for (uint32_t i = 0; i < s->ntasks; i++) {
        const eng_task *u = s->tasks[i];
        if (u->id == t->id)
            continue;
        bool blocking;
        size_t n = sides_of(r, s, u, sides, 64, &blocking);
        if (!blocking && !t_blocking)
            continue;
        for (size_t k = 0; k < n; k++)
            if (sides[k].chan == snd.chan && sides[k].op == TT_OP_RECV)
                moves_push(out, (eng_move){ t->id, snd.choice, u->id, sides[k].choice, ENG_NONE });
    }
}

static eng_val lock_state(eng_run_ctx *r, eng_state *s, uint32_t task, const model_event *ev, eng_loc *l)
{
    eng_val p = op_arg(r, s, task, ev, 0);
    *l = eng_ptr_loc(p);
    if (!l->ok)
        return ev_unknown();
    const eng_cell *c = eng_cell_get(s, l->cell);
    if (!c || eng_loc_escaped(r, c, l->path))
        return ev_unknown();
    return eng_load(r, s, task, *l);
}

/* What a move waits for: nothing (instant), time to pass (a sleep, a
 * ticker, a poll), or a timer to fire (tt_after, a context's timeout). */
typedef enum { MOVE_INSTANT, MOVE_TIME, MOVE_TIMER } move_time;

static move_time recv_time(const eng_state *s, chan_ref c)
{
    if (c.fresh_timer || (c.o && c.o->after && !c.o->fired))
        return MOVE_TIMER;
    if (!c.o || c.env)
        return MOVE_INSTANT;
    if (c.o->nbuf == 0 && !c.o->closed && ticker_running(s, c.o))
        return MOVE_TIME;
    const eng_obj *ctx = done_ctx(s, c.o);
    if (ctx && !ctx->canceled && ctx->timeout && !ctx->escaped)
        return MOVE_TIMER;
    return MOVE_INSTANT;
}

/* What move m waits for; looping: count a task going round a loop as
 * waiting for time (the costlier question, asked only when it matters). */
static move_time move_time_of(eng_run_ctx *r, eng_state *s, const eng_move *m, bool looping)
{
    const eng_task *t = eng_task_get(s, m->task);
    if (!t || t->yield || m->partner != ENG_NONE)
        return MOVE_INSTANT;
    const model_event *ev = eng_task_op(r, t);
    if (!ev)
        return MOVE_INSTANT;
    if (ev->kind == MODEL_EV_SLEEP || m->choice == ENG_CHOICE_DEFAULT)
        return MOVE_TIME;
    move_time k = MOVE_INSTANT;
    if (ev->kind == MODEL_EV_RECV)
        k = recv_time(s, chan_of(s, op_arg(r, s, m->task, ev, 0)));
    else if (ev->kind == MODEL_EV_SELECT && m->choice >= 0 && (size_t)m->choice < ev->ncases &&
             ev->cases[m->choice].op != TT_OP_SEND)
        k = recv_time(s, chan_of(s, eval_in(r, s, m->task, ev->cases[m->choice].ch)));
    /* a task that keeps going round a loop takes time doing it (a loop
     * with no end that never blocks must not stop the clock) */
    if (k == MOVE_INSTANT && looping && eng_task_looping(r, s, m->task, false))
        k = MOVE_TIME;
    return k;
}

bool eng_move_is_timer(eng_run_ctx *r, eng_state *s, const eng_move *m)
{
    return move_time_of(r, s, m, false) == MOVE_TIMER;
}

/* Time does not pass while a task can go on at once: a timer fires only
 * when every task that can move is waiting for time too (a lookup that
 * sleeps 50 ms still loses to a 20 ms timeout; a receiver spawned right
 * after the sender's select with a 100 ms timeout does not). */
static void timers_wait(eng_run_ctx *r, eng_state *s, eng_moves *out)
{
    bool timer = false, instant = false;
    for (size_t i = 0; i < out->n && !timer; i++)
        timer = eng_move_is_timer(r, s, &out->v[i]);
    for (size_t i = 0; i < out->n && timer && !instant; i++)
        instant = move_time_of(r, s, &out->v[i], true) == MOVE_INSTANT;
    if (!instant)
        return;
    size_t n = 0;
    for (size_t i = 0; i < out->n; i++)
        if (!eng_move_is_timer(r, s, &out->v[i]))
            out->v[n++] = out->v[i];
    out->n = n;
}

void eng_moves_of(eng_run_ctx *r, eng_state *s, eng_moves *out)
{
    out->n = 0;
    if (s->exited)
        return;
    for (uint32_t i = 0; i < s->ntasks; i++) {
        const eng_task *t = s->tasks[i];
        uint32_t id = t->id;
        if (t->yield) {
            moves_push(out, (eng_move){ id, -1, ENG_NONE, -1, ENG_NONE });
            continue;
        }
        const model_event *ev = eng_task_op(r, t);
        if (!ev)
            continue;
        eng_move plain = { id, -1, ENG_NONE, -1, ENG_NONE };
        switch (ev->kind) {
        case MODEL_EV_LOCK: {
            eng_loc l;
            eng_val h = lock_state(r, s, id, ev, &l);
            if (h.kind != EV_MUTEX && (h.kind != EV_INT || h.n == 0))
                moves_push(out, plain);
            break;
        }
        case MODEL_EV_WG_WAIT: {
            eng_loc l;
            eng_val c = lock_state(r, s, id, ev, &l);
            if (c.kind != EV_INT || c.n <= 0)
                moves_push(out, plain);
            break;
        }
        case MODEL_EV_SEND: {
            eng_val v = op_arg(r, s, id, ev, 0);
            chan_ref c = chan_of(s, v);
            ready_t rd = send_ready(c);
            if (rd == READY_YES || rd == READY_MAYBE)
                moves_push(out, plain);
            else if (rd == READY_PAIR)
                pair_moves(r, s, t, (side){ TT_OP_SEND, v.a, -1 }, true, out);
            break;
        }
        case MODEL_EV_RECV: {
            chan_ref c = chan_of(s, op_arg(r, s, id, ev, 0));
            ready_t rd = recv_ready(s, c);
            if (rd == READY_YES || rd == READY_MAYBE)
                moves_push(out, plain);
            /* a handoff from a sender is that sender's move */
            break;
        }
        case MODEL_EV_SELECT: {
            if (ev->ncases == 0) {
                eng_val arr = op_arg(r, s, id, ev, 0);
                if (!(arr.kind == EV_INT && arr.n == 0)) /* cases we cannot see: anything */
                    moves_push(out, (eng_move){ id, -3, ENG_NONE, -1, ENG_NONE });
                break;
            }
            bool any = false; /* some case surely runs: no default */
            for (size_t k = 0; k < ev->ncases; k++) {
                eng_val v = eval_in(r, s, id, ev->cases[k].ch);
                chan_ref c = chan_of(s, v);
                if (ev->cases[k].op == TT_OP_SEND) {
                    ready_t rd = send_ready(c);
                    if (rd == READY_YES || rd == READY_MAYBE) {
                        moves_push(out, (eng_move){ id, (int32_t)k, ENG_NONE, -1, ENG_NONE });
                        any |= rd == READY_YES;
                    } else if (rd == READY_PAIR) {
                        size_t before = out->n;
                        pair_moves(r, s, t, (side){ TT_OP_SEND, v.a, (int32_t)k }, !ev->has_default, out);
                        any |= out->n > before;
                    }
                } else {
                    ready_t rd = recv_ready(s, c);
                    if (rd == READY_YES || rd == READY_MAYBE) {
                        moves_push(out, (eng_move){ id, (int32_t)k, ENG_NONE, -1, ENG_NONE });
                        any |= rd == READY_YES;
                    } else if (rd == READY_PAIR &&
                               partner_exists(r, s, id, v.a, TT_OP_SEND, !ev->has_default)) {
                        any = true; /* the sender's move */
                    }
                }
            }
            if (ev->has_default && !any)
                moves_push(out, (eng_move){ id, TT_DEFAULT, ENG_NONE, -1, ENG_NONE });
            break;
        }
        default: /* SPAWN, CLOSE, CANCEL, TICKER_STOP, WG_ADD, WG_DONE, UNLOCK, SLEEP */
            moves_push(out, plain);
            break;
        }
    }
    timers_wait(r, s, out);
}

/* ---- effects ------------------------------------------------------------------------ */

void eng_cancel_ctx(eng_state *s, uint32_t id, bool timed_out)
{
    eng_obj *c = eng_obj_mut(s, id);
    if (!c || c->canceled)
        return;
    c->canceled = true;
    c->timed_out = timed_out;
    if (c->done != ENG_NONE) {
        eng_obj *d = eng_obj_mut(s, c->done);
        if (d)
            d->closed = true;
    }
    for (uint32_t i = 0; i < s->nobjs; i++)
        if (s->objs[i]->kind == OBJ_CTX && s->objs[i]->parent == id)
            eng_cancel_ctx(s, s->objs[i]->id, timed_out);
}

/* The value *p (what a send sends). */
static eng_val deref(eng_run_ctx *r, eng_state *s, uint32_t task, eng_val p)
{
    eng_loc l = eng_ptr_loc(p);
    return l.ok ? eng_load(r, s, task, l) : ev_unknown();
}

static void put(eng_run_ctx *r, eng_state *s, eng_val p, eng_val v)
{
    eng_loc l = eng_ptr_loc(p);
    if (l.ok)
        eng_store(r, s, l, v);
}

static void buf_push(eng_obj *o, eng_val v)
{
    o->nbuf++;
    if (o->nruns && ev_same(o->runs[o->nruns - 1].v, v)) {
        o->runs[o->nruns - 1].n++;
        return;
    }
    if (o->nruns == o->runcap) {
        o->runcap = o->runcap ? o->runcap * 2 : 2;
        o->runs = xrealloc(o->runs, o->runcap * sizeof *o->runs);
    }
    o->runs[o->nruns++] = (eng_vrun){ v, 1 };
}

static eng_val buf_pop(eng_obj *o)
{
    eng_val v = o->runs[0].v;
    o->nbuf--;
    if (--o->runs[0].n == 0)
        memmove(&o->runs[0], &o->runs[1], --o->nruns * sizeof *o->runs);
    return v;
}

/* A receive that does not meet a sender: from the buffer, a closed channel,
 * a timer, a ticker, a context, or the environment. Returns the status and
 * stores the value through out. */
static int recv_alone(eng_run_ctx *r, eng_state *s, eng_val chv, eng_val out, bool *ok)
{
    chan_ref c = chan_of(s, chv);
    *ok = true;
    if (c.env) {
        put(r, s, out, ev_unknown());
        return 1; /* unknown status: TT_OK or TT_CLOSED */
    }
    eng_obj *o = eng_obj_mut(s, c.o->id);
    if (o->nbuf > 0) {
        put(r, s, out, buf_pop(o));
        return TT_OK;
    }
    if (o->after && !o->fired) {
        o->fired = true;
        put(r, s, out, ev_unknown());
        return TT_OK;
    }
    if (!o->closed && ticker_running(s, o)) {
        put(r, s, out, ev_unknown());
        return TT_OK;
    }
    const eng_obj *ctx = done_ctx(s, o);
    if (ctx && !ctx->canceled)
        eng_cancel_ctx(s, ctx->id, true); /* its timeout fires, or someone else cancels it */
    *ok = false;
    put(r, s, out, ev_int(0));
    return TT_CLOSED;
}

static int send_alone(eng_run_ctx *r, eng_state *s, uint32_t task, eng_val chv, eng_val in)
{
    chan_ref c = chan_of(s, chv);
    if (c.env)
        return TT_OK;
    eng_obj *o = eng_obj_mut(s, c.o->id);
    if (o->closed)
        return TT_CLOSED; /* the runtime reports the send on a closed channel */
    buf_push(o, deref(r, s, task, in));
    return TT_OK;
}

/* The ok flag of case k of the select whose case array is arr. */
static void set_case_ok(eng_run_ctx *r, eng_state *s, uint32_t task, const model_event *ev, int32_t k, bool ok)
{
    eng_val arr = op_arg(r, s, task, ev, 0);
    eng_loc l = eng_ptr_loc(arr);
    if (!l.ok || k < 0)
        return;
    uint32_t step = r->paths[l.path].depth ? r->paths[l.path].step : 0;
    if (!STEP_IS_INDEX(step))
        return;
    uint32_t el = eng_path_child(r, r->paths[l.path].parent, STEP_INDEX(STEP_INDEX_OF(step) + k));
    eng_store(r, s, (eng_loc){ l.cell, eng_path_child(r, el, STEP_FIELD(eng_name(r, "ok"))), true },
              ev_int(ok));
}

static uint32_t obj_index_in(const eng_state *s, eng_val v)
{
    (void)s;
    return v.kind == EV_CHAN || v.kind == EV_CTX || v.kind == EV_TICKER ? v.a : ENG_NONE;
}

static void record_loc(eng_rec *rec, uint32_t task, const eng_site_rec *site, int32_t detail, uint32_t obj,
                       int64_t num, eng_loc loc)
{
    if (!rec || !rec->on)
        return;
    eng_step st = eng_step_init(ENG_STEP_OP, task);
    st.null_cases = rec->null_cases;
    memcpy(st.case_objs, rec->case_objs, sizeof st.case_objs);
    st.site = site->s;
    st.detail = detail;
    st.obj = obj;
    st.num = num;
    st.raw_cell = loc.ok ? loc.cell : ENG_NONE;
    st.raw_path = loc.ok ? loc.path : 0;
    eng_rec_step(rec, st);
}

static void record_op(eng_rec *rec, uint32_t task, const eng_site_rec *site, int32_t detail, uint32_t obj,
                      int64_t num)
{
    record_loc(rec, task, site, detail, obj, num, (eng_loc){ 0, 0, false });
}

/* The channel and element of task t's side `choice` (a case, or the op). */
static void side_vals(eng_run_ctx *r, eng_state *s, uint32_t task, const model_event *ev, int32_t choice,
                      eng_val *ch, eng_val *elem)
{
    if (ev->kind == MODEL_EV_SELECT && choice >= 0 && (size_t)choice < ev->ncases) {
        *ch = eval_run(r, s, task, ev->cases[choice].ch);
        *elem = eval_run(r, s, task, ev->cases[choice].elem);
    } else {
        *ch = ev->nvals > 0 ? eval_run(r, s, task, ev->vals[0]) : ev_unknown();
        *elem = ev->nvals > 1 ? eval_run(r, s, task, ev->vals[1]) : ev_unknown();
    }
}

/* Runs the operation of m.task (and its partner's) in s. Returns the tasks
 * that now go on running (at most 3: the task, its partner, a spawned task). */
static size_t perform(eng_run_ctx *r, eng_state *s, const eng_move *m, eng_rec *rec, uint32_t *run)
{
    size_t nrun = 0;
    eng_task *t = eng_task_get(s, m->task);
    run[nrun++] = m->task;
    if (t->yield)
        return nrun;
    const model_event *ev = eng_task_op(r, t);
    uint32_t site_id = eng_task_site(r, t);
    const eng_site_rec *site = eng_site_get(r, site_id);
    r->cur_site = site_id;
    eng_val res = ev_int(TT_OK);
    int32_t detail = m->choice;
    uint32_t obj = ENG_NONE;
    int64_t num = 0;
    eng_loc rloc = { 0, 0, false };
    if (rec && rec->on) { /* which of a select's cases wait on NULL */
        rec->null_cases = 0;
        for (size_t k = 0; k < ENG_STEP_CASES; k++)
            rec->case_objs[k] = ENG_NONE;
        for (size_t k = 0; ev->kind == MODEL_EV_SELECT && k < ev->ncases && k < 32; k++) {
            eng_val v = eval_in(r, s, m->task, ev->cases[k].ch);
            if (v.kind == EV_INT && v.n == 0)
                rec->null_cases |= 1u << k;
            if (k < ENG_STEP_CASES)
                rec->case_objs[k] = obj_index_in(s, v);
        }
    }
    switch (ev->kind) {
    case MODEL_EV_SEND: case MODEL_EV_RECV: case MODEL_EV_SELECT: {
        if (m->choice == -3) { /* a select whose cases we cannot see */
            res = ev_unknown();
            break;
        }
        if (m->choice == TT_DEFAULT) {
            res = ev_int(TT_DEFAULT);
            break;
        }
        eng_val ch, elem;
        side_vals(r, s, m->task, ev, m->choice, &ch, &elem);
        obj = obj_index_in(s, ch);
        bool is_send = ev->kind == MODEL_EV_SEND ||
                       (ev->kind == MODEL_EV_SELECT && ev->cases[m->choice].op == TT_OP_SEND);
        bool ok = true;
        int status;
        if (m->partner != ENG_NONE) { /* the handoff: this task sends, the partner receives */
            eng_task *u = eng_task_get(s, m->partner);
            const model_event *uev = eng_task_op(r, u);
            uint32_t usite = eng_task_site(r, u);
            eng_val uch, uelem;
            side_vals(r, s, m->partner, uev, m->pchoice, &uch, &uelem);
            eng_val v = deref(r, s, m->task, elem);
            put(r, s, uelem, v);
            record_op(rec, m->task, site, detail, obj, 0);
            record_op(rec, m->partner, eng_site_get(r, usite), m->pchoice, obj, 0);
            eng_task_set_result(s, m->partner, uev->id,
                                uev->kind == MODEL_EV_SELECT ? ev_int(m->pchoice) : ev_int(TT_OK));
            if (uev->kind == MODEL_EV_SELECT)
                set_case_ok(r, s, m->partner, uev, m->pchoice, true);
            eng_task_advance(r, s, m->partner);
            run[nrun++] = m->partner;
            status = TT_OK;
            detail = m->choice;
            obj = ENG_NONE; /* recorded already */
        } else if (is_send) {
            status = send_alone(r, s, m->task, ch, elem);
            ok = status == TT_OK;
        } else {
            status = recv_alone(r, s, ch, elem, &ok);
        }
        if (obj != ENG_NONE || m->partner == ENG_NONE)
            record_op(rec, m->task, site, detail, obj, 0);
        obj = ENG_NONE;
        if (ev->kind == MODEL_EV_SELECT) {
            res = ev_int(m->choice);
            set_case_ok(r, s, m->task, ev, m->choice, ok);
        } else {
            res = status == 1 ? ev_unknown() : ev_int(status);
        }
        eng_task_set_result(s, m->task, ev->id, res);
        eng_task_advance(r, s, m->task);
        return nrun;
    }
    case MODEL_EV_CLOSE: {
        eng_val ch = op_arg(r, s, m->task, ev, 0);
        chan_ref c = chan_of(s, ch);
        if (c.o && !c.env)
            eng_obj_mut(s, c.o->id)->closed = true;
        obj = obj_index_in(s, ch);
        break;
    }
    case MODEL_EV_CTX_CANCEL: {
        eng_val c = op_arg(r, s, m->task, ev, 0);
        if (c.kind == EV_CTX && c.a != ENG_BACKGROUND && eng_obj_get(s, c.a)) {
            eng_obj_mut(s, c.a)->cancel_called = true;
            eng_cancel_ctx(s, c.a, false);
        }
        obj = obj_index_in(s, c);
        break;
    }
    case MODEL_EV_TICKER_STOP: {
        eng_val tk = op_arg(r, s, m->task, ev, 0);
        if (tk.kind == EV_TICKER && eng_obj_get(s, tk.a))
            eng_obj_mut(s, tk.a)->stopped = true;
        obj = obj_index_in(s, tk);
        break;
    }
    case MODEL_EV_WG_ADD: case MODEL_EV_WG_DONE: {
        eng_loc l;
        eng_val c = lock_state(r, s, m->task, ev, &l);
        rloc = l;
        eng_val d = ev->kind == MODEL_EV_WG_DONE ? ev_int(1) : op_arg(r, s, m->task, ev, 1);
        int64_t delta = ev->kind == MODEL_EV_WG_DONE ? -1 : d.kind == EV_INT ? d.n : 0;
        num = delta;
        if (c.kind == EV_INT && (d.kind == EV_INT || ev->kind == MODEL_EV_WG_DONE)) {
            int64_t n = c.n + delta;
            /* a counter a loop keeps raising is let go of: its states
             * would never repeat (a wait on it then goes ahead) */
            bool wide = n > WG_EXACT && eng_task_looping(r, s, m->task, false);
            eng_store(r, s, l, wide ? ev_unknown() : ev_int(n));
            if (n < 0) { /* the runtime aborts: the process ends here */
                s->panic_site = site_id;
                record_loc(rec, m->task, site, detail, ENG_NONE, num, rloc);
                s->exited = true;
                while (s->ntasks)
                    eng_task_remove(s, s->tasks[0]->id);
                return 0;
            }
        } else if (l.ok) {
            eng_store(r, s, l, ev_unknown());
        }
        break;
    }
    case MODEL_EV_LOCK: case MODEL_EV_UNLOCK: {
        eng_loc l;
        lock_state(r, s, m->task, ev, &l);
        rloc = l;
        if (l.ok)
            eng_store(r, s, l, ev->kind == MODEL_EV_LOCK ? (eng_val){ EV_MUTEX, 0, site_id, 0, (int64_t)m->task + 1 }
                                                          : ev_int(0));
        break;
    }
    case MODEL_EV_SPAWN: {
        eng_val fn = ev->fn ? eval_run(r, s, m->task, ev->fn) : op_arg(r, s, m->task, ev, 0);
        eng_val arg = (ev->nvals > 1 ? eval_run(r, s, m->task, ev->vals[1]) : ev_unknown());
        if (fn.kind == EV_FUNC && !(fn.a & ENG_API_FN)) {
            eng_task_set_result(s, m->task, ev->id, ev_int(TT_OK));
            eng_task_advance(r, s, m->task);
            uint32_t nt = eng_spawn(r, s, m->task, site_id, fn.a, arg);
            if (rec && rec->on) {
                eng_step st = eng_step_init(ENG_STEP_OP, m->task);
                st.site = site->s;
                st.num = nt;
                st.callee_tu = r->prog.funcs[fn.a].tu;
                st.callee_func = r->prog.funcs[fn.a].func;
                eng_rec_step(rec, st);
            }
            run[nrun++] = nt;
            return nrun;
        }
        eng_escape(r, s, arg);
        break;
    }
    case MODEL_EV_WG_WAIT: {
        eng_loc l;
        lock_state(r, s, m->task, ev, &l);
        rloc = l;
        break;
    }
    default: /* SLEEP */
        break;
    }
    record_loc(rec, m->task, site, detail, obj, num, rloc);
    eng_task_set_result(s, m->task, ev->id, res);
    eng_task_advance(r, s, m->task);
    return nrun;
}

void eng_apply(eng_run_ctx *r, const eng_state *s, const eng_move *m, const uint8_t *replay,
               size_t nreplay, eng_rec *rec, eng_succs *out)
{
    eng_state *ns = eng_state_copy(s);
    uint32_t run[3];
    size_t nrun = perform(r, ns, m, rec, run);
    /* run each task on to its next operation; forks multiply the states */
    eng_succs cur = { 0 };
    grow_array((void **)&cur.v, &cur.cap, 1, sizeof *cur.v);
    cur.v[0].s = ns;
    cur.v[0].forks = (eng_forks){ 0 };
    cur.n = 1;
    size_t replay_at = 0;
    for (size_t k = 0; k < nrun; k++) {
        eng_succs next = { 0 };
        for (size_t i = 0; i < cur.n; i++) {
            if (!eng_task_get(cur.v[i].s, run[k])) { /* gone (the process exited) */
                grow_array((void **)&next.v, &next.cap, next.n + 1, sizeof *next.v);
                next.v[next.n++] = cur.v[i];
                continue;
            }
            eng_run_task(r, cur.v[i].s, run[k], &cur.v[i].forks, replay, nreplay, replay ? &replay_at : NULL,
                         rec, &next);
            free(cur.v[i].forks.bits);
        }
        free(cur.v);
        cur = next;
    }
    for (size_t i = 0; i < cur.n; i++) {
        eng_state_gc(r, cur.v[i].s);
        grow_array((void **)&out->v, &out->cap, out->n + 1, sizeof *out->v);
        out->v[out->n++] = cur.v[i];
    }
    free(cur.v);
}

uint32_t eng_wait_obj(eng_run_ctx *r, eng_state *s, const eng_task *t, eng_obj_kind *kind)
{
    const model_event *ev = eng_task_op(r, t);
    *kind = ENG_OBJ_CHAN;
    if (!ev)
        return ENG_NONE;
    if (ev->kind == MODEL_EV_SEND || ev->kind == MODEL_EV_RECV) {
        eng_val v = op_arg(r, s, t->id, ev, 0);
        return v.kind == EV_CHAN ? v.a : ENG_NONE;
    }
    if (ev->kind == MODEL_EV_SELECT) {
        uint32_t one = ENG_NONE;
        for (size_t i = 0; i < ev->ncases; i++) {
            eng_val v = eval_in(r, s, t->id, ev->cases[i].ch);
            if (v.kind != EV_CHAN)
                continue;
            if (one != ENG_NONE && one != v.a)
                return ENG_NONE;
            one = v.a;
        }
        return one;
    }
    if (ev->kind == MODEL_EV_LOCK)
        *kind = ENG_OBJ_MUTEX;
    else if (ev->kind == MODEL_EV_WG_WAIT)
        *kind = ENG_OBJ_WG;
    return ENG_NONE;
}
