/* rt_helper.c — small programs the runtime tests run as child processes:
 * leak reports, TETHER_VERIFY, deadlocks, program errors that abort.
 * Each scenario prints the source lines the test must find as key=value. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tether.h"

/* ---- leaks: one of each kind of leaked resource ---------------------------- */
static void leak_recv(void *arg)
{
    tt_recv((tt_chan *)arg, NULL);
}
enum { LEAK_RECV_LINE = __LINE__ - 2 };

static void leak_select(void *arg)
{
    tt_case cs[] = { TT_RECV((tt_chan *)arg, NULL), TT_RECV(NULL, NULL) };
    tt_select(cs, 2);
}
enum { LEAK_SELECT_LINE = __LINE__ - 2 };

static tt_wg leak_wg = TT_WG_INIT;
static void leak_wg_wait(void *arg)
{
    (void)arg;
    tt_wg_wait(&leak_wg);
}
enum { LEAK_WG_LINE = __LINE__ - 2 };

static void leak_ticker_recv(void *arg)
{
    tt_recv(tt_ticker_chan((tt_ticker *)arg), NULL);
}

static int leaks(void)
{
    tt_chan *ch = tt_chan_new(sizeof(int), 0); int chan_line = __LINE__;
    tt_chan *bch = tt_chan_new(sizeof(int), 4); int bchan_line = __LINE__;
    tt_spawn(leak_recv, ch); int spawn_recv = __LINE__;
    tt_spawn(leak_select, bch); int spawn_select = __LINE__;
    tt_wg_add(&leak_wg, 1); int wg_add = __LINE__;
    tt_spawn(leak_wg_wait, NULL);
    tt_ticker *tk = tt_ticker_new(1000); int ticker_line = __LINE__;
    tt_ctx *c1 = tt_ctx_with_cancel(tt_ctx_background()); int ctx_line = __LINE__;
    tt_ctx *c2 = tt_ctx_with_timeout(tt_ctx_background(), 1); int tctx_line = __LINE__;
    tt_ctx *ok = tt_ctx_with_cancel(c1); /* canceled: not a leak */
    tt_ctx_cancel(ok);
    /* A stopped ticker with a task blocked on it: the task leaks, not the ticker. */
    tt_ticker *stopped = tt_ticker_new(1000);
    tt_spawn(leak_ticker_recv, stopped);
    tt_sleep_ms(20);
    tt_ticker_stop(stopped);
    (void)tk;
    (void)c2;
    int n = tt_verify_none(100);
    printf("count=%d chan=%d bchan=%d spawn_recv=%d recv=%d spawn_select=%d select=%d wg_add=%d wg_wait=%d "
           "ticker=%d ctx=%d tctx=%d\n",
           n, chan_line, bchan_line, spawn_recv, LEAK_RECV_LINE, spawn_select, LEAK_SELECT_LINE, wg_add,
           LEAK_WG_LINE, ticker_line, ctx_line, tctx_line);
    return 0;
}

/* ---- clean: everything released, tasks ended: no report -------------------- */
static void echo_once(void *arg)
{
    tt_chan *ch = arg;
    int v;
    if (tt_recv(ch, &v) == TT_OK)
        tt_send(ch, &v);
}

static int clean(void)
{
    tt_chan *ch = tt_chan_new(sizeof(int), 0);
    tt_spawn(echo_once, ch);
    int v = 7;
    tt_send(ch, &v);
    tt_recv(ch, &v);
    tt_sleep_ms(20); /* let echo_once return before it is freed */
    tt_chan_free(ch);
    tt_ticker *tk = tt_ticker_new(5);
    tt_recv(tt_ticker_chan(tk), NULL);
    tt_ticker_stop(tk);
    tt_ctx *c = tt_ctx_with_timeout(tt_ctx_background(), 5);
    tt_recv(tt_ctx_done(c), NULL);
    tt_ctx_cancel(c);
    int n = tt_verify_none(1000);
    printf("count=%d\n", n);
    return 0;
}

/* ---- TETHER_VERIFY=1: a task left blocked when main returns ----------------- */
static int verify_leak(void)
{
    tt_chan *ch = tt_chan_new(0, 0);
    tt_spawn(leak_recv, ch);
    printf("recv=%d\n", LEAK_RECV_LINE);
    fflush(stdout);
    return 0;
}

/* ---- output order: stdout written before a report comes before it ---------- */
static int output_order(void)
{
    /* No fflush: in a pipe or a file stdout is fully buffered. */
    printf("program: before the program-error report\n");
    tt_close(NULL); /* a one-line report */
    printf("program: before the leak report\n");
    tt_chan *ch = tt_chan_new(0, 0);
    tt_spawn(leak_recv, ch); /* reported at exit (TETHER_VERIFY=1) */
    printf("program: last line, without a newline");
    return 0;
}

/* ---- deadlocks ---------------------------------------------------------------- */
static void dl_worker(void *arg)
{
    tt_send((tt_chan *)arg, NULL);
}
enum { DL_WORKER_LINE = __LINE__ - 2 };

static int deadlock_two(void)
{
    tt_chan *a = tt_chan_new(0, 0);
    tt_chan *b = tt_chan_new(0, 0);
    tt_spawn(dl_worker, a); int spawn = __LINE__;
    /* An active ticker nobody waits on must not hide the deadlock. */
    tt_ticker *tk = tt_ticker_new(10);
    (void)tk;
    printf("spawn=%d worker=%d main=%d\n", spawn, DL_WORKER_LINE, __LINE__ + 2);
    fflush(stdout);
    tt_recv(b, NULL);
    return 0;
}

static void wg_forgets(void *arg)
{
    (void)arg; /* returns without tt_wg_done */
}

static int deadlock_wg(void)
{
    tt_wg wg = TT_WG_INIT;
    tt_wg_add(&wg, 1);
    tt_spawn(wg_forgets, NULL);
    printf("wait=%d\n", __LINE__ + 2);
    fflush(stdout);
    tt_wg_wait(&wg);
    return 0;
}

static int deadlock_select_nil(void)
{
    printf("select=%d\n", __LINE__ + 2);
    fflush(stdout);
    tt_select(NULL, 0);
    return 0;
}

static int deadlock_mutex(void)
{
    tt_mutex mu = TT_MUTEX_INIT;
    tt_mutex_lock(&mu);
    printf("lock=%d\n", __LINE__ + 2);
    fflush(stdout);
    tt_mutex_lock(&mu);
    return 0;
}

/* ---- no deadlock: a timer can still wake the blocked task ----------------------- */
static void sleeper(void *arg)
{
    tt_sleep_ms(100);
    tt_send((tt_chan *)arg, NULL);
}

static int quiet_timers(void)
{
    tt_chan *never = tt_chan_new(0, 0);
    tt_case cs[] = { TT_RECV(never, NULL), TT_RECV(tt_after(100), NULL) };
    int after = tt_select(cs, 2);
    tt_ctx *c = tt_ctx_with_timeout(tt_ctx_background(), 100);
    int ctxr = tt_recv(tt_ctx_done(c), NULL);
    tt_ctx_cancel(c);
    tt_chan *ch = tt_chan_new(0, 0);
    tt_spawn(sleeper, ch);
    int slept = tt_recv(ch, NULL);
    tt_chan_free(ch);
    tt_chan_free(never);
    tt_ticker *tk = tt_ticker_new(50);
    int64_t tick = 0;
    tt_recv(tt_ticker_chan(tk), &tick);
    tt_ticker_stop(tk);
    printf("after=%d ctx=%d slept=%d tick=%d\n", after, ctxr, slept, tick > 0);
    return 0;
}

/* ---- program errors -------------------------------------------------------------- */
static int wg_negative(void)
{
    tt_wg wg = TT_WG_INIT;
    tt_wg_add(&wg, 1);
    tt_wg_done(&wg);
    printf("done=%d\n", __LINE__ + 2);
    fflush(stdout);
    tt_wg_done(&wg);
    return 0;
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(void);
    } scenarios[] = {
        { "leaks", leaks },
        { "clean", clean },
        { "verify-leak", verify_leak },
        { "output-order", output_order },
        { "deadlock-two", deadlock_two },
        { "deadlock-wg", deadlock_wg },
        { "deadlock-select-nil", deadlock_select_nil },
        { "deadlock-mutex", deadlock_mutex },
        { "quiet-timers", quiet_timers },
        { "wg-negative", wg_negative },
    };
    for (size_t i = 0; argc == 2 && i < sizeof scenarios / sizeof scenarios[0]; i++)
        if (strcmp(argv[1], scenarios[i].name) == 0)
            return scenarios[i].fn();
    fprintf(stderr, "usage: rt_helper SCENARIO\n");
    return 64;
}
