/* ctx.c — contexts: a cancelation tree under one lock, done channels that
 * close on cancel or expiry, and recycling through a quarantine pool. */
#include "rt.h"

#include <stdio.h>

enum { CTX_BG, CTX_CANCEL, CTX_TIMEOUT };

struct tt_ctx {
    rt_pooled pooled;
    int kind;
    atomic_int err;
    atomic_uint gen;          /* bumped at each release (see rt.h, handles) */
    _Atomic uint64_t timeout_bits; /* bit g % 64: generation g ended with TT_TIMEOUT */
    bool live;    /* created and not yet released (by a first tt_ctx_cancel) */
    bool expired; /* its own timeout fired */
    tt_ctx *parent, *children, *sib_prev, *sib_next;
    tt_ctx *live_prev, *live_next;
    tt_ctx *work_next; /* cancel_tree's work list */
    rt_timer tm;
    int64_t timeout_ms;
    const char *file;
    int line;
    tt_chan done;
};

static pthread_mutex_t ctx_mu = PTHREAD_MUTEX_INITIALIZER;
static tt_ctx background = { .kind = CTX_BG };
/* What a handle to a released context sees: a closed done channel. */
static tt_ctx released_ctx = { .kind = CTX_CANCEL };
static tt_chan released_done = { .mu = PTHREAD_MUTEX_INITIALIZER, .closed = true, .kind = RT_CH_DONE,
                                 .owner = &released_ctx };
static tt_ctx *ctx_live;
static rt_pool ctx_pool = RT_POOL_INIT(NULL);
atomic_int rt_ctx_pending_timeouts;

tt_ctx *tt_ctx_background(void)
{
    return &background;
}

static void child_unlink(tt_ctx *c)
{
    tt_ctx *p = c->parent;
    if (!p)
        return;
    if (c->sib_prev)
        c->sib_prev->sib_next = c->sib_next;
    else
        p->children = c->sib_next;
    if (c->sib_next)
        c->sib_next->sib_prev = c->sib_prev;
    c->parent = c->sib_prev = c->sib_next = NULL;
}

/* Cancel ctx and its descendants with err (ctx_mu held). Iterative, so a deep
 * chain of contexts cannot overflow a task's stack. */
static void cancel_tree(tt_ctx *root, int err)
{
    if (atomic_load(&root->err) != TT_OK)
        return;
    child_unlink(root);
    root->work_next = NULL;
    tt_ctx *work = root;
    while (work) {
        tt_ctx *c = work;
        work = c->work_next;
        if (atomic_load(&c->err) != TT_OK)
            continue;
        atomic_store(&c->err, err);
        if (c->kind == CTX_TIMEOUT && rt_timer_del(&c->tm))
            atomic_fetch_sub(&rt_ctx_pending_timeouts, 1);
        rt_chan_close_quiet(&c->done);
        for (tt_ctx *k = c->children, *next; k; k = next) {
            next = k->sib_next;
            k->parent = k->sib_prev = k->sib_next = NULL;
            k->work_next = work;
            work = k;
        }
        c->children = NULL;
    }
}

/* The context a handle names; *current is false when it was released since
 * (a stale handle: that context was canceled). */
static tt_ctx *ctx_of(tt_ctx *h, bool *current)
{
    tt_ctx *c = h ? rt_handle_obj(h) : &background;
    *current = c == &background || rt_handle_current(h, atomic_load(&c->gen));
    return c;
}

/* The error the generation a stale handle names ended with: exact for the
 * last 64 releases of the object, TT_CANCELED beyond. */
static int released_err(const tt_ctx *c, const tt_ctx *h)
{
    uint32_t g = atomic_load(&c->gen);
    uint32_t since = (g - rt_handle_gen(h)) & 0xFFFFu; /* releases since h was current */
    if (since == 0 || since > 64)
        return TT_CANCELED;
    return atomic_load(&c->timeout_bits) >> ((g - since) % 64) & 1 ? TT_TIMEOUT : TT_CANCELED;
}

static tt_ctx *ctx_new(tt_ctx *parent_h, int kind, int64_t ms, const char *file, int line)
{
    (void)rt_self();
    tt_ctx *c = (tt_ctx *)rt_pool_get(&ctx_pool);
    if (c) {
        rt_chan_reset(&c->done, file, line);
    } else {
        c = rt_handle_alloc(sizeof *c);
        rt_chan_init(&c->done, 0, 0, NULL, RT_CH_DONE, file, line);
        c->done.owner = c;
        c->tm.heap_idx = -1;
    }

    pthread_mutex_lock(&ctx_mu);
    bool parent_current;
    tt_ctx *parent = ctx_of(parent_h, &parent_current);
    c->kind = kind;
    c->expired = false;
    c->timeout_ms = ms;
    c->file = file;
    c->line = line;
    c->parent = c->children = c->sib_prev = c->sib_next = NULL;
    atomic_store(&c->err, TT_OK);
    c->live = true;
    c->live_prev = NULL;
    c->live_next = ctx_live;
    if (ctx_live)
        ctx_live->live_prev = c;
    ctx_live = c;
    int perr = parent == &background ? TT_OK
               : parent_current         ? atomic_load(&parent->err)
                                        : released_err(parent, parent_h);
    if (perr != TT_OK) {
        cancel_tree(c, perr);
    } else if (parent != &background) {
        c->parent = parent;
        c->sib_next = parent->children;
        if (parent->children)
            parent->children->sib_prev = c;
        parent->children = c;
    }
    if (kind == CTX_TIMEOUT && atomic_load(&c->err) == TT_OK) {
        if (ms <= 0) {
            c->expired = true;
            cancel_tree(c, TT_TIMEOUT);
        } else {
            c->tm.kind = RT_TM_CTX;
            c->tm.obj = c;
            c->tm.when = rt_now_ms() + ms;
            atomic_fetch_add(&rt_ctx_pending_timeouts, 1);
            rt_timer_add(&c->tm);
        }
    }
    tt_ctx *h = rt_handle(c, atomic_load(&c->gen));
    pthread_mutex_unlock(&ctx_mu);
    return h;
}

tt_ctx *tt_ctx_with_cancel_at(tt_ctx *parent, const char *file, int line)
{
    return ctx_new(parent, CTX_CANCEL, 0, file, line);
}

tt_ctx *tt_ctx_with_timeout_at(tt_ctx *parent, int64_t ms, const char *file, int line)
{
    return ctx_new(parent, CTX_TIMEOUT, ms, file, line);
}

tt_ctx *(tt_ctx_with_cancel)(tt_ctx *parent)
{
    return ctx_new(parent, CTX_CANCEL, 0, NULL, 0);
}

tt_ctx *(tt_ctx_with_timeout)(tt_ctx *parent, int64_t ms)
{
    return ctx_new(parent, CTX_TIMEOUT, ms, NULL, 0);
}

void tt_ctx_cancel(tt_ctx *h)
{
    if (!h || h == &background)
        return;
    pthread_mutex_lock(&ctx_mu);
    bool current;
    tt_ctx *ctx = ctx_of(h, &current);
    if (!current) { /* canceled and released already: nothing more to do */
        pthread_mutex_unlock(&ctx_mu);
        return;
    }
    cancel_tree(ctx, TT_CANCELED);
    if (ctx->live) {
        /* Recycle it after the quarantine; handles to it are stale now. */
        ctx->live = false;
        uint64_t bit = UINT64_C(1) << (atomic_load(&ctx->gen) % 64);
        if (atomic_load(&ctx->err) == TT_TIMEOUT)
            atomic_fetch_or(&ctx->timeout_bits, bit);
        else
            atomic_fetch_and(&ctx->timeout_bits, ~bit);
        atomic_fetch_add(&ctx->gen, 1);
        if (ctx->live_prev)
            ctx->live_prev->live_next = ctx->live_next;
        else
            ctx_live = ctx->live_next;
        if (ctx->live_next)
            ctx->live_next->live_prev = ctx->live_prev;
        rt_pool_put(&ctx_pool, &ctx->pooled);
    }
    pthread_mutex_unlock(&ctx_mu);
}

void rt_ctx_expire(tt_ctx *ctx, uint64_t seq)
{
    pthread_mutex_lock(&ctx_mu);
    /* seq tells a stale firing (ctx recycled and re-armed) from a real one. */
    if (ctx->tm.seq == seq && ctx->kind == CTX_TIMEOUT && atomic_load(&ctx->err) == TT_OK) {
        ctx->expired = true;
        cancel_tree(ctx, TT_TIMEOUT);
    }
    pthread_mutex_unlock(&ctx_mu);
    /* The timer thread popped it, so it is no longer pending. Any task it
     * woke is already counted as running; if none was, check for deadlock. */
    atomic_fetch_sub(&rt_ctx_pending_timeouts, 1);
    if (rt_sched_running(atomic_load(&rt_sched)) == 0)
        rt_deadlock_check();
}

tt_chan *tt_ctx_done(tt_ctx *h)
{
    bool current;
    tt_ctx *c = ctx_of(h, &current);
    return c == &background ? NULL : current ? &c->done : &released_done;
}

int tt_ctx_err(tt_ctx *h)
{
    tt_ctx *c = h ? rt_handle_obj(h) : &background;
    if (c == &background)
        return TT_OK;
    int err = atomic_load(&c->err);
    /* Checked after the read: a release bumps gen before a reuse resets err. */
    if (!rt_handle_current(h, atomic_load(&c->gen)))
        return released_err(c, h);
    return err;
}

void rt_ctx_describe(const tt_ctx *ctx, char *buf, size_t n)
{
    char at[160];
    if (ctx == &released_ctx) {
        snprintf(buf, n, "a context canceled and released before");
    } else if (!ctx || ctx->kind == CTX_BG) {
        snprintf(buf, n, "the background context");
    } else if (ctx->kind == CTX_TIMEOUT) {
        snprintf(buf, n, "context created by tt_ctx_with_timeout(%lld) at %s", (long long)ctx->timeout_ms,
                 rt_site(at, sizeof at, ctx->file, ctx->line));
    } else {
        snprintf(buf, n, "context created by tt_ctx_with_cancel at %s", rt_site(at, sizeof at, ctx->file, ctx->line));
    }
}

void rt_ctx_report_all(int *count)
{
    char what[224];
    pthread_mutex_lock(&ctx_mu);
    for (tt_ctx *c = ctx_live; c; c = c->live_next) {
        rt_ctx_describe(c, what, sizeof what);
        int err = atomic_load(&c->err);
        const char *why = c->expired ? " (it expired on its own; tt_ctx_cancel is still required)"
                          : err != TT_OK ? " (only its parent was canceled)"
                                         : "";
        rt_report_held("leaked context: %s, never canceled%s", what, why);
        (*count)++;
    }
    pthread_mutex_unlock(&ctx_mu);
}
