/* test_wg_unbalanced.c — wg-unbalanced on hand-built models. */
#include "rule_test.h"

static const char *const ID = "wg-unbalanced";

/* worker(arg) { [if (c) return;] [done(arg)] } */
static void worker(bool done, bool early_return)
{
    rt_fn("worker", 1);
    model_obj_id arg = rt_param("arg");
    if (early_return)
        rt_if_return(3);
    if (done)
        rt_wg_done(4, arg, "arg");
    rt_end(5);
}

/* main { [tt_wg_add(&wg, 1);] tt_spawn(worker, &wg); tt_wg_wait(&wg); } */
static void owner(bool adds)
{
    rt_fn("main", 10);
    model_obj_id wg = rt_local("wg");
    if (adds)
        rt_wg_add(11, wg, "wg", 1);
    rt_spawn(12, "worker", wg, "&wg");
    rt_wg_wait(13, wg, "wg");
    rt_end(14);
}

static void never_done(void **state)
{
    (void)state;
    rt_reset(NULL);
    worker(false, false);
    owner(true);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has(13, "tt_wg_wait can never return: nothing calls tt_wg_done on 'wg'"));
}

/* add(a1); spawn; [add(a2)]; wait */
static void counts_model(int64_t a1, bool second_add, bool second_spawn)
{
    rt_reset(NULL);
    worker(true, false);
    rt_fn("main", 10);
    model_obj_id wg = rt_local("wg");
    rt_wg_add(11, wg, "wg", a1);
    rt_spawn(12, "worker", wg, "&wg");
    if (second_add)
        rt_wg_add(13, wg, "wg", 1);
    if (second_spawn)
        rt_spawn(14, "worker", wg, "&wg");
    rt_wg_wait(15, wg, "wg");
    rt_end(16);
}

static void add_two_one_task(void **state)
{
    (void)state;
    counts_model(2, false, false);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has(11, "tt_wg_add adds 2 but only 1 task(s) call tt_wg_done"));
}

static void second_add_without_task(void **state)
{
    (void)state;
    counts_model(1, true, false);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has(13, "tt_wg_add adds 1 but only 0 task(s) call tt_wg_done"));
}

static void balanced_interleaved(void **state)
{
    (void)state;
    counts_model(1, true, true);
    assert_int_equal(rt_run(ID), 0);
}

static void balanced_two(void **state)
{
    (void)state;
    counts_model(2, false, true);
    assert_int_equal(rt_run(ID), 0);
}

/* for (...) { add(1); spawn }  — balanced per iteration */
static void loop_paired(void **state)
{
    (void)state;
    rt_reset(NULL);
    worker(true, false);
    rt_fn("main", 10);
    model_obj_id wg = rt_local("wg");
    rt_for(0);
    rt_wg_add(12, wg, "wg", 1);
    rt_spawn(13, "worker", wg, "&wg");
    rt_end_loop();
    rt_wg_wait(15, wg, "wg");
    rt_end(16);
    assert_int_equal(rt_run(ID), 0);
}

/* #define N 4: add(N) then `for (i = 1; i < N; i++) spawn` — the front end
 * gives the loop its trip count (3) from the macro's value (blind test 2, p12) */
static void define_bound_off_by_one(void **state)
{
    (void)state;
    rt_reset(NULL);
    worker(true, false);
    rt_fn("main", 10);
    model_obj_id wg = rt_local("wg");
    rt_wg_add(11, wg, "wg", 4);
    rt_for_n(12, 3);
    rt_spawn(13, "worker", wg, "&wg");
    rt_end_loop();
    rt_wg_wait(15, wg, "wg");
    rt_end(16);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has(11, "tt_wg_add adds 4 but only 3 task(s) call tt_wg_done"));
}

/* add(3) then a loop of unknown trip count spawning: not compared */
static void loop_count_unknown(void **state)
{
    (void)state;
    rt_reset(NULL);
    worker(true, false);
    rt_fn("main", 10);
    model_obj_id wg = rt_local("wg");
    rt_wg_add(11, wg, "wg", 3);
    rt_for(0);
    rt_spawn(13, "worker", wg, "&wg");
    rt_end_loop();
    rt_wg_wait(15, wg, "wg");
    rt_end(16);
    assert_int_equal(rt_run(ID), 0);
}

static void task_returns_early(void **state)
{
    (void)state;
    rt_reset(NULL);
    worker(true, true);
    owner(true);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has(3, "task 'worker' can return without calling tt_wg_done"));
}

/* worker(arg) { add(arg, 1); done(arg) }: the task adds for itself, racing
 * with the owner's wait */
static void add_in_task(bool owner_adds)
{
    rt_reset(NULL);
    rt_fn("worker", 1);
    model_obj_id arg = rt_param("arg");
    rt_wg_add(2, arg, "arg", 1);
    rt_wg_done(3, arg, "arg");
    rt_end(4);
    owner(owner_adds);
}

static void add_inside_task(void **state)
{
    (void)state;
    add_in_task(false);
    assert_int_equal(rt_run(ID), 1);
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

/* finish(w) { done(w) }  worker(arg) { finish(arg) }: a helper calls done for the task */
static void done_in_helper(void **state)
{
    (void)state;
    rt_reset(NULL);
    rt_fn("finish", 1);
    model_obj_id w = rt_param("w");
    rt_wg_done(2, w, "w");
    rt_end(3);
    rt_fn("worker", 4);
    model_obj_id arg = rt_param("arg");
    rt_call(5, "finish", 1, &arg);
    rt_end(6);
    owner(true);
    assert_int_equal(rt_run(ID), 0);
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
    rt_switch();
    rt_case();
    rt_wg_done(4, wg, "t->wg");
    rt_break(5, 9);
    rt_case();
    rt_break(7, 9);
    rt_end_switch();
    rt_end(9);
    rt_fn("main", 10);
    model_obj_id w = rt_local("wg");
    rt_alias(w, wg);
    rt_wg_add(11, w, "wg", 1);
    rt_spawn(12, "eval", rt_local("t"), "&t");
    rt_wg_wait(13, w, "wg");
    rt_end(14);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has(7, "task 'eval' can return without calling tt_wg_done"));
}

/* main { [for (3) {] add(&wg, 1); [if (c)] spawn(worker, &wg); [}] wait(&wg); } */
static void skip_model(bool in_loop, bool conditional)
{
    rt_reset(NULL);
    worker(true, false);
    rt_fn("main", 10);
    model_obj_id wg = rt_local("wg");
    if (in_loop)
        rt_for_n(11, 3);
    rt_wg_add(12, wg, "wg", 1);
    if (conditional)
        rt_if();
    rt_spawn(14, "worker", wg, "&wg");
    if (conditional)
        rt_end_if();
    if (in_loop)
        rt_end_loop();
    rt_wg_wait(16, wg, "wg");
    rt_end(17);
}

static void add_then_conditional_spawn(void **state)
{
    (void)state;
    skip_model(false, true);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has(12, "tt_wg_add adds 1 on a path that spawns no task calling tt_wg_done"));
    assert_true(rt_has_note(16, "tt_wg_wait is reached here without that task"));
}

static void loop_add_then_conditional_spawn(void **state)
{
    (void)state;
    skip_model(true, true);
    assert_int_equal(rt_run(ID), 1);
    assert_true(rt_has(12, "tt_wg_add adds 1 on a path that spawns no task calling tt_wg_done"));
}

static void add_then_spawn_always(void **state)
{
    (void)state;
    skip_model(true, false);
    assert_int_equal(rt_run(ID), 0);
    skip_model(false, false);
    assert_int_equal(rt_run(ID), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(switch_break_skips_done, rt_teardown),
        cmocka_unit_test_teardown(never_done, rt_teardown),
        cmocka_unit_test_teardown(add_two_one_task, rt_teardown),
        cmocka_unit_test_teardown(second_add_without_task, rt_teardown),
        cmocka_unit_test_teardown(balanced_interleaved, rt_teardown),
        cmocka_unit_test_teardown(balanced_two, rt_teardown),
        cmocka_unit_test_teardown(loop_paired, rt_teardown),
        cmocka_unit_test_teardown(loop_count_unknown, rt_teardown),
        cmocka_unit_test_teardown(define_bound_off_by_one, rt_teardown),
        cmocka_unit_test_teardown(task_returns_early, rt_teardown),
        cmocka_unit_test_teardown(add_inside_task, rt_teardown),
        cmocka_unit_test_teardown(add_inside_counted_task, rt_teardown),
        cmocka_unit_test_teardown(done_in_helper, rt_teardown),
        cmocka_unit_test_teardown(add_then_conditional_spawn, rt_teardown),
        cmocka_unit_test_teardown(loop_add_then_conditional_spawn, rt_teardown),
        cmocka_unit_test_teardown(add_then_spawn_always, rt_teardown),
    };
    return cmocka_run_group_tests_name("wg-unbalanced", tests, NULL, NULL);
}
