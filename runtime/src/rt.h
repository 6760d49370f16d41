/* rt.h — libtether's private declarations shared by the runtime's .c files. */
#ifndef TETHER_RT_H
#define TETHER_RT_H

#define TETHER_NO_SITE_MACROS
#include "tether.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct rt_task rt_task;
typedef struct rt_waiter rt_waiter;

/* ---- Blocking info (what reports print about a task) ------------------- */
enum rt_block_kind {
    RT_BLK_NONE = 0,  /* running */
    RT_BLK_SLEEP,     /* in tt_sleep_ms: a timer will wake it */
    RT_BLK_SEND,      /* obj = channel */
    RT_BLK_RECV,      /* obj = channel */
    RT_BLK_SELECT,    /* cases / ncases */
    RT_BLK_WG,        /* obj = wait group */
    RT_BLK_MUTEX,     /* obj = mutex */
};

typedef struct rt_block {
    int kind;
    const char *op; /* the API call, e.g. "tt_recv" */
    const char *file;
    int line;
    void *obj;
    const tt_case *cases;
    size_t ncases;
} rt_block;

/* ---- Tasks ------------------------------------------------------------- */
struct rt_task {
    atomic_int park;      /* 0 waiting, 1 woken, 2 asleep on the futex (task.c) */
    atomic_int claimed;   /* 0 while a wake-up may claim this task's wait */
    int winner;           /* case index of the waiter that was woken */
    uint64_t id;
    tt_fn fn;
    void *arg;
    const char *fn_name;
    const char *file;     /* spawn site */
    int line;
    bool spawned;         /* false for main and adopted threads */
    pthread_mutex_t info_mu; /* guards blk */
    rt_block blk;
    rt_task *prev, *next; /* live list (reg lock) */
    rt_task *free_next;
    uint64_t rng;         /* select's PRNG state */
};

rt_task *rt_self(void);
/* Record what the calling task is about to block on (slow path only). */
void rt_block_set(rt_task *t, const rt_block *b);
void rt_block_clear(rt_task *t);
/* Prepare to park: must be called before the task's waiter becomes visible. */
void rt_park_prepare(rt_task *t);
/* The task stops counting as running (after its waiters are queued and the
 * locks are dropped), then sleeps until a waker calls rt_wake. */
void rt_park(rt_task *t);
/* Claim a waiting task (for select: only the first claim wins). */
bool rt_claim(rt_task *t);
/* Count the task as running again, then wake it. Call with the lock that
 * guards the wait still held, so the deadlock check never misses it. */
void rt_wake(rt_task *t);
/* Wake-ups made under a channel lock are counted there (rt_wake_defer) but
 * delivered after the lock is dropped (rt_wake_flush): a woken task may free
 * the channel at once, so the waker must not touch it afterwards. */
typedef struct rt_wakelist {
    rt_waiter *head;
} rt_wakelist;
void rt_wake_defer(rt_wakelist *wl, rt_waiter *w);
void rt_wake_flush(rt_wakelist *wl);
/* Park forever (NULL channel, empty select). */
void rt_block_forever(rt_task *t) __attribute__((noreturn));

/* Scheduler accounting: low 32 bits = running tasks, high 32 = wake count. */
extern _Atomic uint64_t rt_sched;
static inline uint32_t rt_sched_running(uint64_t v) { return (uint32_t)v; }

/* Registry of live tasks, for reports. */
void rt_reg_lock(void);
void rt_reg_unlock(void);
rt_task *rt_reg_first(void);
size_t rt_reg_spawned_alive(const rt_task *except);

/* ---- Channels and waiters ---------------------------------------------- */
struct rt_waiter {
    rt_waiter *prev, *next;
    rt_task *task;
    tt_chan *ch;
    void *elem;
    size_t esz; /* the channel's, read before parking */
    int idx;
    bool linked;
    bool ok; /* set by the waker: true = transferred, false = closed */
};

typedef struct rt_waitq {
    rt_waiter *head, *tail;
} rt_waitq;

void rt_q_push(rt_waitq *q, rt_waiter *w);
void rt_q_unlink(rt_waitq *q, rt_waiter *w);
/* Pop the first waiter whose task can still be claimed (claims it). */
rt_waiter *rt_q_claim(rt_waitq *q);

enum rt_chan_kind { RT_CH_USER, RT_CH_DONE, RT_CH_TICKER, RT_CH_AFTER };

typedef struct rt_timer {
    int64_t when;   /* CLOCK_MONOTONIC ms */
    int64_t period; /* tickers only */
    int kind;       /* RT_TM_* */
    int heap_idx;   /* -1 when not pending */
    uint64_t seq;   /* bumped each time it is armed */
    void *obj;
    int firing;     /* threads firing it now (tm_mu) */
    bool removed;   /* by rt_timer_del_wait: a ticker is not re-armed */
} rt_timer;

enum { RT_TM_AFTER = 1, RT_TM_TICKER, RT_TM_CTX };

/* Objects recycled through a quarantine pool start with this header. */
typedef struct rt_pooled {
    struct rt_pooled *pool_next;
    int64_t released_ms;
} rt_pooled;

struct tt_chan {
    rt_pooled pooled;       /* used by after channels */
    pthread_mutex_t mu;
    size_t esz, cap, len, head;
    unsigned char *buf;
    bool closed;
    int kind;               /* enum rt_chan_kind */
    rt_waitq recvq, sendq;
    const char *file;       /* creation site */
    int line;
    atomic_int timer_src;   /* >0 while a ticker or pending tt_after feeds it */
    void *owner;            /* ctx or ticker for internal channels */
    rt_timer tm;            /* after channels */
    int64_t after_ms;
};

/* Initialise a channel embedded in or owned by another object. */
void rt_chan_init(tt_chan *ch, size_t esz, size_t cap, unsigned char *buf, int kind,
                  const char *file, int line);
void rt_chan_destroy(tt_chan *ch);
/* Reset a recycled internal channel to open and empty. */
void rt_chan_reset(tt_chan *ch, const char *file, int line);
/* Non-blocking internal send that drops the value when full (tickers). */
void rt_chan_offer(tt_chan *ch, const void *elem);
/* Channel lock held: complete a send/receive without blocking, if possible. */
bool rt_chan_try_send(tt_chan *ch, const void *elem, rt_wakelist *wl);
bool rt_chan_try_recv(tt_chan *ch, void *out, rt_wakelist *wl);
void rt_report_send_closed(const tt_chan *ch, const char *file, int line);
/* Internal close (no report on a second close). */
void rt_chan_close_quiet(tt_chan *ch);
bool rt_chan_has_waiters(tt_chan *ch);
/* Describe a channel for reports: "channel created at f.c:3 (unbuffered)". */
void rt_chan_describe(const tt_chan *ch, char *buf, size_t n);
void rt_zero(void *out, size_t n);

/* ---- Time ---------------------------------------------------------------- */
int64_t rt_now_ms(void);
void rt_timer_add(rt_timer *tm);
/* Fire a few due timers if the timer thread is late (tasks about to park or
 * sleep call it; no lock may be held). */
void rt_timer_help(void);
bool rt_timer_del(rt_timer *tm); /* true if it was pending */
/* rt_timer_del, then wait until the timer thread is not firing t
 * (tt_ticker_stop: no tick in flight once it returns). */
bool rt_timer_del_wait(rt_timer *tm);
void rt_ticker_report_all(int *count);
void rt_ticker_describe(const tt_ticker *t, char *buf, size_t n);

/* ---- Contexts ------------------------------------------------------------ */
extern atomic_int rt_ctx_pending_timeouts;
void rt_ctx_expire(tt_ctx *ctx, uint64_t seq); /* called by the timer thread */
void rt_ctx_report_all(int *count);
void rt_ctx_describe(const tt_ctx *ctx, char *buf, size_t n);

/* ---- Handles to pooled objects ------------------------------------------- *
 * Contexts and tickers are released by the first tt_ctx_cancel or
 * tt_ticker_stop, but their owners may still call the API on them (Go lets
 * any goroutine cancel, and the owner must cancel too). The pointer the user
 * holds carries the object's generation in its top 16 bits (user-space
 * addresses use 48 at most); each release bumps the generation, so a call
 * through an older handle is recognised and acts on the released object's
 * final state, never on an object that reuses the memory. (32-bit builds:
 * no spare bits, no check.) */
#if UINTPTR_MAX > 0xFFFFFFFFu
#define RT_GEN_BITS 16
#define RT_ADDR_MASK (((uintptr_t)1 << 48) - 1)
static inline void *rt_handle(void *obj, uint32_t gen)
{
    return (void *)((uintptr_t)obj | (uintptr_t)(gen & 0xFFFFu) << 48);
}
static inline void *rt_handle_obj(const void *h) { return (void *)((uintptr_t)h & RT_ADDR_MASK); }
static inline uint32_t rt_handle_gen(const void *h) { return (uint32_t)((uintptr_t)h >> 48); }
static inline bool rt_handle_current(const void *h, uint32_t gen)
{
    return rt_handle_gen(h) == (gen & 0xFFFFu);
}
#else
static inline uint32_t rt_handle_gen(const void *h) { (void)h; return 0; }
static inline void *rt_handle(void *obj, uint32_t gen) { (void)gen; return obj; }
static inline void *rt_handle_obj(const void *h) { return (void *)h; }
static inline bool rt_handle_current(const void *h, uint32_t gen) { (void)h; (void)gen; return true; }
#endif
/* Allocate a pooled object whose address fits a handle. */
void *rt_handle_alloc(size_t size);

/* ---- Pools --------------------------------------------------------------- */
typedef struct rt_pool {
    pthread_mutex_t mu;
    rt_pooled *head, *tail;
    size_t n;
    bool (*busy)(rt_pooled *obj); /* still in use: keep it in quarantine */
} rt_pool;

#define RT_POOL_INIT(busy_fn) { PTHREAD_MUTEX_INITIALIZER, NULL, NULL, 0, (busy_fn) }
rt_pooled *rt_pool_get(rt_pool *p); /* NULL: caller allocates a new object */
void rt_pool_put(rt_pool *p, rt_pooled *obj);

/* ---- Reports -------------------------------------------------------------- */
/* One report line on stderr, after flushing stdout (see report.c). */
void rt_report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same without the flush, for callers holding a runtime lock (the leak
 * reports: tt_verify_none flushed stdout before taking any). */
void rt_report_held(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void rt_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* "file.c:12" (or "an unknown site" for the plain functions) into buf. */
const char *rt_site(char *buf, size_t n, const char *file, int line);
void rt_deadlock_check(void);
/* Describe what a task is doing, one or more indented lines, into buf. */
void rt_task_describe(rt_task *t, char *buf, size_t n);

void rt_wg_describe(const tt_wg *wg, char *buf, size_t n);
void rt_mutex_describe(const tt_mutex *mu, char *buf, size_t n);

/* Allocation that aborts on out-of-memory. */
void *rt_xcalloc(size_t n, size_t sz);

#endif /* TETHER_RT_H */
