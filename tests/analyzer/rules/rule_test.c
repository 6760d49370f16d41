/* rule_test.c — the hand-built-model DSL behind rule_test.h. */
#include "rule_test.h"

#include <stdio.h>

rt R;

/* ---- The file and its functions -------------------------------------------- */

void rt_reset(const char *path)
{
    rt_free();
    R.tu = model_new(path ? path : "/nonexistent/tether-rule-test.c");
}

void rt_fn(const char *name, uint32_t line)
{
    R.b = mb_begin(R.tu, name, L(line), true);
    R.fn = mb_func_index(R.b);
}

void rt_end(uint32_t line)
{
    mb_end(R.b, L(line));
    R.b = NULL;
}

model_obj_id rt_param(const char *name) { return mb_param(R.b, name, MODEL_KIND_NONE, L(0)); }
model_obj_id rt_local(const char *name) { return model_obj_local(R.tu, R.fn, name, MODEL_KIND_NONE, L(0)); }
model_obj_id rt_field(const char *tag, const char *field) { return model_obj_field(R.tu, tag, field, MODEL_KIND_NONE); }
model_obj_id rt_global(const char *name) { return model_obj_global(R.tu, name, MODEL_KIND_NONE, L(0)); }
model_obj_id rt_ctx_done(model_obj_id ctx) { return model_obj_ctx_done(R.tu, ctx); }
model_obj_id rt_ticker_chan(model_obj_id ticker) { return model_obj_ticker_chan(R.tu, ticker); }
model_obj_id rt_after(uint32_t line) { return model_obj_after(R.tu, L(line)); }
model_obj_id rt_null(void) { return model_obj_null(R.tu); }
model_obj_id rt_background(void) { return model_obj_background(R.tu); }
void rt_alias(model_obj_id a, model_obj_id b) { model_obj_alias(R.tu, a, b); }

/* ---- Events ---------------------------------------------------------------- */

model_event *rt_ev(model_ev_kind kind, uint32_t line, model_obj_id obj, const char *text)
{
    model_event *e = mb_event(R.b, kind, L(line));
    e->obj = obj;
    e->text = model_strdup(R.tu, text);
    return e;
}

model_event *rt_num(model_event *e, int64_t n)
{
    e->num = n;
    e->flags |= MODEL_EVF_NUM_KNOWN;
    return e;
}

model_event *rt_chan_new(uint32_t line, model_obj_id obj, const char *text, int64_t cap)
{
    return rt_num(rt_ev(MODEL_EV_CHAN_NEW, line, obj, text), cap);
}

model_event *rt_arg_at(model_event *e, uint32_t col)
{
    e->num_begin = (model_loc){ e->loc.line, col };
    e->num_end = (model_loc){ e->loc.line, col + 1 };
    return e;
}

model_event *rt_send(uint32_t line, model_obj_id ch, const char *text) { return rt_ev(MODEL_EV_SEND, line, ch, text); }
model_event *rt_recv(uint32_t line, model_obj_id ch, const char *text) { return rt_ev(MODEL_EV_RECV, line, ch, text); }
model_event *rt_close(uint32_t line, model_obj_id ch, const char *text) { return rt_ev(MODEL_EV_CLOSE, line, ch, text); }

model_event *rt_ctx_with_cancel(uint32_t line, model_obj_id obj, const char *text, model_obj_id parent)
{
    model_event *e = rt_ev(MODEL_EV_CTX_NEW, line, obj, text);
    e->obj2 = parent;
    return e;
}

model_event *rt_ctx_cancel(uint32_t line, model_obj_id ctx, const char *text)
{
    return rt_ev(MODEL_EV_CTX_CANCEL, line, ctx, text);
}

model_event *rt_ctx_err(uint32_t line, model_obj_id ctx, const char *text)
{
    return rt_ev(MODEL_EV_CTX_ERR, line, ctx, text);
}

model_event *rt_ticker_new(uint32_t line, model_obj_id obj, const char *text, int64_t ms)
{
    return rt_num(rt_ev(MODEL_EV_TICKER_NEW, line, obj, text), ms);
}

model_event *rt_ticker_stop(uint32_t line, model_obj_id t, const char *text)
{
    return rt_ev(MODEL_EV_TICKER_STOP, line, t, text);
}

model_event *rt_wg_add(uint32_t line, model_obj_id wg, const char *text, int64_t n)
{
    return rt_num(rt_ev(MODEL_EV_WG_ADD, line, wg, text), n);
}

model_event *rt_wg_done(uint32_t line, model_obj_id wg, const char *text) { return rt_ev(MODEL_EV_WG_DONE, line, wg, text); }
model_event *rt_wg_wait(uint32_t line, model_obj_id wg, const char *text) { return rt_ev(MODEL_EV_WG_WAIT, line, wg, text); }
model_event *rt_sleep(uint32_t line, int64_t ms) { return rt_num(rt_ev(MODEL_EV_SLEEP, line, MODEL_NO_OBJ, NULL), ms); }

model_event *rt_spawn(uint32_t line, const char *task, model_obj_id arg, const char *arg_text)
{
    model_event *e = rt_ev(MODEL_EV_SPAWN, line, MODEL_NO_OBJ, NULL);
    e->callee = model_strdup(R.tu, task);
    e->args = mb_alloc(R.b, sizeof *e->args);
    e->arg_texts = mb_alloc(R.b, sizeof *e->arg_texts);
    e->args[0] = arg;
    e->arg_texts[0] = model_strdup(R.tu, arg_text);
    e->nargs = 1;
    return e;
}

model_event *rt_call(uint32_t line, const char *callee, size_t nargs, const model_obj_id *args)
{
    model_event *e = rt_ev(MODEL_EV_CALL, line, MODEL_NO_OBJ, NULL);
    e->callee = model_strdup(R.tu, callee);
    e->args = mb_alloc(R.b, (nargs ? nargs : 1) * sizeof *e->args);
    e->arg_texts = mb_alloc(R.b, (nargs ? nargs : 1) * sizeof *e->arg_texts);
    for (size_t i = 0; i < nargs; i++)
        e->args[i] = args[i];
    e->nargs = nargs;
    return e;
}

model_event *rt_call_result(uint32_t line, model_obj_id result, const char *callee)
{
    model_event *e = rt_call(line, callee, 0, NULL);
    e->obj = result; /* the front end links the result to its variable */
    return e;
}

model_event *rt_select(uint32_t line, bool has_default, size_t n, const model_obj_id *objs,
                       const char *const *texts, const int *ops)
{
    model_event *e = rt_ev(MODEL_EV_SELECT, line, MODEL_NO_OBJ, NULL);
    e->has_default = has_default;
    e->cases = mb_alloc(R.b, (n ? n : 1) * sizeof *e->cases);
    for (size_t i = 0; i < n; i++)
        e->cases[i] = (model_case){ ops ? ops[i] : 1, objs[i], model_strdup(R.tu, texts[i]), L(line + 1 + (uint32_t)i), NULL, NULL };
    e->ncases = n;
    return e;
}

static model_event *case_test(uint32_t line, uint32_t select_line, int64_t num, bool case_then)
{
    model_event *e = rt_ev(MODEL_EV_CASE_TEST, line, MODEL_NO_OBJ, NULL);
    e->num = num;
    e->flags |= MODEL_EVF_NUM_KNOWN | MODEL_EVF_IN_COND;
    e->select_loc = L(select_line);
    e->case_then = case_then;
    return e;
}

void rt_if_case(uint32_t line, uint32_t select_line, int64_t num, bool case_then)
{
    case_test(line, select_line, num, case_then);
    mb_if(R.b);
}

void rt_switch_case(uint32_t line, uint32_t select_line)
{
    case_test(line, select_line, -1, false);
    mb_switch(R.b);
}

void rt_case_label(int64_t value)
{
    mb_case(R.b, false);
    mb_case_value(R.b, value);
}

model_event *rt_if_spawn(uint32_t line, const char *task, model_obj_id arg, const char *arg_text)
{
    model_event *e = rt_spawn(line, task, arg, arg_text);
    e->flags |= MODEL_EVF_IN_COND;
    mb_if(R.b);
    return e;
}

/* ---- Statements -------------------------------------------------------------- */

void rt_ret(uint32_t line) { mb_return(R.b, L(line), MODEL_NO_OBJ, NULL); }
void rt_return(uint32_t line, model_obj_id obj, const char *text) { mb_return(R.b, L(line), obj, text); }
void rt_exit(uint32_t line) { mb_noreturn(R.b, L(line), "exit"); }
void rt_if(void) { mb_if(R.b); }
void rt_end_if(void) { mb_end_if(R.b); }

void rt_if_null(uint32_t line, model_obj_id obj, const char *text)
{
    rt_num(rt_ev(MODEL_EV_NULL_TEST, line, obj, text), 0); /* then: obj == NULL */
    mb_if(R.b);
}

void rt_if_not_null(uint32_t line, model_obj_id obj, const char *text)
{
    rt_num(rt_ev(MODEL_EV_NULL_TEST, line, obj, text), 1); /* then: obj != NULL */
    mb_if(R.b);
}

void rt_if_return(uint32_t line)
{
    mb_if(R.b);
    rt_ret(line);
    mb_end_if(R.b);
}

static void loop_at(uint32_t line, bool forever)
{
    mb_loop(R.b);
    if (line)
        mb_mark(R.b, L(line));
    mb_loop_body(R.b, forever);
}

void rt_for(uint32_t line) { loop_at(line, false); }
void rt_for_ever(uint32_t line) { loop_at(line, true); }

void rt_for_n(uint32_t line, int64_t trips)
{
    loop_at(line, false);
    mb_loop_trips(R.b, trips);
}

void rt_while_recv(uint32_t line, model_obj_id ch, const char *text)
{
    mb_loop(R.b);
    rt_recv(line, ch, text)->flags |= MODEL_EVF_LOOP_COND | MODEL_EVF_IN_COND;
    mb_loop_body(R.b, false);
}

void rt_end_loop(void) { mb_end_loop(R.b); }

void rt_do(uint32_t line)
{
    mb_do(R.b);
    if (line)
        mb_mark(R.b, L(line));
}

void rt_do_while(void)
{
    mb_do_cond(R.b);
    mb_end_do(R.b, false);
}

void rt_break(uint32_t line, uint32_t col)
{
    mb_break(R.b);
    if (line)
        mb_mark(R.b, (model_loc){ line, col });
}

void rt_if_break(uint32_t line, uint32_t col)
{
    mb_if(R.b);
    rt_break(line, col);
    mb_end_if(R.b);
}

void rt_switch(void) { mb_switch(R.b); }
void rt_case(void) { mb_case(R.b, false); }
void rt_end_switch(void) { mb_end_switch(R.b); }

/* ---- Running ---------------------------------------------------------------- */

size_t rt_run(const char *rule_id)
{
    model_finish(R.tu);
    const rule *r = rule_find(rule_id);
    assert_non_null(r);
    assert_int_equal(r->run(R.tu, &R.out), 0);
    diag_list_sort(&R.out);
    for (size_t i = 0; i < R.out.n; i++) {
        const diag *d = &R.out.items[i];
        printf("    %u: [%s] %s\n", d->loc.line, d->rule, d->msg);
        for (size_t k = 0; k < d->nnotes; k++)
            printf("      note %u: %s\n", d->notes[k].loc.line, d->notes[k].msg);
    }
    return R.out.n;
}

size_t rt_count(void) { return R.out.n; }

bool rt_has(uint32_t line, const char *msg_part)
{
    for (size_t i = 0; i < R.out.n; i++)
        if (R.out.items[i].loc.line == line && strstr(R.out.items[i].msg, msg_part))
            return true;
    return false;
}

bool rt_has_note(uint32_t line, const char *msg_part)
{
    for (size_t i = 0; i < R.out.n; i++)
        for (size_t k = 0; k < R.out.items[i].nnotes; k++)
            if (R.out.items[i].notes[k].loc.line == line && strstr(R.out.items[i].notes[k].msg, msg_part))
                return true;
    return false;
}

q_ctx *rt_query(void)
{
    model_finish(R.tu);
    R.q = q_new(R.tu);
    return R.q;
}

q_pos rt_pos(uint32_t line)
{
    for (size_t k = 0; k < q_nevents(R.q); k++)
        if (q_ev(R.q, q_event_pos(R.q, k))->loc.line == line)
            return q_event_pos(R.q, k);
    fail_msg("no event on line %u", line);
    return (q_pos){ -1, 0, 0 };
}

void rt_free(void)
{
    q_free(R.q);
    R.q = NULL;
    diag_list_free(&R.out);
    memset(&R.out, 0, sizeof R.out);
    if (R.tu)
        model_free(R.tu);
    R.tu = NULL;
    R.b = NULL;
}

int rt_teardown(void **state)
{
    (void)state;
    rt_free();
    return 0;
}
