/* test_time.c — tickers, tt_after and tt_sleep_ms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "rt_util.h"
#include "tether.h"

static int64_t wall_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* As in Go, any task may stop a ticker, more than once. The first stop
 * releases it to the pool: a later stop through the same handle must not
 * reach the ticker that reuses it (it used to stop that unrelated ticker). */
static void test_stop_after_release_does_not_reach_a_reused_ticker(void **state)
{
    (void)state;
    enum { CHURN = 9000, NEW = 200 }; /* past the 8,192 that bound the quarantine */
    tt_ticker *t = tt_ticker_new(1000);
    tt_chan *t_chan = tt_ticker_chan(t);
    tt_ticker_stop(t);
    tt_ticker **churn = malloc(CHURN * sizeof *churn);
    for (int i = 0; i < CHURN; i++)
        churn[i] = tt_ticker_new(100000);
    for (int i = 0; i < CHURN; i++)
        tt_ticker_stop(churn[i]); /* t is now the oldest of more than 8,192 */
    free(churn);
    tt_ticker *fresh[NEW];
    int reused = -1;
    for (int i = 0; i < NEW; i++) {
        fresh[i] = tt_ticker_new(i == 0 ? 5 : 1000);
        if (tt_ticker_chan(fresh[i]) == t_chan)
            reused = i;
    }
    assert_true(reused >= 0); /* the test means something only if t was reused */

    tt_ticker_stop(t); /* the old handle: does nothing */
    /* The ticker that reuses t's memory still ticks. */
    tt_case cs[] = { TT_RECV(tt_ticker_chan(fresh[reused]), NULL), TT_RECV(tt_after(5000), NULL) };
    assert_int_equal(tt_select(cs, 2), 0);
    /* A stopped ticker's handle has no channel any more (a nil channel
     * blocks forever, as a stopped ticker's channel would). */
    assert_null(tt_ticker_chan(t));
    for (int i = 0; i < NEW; i++)
        tt_ticker_stop(fresh[i]);
    assert_int_equal(tt_verify_none(0), 0);
}

static void test_ticker_ticks(void **state)
{
    (void)state;
    int64_t t0 = now_ms();
    tt_ticker *tk = tt_ticker_new(20);
    tt_chan *c = tt_ticker_chan(tk);
    assert_int_equal(tt_chan_cap(c), 1);
    int64_t prev = 0;
    for (int i = 0; i < 5; i++) {
        int64_t tick = 0;
        assert_int_equal(tt_recv(c, &tick), TT_OK);
        assert_true(tick >= prev);
        assert_true(tick > wall_now_ms() - 60000 && tick <= wall_now_ms()); /* wall-clock ms */
        prev = tick;
    }
    assert_true(now_ms() - t0 >= 5 * 20 - 5);
    tt_ticker_stop(tk);
}

static void test_ticker_drops_when_full(void **state)
{
    (void)state;
    tt_ticker *tk = tt_ticker_new(5);
    tt_sleep_ms(60); /* about 12 ticks, but the channel holds one */
    assert_int_equal(tt_chan_len(tt_ticker_chan(tk)), 1);
    tt_ticker_stop(tk);
}

static void test_ticker_stop_means_no_more_ticks(void **state)
{
    (void)state;
    tt_ticker *tk = tt_ticker_new(10);
    tt_chan *c = tt_ticker_chan(tk);
    tt_recv(c, NULL);
    tt_ticker_stop(tk);
    tt_ticker_stop(tk); /* idempotent */
    /* A tick that was already buffered may stay; then nothing more. */
    tt_case cs[] = { TT_RECV(c, NULL) };
    tt_select_default(cs, 1);
    tt_sleep_ms(60);
    assert_int_equal(tt_select_default(cs, 1), TT_DEFAULT);
    assert_int_equal(tt_chan_len(c), 0);
}

typedef struct stop_job {
    tt_ticker *t;
    tt_chan *done;
} stop_job;

static void stop_ticker(void *arg)
{
    stop_job *j = arg;
    tt_ticker_stop(j->t);
    tt_close(j->done);
}

/* tt_ticker_stop waits for a tick of its own ticker in flight, not for the
 * timer thread to run out of work: with more 1 ms tickers than the timer
 * thread can serve it is never idle, and stop used to block until it was. */
static void test_ticker_stop_while_timer_thread_is_behind(void **state)
{
    (void)state;
    enum { N = 20000 };
    tt_ticker **busy = calloc(N, sizeof *busy);
    for (int i = 0; i < N; i++)
        busy[i] = tt_ticker_new(1);
    tt_sleep_ms(50);
    stop_job j = { tt_ticker_new(1), tt_chan_new(0, 0) };
    int64_t t0 = now_ms();
    tt_spawn(stop_ticker, &j);
    tt_case cs[] = { TT_RECV(j.done, NULL), TT_RECV(tt_after(5000), NULL) };
    int k = tt_select(cs, 2);
    if (k != 0)
        fail_msg("tt_ticker_stop still blocked after %lld ms", (long long)(now_ms() - t0));
    for (int i = 0; i < N; i++)
        tt_ticker_stop(busy[i]);
    free(busy);
    tt_chan_free(j.done);
}

/* Tasks that keep parking (ping-pong pairs) until quit is closed. */
typedef struct parkers {
    tt_chan *quit;
    tt_wg wg;
} parkers;

typedef struct pair {
    parkers *o;
    tt_chan *ch;
} pair;

static void ping_pong(void *arg)
{
    pair *p = arg;
    int v = 0;
    for (;;) {
        tt_case cs[] = { TT_SEND(p->ch, &v), TT_RECV(p->ch, &v), TT_RECV(p->o->quit, NULL) };
        if (tt_select(cs, 3) == 2)
            break;
    }
    tt_wg_done(&p->o->wg);
}

typedef struct late_after {
    int64_t due; /* monotonic ms */
    int64_t fired;
    tt_ctx *last;      /* the context the cancel reaches last */
    bool during;       /* fired while the cancel was still under way */
    tt_chan *go, *done;
} late_after;

static void wait_after_20(void *arg)
{
    late_after *w = arg;
    tt_recv(w->go, NULL);
    w->due = now_ms() + 20;
    tt_recv(tt_after(20), NULL);
    w->during = tt_ctx_err(w->last) == TT_OK;
    w->fired = now_ms();
    tt_close(w->done);
}

/* The timer thread can be held up, here by a context timeout it fires while
 * a large tree of contexts is being canceled (the context lock). Other due
 * timers do not wait for it: tasks that park fire them. */
static void test_due_timers_fire_while_the_timer_thread_is_held_up(void **state)
{
    (void)state;
    parkers o = { tt_chan_new(0, 0), TT_WG_INIT };
    pair pairs[2];
    tt_wg_add(&o.wg, 4);
    for (int i = 0; i < 2; i++) {
        pairs[i] = (pair){ &o, tt_chan_new(sizeof(int), 0) };
        tt_spawn(ping_pong, &pairs[i]);
        tt_spawn(ping_pong, &pairs[i]);
    }
    /* An attempt tells only if the context timeout fell due during the
     * cancel and the cancel outlasted the tt_after by 50 ms or more: grow
     * the tree until one does. A timer thread held up by the context lock
     * fires the tt_after only once the whole tree is canceled; a task that
     * parks in those 50 ms fires it while the newest child (canceled last)
     * is still alive. Up to three attempts that tell: on a loaded machine
     * the parking tasks themselves may get no CPU for that long; on a fast
     * quiet one 600,000 contexts cancel in under 30 ms, hence trees of up
     * to two million. */
    int told = 0;
    bool during = false;
#if defined(__SANITIZE_THREAD__)
    size_t first = 10000; /* a cancel is about 50 times slower */
#else
    size_t first = 50000;
#endif
    for (size_t n = first; n <= 2000000 && told < 3 && !during;) {
        tt_ctx *root = tt_ctx_with_cancel(tt_ctx_background());
        tt_ctx **kids = malloc(n * sizeof *kids);
        for (size_t i = 0; i < n; i++)
            kids[i] = tt_ctx_with_cancel(root);
        late_after w = { 0, 0, kids[n - 1], false, tt_chan_new(0, 0), tt_chan_new(0, 0) };
        tt_spawn(wait_after_20, &w);
        int64_t t_due = now_ms() + 15;
        tt_ctx *t = tt_ctx_with_timeout(tt_ctx_background(), 15);
        tt_send(w.go, NULL); /* its tt_after is due after t: the timer thread takes t first */
        int64_t cancel_start = now_ms();
        tt_ctx_cancel(root); /* holds the context lock throughout */
        int64_t cancel_end = now_ms();
        tt_recv(w.done, NULL);
        tt_chan_free(w.done);
        tt_chan_free(w.go);
        tt_ctx_cancel(t);
        for (size_t i = 0; i < n; i++)
            tt_ctx_cancel(kids[i]); /* their owner must, as in Go */
        free(kids);
        bool tells = cancel_start < t_due && cancel_end - w.due >= 50;
        print_message("%zu contexts: cancel took %lld ms; from its start, the context timeout was due at "
                      "%lld ms, the tt_after at %lld ms, which fired at %lld ms, %s the cancel%s\n",
                      n, (long long)(cancel_end - cancel_start), (long long)(t_due - cancel_start),
                      (long long)(w.due - cancel_start), (long long)(w.fired - cancel_start),
                      w.during ? "during" : "after", tells ? "" : " (does not tell)");
        if (tells) {
            told++;
            during = w.during;
        } else {
            n = n * 3 / 2;
        }
    }
    tt_close(o.quit);
    tt_wg_wait(&o.wg);
    for (int i = 0; i < 2; i++)
        tt_chan_free(pairs[i].ch);
    tt_chan_free(o.quit);
    if (!told)
        fail_msg("could not hold the timer thread up long enough to tell");
    assert_true(during);
}

static void test_after_fires_once(void **state)
{
    (void)state;
    int64_t t0 = now_ms();
    tt_chan *a = tt_after(30);
    int64_t v = 0;
    assert_int_equal(tt_recv(a, &v), TT_OK);
    assert_true(now_ms() - t0 >= 25);
    assert_true(v > 0);
    tt_case cs[] = { TT_RECV(a, NULL) };
    tt_sleep_ms(20);
    assert_int_equal(tt_select_default(cs, 1), TT_DEFAULT); /* one value only */
    assert_int_equal(tt_recv(tt_after(0), NULL), TT_OK);
}

static void test_after_as_select_timeout(void **state)
{
    (void)state;
    tt_chan *never = tt_chan_new(sizeof(int), 0);
    int64_t t0 = now_ms();
    tt_case cs[] = { TT_RECV(never, NULL), TT_RECV(tt_after(40), NULL) };
    assert_int_equal(tt_select(cs, 2), 1);
    assert_true(cs[1].ok);
    assert_true(now_ms() - t0 >= 35);
    tt_chan_free(never);
}

static void test_many_pending_afters(void **state)
{
    (void)state;
    enum { N = 300 };
    tt_chan *cs[N];
    for (int i = 0; i < N; i++)
        cs[i] = tt_after((int64_t)(N - i) % 37);
    for (int i = 0; i < N; i++)
        assert_int_equal(tt_recv(cs[i], NULL), TT_OK);
}

static void test_sleep(void **state)
{
    (void)state;
    int64_t t0 = now_ms();
    tt_sleep_ms(30);
    assert_true(now_ms() - t0 >= 29);
    tt_sleep_ms(0);
    tt_sleep_ms(-5);
}

static void test_bad_ticker_period(void **state)
{
    (void)state;
    capture_begin();
    tt_ticker *tk = tt_ticker_new(0); int line = __LINE__;
    char *err = capture_end();
    assert_null(tk);
    char want[200];
    snprintf(want, sizeof want, "non-positive interval 0 for tt_ticker_new at %s:%d", __FILE__, line);
    assert_non_null(strstr(err, want));
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stop_after_release_does_not_reach_a_reused_ticker),
        cmocka_unit_test(test_ticker_ticks),
        cmocka_unit_test(test_ticker_drops_when_full),
        cmocka_unit_test(test_ticker_stop_means_no_more_ticks),
        cmocka_unit_test(test_ticker_stop_while_timer_thread_is_behind),
        cmocka_unit_test(test_due_timers_fire_while_the_timer_thread_is_held_up),
        cmocka_unit_test(test_after_fires_once),
        cmocka_unit_test(test_after_as_select_timeout),
        cmocka_unit_test(test_many_pending_afters),
        cmocka_unit_test(test_sleep),
        cmocka_unit_test(test_bad_ticker_period),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    return failed ? failed : tt_verify_none(2000);
}
