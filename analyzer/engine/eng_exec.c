/* eng_exec.c — running one task from where it stands to its next operation:
 * assignments, calls into the program's functions (and what we know of the
 * C library's), returns, creations, and branches. A branch on an unknown
 * value forks: each arm goes on in a copy of the state, where the tested
 * value is known from then on. */
#include "engine/engine_impl.h"

#include <stdlib.h>
#include <string.h>

#include "model/arena.h"

enum {
    LOOP_K = 3,          /* rounds of a loop whose exit is unknown */
    STEP_BUDGET = 4000,  /* events between two operations before the task yields
                            (a loop that polls memory, tt_sleep_ms being no operation) */
    FORK_BUDGET = 512,   /* forks per move */
};

void eng_forks_push(eng_forks *f, uint8_t bit)
{
    grow_array((void **)&f->bits, &f->cap, f->n + 1, 1);
    f->bits[f->n++] = bit;
}

static void forks_copy(eng_forks *dst, const eng_forks *src)
{
    dst->n = dst->cap = 0;
    dst->bits = NULL;
    if (src->n) {
        grow_array((void **)&dst->bits, &dst->cap, src->n, 1);
        memcpy(dst->bits, src->bits, src->n);
        dst->n = src->n;
    }
}

eng_step eng_step_init(eng_step_kind kind, uint32_t task)
{
    eng_step st;
    memset(&st, 0, sizeof st);
    st.kind = kind;
    st.task = task;
    st.detail = -1;
    st.obj = st.loc_obj = st.raw_cell = ENG_NONE;
    for (size_t k = 0; k < ENG_STEP_CASES; k++)
        st.case_objs[k] = ENG_NONE;
    st.callee_func = -1;
    return st;
}

void eng_rec_step(eng_rec *rec, eng_step st)
{
    if (!rec || !rec->on)
        return;
    grow_array((void **)&rec->steps, &rec->cap, rec->n + 1, sizeof *rec->steps);
    rec->steps[rec->n++] = st;
}

void eng_succs_free(eng_succs *v)
{
    for (size_t i = 0; i < v->n; i++) {
        eng_state_free(v->v[i].s);
        free(v->v[i].forks.bits);
    }
    free(v->v);
    v->v = NULL;
    v->n = v->cap = 0;
}

static void succs_push(eng_succs *out, eng_state *s, eng_forks forks)
{
    grow_array((void **)&out->v, &out->cap, out->n + 1, sizeof *out->v);
    out->v[out->n].s = s;
    out->v[out->n].forks = forks;
    out->n++;
}

static bool is_op(model_ev_kind k)
{
    switch (k) {
    case MODEL_EV_SPAWN: case MODEL_EV_SEND: case MODEL_EV_RECV: case MODEL_EV_SELECT:
    case MODEL_EV_CLOSE: case MODEL_EV_CTX_CANCEL: case MODEL_EV_TICKER_STOP:
    case MODEL_EV_WG_ADD: case MODEL_EV_WG_DONE: case MODEL_EV_WG_WAIT:
    case MODEL_EV_LOCK: case MODEL_EV_UNLOCK: case MODEL_EV_SLEEP: /* others run meanwhile */
        return true;
    default:
        return false;
    }
}

static const model_block *frame_block(const eng_run_ctx *r, const eng_frame *f)
{
    return &r->prog.funcs[f->fn].fn->blocks[f->block];
}

const model_event *eng_task_op(eng_run_ctx *r, const eng_task *t)
{
    if (!t || !t->nframes || t->yield)
        return NULL;
    const eng_frame *f = &t->frames[t->nframes - 1];
    const model_block *bl = frame_block(r, f);
    if (f->ev >= bl->nevents)
        return NULL;
    const model_event *ev = &bl->events[f->ev];
    return is_op(ev->kind) ? ev : NULL;
}

uint32_t eng_task_site(eng_run_ctx *r, const eng_task *t)
{
    if (!t || !t->nframes)
        return ENG_NONE;
    const eng_frame *f = &t->frames[t->nframes - 1];
    const eng_func *fn = &r->prog.funcs[f->fn];
    return eng_site_id(r, fn->tu, fn->func, f->block, f->ev);
}

void eng_task_advance(eng_run_ctx *r, eng_state *s, uint32_t task)
{
    (void)r;
    eng_task *t = eng_task_mut(s, task);
    if (t && t->nframes)
        t->frames[t->nframes - 1].ev++;
}

void eng_task_set_result(eng_state *s, uint32_t task, int32_t id, eng_val v)
{
    eng_task *t = eng_task_mut(s, task);
    if (!t || !t->nframes || id < 0)
        return;
    eng_frame *f = &t->frames[t->nframes - 1];
    if (id < f->nids)
        f->temps[id] = v;
}

static uint32_t push_frame(eng_run_ctx *r, eng_state *s, uint32_t task, uint32_t fn)
{
    eng_task *t = eng_task_mut(s, task);
    uint32_t cell = eng_fresh_id(r, s, ID_FRAME, task, t->nframes);
    eng_cell_add(s, cell, CELL_FRAME, false, ENG_NONE);
    t = eng_task_mut(s, task);
    eng_frame *f = eng_task_push(t, &r->prog.funcs[fn]);
    f->fn = fn;
    f->cell = cell;
    return cell;
}

static void bind_param(eng_run_ctx *r, eng_state *s, uint32_t cell, const model_param *p, eng_val v)
{
    if (!p->name || !*p->name)
        return;
    eng_loc l = { cell, eng_path_child(r, 0, STEP_VAR(eng_model_name(r, p->name))), true };
    eng_store(r, s, l, v);
}

uint32_t eng_spawn(eng_run_ctx *r, eng_state *s, uint32_t parent, uint32_t site, uint32_t fn, eng_val arg)
{
    uint32_t id = eng_fresh_id(r, s, ID_TASK, parent, site);
    eng_task *t = eng_task_new(id);
    t->spawn_site = site;
    t->fn = fn;
    eng_task_add(s, t);
    uint32_t cell = push_frame(r, s, id, fn);
    const model_func *f = r->prog.funcs[fn].fn;
    if (f->nparams > 0)
        bind_param(r, s, cell, &f->params[0], arg);
    return id;
}

/* ---- tether functions called through a pointer ---------------------------------- */

static const char *const api_fns[] = {
    "tt_ctx_cancel", "tt_close", "tt_ticker_stop", "tt_wg_done", "tt_mutex_unlock", "tt_chan_free",
};

uint32_t eng_api_fn(const char *name)
{
    for (size_t k = 0; name && k < sizeof api_fns / sizeof *api_fns; k++)
        if (strcmp(name, api_fns[k]) == 0)
            return ENG_API_FN | (uint32_t)k;
    return ENG_NONE;
}

/* Runs API function k on its first argument a (in the caller's step). */
static void api_call(eng_exec *x, uint32_t k, eng_val a)
{
    eng_state *s = x->s;
    switch (k) {
    case 0:
        if (a.kind == EV_CTX && a.a != ENG_BACKGROUND && eng_obj_get(s, a.a)) {
            eng_obj_mut(s, a.a)->cancel_called = true;
            eng_cancel_ctx(s, a.a, false);
        }
        break;
    case 1:
        if (a.kind == EV_CHAN && eng_obj_get(s, a.a))
            eng_obj_mut(s, a.a)->closed = true;
        break;
    case 2:
        if (a.kind == EV_TICKER && eng_obj_get(s, a.a))
            eng_obj_mut(s, a.a)->stopped = true;
        break;
    case 3: case 4: {
        eng_loc l = eng_ptr_loc(a);
        if (!l.ok)
            break;
        eng_val c = eng_load(x->r, s, x->task, l);
        if (k == 4) /* tt_mutex_unlock */
            eng_store(x->r, s, l, ev_int(0));
        else
            eng_store(x->r, s, l, c.kind == EV_INT ? ev_int(c.n - 1) : ev_unknown());
        break;
    }
    default:
        break;
    }
}

/* ---- the C library, as far as the engine needs it ---------------------------- */

static const char *const pure_funcs[] = {
    "abs", "assert", "atoi", "atol", "atoll", "clock", "clock_gettime", "fflush", "fprintf",
    "fputc", "fputs", "free", "fwrite", "getenv", "gettimeofday", "isatty", "labs", "memcmp",
    "nanosleep", "perror", "printf", "putchar", "puts", "rand", "random", "sleep",
    "srand", "srandom", "strchr", "strcmp", "strerror", "strlen", "strncmp",
    "strrchr", "strstr", "strtol", "strtoll", "strtoul", "strtoull", "time", "tt_chan_free", "memchr",
    "strnlen", "strdup", "toupper", "tolower", "exp", "log", "sqrt", "pow", "fabs", "floor", "ceil",
    "tt_verify_none", "usleep", "vfprintf", "vprintf", "vsnprintf", "write", "fileno",
    "tt_chan_cap", "tt_chan_len", "sched_yield", "pthread_self",
};

/* They write characters through their first argument and keep nothing. */
static const char *const string_funcs[] = {
    "strcpy", "strncpy", "strcat", "strncat", "stpcpy", "stpncpy", "sprintf", "vsprintf", "snprintf", "fgets",
};

static bool name_in(const char *n, const char *const *list, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(n, list[i]) == 0)
            return true;
    return false;
}

static eng_val heap_alloc(eng_exec *x, bool zeroed)
{
    uint32_t id = eng_fresh_id(x->r, x->s, ID_HEAP, x->task, x->r->cur_site);
    eng_cell_add(x->s, id, CELL_HEAP, zeroed, x->r->cur_site);
    return ev_ptr(id, eng_path_child(x->r, 0, STEP_INDEX(0)));
}

/* The location a byte-wise function (memset, memcpy) covers: a whole array
 * when p points at its element [0], else the object p points at. */
static eng_loc region(eng_exec *x, eng_val p)
{
    eng_loc l = eng_ptr_loc(p);
    if (l.ok && x->r->paths[l.path].depth && x->r->paths[l.path].step == STEP_INDEX(0))
        l.path = x->r->paths[l.path].parent;
    return l;
}

static bool atomic_rmw(const char *n, model_op *op, bool *fetch_first)
{
    static const struct { const char *name; model_op op; bool first; } t[] = {
        { "add_fetch", MODEL_OP_ADD, false }, { "fetch_add", MODEL_OP_ADD, true },
        { "sub_fetch", MODEL_OP_SUB, false }, { "fetch_sub", MODEL_OP_SUB, true },
        { "or_fetch", MODEL_OP_BITOR, false }, { "fetch_or", MODEL_OP_BITOR, true },
        { "and_fetch", MODEL_OP_BITAND, false }, { "fetch_and", MODEL_OP_BITAND, true },
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++)
        if (strstr(n, t[i].name)) {
            *op = t[i].op;
            *fetch_first = t[i].first;
            return true;
        }
    return false;
}

/* A call to a function the program does not define. Returns its result. */
static eng_val extern_call(eng_exec *x, const char *name, const eng_val *args, size_t nargs)
{
    if (name) {
        if (strcmp(name, "malloc") == 0 || strcmp(name, "aligned_alloc") == 0 ||
            strcmp(name, "strdup") == 0 || strcmp(name, "strndup") == 0)
            return heap_alloc(x, false);
        if (strcmp(name, "calloc") == 0)
            return heap_alloc(x, true);
        if (strcmp(name, "realloc") == 0)
            return nargs && args[0].kind == EV_PTR ? args[0] : heap_alloc(x, false);
        if (strcmp(name, "memset") == 0 && nargs >= 2) {
            eng_loc l = region(x, args[0]);
            eng_store(x->r, x->s, l, args[1].kind == EV_INT && args[1].n == 0 ? ev_int(0) : ev_unknown());
            return args[0];
        }
        if ((strcmp(name, "memcpy") == 0 || strcmp(name, "memmove") == 0) && nargs >= 2) {
            eng_loc d = region(x, args[0]), s = region(x, args[1]);
            eng_store(x->r, x->s, d, eng_load(x->r, x->s, x->task, s));
            return args[0];
        }
        if (strncmp(name, "__atomic_", 9) == 0 || strncmp(name, "__c11_atomic_", 13) == 0 ||
            strncmp(name, "atomic_", 7) == 0 || strncmp(name, "__sync_", 7) == 0) {
            eng_loc l = nargs ? eng_ptr_loc(args[0]) : (eng_loc){ 0, 0, false };
            model_op op;
            bool first;
            if (strstr(name, "load"))
                return eng_load(x->r, x->s, x->task, l);
            if (strstr(name, "store") && nargs >= 2) {
                eng_store(x->r, x->s, l, args[1]);
                return ev_unknown();
            }
            if (atomic_rmw(name, &op, &first) && nargs >= 2) {
                eng_val old = eng_load(x->r, x->s, x->task, l), nv = ev_unknown();
                if (old.kind == EV_INT && args[1].kind == EV_INT) {
                    int64_t n = op == MODEL_OP_ADD ? old.n + args[1].n : op == MODEL_OP_SUB ? old.n - args[1].n
                              : op == MODEL_OP_BITOR ? (old.n | args[1].n) : (old.n & args[1].n);
                    nv = ev_int(n);
                }
                eng_store(x->r, x->s, l, nv);
                return first ? old : nv;
            }
            eng_store(x->r, x->s, l, ev_unknown());
            return ev_unknown();
        }
        if ((strcmp(name, "strcmp") == 0 || strcmp(name, "strcasecmp") == 0) && nargs >= 2 &&
            args[0].kind == EV_STR && args[1].kind == EV_STR && args[0].a && args[1].a)
            return args[0].a == args[1].a ? ev_int(0) : (eng_val){ EV_UNKNOWN, 1, 0, 0, 0 };
        if (name_in(name, pure_funcs, sizeof pure_funcs / sizeof *pure_funcs))
            return ev_unknown();
        if (name_in(name, string_funcs, sizeof string_funcs / sizeof *string_funcs)) {
            eng_store(x->r, x->s, region(x, nargs ? args[0] : ev_unknown()), ev_unknown()); /* bytes written */
            return nargs ? args[0] : ev_unknown();
        }
    }
    /* unknown code: whatever the arguments reach is its business now */
    for (size_t i = 0; i < nargs; i++)
        eng_escape(x->r, x->s, args[i]);
    return ev_unknown();
}

/* ---- events -------------------------------------------------------------------- */

static eng_frame *top(eng_exec *x)
{
    eng_task *t = eng_task_mut(x->s, x->task);
    return t && t->nframes ? &t->frames[t->nframes - 1] : NULL;
}

static void set_temp(eng_exec *x, int32_t id, eng_val v)
{
    eng_task_set_result(x->s, x->task, id, v);
}

static eng_site cur_site_of(eng_exec *x)
{
    return x->r->sites[x->r->cur_site].s;
}

static void record(eng_exec *x, eng_step_kind kind, eng_site site)
{
    if (!x->rec || !x->rec->on)
        return;
    eng_step st = eng_step_init(kind, x->task);
    st.site = site;
    eng_rec_step(x->rec, st);
}

/* Leaves the current function with value v. Returns false when the task ended. */
static bool do_return(eng_exec *x, eng_val v)
{
    eng_task *t = eng_task_mut(x->s, x->task);
    uint32_t cell = t->frames[t->nframes - 1].cell;
    int32_t ret_id = t->frames[t->nframes - 1].ret_id;
    eng_task_pop(t);
    /* the root's locals outlive its return for the tasks still running
     * (main returning is the end of the process: a task blocked on a
     * channel in main's `struct pool p;` leaks on that channel); any other
     * frame is gone, and what pointed into it with it */
    if (t->nframes > 0 || x->task != x->s->root_id)
        eng_cell_remove(x->s, cell);
    if (t->nframes == 0) {
        if (x->task == x->s->root_id) {
            x->s->root_done = true;
            if (!x->r->prog.closed) /* a library's caller gets what its API returns */
                eng_escape(x->r, x->s, v);
        }
        eng_task_remove(x->s, x->task);
        return false;
    }
    set_temp(x, ret_id, v);
    return true;
}

static const char *callee_name(eng_exec *x, const model_event *ev)
{
    if (ev->fn && (ev->fn->kind == MODEL_VAL_FUNC || ev->fn->kind == MODEL_VAL_VAR))
        return ev->fn->name;
    (void)x;
    return ev->callee;
}

/* Returns false when the task ended. */
static bool do_call(eng_exec *x, const model_event *ev)
{
    eng_val fnv;
    if (ev->fn)
        fnv = eng_eval(x, ev->fn);
    else {
        const eng_func *cf = &x->r->prog.funcs[top(x)->fn];
        uint32_t id = eng_prog_lookup(x->r, cf->tu, ev->callee);
        fnv = id == ENG_NONE ? ev_unknown() : ev_obj(EV_FUNC, id);
    }
    size_t nargs = ev->nvals;
    eng_val *args = xmalloc((nargs ? nargs : 1) * sizeof *args);
    for (size_t i = 0; i < nargs; i++)
        args[i] = eng_eval(x, ev->vals[i]);
    eng_task *t = eng_task_get(x->s, x->task);
    if (fnv.kind == EV_FUNC && (fnv.a & ENG_API_FN)) {
        if (x->rec && x->rec->on) {
            eng_step st = eng_step_init(ENG_STEP_OP, x->task);
            st.site = cur_site_of(x);
            st.obj = nargs && (args[0].kind == EV_CHAN || args[0].kind == EV_CTX || args[0].kind == EV_TICKER)
                         ? args[0].a : ENG_NONE;
            eng_rec_step(x->rec, st);
        }
        api_call(x, fnv.a & ~ENG_API_FN, nargs ? args[0] : ev_unknown());
        free(args);
        set_temp(x, ev->id, ev_unknown());
        return true;
    }
    if (fnv.kind == EV_FUNC && t->nframes < (uint32_t)x->r->max_depth) {
        const eng_func *callee = &x->r->prog.funcs[fnv.a];
        if (x->rec && x->rec->on) {
            eng_step st = eng_step_init(ENG_STEP_CALL, x->task);
            st.site = cur_site_of(x);
            st.callee_tu = callee->tu;
            st.callee_func = callee->func;
            eng_rec_step(x->rec, st);
        }
        uint32_t cell = push_frame(x->r, x->s, x->task, fnv.a);
        top(x)->ret_id = ev->id;
        const model_func *f = callee->fn;
        for (size_t i = 0; i < f->nparams; i++)
            bind_param(x->r, x->s, cell, &f->params[i], i < nargs ? args[i] : ev_unknown());
        for (size_t i = f->nparams; i < nargs; i++) /* varargs */
            eng_escape(x->r, x->s, args[i]);
        free(args);
        return true;
    }
    const char *name = fnv.kind == EV_FUNC ? NULL : callee_name(x, ev);
    eng_val res = extern_call(x, name, args, nargs);
    free(args);
    set_temp(x, ev->id, res);
    return true;
}

static eng_val new_obj_val(eng_exec *x, eng_okind kind)
{
    uint32_t id = eng_fresh_id(x->r, x->s, ID_OBJ, x->task, x->r->cur_site);
    eng_obj_add(x->s, id, kind, x->r->cur_site);
    return ev_obj(kind == OBJ_CHAN ? EV_CHAN : kind == OBJ_CTX ? EV_CTX : EV_TICKER, id);
}

static eng_val arg_val(eng_exec *x, const model_event *ev, size_t i)
{
    return i < ev->nvals ? eng_eval(x, ev->vals[i]) : ev_unknown();
}

static void do_create(eng_exec *x, const model_event *ev)
{
    eng_val v;
    if (ev->kind == MODEL_EV_CHAN_NEW) {
        eng_val cap = arg_val(x, ev, 1);
        v = new_obj_val(x, OBJ_CHAN);
        int64_t c = cap.kind == EV_INT && cap.n >= 0 ? cap.n
                  : (ev->nvals < 2 && (ev->flags & MODEL_EVF_NUM_KNOWN)) ? ev->num : -1;
        eng_obj_mut(x->s, v.a)->cap = c;
    } else if (ev->kind == MODEL_EV_CTX_NEW) {
        eng_val parent = arg_val(x, ev, 0);
        v = new_obj_val(x, OBJ_CTX);
        eng_val done = new_obj_val(x, OBJ_CHAN); /* its done channel, made with it */
        eng_obj *d = eng_obj_mut(x->s, done.a);
        d->cap = 0;
        d->owner = v.a;
        eng_obj *o = eng_obj_mut(x->s, v.a);
        o->done = done.a;
        o->timeout = (ev->flags & MODEL_EVF_TIMEOUT) != 0;
        if (parent.kind == EV_CTX && parent.a != ENG_BACKGROUND) {
            const eng_obj *p = eng_obj_get(x->s, parent.a);
            if (p) {
                o = eng_obj_mut(x->s, v.a);
                o->parent = p->id;
                o->canceled = p->canceled;
                eng_obj_mut(x->s, done.a)->closed = p->canceled;
                if (p->escaped || p->timeout) /* someone else may cancel it any time */
                    o->timeout = true;
            }
        } else if (!(parent.kind == EV_CTX || (parent.kind == EV_INT && parent.n == 0))) {
            o->timeout = true; /* an unknown parent may be canceled any time */
        }
    } else { /* TICKER_NEW */
        v = new_obj_val(x, OBJ_TICKER);
        uint32_t save = x->r->cur_site;
        eng_val ch = new_obj_val(x, OBJ_CHAN);
        x->r->cur_site = save;
        eng_obj *c = eng_obj_mut(x->s, ch.a);
        c->cap = 1;
        c->owner = v.a;
        eng_obj_mut(x->s, v.a)->chan = ch.a;
    }
    set_temp(x, ev->id, v);
}

static bool val_equal(const model_val *a, const model_val *b)
{
    if (a == b)
        return true;
    if (!a || !b || a->kind != b->kind || a->op != b->op || a->arrow != b->arrow || a->num != b->num ||
        a->scope != b->scope || a->nsub != b->nsub)
        return false;
    if ((a->name || b->name) && (!a->name || !b->name || strcmp(a->name, b->name) != 0))
        return false;
    for (size_t i = 0; i < a->nsub; i++)
        if (!val_equal(a->sub[i], b->sub[i]))
            return false;
    return true;
}

/* Whether v is w or contains it. */
static bool val_mentions(const model_val *v, const model_val *w)
{
    if (!v)
        return false;
    if (val_equal(v, w))
        return true;
    for (size_t i = 0; i < v->nsub; i++)
        if (val_mentions(v->sub[i], w))
            return true;
    return false;
}

/* Whether the task has gone round a loop more than LOOP_K times, in any of
 * its frames, where counter is not what decides the loop (a loop with no
 * condition, or one that does not read the counter: `while (tt_recv(...) ==
 * TT_OK) n++;`): such a counter bumped past COUNTER_EXACT is widened to
 * unknown, so that the loop's states repeat. A loop's own counter runs as
 * its condition says; past LOOP_COUNTER_EXACT (own) it is let go of too
 * when the loop's body only computes, locks or sleeps (its rounds are all
 * alike and nobody counts them). A loop that cannot be decided is left
 * after LOOP_K rounds. */
static bool in_long_loop(eng_exec *x, const model_val *counter, bool own)
{
    const eng_task *t = eng_task_get(x->s, x->task);
    for (uint32_t k = 0; t && k < t->nframes; k++) {
        const eng_frame *f = &t->frames[k];
        const model_func *fn = x->r->prog.funcs[f->fn].fn;
        for (uint32_t b = 0; b < f->nblocks; b++)
            if (f->visits[b] > LOOP_K && fn->blocks[b].loop_head &&
                ((own && eng_fninfo_of(x->r, f->fn)->loop_plain[b]) || fn->blocks[b].infinite_loop_head ||
                 !val_mentions(fn->blocks[b].cond, counter)))
                return true;
    }
    return false;
}

bool eng_task_looping(eng_run_ctx *r, const eng_state *s, uint32_t task, bool forever)
{
    const eng_task *t = eng_task_get(s, task);
    for (uint32_t k = 0; t && k < t->nframes; k++) {
        const eng_frame *f = &t->frames[k];
        const model_func *fn = r->prog.funcs[f->fn].fn;
        for (uint32_t b = 0; b < f->nblocks; b++)
            if (f->visits[b] > LOOP_K && fn->blocks[b].loop_head && (!forever || fn->blocks[b].infinite_loop_head))
                return true;
    }
    return false;
}

/* A counter stays exact while it is this small: a counter that wraps (a ring
 * buffer's index, a round robin) decides branches, and its states repeat. */
#define COUNTER_EXACT 8
/* A loop's own counter runs as its condition says this far; past it, it is
 * widened in a plain loop (a hundred rounds of two tasks taking turns at a
 * mutex would be ten thousand interleavings, all alike). */
#define LOOP_COUNTER_EXACT 16

/* x = x + k / x = x - k */
static bool is_counter_step(const model_event *ev)
{
    const model_val *r = ev->vals[1];
    return r->kind == MODEL_VAL_BINOP && (r->op == MODEL_OP_ADD || r->op == MODEL_OP_SUB) &&
           r->sub[1]->kind == MODEL_VAL_INT && val_equal(r->sub[0], ev->vals[0]);
}

/* Runs one non-operation event. Returns false when the task ended (or the
 * process exited). The frame's position is already past ev. */
static bool exec_event(eng_exec *x, const model_event *ev)
{
    switch (ev->kind) {
    case MODEL_EV_ASSIGN: {
        if (ev->nvals < 2)
            return true;
        eng_val v = eng_eval(x, ev->vals[1]);
        eng_loc l = eng_lval(x, ev->vals[0]);
        if (v.kind == EV_INT && (v.n > COUNTER_EXACT || v.n < -COUNTER_EXACT) && is_counter_step(ev) &&
            in_long_loop(x, ev->vals[0], v.n > LOOP_COUNTER_EXACT || v.n < -LOOP_COUNTER_EXACT))
            v = ev_unknown();
        if (l.ok)
            eng_store(x->r, x->s, l, v);
        else /* stored through a pointer we cannot follow: somebody else's now */
            eng_escape(x->r, x->s, v);
        set_temp(x, ev->id, v);
        return true;
    }
    case MODEL_EV_CALL:
        return do_call(x, ev);
    case MODEL_EV_RETURN: {
        eng_val v = ev->nvals ? eng_eval(x, ev->vals[0]) : ev_unknown();
        record(x, ENG_STEP_RETURN, cur_site_of(x));
        return do_return(x, v);
    }
    case MODEL_EV_NORETURN:
        record(x, ENG_STEP_NORETURN, cur_site_of(x));
        if (ev->callee && strcmp(ev->callee, "pthread_exit") == 0) {
            eng_task_remove(x->s, x->task);
            if (x->task == x->s->root_id)
                x->s->root_done = true;
            return false;
        }
        x->s->exited = true;
        while (x->s->ntasks)
            eng_task_remove(x->s, x->s->tasks[0]->id);
        return false;
    case MODEL_EV_CHAN_NEW: case MODEL_EV_CTX_NEW: case MODEL_EV_TICKER_NEW:
        do_create(x, ev);
        return true;
    case MODEL_EV_CTX_ERR: {
        eng_val c = arg_val(x, ev, 0);
        const eng_obj *o = c.kind == EV_CTX && c.a != ENG_BACKGROUND ? eng_obj_get(x->s, c.a) : NULL;
        eng_val res = ev_unknown();
        if (c.kind == EV_CTX && c.a == ENG_BACKGROUND)
            res = ev_int(0);
        else if (o && o->canceled)
            res = ev_int(o->timed_out ? -2 : -3);
        else if (o && !o->timeout && !o->escaped)
            res = ev_int(0);
        set_temp(x, ev->id, res);
        return true;
    }
    default:
        return true; /* ESCAPE, NULL_TEST, CASE_TEST, CHAN_FREE: nothing to run */
    }
}

/* ---- branches -------------------------------------------------------------------- */

static bool is_lvalue(const model_val *v)
{
    return v && (v->kind == MODEL_VAL_VAR || v->kind == MODEL_VAL_FIELD || v->kind == MODEL_VAL_INDEX ||
                 v->kind == MODEL_VAL_DEREF);
}

/* What taking a branch says about the values the condition tests. */
static void refine(eng_exec *x, const model_val *c, bool truth)
{
    if (!c)
        return;
    if (c->kind == MODEL_VAL_UNOP && c->op == MODEL_OP_NOT) {
        refine(x, c->sub[0], !truth);
        return;
    }
    if (c->kind == MODEL_VAL_BINOP && ((c->op == MODEL_OP_LAND && truth) || (c->op == MODEL_OP_LOR && !truth))) {
        refine(x, c->sub[0], truth);
        refine(x, c->sub[1], truth);
        return;
    }
    const model_val *lv = c;
    eng_val known = ev_unknown();
    bool eq_side;
    if (c->kind == MODEL_VAL_BINOP && (c->op == MODEL_OP_EQ || c->op == MODEL_OP_NE)) {
        const model_val *k = c->sub[1];
        lv = c->sub[0];
        if (k->kind != MODEL_VAL_INT && k->kind != MODEL_VAL_NULL) {
            k = c->sub[0];
            lv = c->sub[1];
        }
        if (k->kind != MODEL_VAL_INT && k->kind != MODEL_VAL_NULL)
            return;
        known = ev_int(k->kind == MODEL_VAL_INT ? k->num : 0);
        eq_side = (c->op == MODEL_OP_EQ) == truth;
    } else {
        known = ev_int(0);
        eq_side = !truth;
    }
    eng_val cur;
    eng_loc l = { 0, 0, false };
    if (lv->kind == MODEL_VAL_RESULT) {
        cur = eng_eval(x, lv);
    } else if (is_lvalue(lv)) {
        l = eng_lval(x, lv);
        if (!l.ok)
            return;
        cur = eng_load(x->r, x->s, x->task, l);
    } else {
        return;
    }
    if (cur.kind != EV_UNKNOWN)
        return;
    eng_val nv;
    if (eq_side)
        nv = known;
    else if (known.n == 0)
        nv = (eng_val){ EV_UNKNOWN, 1, 0, 0, 0 };
    else
        return;
    if (lv->kind == MODEL_VAL_RESULT)
        set_temp(x, (int32_t)lv->num, nv);
    else
        eng_store(x->r, x->s, l, nv);
}

static void enter_block(eng_exec *x, uint32_t b)
{
    eng_frame *f = top(x);
    const eng_fninfo *fi = eng_fninfo_of(x->r, f->fn);
    for (int32_t k = 0; k < f->nids; k++) /* results read only in their own block are done */
        if (!fi->long_lived[k] && fi->def_block[k] != (int32_t)b)
            f->temps[k] = ev_unknown();
    f->block = b;
    f->ev = 0;
    const eng_func *fn = &x->r->prog.funcs[f->fn];
    const model_block *bl = &fn->fn->blocks[b];
    if (bl->loop_head && f->visits[b] <= LOOP_K)
        f->visits[b]++;
    if (bl->loc.line && x->rec && x->rec->on) {
        eng_step st = eng_step_init(ENG_STEP_BLOCK, x->task);
        st.site = (eng_site){ fn->tu, fn->func, b, UINT32_MAX }; /* a block, not an event */
        eng_rec_step(x->rec, st);
    }
}

typedef struct work {
    eng_state *s;
    eng_forks forks;
} work;

typedef struct worklist {
    work *v;
    size_t n, cap;
    /* once the move forked: the states its paths reached at joins (blocks
     * with several ways in), so that branches that meet again (an `if` that
     * sets nothing read later) go on once, not once per path */
    bool forked;
    uint64_t *seen;
    size_t nseen, seencap;
} worklist;

/* Whether another path of this move already reached x's state at a join
 * (then x's path is dropped); records it otherwise. */
static bool joined_before(eng_exec *x, worklist *wl)
{
    const eng_frame *f = top(x);
    const model_block *bl = &x->r->prog.funcs[f->fn].fn->blocks[f->block];
    if (!wl->forked || x->replay || bl->npred < 2)
        return false;
    uint64_t h = eng_state_hash(x->s);
    for (size_t i = 0; i < wl->nseen; i++)
        if (wl->seen[i] == h)
            return true;
    grow_array((void **)&wl->seen, &wl->seencap, wl->nseen + 1, sizeof *wl->seen);
    wl->seen[wl->nseen++] = h;
    return false;
}

static bool is_switch_head(const model_func *fn, const model_block *bl)
{
    for (size_t i = 0; i < bl->nsucc; i++) {
        const model_block *s = &fn->blocks[bl->succ[i]];
        if (s->case_value_known || s->case_default)
            return true;
    }
    return false;
}

/* Chooses the next block at the end of the current one. Returns false when
 * the task cannot go on (a dead end). Alternatives go to wl. */
static bool branch(eng_exec *x, worklist *wl)
{
    eng_frame *f = top(x);
    const eng_func *fn = &x->r->prog.funcs[f->fn];
    const model_block *bl = &fn->fn->blocks[f->block];
    uint32_t cur = f->block;
    if (bl->nsucc == 0)
        return false;
    if (bl->nsucc == 1) {
        enter_block(x, bl->succ[0]);
        return true;
    }
    /* the candidates, and what each says about the condition */
    uint32_t targets[64];
    int8_t truth[64];
    size_t n = 0;
    const model_val *cond = bl->cond;
    if (cond && is_switch_head(fn->fn, bl)) {
        eng_val v = eng_eval(x, cond);
        if (v.kind == EV_INT) {
            uint32_t pick = UINT32_MAX, def = UINT32_MAX;
            for (size_t i = 0; i < bl->nsucc; i++) {
                const model_block *s = &fn->fn->blocks[bl->succ[i]];
                if (s->case_value_known && s->case_value == v.n && pick == UINT32_MAX)
                    pick = bl->succ[i];
                else if (s->case_default || (!s->case_value_known && def == UINT32_MAX))
                    def = bl->succ[i];
            }
            enter_block(x, pick != UINT32_MAX ? pick : def != UINT32_MAX ? def : bl->succ[bl->nsucc - 1]);
            return true;
        }
        for (size_t i = 0; i < bl->nsucc && n < 64; i++, n++) {
            targets[n] = bl->succ[i];
            truth[n] = -1;
        }
    } else if (cond && bl->nsucc == 2) {
        int t = eng_truth(eng_eval(x, cond));
        if (t >= 0) {
            enter_block(x, bl->succ[t ? 0 : 1]);
            return true;
        }
        if (bl->loop_head && f->visits[cur] > LOOP_K) { /* enough rounds: leave */
            refine(x, cond, false);
            enter_block(x, bl->succ[1]);
            return true;
        }
        targets[0] = bl->succ[0];
        truth[0] = 1;
        targets[1] = bl->succ[1];
        truth[1] = 0;
        n = 2;
    } else {
        for (size_t i = 0; i < bl->nsucc && n < 64; i++, n++) {
            targets[n] = bl->succ[i];
            truth[n] = -1;
        }
    }
    size_t pick = 0;
    if (x->replay) {
        pick = x->replay_at < x->nreplay ? x->replay[x->replay_at++] : 0;
        if (pick >= n)
            pick = 0;
    } else {
        for (size_t i = 1; i < n; i++) {
            if (*x->forks_left == 0)
                break; /* out of forks: follow the first arm only */
            (*x->forks_left)--;
            work w;
            w.s = eng_state_copy(x->s);
            forks_copy(&w.forks, &x->forks);
            eng_forks_push(&w.forks, (uint8_t)i);
            eng_exec y = *x;
            y.s = w.s;
            if (truth[i] >= 0)
                refine(&y, cond, truth[i] != 0);
            enter_block(&y, targets[i]);
            grow_array((void **)&wl->v, &wl->cap, wl->n + 1, sizeof *wl->v);
            wl->v[wl->n++] = w;
            wl->forked = true;
        }
        eng_forks_push(&x->forks, 0);
    }
    if (truth[pick] >= 0)
        refine(x, cond, truth[pick] != 0);
    enter_block(x, targets[pick]);
    return true;
}

/* Runs x's task until it pauses or ends. Returns true if the state is a
 * result (always, except for dead ends which drop the task). */
static void run(eng_exec *x, worklist *wl)
{
    uint32_t budget = STEP_BUDGET;
    for (;;) {
        eng_task *t = eng_task_get(x->s, x->task);
        if (!t || !t->nframes)
            return;
        const eng_frame *f = &t->frames[t->nframes - 1];
        const eng_func *fn = &x->r->prog.funcs[f->fn];
        const model_block *bl = &fn->fn->blocks[f->block];
        if (f->ev < bl->nevents) {
            const model_event *ev = &bl->events[f->ev];
            x->r->cur_site = eng_site_id(x->r, fn->tu, fn->func, f->block, f->ev);
            if (is_op(ev->kind))
                return;
            top(x)->ev++;
            if (!exec_event(x, ev))
                return;
        } else if (f->block == fn->fn->exit) {
            if (!do_return(x, ev_unknown()))
                return;
        } else if (!branch(x, wl)) {
            /* a block with no way on: the function cannot continue */
            if (!do_return(x, ev_unknown()))
                return;
        } else if (joined_before(x, wl)) {
            x->joined = true;
            return;
        }
        if (--budget == 0) {
            eng_task_mut(x->s, x->task)->yield = true;
            return;
        }
    }
}

void eng_run_task(eng_run_ctx *r, eng_state *s, uint32_t task, eng_forks *prefix,
                  const uint8_t *replay, size_t nreplay, size_t *replay_at, eng_rec *rec, eng_succs *out)
{
    worklist wl = { 0 };
    size_t forks_left = FORK_BUDGET;
    work first;
    first.s = s;
    forks_copy(&first.forks, prefix);
    grow_array((void **)&wl.v, &wl.cap, 1, sizeof *wl.v);
    wl.v[wl.n++] = first;
    while (wl.n) {
        work w = wl.v[--wl.n];
        eng_exec x = { 0 };
        x.r = r;
        x.s = w.s;
        x.task = task;
        x.forks = w.forks;
        x.replay = replay;
        x.nreplay = nreplay;
        x.replay_at = replay_at ? *replay_at : 0;
        x.rec = rec;
        x.forks_left = &forks_left;
        eng_task *t = eng_task_get(x.s, task);
        if (t && t->yield)
            eng_task_mut(x.s, task)->yield = false;
        run(&x, &wl);
        if (replay_at)
            *replay_at = x.replay_at;
        if (x.joined) {
            eng_state_free(x.s);
            free(x.forks.bits);
            continue;
        }
        succs_push(out, x.s, x.forks);
    }
    free(wl.seen);
    free(wl.v);
}
