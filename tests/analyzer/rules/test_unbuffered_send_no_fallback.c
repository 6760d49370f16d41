/* test_unbuffered_send_no_fallback.c — unbuffered-send-no-fallback on hand-built models. */
#include "rule_test.h"

static const char *const ID = "unbuffered-send-no-fallback";

/* task(arg) { [for (;;)] send(arg) } */
static void send_task(bool in_loop)
{
    rt_fn("task", 1);
    model_obj_id arg = rt_param("arg");
    if (in_loop)
        rt_for_ever(0);
    rt_send(3, arg, "arg");
    if (in_loop)
        rt_end_loop();
    rt_end(4);
}

/* task(arg) { send(arg) }   owner { ch = new(cap); spawn(task, ch); <receiver> } */
enum receiver { RECV_NONE, RECV_PLAIN, RECV_EARLY_RETURN, RECV_TIMEOUT, RECV_CTX_DONE_LOOP };

static void owner_model(int64_t cap, enum receiver rcv)
{
    rt_reset(NULL);
    send_task(false);
    rt_fn("owner", 10);
    model_obj_id ch = rt_local("ch");
    rt_chan_new(11, ch, "ch", cap);
    rt_spawn(12, "task", ch, "ch");
    switch (rcv) {
    case RECV_NONE:
        break;
    case RECV_PLAIN:
        rt_recv(13, ch, "ch");
        break;
    case RECV_EARLY_RETURN:
        rt_if_return(13);
        rt_recv(14, ch, "ch");
        break;
    case RECV_TIMEOUT: {
        model_obj_id objs[2] = { ch, rt_after(15) };
        const char *texts[2] = { "ch", "tt_after(10)" };
        rt_select(13, false, 2, objs, texts, NULL); /* cases on lines 14 and 15 */
        break;
    }
    case RECV_CTX_DONE_LOOP: {
        model_obj_id ctx = rt_local("ctx");
        rt_ctx_with_cancel(12, ctx, "ctx", rt_background());
        rt_for_ever(0);
        model_obj_id objs[2] = { ch, rt_ctx_done(ctx) };
        const char *texts[2] = { "ch", "tt_ctx_done(ctx)" };
        rt_select(13, false, 2, objs, texts, NULL);
        rt_if_return(16);
        rt_end_loop();
        break;
    }
    }
    rt_end(20);
}

static void no_receiver(void **state)
{
    (void)state;
    owner_model(0, RECV_NONE);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has(3, "send on unbuffered channel 'arg' can block forever: its receiver can stop receiving first"));
    assert_true(rt_has_note(12, "'task' is spawned here"));
    assert_true(rt_has_note(20, "the receiver returns here without receiving from 'ch'"));
}

static void buffered_is_fine(void **state)
{
    (void)state;
    owner_model(1, RECV_NONE);
    assert_int_equal(rt_run(ID), 0);
}

static void owner_receives(void **state)
{
    (void)state;
    owner_model(0, RECV_PLAIN);
    assert_int_equal(rt_run(ID), 0);
}

static void owner_returns_early(void **state)
{
    (void)state;
    owner_model(0, RECV_EARLY_RETURN);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has_note(13, "the receiver returns here without receiving from 'ch'"));
}

static void owner_times_out(void **state)
{
    (void)state;
    owner_model(0, RECV_TIMEOUT);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has_note(15, "the receiver gives up here (timeout or cancel case)"));
}

static void owner_cancel_case_in_loop(void **state)
{
    (void)state;
    owner_model(0, RECV_CTX_DONE_LOOP);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has_note(15, "the receiver gives up here"));
}

/* task(arg) { for (;;) send(arg) }  owner { ...; recv once and return, or for (;;) recv } */
static void forever_model(bool steady)
{
    rt_reset(NULL);
    send_task(true);
    rt_fn("owner", 10);
    model_obj_id ch = rt_local("ch");
    rt_chan_new(11, ch, "ch", 0);
    rt_spawn(12, "task", ch, "ch");
    if (steady)
        rt_for_ever(0);
    rt_recv(13, ch, "ch");
    if (steady)
        rt_end_loop();
    else
        rt_ret(14);
    rt_end(15);
}

static void one_value_from_endless_sender(void **state)
{
    (void)state;
    forever_model(false);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has_note(14, "the receiver stops receiving here"));
}

static void endless_consumer(void **state)
{
    (void)state;
    forever_model(true);
    assert_int_equal(rt_run(ID), 0);
}

/* two tasks: first { send(a); recv(b) }  second { send(b); recv(a) } (seed 000 #5) */
static void circular_model(bool buffered)
{
    rt_reset(NULL);
    model_obj_id a = rt_field("pair", "ch1"), b = rt_field("pair", "ch2");
    rt_fn("first", 1);
    rt_param("arg");
    rt_send(2, a, "p->ch1");
    rt_recv(3, b, "p->ch2");
    rt_end(4);
    rt_fn("second", 5);
    rt_param("arg");
    rt_send(6, b, "p->ch2");
    rt_recv(7, a, "p->ch1");
    rt_end(8);
    rt_fn("main", 9);
    model_obj_id p = rt_local("p");
    rt_chan_new(10, a, "p.ch1", buffered ? 1 : 0);
    rt_chan_new(11, b, "p.ch2", buffered ? 1 : 0);
    rt_spawn(12, "first", p, "&p");
    rt_spawn(13, "second", p, "&p");
    rt_end(14);
}

static void circular_wait(void **state)
{
    (void)state;
    circular_model(false);
    assert_int_equal(rt_run(ID), 2);
    assert_true(rt_has(2, "'p->ch1' can block forever: its only receiver is itself blocked sending on 'p->ch2' (circular wait)"));
    assert_true(rt_has(6, "'p->ch2' can block forever: its only receiver is itself blocked sending on 'p->ch1' (circular wait)"));
    assert_true(rt_has_note(6, "the receiver blocks here sending on 'p->ch2'"));
    assert_true(rt_has_note(2, "the receiver blocks here sending on 'p->ch1'"));
    assert_true(rt_has_note(12, "'first' is spawned here"));
    assert_true(rt_has_note(13, "'second' is spawned here"));
}

static void circular_buffered(void **state)
{
    (void)state;
    circular_model(true);
    assert_int_equal(rt_run(ID), 0);
}

/* consumer(arg) { for (;;) { if (tt_recv(arg) != TT_OK) break; [if (x) break;] } }
 * owner { ch = new(0); spawn(consumer, ch); for (...) send(ch); close(ch) } */
static void drain_model(bool early_break)
{
    rt_reset(NULL);
    rt_fn("consumer", 1);
    model_obj_id arg = rt_param("arg");
    rt_for_ever(0);
    rt_recv(3, arg, "arg")->flags |= MODEL_EVF_IN_COND;
    rt_if_break(0, 0);
    if (early_break)
        rt_if_break(6, 13); /* the model places this `break;` */
    rt_end_loop();
    rt_end(7);
    rt_fn("owner", 10);
    model_obj_id ch = rt_local("ch");
    rt_chan_new(11, ch, "ch", 0);
    rt_spawn(12, "consumer", ch, "ch");
    rt_for(0);
    rt_send(14, ch, "ch");
    rt_end_loop();
    rt_close(15, ch, "ch");
    rt_end(16);
}

static void drain_until_closed(void **state)
{
    (void)state;
    drain_model(false);
    assert_int_equal(rt_run(ID), 0);
}

static void drain_breaks_early(void **state)
{
    (void)state;
    drain_model(true);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has(14, "send on unbuffered channel 'ch' can block forever"));
    /* the model places the `break` that stops receiving */
    assert_true(rt_has_note(6, "the receiver stops receiving here"));
}

/* consumer as in drain_model, breaking on a STOP message;
 * owner { ch = new(0); spawn(consumer, ch); for (...) send(ch); [if (x)] send(ch, STOP) } */
static void stop_message_model(bool stop_always)
{
    rt_reset(NULL);
    rt_fn("consumer", 1);
    model_obj_id arg = rt_param("arg");
    rt_while_recv(3, arg, "arg");
    rt_if_break(6, 13);
    rt_end_loop();
    rt_end(7);
    rt_fn("owner", 10);
    model_obj_id ch = rt_local("ch");
    rt_chan_new(11, ch, "ch", 0);
    rt_spawn(12, "consumer", ch, "ch");
    rt_for(0);
    rt_send(14, ch, "ch");
    rt_end_loop();
    if (!stop_always)
        rt_if();
    rt_send(15, ch, "ch");
    if (!stop_always)
        rt_end_if();
    rt_end(16);
}

static void stop_message_ends_stream(void **state)
{
    (void)state;
    stop_message_model(true);
    assert_int_equal(rt_run(ID), 0);
}

static void stop_message_only_sometimes(void **state)
{
    (void)state;
    stop_message_model(false);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has(14, "send on unbuffered channel 'ch' can block forever"));
    assert_true(rt_has_note(6, "the receiver stops receiving here"));
}

/* The commands go through a helper: call(s) { send(s.cmds) } called in a
 * loop, then stop(s) { send(s.cmds) } (p35) — or, without the stop, the
 * loop's last call is the last send. */
static void actor_model(bool with_stop)
{
    rt_reset(NULL);
    model_obj_id cmds = rt_field("svc", "cmds");
    rt_fn("actor", 1);
    rt_param("arg");
    rt_for_ever(0);
    rt_recv(3, cmds, "s->cmds")->flags |= MODEL_EVF_IN_COND;
    rt_if_break(4, 13);
    rt_if_break(5, 13); /* if (op == STOP) break; */
    rt_end_loop();
    rt_end(6);
    rt_fn("call", 8);
    rt_param("s");
    rt_send(9, cmds, "s->cmds");
    rt_end(10);
    rt_fn("stop", 12);
    rt_param("s");
    rt_send(13, cmds, "s->cmds");
    rt_end(14);
    rt_fn("main", 20);
    model_obj_id s = rt_local("s");
    rt_chan_new(21, cmds, "s->cmds", 0);
    rt_spawn(22, "actor", s, "s");
    rt_for(23);
    rt_call(24, "call", 1, &s);
    rt_end_loop();
    if (with_stop)
        rt_call(25, "stop", 1, &s);
    rt_end(26);
}

static void stop_message_from_helper(void **state)
{
    (void)state;
    actor_model(true);
    assert_int_equal(rt_run(ID), 0);
}

static void no_stop_message_from_helper(void **state)
{
    (void)state;
    actor_model(false);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has(9, "send on unbuffered channel 's->cmds' can block forever"));
}

/* owner { ch = new(0); if (tt_spawn(task, ch) != TT_OK) { free(ch); return; } [recv(ch)] } */
static void spawn_branch_model(bool receives)
{
    rt_reset(NULL);
    send_task(false);
    rt_fn("owner", 10);
    model_obj_id ch = rt_local("ch");
    rt_chan_new(11, ch, "ch", 0);
    rt_if_spawn(12, "task", ch, "ch");
    rt_ev(MODEL_EV_CHAN_FREE, 13, ch, "ch");
    rt_ret(14);
    rt_end_if();
    if (receives)
        rt_recv(16, ch, "ch");
    rt_ev(MODEL_EV_CHAN_FREE, 17, ch, "ch");
    rt_ret(18);
    rt_end(19);
}

static void spawn_failure_branch_is_no_leak(void **state)
{
    (void)state;
    spawn_branch_model(true);
    assert_int_equal(rt_run(ID), 0);
}

static void spawn_branch_neither_receives(void **state)
{
    (void)state;
    /* whichever branch is the failure, the other one leaks */
    spawn_branch_model(false);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has(3, "send on unbuffered channel 'arg' can block forever"));
}

/* owner { spawn(task, ch); for (misses < 3) { select { recv ch @15; after @16 } @14;
 *         [if (chosen == 0) break;] } } — the timeout case can end the loop */
static void give_up_model(bool tested, bool endless)
{
    rt_reset(NULL);
    send_task(false);
    rt_fn("owner", 10);
    model_obj_id ch = rt_local("ch");
    rt_chan_new(11, ch, "ch", 0);
    rt_spawn(12, "task", ch, "ch");
    if (endless)
        rt_for_ever(13);
    else
        rt_for(13);
    model_obj_id objs[2] = { ch, rt_after(16) };
    const char *texts[2] = { "ch", "tt_after(1)" };
    rt_select(14, false, 2, objs, texts, NULL);
    if (tested) {
        rt_if_case(17, 14, 0, true);
        rt_break(17, 30);
        rt_end_if();
    } else {
        rt_if_break(17, 30);
    }
    rt_end_loop();
    rt_ret(19);
    rt_end(20);
}

static void gives_up_after_timeouts(void **state)
{
    (void)state;
    give_up_model(true, false);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has(3, "send on unbuffered channel 'arg' can block forever"));
    assert_true(rt_has_note(16, "the receiver gives up here (timeout or cancel case)"));
}

static void timeout_result_untested(void **state)
{
    (void)state;
    /* no CASE_TEST: which branch follows the timeout is unknown */
    give_up_model(false, false);
    assert_int_equal(rt_run(ID), 0);
}

static void timeout_keeps_waiting(void **state)
{
    (void)state;
    /* for (;;): only the receive case leaves the loop */
    give_up_model(true, true);
    assert_int_equal(rt_run(ID), 0);
}

/* exchange(me) { send(peer.theirs); recv(peer.mine) } spawned twice, the
 * peers' fields merged by initializers ({ .mine = ba, .theirs = ab }) */
static void self_circular_model(bool owner_receives)
{
    rt_reset(NULL);
    model_obj_id mine = rt_field("peer", "mine"), theirs = rt_field("peer", "theirs");
    rt_fn("exchange", 1);
    rt_param("p");
    rt_send(3, theirs, "me->theirs");
    rt_recv(4, mine, "me->mine");
    rt_end(5);
    rt_fn("main", 6);
    model_obj_id ab = rt_local("ab"), ba = rt_local("ba");
    rt_chan_new(7, ab, "ab", 0);
    rt_chan_new(8, ba, "ba", 0);
    rt_alias(ab, theirs);
    rt_alias(ba, mine);
    rt_alias(ab, mine);
    rt_alias(ba, theirs);
    rt_spawn(9, "exchange", rt_local("alice"), "&alice");
    rt_spawn(10, "exchange", rt_local("bob"), "&bob");
    if (owner_receives)
        rt_recv(11, ab, "ab");
    rt_end(12);
}

static void peers_send_first(void **state)
{
    (void)state;
    self_circular_model(false);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has(3, "its only receivers are other 'exchange' tasks, each blocked sending on 'me->theirs' first (circular wait)"));
    assert_true(rt_has_note(9, "'exchange' is spawned here"));
    assert_true(rt_has_note(10, "'exchange' is spawned here"));
}

static void peers_owner_also_receives(void **state)
{
    (void)state;
    self_circular_model(true);
    /* the owner's receive frees one peer: no circular wait */
    assert_int_equal(rt_run(ID), 0);
}

/* a one-shot sender: the fix-it travels with a note at the capacity argument */
static void fixit_note_at_capacity(void **state)
{
    (void)state;
    rt_reset(NULL);
    send_task(false);
    rt_fn("owner", 10);
    model_obj_id ch = rt_local("ch");
    rt_arg_at(rt_chan_new(11, ch, "ch", 0), 40);
    rt_spawn(12, "task", ch, "ch");
    rt_end(20);
    rt_run(ID);
    assert_int_equal(rt_count(), 1);
    const diag *d = &R.out.items[0];
    assert_null(d->fix_hint);
    assert_int_equal(d->nfixits, 1);
    assert_int_equal(d->fixits[0].begin.line, 11);
    assert_int_equal(d->fixits[0].begin.col, 40);
    assert_int_equal(d->fixits[0].end.col, 41);
    assert_string_equal(d->fixits[0].text, "1");
    /* it belongs to the note at the capacity */
    assert_true(d->fixits[0].note >= 1 && d->fixits[0].note <= d->nnotes);
    const diag_note *n = &d->notes[d->fixits[0].note - 1];
    assert_int_equal(n->loc.line, 11);
    assert_int_equal(n->loc.col, 40);
    assert_non_null(strstr(n->msg, "make 'ch' buffered with capacity 1 so the send cannot block"));
}

/* owner { ch = new(0); ctx = with_cancel(bg); spawn(consume, ch); for (3) send(ch);
 * [cancel(ctx)] }   consume(arg) { for (;;) { select(arg, done(ctx)); if (== 1) return; } }
 * The only cancel is the sender's own, after its sends: no give-up while one
 * is pending. Without that cancel the old view (gives up) stays. */
static void late_cancel_model(bool cancel_after)
{
    rt_reset(NULL);
    model_obj_id ctx = rt_global("ctx");
    rt_fn("consume", 1);
    model_obj_id arg = rt_param("arg");
    rt_for_ever(2);
    model_obj_id objs[2] = { arg, rt_ctx_done(ctx) };
    const char *texts[2] = { "arg", "tt_ctx_done(ctx)" };
    rt_select(3, false, 2, objs, texts, NULL);
    rt_if_case(6, 3, 1, true);
    rt_ret(6);
    rt_end_if();
    rt_end_loop();
    rt_end(8);
    rt_fn("main", 10);
    model_obj_id ch = rt_local("ch");
    rt_chan_new(11, ch, "ch", 0);
    rt_ctx_with_cancel(12, ctx, "ctx", rt_background());
    rt_spawn(13, "consume", ch, "ch");
    rt_for_n(14, 3);
    rt_send(15, ch, "ch");
    rt_end_loop();
    if (cancel_after)
        rt_ctx_cancel(16, ctx, "ctx");
    rt_end(18);
}

static void sender_cancels_after_sends(void **state)
{
    (void)state;
    late_cancel_model(true);
    assert_int_equal(rt_run(ID), 0);
}

static void cancel_before_sends_gives_up(void **state)
{
    (void)state;
    /* the same receiver, but the owner cancels first: the case can fire */
    rt_reset(NULL);
    model_obj_id ctx = rt_global("ctx");
    rt_fn("consume", 1);
    model_obj_id arg = rt_param("arg");
    rt_for_ever(2);
    model_obj_id objs[2] = { arg, rt_ctx_done(ctx) };
    const char *texts[2] = { "arg", "tt_ctx_done(ctx)" };
    rt_select(3, false, 2, objs, texts, NULL);
    rt_if_case(6, 3, 1, true);
    rt_ret(6);
    rt_end_if();
    rt_end_loop();
    rt_end(8);
    rt_fn("main", 10);
    model_obj_id ch = rt_local("ch");
    rt_chan_new(11, ch, "ch", 0);
    rt_ctx_with_cancel(12, ctx, "ctx", rt_background());
    rt_spawn(13, "consume", ch, "ch");
    rt_ctx_cancel(14, ctx, "ctx");
    rt_for_n(15, 3);
    rt_send(16, ch, "ch");
    rt_end_loop();
    rt_end(18);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has(16, "its receiver can stop receiving first"));
    assert_true(rt_has_note(5, "the receiver gives up here"));
}

/* job(arg) { send(arg) }   owner { ch = new(0); <spawns of job>; recv(ch) once; return } */
static void senders_model(int64_t loop_trips, int straight)
{
    rt_reset(NULL);
    send_task(false);
    rt_fn("owner", 10);
    model_obj_id ch = rt_local("ch");
    rt_chan_new(11, ch, "ch", 0);
    for (int i = 0; i < straight; i++)
        rt_spawn(12, "task", ch, "ch");
    if (loop_trips) {
        rt_for_n(13, loop_trips);
        rt_spawn(14, "task", ch, "ch");
        rt_end_loop();
    }
    rt_recv(15, ch, "ch");
    rt_end(20);
}

static void two_senders_one_receive(void **state)
{
    (void)state;
    senders_model(0, 2);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has(3, "send on unbuffered channel 'arg' can block forever"));
    assert_true(rt_has_note(15, "the receiver stops after 1 value(s) but 2 task(s) send"));
}

static void counted_senders_one_receive(void **state)
{
    (void)state;
    /* spawned in a loop, the send already repeats: the older "stops
     * receiving" finding reports it, once */
    senders_model(4, 0);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has(3, "send on unbuffered channel 'arg' can block forever"));
}

static void one_sender_one_receive(void **state)
{
    (void)state;
    senders_model(0, 1);
    assert_int_equal(rt_run(ID), 0);
}

static void unknown_trips_give_no_count(void **state)
{
    (void)state;
    rt_reset(NULL);
    send_task(false);
    rt_fn("owner", 10);
    model_obj_id ch = rt_local("ch");
    rt_chan_new(11, ch, "ch", 0);
    rt_for(13);
    rt_spawn(14, "task", ch, "ch");
    rt_end_loop();
    rt_recv(15, ch, "ch");
    rt_end(20);
    assert_int_equal(rt_run(ID), 1); /* the older finding, without counts */
    assert_false(rt_has_note(15, "task(s) send"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(peers_send_first, rt_teardown),
        cmocka_unit_test_teardown(peers_owner_also_receives, rt_teardown),
        cmocka_unit_test_teardown(fixit_note_at_capacity, rt_teardown),
        cmocka_unit_test_teardown(no_receiver, rt_teardown),
        cmocka_unit_test_teardown(buffered_is_fine, rt_teardown),
        cmocka_unit_test_teardown(owner_receives, rt_teardown),
        cmocka_unit_test_teardown(owner_returns_early, rt_teardown),
        cmocka_unit_test_teardown(owner_times_out, rt_teardown),
        cmocka_unit_test_teardown(owner_cancel_case_in_loop, rt_teardown),
        cmocka_unit_test_teardown(one_value_from_endless_sender, rt_teardown),
        cmocka_unit_test_teardown(endless_consumer, rt_teardown),
        cmocka_unit_test_teardown(circular_wait, rt_teardown),
        cmocka_unit_test_teardown(circular_buffered, rt_teardown),
        cmocka_unit_test_teardown(drain_until_closed, rt_teardown),
        cmocka_unit_test_teardown(drain_breaks_early, rt_teardown),
        cmocka_unit_test_teardown(stop_message_ends_stream, rt_teardown),
        cmocka_unit_test_teardown(stop_message_only_sometimes, rt_teardown),
        cmocka_unit_test_teardown(stop_message_from_helper, rt_teardown),
        cmocka_unit_test_teardown(no_stop_message_from_helper, rt_teardown),
        cmocka_unit_test_teardown(spawn_failure_branch_is_no_leak, rt_teardown),
        cmocka_unit_test_teardown(spawn_branch_neither_receives, rt_teardown),
        cmocka_unit_test_teardown(gives_up_after_timeouts, rt_teardown),
        cmocka_unit_test_teardown(timeout_result_untested, rt_teardown),
        cmocka_unit_test_teardown(timeout_keeps_waiting, rt_teardown),
        cmocka_unit_test_teardown(sender_cancels_after_sends, rt_teardown),
        cmocka_unit_test_teardown(cancel_before_sends_gives_up, rt_teardown),
        cmocka_unit_test_teardown(two_senders_one_receive, rt_teardown),
        cmocka_unit_test_teardown(counted_senders_one_receive, rt_teardown),
        cmocka_unit_test_teardown(one_sender_one_receive, rt_teardown),
        cmocka_unit_test_teardown(unknown_trips_give_no_count, rt_teardown),
    };
    return cmocka_run_group_tests_name("unbuffered-send-no-fallback", tests, NULL, NULL);
}
