/* test_spawn_no_cancel.c — spawn-no-cancel on hand-built models. */
#include "rule_test.h"

static const char *const ID = "spawn-no-cancel";

/* task(arg) { tt_recv(arg) }  main { ch = new(0); spawn(task, ch); [send(ch)] } */
static void recv_task_model(bool owner_sends)
{
    rt_reset(NULL);
    rt_fn("task", 1);
    model_obj_id arg = rt_param("arg");
    rt_recv(3, arg, "arg");
    rt_end(4);
    rt_fn("main", 6);
    model_obj_id ch = rt_local("ch");
    rt_chan_new(7, ch, "ch", 0);
    rt_spawn(8, "task", ch, "ch");
    if (owner_sends)
        rt_send(9, ch, "ch");
    rt_end(10);
}

static void recv_never_sent(void **state)
{
    (void)state;
    recv_task_model(false);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has(8, "task 'task' can block forever: no cancellation signal reaches it"));
    assert_true(rt_has_note(3, "'task' blocks here on tt_recv from 'arg', which nothing sends to or closes"));
}

static void recv_sent_by_owner(void **state)
{
    (void)state;
    recv_task_model(true);
    assert_int_equal(rt_run(ID), 0);
}

/* bg(arg) { for (;;) { [if (tt_ctx_err(arg)) return;] sleep } }
 * main { ctx = with_cancel(bg); spawn(bg, ctx); cancel(ctx) } */
static void loop_model(bool polls)
{
    rt_reset(NULL);
    rt_fn("bg", 1);
    model_obj_id arg = rt_param("arg");
    rt_for_ever(0);
    if (polls) {
        rt_ctx_err(3, arg, "arg")->flags |= MODEL_EVF_IN_COND;
        rt_if_return(3);
    }
    rt_sleep(4, 5);
    rt_end_loop();
    rt_end(6);
    rt_fn("main", 8);
    model_obj_id ctx = rt_local("ctx");
    rt_ctx_with_cancel(9, ctx, "ctx", rt_background());
    rt_spawn(10, "bg", ctx, "ctx");
    rt_ctx_cancel(11, ctx, "ctx");
    rt_end(12);
}

static void endless_loop(void **state)
{
    (void)state;
    loop_model(false);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has(10, "task 'bg' loops forever: no cancellation signal reaches it"));
    /* no source file: the note falls back to the loop's first event */
    assert_true(rt_has_note(4, "'bg' loops here with no exit"));
}

static void loop_polls_ctx_err(void **state)
{
    (void)state;
    loop_model(true);
    assert_int_equal(rt_run(ID), 0);
}

/* wait_done(arg) { recv(tt_ctx_done(arg)) }  with a background or a canceled context */
static void ctx_model(bool cancelable)
{
    rt_reset(NULL);
    rt_fn("wait_done", 1);
    model_obj_id arg = rt_param("arg");
    rt_recv(3, rt_ctx_done(arg), "tt_ctx_done(arg)");
    rt_end(4);
    rt_fn("main", 6);
    model_obj_id ctx = rt_local("ctx");
    if (cancelable)
        rt_ctx_with_cancel(7, ctx, "ctx", rt_background());
    else
        rt_alias(ctx, rt_background());
    rt_spawn(8, "wait_done", ctx, "ctx");
    if (cancelable)
        rt_ctx_cancel(9, ctx, "ctx");
    rt_end(10);
}

static void background_ctx(void **state)
{
    (void)state;
    ctx_model(false);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has(8, "can block forever"));
    assert_true(rt_has_note(3, "done channel of a background context, which is never canceled"));
}

static void canceled_ctx(void **state)
{
    (void)state;
    ctx_model(true);
    assert_int_equal(rt_run(ID), 0);
}

/* either(arg) { select(arg [, tt_after(10)]) }  main { ch = new(0); spawn(either, ch) } */
static void select_model(bool timeout)
{
    rt_reset(NULL);
    rt_fn("either", 1);
    model_obj_id arg = rt_param("arg");
    model_obj_id objs[2] = { arg, rt_after(3) };
    const char *texts[2] = { "arg", "tt_after(10)" };
    rt_select(2, false, timeout ? 2 : 1, objs, texts, NULL);
    rt_end(5);
    rt_fn("main", 7);
    model_obj_id ch = rt_local("ch");
    rt_chan_new(8, ch, "ch", 0);
    rt_spawn(9, "either", ch, "ch");
    rt_end(10);
}

static void select_never_ready(void **state)
{
    (void)state;
    select_model(false);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has_note(2, "'either' blocks here on tt_select with no case that can become ready"));
}

static void select_with_timeout(void **state)
{
    (void)state;
    select_model(true);
    assert_int_equal(rt_run(ID), 0);
}

/* drain(arg) { while (tt_recv(arg) == TT_OK) ; }  owner: NULL, sends only, or closes */
static void range_model(int owner)
{
    rt_reset(NULL);
    rt_fn("drain", 1);
    model_obj_id arg = rt_param("arg");
    rt_while_recv(3, arg, "arg");
    rt_end_loop();
    rt_end(5);
    rt_fn("main", 7);
    model_obj_id ch = rt_local("ch");
    if (owner == 0) {
        rt_spawn(8, "drain", rt_null(), "NULL");
    } else {
        rt_chan_new(8, ch, "ch", 0);
        rt_spawn(9, "drain", ch, "ch");
        rt_send(10, ch, "ch");
        if (owner == 2)
            rt_close(11, ch, "ch");
    }
    rt_end(12);
}

static void range_over_null(void **state)
{
    (void)state;
    range_model(0);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has_note(3, "which nothing sends to or closes"));
}

static void range_never_closed(void **state)
{
    (void)state;
    range_model(1);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has_note(3, "'drain' blocks here on tt_recv from 'arg', which nothing closes"));
}

static void range_closed(void **state)
{
    (void)state;
    range_model(2);
    assert_int_equal(rt_run(ID), 0);
}

/* the task blocks inside a same-file helper; a second helper closes for the owner */
static void helper_model(bool owner_helper_closes)
{
    rt_reset(NULL);
    rt_fn("wait_reply", 1);
    model_obj_id reply = rt_param("reply");
    rt_recv(2, reply, "reply");
    rt_end(3);
    rt_fn("closer", 4);
    model_obj_id c = rt_param("c");
    rt_close(5, c, "c");
    rt_end(6);
    rt_fn("requester", 7);
    model_obj_id arg = rt_param("arg");
    rt_call(8, "wait_reply", 1, &arg);
    rt_end(9);
    rt_fn("main", 10);
    model_obj_id ch = rt_local("ch");
    rt_chan_new(11, ch, "ch", 0);
    rt_spawn(12, "requester", ch, "ch");
    if (owner_helper_closes)
        rt_call(13, "closer", 1, &ch);
    rt_end(14);
}

static void blocks_in_helper(void **state)
{
    (void)state;
    helper_model(false);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has(12, "task 'requester' can block forever"));
    assert_true(rt_has_note(2, "'requester' blocks here on tt_recv from 'reply'"));
}

static void helper_closes_for_owner(void **state)
{
    (void)state;
    helper_model(true);
    assert_int_equal(rt_run(ID), 0);
}

/* work(arg) { sleep(1) }  main { spawn(work, NULL) }: a task that finishes on its own */
static void task_finishes(void **state)
{
    (void)state;
    rt_reset(NULL);
    rt_fn("work", 1);
    rt_param("arg");
    rt_sleep(2, 1);
    rt_end(3);
    rt_fn("main", 4);
    rt_spawn(5, "work", MODEL_NO_OBJ, "NULL");
    rt_end(6);
    assert_int_equal(rt_run(ID), 0);
}

/* main { spawn(bg); for (;;) sleep; } — the owner never returns: a
 * server's workers live as long as the process, which is no leak */
static void owner_runs_forever(void **state)
{
    (void)state;
    rt_reset(NULL);
    rt_fn("bg", 1);
    rt_param("arg");
    rt_for_ever(0);
    rt_sleep(3, 5);
    rt_end_loop();
    rt_end(5);
    rt_fn("main", 6);
    rt_spawn(7, "bg", MODEL_NO_OBJ, "NULL");
    rt_for_ever(0);
    rt_sleep(9, 5);
    rt_end_loop();
    rt_end(11);
    assert_int_equal(rt_run(ID), 0);
}

/* worker(env) { for (;;) { if (select(done(env.ctx), env.jobs) == 0) return; } }
 * main { env.ctx = with_cancel|with_timeout(bg); env.jobs = new(1); spawn; <how> } */
enum dead_how { D_NEVER, D_TIMEOUT, D_CANCELED, D_PARAM_CTX, D_EXTRA_BREAK, D_QUIT_CHAN, D_QUIT_CLOSED };

static void dead_exit_model(enum dead_how how)
{
    rt_reset(NULL);
    model_obj_id fctx = rt_field("env", "ctx"), fjobs = rt_field("env", "jobs"), quit = rt_global("quit");
    bool quit_chan = how == D_QUIT_CHAN || how == D_QUIT_CLOSED;
    rt_fn("worker", 1);
    rt_param("p");
    rt_for_ever(3);
    model_obj_id objs[2] = { quit_chan ? quit : rt_ctx_done(fctx), fjobs };
    const char *texts[2] = { "signal", "env->jobs" };
    rt_select(4, false, 2, objs, texts, NULL);
    rt_if_return(7);
    if (how == D_EXTRA_BREAK)
        rt_if_break(0, 0);
    rt_end_loop();
    rt_end(9);
    if (how == D_PARAM_CTX) {
        /* start(ctx) is called by code this file does not show */
        rt_fn("start", 10);
        rt_alias(rt_param("ctx"), fctx);
        rt_chan_new(12, fjobs, "env->jobs", 1);
        rt_spawn(13, "worker", MODEL_NO_OBJ, "NULL");
        rt_end(14);
        return;
    }
    rt_fn("main", 10);
    if (quit_chan) {
        rt_chan_new(11, quit, "quit", 0);
    } else {
        model_event *n = rt_ctx_with_cancel(11, fctx, "env->ctx", rt_background());
        if (how == D_TIMEOUT)
            n->flags |= MODEL_EVF_TIMEOUT; /* tt_ctx_with_timeout */
    }
    rt_chan_new(12, fjobs, "env->jobs", 1);
    rt_spawn(13, "worker", MODEL_NO_OBJ, "NULL");
    rt_send(14, fjobs, "env->jobs");
    if (how == D_CANCELED)
        rt_ctx_cancel(15, fctx, "env->ctx");
    if (how == D_QUIT_CLOSED)
        rt_close(15, quit, "quit");
    rt_ret(16);
    rt_end(17);
}

static void loop_exits_only_on_dead_ctx(void **state)
{
    (void)state;
    dead_exit_model(D_NEVER);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has(13, "task 'worker' loops forever: no cancellation signal reaches it"));
    assert_true(rt_has_note(3, "'worker' loops here and leaves only on a cancellation signal that never fires"));
    assert_true(rt_has_note(11, "context 'env->ctx' is made here and never canceled"));
}

static void loop_exit_on_timeout_ctx(void **state)
{
    (void)state;
    dead_exit_model(D_TIMEOUT);
    assert_int_equal(rt_run(ID), 0);
}

static void loop_exit_on_canceled_ctx(void **state)
{
    (void)state;
    dead_exit_model(D_CANCELED);
    assert_int_equal(rt_run(ID), 0);
}

static void loop_exit_on_param_ctx(void **state)
{
    (void)state;
    dead_exit_model(D_PARAM_CTX);
    assert_int_equal(rt_run(ID), 0);
}

static void loop_with_another_exit(void **state)
{
    (void)state;
    dead_exit_model(D_EXTRA_BREAK);
    assert_int_equal(rt_run(ID), 0);
}

static void loop_exits_only_on_dead_quit_chan(void **state)
{
    (void)state;
    dead_exit_model(D_QUIT_CHAN);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has_note(11, "'quit' is made here and never closed or sent to"));
}

static void loop_exit_on_closed_quit_chan(void **state)
{
    (void)state;
    dead_exit_model(D_QUIT_CLOSED);
    assert_int_equal(rt_run(ID), 0);
}

/* producer(out) { for (;;) send(out) }  main { ch = new(0); spawn; recv once; return }:
 * one mistake, reported once — by unbuffered-send-no-fallback */
static void producer_model(void)
{
    rt_reset(NULL);
    rt_fn("producer", 1);
    model_obj_id out = rt_param("out");
    rt_for_ever(0);
    rt_send(4, out, "out");
    rt_end_loop();
    rt_end(6);
    rt_fn("main", 7);
    model_obj_id ch = rt_local("ch");
    rt_chan_new(8, ch, "ch", 0);
    rt_spawn(9, "producer", ch, "ch");
    rt_recv(10, ch, "ch");
    rt_ret(11);
    rt_end(12);
}

static void blocked_send_loop_left_to_send_rule(void **state)
{
    (void)state;
    producer_model();
    assert_int_equal(rt_run(ID), 0);
    producer_model();
    assert_int_equal(rt_run("unbuffered-send-no-fallback"), 1);
    assert_true(rt_has(4, "send on unbuffered channel 'out' can block forever"));
}

/* reaper(arg) { while (tt_recv(arg) == TT_OK) ; }
 * run { ch = new(4); spawn(reaper, ch) [or: if (spawn != OK) { free; return; }];
 *       if (bad) { [close(ch);] return; } close(ch); }  — the failure branch of
 * the checked spawn returns without closing, and is no leak */
enum range_shape { RANGE_EARLY_RETURN, RANGE_CLOSED_EVERY_PATH, RANGE_SPAWN_CHECKED };

static void range_owner_model(enum range_shape shape)
{
    rt_reset(NULL);
    rt_fn("reaper", 1);
    model_obj_id arg = rt_param("arg");
    rt_while_recv(3, arg, "arg");
    rt_end_loop();
    rt_end(5);
    rt_fn("run", 8);
    model_obj_id ch = rt_local("ch");
    rt_chan_new(9, ch, "ch", 4);
    if (shape == RANGE_SPAWN_CHECKED) {
        rt_if_spawn(10, "reaper", ch, "ch");
        rt_ev(MODEL_EV_CHAN_FREE, 11, ch, "ch");
        rt_ret(11);
        rt_end_if();
    } else {
        rt_spawn(10, "reaper", ch, "ch");
    }
    rt_if();
    if (shape != RANGE_EARLY_RETURN)
        rt_close(12, ch, "ch");
    rt_ret(13);
    rt_end_if();
    rt_close(14, ch, "ch");
    rt_ret(15);
    rt_end(16);
}

static void range_left_open_by_early_return(void **state)
{
    (void)state;
    range_owner_model(RANGE_EARLY_RETURN);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has(10, "task 'reaper' can block forever: no cancellation signal reaches it"));
    assert_true(rt_has_note(3, "'reaper' blocks here on tt_recv from 'arg' until it is closed"));
    assert_true(rt_has_note(13, "'reaper' is left blocked on 'ch' when the owner returns here without closing it"));
    assert_non_null(strstr(R.out.items[0].fix_hint, "tt_close(ch)"));
}

static void range_closed_on_every_path(void **state)
{
    (void)state;
    range_owner_model(RANGE_CLOSED_EVERY_PATH);
    assert_int_equal(rt_run(ID), 0);
}

static void range_spawn_failure_branch(void **state)
{
    (void)state;
    range_owner_model(RANGE_SPAWN_CHECKED);
    assert_int_equal(rt_run(ID), 0);
}

/* The same reaper on a global channel that another function closes:
 * run { g = new; spawn(reaper, g); if (bad) return; }  stop { close(g) } */
static void range_closed_by_other_function(void **state)
{
    (void)state;
    rt_reset(NULL);
    model_obj_id g = rt_global("g");
    rt_fn("reaper", 1);
    model_obj_id arg = rt_param("arg");
    rt_while_recv(3, arg, "arg");
    rt_end_loop();
    rt_end(5);
    rt_fn("run", 8);
    rt_chan_new(9, g, "g", 4);
    rt_spawn(10, "reaper", g, "g");
    rt_if_return(13);
    rt_end(16);
    rt_fn("stop", 18);
    rt_close(19, g, "g");
    rt_end(20);
    assert_int_equal(rt_run(ID), 0);
}

/* janitor(ctx) { for (;;) { select { done(ctx) @4; after @5 } @3; if (chosen == 0) return; } }
 * main { ctx = background or with_cancel(background); spawn(janitor, ctx); [cancel] } */
static void janitor_model(bool cancelable)
{
    rt_reset(NULL);
    rt_fn("janitor", 1);
    model_obj_id arg = rt_param("arg");
    rt_for_ever(2);
    model_obj_id objs[2] = { rt_ctx_done(arg), rt_after(5) };
    const char *texts[2] = { "tt_ctx_done(ctx)", "tt_after(2)" };
    rt_select(3, false, 2, objs, texts, NULL);
    rt_if_case(6, 3, 0, true);
    rt_ret(7);
    rt_end_if();
    rt_end_loop();
    rt_end(9);
    rt_fn("main", 11);
    model_obj_id ctx = rt_local("ctx");
    if (cancelable)
        rt_ctx_with_cancel(12, ctx, "ctx", rt_background());
    else
        rt_alias(ctx, rt_background());
    rt_spawn(13, "janitor", ctx, "ctx");
    if (cancelable)
        rt_ctx_cancel(14, ctx, "ctx");
    rt_end(15);
}

static void timer_loop_on_background(void **state)
{
    (void)state;
    janitor_model(false);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has(13, "task 'janitor' loops forever: no cancellation signal reaches it"));
    assert_true(rt_has_note(2, "'janitor' loops here and leaves only on a cancellation signal that never fires"));
    assert_non_null(strstr(R.out.items[0].fix_hint, "tt_ctx_background()"));
}

static void timer_loop_canceled(void **state)
{
    (void)state;
    janitor_model(true);
    assert_int_equal(rt_run(ID), 0);
}

/* dispatcher(s) { for (;;) switch (select { s.jobs; s.quit }) { case 0: ...; case 1: return; } }
 * create { s.jobs = new(8); s.quit = new(0); spawn(dispatcher, s) }  sched_destroy(s) { } */
static void sched_model(bool destroy_closes)
{
    rt_reset(NULL);
    model_obj_id jobs = rt_field("scheduler", "jobs"), quit = rt_field("scheduler", "quit");
    rt_fn("dispatcher", 1);
    rt_param("arg");
    rt_for_ever(2);
    model_obj_id objs[2] = { jobs, quit };
    const char *texts[2] = { "s->jobs", "s->quit" };
    rt_select(3, false, 2, objs, texts, NULL);
    rt_switch_case(3, 3);
    rt_case_label(0);
    rt_sleep(7, 1);
    rt_break(0, 0);
    rt_case_label(1);
    rt_ret(9);
    rt_end_switch();
    rt_end_loop();
    rt_end(11);
    rt_fn("sched_create", 13);
    model_obj_id s = rt_local("s");
    rt_chan_new(14, jobs, "s->jobs", 8);
    rt_chan_new(15, quit, "s->quit", 0);
    rt_spawn(16, "dispatcher", s, "s");
    rt_return(17, s, "s");
    rt_end(18);
    rt_fn("sched_destroy", 20);
    model_obj_id ds = rt_param("s");
    if (destroy_closes)
        rt_close(21, quit, "s->quit");
    rt_end(22);
    rt_fn("main", 24);
    model_obj_id ms = rt_local("s");
    rt_call_result(25, ms, "sched_create");
    rt_send(26, jobs, "s->jobs");
    rt_call(27, "sched_destroy", 1, &ms);
    rt_ret(28);
    rt_end(29);
    (void)ds;
}

static void quit_never_closed_named(void **state)
{
    (void)state;
    sched_model(false);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has(16, "task 'dispatcher' loops forever: no cancellation signal reaches it"));
    assert_true(rt_has_note(15, "'s->quit' is made here and never closed or sent to"));
    assert_string_equal(R.out.items[0].fix_hint,
                        "'s->quit' is never closed: close it where the owner shuts 'dispatcher' down "
                        "(for example in 'sched_destroy')");
}

static void quit_closed_on_destroy(void **state)
{
    (void)state;
    sched_model(true);
    assert_int_equal(rt_run(ID), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(loop_exits_only_on_dead_ctx, rt_teardown),
        cmocka_unit_test_teardown(loop_exit_on_timeout_ctx, rt_teardown),
        cmocka_unit_test_teardown(loop_exit_on_canceled_ctx, rt_teardown),
        cmocka_unit_test_teardown(loop_exit_on_param_ctx, rt_teardown),
        cmocka_unit_test_teardown(loop_with_another_exit, rt_teardown),
        cmocka_unit_test_teardown(loop_exits_only_on_dead_quit_chan, rt_teardown),
        cmocka_unit_test_teardown(loop_exit_on_closed_quit_chan, rt_teardown),
        cmocka_unit_test_teardown(blocked_send_loop_left_to_send_rule, rt_teardown),
        cmocka_unit_test_teardown(recv_never_sent, rt_teardown),
        cmocka_unit_test_teardown(recv_sent_by_owner, rt_teardown),
        cmocka_unit_test_teardown(endless_loop, rt_teardown),
        cmocka_unit_test_teardown(loop_polls_ctx_err, rt_teardown),
        cmocka_unit_test_teardown(background_ctx, rt_teardown),
        cmocka_unit_test_teardown(canceled_ctx, rt_teardown),
        cmocka_unit_test_teardown(select_never_ready, rt_teardown),
        cmocka_unit_test_teardown(select_with_timeout, rt_teardown),
        cmocka_unit_test_teardown(range_over_null, rt_teardown),
        cmocka_unit_test_teardown(range_never_closed, rt_teardown),
        cmocka_unit_test_teardown(range_closed, rt_teardown),
        cmocka_unit_test_teardown(blocks_in_helper, rt_teardown),
        cmocka_unit_test_teardown(helper_closes_for_owner, rt_teardown),
        cmocka_unit_test_teardown(task_finishes, rt_teardown),
        cmocka_unit_test_teardown(owner_runs_forever, rt_teardown),
        cmocka_unit_test_teardown(range_left_open_by_early_return, rt_teardown),
        cmocka_unit_test_teardown(range_closed_on_every_path, rt_teardown),
        cmocka_unit_test_teardown(range_spawn_failure_branch, rt_teardown),
        cmocka_unit_test_teardown(range_closed_by_other_function, rt_teardown),
        cmocka_unit_test_teardown(timer_loop_on_background, rt_teardown),
        cmocka_unit_test_teardown(timer_loop_canceled, rt_teardown),
        cmocka_unit_test_teardown(quit_never_closed_named, rt_teardown),
        cmocka_unit_test_teardown(quit_closed_on_destroy, rt_teardown),
    };
    return cmocka_run_group_tests_name("spawn-no-cancel", tests, NULL, NULL);
}
