/* rule_test.c — the hand-built-model helpers behind rule_test.h. */
#include "rule_test.h"

#include <stdio.h>
#include <stdlib.h>

rt R;

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

model_obj_id rt_param(const char *name) { return mb_param(R.b, name, MODEL_KIND_NONE, L(0)); }
model_obj_id rt_local(const char *name) { return model_obj_local(R.tu, R.fn, name, MODEL_KIND_NONE, L(0)); }
model_obj_id rt_field(const char *tag, const char *field) { return model_obj_field(R.tu, tag, field, MODEL_KIND_NONE); }
model_obj_id rt_global(const char *name) { return model_obj_global(R.tu, name, MODEL_KIND_NONE, L(0)); }

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

model_event *rt_new_chan(uint32_t line, model_obj_id obj, const char *text, int64_t cap)
{
    return rt_num(rt_ev(MODEL_EV_CHAN_NEW, line, obj, text), cap);
}

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

model_event *rt_select(uint32_t line, bool has_default, size_t n, const model_obj_id *objs,
                       const char *const *texts, const int *ops)
{
    model_event *e = rt_ev(MODEL_EV_SELECT, line, MODEL_NO_OBJ, NULL);
    e->has_default = has_default;
    e->cases = mb_alloc(R.b, (n ? n : 1) * sizeof *e->cases);
    for (size_t i = 0; i < n; i++)
        e->cases[i] = (model_case){ ops ? ops[i] : 1, objs[i], model_strdup(R.tu, texts[i]), L(line + 1 + (uint32_t)i) };
    e->ncases = n;
    return e;
}

void rt_ret(uint32_t line) { mb_return(R.b, L(line), MODEL_NO_OBJ, NULL); }
void rt_end(uint32_t line) { mb_end(R.b, L(line)); R.b = NULL; }

void rt_run(const char *rule_id)
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

void rt_free(void)
{
    diag_list_free(&R.out);
    memset(&R.out, 0, sizeof R.out);
    if (R.tu)
        model_free(R.tu);
    R.tu = NULL;
    R.b = NULL;
}
