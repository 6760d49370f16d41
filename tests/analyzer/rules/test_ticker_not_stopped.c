/* test_ticker_not_stopped.c — ticker-not-stopped on hand-built models. */
#include "rule_test.h"

static const char *const ID = "ticker-not-stopped";

/* stop_it(p) { [if (c) return;] stop(p) }
 * f { t = new; if (c) { <early> return; } stop(t) } */
enum early { E_NOTHING, E_STOP, E_HELPER_STOPS, E_HELPER_SOMETIMES, E_ESCAPE, E_UNKNOWN_CALL, E_EXIT };

static void early_model(enum early e)
{
    rt_reset(NULL);
    rt_fn("stop_it", 1);
    model_obj_id p = rt_param("p");
    if (e == E_HELPER_SOMETIMES)
        rt_if_return(2);
    rt_ticker_stop(3, p, "p");
    rt_end(4);
    rt_fn("f", 10);
    model_obj_id t = rt_local("t");
    rt_ticker_new(11, t, "t", 5);
    rt_if();
    switch (e) {
    case E_STOP: rt_ticker_stop(12, t, "t"); break;
    case E_HELPER_STOPS:
    case E_HELPER_SOMETIMES: rt_call(12, "stop_it", 1, &t); break;
    case E_ESCAPE: rt_ev(MODEL_EV_ESCAPE, 12, t, "t")->escape_to = MODEL_ESCAPE_GLOBAL; break;
    case E_UNKNOWN_CALL: rt_call(12, "register_ticker", 1, &t); break;
    case E_EXIT: rt_exit(12); break;
    case E_NOTHING: break;
    }
    if (e != E_EXIT)
        rt_ret(13);
    rt_end_if();
    rt_ticker_stop(14, t, "t");
    rt_end(15);
}

static void early_return_leaks(void **state)
{
    (void)state;
    early_model(E_NOTHING);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has(11, "ticker 't' is not stopped on every path"));
    assert_true(rt_has_note(13, "'t' leaks when the function returns here"));
}

static void every_path_stops(void **state)
{
    (void)state;
    early_model(E_STOP);
    assert_int_equal(rt_run(ID), 0);
}

static void helper_stops(void **state)
{
    (void)state;
    early_model(E_HELPER_STOPS);
    assert_int_equal(rt_run(ID), 0);
}

static void helper_stops_on_some_paths(void **state)
{
    (void)state;
    early_model(E_HELPER_SOMETIMES);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has_note(13, "'t' leaks"));
}

static void stored_in_global_moves(void **state)
{
    (void)state;
    early_model(E_ESCAPE);
    assert_int_equal(rt_run(ID), 0);
}

static void unknown_function_takes_it(void **state)
{
    (void)state;
    early_model(E_UNKNOWN_CALL);
    assert_int_equal(rt_run(ID), 0);
}

static void exit_path_is_no_leak(void **state)
{
    (void)state;
    early_model(E_EXIT);
    assert_int_equal(rt_run(ID), 0);
}

/* main { t = new; for (;;) recv(tt_ticker_chan(t)) } */
static void endless_main_loop(void **state)
{
    (void)state;
    rt_reset(NULL);
    rt_fn("main", 1);
    model_obj_id t = rt_local("t");
    rt_ticker_new(2, t, "t", 5);
    rt_for_ever(0);
    rt_recv(4, rt_ticker_chan(t), "tt_ticker_chan(t)");
    rt_end_loop();
    rt_end(6);
    assert_int_equal(rt_run(ID), 0);
}

/* make() { t = new; return t; }  main { t = make(); [stop(t)] return } — the
 * leak is reported where the caller keeps the result */
static void returned_then_leaked(bool caller_stops)
{
    rt_reset(NULL);
    rt_fn("make", 1);
    model_obj_id t = rt_local("t");
    rt_ticker_new(2, t, "t", 5);
    rt_return(3, t, "t");
    rt_end(4);
    rt_fn("main", 5);
    model_obj_id mt = model_obj_local(R.tu, R.fn, "t", MODEL_KIND_NONE, (model_loc){ 6, 16 });
    rt_call_result(6, mt, "make")->loc = (model_loc){ 6, 20 };
    if (caller_stops)
        rt_ticker_stop(7, mt, "t");
    rt_ret(8);
    rt_end(9);
}

static void returned_to_caller_that_leaks(void **state)
{
    (void)state;
    returned_then_leaked(false);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has(6, "ticker 't' is not stopped on every path"));
    assert_true(rt_has_note(2, "'t' is created here, in 'make'"));
    assert_true(rt_has_note(8, "'t' leaks when the function returns here"));
}

static void returned_to_caller_that_stops(void **state)
{
    (void)state;
    returned_then_leaked(true);
    assert_int_equal(rt_run(ID), 0);
}

/* start(s) { s->t = new }  stop(s) { [stop(s->t)] }: a ticker in a struct
 * field, stopped anywhere in the file, or nowhere */
static void field_model(bool stopped_elsewhere)
{
    rt_reset(NULL);
    model_obj_id ft = rt_field("svc", "t");
    rt_fn("start", 1);
    rt_param("s");
    rt_ticker_new(2, ft, "s->t", 5);
    rt_end(3);
    rt_fn("stop", 4);
    rt_param("s");
    if (stopped_elsewhere)
        rt_ticker_stop(5, ft, "s->t");
    rt_end(6);
}

static void field_stopped_later(void **state)
{
    (void)state;
    field_model(true);
    assert_int_equal(rt_run(ID), 0);
}

static void field_never_stopped(void **state)
{
    (void)state;
    field_model(false);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has(2, "ticker 's->t' is not stopped on every path"));
}

/* task(arg) { recv(tt_ticker_chan(arg)); [stop(arg)] }  owner { t = new; spawn(task, t) } */
static void task_model(bool task_stops)
{
    rt_reset(NULL);
    rt_fn("task", 1);
    model_obj_id arg = rt_param("arg");
    rt_recv(2, rt_ticker_chan(arg), "tt_ticker_chan(arg)");
    if (task_stops)
        rt_ticker_stop(3, arg, "arg");
    rt_end(4);
    rt_fn("owner", 5);
    model_obj_id t = rt_local("t");
    rt_ticker_new(6, t, "t", 5);
    rt_spawn(7, "task", t, "t");
    rt_end(8);
}

static void task_stops_it(void **state)
{
    (void)state;
    task_model(true);
    assert_int_equal(rt_run(ID), 0);
}

static void task_does_not_stop_it(void **state)
{
    (void)state;
    task_model(false);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has_note(7, "'t' is handed to task 'task' here, which does not stop it either"));
    assert_true(rt_has_note(8, "'t' leaks when the function returns here"));
}

/* main { for (i = 0; i < N; i++) ts[i] = new; for (i = 0; i < N; i++) stop(ts[i]); return 0; }
 * with N 4: tickers made in one counted loop and stopped in another; the
 * stopping loop is taken to run (the model knows its trip count) */
static void stopped_in_counted_loop(void **state)
{
    (void)state;
    rt_reset(NULL);
    rt_fn("main", 1);
    model_obj_id ts = rt_local("ts");
    rt_for_n(3, 4);
    rt_ticker_new(4, ts, "ts[i]", 5)->loc = (model_loc){ 4, 17 };
    rt_end_loop();
    rt_for_n(5, 4);
    rt_ticker_stop(6, ts, "ts[i]")->loc = (model_loc){ 6, 9 };
    rt_end_loop();
    rt_ret(7);
    rt_end(8);
    assert_int_equal(rt_run(ID), 0);
}

/* f { t = new; if (!t) return -1; stop(t); return 0; } — NULL is no leak */
static void null_check_return(void **state)
{
    (void)state;
    rt_reset(NULL);
    rt_fn("f", 1);
    model_obj_id t = rt_local("t");
    rt_ticker_new(2, t, "t", 5);
    rt_if_null(3, t, "t");
    rt_ret(4);
    rt_end_if();
    rt_ticker_stop(5, t, "t");
    rt_ret(6);
    rt_end(7);
    assert_int_equal(rt_run(ID), 0);
}

/* f { t = new; if (t) return -1; ... } — the then branch has a live ticker */
static void non_null_branch_leaks(void **state)
{
    (void)state;
    rt_reset(NULL);
    rt_fn("f", 1);
    model_obj_id t = rt_local("t");
    rt_ticker_new(2, t, "t", 5);
    rt_if_not_null(3, t, "t");
    rt_ret(4);
    rt_end_if();
    rt_ticker_stop(5, t, "t");
    rt_ret(6);
    rt_end(7);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has_note(4, "'t' leaks when the function returns here"));
}

/* make() { return tt_ticker_new(2); }  main { m = make(); return; } — the
 * creation is made on make's "(return)" object */
static void ctor_returns_new_directly(void **state)
{
    (void)state;
    rt_reset(NULL);
    rt_fn("make", 1);
    model_obj_id r = rt_local("(return)");
    rt_ticker_new(3, r, NULL, 2);
    rt_return(3, r, NULL);
    rt_end(4);
    rt_fn("main", 6);
    model_obj_id m = rt_local("m");
    rt_call_result(7, m, "make");
    rt_recv(8, rt_ticker_chan(m), "tt_ticker_chan(m)");
    rt_ret(9);
    rt_end(10);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has(7, "ticker 'm' is not stopped on every path"));
    assert_true(rt_has_note(3, "'m' is created here, in 'make'"));
    assert_true(rt_has_note(9, "'m' leaks when the function returns here"));
}

/* make(ok) { if (!ok) return NULL; t = new; return t; }
 * a() { x = make(1); if (x == NULL) return 1; stop(x); return 0; }
 * b() { y = make2(1); ... return 0; }  make2 also returns NULL on a path:
 * the NULLs must not tie a's and b's tickers together */
static void null_returning_ctors(void **state)
{
    (void)state;
    rt_reset(NULL);
    for (uint32_t k = 0; k < 2; k++) {
        rt_fn(k ? "make2" : "make", 1 + 10 * k);
        rt_if();
        rt_return(2 + 10 * k, rt_null(), "NULL");
        rt_end_if();
        model_obj_id t = rt_local("t");
        rt_ticker_new(3 + 10 * k, t, "t", 5);
        rt_return(4 + 10 * k, t, "t");
        rt_end(5 + 10 * k);
    }
    rt_fn("a", 30);
    model_obj_id x = rt_local("x");
    rt_call_result(31, x, "make");
    rt_if_null(32, x, "x");
    rt_ret(33);
    rt_end_if();
    rt_ticker_stop(34, x, "x");
    rt_ret(35);
    rt_end(36);
    rt_fn("b", 40);
    model_obj_id y = rt_local("y");
    rt_call_result(41, y, "make2");
    rt_recv(42, rt_ticker_chan(y), "tt_ticker_chan(y)");
    rt_ret(43);
    rt_end(44);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has(41, "ticker 'y' is not stopped on every path"));
    assert_true(rt_has_note(13, "'y' is created here, in 'make2'"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(ctor_returns_new_directly, rt_teardown),
        cmocka_unit_test_teardown(null_returning_ctors, rt_teardown),
        cmocka_unit_test_teardown(early_return_leaks, rt_teardown),
        cmocka_unit_test_teardown(every_path_stops, rt_teardown),
        cmocka_unit_test_teardown(helper_stops, rt_teardown),
        cmocka_unit_test_teardown(helper_stops_on_some_paths, rt_teardown),
        cmocka_unit_test_teardown(stored_in_global_moves, rt_teardown),
        cmocka_unit_test_teardown(unknown_function_takes_it, rt_teardown),
        cmocka_unit_test_teardown(exit_path_is_no_leak, rt_teardown),
        cmocka_unit_test_teardown(endless_main_loop, rt_teardown),
        cmocka_unit_test_teardown(returned_to_caller_that_leaks, rt_teardown),
        cmocka_unit_test_teardown(returned_to_caller_that_stops, rt_teardown),
        cmocka_unit_test_teardown(field_stopped_later, rt_teardown),
        cmocka_unit_test_teardown(field_never_stopped, rt_teardown),
        cmocka_unit_test_teardown(task_stops_it, rt_teardown),
        cmocka_unit_test_teardown(task_does_not_stop_it, rt_teardown),
        cmocka_unit_test_teardown(stopped_in_counted_loop, rt_teardown),
        cmocka_unit_test_teardown(null_check_return, rt_teardown),
        cmocka_unit_test_teardown(non_null_branch_leaks, rt_teardown),
    };
    return cmocka_run_group_tests_name("ticker-not-stopped", tests, NULL, NULL);
}
