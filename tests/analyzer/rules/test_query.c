/* test_query.c — the shared queries (model/query.h) on hand-built models. */
#include "rule_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void spawn_binds_param_to_argument(void **state)
{
    (void)state;
    rt_reset(NULL);
    rt_fn("task", 1);
    model_obj_id arg = rt_param("arg");
    rt_ev(MODEL_EV_RECV, 2, model_obj_ctx_done(R.tu, arg), "tt_ctx_done(arg)");
    rt_end(3);
    rt_fn("main", 4);
    model_obj_id ctx = rt_local("ctx");
    model_obj_id other = rt_local("other");
    rt_ev(MODEL_EV_CTX_CANCEL, 5, model_obj_ctx_done(R.tu, ctx), "x"); /* a done obj of ctx */
    rt_spawn(6, "task", ctx, "ctx");
    rt_end(7);
    model_finish(R.tu);
    q_ctx *q = q_new(R.tu);
    assert_int_equal(q_class(q, arg), q_class(q, ctx));
    assert_int_not_equal(q_class(q, arg), q_class(q, other));
    /* tt_ctx_done() of joined contexts is one channel */
    assert_int_equal(q_class(q, model_obj_ctx_done(R.tu, arg)), q_class(q, model_obj_ctx_done(R.tu, ctx)));
    assert_int_equal(q_class(q, MODEL_NO_OBJ), MODEL_NO_OBJ);
    q_free(q);
    rt_free();
}

/* entry: a; loop { b; if { c } }; d */
static void loops_and_paths(void **state)
{
    (void)state;
    rt_reset(NULL);
    rt_fn("f", 1);
    model_obj_id x = rt_local("x");
    rt_ev(MODEL_EV_SEND, 2, x, "a");
    mb_loop(R.b);
    mb_loop_body(R.b, false);
    rt_ev(MODEL_EV_SEND, 4, x, "b");
    mb_if(R.b);
    rt_ev(MODEL_EV_SEND, 5, x, "c");
    mb_end_if(R.b);
    mb_end_loop(R.b);
    rt_ev(MODEL_EV_SEND, 7, x, "d");
    rt_end(8);
    model_finish(R.tu);
    q_ctx *q = q_new(R.tu);
    q_pos a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 };
    for (size_t k = 0; k < q_nevents(q); k++) {
        q_pos p = q_event_pos(q, k);
        const model_event *ev = q_ev(q, p);
        if (ev->kind != MODEL_EV_SEND)
            continue;
        switch (ev->text[0]) {
        case 'a': a = p; break;
        case 'b': b = p; break;
        case 'c': c = p; break;
        default: d = p; break;
        }
    }
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
    q_free(q);
    rt_free();
}

/* an infinite loop with no way out cannot end; a function around it never returns */
static void endless_loop_never_returns(void **state)
{
    (void)state;
    rt_reset(NULL);
    rt_fn("spin", 1);
    mb_loop(R.b);
    mb_loop_body(R.b, true);
    rt_num(rt_ev(MODEL_EV_SLEEP, 3, MODEL_NO_OBJ, NULL), 1);
    mb_end_loop(R.b);
    rt_end(5);
    rt_fn("caller", 6);
    rt_call(7, "spin", 0, NULL);
    rt_end(8);
    model_finish(R.tu);
    q_ctx *q = q_new(R.tu);
    assert_false(q_func_returns(q, 0));
    assert_false(q_func_returns(q, 1)); /* its only path calls spin() */
    q_free(q);
    rt_free();
}

/* trip counts, still read from the source text at the loop keyword the
 * model places */
static void counted_loop_trip_count(void **state)
{
    (void)state;
    char path[] = "/tmp/tether-query-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs("void f(void)\n"                                      /* 1 */
          "{\n"                                                 /* 2 */
          "    /* for (;;) in a comment */\n"                    /* 3 */
          "    for (int i = 0; i < 3; i++)\n"                    /* 4 */
          "        tt_recv(c, NULL);\n"                          /* 5 */
          "    for (int i = 0; i < N; i++)\n"                    /* 6 */
          "        tt_recv(c, NULL);\n"                          /* 7 */
          "    for (int i = 0; i < n; i++)\n"                    /* 8 */
          "        tt_recv(c, NULL);\n"                          /* 9 */
          "}\n", f);                                            /* 10 */
    fclose(f);
    rt_reset(path);
    rt_fn("f", 1);
    model_obj_id c = rt_local("c");
    for (uint32_t line = 4; line <= 8; line += 2) {
        mb_loop(R.b);
        mb_mark(R.b, (model_loc){ line, 5 });
        mb_loop_body(R.b, false);
        rt_ev(MODEL_EV_RECV, line + 1, c, "c");
        mb_end_loop(R.b);
    }
    rt_end(10);
    model_finish(R.tu);
    q_ctx *q = q_new(R.tu);
    int64_t heads[3];
    size_t n = 0;
    for (size_t k = 0; k < q_nevents(q) && n < 3; k++)
        if (q_ev(q, q_event_pos(q, k))->kind == MODEL_EV_RECV)
            heads[n++] = q_loop_of(q, 0, q_event_pos(q, k).block);
    assert_int_equal(n, 3);
    for (size_t i = 0; i < 3; i++)
        assert_true(heads[i] >= 0);
    long long count = 0;
    assert_true(q_loop_trip_count(q, 0, (uint32_t)heads[0], &count));
    assert_int_equal(count, 3);
    assert_true(q_loop_runs(q, 0, (uint32_t)heads[0]));
    assert_false(q_loop_trip_count(q, 0, (uint32_t)heads[1], &count));
    assert_true(q_loop_runs(q, 0, (uint32_t)heads[1]));  /* i < N: a constant */
    assert_false(q_loop_runs(q, 0, (uint32_t)heads[2])); /* i < n: may be 0 */
    q_free(q);
    rt_free();
    unlink(path);
}

/* positions from the model: loop keyword (mb_mark after mb_loop), the break
 * that leaves the loop, the capacity argument; cycles that avoid blocks */
static void model_positions(void **state)
{
    (void)state;
    rt_reset(NULL);
    rt_fn("f", 1);
    model_obj_id c = rt_local("c");
    model_event *nw = rt_new_chan(3, c, "c", 0);
    nw->num_begin = (model_loc){ 3, 43 };
    nw->num_end = (model_loc){ 3, 44 };
    mb_loop(R.b);
    mb_mark(R.b, (model_loc){ 5, 5 });
    mb_loop_body(R.b, false);
    rt_ev(MODEL_EV_RECV, 6, c, "c");
    mb_if(R.b);
    mb_break(R.b);
    mb_mark(R.b, (model_loc){ 8, 13 });
    mb_end_if(R.b);
    mb_end_loop(R.b);
    rt_end(10);
    model_finish(R.tu);
    q_ctx *q = q_new(R.tu);
    q_pos recv = { 0 };
    for (size_t k = 0; k < q_nevents(q); k++)
        if (q_ev(q, q_event_pos(q, k))->kind == MODEL_EV_RECV)
            recv = q_event_pos(q, k);
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
    assert_true(q_zero_capacity_range(q, q_ev(q, q_event_pos(q, 0)), &b, &e));
    assert_int_equal(b.col, 43);
    assert_int_equal(e.col, 44);
    /* every round passes the receive's block: no cycle avoids it */
    bool *avoid = calloc(R.tu->funcs[0].nblocks, sizeof *avoid);
    assert_non_null(avoid);
    assert_true(q_cycle_avoiding(q, 0, (uint32_t)head, avoid));
    avoid[recv.block] = true;
    assert_false(q_cycle_avoiding(q, 0, (uint32_t)head, avoid));
    free(avoid);
    q_free(q);
    rt_free();
}

/* do { recv } while (cond): the keyword sits on the condition block */
static void do_loop_position(void **state)
{
    (void)state;
    rt_reset(NULL);
    rt_fn("f", 1);
    model_obj_id c = rt_local("c");
    mb_do(R.b);
    mb_mark(R.b, (model_loc){ 2, 5 });
    rt_ev(MODEL_EV_RECV, 3, c, "c");
    mb_do_cond(R.b);
    mb_end_do(R.b, false);
    rt_end(5);
    model_finish(R.tu);
    q_ctx *q = q_new(R.tu);
    q_pos recv = q_event_pos(q, 0);
    int64_t head = q_loop_of(q, 0, recv.block);
    assert_true(head >= 0);
    model_loc loc;
    assert_true(q_loop_loc(q, 0, (uint32_t)head, &loc));
    assert_int_equal(loc.line, 2);
    q_free(q);
    rt_free();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spawn_binds_param_to_argument),
        cmocka_unit_test(loops_and_paths),
        cmocka_unit_test(endless_loop_never_returns),
        cmocka_unit_test(counted_loop_trip_count),
        cmocka_unit_test(model_positions),
        cmocka_unit_test(do_loop_position),
    };
    return cmocka_run_group_tests_name("rule queries", tests, NULL, NULL);
}
