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

/* the source fallbacks: loop keyword, jump out of a loop, call arguments, trip counts */
static void source_positions(void **state)
{
    (void)state;
    char path[] = "/tmp/tether-query-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs("void f(void)\n"                                      /* 1 */
          "{\n"                                                 /* 2 */
          "    tt_chan *c = tt_chan_new(sizeof(int), 0);\n"      /* 3 */
          "    /* for (;;) in a comment */\n"                    /* 4 */
          "    for (int i = 0; i < 3; i++) {\n"                  /* 5 */
          "        tt_recv(c, NULL);\n"                          /* 6 */
          "        if (i == 1)\n"                                /* 7 */
          "            break;\n"                                 /* 8 */
          "    }\n"                                              /* 9 */
          "}\n", f);                                            /* 10 */
    fclose(f);
    rt_reset(path);
    rt_fn("f", 1);
    model_obj_id c = rt_local("c");
    model_event *nw = rt_new_chan(3, c, "c", 0);
    nw->loc = (model_loc){ 3, 18 };
    mb_loop(R.b);
    mb_loop_body(R.b, false);
    rt_ev(MODEL_EV_RECV, 6, c, "c")->loc = (model_loc){ 6, 9 };
    mb_if(R.b);
    mb_break(R.b);
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
    assert_true(q_src_loop_loc(q, 0, (uint32_t)head, &loc));
    assert_int_equal(loc.line, 5);
    assert_int_equal(loc.col, 5);
    assert_true(q_src_loop_jump_loc(q, 0, (uint32_t)head, &loc));
    assert_int_equal(loc.line, 8);
    assert_int_equal(loc.col, 13);
    long long n = 0;
    assert_true(q_src_loop_trip_count(q, 0, (uint32_t)head, &n));
    assert_int_equal(n, 3);
    model_loc b, e;
    char text[32];
    assert_true(q_src_call_arg(q, (model_loc){ 3, 18 }, 1, &b, &e, text, sizeof text));
    assert_string_equal(text, "0");
    assert_int_equal(b.line, 3);
    assert_int_equal(b.col, 43);
    assert_int_equal(e.col, 44);
    assert_true(q_src_call_arg(q, (model_loc){ 3, 18 }, 0, &b, &e, text, sizeof text));
    assert_string_equal(text, "sizeof(int)");
    assert_false(q_src_call_arg(q, (model_loc){ 3, 18 }, 2, &b, &e, text, sizeof text));
    q_free(q);
    rt_free();
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spawn_binds_param_to_argument),
        cmocka_unit_test(loops_and_paths),
        cmocka_unit_test(endless_loop_never_returns),
        cmocka_unit_test(source_positions),
    };
    return cmocka_run_group_tests_name("rule queries", tests, NULL, NULL);
}
