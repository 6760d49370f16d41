/* report.c — everything the runtime prints: program-error reports, leak
 * reports (tt_verify_none, TETHER_VERIFY=1) and the deadlock detector. */
#include "rt.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void write_all(const char *s, size_t n)
{
    while (n > 0) {
        ssize_t w = write(2, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

/* A bounded string builder: output past the end is cut, never overflows. */
typedef struct sb {
    char *p;
    size_t cap, len;
} sb;

__attribute__((format(printf, 2, 3))) static void sb_printf(sb *b, const char *fmt, ...)
{
    if (b->len + 1 >= b->cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if (k > 0)
        b->len = b->len + (size_t)k < b->cap ? b->len + (size_t)k : b->cap - 1;
}

static void vreport(const char *fmt, va_list ap)
{
    char buf[2048];
    sb b = { buf, sizeof buf, 0 };
    sb_printf(&b, "tether: ");
    int k = vsnprintf(buf + b.len, sizeof buf - b.len - 1, fmt, ap);
    if (k > 0)
        b.len = b.len + (size_t)k < sizeof buf - 2 ? b.len + (size_t)k : sizeof buf - 2;
    buf[b.len++] = '\n';
    write_all(buf, b.len); /* one write: reports from tasks never interleave */
}

/* stdout is fully buffered in a pipe or a file, stderr is not: flush what
 * the program printed before a report, so that its output and the reports
 * keep the order a terminal shows (and are not lost to an abort). */
static void flush_stdout(void)
{
    fflush(stdout);
}

void rt_report(const char *fmt, ...)
{
    flush_stdout();
    va_list ap;
    va_start(ap, fmt);
    vreport(fmt, ap);
    va_end(ap);
}

void rt_report_held(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(fmt, ap);
    va_end(ap);
}

void rt_fatal(const char *fmt, ...)
{
    flush_stdout();
    va_list ap;
    va_start(ap, fmt);
    vreport(fmt, ap);
    va_end(ap);
    abort();
}

const char *rt_site(char *buf, size_t n, const char *file, int line)
{
    if (!file)
        snprintf(buf, n, "an unknown site (called without the tether.h macro)");
    else
        snprintf(buf, n, "%s:%d", file, line);
    return buf;
}

static void describe_case(sb *b, size_t i, const tt_case *c)
{
    char what[320];
    rt_chan_describe(c->ch, what, sizeof what);
    sb_printf(b, "        case %zu: %s %s\n", i, c->op == TT_OP_SEND ? "send to" : "receive from", what);
}

/* The task's header and what it is doing (reg lock held). */
static void task_describe(sb *b, rt_task *t)
{
    char at[160], what[320];
    if (t->spawned)
        sb_printf(b, "task %llu: %s, spawned at %s\n", (unsigned long long)t->id, t->fn_name,
                  rt_site(at, sizeof at, t->file, t->line));
    else
        sb_printf(b, "task %llu: %s\n", (unsigned long long)t->id, t->fn_name);
    pthread_mutex_lock(&t->info_mu);
    const rt_block *k = &t->blk;
    if (k->kind != RT_BLK_NONE)
        sb_printf(b, "    %s %s at %s\n", k->kind == RT_BLK_SLEEP ? "sleeping in" : "blocked in", k->op,
                  rt_site(at, sizeof at, k->file, k->line));
    switch (k->kind) {
    case RT_BLK_NONE:
        sb_printf(b, "    running (not inside a tether call)\n");
        break;
    case RT_BLK_SEND:
    case RT_BLK_RECV:
        rt_chan_describe(k->obj, what, sizeof what);
        sb_printf(b, "        on %s\n", what);
        break;
    case RT_BLK_SELECT:
        if (k->ncases == 0 || !k->cases)
            sb_printf(b, "        on an empty select (blocks forever)\n");
        for (size_t i = 0; i < k->ncases && k->cases; i++)
            describe_case(b, i, &k->cases[i]);
        break;
    case RT_BLK_WG:
        rt_wg_describe(k->obj, what, sizeof what);
        sb_printf(b, "        on %s\n", what);
        break;
    case RT_BLK_MUTEX:
        rt_mutex_describe(k->obj, what, sizeof what);
        sb_printf(b, "        on %s\n", what);
        break;
    default:
        break;
    }
    pthread_mutex_unlock(&t->info_mu);
}

void rt_task_describe(rt_task *t, char *buf, size_t n)
{
    sb b = { buf, n, 0 };
    buf[0] = '\0';
    task_describe(&b, t);
}

static void sleep_ms(int64_t ms)
{
    struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
        ;
}

/* Reports one leaked task in a single write (reg lock held). */
static void report_task(rt_task *t)
{
    char buf[8192];
    sb b = { buf, sizeof buf, 0 };
    sb_printf(&b, "tether: leaked ");
    task_describe(&b, t);
    write_all(buf, b.len);
}

int tt_verify_none(int64_t grace_ms)
{
    rt_task *me = rt_self();
    int64_t deadline = rt_now_ms() + (grace_ms > 0 ? grace_ms : 0);
    for (;;) {
        rt_reg_lock();
        size_t alive = rt_reg_spawned_alive(me);
        rt_reg_unlock();
        if (alive == 0 || rt_now_ms() >= deadline)
            break;
        sleep_ms(1);
    }

    flush_stdout();
    int count = 0;
    enum { MAXWG = 64 };
    const tt_wg *wgs[MAXWG];
    rt_task *wg_waiter[MAXWG];
    size_t nwg = 0;
    rt_reg_lock();
    for (rt_task *t = rt_reg_first(); t; t = t->next) {
        if (t == me || !t->spawned)
            continue;
        report_task(t);
        count++;
        pthread_mutex_lock(&t->info_mu);
        if (t->blk.kind == RT_BLK_WG) {
            size_t i = 0;
            while (i < nwg && wgs[i] != t->blk.obj)
                i++;
            if (i == nwg && nwg < MAXWG) {
                wgs[nwg] = t->blk.obj;
                wg_waiter[nwg++] = t;
            }
        }
        pthread_mutex_unlock(&t->info_mu);
    }
    /* A wait group a leaked task waits on will never reach zero. */
    for (size_t i = 0; i < nwg; i++) {
        char what[320], at[160];
        rt_wg_describe(wgs[i], what, sizeof what);
        pthread_mutex_lock(&wg_waiter[i]->info_mu);
        rt_site(at, sizeof at, wg_waiter[i]->blk.file, wg_waiter[i]->blk.line);
        pthread_mutex_unlock(&wg_waiter[i]->info_mu);
        rt_report_held("leaked wait group: %s, waited on forever by task %llu in tt_wg_wait at %s", what,
                  (unsigned long long)wg_waiter[i]->id, at);
        count++;
    }
    rt_reg_unlock();
    rt_ticker_report_all(&count);
    rt_ctx_report_all(&count);
    if (count)
        rt_report("tt_verify_none: %d leak%s found", count, count == 1 ? "" : "s");
    return count;
}

/* ---- deadlock detection ---------------------------------------------------- */
static pthread_mutex_t dl_mu = PTHREAD_MUTEX_INITIALIZER;

static bool timer_fed(const tt_chan *ch)
{
    return ch && atomic_load(&((tt_chan *)ch)->timer_src) > 0;
}

/* Can a timer still wake this blocked task? False also if it is not blocked
 * (info_mu held). */
static bool task_stuck(const rt_task *t)
{
    const rt_block *k = &t->blk;
    switch (k->kind) {
    case RT_BLK_RECV:
        return !timer_fed(k->obj);
    case RT_BLK_SELECT:
        for (size_t i = 0; i < k->ncases && k->cases; i++)
            if (k->cases[i].op == TT_OP_RECV && timer_fed(k->cases[i].ch))
                return false;
        return true;
    case RT_BLK_SEND:
    case RT_BLK_WG:
    case RT_BLK_MUTEX:
        return true;
    default:
        return false;
    }
}

void rt_deadlock_check(void)
{
    uint64_t v0 = atomic_load(&rt_sched);
    if (rt_sched_running(v0) != 0 || atomic_load(&rt_ctx_pending_timeouts) > 0)
        return;
    pthread_mutex_lock(&dl_mu);
    rt_reg_lock();
    bool dead = rt_reg_first() != NULL;
    for (rt_task *t = rt_reg_first(); t && dead; t = t->next) {
        pthread_mutex_lock(&t->info_mu);
        dead = task_stuck(t);
        pthread_mutex_unlock(&t->info_mu);
    }
    /* Nobody was woken meanwhile (the wake count is in the same word) and no
     * context timer was armed. */
    if (dead && atomic_load(&rt_sched) == v0 && atomic_load(&rt_ctx_pending_timeouts) == 0) {
        static const char head[] = "all tasks are asleep - deadlock!\n\n";
        fflush(NULL);
        write_all(head, sizeof head - 1);
        for (rt_task *t = rt_reg_first(); t; t = t->next) {
            char buf[8192];
            sb b = { buf, sizeof buf, 0 };
            sb_printf(&b, "tether: ");
            task_describe(&b, t);
            write_all(buf, b.len);
        }
        _exit(2);
    }
    rt_reg_unlock();
    pthread_mutex_unlock(&dl_mu);
}

/* ---- TETHER_VERIFY=1 --------------------------------------------------------- */
static void verify_at_exit(void)
{
    int64_t grace = 500;
    const char *g = getenv("TETHER_VERIFY_GRACE_MS");
    if (g && *g) {
        char *end;
        long long v = strtoll(g, &end, 10);
        if (*end == '\0' && v >= 0)
            grace = v;
    }
    if (tt_verify_none(grace) > 0) {
        fflush(NULL);
        _exit(3);
    }
}

__attribute__((constructor)) static void verify_setup(void)
{
    const char *v = getenv("TETHER_VERIFY");
    if (v && strcmp(v, "1") == 0)
        atexit(verify_at_exit);
}
