/* task.c — tasks: spawn on detached POSIX threads, the live-task registry,
 * park/wake and the running-task accounting the deadlock check relies on. */
#include "rt.h"

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

_Atomic uint64_t rt_sched;

static pthread_mutex_t reg_mu = PTHREAD_MUTEX_INITIALIZER;
static rt_task *live_head, *live_tail; /* in spawn order */
static rt_task *free_tasks; /* task structs are type-stable: never freed */
static uint64_t next_id = 1;
static _Thread_local rt_task *self;
static pthread_key_t adopt_key;
static pthread_once_t adopt_once = PTHREAD_ONCE_INIT;
static size_t stack_bytes;

static const uint64_t RT_WAKE_ONE = (UINT64_C(1) << 32) | 1u;

void rt_reg_lock(void) { pthread_mutex_lock(&reg_mu); }
void rt_reg_unlock(void) { pthread_mutex_unlock(&reg_mu); }
rt_task *rt_reg_first(void) { return live_head; }

size_t rt_reg_spawned_alive(const rt_task *except)
{
    size_t n = 0;
    for (rt_task *t = live_head; t; t = t->next)
        if (t != except && t->spawned)
            n++;
    return n;
}

static rt_task *task_alloc(void)
{
    rt_task *t = free_tasks;
    if (t) {
        free_tasks = t->free_next;
    } else {
        t = rt_xcalloc(1, sizeof *t);
        pthread_mutex_init(&t->info_mu, NULL);
    }
    t->id = next_id++;
    t->rng = t->id * UINT64_C(0x9E3779B97F4A7C15) ^ (uint64_t)rt_now_ms();
    t->free_next = NULL;
    return t;
}

/* Link a new task into the registry (reg lock held). */
static void reg_link(rt_task *t)
{
    t->next = NULL;
    t->prev = live_tail;
    if (live_tail)
        live_tail->next = t;
    else
        live_head = t;
    live_tail = t;
}

static void reg_unlink(rt_task *t)
{
    if (t->prev)
        t->prev->next = t->next;
    else
        live_head = t->next;
    if (t->next)
        t->next->prev = t->prev;
    else
        live_tail = t->prev;
    t->prev = t->next = NULL;
}

/* The task is gone: unregister, stop counting it as running. */
static void task_exit(rt_task *t)
{
    pthread_mutex_lock(&reg_mu);
    reg_unlink(t);
    pthread_mutex_lock(&t->info_mu);
    memset(&t->blk, 0, sizeof t->blk);
    pthread_mutex_unlock(&t->info_mu);
    t->free_next = free_tasks;
    free_tasks = t;
    pthread_mutex_unlock(&reg_mu);
    uint64_t v = atomic_fetch_sub(&rt_sched, 1) - 1;
    if (rt_sched_running(v) == 0)
        rt_deadlock_check();
}

static void adopted_exit(void *p)
{
    rt_task *t = p;
    self = NULL;
    task_exit(t);
}

static void adopt_key_init(void)
{
    pthread_key_create(&adopt_key, adopted_exit);
}

/* A thread that was not spawned by tether (main, or a foreign thread) becomes
 * a task on its first tether call. */
static rt_task *adopt(void)
{
    pthread_once(&adopt_once, adopt_key_init);
    pthread_mutex_lock(&reg_mu);
    rt_task *t = task_alloc();
    t->fn_name = t->id == 1 ? "main" : "(thread not spawned by tether)";
    t->spawned = false;
    reg_link(t);
    pthread_mutex_unlock(&reg_mu);
    atomic_fetch_add(&rt_sched, 1);
    self = t;
    pthread_setspecific(adopt_key, t);
    return t;
}

rt_task *rt_self(void)
{
    return self ? self : adopt();
}

/* main is a task from the start, so the deadlock check counts it. */
__attribute__((constructor)) static void register_main(void)
{
    if (!self)
        adopt();
}

static size_t task_stack_bytes(void)
{
    if (stack_bytes)
        return stack_bytes;
    size_t kb = 256;
    const char *env = getenv("TETHER_STACK_KB");
    if (env && *env) {
        char *end;
        unsigned long v = strtoul(env, &end, 10);
        if (*end == '\0' && v >= 16 && v <= 1024 * 1024)
            kb = v;
    }
    size_t b = kb * 1024;
    if (b < (size_t)PTHREAD_STACK_MIN)
        b = (size_t)PTHREAD_STACK_MIN;
    stack_bytes = b;
    return b;
}

static void *task_main(void *p)
{
    rt_task *t = p;
    self = t;
    t->fn(t->arg);
    self = NULL;
    task_exit(t);
    return NULL;
}

int tt_spawn_at(tt_fn fn, void *arg, const char *fn_name, const char *file, int line)
{
    (void)rt_self();
    if (!fn)
        return TT_ENOMEM;
    pthread_mutex_lock(&reg_mu);
    rt_task *t = task_alloc();
    t->fn = fn;
    t->arg = arg;
    t->fn_name = fn_name ? fn_name : "(task)";
    t->file = file;
    t->line = line;
    t->spawned = true;
    reg_link(t);
    size_t stack = task_stack_bytes();
    pthread_mutex_unlock(&reg_mu);
    /* Counted as running before it exists: its spawner is running now. */
    atomic_fetch_add(&rt_sched, 1);

    pthread_attr_t attr;
    pthread_t th;
    int rc = pthread_attr_init(&attr);
    if (rc == 0) {
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        pthread_attr_setstacksize(&attr, stack);
        rc = pthread_create(&th, &attr, task_main, t);
        pthread_attr_destroy(&attr);
    }
    if (rc != 0) {
        pthread_mutex_lock(&reg_mu);
        reg_unlink(t);
        t->free_next = free_tasks;
        free_tasks = t;
        pthread_mutex_unlock(&reg_mu);
        atomic_fetch_sub(&rt_sched, 1);
        return TT_ENOMEM;
    }
    return TT_OK;
}

int(tt_spawn)(tt_fn fn, void *arg)
{
    return tt_spawn_at(fn, arg, NULL, NULL, 0);
}

void tt_sleep_ms_at(int64_t ms, const char *file, int line)
{
    rt_task *t = rt_self();
    if (ms <= 0)
        return;
    /* A sleeping task still counts as running: a timer will wake it. */
    rt_timer_help();
    rt_block b = { RT_BLK_SLEEP, "tt_sleep_ms", file, line, NULL, NULL, 0 };
    rt_block_set(t, &b);
    struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
        ;
    rt_block_clear(t);
}

void(tt_sleep_ms)(int64_t ms)
{
    tt_sleep_ms_at(ms, NULL, 0);
}

void rt_block_set(rt_task *t, const rt_block *b)
{
    pthread_mutex_lock(&t->info_mu);
    t->blk = *b;
    pthread_mutex_unlock(&t->info_mu);
}

void rt_block_clear(rt_task *t)
{
    pthread_mutex_lock(&t->info_mu);
    memset(&t->blk, 0, sizeof t->blk);
    pthread_mutex_unlock(&t->info_mu);
}

void rt_park_prepare(rt_task *t)
{
    atomic_store_explicit(&t->park, 0, memory_order_relaxed);
    atomic_store_explicit(&t->claimed, 0, memory_order_release);
}

bool rt_claim(rt_task *t)
{
    int expect = 0;
    return atomic_compare_exchange_strong(&t->claimed, &expect, 1);
}

static long futex(atomic_int *addr, int op, int val)
{
    return syscall(SYS_futex, (int *)addr, op, val, NULL, NULL, 0);
}

/* Park states (t->park): waiting (maybe spinning), woken, or asleep on the
 * futex. Wakers only make the futex system call for a sleeping task. */
enum { PARK_WAITING = 0, PARK_WOKEN = 1, PARK_SLEEPING = 2 };

static uint32_t online_cpus(void)
{
    static atomic_uint cached;
    unsigned n = atomic_load_explicit(&cached, memory_order_relaxed);
    if (!n) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        n = c > 0 ? (unsigned)c : 1;
        atomic_store_explicit(&cached, n, memory_order_relaxed);
    }
    return n;
}

static void wake_parked(rt_task *t)
{
    if (atomic_exchange_explicit(&t->park, PARK_WOKEN, memory_order_acq_rel) == PARK_SLEEPING)
        futex(&t->park, FUTEX_WAKE_PRIVATE, 1);
}

void rt_park(rt_task *t)
{
    /* Still counted as running: a timer fired here may wake this very task. */
    rt_timer_help();
    uint64_t v = atomic_fetch_sub(&rt_sched, 1) - 1;
    if (rt_sched_running(v) == 0)
        rt_deadlock_check();
    /* A short spin catches fast hand-offs without a futex sleep, but only
     * while there are no more runnable tasks than CPUs: past that the spin
     * steals the time the partner needs (Go spins under a similar rule).
     * Measured on 2 cores: ping-pong as fast as always spinning, buffered
     * channels with 4 pairs about 1.5x faster, a 5-task select slower but
     * still under the condition-variable floor. */
    if (rt_sched_running(v) <= online_cpus()) {
        for (int i = 0; i < 100; i++) {
            if (atomic_load_explicit(&t->park, memory_order_acquire) == PARK_WOKEN)
                return;
#if defined(__x86_64__) || defined(__i386__)
            __builtin_ia32_pause();
#endif
        }
    }
    int expect = PARK_WAITING;
    if (!atomic_compare_exchange_strong_explicit(&t->park, &expect, PARK_SLEEPING,
                                                 memory_order_acq_rel, memory_order_acquire))
        return; /* woken while spinning */
    while (atomic_load_explicit(&t->park, memory_order_acquire) != PARK_WOKEN)
        futex(&t->park, FUTEX_WAIT_PRIVATE, PARK_SLEEPING);
}

void rt_wake(rt_task *t)
{
    atomic_fetch_add(&rt_sched, RT_WAKE_ONE);
    wake_parked(t);
}

void rt_wake_defer(rt_wakelist *wl, rt_waiter *w)
{
    atomic_fetch_add(&rt_sched, RT_WAKE_ONE);
    w->next = wl->head;
    wl->head = w;
}

void rt_wake_flush(rt_wakelist *wl)
{
    rt_waiter *w = wl->head;
    while (w) {
        rt_waiter *next = w->next; /* w lives on its task's stack: read first */
        wake_parked(w->task);
        w = next;
    }
    wl->head = NULL;
}

void rt_block_forever(rt_task *t)
{
    rt_park_prepare(t);
    atomic_store(&t->claimed, 1); /* nobody can claim it */
    for (;;) {
        rt_park(t);
        atomic_fetch_add(&rt_sched, 1); /* spurious: never happens */
        atomic_store(&t->park, 0);
    }
}

void *rt_xcalloc(size_t n, size_t sz)
{
    void *p = calloc(n ? n : 1, sz ? sz : 1);
    if (!p) {
        static const char msg[] = "tether: out of memory\n";
        ssize_t w = write(2, msg, sizeof msg - 1);
        (void)w;
        abort();
    }
    return p;
}
