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

/* f { s = select { recv a @3; recv b @4; after @5 } @2; if (s != 1) { x } ;
 *     switch (s) { case 0: y; case 2: z; default: w } }: the cases each
 * branch follows */
static void case_edges(void **state)
{
    (void)state;
    rt_reset(NULL);
    rt_fn("f", 1);
    model_obj_id a = rt_local("a"), b = rt_local("b"), x = rt_local("x");
    rt_chan_new(1, a, "a", 0);
    rt_chan_new(1, b, "b", 0);
    rt_send(1, b, "b");
    model_obj_id objs[3] = { a, b, rt_after(5) };
    const char *texts[3] = { "a", "b", "tt_after(1)" };
    rt_select(2, false, 3, objs, texts, NULL);
    rt_if_case(6, 2, 1, false);
    rt_send(7, x, "x");
    rt_end_if();
    rt_switch_case(8, 2);
    rt_case_label(0);
    rt_send(9, x, "y");
    rt_case_label(2);
    rt_send(10, x, "z");
    mb_case(R.b, true);
    rt_send(11, x, "w");
    rt_end_switch();
    rt_end(12);
    q_ctx *q = rt_query();
    q_pos it = rt_pos(6), sw = rt_pos(8);
    const model_event *sel;
    uint64_t cases;
    /* `!= 1`: then when case 0 or 2 ran, else when case 1 did */
    assert_true(q_case_edge(q, it.func, it.block, 0, &sel, &cases));
    assert_int_equal(sel->loc.line, 2);
    assert_int_equal(cases, 5);
    assert_true(q_case_edge(q, it.func, it.block, 1, &sel, &cases));
    assert_int_equal(cases, 2);
    /* the switch: each labeled block, and default for the unlabeled case 1 */
    const model_block *bl = &q_tu(q)->funcs[sw.func].blocks[sw.block];
    uint64_t seen = 0;
    for (size_t s = 0; s < bl->nsucc; s++) {
        assert_true(q_case_edge(q, sw.func, sw.block, s, NULL, &cases));
        const model_block *w = &q_tu(q)->funcs[sw.func].blocks[bl->succ[s]];
        if (w->case_value_known)
            assert_int_equal(cases, (uint64_t)1 << w->case_value);
        else
            assert_int_equal(cases, 2);
        seen |= cases;
    }
    assert_int_equal(seen, 7);
    /* case 0 (a: nothing sends to or closes it) can never fire: the switch's
     * case 0 branch is dead, its case 2 (the timeout) is not */
    assert_true(q_case_never_fires(q, sel, 0));
    assert_false(q_case_never_fires(q, sel, 1));
    assert_false(q_case_never_fires(q, sel, 2));
    assert_false(q_case_edge(q, it.func, rt_pos(7).block, 0, NULL, &cases)); /* no CASE_TEST there */
}

static q_verdict visit_uses(q_ctx *q, q_pos at, const model_event *ev, void *user)
{
    (void)at;
    return q_uses_chan(q, ev, *(const model_obj_id *)user) ? Q_FOUND : Q_GO;
}

/* owner { if (tt_spawn(t, ch) != TT_OK) { free; return; } close(ch); }, and
 * the same with `tt_spawn(t, ch); if (bad) { free; return; }` (no branch on
 * its result) */
static void spawn_failure_branch(void **state)
{
    (void)state;
    for (int checked = 0; checked < 2; checked++) {
        rt_reset(NULL);
        rt_fn("t", 1);
        model_obj_id arg = rt_param("arg");
        rt_send(2, arg, "arg");
        rt_end(3);
        rt_fn("owner", 4);
        model_obj_id ch = rt_local("ch");
        rt_chan_new(5, ch, "ch", 0);
        if (checked)
            rt_if_spawn(6, "t", ch, "ch");
        else {
            rt_spawn(6, "t", ch, "ch");
            rt_if();
        }
        rt_ev(MODEL_EV_CHAN_FREE, 7, ch, "ch");
        rt_ret(8);
        rt_end_if();
        rt_close(9, ch, "ch");
        rt_ret(10);
        rt_end(11);
        q_ctx *q = rt_query();
        q_pos sp = rt_pos(6);
        q_pos ret;
        model_obj_id cls = q_class(q, ch);
        if (checked) {
            assert_int_equal(q_spawn_failure_branch(q, sp, NULL, NULL), -1); /* no notion of use */
            assert_int_equal(q_spawn_failure_branch(q, sp, visit_uses, &cls), 0); /* the then branch */
            assert_false(q_spawn_left_open(q, sp, ch, &ret));
        } else {
            assert_int_equal(q_spawn_failure_branch(q, sp, visit_uses, &cls), -1);
            assert_true(q_spawn_left_open(q, sp, ch, &ret));
            assert_int_equal(q_ev(q, ret)->loc.line, 8);
        }
        rt_free();
    }
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
        cmocka_unit_test_teardown(case_edges, rt_teardown),
        cmocka_unit_test_teardown(spawn_failure_branch, rt_teardown),
    };
    return cmocka_run_group_tests_name("rule queries", tests, NULL, NULL);
}
