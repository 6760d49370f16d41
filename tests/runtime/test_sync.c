/* test_sync.c — wait groups (reuse, negative counter), mutexes, and many
 * tasks at once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <cmocka.h>

#include "rt_util.h"
#include "tether.h"

#if defined(__SANITIZE_THREAD__)
enum { MANY = 4000 }; /* ThreadSanitizer supports at most 8128 live threads */
#else
enum { MANY = 10000 };
#endif

typedef struct {
    tt_wg *wg;
    tt_mutex *mu;
    long *counter;
    tt_chan *gate;
    int n;
} shared;

static void bump(void *arg)
{
    shared *s = arg;
    for (int i = 0; i < s->n; i++) {
        tt_mutex_lock(s->mu);
        long v = *s->counter; /* not atomic: the mutex must exclude */
        *s->counter = v + 1;
        tt_mutex_unlock(s->mu);
    }
    tt_wg_done(s->wg);
}

static void test_mutex_exclusion(void **state)
{
    (void)state;
    tt_wg wg = TT_WG_INIT;
    tt_mutex mu = TT_MUTEX_INIT;
    long counter = 0;
    shared s = { &wg, &mu, &counter, NULL, 20000 };
    tt_wg_add(&wg, 4);
    for (int i = 0; i < 4; i++)
        tt_spawn(bump, &s);
    tt_wg_wait(&wg);
    assert_int_equal(counter, 80000);
}

static void add_one(void *arg)
{
    shared *s = arg;
    __atomic_fetch_add(s->counter, 1, __ATOMIC_RELAXED);
    tt_wg_done(s->wg);
}

static void test_wait_group_reuse(void **state)
{
    (void)state;
    tt_wg wg = TT_WG_INIT;
    long counter = 0;
    shared s = { &wg, NULL, &counter, NULL, 0 };
    tt_wg_wait(&wg); /* zero: returns at once */
    for (int round = 1; round <= 50; round++) {
        tt_wg_add(&wg, 5);
        for (int i = 0; i < 5; i++)
            tt_spawn(add_one, &s);
        tt_wg_wait(&wg);
        assert_int_equal(__atomic_load_n(&counter, __ATOMIC_RELAXED), round * 5);
        assert_int_equal(wg._count, 0);
    }
}

static void waiter(void *arg)
{
    shared *s = arg;
    tt_wg_wait(s->wg);
    __atomic_fetch_add(s->counter, 1, __ATOMIC_RELAXED);
    tt_send(s->gate, NULL);
}

static void test_wait_group_many_waiters(void **state)
{
    (void)state;
    tt_wg wg = TT_WG_INIT;
    long woke = 0;
    shared s = { &wg, NULL, &woke, tt_chan_new(0, 0), 0 };
    tt_wg_add(&wg, 2);
    for (int i = 0; i < 3; i++)
        tt_spawn(waiter, &s);
    tt_sleep_ms(20);
    tt_wg_done(&wg);
    tt_sleep_ms(20);
    assert_int_equal(__atomic_load_n(&woke, __ATOMIC_RELAXED), 0);
    tt_wg_done(&wg);
    for (int i = 0; i < 3; i++)
        tt_recv(s.gate, NULL);
    assert_int_equal(__atomic_load_n(&woke, __ATOMIC_RELAXED), 3);
    tt_chan_free(s.gate);
}

static void test_negative_counter_aborts_with_report(void **state)
{
    (void)state;
    helper_run r = run_helper("wg-negative", NULL);
    assert_true(killed_by(&r, SIGABRT));
    char want[200];
    snprintf(want, sizeof want, "tether: negative wait group counter at %s:%ld (tt_wg_done made it -1)", RT_HELPER_SRC,
             field(r.out, "done"));
    assert_non_null(strstr(r.err, want));
    helper_free(&r);
}

static void test_many_tasks(void **state)
{
    (void)state;
    tt_wg wg = TT_WG_INIT;
    long n = 0;
    shared s = { &wg, NULL, &n, NULL, 0 };
    for (int i = 0; i < MANY; i++) {
        tt_wg_add(&wg, 1);
        assert_int_equal(tt_spawn(add_one, &s), TT_OK);
    }
    tt_wg_wait(&wg);
    assert_int_equal(__atomic_load_n(&n, __ATOMIC_RELAXED), MANY);
}

static void block_until_gate(void *arg)
{
    shared *s = arg;
    tt_recv(s->gate, NULL);
    __atomic_fetch_add(s->counter, 1, __ATOMIC_RELAXED);
    tt_wg_done(s->wg);
}

static void test_many_concurrent_tasks(void **state)
{
    (void)state;
    tt_wg wg = TT_WG_INIT;
    long n = 0;
    shared s = { &wg, NULL, &n, tt_chan_new(0, 0), 0 };
    for (int i = 0; i < MANY; i++) {
        tt_wg_add(&wg, 1);
        assert_int_equal(tt_spawn(block_until_gate, &s), TT_OK);
    }
    tt_close(s.gate); /* all alive at once, then all released */
    tt_wg_wait(&wg);
    assert_int_equal(__atomic_load_n(&n, __ATOMIC_RELAXED), MANY);
    tt_chan_free(s.gate);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mutex_exclusion),
        cmocka_unit_test(test_wait_group_reuse),
        cmocka_unit_test(test_wait_group_many_waiters),
        cmocka_unit_test(test_negative_counter_aborts_with_report),
        cmocka_unit_test(test_many_tasks),
        cmocka_unit_test(test_many_concurrent_tasks),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    return failed ? failed : tt_verify_none(2000);
}
