/* test_select.c — tt_select: readiness, random choice, default, closed
 * channels, send cases, the same channel twice, blocking and waking. */
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

static void test_all_ready_cases_get_chosen(void **state)
{
    (void)state;
    tt_chan *ch[4];
    for (int i = 0; i < 4; i++) {
        ch[i] = tt_chan_new(sizeof(int), 1);
        tt_send(ch[i], &i);
    }
    int hits[4] = { 0 };
    for (int it = 0; it < 1000; it++) {
        int v = -1;
        tt_case cs[4];
        for (int i = 0; i < 4; i++)
            cs[i] = TT_RECV(ch[i], &v);
        int k = tt_select(cs, 4);
        assert_in_range(k, 0, 3);
        assert_true(cs[k].ok);
        assert_int_equal(v, k);
        hits[k]++;
        tt_send(ch[k], &k); /* make it ready again */
    }
    /* A fixed order would starve cases; each has chance 1/4 per run, so
     * missing one in 1000 runs has probability below 1e-120. */
    for (int i = 0; i < 4; i++) {
        assert_true(hits[i] > 0);
        tt_chan_free(ch[i]);
    }
}

static void test_default_when_nothing_ready(void **state)
{
    (void)state;
    tt_chan *a = tt_chan_new(sizeof(int), 0), *b = tt_chan_new(sizeof(int), 1);
    int v = 3;
    tt_case cs[] = { TT_RECV(a, &v), TT_SEND(a, &v), TT_RECV(b, &v) };
    assert_int_equal(tt_select_default(cs, 3), TT_DEFAULT);
    for (int i = 0; i < 3; i++)
        assert_false(cs[i].ok);
    tt_case snd[] = { TT_SEND(b, &v) };
    assert_int_equal(tt_select_default(snd, 1), 0); /* buffer has room */
    assert_true(snd[0].ok);
    assert_int_equal(tt_select_default(snd, 1), TT_DEFAULT); /* now full */
    assert_int_equal(tt_select_default(NULL, 0), TT_DEFAULT);
    tt_chan_free(a);
    tt_chan_free(b);
}

static void test_recv_on_closed_is_ready_zero_filled(void **state)
{
    (void)state;
    tt_chan *a = tt_chan_new(sizeof(int64_t), 0);
    tt_close(a);
    int64_t v = -1;
    tt_case cs[] = { TT_RECV(NULL, NULL), TT_RECV(a, &v) };
    assert_int_equal(tt_select(cs, 2), 1);
    assert_false(cs[1].ok);
    assert_int_equal(v, 0);
    tt_chan_free(a);
}

static void test_send_on_closed_case_reported(void **state)
{
    (void)state;
    tt_chan *a = tt_chan_new(sizeof(int), 0); int chan_line = __LINE__;
    tt_close(a);
    int v = 1;
    tt_case cs[] = { TT_SEND(a, &v) };
    capture_begin();
    int k = tt_select(cs, 1); int line = __LINE__;
    char *err = capture_end();
    assert_int_equal(k, 0);
    assert_false(cs[0].ok);
    char want[256];
    snprintf(want, sizeof want, "tether: send on closed channel at %s:%d (channel created at %s:%d", __FILE__, line,
             __FILE__, chan_line);
    assert_non_null(strstr(err, want));
    free(err);
    tt_chan_free(a);
}

typedef struct {
    tt_chan *ch;
    int value;
    int delay_ms;
    tt_wg *wg;
} msg;

static void delayed_send(void *arg)
{
    msg *m = arg;
    tt_sleep_ms(m->delay_ms);
    tt_send(m->ch, &m->value);
    tt_wg_done(m->wg);
}

static void delayed_recv(void *arg)
{
    msg *m = arg;
    tt_sleep_ms(m->delay_ms);
    tt_recv(m->ch, &m->value);
    tt_wg_done(m->wg);
}

static void delayed_close(void *arg)
{
    msg *m = arg;
    tt_sleep_ms(m->delay_ms);
    tt_close(m->ch);
    tt_wg_done(m->wg);
}

static void test_blocking_select_woken_by_send(void **state)
{
    (void)state;
    tt_wg wg = TT_WG_INIT;
    tt_chan *a = tt_chan_new(sizeof(int), 0), *b = tt_chan_new(sizeof(int), 0);
    msg m = { b, 99, 20, &wg };
    tt_wg_add(&wg, 1);
    tt_spawn(delayed_send, &m);
    int va = -1, vb = -1;
    tt_case cs[] = { TT_RECV(a, &va), TT_RECV(b, &vb) };
    assert_int_equal(tt_select(cs, 2), 1);
    assert_true(cs[1].ok);
    assert_int_equal(vb, 99);
    assert_int_equal(va, -1); /* the other case's buffer is untouched */
    tt_wg_wait(&wg);
    tt_chan_free(a);
    tt_chan_free(b);
}

static void test_blocking_select_send_case(void **state)
{
    (void)state;
    tt_wg wg = TT_WG_INIT;
    tt_chan *a = tt_chan_new(sizeof(int), 0);
    msg m = { a, -1, 20, &wg };
    tt_wg_add(&wg, 1);
    tt_spawn(delayed_recv, &m);
    int v = 1234;
    tt_case cs[] = { TT_RECV(NULL, NULL), TT_SEND(a, &v) };
    assert_int_equal(tt_select(cs, 2), 1);
    assert_true(cs[1].ok);
    tt_wg_wait(&wg);
    assert_int_equal(m.value, 1234);
    tt_chan_free(a);
}

static void test_blocking_select_woken_by_close(void **state)
{
    (void)state;
    tt_wg wg = TT_WG_INIT;
    tt_chan *a = tt_chan_new(sizeof(int), 0);
    msg m = { a, 0, 20, &wg };
    tt_wg_add(&wg, 1);
    tt_spawn(delayed_close, &m);
    int v = 55;
    tt_case cs[] = { TT_RECV(a, &v) };
    assert_int_equal(tt_select(cs, 1), 0);
    assert_false(cs[0].ok);
    assert_int_equal(v, 0);
    tt_wg_wait(&wg);
    tt_chan_free(a);
}

static void test_same_channel_twice(void **state)
{
    (void)state;
    tt_wg wg = TT_WG_INIT;
    tt_chan *a = tt_chan_new(sizeof(int), 0);
    for (int round = 0; round < 50; round++) {
        msg m = { a, round, 1, &wg };
        tt_wg_add(&wg, 1);
        tt_spawn(delayed_send, &m);
        int v1 = -1, v2 = -1;
        tt_case cs[] = { TT_RECV(a, &v1), TT_RECV(a, &v2) };
        int k = tt_select(cs, 2);
        assert_in_range(k, 0, 1);
        assert_int_equal(k == 0 ? v1 : v2, round);
        tt_wg_wait(&wg);
    }
    /* Send and receive on the same channel in one select: the peer decides. */
    msg m = { a, -1, 10, &wg };
    tt_wg_add(&wg, 1);
    tt_spawn(delayed_recv, &m);
    int out = 8, in = -1;
    tt_case cs[] = { TT_SEND(a, &out), TT_RECV(a, &in) };
    assert_int_equal(tt_select(cs, 2), 0);
    tt_wg_wait(&wg);
    assert_int_equal(m.value, 8);
    tt_chan_free(a);
}

typedef struct {
    tt_chan *in[4];
    tt_chan *quit;
    long got;
    tt_wg *wg;
} fanin;

static void fanin_loop(void *arg)
{
    fanin *f = arg;
    for (;;) {
        int v;
        tt_case cs[] = { TT_RECV(f->in[0], &v), TT_RECV(f->in[1], &v), TT_RECV(f->in[2], &v),
                         TT_RECV(f->in[3], &v), TT_RECV(f->quit, NULL) };
        int k = tt_select(cs, 5);
        if (k == 4)
            break;
        f->got += v;
    }
    tt_wg_done(f->wg);
}

static void pump(void *arg)
{
    msg *m = arg;
    for (int i = 1; i <= 500; i++)
        tt_send(m->ch, &i);
    tt_wg_done(m->wg);
}

static void test_select_loop_under_contention(void **state)
{
    (void)state;
    tt_wg sw = TT_WG_INIT, fw = TT_WG_INIT;
    fanin f = { .quit = tt_chan_new(0, 0), .wg = &fw };
    msg ms[4];
    for (int i = 0; i < 4; i++) {
        f.in[i] = tt_chan_new(sizeof(int), (size_t)i); /* mix of cap 0..3 */
        ms[i] = (msg){ f.in[i], 0, 0, &sw };
        tt_wg_add(&sw, 1);
        tt_spawn(pump, &ms[i]);
    }
    tt_wg_add(&fw, 1);
    tt_spawn(fanin_loop, &f);
    tt_wg_wait(&sw);
    tt_close(f.quit); /* buffered leftovers may be lost to quit: drain counts */
    tt_wg_wait(&fw);
    long rest = 0;
    for (int i = 0; i < 4; i++) {
        int v;
        while (tt_chan_len(f.in[i]) > 0 && tt_recv(f.in[i], &v) == TT_OK)
            rest += v;
        tt_chan_free(f.in[i]);
    }
    assert_int_equal(f.got + rest, 4L * 500 * 501 / 2);
    tt_chan_free(f.quit);
}

static void test_many_cases(void **state)
{
    (void)state;
    enum { N = 40 };
    tt_chan *ch[N];
    tt_case cs[N];
    int v = -1;
    for (int i = 0; i < N; i++) {
        ch[i] = tt_chan_new(sizeof(int), 1);
        cs[i] = TT_RECV(ch[i], &v);
    }
    int x = 31;
    tt_send(ch[31], &x);
    assert_int_equal(tt_select(cs, N), 31);
    assert_int_equal(v, 31);
    for (int i = 0; i < N; i++)
        tt_chan_free(ch[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_ready_cases_get_chosen),
        cmocka_unit_test(test_default_when_nothing_ready),
        cmocka_unit_test(test_recv_on_closed_is_ready_zero_filled),
        cmocka_unit_test(test_send_on_closed_case_reported),
        cmocka_unit_test(test_blocking_select_woken_by_send),
        cmocka_unit_test(test_blocking_select_send_case),
        cmocka_unit_test(test_blocking_select_woken_by_close),
        cmocka_unit_test(test_same_channel_twice),
        cmocka_unit_test(test_select_loop_under_contention),
        cmocka_unit_test(test_many_cases),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    return failed ? failed : tt_verify_none(2000);
}
