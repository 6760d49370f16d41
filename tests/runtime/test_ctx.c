/* test_ctx.c — contexts: cancel, trees, timeouts, races with sends, many
 * waiters, and constant memory for a create/cancel loop. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rt_util.h"
#include "tether.h"

#if defined(__SANITIZE_THREAD__)
enum { MANY = 4000 }; /* ThreadSanitizer supports at most 8128 live threads */
#else
enum { MANY = 10000 };
#endif

/* Go lets any goroutine call a context's cancel, any number of times; its
 * owner still must, later. The first cancel releases the context to the
 * pool: the owner's later calls on it must not reach the context that
 * reuses it (they used to cancel that unrelated context). */
static void test_cancel_after_release_does_not_reach_a_reused_context(void **state)
{
    (void)state;
    enum { CHURN = 9000, NEW = 200 }; /* past the 8,192 that bound the quarantine */
    tt_ctx *c = tt_ctx_with_timeout(tt_ctx_background(), 1);
    tt_chan *c_done = tt_ctx_done(c);
    tt_recv(c_done, NULL); /* expired: TT_TIMEOUT */
    tt_ctx_cancel(c); /* e.g. by a worker that saw it end: released now */
    tt_ctx **churn = malloc(CHURN * sizeof *churn);
    for (int i = 0; i < CHURN; i++)
        churn[i] = tt_ctx_with_cancel(tt_ctx_background());
    for (int i = 0; i < CHURN; i++)
        tt_ctx_cancel(churn[i]); /* c is now the oldest of more than 8,192 */
    free(churn);
    tt_ctx *fresh[NEW];
    int reused = -1;
    for (int i = 0; i < NEW; i++) {
        fresh[i] = tt_ctx_with_cancel(tt_ctx_background());
        if (tt_ctx_done(fresh[i]) == c_done)
            reused = i;
    }
    assert_true(reused >= 0); /* the test means something only if c was reused */

    /* The owner's calls through its old handle: c stays expired... */
    assert_int_equal(tt_ctx_err(c), TT_TIMEOUT);
    tt_case cs[] = { TT_RECV(tt_ctx_done(c), NULL) };
    assert_int_equal(tt_select_default(cs, 1), 0);
    assert_false(cs[0].ok);
    tt_ctx *child = tt_ctx_with_cancel(c);
    assert_int_equal(tt_ctx_err(child), TT_TIMEOUT);
    tt_ctx_cancel(child);
    tt_ctx_cancel(c); /* ...and its owner's cancel does nothing more */
    /* ...while the context that reuses its memory lives on. */
    assert_int_equal(tt_ctx_err(fresh[reused]), TT_OK);
    tt_case fs[] = { TT_RECV(tt_ctx_done(fresh[reused]), NULL) };
    assert_int_equal(tt_select_default(fs, 1), TT_DEFAULT);
    for (int i = 0; i < NEW; i++)
        tt_ctx_cancel(fresh[i]);
    /* Released again, with another error: each handle keeps its own. */
    assert_int_equal(tt_ctx_err(fresh[reused]), TT_CANCELED);
    assert_int_equal(tt_ctx_err(c), TT_TIMEOUT);
    assert_int_equal(tt_verify_none(0), 0);
}

static void test_background(void **state)
{
    (void)state;
    tt_ctx *bg = tt_ctx_background();
    assert_non_null(bg);
    assert_null(tt_ctx_done(bg));
    assert_int_equal(tt_ctx_err(bg), TT_OK);
    tt_ctx_cancel(bg); /* does nothing */
    assert_int_equal(tt_ctx_err(bg), TT_OK);
    assert_ptr_equal(tt_ctx_background(), bg);
}

static void test_cancel_closes_done_idempotent(void **state)
{
    (void)state;
    tt_ctx *c = tt_ctx_with_cancel(tt_ctx_background());
    tt_chan *done = tt_ctx_done(c);
    assert_non_null(done);
    assert_int_equal(tt_ctx_err(c), TT_OK);
    tt_case cs[] = { TT_RECV(done, NULL) };
    assert_int_equal(tt_select_default(cs, 1), TT_DEFAULT);
    tt_ctx_cancel(c);
    assert_int_equal(tt_ctx_err(c), TT_CANCELED);
    assert_int_equal(tt_recv(done, NULL), TT_CLOSED);
    tt_ctx_cancel(c);
    tt_ctx_cancel(c);
    assert_int_equal(tt_ctx_err(c), TT_CANCELED);
}

static void test_parent_cancels_descendants(void **state)
{
    (void)state;
    tt_ctx *root = tt_ctx_with_cancel(tt_ctx_background());
    tt_ctx *a = tt_ctx_with_cancel(root);
    tt_ctx *b = tt_ctx_with_timeout(root, 60000);
    tt_ctx *a1 = tt_ctx_with_cancel(a);
    tt_ctx *other = tt_ctx_with_cancel(tt_ctx_background());
    tt_ctx_cancel(a);
    assert_int_equal(tt_ctx_err(a1), TT_CANCELED);
    assert_int_equal(tt_ctx_err(root), TT_OK); /* cancel goes down, not up */
    assert_int_equal(tt_ctx_err(b), TT_OK);
    tt_ctx_cancel(root);
    assert_int_equal(tt_ctx_err(b), TT_CANCELED);
    assert_int_equal(tt_recv(tt_ctx_done(b), NULL), TT_CLOSED);
    assert_int_equal(tt_ctx_err(other), TT_OK);
    /* A child of a canceled parent starts canceled. */
    tt_ctx *late = tt_ctx_with_cancel(root);
    assert_int_equal(tt_ctx_err(late), TT_CANCELED);
    tt_ctx_cancel(late);
    tt_ctx_cancel(a1);
    tt_ctx_cancel(b);
    tt_ctx_cancel(other);
}

static void test_timeout_fires_on_its_own(void **state)
{
    (void)state;
    int64_t t0 = now_ms();
    tt_ctx *c = tt_ctx_with_timeout(tt_ctx_background(), 40);
    tt_ctx *child = tt_ctx_with_cancel(c);
    assert_int_equal(tt_recv(tt_ctx_done(child), NULL), TT_CLOSED);
    assert_true(now_ms() - t0 >= 35);
    assert_int_equal(tt_ctx_err(c), TT_TIMEOUT);
    assert_int_equal(tt_ctx_err(child), TT_TIMEOUT); /* like DeadlineExceeded */
    tt_ctx_cancel(c); /* the first error stays */
    assert_int_equal(tt_ctx_err(c), TT_TIMEOUT);
    tt_ctx_cancel(child);
    tt_ctx *zero = tt_ctx_with_timeout(tt_ctx_background(), 0);
    assert_int_equal(tt_ctx_err(zero), TT_TIMEOUT);
    tt_ctx_cancel(zero);
}

static void test_cancel_before_timeout_wins(void **state)
{
    (void)state;
    tt_ctx *c = tt_ctx_with_timeout(tt_ctx_background(), 30);
    tt_ctx_cancel(c);
    assert_int_equal(tt_ctx_err(c), TT_CANCELED);
    tt_sleep_ms(60); /* the timer must not overwrite the first error */
    assert_int_equal(tt_ctx_err(c), TT_CANCELED);
    /* A shorter parent timeout wins over a longer child one. */
    tt_ctx *p = tt_ctx_with_timeout(tt_ctx_background(), 20);
    tt_ctx *ch = tt_ctx_with_timeout(p, 60000);
    tt_recv(tt_ctx_done(ch), NULL);
    assert_int_equal(tt_ctx_err(ch), TT_TIMEOUT);
    tt_ctx_cancel(ch);
    tt_ctx_cancel(p);
}

typedef struct {
    tt_ctx *ctx;
    tt_chan *out;
    int sent;
    int err;
    tt_wg *wg;
} worker;

static void send_until_canceled(void *arg)
{
    worker *w = arg;
    for (int i = 0;; i++) {
        tt_case cs[] = { TT_SEND(w->out, &i), TT_RECV(tt_ctx_done(w->ctx), NULL) };
        if (tt_select(cs, 2) == 1)
            break;
        w->sent++;
    }
    w->err = tt_ctx_err(w->ctx);
    tt_wg_done(w->wg);
}

static void test_cancel_racing_with_send(void **state)
{
    (void)state;
    for (int round = 0; round < 200; round++) {
        tt_wg wg = TT_WG_INIT;
        tt_chan *out = tt_chan_new(sizeof(int), (size_t)(round % 3));
        worker w = { tt_ctx_with_cancel(tt_ctx_background()), out, 0, 0, &wg };
        tt_wg_add(&wg, 1);
        tt_spawn(send_until_canceled, &w);
        int got = 0, v;
        for (int i = 0; i < round % 7; i++)
            if (tt_recv(out, &v) == TT_OK)
                got++;
        tt_ctx_cancel(w.ctx);
        tt_wg_wait(&wg);
        assert_int_equal(w.err, TT_CANCELED);
        while (tt_chan_len(out) > 0 && tt_recv(out, &v) == TT_OK)
            got++;
        assert_int_equal(got, w.sent); /* every successful send was received */
        tt_chan_free(out);
    }
}

static void wait_done(void *arg)
{
    worker *w = arg;
    tt_recv(tt_ctx_done(w->ctx), NULL);
    tt_wg_done(w->wg);
}

static void test_many_tasks_on_one_context(void **state)
{
    (void)state;
    tt_wg wg = TT_WG_INIT;
    worker w = { tt_ctx_with_cancel(tt_ctx_background()), NULL, 0, 0, &wg };
    for (int i = 0; i < MANY; i++) {
        tt_wg_add(&wg, 1);
        assert_int_equal(tt_spawn(wait_done, &w), TT_OK);
    }
    tt_sleep_ms(50);
    int64_t t0 = now_ms();
    tt_ctx_cancel(w.ctx);
    tt_wg_wait(&wg);
    printf("# %d tasks woken by one cancel in %lld ms\n", MANY, (long long)(now_ms() - t0));
}

static void test_create_cancel_loop_constant_memory(void **state)
{
    (void)state;
    tt_ctx *parent = tt_ctx_with_cancel(tt_ctx_background());
    for (int i = 0; i < 20000; i++)
        tt_ctx_cancel(tt_ctx_with_timeout(parent, 1000));
    long before = rss_kib();
    for (int i = 0; i < 200000; i++) {
        tt_ctx *c = tt_ctx_with_cancel(parent);
        tt_ctx *t = tt_ctx_with_timeout(c, 1000);
        tt_ctx_cancel(t);
        tt_ctx_cancel(c);
    }
    long after = rss_kib();
    printf("# RSS %ld KiB -> %ld KiB over 200000 iterations\n", before, after);
    assert_true(before > 0);
    assert_true(after - before < 8 * 1024);
    tt_ctx_cancel(parent);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cancel_after_release_does_not_reach_a_reused_context),
        cmocka_unit_test(test_background),
        cmocka_unit_test(test_cancel_closes_done_idempotent),
        cmocka_unit_test(test_parent_cancels_descendants),
        cmocka_unit_test(test_timeout_fires_on_its_own),
        cmocka_unit_test(test_cancel_before_timeout_wins),
        cmocka_unit_test(test_cancel_racing_with_send),
        cmocka_unit_test(test_many_tasks_on_one_context),
        cmocka_unit_test(test_create_cancel_loop_constant_memory),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    return failed ? failed : tt_verify_none(2000);
}
