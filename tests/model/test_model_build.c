/* test_model_build.c — the structured builder lowers statements to the
 * right CFG shapes, and objects merge and keep kinds as model.h promises. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "model/model.h"

static const model_loc L0 = { 1, 1 };

static model_event *ev_at(model_builder *b, model_ev_kind k, uint32_t line)
{
    return mb_event(b, k, (model_loc){ line, 1 });
}

/* Finds the block holding the event on `line`, or -1. */
static int block_of(const model_func *fn, uint32_t line)
{
    for (size_t b = 0; b < fn->nblocks; b++)
        for (size_t e = 0; e < fn->blocks[b].nevents; e++)
            if (fn->blocks[b].events[e].loc.line == line)
                return (int)b;
    return -1;
}

/* Is `to` reachable from `from` (following successors)? */
static bool reaches(const model_func *fn, int from, int to)
{
    bool seen[256] = { 0 };
    int stack[256], n = 0;
    stack[n++] = from;
    seen[from] = true;
    while (n) {
        int b = stack[--n];
        if (b == to)
            return true;
        for (size_t s = 0; s < fn->blocks[b].nsucc; s++) {
            int t = (int)fn->blocks[b].succ[s];
            if (!seen[t]) {
                seen[t] = true;
                stack[n++] = t;
            }
        }
    }
    return false;
}

static void test_if_else_joins(void **state)
{
    (void)state;
    model_tu *tu = model_new("t.c");
    model_builder *b = mb_begin(tu, "f", L0, false);
    ev_at(b, MODEL_EV_SLEEP, 2);
    mb_if(b);
    ev_at(b, MODEL_EV_SLEEP, 3);
    mb_else(b);
    ev_at(b, MODEL_EV_SLEEP, 4);
    mb_end_if(b);
    ev_at(b, MODEL_EV_SLEEP, 5);
    mb_end(b, (model_loc){ 6, 1 });
    model_finish(tu);
    const model_func *fn = &tu->funcs[0];
    int c = block_of(fn, 2), t = block_of(fn, 3), e = block_of(fn, 4), j = block_of(fn, 5);
    assert_true(c >= 0 && t >= 0 && e >= 0 && j >= 0);
    assert_true(reaches(fn, c, t) && reaches(fn, c, e));
    assert_false(reaches(fn, t, e));
    assert_true(reaches(fn, t, j) && reaches(fn, e, j));
    assert_true(reaches(fn, j, (int)fn->exit));
    /* falling off the end adds a RETURN flagged as such at the brace */
    const model_block *jb = &fn->blocks[j];
    assert_int_equal(jb->events[jb->nevents - 1].kind, MODEL_EV_RETURN);
    assert_true(jb->events[jb->nevents - 1].flags & MODEL_EVF_FALLTHROUGH_END);
    assert_int_equal(jb->events[jb->nevents - 1].loc.line, 6);
    model_free(tu);
}

static void test_infinite_loop_has_no_exit(void **state)
{
    (void)state;
    model_tu *tu = model_new("t.c");
    model_builder *b = mb_begin(tu, "f", L0, false);
    mb_loop(b);
    mb_loop_body(b, true);
    ev_at(b, MODEL_EV_SLEEP, 3);
    mb_end_loop(b);
    mb_end(b, (model_loc){ 5, 1 });
    model_finish(tu);
    const model_func *fn = &tu->funcs[0];
    assert_false(reaches(fn, (int)fn->entry, (int)fn->exit));
    int body = block_of(fn, 3), head = -1;
    for (size_t i = 0; i < fn->nblocks; i++)
        if (fn->blocks[i].loop_head) {
            head = (int)i;
            assert_true(fn->blocks[i].infinite_loop_head);
        }
    assert_true(head >= 0 && body >= 0 && head != body);
    assert_true(reaches(fn, body, head) && reaches(fn, head, body)); /* it cycles */
    model_free(tu);
}

static void test_loop_cond_break_continue(void **state)
{
    (void)state;
    model_tu *tu = model_new("t.c");
    model_builder *b = mb_begin(tu, "f", L0, false);
    mb_loop(b);
    model_event *r = ev_at(b, MODEL_EV_RECV, 2);
    assert_true(r->flags & MODEL_EVF_LOOP_COND);
    mb_loop_body(b, false);
    mb_if(b);
    mb_continue(b);
    mb_end_if(b);
    model_event *s = ev_at(b, MODEL_EV_SEND, 4);
    assert_false(s->flags & MODEL_EVF_LOOP_COND);
    mb_if(b);
    mb_break(b);
    mb_end_if(b);
    mb_loop_step(b);
    ev_at(b, MODEL_EV_SLEEP, 6);
    mb_end_loop(b);
    ev_at(b, MODEL_EV_CLOSE, 7);
    mb_end(b, (model_loc){ 8, 1 });
    model_finish(tu);
    const model_func *fn = &tu->funcs[0];
    int head = block_of(fn, 2), send = block_of(fn, 4), step = block_of(fn, 6), after = block_of(fn, 7);
    assert_true(fn->blocks[head].loop_head);
    assert_false(fn->blocks[head].infinite_loop_head);
    assert_true(reaches(fn, head, after));  /* the condition can end the loop */
    assert_true(reaches(fn, send, step) && reaches(fn, step, head));
    assert_true(reaches(fn, send, after));  /* break */
    model_free(tu);
}

static void test_do_while_and_switch(void **state)
{
    (void)state;
    model_tu *tu = model_new("t.c");
    model_builder *b = mb_begin(tu, "f", L0, false);
    mb_do(b);
    ev_at(b, MODEL_EV_RECV, 2);
    mb_do_cond(b);
    ev_at(b, MODEL_EV_CTX_ERR, 3);
    mb_end_do(b, false);
    ev_at(b, MODEL_EV_SLEEP, 4);
    mb_switch(b);
    mb_case(b, false);
    mb_case_value(b, 0);
    ev_at(b, MODEL_EV_SEND, 6);
    mb_case(b, false); /* falls through from the previous case */
    mb_case_value(b, 1);
    ev_at(b, MODEL_EV_CLOSE, 7);
    mb_break(b);
    mb_end_switch(b);
    ev_at(b, MODEL_EV_WG_WAIT, 9);
    mb_end(b, (model_loc){ 10, 1 });
    model_finish(tu);
    const model_func *fn = &tu->funcs[0];
    int body = block_of(fn, 2), cond = block_of(fn, 3), sw = block_of(fn, 4);
    int c1 = block_of(fn, 6), c2 = block_of(fn, 7), after = block_of(fn, 9);
    assert_true(reaches(fn, cond, body) && reaches(fn, cond, sw));
    assert_true(fn->blocks[cond].events[0].flags & MODEL_EVF_LOOP_COND);
    assert_true(reaches(fn, c1, c2));
    assert_false(reaches(fn, c2, c1));
    assert_true(reaches(fn, c2, after));
    assert_true(fn->blocks[c1].case_value_known && fn->blocks[c1].case_value == 0);
    assert_true(fn->blocks[c2].case_value_known && fn->blocks[c2].case_value == 1);
    assert_false(fn->blocks[after].case_value_known);
    /* no default: the switch head goes straight past the cases too */
    bool direct = false;
    for (size_t s = 0; s < fn->blocks[sw].nsucc; s++)
        direct |= (int)fn->blocks[sw].succ[s] == after;
    assert_true(direct);
    model_free(tu);
}

static void test_return_goto_noreturn(void **state)
{
    (void)state;
    model_tu *tu = model_new("t.c");
    model_builder *b = mb_begin(tu, "f", L0, false);
    mb_if(b);
    mb_goto(b, "out");
    mb_end_if(b);
    mb_if(b);
    mb_noreturn(b, (model_loc){ 4, 1 }, "exit");
    mb_end_if(b);
    ev_at(b, MODEL_EV_SLEEP, 5);
    mb_label(b, "out");
    ev_at(b, MODEL_EV_TICKER_STOP, 7);
    mb_return(b, (model_loc){ 8, 5 }, MODEL_NO_OBJ, NULL);
    ev_at(b, MODEL_EV_SEND, 9); /* unreachable, still recorded */
    mb_end(b, (model_loc){ 10, 1 });
    model_finish(tu);
    const model_func *fn = &tu->funcs[0];
    int nr = block_of(fn, 4), mid = block_of(fn, 5), out = block_of(fn, 7), dead = block_of(fn, 9);
    assert_int_equal(fn->blocks[nr].nsucc, 0);
    assert_true(reaches(fn, (int)fn->entry, out));
    assert_true(reaches(fn, mid, out));
    assert_true(reaches(fn, out, (int)fn->exit));
    assert_true(dead >= 0);
    assert_false(reaches(fn, (int)fn->entry, dead));
    /* the end is unreachable: no fall-off RETURN was added */
    assert_int_equal(fn->blocks[dead].nevents, 1);
    model_free(tu);
}

static void test_objects_alias_and_kinds(void **state)
{
    (void)state;
    model_tu *tu = model_new("t.c");
    model_builder *b = mb_begin(tu, "worker", L0, true);
    int32_t f = mb_func_index(b);
    model_obj_id arg = mb_param(b, "arg", MODEL_KIND_NONE, L0);
    model_obj_id c = model_obj_local(tu, f, "c", MODEL_KIND_NONE, L0);
    model_obj_id fld = model_obj_field(tu, "job", "done", MODEL_KIND_NONE);
    assert_int_equal(model_obj_field(tu, "job", "done", MODEL_KIND_NONE), fld);
    assert_int_equal(model_obj_lookup(tu, f, "c"), c);
    assert_int_equal(model_obj_lookup(tu, f, "arg"), arg);
    assert_int_equal(model_obj_lookup(tu, f, "nope"), MODEL_NO_OBJ);
    model_obj_alias(tu, c, arg);
    assert_int_equal(model_obj_canon(tu, c), model_obj_canon(tu, arg));
    model_event *ev = mb_event(b, MODEL_EV_RECV, L0);
    ev->obj = c;
    model_obj_id done = model_obj_ctx_done(tu, fld);
    assert_int_equal(model_obj_kind(tu, fld), MODEL_KIND_CTX);
    assert_int_equal(model_obj_kind(tu, done), MODEL_KIND_CHAN);
    mb_end(b, L0);
    b = mb_begin(tu, "main", L0, false);
    ev = mb_event(b, MODEL_EV_SPAWN, L0);
    ev->callee = model_strdup(tu, "worker");
    mb_end(b, L0);
    model_finish(tu);
    assert_int_equal(model_obj_kind(tu, arg), MODEL_KIND_CHAN); /* from the RECV */
    assert_int_equal(tu->funcs[1].blocks[tu->funcs[1].entry].events[0].callee_func, 0);
    char buf[64];
    assert_string_equal(model_obj_describe(tu, done, buf, sizeof buf), "tt_ctx_done(job.done)");
    model_free(tu);
}

static void test_mark_names_loops_and_jumps(void **state)
{
    (void)state;
    model_tu *tu = model_new("t.c");
    model_builder *b = mb_begin(tu, "f", L0, false);
    mb_loop(b);
    mb_mark(b, (model_loc){ 2, 5 });
    mb_loop_body(b, false);
    mb_loop_trips(b, 3);
    ev_at(b, MODEL_EV_RECV, 3);
    mb_break(b);
    mb_mark(b, (model_loc){ 4, 9 });
    mb_end_loop(b);
    mb_do(b);
    mb_mark(b, (model_loc){ 6, 5 });
    ev_at(b, MODEL_EV_SEND, 7);
    mb_do_cond(b);
    mb_end_do(b, false);
    mb_end(b, (model_loc){ 9, 1 });
    model_finish(tu);
    const model_func *fn = &tu->funcs[0];
    int loops = 0;
    for (size_t i = 0; i < fn->nblocks; i++)
        if (fn->blocks[i].loop_head) {
            loops++;
            assert_true(fn->blocks[i].loc.line == 2 || fn->blocks[i].loc.line == 6);
            assert_int_equal(fn->blocks[i].trips_known, fn->blocks[i].loc.line == 2);
            if (fn->blocks[i].trips_known)
                assert_int_equal(fn->blocks[i].trips, 3);
        }
    assert_int_equal(loops, 2);
    const model_block *brk = &fn->blocks[block_of(fn, 3)];
    assert_int_equal(brk->loc.line, 4);
    assert_int_equal(brk->loc.col, 9);
    model_free(tu);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_if_else_joins),
        cmocka_unit_test(test_infinite_loop_has_no_exit),
        cmocka_unit_test(test_loop_cond_break_continue),
        cmocka_unit_test(test_do_while_and_switch),
        cmocka_unit_test(test_return_goto_noreturn),
        cmocka_unit_test(test_objects_alias_and_kinds),
        cmocka_unit_test(test_mark_names_loops_and_jumps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
