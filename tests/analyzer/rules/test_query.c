/* test_query.c — the shared queries (model/query.h) on hand-built models. */
#include "rule_test.h"

#include <stdlib.h>

/* task(arg) { recv(tt_ctx_done(arg)) }  main { cancel(tt_ctx_done(ctx)); spawn(task, ctx) } */
static void spawn_binds_param_to_argument(void **state)
{
    (void)state;
    rt_reset(NULL);
    rt_fn("task", 1);
    model_obj_id arg = rt_param("arg");
    rt_recv(2, rt_ctx_done(arg), "tt_ctx_done(arg)");
    rt_end(3);
    rt_fn("main", 4);
    model_obj_id ctx = rt_local("ctx");
    model_obj_id other = rt_local("other");
    rt_ctx_cancel(5, rt_ctx_done(ctx), "x"); /* a done obj of ctx */
    rt_spawn(6, "task", ctx, "ctx");
    rt_end(7);
    q_ctx *q = rt_query();
    assert_int_equal(q_class(q, arg), q_class(q, ctx));
    assert_int_not_equal(q_class(q, arg), q_class(q, other));
    /* tt_ctx_done() of joined contexts is one channel */
    assert_int_equal(q_class(q, rt_ctx_done(arg)), q_class(q, rt_ctx_done(ctx)));
    assert_int_equal(q_class(q, MODEL_NO_OBJ), MODEL_NO_OBJ);
}

/* f { a; for (...) { b; if (...) { c } }; d } */
static void loops_and_paths(void **state)
{
    (void)state;
    rt_reset(NULL);
    rt_fn("f", 1);
    model_obj_id x = rt_local("x");
    rt_send(2, x, "a");
    rt_for(0);
    rt_send(4, x, "b");
    rt_if();
    rt_send(5, x, "c");
    rt_end_if();
    rt_end_loop();
    rt_send(7, x, "d");
    rt_end(8);
    q_ctx *q = rt_query();
    q_pos a = rt_pos(2), b = rt_pos(4), c = rt_pos(5), d = rt_pos(7);
    assert_false(q_block_in_cycle(q, 0, a.block));
    assert_true(q_block_in_cycle(q, 0, b.block));
    assert_true(q_block_in_cycle(q, 0, c.block));
    assert_false(q_block_in_cycle(q, 0, d.block));
    assert_true(q_must_precede(q, a, b));
    assert_true(q_must_precede(q, a, d));
    assert_false(q_must_precede(q, b, d)); /* the loop may run zero times */
    assert_false(q_must_precede(q, c, d));
    assert_true(q_reaches(q, c, b));       /* around the loop */
    assert_false(q_reaches(q, d, a));
    int64_t head = q_loop_of(q, 0, c.block);
    assert_true(head >= 0);
    bool *body;
    assert_true(q_loop_body(q, 0, (uint32_t)head, &body));
    assert_true(body[b.block] && body[c.block] && !body[a.block] && !body[d.block]);
    free(body);
    assert_true(q_block_can_end(q, 0, b.block));
    assert_true(q_func_returns(q, 0));
}

/* spin { for (;;) sleep }  caller { spin() }: an infinite loop with no way
 * out cannot end; a function around it never returns */
static void endless_loop_never_returns(void **state)
{
    (void)state;
    rt_reset(NULL);
    rt_fn("spin", 1);
    rt_for_ever(0);
    rt_sleep(3, 1);
    rt_end_loop();
    rt_end(5);
    rt_fn("caller", 6);
    rt_call(7, "spin", 0, NULL);
    rt_end(8);
    q_ctx *q = rt_query();
    assert_false(q_func_returns(q, 0));
    assert_false(q_func_returns(q, 1)); /* its only path calls spin() */
}

/* f { for (i = 0; i < 3; i++) recv(c); for (i = 0; i < N; i++) recv(c);
 *     for (i = 0; i < n; i++) recv(c); } with N 4: trip counts as the front
 * ends give them (model_block.trips; none for the variable bound n) */
static void counted_loop_trip_count(void **state)
{
    (void)state;
    rt_reset(NULL);
    rt_fn("f", 1);
    model_obj_id c = rt_local("c");
    rt_for_n(4, 3);
    rt_recv(5, c, "c");
    rt_end_loop();
    rt_for_n(6, 4);
    rt_recv(7, c, "c");
    rt_end_loop();
    rt_for(8);
    rt_recv(9, c, "c");
    rt_end_loop();
    rt_end(10);
    q_ctx *q = rt_query();
    size_t n = 0;
    for (size_t k = 0; k < q_nevents(q); k++)
        n += q_ev(q, q_event_pos(q, k))->kind == MODEL_EV_RECV;
    assert_int_equal(n, 3);
    int64_t heads[3];
    for (size_t i = 0; i < 3; i++)
        heads[i] = q_loop_of(q, 0, rt_pos(5 + 2 * (uint32_t)i).block);
    for (size_t i = 0; i < 3; i++)
        assert_true(heads[i] >= 0);
    long long count = 0;
    assert_true(q_loop_trip_count(q, 0, (uint32_t)heads[0], &count));
    assert_int_equal(count, 3);
    assert_true(q_loop_runs(q, 0, (uint32_t)heads[0]));
    assert_false(q_loop_trip_count(q, 0, (uint32_t)heads[2], &count)); /* i < n: unknown */
    assert_true(q_loop_runs(q, 0, (uint32_t)heads[1]));  /* i < N: the constant 4 */
    assert_false(q_loop_runs(q, 0, (uint32_t)heads[2])); /* i < n: may be 0 */
}

/* f { c = tt_chan_new(0); for (...) { recv(c); if (...) break; } }:
 * positions from the model: loop keyword (mb_mark after mb_loop), the break
 * that leaves the loop, the capacity argument; cycles that avoid blocks */
static void model_positions(void **state)
{
    (void)state;
    rt_reset(NULL);
    rt_fn("f", 1);
    model_obj_id c = rt_local("c");
    rt_arg_at(rt_chan_new(3, c, "c", 0), 43);
    rt_for(5);
    rt_recv(6, c, "c");
    rt_if_break(8, 13);
    rt_end_loop();
    rt_end(10);
    q_ctx *q = rt_query();
    q_pos recv = rt_pos(6);
    int64_t head = q_loop_of(q, 0, recv.block);
    assert_true(head >= 0);
    model_loc loc;
    assert_true(q_loop_loc(q, 0, (uint32_t)head, &loc));
    assert_int_equal(loc.line, 5);
    assert_int_equal(loc.col, 5);
    assert_true(q_loop_jump_loc_except(q, 0, (uint32_t)head, UINT32_MAX, &loc));
    assert_int_equal(loc.line, 8);
    assert_int_equal(loc.col, 13);
    model_loc b, e;
    assert_true(q_zero_capacity_range(q, q_ev(q, rt_pos(3)), &b, &e));
    assert_int_equal(b.col, 43);
    assert_int_equal(e.col, 44);
    /* every round passes the receive's block: no cycle avoids it */
    bool *avoid = calloc(R.tu->funcs[0].nblocks, sizeof *avoid);
    assert_non_null(avoid);
    assert_true(q_cycle_avoiding(q, 0, (uint32_t)head, avoid));
    avoid[recv.block] = true;
    assert_false(q_cycle_avoiding(q, 0, (uint32_t)head, avoid));
    free(avoid);
}

/* do { recv } while (cond): the keyword sits on the condition block */
static void do_loop_position(void **state)
{
    (void)state;
    rt_reset(NULL);
    rt_fn("f", 1);
    model_obj_id c = rt_local("c");
    rt_do(2);
    rt_recv(3, c, "c");
    rt_do_while();
    rt_end(5);
    q_ctx *q = rt_query();
    int64_t head = q_loop_of(q, 0, rt_pos(3).block);
    assert_true(head >= 0);
    model_loc loc;
    assert_true(q_loop_loc(q, 0, (uint32_t)head, &loc));
    assert_int_equal(loc.line, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(spawn_binds_param_to_argument, rt_teardown),
        cmocka_unit_test_teardown(loops_and_paths, rt_teardown),
        cmocka_unit_test_teardown(endless_loop_never_returns, rt_teardown),
        cmocka_unit_test_teardown(counted_loop_trip_count, rt_teardown),
        cmocka_unit_test_teardown(model_positions, rt_teardown),
        cmocka_unit_test_teardown(do_loop_position, rt_teardown),
    };
    return cmocka_run_group_tests_name("rule queries", tests, NULL, NULL);
}
