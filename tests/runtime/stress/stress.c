/* stress.c — libtether under load: thousands of tasks hammer shared channels
 * (buffered and unbuffered), selects (send and receive cases, defaults,
 * timeouts, tickers, the same channel twice, more than 16 cases), context
 * trees (cancel, timeouts, concurrent cancels), tickers, wait groups and
 * mutexes, for a given time. Then it checks:
 *
 *   - every value sent was received exactly once (count, sum and xor of a
 *     hash of each value), and no value was torn (each carries its hash);
 *   - the mutex-protected counters equal the number of increments made;
 *   - the contexts, tickers and wait groups kept their contracts throughout
 *     (checked inline, see the FAIL calls);
 *   - tt_verify_none finds exactly the tasks leaked on purpose (--leak K),
 *     and after the releasable ones are released, exactly the rest.
 *
 * Usage: stress [--ms MS] [--tasks N] [--leak K] [--seed S]
 * Prints a summary ("stress: ok: ...", operation counts) and exits 0, or each
 * failure and exits 1. A watchdog ends a run that hangs (exit 1, with
 * tt_verify_none's description of every blocked task). */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "tether.h"

/* ---- configuration, statistics, failures ---------------------------------- */
static struct {
    int64_t ms;
    int tasks;
    int leak;
    uint64_t seed;
} cfg = { 3000, 1000, 0, 1 };

enum {
    S_OPS,        /* tether calls made by the workers */
    S_SENT,       /* values whose send completed */
    S_RECV,       /* values received */
    S_SENT_SUM,
    S_RECV_SUM,
    S_SENT_XOR,
    S_RECV_XOR,
    S_TIMEOUTS,   /* select timeout cases taken */
    S_DEFAULTS,   /* tt_select_default found nothing ready */
    S_TICKS,
    S_CTX,        /* contexts created */
    S_TREES,
    S_TICKERS,
    S_SPAWNS,
    S_LOCKS,
    S_WG_ROUNDS,
    S_LATE_MAX,   /* the latest first tick of a ticker, ms after its period */
    S_LATE_100,   /* first ticks more than 100 ms late */
    S_NSTATS
};
static const char *const stat_names[S_NSTATS] = {
    "ops", "sent", "received", NULL, NULL, NULL, NULL, "timeouts", "defaults", "ticks",
    "contexts", "ctx_trees", "tickers", "spawns", "locks", "wg_rounds", "max_tick_lateness_ms", "ticks_100ms_late",
};
static _Atomic uint64_t stats[S_NSTATS];
static atomic_int failures;

__attribute__((format(printf, 3, 4))) static void fail_at(const char *file, int line, const char *fmt, ...)
{
    if (atomic_fetch_add(&failures, 1) >= 20)
        return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "stress: FAIL at %s:%d: %s\n", file, line, msg);
}
#define FAIL(...) fail_at(__FILE__, __LINE__, __VA_ARGS__)

/* Per-task statistics, added to the totals once when the task ends. */
typedef struct local {
    uint64_t s[S_NSTATS];
} local;

static void local_flush(local *l)
{
    for (int i = 0; i < S_NSTATS; i++) {
        if (i == S_SENT_XOR || i == S_RECV_XOR) {
            atomic_fetch_xor(&stats[i], l->s[i]);
        } else if (i == S_LATE_MAX) {
            uint64_t cur = atomic_load(&stats[i]);
            while (l->s[i] > cur && !atomic_compare_exchange_weak(&stats[i], &cur, l->s[i]))
                ;
        } else {
            atomic_fetch_add(&stats[i], l->s[i]);
        }
    }
}

/* ---- values and randomness ------------------------------------------------- */
static uint64_t mix(uint64_t x)
{
    x += UINT64_C(0x9E3779B97F4A7C15);
    x = (x ^ (x >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    x = (x ^ (x >> 27)) * UINT64_C(0x94D049BB133111EB);
    return x ^ (x >> 31);
}

typedef struct item {
    uint64_t v;     /* producer id << 40 | sequence number */
    uint64_t check; /* mix(v): a torn or corrupted copy does not match */
} item;

static void item_sent(local *l, const item *it)
{
    uint64_t h = mix(it->v);
    l->s[S_SENT]++;
    l->s[S_SENT_SUM] += h;
    l->s[S_SENT_XOR] ^= h;
}

static void item_received(local *l, const item *it)
{
    if (it->check != mix(it->v))
        FAIL("corrupted value %#" PRIx64 " (check %#" PRIx64 ")", it->v, it->check);
    uint64_t h = mix(it->v);
    l->s[S_RECV]++;
    l->s[S_RECV_SUM] += h;
    l->s[S_RECV_XOR] ^= h;
}

static bool is_zero(const item *it)
{
    return it->v == 0 && it->check == 0;
}

typedef struct rng {
    uint64_t s;
} rng;

static rng rng_for(int kind, int id)
{
    rng r = { mix(cfg.seed ^ mix((uint64_t)kind << 32 | (uint32_t)id)) | 1 };
    return r;
}

static uint32_t below(rng *r, uint32_t n)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return (uint32_t)((r->s * UINT64_C(0x2545F4914F6CDD1D)) >> 32) % n;
}

static int64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the shared world -------------------------------------------------------- */
enum { NIN = 8, NOUT = 4, NMU = 4 };
static const size_t in_caps[NIN] = { 0, 0, 1, 4, 0, 16, 2, 64 };
static const size_t out_caps[NOUT] = { 0, 3, 0, 32 };
static tt_chan *in_ch[NIN];   /* producers -> relays */
static tt_chan *out_ch[NOUT]; /* relays -> consumers */
static tt_ctx *stop;          /* canceled by main when the time is up */
static tt_ticker *shared_ticker;
static tt_mutex mus[NMU] = { TT_MUTEX_INIT, TT_MUTEX_INIT, TT_MUTEX_INIT, TT_MUTEX_INIT };
static long mu_counter[NMU]; /* guarded by mus[i], deliberately not atomic */

static tt_wg producers_wg = TT_WG_INIT, relays_wg = TT_WG_INIT, consumers_wg = TT_WG_INIT,
             others_wg = TT_WG_INIT;

static bool stopping(void)
{
    return tt_ctx_err(stop) != TT_OK;
}

/* The time a select waits for a case with a timeout: 1-3 ms. */
static tt_chan *short_timeout(rng *r)
{
    return tt_after(1 + below(r, 3));
}

/* ---- producers: send values by every kind of operation ---------------------- */
static void producer(void *arg)
{
    int id = (int)(intptr_t)arg;
    rng r = rng_for(1, id);
    local l = { { 0 } };
    tt_chan *a = in_ch[id % NIN], *b = in_ch[(id / NIN + id + 1) % NIN];
    tt_chan *done = tt_ctx_done(stop), *tick = tt_ticker_chan(shared_ticker);
    uint64_t seq = 1;
    while (!stopping()) {
        item it = { (uint64_t)(id + 1) << 40 | seq, 0 };
        it.check = mix(it.v);
        bool sent = false;
        int64_t tv = 0;
        l.s[S_OPS]++;
        switch (below(&r, 6)) {
        case 0:
            if (tt_send(a, &it) != TT_OK)
                FAIL("tt_send on an open channel failed");
            sent = true;
            break;
        case 1: {
            tt_case cs[] = { TT_SEND(a, &it), TT_SEND(b, &it), TT_RECV(done, NULL) };
            int k = tt_select(cs, 3);
            if (k == 2) {
                if (cs[2].ok)
                    FAIL("a receive from a done channel returned a value");
            } else if (k < 0 || !cs[k].ok) {
                FAIL("send case %d returned without sending", k);
            } else {
                sent = true;
            }
            break;
        }
        case 2: {
            tt_case cs[] = { TT_SEND(a, &it), TT_RECV(short_timeout(&r), &tv) };
            int k = tt_select(cs, 2);
            if (k == 0) {
                sent = cs[0].ok;
                if (!sent)
                    FAIL("send case returned without sending");
            } else {
                l.s[S_TIMEOUTS]++;
                if (k != 1 || !cs[1].ok || tv <= 0)
                    FAIL("timeout case: index %d ok %d value %" PRId64, k, cs[1].ok, tv);
            }
            break;
        }
        case 3: {
            tt_case cs[] = { TT_SEND(a, &it), TT_SEND(b, &it) };
            int k = tt_select_default(cs, 2);
            if (k == TT_DEFAULT) {
                /* Nothing ready: block instead (no busy loop). */
                l.s[S_DEFAULTS]++;
                if (tt_send(a, &it) != TT_OK)
                    FAIL("tt_send on an open channel failed");
                sent = true;
            } else if (k < 0 || k > 1 || !cs[k].ok) {
                FAIL("tt_select_default returned %d", k);
            } else {
                sent = true;
            }
            break;
        }
        default: {
            tt_case cs[] = { TT_SEND(b, &it), TT_RECV(tick, &tv), TT_RECV(done, NULL) };
            int k = tt_select(cs, 3);
            if (k == 0) {
                sent = cs[0].ok;
            } else if (k == 1) {
                l.s[S_TICKS]++;
                if (!cs[1].ok || tv <= 0)
                    FAIL("tick without a value");
            }
            break;
        }
        }
        if (sent) {
            item_sent(&l, &it);
            seq++;
        }
    }
    local_flush(&l);
    tt_wg_done(&producers_wg);
}

/* ---- relays: select with send and receive cases at once ------------------------ */
static void relay(void *arg)
{
    int id = (int)(intptr_t)arg;
    rng r = rng_for(2, id);
    local l = { { 0 } };
    tt_chan *in = in_ch[id % NIN], *o1 = out_ch[id % NOUT], *o2 = out_ch[(id + 1) % NOUT];
    tt_chan *tick = tt_ticker_chan(shared_ticker);
    item buf[4];
    int n = 0;
    bool in_open = true;
    while (in_open || n > 0) {
        item got = { 1, 1 };
        int64_t tv = 0;
        int extra = (int)below(&r, 4);
        tt_case cs[] = {
            TT_RECV(in_open && n < 4 ? in : NULL, &got),
            TT_SEND(n > 0 ? o1 : NULL, &buf[0]),
            TT_SEND(n > 0 ? o2 : NULL, &buf[0]),
            TT_RECV(extra == 0 ? short_timeout(&r) : NULL, NULL),
            TT_RECV(extra == 1 ? tick : NULL, &tv),
        };
        l.s[S_OPS]++;
        int k = tt_select(cs, 5);
        switch (k) {
        case 0:
            if (cs[0].ok) {
                item_received(&l, &got);
                item_sent(&l, &got); /* it goes on: counted once each way */
                buf[n++] = got;
            } else {
                in_open = false;
                if (!is_zero(&got))
                    FAIL("a receive from a closed channel did not zero its output");
            }
            break;
        case 1:
        case 2:
            if (!cs[k].ok)
                FAIL("relay send case %d returned without sending", k);
            memmove(buf, buf + 1, (size_t)(n - 1) * sizeof *buf);
            n--;
            break;
        case 3:
            l.s[S_TIMEOUTS]++;
            break;
        case 4:
            l.s[S_TICKS]++;
            break;
        default:
            FAIL("tt_select returned %d", k);
            in_open = false;
            n = 0;
        }
    }
    local_flush(&l);
    tt_wg_done(&relays_wg);
}

/* ---- consumers: receive until their channel is closed ---------------------------- */
static void consumer(void *arg)
{
    int id = (int)(intptr_t)arg;
    rng r = rng_for(3, id);
    local l = { { 0 } };
    tt_chan *p = out_ch[id % NOUT], *s = out_ch[(id / NOUT + id + 1) % NOUT];
    if (s == p)
        s = out_ch[(id + 1) % NOUT];
    bool s_open = true;
    for (bool open = true; open;) {
        item x = { 1, 1 }, y = { 1, 1 };
        l.s[S_OPS]++;
        switch (below(&r, 6)) {
        case 0:
            if (tt_recv(p, &x) == TT_OK) {
                item_received(&l, &x);
            } else {
                open = false;
                if (!is_zero(&x))
                    FAIL("tt_recv on a closed channel did not zero its output");
            }
            break;
        case 1: {
            tt_case cs[] = { TT_RECV(p, &x), TT_RECV(s_open ? s : NULL, &y) };
            int k = tt_select(cs, 2);
            if (k == 0 && cs[0].ok)
                item_received(&l, &x);
            else if (k == 1 && cs[1].ok)
                item_received(&l, &y);
            else if (k == 0)
                open = false;
            else
                s_open = false;
            break;
        }
        case 2: {
            tt_case cs[] = { TT_RECV(p, &x), TT_RECV(short_timeout(&r), NULL) };
            int k = tt_select(cs, 2);
            if (k == 0 && cs[0].ok)
                item_received(&l, &x);
            else if (k == 0)
                open = false;
            else
                l.s[S_TIMEOUTS]++;
            break;
        }
        case 3: {
            tt_case cs[] = { TT_RECV(p, &x), TT_RECV(s_open ? s : NULL, &y) };
            int k = tt_select_default(cs, 2);
            if (k == TT_DEFAULT) {
                /* Nothing ready: block instead (no busy loop). */
                l.s[S_DEFAULTS]++;
                k = tt_select(cs, 2);
            }
            if (k == 0 && cs[0].ok)
                item_received(&l, &x);
            else if (k == 1 && cs[1].ok)
                item_received(&l, &y);
            else if (k == 0)
                open = false;
            else
                s_open = false;
            break;
        }
        case 4: {
            /* The same channel in two cases. */
            tt_case cs[] = { TT_RECV(p, &x), TT_RECV(p, &y) };
            int k = tt_select(cs, 2);
            if (cs[k].ok)
                item_received(&l, k == 0 ? &x : &y);
            else
                open = false;
            break;
        }
        default: {
            /* More cases than select's on-stack arrays hold: the heap path. */
            enum { N = 18 };
            item v[N];
            tt_case cs[N];
            for (int i = 0; i < N; i++) {
                v[i] = (item){ 1, 1 };
                cs[i] = TT_RECV(i % 3 == 0 ? p : i % 3 == 1 && s_open ? s : NULL, &v[i]);
            }
            int k = tt_select(cs, N);
            if (k < 0 || k >= N || !cs[k].ch) {
                FAIL("tt_select returned %d", k);
                open = false;
            } else if (cs[k].ok) {
                item_received(&l, &v[k]);
            } else if (cs[k].ch == p) {
                open = false;
            } else {
                s_open = false;
            }
            break;
        }
        }
    }
    local_flush(&l);
    tt_wg_done(&consumers_wg);
}

/* ---- mutexes ----------------------------------------------------------------- */
static void locker(void *arg)
{
    int id = (int)(intptr_t)arg;
    rng r = rng_for(4, id);
    local l = { { 0 } };
    while (!stopping()) {
        int i = (int)below(&r, NMU);
        tt_mutex_lock(&mus[i]);
        long v = mu_counter[i];
        if (below(&r, 8) == 0)
            tt_sleep_ms(0); /* (returns at once) a call inside the critical section */
        mu_counter[i] = v + 1;
        tt_mutex_unlock(&mus[i]);
        l.s[S_LOCKS]++;
        l.s[S_OPS] += 2;
        if (below(&r, 4) == 0) {
            /* A pause that can be cut short by the stop. */
            tt_case cs[] = { TT_RECV(tt_ctx_done(stop), NULL), TT_RECV(short_timeout(&r), NULL) };
            tt_select(cs, 2);
            l.s[S_OPS]++;
        }
    }
    local_flush(&l);
    tt_wg_done(&others_wg);
}

/* ---- contexts: trees, cancels, timeouts ------------------------------------------ */
enum { TREE = 7 }; /* node i's parent is (i - 1) / 2; node 0's is stop */

typedef struct watch {
    tt_ctx *ctx;
    tt_wg *wg;
} watch;

/* Waits for a context to end; its owner cancels the tree after starting it. */
static void ctx_watcher(void *arg)
{
    watch *w = arg;
    int64_t t0 = mono_us();
    for (;;) {
        tt_case cs[] = { TT_RECV(tt_ctx_done(w->ctx), NULL), TT_RECV(tt_after(50), NULL) };
        if (tt_select(cs, 2) == 0) {
            if (cs[0].ok)
                FAIL("a receive from a done channel returned a value");
            if (tt_ctx_err(w->ctx) == TT_OK)
                FAIL("done channel closed but tt_ctx_err is TT_OK");
            break;
        }
        if (mono_us() - t0 > 60 * 1000000) {
            FAIL("a context was not canceled within 60 s of its tree's cancel");
            break;
        }
    }
    tt_wg_done(w->wg);
}

typedef struct cancel_job {
    tt_ctx *ctx;
    tt_wg *wg;
} cancel_job;

static void ctx_canceler(void *arg)
{
    cancel_job *j = arg;
    tt_ctx_cancel(j->ctx); /* races with the owner's cancel of an ancestor */
    tt_wg_done(j->wg);
}

static bool done_closed(tt_ctx *c)
{
    tt_case cs[] = { TT_RECV(tt_ctx_done(c), NULL) };
    return tt_select_default(cs, 1) == 0 && !cs[0].ok;
}

static void ctx_worker(void *arg)
{
    int id = (int)(intptr_t)arg;
    rng r = rng_for(5, id);
    local l = { { 0 } };
    while (!stopping()) {
        tt_ctx *node[TREE];
        bool timed[TREE];    /* a timeout on the path from node 0 to this node */
        int64_t tmo[TREE];   /* its own timeout, or 0 */
        int64_t eff[TREE];   /* the shortest timeout on that path, or 0 */
        int64_t t0 = mono_us();
        for (int i = 0; i < TREE; i++) {
            tt_ctx *parent = i == 0 ? stop : node[(i - 1) / 2];
            tmo[i] = i > 0 && below(&r, 3) == 0 ? 1 + below(&r, 20) : 0;
            node[i] = tmo[i] ? tt_ctx_with_timeout(parent, tmo[i]) : tt_ctx_with_cancel(parent);
            timed[i] = tmo[i] || (i > 0 && timed[(i - 1) / 2]);
            eff[i] = i == 0 ? 0 : eff[(i - 1) / 2];
            if (tmo[i] && (!eff[i] || tmo[i] < eff[i]))
                eff[i] = tmo[i];
        }
        l.s[S_CTX] += TREE;
        l.s[S_OPS] += TREE;
        for (int i = 0; i < TREE; i++) {
            int e = tt_ctx_err(node[i]);
            if (e != TT_OK && !timed[i] && !stopping())
                FAIL("context %d ended (%d) before anything canceled it", i, e);
        }

        /* Watchers on two descendants (alive until this task cancels them). */
        tt_wg wg = TT_WG_INIT;
        watch w[2];
        for (int k = 0; k < 2; k++) {
            w[k] = (watch){ node[1 + below(&r, TREE - 1)], &wg };
            tt_wg_add(&wg, 1);
            if (tt_spawn(ctx_watcher, &w[k]) != TT_OK) {
                FAIL("tt_spawn failed");
                tt_wg_done(&wg);
            }
            l.s[S_SPAWNS]++;
        }

        cancel_job cj = { node[1 + below(&r, 2)], &wg };
        switch (below(&r, 4)) {
        case 0:
            break;
        case 1:
            tt_sleep_ms(below(&r, 4));
            break;
        case 2:
            /* Another task cancels a child while this one cancels the root. */
            tt_wg_add(&wg, 1);
            if (tt_spawn(ctx_canceler, &cj) != TT_OK) {
                FAIL("tt_spawn failed");
                tt_wg_done(&wg);
            }
            l.s[S_SPAWNS]++;
            break;
        default: {
            /* Wait for a timeout to expire on its own, if the tree has one. */
            int i = 1;
            while (i < TREE && !tmo[i])
                i++;
            if (i == TREE)
                break;
            tt_recv(tt_ctx_done(node[i]), NULL);
            l.s[S_OPS]++;
            int64_t waited = mono_us() - t0;
            int e = tt_ctx_err(node[i]);
            /* Deadlines are whole milliseconds on the monotonic clock. */
            if (e == TT_TIMEOUT && waited < (eff[i] - 1) * 1000)
                FAIL("a timeout of %" PRId64 " ms expired after %" PRId64 " us", eff[i], waited);
            if (e != TT_TIMEOUT && (e != TT_CANCELED || !stopping()))
                FAIL("context with a timeout ended with %d", e);
            break;
        }
        }

        tt_ctx_cancel(node[0]); /* node 0 is released now: not looked at again */
        l.s[S_OPS]++;
        for (int i = 1; i < TREE; i++) {
            int e = tt_ctx_err(node[i]);
            if (e == TT_OK)
                FAIL("context %d not canceled with its root", i);
            else if (!timed[i] && e != TT_CANCELED)
                FAIL("context %d without a timeout ended with %d", i, e);
            if (!done_closed(node[i]))
                FAIL("context %d canceled but its done channel is open", i);
            l.s[S_OPS] += 2;
        }
        /* A child of a canceled context starts canceled. */
        tt_ctx *late = tt_ctx_with_cancel(node[1 + below(&r, TREE - 1)]);
        if (tt_ctx_err(late) == TT_OK || !done_closed(late))
            FAIL("a child of a canceled context started alive");
        tt_ctx_cancel(late);
        l.s[S_CTX]++;
        l.s[S_OPS] += 3;

        tt_wg_wait(&wg);
        /* The owner cancels every context it made, in a random order. */
        int order[TREE - 1];
        for (int i = 0; i < TREE - 1; i++)
            order[i] = i + 1;
        for (int i = TREE - 2; i > 0; i--) {
            int j = (int)below(&r, (uint32_t)i + 1), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (int i = 0; i < TREE - 1; i++)
            tt_ctx_cancel(node[order[i]]);
        l.s[S_OPS] += TREE;
        l.s[S_TREES]++;
    }
    local_flush(&l);
    tt_wg_done(&others_wg);
}

/* ---- tickers ------------------------------------------------------------------------ */
static void ticker_worker(void *arg)
{
    int id = (int)(intptr_t)arg;
    rng r = rng_for(6, id);
    local l = { { 0 } };
    tt_chan *done = tt_ctx_done(stop);
    while (!stopping()) {
        int64_t period = 1 + below(&r, 3);
        tt_ticker *t = tt_ticker_new(period);
        tt_chan *c = tt_ticker_chan(t);
        l.s[S_TICKERS]++;
        int64_t t0 = mono_us();
        int want = 1 + (int)below(&r, 4);
        for (int i = 0; i < want; i++) {
            int64_t tv = 0;
            tt_case cs[] = { TT_RECV(c, &tv), TT_RECV(done, NULL) };
            l.s[S_OPS]++;
            if (tt_select(cs, 2) == 1)
                break;
            if (i == 0) {
                /* How late the first tick was: the timer thread's latency. */
                int64_t late = (mono_us() - t0) / 1000 - period;
                if (late > (int64_t)l.s[S_LATE_MAX])
                    l.s[S_LATE_MAX] = (uint64_t)late;
                if (late > 100)
                    l.s[S_LATE_100]++;
            }
            if (!cs[0].ok || tv < wall_ms() - 600000 || tv > wall_ms())
                FAIL("tick %d: ok %d, value %" PRId64, i, cs[0].ok, tv);
            l.s[S_TICKS]++;
        }
        tt_ticker_stop(t);
        int64_t stopped_at = mono_us();
        if (tt_ticker_chan(t) != NULL)
            FAIL("a stopped ticker's handle still has a channel");
        /* One tick sent before the stop may remain in c; none arrives after
         * it. c is a plain pointer: past the pool's quarantine (1 s) it may
         * be another ticker's channel, so a check that came later (a stalled
         * task under ThreadSanitizer) tells nothing. */
        tt_case d[] = { TT_RECV(c, NULL) };
        tt_select_default(d, 1);
        if (below(&r, 4) == 0)
            tt_sleep_ms(period + 1);
        if (tt_select_default(d, 1) != TT_DEFAULT && mono_us() - stopped_at < 500000)
            FAIL("a tick arrived after tt_ticker_stop returned");
        l.s[S_OPS] += 5;
    }
    local_flush(&l);
    tt_wg_done(&others_wg);
}

/* ---- wait groups: fan out, fan in, waiters, adds from the workers -------------------- */
typedef struct fan {
    tt_wg wg;
    atomic_int ran;
    atomic_int woke;
    tt_chan *woke_ch; /* buffered */
    int grandchildren;
} fan;

static void fan_leaf(void *arg)
{
    fan *f = arg;
    atomic_fetch_add(&f->ran, 1);
    tt_wg_done(&f->wg);
}

static void fan_child(void *arg)
{
    fan *f = arg;
    atomic_fetch_add(&f->ran, 1);
    /* Adds made by a task the wait group counts, before its own done. */
    for (int i = 0; i < f->grandchildren; i++) {
        tt_wg_add(&f->wg, 1);
        if (tt_spawn(fan_leaf, f) != TT_OK) {
            FAIL("tt_spawn failed");
            tt_wg_done(&f->wg);
        }
    }
    tt_wg_done(&f->wg);
}

static void fan_waiter(void *arg)
{
    fan *f = arg;
    tt_wg_wait(&f->wg);
    atomic_fetch_add(&f->woke, 1);
    tt_send(f->woke_ch, NULL);
}

static void wg_worker(void *arg)
{
    int id = (int)(intptr_t)arg;
    rng r = rng_for(7, id);
    local l = { { 0 } };
    fan *f = calloc(1, sizeof *f);
    f->woke_ch = tt_chan_new(0, 4);
    while (!stopping()) {
        int children = 1 + (int)below(&r, 8), waiters = (int)below(&r, 3);
        f->grandchildren = (int)below(&r, 3);
        atomic_store(&f->ran, 0);
        atomic_store(&f->woke, 0);
        tt_wg_add(&f->wg, children);
        for (int i = 0; i < waiters; i++) {
            if (tt_spawn(fan_waiter, f) != TT_OK)
                FAIL("tt_spawn failed");
        }
        for (int i = 0; i < children; i++) {
            if (tt_spawn(fan_child, f) != TT_OK) {
                FAIL("tt_spawn failed");
                tt_wg_done(&f->wg);
            }
        }
        tt_wg_wait(&f->wg);
        int want = children * (1 + f->grandchildren);
        if (atomic_load(&f->ran) != want)
            FAIL("tt_wg_wait returned after %d of %d tasks", atomic_load(&f->ran), want);
        for (int i = 0; i < waiters; i++)
            tt_recv(f->woke_ch, NULL);
        if (atomic_load(&f->woke) != waiters)
            FAIL("%d of %d tt_wg_wait callers woke", atomic_load(&f->woke), waiters);
        l.s[S_SPAWNS] += (uint64_t)(want + waiters);
        l.s[S_OPS] += (uint64_t)(2 + 3 * want + 3 * waiters);
        l.s[S_WG_ROUNDS]++;
    }
    tt_chan_free(f->woke_ch);
    free(f);
    local_flush(&l);
    tt_wg_done(&others_wg);
}

/* ---- deliberate leaks --------------------------------------------------------------- */
static tt_chan *leak_ch;    /* unbuffered, nobody sends */
static tt_chan *leak_ch2;   /* buffered, nobody sends */
static tt_chan *leak_send_ch; /* unbuffered, main receives only at the release */
static tt_mutex leak_mu = TT_MUTEX_INIT;
static tt_ticker *leak_ticker; /* stopped: its task can never be released */
static tt_wg leak_wg = TT_WG_INIT; /* counts the releasable leaked tasks */

enum { LEAK_RECV, LEAK_SELECT, LEAK_MUTEX, LEAK_SEND, LEAK_TICKER, LEAK_KINDS };

static void leaked(void *arg)
{
    int kind = (int)(intptr_t)arg;
    int v = 1;
    switch (kind) {
    case LEAK_RECV:
        if (tt_recv(leak_ch, NULL) != TT_CLOSED)
            FAIL("leaked receiver released without the close");
        break;
    case LEAK_SELECT: {
        tt_case cs[] = { TT_RECV(leak_ch, NULL), TT_RECV(leak_ch2, NULL), TT_RECV(NULL, NULL) };
        int k = tt_select(cs, 3);
        if (k > 1 || cs[k].ok)
            FAIL("leaked select released without the close");
        break;
    }
    case LEAK_MUTEX:
        tt_mutex_lock(&leak_mu);
        tt_mutex_unlock(&leak_mu);
        break;
    case LEAK_SEND:
        if (tt_send(leak_send_ch, &v) != TT_OK)
            FAIL("leaked sender's value was not taken");
        break;
    default:
        for (;;)
            tt_recv(tt_ticker_chan(leak_ticker), NULL);
    }
    tt_wg_done(&leak_wg);
}

/* ---- the watchdog (a plain thread: not a tether task until it fires) ------------------- */
static atomic_int finished;
static atomic_llong watchdog_deadline_us;

static void *watchdog(void *arg)
{
    (void)arg;
    while (!atomic_load(&finished)) {
        if (mono_us() > atomic_load(&watchdog_deadline_us)) {
            fprintf(stderr, "stress: FAIL: hung (the watchdog fired); blocked tasks:\n");
            tt_verify_none(0);
            fflush(NULL);
            _exit(1);
        }
        struct timespec ts = { 0, 100 * 1000000L };
        nanosleep(&ts, NULL);
    }
    return NULL;
}

static void arm_watchdog(int64_t seconds)
{
    atomic_store(&watchdog_deadline_us, mono_us() + seconds * 1000000);
}

/* ---- main ------------------------------------------------------------------------------ */
static void usage(void)
{
    fprintf(stderr, "usage: stress [--ms MS] [--tasks N] [--leak K] [--seed S]\n");
    exit(2);
}

static long long num_arg(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc)
        usage();
    char *end;
    errno = 0;
    long long v = strtoll(argv[++*i], &end, 10);
    if (*end || errno || v < 0)
        usage();
    return v;
}

static void spawn_n(tt_fn fn, const char *name, int n, tt_wg *wg)
{
    for (int i = 0; i < n; i++) {
        tt_wg_add(wg, 1);
        int rc = tt_spawn_at(fn, (void *)(intptr_t)i, name, __FILE__, __LINE__);
        if (rc != TT_OK) {
            FAIL("tt_spawn of %s #%d failed (%d)", name, i, rc);
            tt_wg_done(wg);
        }
    }
    atomic_fetch_add(&stats[S_SPAWNS], (uint64_t)n);
}

static int at_least(int v, int min)
{
    return v < min ? min : v;
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--ms") == 0)
            cfg.ms = num_arg(argc, argv, &i);
        else if (strcmp(argv[i], "--tasks") == 0)
            cfg.tasks = (int)num_arg(argc, argv, &i);
        else if (strcmp(argv[i], "--leak") == 0)
            cfg.leak = (int)num_arg(argc, argv, &i);
        else if (strcmp(argv[i], "--seed") == 0)
            cfg.seed = (uint64_t)num_arg(argc, argv, &i);
        else
            usage();
    }
    if (cfg.tasks < 10 || cfg.tasks > 6000)
        usage();

    pthread_t wd;
    arm_watchdog(cfg.ms / 1000 + 120);
    if (pthread_create(&wd, NULL, watchdog, NULL) != 0) {
        perror("stress: pthread_create");
        return 1;
    }

    int64_t t_start = mono_us();
    for (int i = 0; i < NIN; i++)
        in_ch[i] = tt_chan_new(sizeof(item), in_caps[i]);
    for (int i = 0; i < NOUT; i++)
        out_ch[i] = tt_chan_new(sizeof(item), out_caps[i]);
    stop = tt_ctx_with_cancel(tt_ctx_background());
    shared_ticker = tt_ticker_new(1);
    leak_ch = tt_chan_new(sizeof(int), 0);
    leak_ch2 = tt_chan_new(sizeof(int), 2);
    leak_send_ch = tt_chan_new(sizeof(int), 0);
    leak_ticker = tt_ticker_new(1000);

    /* The deliberate leaks first, so they stay blocked through the whole run. */
    int leaks_permanent = 0, leaks_send = 0;
    tt_mutex_lock(&leak_mu);
    for (int i = 0; i < cfg.leak; i++) {
        int kind = i % LEAK_KINDS;
        if (kind == LEAK_TICKER)
            leaks_permanent++;
        else
            tt_wg_add(&leak_wg, 1);
        if (kind == LEAK_SEND)
            leaks_send++;
        if (tt_spawn(leaked, (void *)(intptr_t)kind) != TT_OK)
            FAIL("tt_spawn of a leaked task failed");
    }
    tt_ticker_stop(leak_ticker); /* its tasks now wait for a tick that never comes */

    int n = cfg.tasks;
    int nprod = at_least(n * 30 / 100, NIN), nrelay = at_least(n * 10 / 100, NIN),
        ncons = at_least(n * 20 / 100, NOUT), nlock = at_least(n * 10 / 100, 1),
        nctx = at_least(n * 10 / 100, 1), ntick = at_least(n / 100 < 16 ? n / 100 : 16, 1),
        nwg = at_least(n * 5 / 100, 1);
    spawn_n(consumer, "consumer", ncons, &consumers_wg);
    spawn_n(relay, "relay", nrelay, &relays_wg);
    spawn_n(producer, "producer", nprod, &producers_wg);
    spawn_n(locker, "locker", nlock, &others_wg);
    spawn_n(ctx_worker, "ctx_worker", nctx, &others_wg);
    spawn_n(ticker_worker, "ticker_worker", ntick, &others_wg);
    spawn_n(wg_worker, "wg_worker", nwg, &others_wg);
    int64_t t_spawned = mono_us();

    /* main blocks in tether calls too, so the deadlock detector looks at it. */
    tt_recv(tt_after(cfg.ms), NULL);
    arm_watchdog(120);
    tt_ctx_cancel(stop);
    int64_t t_stop = mono_us();

    /* Shut down in pipeline order: producers, then relays, then consumers. */
    tt_wg_wait(&producers_wg);
    for (int i = 0; i < NIN; i++)
        tt_close(in_ch[i]);
    tt_wg_wait(&relays_wg);
    for (int i = 0; i < NOUT; i++)
        tt_close(out_ch[i]);
    tt_wg_wait(&consumers_wg);
    tt_wg_wait(&others_wg);
    tt_ticker_stop(shared_ticker);
    int64_t t_end = mono_us();

    uint64_t s[S_NSTATS];
    for (int i = 0; i < S_NSTATS; i++)
        s[i] = atomic_load(&stats[i]);
    if (s[S_SENT] != s[S_RECV] || s[S_SENT_SUM] != s[S_RECV_SUM] || s[S_SENT_XOR] != s[S_RECV_XOR])
        FAIL("values: %" PRIu64 " sent, %" PRIu64 " received; sums %#" PRIx64 " / %#" PRIx64 "; xors %#" PRIx64
             " / %#" PRIx64,
             s[S_SENT], s[S_RECV], s[S_SENT_SUM], s[S_RECV_SUM], s[S_SENT_XOR], s[S_RECV_XOR]);
    long locked = 0;
    for (int i = 0; i < NMU; i++)
        locked += mu_counter[i];
    if ((uint64_t)locked != s[S_LOCKS])
        FAIL("mutex counters sum to %ld after %" PRIu64 " locked increments", locked, s[S_LOCKS]);
    for (int i = 0; i < NIN; i++)
        tt_chan_free(in_ch[i]);
    for (int i = 0; i < NOUT; i++)
        tt_chan_free(out_ch[i]);

    /* Leak check: exactly the leaked tasks; then, once the releasable ones
     * are released, exactly the permanent ones. */
    int grace = cfg.leak ? 1500 : 10000; /* with leaks it waits this long */
    int found = tt_verify_none(grace);
    if (found != cfg.leak)
        FAIL("tt_verify_none found %d leaks, %d tasks were leaked on purpose", found, cfg.leak);
    tt_close(leak_ch);
    tt_close(leak_ch2);
    tt_mutex_unlock(&leak_mu);
    for (int i = 0; i < leaks_send; i++) {
        int v = 0;
        if (tt_recv(leak_send_ch, &v) != TT_OK || v != 1)
            FAIL("the leaked senders' values did not arrive");
    }
    tt_wg_wait(&leak_wg);
    int found2 = tt_verify_none(leaks_permanent ? 1500 : 10000);
    if (found2 != leaks_permanent)
        FAIL("after the release tt_verify_none found %d leaks, %d remain on purpose", found2, leaks_permanent);
    tt_chan_free(leak_ch);
    tt_chan_free(leak_ch2);
    tt_chan_free(leak_send_ch);
    tt_ctx_cancel(stop);
    atomic_store(&finished, 1);
    pthread_join(wd, NULL);

    int nfail = atomic_load(&failures);
    uint64_t ops = s[S_OPS] + s[S_SPAWNS];
    double secs = (double)(t_end - t_start) / 1e6;
    printf("stress: %s: %.1f s (run %.1f s, shutdown %.2f s), %d long-lived tasks (%d producers, %d relays, "
           "%d consumers, %d lockers, %d ctx, %d ticker, %d wg), %d leaked on purpose\n",
           nfail ? "FAILED" : "ok", secs, (double)(t_stop - t_spawned) / 1e6, (double)(t_end - t_stop) / 1e6,
           nprod + nrelay + ncons + nlock + nctx + ntick + nwg, nprod, nrelay, ncons, nlock, nctx, ntick, nwg,
           cfg.leak);
    printf("stress: %" PRIu64 " operations (%.0f/s)", ops, (double)ops / secs);
    for (int i = 1; i < S_NSTATS; i++)
        if (stat_names[i])
            printf(", %s %" PRIu64, stat_names[i], s[i]);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("\nstress: values sent = received = %" PRIu64 ", checksums %s; leak check %d then %d (expected %d then %d); "
           "max RSS %ld MiB\n",
           s[S_RECV], s[S_SENT_SUM] == s[S_RECV_SUM] && s[S_SENT_XOR] == s[S_RECV_XOR] ? "equal" : "DIFFER", found,
           found2, cfg.leak, leaks_permanent, ru.ru_maxrss / 1024);
    if (nfail)
        fprintf(stderr, "stress: %d failure%s\n", nfail, nfail == 1 ? "" : "s");
    return nfail ? 1 : 0;
}
