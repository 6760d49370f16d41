/* double_lock.c — double-lock: a task blocked forever locking a mutex it
 * already holds, directly or through a callee. */
#include "rule.h"
#include "rule_util.h"

static const char *const RULE_ID = "double-lock";

static bool same_site(eng_site a, eng_site b)
{
    return a.tu == b.tu && a.func == b.func && a.block == b.block && a.index == b.index;
}

/* Whether the task made the call at `call` (its last one there) after it
 * locked mu: the mutex was held when the callee was entered. */
static bool called_holding(const eng_finding *f, uint32_t task, uint32_t mu, eng_site call)
{
    size_t locked = ru_last_op_on(f, task, mu, MODEL_EV_LOCK);
    for (size_t i = f->nsteps; i-- > 0;) {
        const eng_step *st = &f->steps[i];
        if (st->task == task && st->kind == ENG_STEP_CALL && same_site(st->site, call))
            return locked == RU_NONE || i > locked;
    }
    return locked == RU_NONE;
}

static int run(const rule_input *in, diag_list *out)
{
    for (size_t i = 0; i < in->eng->nfindings; i++) {
        const eng_finding *f = &in->eng->findings[i];
        if (f->kind != ENG_BLOCKED || f->task == RU_NONE)
            continue;
        const eng_task_info *t = &f->tasks[f->task];
        const model_event *ev = ru_ev(t->at);
        if (!ev || ev->kind != MODEL_EV_LOCK || t->wait_obj == RU_NONE)
            continue;
        const eng_obj_info *m = &f->objs[t->wait_obj];
        if (m->holder != f->task)
            continue;
        const char *mu = ru_op_text(t->at, -1);
        diag *d = ru_warn(out, RULE_ID, (int)i, t->at, "mutex '%s' is locked again while this task already holds it", mu);
        if (m->held_at.tu)
            ru_note(d, m->held_at, "'%s' is locked first here", ru_op_text(m->held_at, -1));
        if (t->nframes > 1 && t->frames[1].tu && called_holding(f, f->task, t->wait_obj, t->frames[1]))
            ru_note(d, t->frames[1], "'%s' is called here with '%s' held", ru_func_name(t->frames[0]), mu);
        ru_note_spawn(d, f, f->task);
        diag_set_hint(d, "unlock before the second lock, or have the callee expect the mutex held");
    }
    return 0;
}

const rule rule_double_lock = {
    .id = "double-lock",
    .summary = "A task locks a mutex it already holds, directly or through a callee, and blocks forever.",
    .rank = 0,
    .run = run,
};
