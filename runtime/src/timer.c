/* timer.c — one timer thread over a min-heap of CLOCK_MONOTONIC deadlines:
 * tickers, tt_after channels and context timeouts. */
#include "rt.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

struct tt_ticker {
    rt_pooled pooled;
    rt_timer tm;
    tt_chan ch;
    int64_t buf[1];
    atomic_uint state; /* generation << 1 | stopped (see rt.h, handles) */
    bool live; /* on the live list (tk_mu) */
    const char *file;
    int line;
    tt_ticker *live_prev, *live_next;
};

static pthread_mutex_t tm_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t tm_cv;
/* Signaled when a timer's firing ends, for tt_ticker_stop, which waits out
 * a tick of its own ticker in flight (rt_timer.firing), and only that: the
 * timer thread is never idle while it is behind, so waiting for it to finish
 * every due timer could take as long as the overload lasts. */
static pthread_cond_t fired_cv = PTHREAD_COND_INITIALIZER;
static int fired_waiters;
/* The earliest deadline (heap[0]->when, or INT64_MAX), for rt_timer_help's
 * lock-free look. */
static _Atomic int64_t next_when = INT64_MAX;
static rt_timer **heap;
static size_t hn, hcap;
static pthread_once_t start_once = PTHREAD_ONCE_INIT;

static pthread_mutex_t tk_mu = PTHREAD_MUTEX_INITIALIZER; /* live tickers */
static tt_ticker *tk_live;

static bool chan_busy(rt_pooled *o);
static bool ticker_busy(rt_pooled *o);
static rt_pool after_pool = RT_POOL_INIT(chan_busy);
static rt_pool ticker_pool = RT_POOL_INIT(ticker_busy);

int64_t rt_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Tick values are wall-clock milliseconds since the epoch, like Go's time. */
static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the heap (tm_mu held) ---------------------------------------------- */
static void heap_set(size_t i, rt_timer *t)
{
    heap[i] = t;
    t->heap_idx = (int)i;
}

static void sift_up(size_t i)
{
    rt_timer *t = heap[i];
    while (i > 0 && heap[(i - 1) / 2]->when > t->when) {
        heap_set(i, heap[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
    heap_set(i, t);
}

static void sift_down(size_t i)
{
    rt_timer *t = heap[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= hn)
            break;
        if (c + 1 < hn && heap[c + 1]->when < heap[c]->when)
            c++;
        if (heap[c]->when >= t->when)
            break;
        heap_set(i, heap[c]);
        i = c;
    }
    heap_set(i, t);
}

static void note_next(void)
{
    atomic_store_explicit(&next_when, hn ? heap[0]->when : INT64_MAX, memory_order_relaxed);
}

static void heap_remove(rt_timer *t)
{
    size_t i = (size_t)t->heap_idx;
    t->heap_idx = -1;
    hn--;
    if (i < hn) {
        heap_set(i, heap[hn]);
        sift_down(i);
        sift_up((size_t)heap[i]->heap_idx);
    }
    note_next();
}

static void heap_push(rt_timer *t)
{
    if (hn == hcap) {
        size_t nc = hcap ? hcap * 2 : 64;
        rt_timer **nh = realloc(heap, nc * sizeof *nh);
        if (!nh)
            rt_fatal("out of memory growing the timer heap");
        heap = nh;
        hcap = nc;
    }
    heap_set(hn++, t);
    sift_up(hn - 1);
    note_next();
    if (t->heap_idx == 0)
        pthread_cond_signal(&tm_cv); /* the timer thread sleeps until the old first */
}

/* ---- firing: by the timer thread, and by tasks when it falls behind -------- */
static void fire(int kind, void *obj, uint64_t seq)
{
    int64_t now = wall_ms();
    switch (kind) {
    case RT_TM_AFTER: {
        tt_chan *ch = obj;
        rt_chan_offer(ch, &now);
        atomic_fetch_sub(&ch->timer_src, 1); /* after any wake-up it made */
        rt_pool_put(&after_pool, &ch->pooled);
        break;
    }
    case RT_TM_TICKER: {
        tt_ticker *t = obj;
        rt_chan_offer(&t->ch, &now); /* dropped when the buffer is full */
        break;
    }
    case RT_TM_CTX:
        rt_ctx_expire(obj, seq);
        break;
    default:
        break;
    }
}

/* Fire the first timer if it is due at now (tm_mu held, released while
 * firing). A ticker goes back into the heap after its tick, not before, so
 * that two threads never fire the same ticker at once (its ticks stay in
 * order) and tt_ticker_stop can take it out for good. */
static bool fire_one(int64_t now)
{
    if (hn == 0 || heap[0]->when > now)
        return false;
    rt_timer *t = heap[0];
    heap_remove(t);
    int kind = t->kind;
    void *obj = t->obj;
    uint64_t seq = t->seq;
    t->firing++;
    pthread_mutex_unlock(&tm_mu);
    fire(kind, obj, seq);
    pthread_mutex_lock(&tm_mu);
    t->firing--;
    if (kind == RT_TM_TICKER && !t->removed && t->heap_idx < 0) {
        t->when += t->period;
        if (t->when <= now) /* fell behind: skip the missed ticks */
            t->when = now + t->period;
        heap_push(t);
    }
    if (fired_waiters)
        pthread_cond_broadcast(&fired_cv);
    return true;
}

/* A task about to park or sleep fires a few due timers when the timer thread
 * is late. With more runnable tasks than CPUs the timer thread gets only its
 * fair share of a CPU, 1/N of what it needs: it fell further and further
 * behind (ticks and tt_after seconds late in the stress test). The tasks that
 * make and wait on timers now carry their share of the firing, as Go's
 * scheduler runs timers on every P. */
enum { HELP_LAG_MS = 2, HELP_MAX = 4 };

void rt_timer_help(void)
{
    int64_t next = atomic_load_explicit(&next_when, memory_order_relaxed);
    if (next == INT64_MAX)
        return;
    int64_t now = rt_now_ms();
    if (now - next < HELP_LAG_MS || pthread_mutex_trylock(&tm_mu) != 0)
        return;
    for (int i = 0; i < HELP_MAX && fire_one(now); i++)
        ;
    pthread_mutex_unlock(&tm_mu);
}

static void *timer_main(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&tm_mu);
        for (;;) {
            if (hn == 0) {
                pthread_cond_wait(&tm_cv, &tm_mu);
                continue;
            }
            int64_t wait = heap[0]->when - rt_now_ms();
            if (wait <= 0)
                break;
            struct timespec ts;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            ts.tv_sec += (time_t)(wait / 1000);
            ts.tv_nsec += (long)(wait % 1000) * 1000000L;
            if (ts.tv_nsec >= 1000000000L) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&tm_cv, &tm_mu, &ts);
        }

        while (fire_one(rt_now_ms()))
            ;
        pthread_mutex_unlock(&tm_mu);
    }
    return NULL;
}

static void timer_start(void)
{
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&tm_cv, &ca);
    pthread_condattr_destroy(&ca);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t th;
    if (pthread_create(&th, &attr, timer_main, NULL) != 0)
        rt_fatal("cannot start the timer thread");
    pthread_attr_destroy(&attr);
}

void rt_timer_add(rt_timer *t)
{
    pthread_once(&start_once, timer_start);
    pthread_mutex_lock(&tm_mu);
    t->seq++;
    t->removed = false;
    heap_push(t);
    pthread_mutex_unlock(&tm_mu);
}

bool rt_timer_del(rt_timer *t)
{
    pthread_mutex_lock(&tm_mu);
    bool pending = t->heap_idx >= 0;
    if (pending)
        heap_remove(t);
    pthread_mutex_unlock(&tm_mu);
    return pending;
}

bool rt_timer_del_wait(rt_timer *t)
{
    pthread_mutex_lock(&tm_mu);
    bool pending = t->heap_idx >= 0;
    t->removed = true; /* a firing under way will not put it back */
    if (pending)
        heap_remove(t);
    while (t->firing) {
        fired_waiters++;
        pthread_cond_wait(&fired_cv, &tm_mu);
        fired_waiters--;
    }
    pthread_mutex_unlock(&tm_mu);
    return pending;
}

/* ---- tt_after -------------------------------------------------------------- */
static bool chan_busy(rt_pooled *o)
{
    return rt_chan_has_waiters((tt_chan *)o);
}

tt_chan *tt_after_at(int64_t ms, const char *file, int line)
{
    (void)rt_self();
    tt_chan *ch = (tt_chan *)rt_pool_get(&after_pool);
    if (ch) {
        rt_chan_reset(ch, file, line);
    } else {
        ch = rt_xcalloc(1, sizeof *ch + sizeof(int64_t));
        rt_chan_init(ch, sizeof(int64_t), 1, (unsigned char *)(ch + 1), RT_CH_AFTER, file, line);
    }
    ch->after_ms = ms;
    if (ms <= 0) {
        int64_t now = wall_ms();
        rt_chan_offer(ch, &now);
        rt_pool_put(&after_pool, &ch->pooled);
        return ch;
    }
    atomic_store(&ch->timer_src, 1);
    ch->tm.kind = RT_TM_AFTER;
    ch->tm.obj = ch;
    ch->tm.when = rt_now_ms() + ms;
    rt_timer_add(&ch->tm);
    return ch;
}

tt_chan *(tt_after)(int64_t ms)
{
    return tt_after_at(ms, NULL, 0);
}

/* ---- tickers --------------------------------------------------------------- */
static bool ticker_busy(rt_pooled *o)
{
    return rt_chan_has_waiters(&((tt_ticker *)o)->ch);
}

tt_ticker *tt_ticker_new_at(int64_t period_ms, const char *file, int line)
{
    char at[160];
    (void)rt_self();
    if (period_ms <= 0) {
        rt_report("non-positive interval %lld for tt_ticker_new at %s", (long long)period_ms,
                  rt_site(at, sizeof at, file, line));
        return NULL;
    }
    tt_ticker *t = (tt_ticker *)rt_pool_get(&ticker_pool);
    if (t) {
        rt_chan_reset(&t->ch, file, line);
    } else {
        t = rt_handle_alloc(sizeof *t);
        rt_chan_init(&t->ch, sizeof(int64_t), 1, (unsigned char *)t->buf, RT_CH_TICKER, file, line);
        t->ch.owner = t;
        t->tm.heap_idx = -1;
    }
    t->file = file;
    t->line = line;
    uint32_t gen = atomic_load(&t->state) >> 1; /* bumped by the last stop */
    atomic_store(&t->state, gen << 1);
    atomic_store(&t->ch.timer_src, 1);
    t->tm.kind = RT_TM_TICKER;
    t->tm.obj = t;
    t->tm.period = period_ms;
    t->tm.when = rt_now_ms() + period_ms;

    pthread_mutex_lock(&tk_mu);
    t->live = true;
    t->live_prev = NULL;
    t->live_next = tk_live;
    if (tk_live)
        tk_live->live_prev = t;
    tk_live = t;
    pthread_mutex_unlock(&tk_mu);
    rt_timer_add(&t->tm);
    return rt_handle(t, gen);
}

tt_ticker *(tt_ticker_new)(int64_t period_ms)
{
    return tt_ticker_new_at(period_ms, NULL, 0);
}

/* A stopped ticker's handle is stale: it has no channel (a nil channel
 * blocks forever, as the stopped ticker's would); one obtained before the
 * stop stays valid. */
tt_chan *tt_ticker_chan(tt_ticker *h)
{
    if (!h)
        return NULL;
    tt_ticker *t = rt_handle_obj(h);
    return rt_handle_current(h, atomic_load(&t->state) >> 1) ? &t->ch : NULL;
}

void tt_ticker_stop(tt_ticker *h)
{
    if (!h)
        return;
    tt_ticker *t = rt_handle_obj(h);
    /* Mark it stopped and make every handle to it stale in one step: a stop
     * through an old handle never reaches a ticker that reuses the memory. */
    uint32_t st = atomic_load(&t->state);
    do {
        if (!rt_handle_current(h, st >> 1))
            return; /* stopped already */
    } while (!atomic_compare_exchange_weak(&t->state, &st, (((st >> 1) + 1) << 1) | 1u));
    rt_timer_del_wait(&t->tm); /* no tick is in flight once stop returns */
    atomic_store(&t->ch.timer_src, 0);
    pthread_mutex_lock(&tk_mu);
    if (t->live) {
        t->live = false;
        if (t->live_prev)
            t->live_prev->live_next = t->live_next;
        else
            tk_live = t->live_next;
        if (t->live_next)
            t->live_next->live_prev = t->live_prev;
    }
    pthread_mutex_unlock(&tk_mu);
    /* The channel stays valid: the pool keeps it while a task waits on it. */
    rt_pool_put(&ticker_pool, &t->pooled);
}

void rt_ticker_describe(const tt_ticker *t, char *buf, size_t n)
{
    char at[160];
    snprintf(buf, n, "channel of ticker created at %s (period %lld ms%s)", rt_site(at, sizeof at, t->file, t->line),
             (long long)t->tm.period, atomic_load(&t->state) & 1u ? ", stopped: it will never tick again" : "");
}

void rt_ticker_report_all(int *count)
{
    char at[160];
    pthread_mutex_lock(&tk_mu);
    for (tt_ticker *t = tk_live; t; t = t->live_next) {
        rt_report_held("leaked ticker: created at %s (period %lld ms), never stopped",
                  rt_site(at, sizeof at, t->file, t->line), (long long)t->tm.period);
        (*count)++;
    }
    pthread_mutex_unlock(&tk_mu);
}
