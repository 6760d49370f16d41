/* test_chan.c — channel semantics: rendezvous, buffering, FIFO, close and
 * drain, closing with blocked receivers and senders, program-error reports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rt_util.h"
#include "tether.h"

typedef struct {
    tt_chan *ch;
    int n;
    atomic_int state; /* 1 once the task is about to block, 2 when done */
    int rc;
    int value;
    tt_wg *wg;
} job;

static void sender_n(void *arg)
{
    job *j = arg;
    for (int i = 0; i < j->n; i++)
        tt_send(j->ch, &i);
    atomic_store(&j->state, 2);
    tt_wg_done(j->wg);
}

static void test_unbuffered_rendezvous(void **state)
{
    (void)state;
    tt_wg wg = TT_WG_INIT;
    tt_chan *ch = tt_chan_new(sizeof(int), 0);
    assert_int_equal(tt_chan_cap(ch), 0);
    job j = { .ch = ch, .n = 1, .wg = &wg };
    tt_wg_add(&wg, 1);
    tt_spawn(sender_n, &j);
    tt_sleep_ms(50);
    /* The send cannot complete before a receiver takes the value. */
    assert_int_equal(atomic_load(&j.state), 0);
    assert_int_equal(tt_chan_len(ch), 0);
    int v = -1;
    assert_int_equal(tt_recv(ch, &v), TT_OK);
    assert_int_equal(v, 0);
    tt_wg_wait(&wg);
    assert_int_equal(atomic_load(&j.state), 2);
    tt_chan_free(ch);
}

static void test_buffered_fifo(void **state)
{
    (void)state;
    tt_chan *ch = tt_chan_new(sizeof(int), 8);
    assert_int_equal(tt_chan_cap(ch), 8);
    for (int i = 0; i < 8; i++)
        assert_int_equal(tt_send(ch, &i), TT_OK); /* never blocks below cap */
    assert_int_equal(tt_chan_len(ch), 8);
    for (int i = 0; i < 8; i++) {
        int v;
        assert_int_equal(tt_recv(ch, &v), TT_OK);
        assert_int_equal(v, i);
    }
    assert_int_equal(tt_chan_len(ch), 0);
    tt_chan_free(ch);
}

static void test_fifo_through_blocking_senders(void **state)
{
    (void)state;
    tt_wg wg = TT_WG_INIT;
    tt_chan *ch = tt_chan_new(sizeof(int), 3);
    job j = { .ch = ch, .n = 1000, .wg = &wg };
    tt_wg_add(&wg, 1);
    tt_spawn(sender_n, &j);
    for (int i = 0; i < 1000; i++) {
        int v = -1;
        assert_int_equal(tt_recv(ch, &v), TT_OK);
        assert_int_equal(v, i);
    }
    tt_wg_wait(&wg);
    tt_chan_free(ch);
}

static void test_close_drains_then_closed(void **state)
{
    (void)state;
    tt_chan *ch = tt_chan_new(sizeof(int), 4);
    for (int i = 1; i <= 3; i++)
        tt_send(ch, &i);
    tt_close(ch);
    int v, sum = 0, n = 0;
    while (tt_recv(ch, &v) == TT_OK) {
        sum += v;
        n++;
    }
    assert_int_equal(n, 3);
    assert_int_equal(sum, 6);
    v = 12345;
    assert_int_equal(tt_recv(ch, &v), TT_CLOSED);
    assert_int_equal(v, 0); /* zero-filled */
    assert_int_equal(tt_recv(ch, NULL), TT_CLOSED);
    tt_chan_free(ch);
}

static void test_recv_out_null(void **state)
{
    (void)state;
    tt_chan *ch = tt_chan_new(sizeof(double), 1);
    double d = 2.5;
    tt_send(ch, &d);
    assert_int_equal(tt_recv(ch, NULL), TT_OK);
    assert_int_equal(tt_chan_len(ch), 0);
    tt_chan_free(ch);
}

static void receiver(void *arg)
{
    job *j = arg;
    j->value = 777;
    atomic_store(&j->state, 1);
    j->rc = tt_recv(j->ch, &j->value);
    tt_wg_done(j->wg);
}

static void test_close_wakes_all_receivers(void **state)
{
    (void)state;
    tt_wg wg = TT_WG_INIT;
    tt_chan *ch = tt_chan_new(sizeof(int), 0);
    job js[5];
    for (int i = 0; i < 5; i++) {
        js[i] = (job){ .ch = ch, .wg = &wg, .rc = 99 };
        tt_wg_add(&wg, 1);
        tt_spawn(receiver, &js[i]);
    }
    tt_sleep_ms(30);
    tt_close(ch);
    tt_wg_wait(&wg);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(js[i].rc, TT_CLOSED);
        assert_int_equal(js[i].value, 0);
    }
    tt_chan_free(ch);
}

static void blocked_sender(void *arg)
{
    job *j = arg;
    int v = 5;
    atomic_store(&j->state, 1);
    j->rc = tt_send(j->ch, &v); j->value = __LINE__;
    tt_wg_done(j->wg);
}

static void test_close_wakes_blocked_senders_with_report(void **state)
{
    (void)state;
    tt_wg wg = TT_WG_INIT;
    tt_chan *ch = tt_chan_new(sizeof(int), 0); int chan_line = __LINE__;
    job js[2];
    capture_begin();
    for (int i = 0; i < 2; i++) {
        js[i] = (job){ .ch = ch, .wg = &wg, .rc = 99 };
        tt_wg_add(&wg, 1);
        tt_spawn(blocked_sender, &js[i]);
    }
    tt_sleep_ms(30);
    tt_close(ch);
    tt_wg_wait(&wg);
    char *err = capture_end();
    char want[256];
    snprintf(want, sizeof want, "tether: send on closed channel at %s:%d (channel created at %s:%d (unbuffered))",
             __FILE__, js[0].value, __FILE__, chan_line);
    for (int i = 0; i < 2; i++)
        assert_int_equal(js[i].rc, TT_CLOSED);
    assert_non_null(strstr(err, want));
    assert_non_null(strstr(strstr(err, want) + 1, want)); /* one report per sender */
    free(err);
    tt_chan_free(ch);
}

static void test_send_on_closed_and_double_close_reported(void **state)
{
    (void)state;
    tt_chan *ch = tt_chan_new(sizeof(int), 2); int chan_line = __LINE__;
    int v = 1;
    tt_send(ch, &v);
    tt_close(ch);
    capture_begin();
    int rc = tt_send(ch, &v); int send_line = __LINE__;
    tt_close(ch); int close_line = __LINE__;
    char *err = capture_end();
    assert_int_equal(rc, TT_CLOSED);
    char want[256];
    snprintf(want, sizeof want, "send on closed channel at %s:%d (channel created at %s:%d (buffered, cap 2))",
             __FILE__, send_line, __FILE__, chan_line);
    assert_non_null(strstr(err, want));
    snprintf(want, sizeof want, "close of closed channel at %s:%d", __FILE__, close_line);
    assert_non_null(strstr(err, want));
    /* State was not corrupted: the buffered value drains, then closed. */
    int got = 0;
    assert_int_equal(tt_recv(ch, &got), TT_OK);
    assert_int_equal(got, 1);
    assert_int_equal(tt_recv(ch, &got), TT_CLOSED);
    free(err);
    tt_chan_free(ch);
}

static void test_plain_functions(void **state)
{
    (void)state;
    tt_chan *ch = (tt_chan_new)(sizeof(int), 1);
    int v = 42, got = 0;
    assert_int_equal((tt_send)(ch, &v), TT_OK);
    assert_int_equal((tt_recv)(ch, &got), TT_OK);
    assert_int_equal(got, 42);
    (tt_close)(ch);
    capture_begin();
    int rc = (tt_send)(ch, &v);
    char *err = capture_end();
    assert_int_equal(rc, TT_CLOSED);
    assert_non_null(strstr(err, "send on closed channel at an unknown site"));
    free(err);
    int (*send_fp)(tt_chan *, const void *) = &tt_send;
    assert_non_null(send_fp);
    tt_chan_free(ch);
}

static void test_nil_channel_never_ready(void **state)
{
    (void)state;
    int v = 0;
    tt_case cs[] = { TT_RECV(NULL, &v), TT_SEND(NULL, &v) };
    assert_int_equal(tt_select_default(cs, 2), TT_DEFAULT);
    assert_int_equal(tt_chan_len(NULL), 0);
    assert_int_equal(tt_chan_cap(NULL), 0);
}

typedef struct {
    tt_chan *ch;
    long sum;
    int n;
    tt_wg *wg;
} pc;

static void producer(void *arg)
{
    pc *p = arg;
    for (int i = 1; i <= p->n; i++)
        tt_send(p->ch, &i);
    tt_wg_done(p->wg);
}

static void consumer(void *arg)
{
    pc *p = arg;
    int v;
    while (tt_recv(p->ch, &v) == TT_OK)
        p->sum += v;
    tt_wg_done(p->wg);
}

static void test_many_producers_consumers(void **state)
{
    (void)state;
    for (size_t cap = 0; cap <= 16; cap += 16) {
        tt_chan *ch = tt_chan_new(sizeof(int), cap);
        tt_wg pw = TT_WG_INIT, cw = TT_WG_INIT;
        pc ps[4], cs[4];
        for (int i = 0; i < 4; i++) {
            ps[i] = (pc){ ch, 0, 2000, &pw };
            cs[i] = (pc){ ch, 0, 0, &cw };
            tt_wg_add(&pw, 1);
            tt_wg_add(&cw, 1);
            tt_spawn(producer, &ps[i]);
            tt_spawn(consumer, &cs[i]);
        }
        tt_wg_wait(&pw);
        tt_close(ch);
        tt_wg_wait(&cw);
        long total = 0;
        for (int i = 0; i < 4; i++)
            total += cs[i].sum;
        assert_int_equal(total, 4L * 2000 * 2001 / 2);
        tt_chan_free(ch);
    }
}

static void test_struct_elements(void **state)
{
    (void)state;
    typedef struct { char name[40]; double x; } rec;
    tt_chan *ch = tt_chan_new(sizeof(rec), 2);
    rec a = { "alpha", 1.5 }, b;
    tt_send(ch, &a);
    tt_recv(ch, &b);
    assert_string_equal(b.name, "alpha");
    assert_true(b.x == 1.5);
    tt_chan_free(ch);
}

typedef struct {
    tt_chan *ch;
    int mode;
    tt_wg *wg;
} handoff;

/* The last user of a channel frees it the moment its own call returns. */
static void handoff_peer(void *arg)
{
    handoff *h = arg;
    int v = 1;
    if (h->mode == 0) {
        tt_send(h->ch, &v); /* main receives, then frees */
    } else if (h->mode == 1) {
        tt_case cs[] = { TT_RECV(h->ch, &v) };
        tt_select(cs, 1);
        tt_chan_free(h->ch);
    } else {
        while (tt_recv(h->ch, &v) == TT_OK)
            ;
        tt_chan_free(h->ch);
    }
    tt_wg_done(h->wg);
}

static void test_free_right_after_handoff(void **state)
{
    (void)state;
    tt_wg wg = TT_WG_INIT;
    for (int i = 0; i < 1500; i++) {
        handoff h = { tt_chan_new(sizeof(int), 0), i % 3, &wg };
        tt_wg_add(&wg, 1);
        tt_spawn(handoff_peer, &h);
        int v = 2;
        if (h.mode == 0) {
            assert_int_equal(tt_recv(h.ch, &v), TT_OK);
            tt_chan_free(h.ch);
        } else if (h.mode == 1) {
            assert_int_equal(tt_send(h.ch, &v), TT_OK);
        } else {
            tt_close(h.ch);
        }
        tt_wg_wait(&wg);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unbuffered_rendezvous),
        cmocka_unit_test(test_buffered_fifo),
        cmocka_unit_test(test_fifo_through_blocking_senders),
        cmocka_unit_test(test_close_drains_then_closed),
        cmocka_unit_test(test_recv_out_null),
        cmocka_unit_test(test_close_wakes_all_receivers),
        cmocka_unit_test(test_close_wakes_blocked_senders_with_report),
        cmocka_unit_test(test_send_on_closed_and_double_close_reported),
        cmocka_unit_test(test_plain_functions),
        cmocka_unit_test(test_nil_channel_never_ready),
        cmocka_unit_test(test_many_producers_consumers),
        cmocka_unit_test(test_struct_elements),
        cmocka_unit_test(test_free_right_after_handoff),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    /* Every test cleans up after itself: nothing may leak. */
    return failed ? failed : tt_verify_none(2000);
}
