/* test_ticker_not_stopped.c — ticker-not-stopped on hand-built models. */
#include "rule_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static const char *const ID = "ticker-not-stopped";

/* f { t = new; if (c) { <early> return; } stop(t) } */
enum early { E_NOTHING, E_STOP, E_HELPER_STOPS, E_HELPER_SOMETIMES, E_ESCAPE, E_UNKNOWN_CALL, E_EXIT };

static void early_model(enum early e)
{
    rt_reset(NULL);
    rt_fn("stop_it", 1);
    model_obj_id p = rt_param("p");
    if (e == E_HELPER_SOMETIMES) {
        mb_if(R.b);
        rt_ret(2);
        mb_end_if(R.b);
    }
    rt_ev(MODEL_EV_TICKER_STOP, 3, p, "p");
    rt_end(4);
    rt_fn("f", 10);
    model_obj_id t = rt_local("t");
    rt_num(rt_ev(MODEL_EV_TICKER_NEW, 11, t, "t"), 5);
    mb_if(R.b);
    switch (e) {
    case E_STOP: rt_ev(MODEL_EV_TICKER_STOP, 12, t, "t"); break;
    case E_HELPER_STOPS:
    case E_HELPER_SOMETIMES: rt_call(12, "stop_it", 1, &t); break;
    case E_ESCAPE: rt_ev(MODEL_EV_ESCAPE, 12, t, "t")->escape_to = MODEL_ESCAPE_GLOBAL; break;
    case E_UNKNOWN_CALL: rt_call(12, "register_ticker", 1, &t); break;
    case E_EXIT: mb_noreturn(R.b, L(12), "exit"); break;
    case E_NOTHING: break;
    }
    if (e != E_EXIT)
        rt_ret(13);
    mb_end_if(R.b);
    rt_ev(MODEL_EV_TICKER_STOP, 14, t, "t");
    rt_end(15);
}

static void early_return_leaks(void **state)
{
    (void)state;
    early_model(E_NOTHING);
    rt_run(ID);
    assert_int_equal(rt_count(), 1);
    assert_true(rt_has(11, "ticker 't' is not stopped on every path"));
    assert_true(rt_has_note(13, "'t' leaks when the function returns here"));
}

static void every_path_stops(void **state)
{
    (void)state;
    early_model(E_STOP);
    rt_run(ID);
    assert_int_equal(rt_count(), 0);
}

static void helper_stops(void **state)
{
    (void)state;
    early_model(E_HELPER_STOPS);
    rt_run(ID);
    assert_int_equal(rt_count(), 0);
}

static void helper_stops_on_some_paths(void **state)
{
    (void)state;
    early_model(E_HELPER_SOMETIMES);
    rt_run(ID);
    assert_int_equal(rt_count(), 1);
    assert_true(rt_has_note(13, "'t' leaks"));
}

static void stored_in_global_moves(void **state)
{
    (void)state;
    early_model(E_ESCAPE);
    rt_run(ID);
    assert_int_equal(rt_count(), 0);
}

static void unknown_function_takes_it(void **state)
{
    (void)state;
    early_model(E_UNKNOWN_CALL);
    rt_run(ID);
    assert_int_equal(rt_count(), 0);
}

static void exit_path_is_no_leak(void **state)
{
    (void)state;
    early_model(E_EXIT);
    rt_run(ID);
    assert_int_equal(rt_count(), 0);
}

/* main { t = new; for (;;) recv(tt_ticker_chan(t)) } */
static void endless_main_loop(void **state)
{
    (void)state;
    rt_reset(NULL);
    rt_fn("main", 1);
    model_obj_id t = rt_local("t");
    rt_num(rt_ev(MODEL_EV_TICKER_NEW, 2, t, "t"), 5);
    mb_loop(R.b);
    mb_loop_body(R.b, true);
    rt_ev(MODEL_EV_RECV, 4, model_obj_ticker_chan(R.tu, t), "tt_ticker_chan(t)");
    mb_end_loop(R.b);
    rt_end(6);
    rt_run(ID);
    assert_int_equal(rt_count(), 0);
}

/* make() { t = new; return t; }  main { t = make(); ... return } — the
 * leak is reported where the caller keeps the result */
static void returned_then_leaked(bool caller_stops)
{
    rt_reset(NULL);
    rt_fn("make", 1);
    model_obj_id t = rt_local("t");
    rt_num(rt_ev(MODEL_EV_TICKER_NEW, 2, t, "t"), 5);
    mb_return(R.b, L(3), t, "t");
    rt_end(4);
    rt_fn("main", 5);
    model_obj_id mt = model_obj_local(R.tu, R.fn, "t", MODEL_KIND_NONE, (model_loc){ 6, 16 });
    model_event *call = rt_call(6, "make", 0, NULL);
    call->loc = (model_loc){ 6, 20 };
    call->obj = mt; /* the front end links the result to its variable */
    if (caller_stops)
        rt_ev(MODEL_EV_TICKER_STOP, 7, mt, "t");
    rt_ret(8);
    rt_end(9);
}

static void returned_to_caller_that_leaks(void **state)
{
    (void)state;
    returned_then_leaked(false);
    rt_run(ID);
    assert_int_equal(rt_count(), 1);
    assert_true(rt_has(6, "ticker 't' is not stopped on every path"));
    assert_true(rt_has_note(2, "'t' is created here, in 'make'"));
    assert_true(rt_has_note(8, "'t' leaks when the function returns here"));
}

static void returned_to_caller_that_stops(void **state)
{
    (void)state;
    returned_then_leaked(true);
    rt_run(ID);
    assert_int_equal(rt_count(), 0);
}

/* a ticker in a struct field: stopped anywhere in the file, or nowhere */
static void field_model(bool stopped_elsewhere)
{
    rt_reset(NULL);
    model_obj_id ft = rt_field("svc", "t");
    rt_fn("start", 1);
    rt_param("s");
    rt_num(rt_ev(MODEL_EV_TICKER_NEW, 2, ft, "s->t"), 5);
    rt_end(3);
    rt_fn("stop", 4);
    rt_param("s");
    if (stopped_elsewhere)
        rt_ev(MODEL_EV_TICKER_STOP, 5, ft, "s->t");
    rt_end(6);
}

static void field_stopped_later(void **state)
{
    (void)state;
    field_model(true);
    rt_run(ID);
    assert_int_equal(rt_count(), 0);
}

static void field_never_stopped(void **state)
{
    (void)state;
    field_model(false);
    rt_run(ID);
    assert_int_equal(rt_count(), 1);
    assert_true(rt_has(2, "ticker 's->t' is not stopped on every path"));
}

/* handed to a task that stops it, or that does not */
static void task_model(bool task_stops)
{
    rt_reset(NULL);
    rt_fn("task", 1);
    model_obj_id arg = rt_param("arg");
    rt_ev(MODEL_EV_RECV, 2, model_obj_ticker_chan(R.tu, arg), "tt_ticker_chan(arg)");
    if (task_stops)
        rt_ev(MODEL_EV_TICKER_STOP, 3, arg, "arg");
    rt_end(4);
    rt_fn("owner", 5);
    model_obj_id t = rt_local("t");
    rt_num(rt_ev(MODEL_EV_TICKER_NEW, 6, t, "t"), 5);
    rt_spawn(7, "task", t, "t");
    rt_end(8);
}

static void task_stops_it(void **state)
{
    (void)state;
    task_model(true);
    rt_run(ID);
    assert_int_equal(rt_count(), 0);
}

static void task_does_not_stop_it(void **state)
{
    (void)state;
    task_model(false);
    rt_run(ID);
    assert_int_equal(rt_count(), 1);
    assert_true(rt_has_note(7, "'t' is handed to task 'task' here, which does not stop it either"));
    assert_true(rt_has_note(8, "'t' leaks when the function returns here"));
}

/* tickers made in one counted loop and stopped in another: the stopping
 * loop is taken to run (its bounds are read from the source at the loop
 * keyword the model places) */
static void stopped_in_counted_loop(void **state)
{
    (void)state;
    char path[] = "/tmp/tether-ticker-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs("int main(void)\n"                               /* 1 */
          "{\n"                                            /* 2 */
          "    for (int i = 0; i < N; i++)\n"              /* 3 */
          "        ts[i] = tt_ticker_new(5);\n"            /* 4 */
          "    for (int i = 0; i < N; i++)\n"              /* 5 */
          "        tt_ticker_stop(ts[i]);\n"               /* 6 */
          "    return 0;\n"                                /* 7 */
          "}\n", f);                                       /* 8 */
    fclose(f);
    rt_reset(path);
    rt_fn("main", 1);
    model_obj_id ts = rt_local("ts");
    mb_loop(R.b);
    mb_mark(R.b, (model_loc){ 3, 5 });
    mb_loop_body(R.b, false);
    rt_num(rt_ev(MODEL_EV_TICKER_NEW, 4, ts, "ts[i]"), 5)->loc = (model_loc){ 4, 17 };
    mb_end_loop(R.b);
    mb_loop(R.b);
    mb_mark(R.b, (model_loc){ 5, 5 });
    mb_loop_body(R.b, false);
    rt_ev(MODEL_EV_TICKER_STOP, 6, ts, "ts[i]")->loc = (model_loc){ 6, 9 };
    mb_end_loop(R.b);
    mb_return(R.b, (model_loc){ 7, 5 }, MODEL_NO_OBJ, NULL);
    rt_end(8);
    rt_run(ID);
    assert_int_equal(rt_count(), 0);
    rt_free();
    unlink(path);
}

/* f { t = new; if (!t) return -1; stop(t); return 0; } — NULL is no leak */
static void null_check_return(void **state)
{
    (void)state;
    rt_reset(NULL);
    rt_fn("f", 1);
    model_obj_id t = rt_local("t");
    rt_num(rt_ev(MODEL_EV_TICKER_NEW, 2, t, "t"), 5);
    rt_num(rt_ev(MODEL_EV_NULL_TEST, 3, t, "t"), 0); /* then: t == NULL */
    mb_if(R.b);
    rt_ret(4);
    mb_end_if(R.b);
    rt_ev(MODEL_EV_TICKER_STOP, 5, t, "t");
    rt_ret(6);
    rt_end(7);
    rt_run(ID);
    assert_int_equal(rt_count(), 0);
}

/* f { t = new; if (t) return -1; ... } — the then branch has a live ticker */
static void non_null_branch_leaks(void **state)
{
    (void)state;
    rt_reset(NULL);
    rt_fn("f", 1);
    model_obj_id t = rt_local("t");
    rt_num(rt_ev(MODEL_EV_TICKER_NEW, 2, t, "t"), 5);
    rt_num(rt_ev(MODEL_EV_NULL_TEST, 3, t, "t"), 1); /* then: t != NULL */
    mb_if(R.b);
    rt_ret(4);
    mb_end_if(R.b);
    rt_ev(MODEL_EV_TICKER_STOP, 5, t, "t");
    rt_ret(6);
    rt_end(7);
    rt_run(ID);
    assert_int_equal(rt_count(), 1);
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
    rt_num(rt_ev(MODEL_EV_TICKER_NEW, 3, r, NULL), 2);
    mb_return(R.b, L(3), r, NULL);
    rt_end(4);
    rt_fn("main", 6);
    model_obj_id m = rt_local("m");
    rt_call(7, "make", 0, NULL)->obj = m;
    rt_ev(MODEL_EV_RECV, 8, model_obj_ticker_chan(R.tu, m), "tt_ticker_chan(m)");
    rt_ret(9);
    rt_end(10);
    rt_run(ID);
    assert_int_equal(rt_count(), 1);
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
    for (int k = 0; k < 2; k++) {
        rt_fn(k ? "make2" : "make", 1 + 10 * (uint32_t)k);
        mb_if(R.b);
        mb_return(R.b, L(2 + 10 * (uint32_t)k), model_obj_null(R.tu), "NULL");
        mb_end_if(R.b);
        model_obj_id t = rt_local("t");
        rt_num(rt_ev(MODEL_EV_TICKER_NEW, 3 + 10 * (uint32_t)k, t, "t"), 5);
        mb_return(R.b, L(4 + 10 * (uint32_t)k), t, "t");
        rt_end(5 + 10 * (uint32_t)k);
    }
    rt_fn("a", 30);
    model_obj_id x = rt_local("x");
    rt_call(31, "make", 0, NULL)->obj = x;
    rt_num(rt_ev(MODEL_EV_NULL_TEST, 32, x, "x"), 0);
    mb_if(R.b);
    rt_ret(33);
    mb_end_if(R.b);
    rt_ev(MODEL_EV_TICKER_STOP, 34, x, "x");
    rt_ret(35);
    rt_end(36);
    rt_fn("b", 40);
    model_obj_id y = rt_local("y");
    rt_call(41, "make2", 0, NULL)->obj = y;
    rt_ev(MODEL_EV_RECV, 42, model_obj_ticker_chan(R.tu, y), "tt_ticker_chan(y)");
    rt_ret(43);
    rt_end(44);
    rt_run(ID);
    assert_int_equal(rt_count(), 1);
    assert_true(rt_has(41, "ticker 'y' is not stopped on every path"));
    assert_true(rt_has_note(13, "'y' is created here, in 'make2'"));
}

static int teardown(void **state)
{
    (void)state;
    rt_free();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(ctor_returns_new_directly, teardown),
        cmocka_unit_test_teardown(null_returning_ctors, teardown),
        cmocka_unit_test_teardown(early_return_leaks, teardown),
        cmocka_unit_test_teardown(every_path_stops, teardown),
        cmocka_unit_test_teardown(helper_stops, teardown),
        cmocka_unit_test_teardown(helper_stops_on_some_paths, teardown),
        cmocka_unit_test_teardown(stored_in_global_moves, teardown),
        cmocka_unit_test_teardown(unknown_function_takes_it, teardown),
        cmocka_unit_test_teardown(exit_path_is_no_leak, teardown),
        cmocka_unit_test_teardown(endless_main_loop, teardown),
        cmocka_unit_test_teardown(returned_to_caller_that_leaks, teardown),
        cmocka_unit_test_teardown(returned_to_caller_that_stops, teardown),
        cmocka_unit_test_teardown(field_stopped_later, teardown),
        cmocka_unit_test_teardown(field_never_stopped, teardown),
        cmocka_unit_test_teardown(task_stops_it, teardown),
        cmocka_unit_test_teardown(task_does_not_stop_it, teardown),
        cmocka_unit_test_teardown(stopped_in_counted_loop, teardown),
        cmocka_unit_test_teardown(null_check_return, teardown),
        cmocka_unit_test_teardown(non_null_branch_leaks, teardown),
    };
    return cmocka_run_group_tests_name("ticker-not-stopped", tests, NULL, NULL);
}
