/* test_wg_unbalanced.c — wg-unbalanced on hand-built models. */
#include "rule_test.h"

static const char *const ID = "wg-unbalanced";

/* worker(arg) { [if (c) return;] [done(arg)] } */
static void worker(const char *name, bool done, bool early_return)
{
    rt_fn(name, 1);
    model_obj_id arg = rt_param("arg");
    if (early_return) {
        mb_if(R.b);
        rt_ret(3);
        mb_end_if(R.b);
    }
    if (done)
        rt_ev(MODEL_EV_WG_DONE, 4, arg, "arg");
    rt_end(5);
}

static void never_done(void **state)
{
    (void)state;
    rt_reset(NULL);
    worker("worker", false, false);
    rt_fn("main", 10);
    model_obj_id wg = rt_local("wg");
    rt_num(rt_ev(MODEL_EV_WG_ADD, 11, wg, "wg"), 1);
    rt_spawn(12, "worker", wg, "&wg");
    rt_ev(MODEL_EV_WG_WAIT, 13, wg, "wg");
    rt_end(14);
    rt_run(ID);
    assert_int_equal(rt_count(), 1);
    assert_true(rt_has(13, "tt_wg_wait can never return: nothing calls tt_wg_done on 'wg'"));
}

/* add(a1); spawn; [add(a2)]; wait */
static void counts_model(int64_t a1, bool second_add, bool second_spawn)
{
    rt_reset(NULL);
    worker("worker", true, false);
    rt_fn("main", 10);
    model_obj_id wg = rt_local("wg");
    rt_num(rt_ev(MODEL_EV_WG_ADD, 11, wg, "wg"), a1);
    rt_spawn(12, "worker", wg, "&wg");
    if (second_add)
        rt_num(rt_ev(MODEL_EV_WG_ADD, 13, wg, "wg"), 1);
    if (second_spawn)
        rt_spawn(14, "worker", wg, "&wg");
    rt_ev(MODEL_EV_WG_WAIT, 15, wg, "wg");
    rt_end(16);
}

static void add_two_one_task(void **state)
{
    (void)state;
    counts_model(2, false, false);
    rt_run(ID);
    assert_int_equal(rt_count(), 1);
    assert_true(rt_has(11, "tt_wg_add adds 2 but only 1 task(s) call tt_wg_done"));
}

static void second_add_without_task(void **state)
{
    (void)state;
    counts_model(1, true, false);
    rt_run(ID);
    assert_int_equal(rt_count(), 1);
    assert_true(rt_has(13, "tt_wg_add adds 1 but only 0 task(s) call tt_wg_done"));
}

static void balanced_interleaved(void **state)
{
    (void)state;
    counts_model(1, true, true);
    rt_run(ID);
    assert_int_equal(rt_count(), 0);
}

static void balanced_two(void **state)
{
    (void)state;
    counts_model(2, false, true);
    rt_run(ID);
    assert_int_equal(rt_count(), 0);
}

/* for (...) { add(1); spawn }  — balanced per iteration */
static void loop_paired(void **state)
{
    (void)state;
    rt_reset(NULL);
    worker("worker", true, false);
    rt_fn("main", 10);
    model_obj_id wg = rt_local("wg");
    mb_loop(R.b);
    mb_loop_body(R.b, false);
    rt_num(rt_ev(MODEL_EV_WG_ADD, 12, wg, "wg"), 1);
    rt_spawn(13, "worker", wg, "&wg");
    mb_end_loop(R.b);
    rt_ev(MODEL_EV_WG_WAIT, 15, wg, "wg");
    rt_end(16);
    rt_run(ID);
    assert_int_equal(rt_count(), 0);
}

/* add(3) then a loop of unknown trip count spawning: not compared */
static void loop_count_unknown(void **state)
{
    (void)state;
    rt_reset(NULL);
    worker("worker", true, false);
    rt_fn("main", 10);
    model_obj_id wg = rt_local("wg");
    rt_num(rt_ev(MODEL_EV_WG_ADD, 11, wg, "wg"), 3);
    mb_loop(R.b);
    mb_loop_body(R.b, false);
    rt_spawn(13, "worker", wg, "&wg");
    mb_end_loop(R.b);
    rt_ev(MODEL_EV_WG_WAIT, 15, wg, "wg");
    rt_end(16);
    rt_run(ID);
    assert_int_equal(rt_count(), 0);
}

static void task_returns_early(void **state)
{
    (void)state;
    rt_reset(NULL);
    worker("worker", true, true);
    rt_fn("main", 10);
    model_obj_id wg = rt_local("wg");
    rt_num(rt_ev(MODEL_EV_WG_ADD, 11, wg, "wg"), 1);
    rt_spawn(12, "worker", wg, "&wg");
    rt_ev(MODEL_EV_WG_WAIT, 13, wg, "wg");
    rt_end(14);
    rt_run(ID);
    assert_int_equal(rt_count(), 1);
    assert_true(rt_has(3, "task 'worker' can return without calling tt_wg_done"));
}

/* the task adds for itself: races with the owner's wait */
static void add_in_task(bool owner_adds)
{
    rt_reset(NULL);
    rt_fn("worker", 1);
    model_obj_id arg = rt_param("arg");
    rt_num(rt_ev(MODEL_EV_WG_ADD, 2, arg, "arg"), 1);
    rt_ev(MODEL_EV_WG_DONE, 3, arg, "arg");
    rt_end(4);
    rt_fn("main", 10);
    model_obj_id wg = rt_local("wg");
    if (owner_adds)
        rt_num(rt_ev(MODEL_EV_WG_ADD, 11, wg, "wg"), 1);
    rt_spawn(12, "worker", wg, "&wg");
    rt_ev(MODEL_EV_WG_WAIT, 13, wg, "wg");
    rt_end(14);
}

static void add_inside_task(void **state)
{
    (void)state;
    add_in_task(false);
    rt_run(ID);
    assert_int_equal(rt_count(), 1);
    assert_true(rt_has(2, "tt_wg_add inside the spawned task races with tt_wg_wait"));
}

static void add_inside_counted_task(void **state)
{
    (void)state;
    add_in_task(true);
    rt_run(ID);
    /* the owner counts the task, so its own add is no race */
    assert_false(rt_has(2, "races"));
}

/* a helper calls done for the task */
static void done_in_helper(void **state)
{
    (void)state;
    rt_reset(NULL);
    rt_fn("finish", 1);
    model_obj_id w = rt_param("w");
    rt_ev(MODEL_EV_WG_DONE, 2, w, "w");
    rt_end(3);
    rt_fn("worker", 4);
    model_obj_id arg = rt_param("arg");
    rt_call(5, "finish", 1, &arg);
    rt_end(6);
    rt_fn("main", 10);
    model_obj_id wg = rt_local("wg");
    rt_num(rt_ev(MODEL_EV_WG_ADD, 11, wg, "wg"), 1);
    rt_spawn(12, "worker", wg, "&wg");
    rt_ev(MODEL_EV_WG_WAIT, 13, wg, "wg");
    rt_end(14);
    rt_run(ID);
    assert_int_equal(rt_count(), 0);
}

/* eval(t) { switch (op) { case 0: done; break; case 1: break; } }: the
 * warning points at the `break` that skips done, not at the closing brace */
static void switch_break_skips_done(void **state)
{
    (void)state;
    rt_reset(NULL);
    model_obj_id wg = rt_field("task", "wg");
    rt_fn("eval", 1);
    rt_param("p");
    mb_switch(R.b);
    mb_case(R.b, false);
    rt_ev(MODEL_EV_WG_DONE, 4, wg, "t->wg");
    mb_break(R.b);
    mb_mark(R.b, (model_loc){ 5, 9 });
    mb_case(R.b, false);
    mb_break(R.b);
    mb_mark(R.b, (model_loc){ 7, 9 });
    mb_end_switch(R.b);
    rt_end(9);
    rt_fn("main", 10);
    model_obj_id w = rt_local("wg");
    model_obj_alias(R.tu, w, wg);
    rt_num(rt_ev(MODEL_EV_WG_ADD, 11, w, "wg"), 1);
    rt_spawn(12, "eval", rt_local("t"), "&t");
    rt_ev(MODEL_EV_WG_WAIT, 13, w, "wg");
    rt_end(14);
    rt_run(ID);
    assert_int_equal(rt_count(), 1);
    assert_true(rt_has(7, "task 'eval' can return without calling tt_wg_done"));
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
        cmocka_unit_test_teardown(switch_break_skips_done, teardown),
        cmocka_unit_test_teardown(never_done, teardown),
        cmocka_unit_test_teardown(add_two_one_task, teardown),
        cmocka_unit_test_teardown(second_add_without_task, teardown),
        cmocka_unit_test_teardown(balanced_interleaved, teardown),
        cmocka_unit_test_teardown(balanced_two, teardown),
        cmocka_unit_test_teardown(loop_paired, teardown),
        cmocka_unit_test_teardown(loop_count_unknown, teardown),
        cmocka_unit_test_teardown(task_returns_early, teardown),
        cmocka_unit_test_teardown(add_inside_task, teardown),
        cmocka_unit_test_teardown(add_inside_counted_task, teardown),
        cmocka_unit_test_teardown(done_in_helper, teardown),
    };
    return cmocka_run_group_tests_name("wg-unbalanced", tests, NULL, NULL);
}
