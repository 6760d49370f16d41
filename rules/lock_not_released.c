/* lock_not_released.c — lock-not-released: a task waits forever for a
 * mutex because its holder returned without unlocking it, or blocks
 * forever on a channel operation, wait or sleep while holding it. */
#include "rule.h"
#include "rule_util.h"

static const char *const RULE_ID = "lock-not-released";

/* The RETURN step that left the function which locked (held_at) while the
 * lock was held: the first top-level return of that function by the holder
 * after the lock. */
static size_t leaving_return(const eng_finding *f, uint32_t holder, eng_site held_at)
{
    size_t lock = RU_NONE;
    for (size_t i = f->nsteps; i-- > 0;)
        if (f->steps[i].kind == ENG_STEP_OP && f->steps[i].task == holder && ru_site_eq(f->steps[i].site, held_at)) {
            lock = i;
            break;
        }
    if (lock == RU_NONE)
        return RU_NONE;
    int depth = 0;
    for (size_t i = lock + 1; i < f->nsteps; i++) {
        const eng_step *st = &f->steps[i];
        if (st->task != holder)
            continue;
        if (st->kind == ENG_STEP_CALL)
            depth++;
        else if (st->kind == ENG_STEP_RETURN) {
            if (depth == 0)
                return i;
            depth--;
        }
    }
    return RU_NONE;
}

/* Whether the holder's stack still has the function that took the lock. */
static bool still_in(const eng_task_info *h, eng_site held_at)
{
    for (uint32_t k = 0; k < h->nframes; k++)
        if (h->frames[k].tu == held_at.tu && h->frames[k].func == held_at.func)
            return true;
    return false;
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
        uint32_t h = m->holder;
        if (h == RU_NONE || !m->held_at.tu)
            continue;
        const eng_task_info *hi = &f->tasks[h];
        const char *mu = ru_op_text(m->held_at, -1);
        const model_event *hev = ru_ev(hi->at);
        if (hi->done || !still_in(hi, m->held_at)) {
            /* returned from the function that locked it, still locked */
            diag *d = ru_warn(out, RULE_ID, (int)i, m->held_at, "mutex '%s' is not unlocked on every path", mu);
            size_t ret = leaving_return(f, h, m->held_at);
            if (ret != RU_NONE)
                ru_note(d, f->steps[ret].site, "'%s' returns here with '%s' still locked", ru_func_name(m->held_at), mu);
            ru_note(d, t->at, "'%s' then blocks here forever on '%s'", ru_task_name(f, f->task), ru_op_text(t->at, -1));
            diag_set_hint(d, "unlock on every path out, e.g. at a single exit label");
        } else if (h != f->task && hev && hev->kind != MODEL_EV_LOCK) {
            /* the holder is stuck elsewhere with the lock */
            diag *d = ru_warn(out, RULE_ID, (int)i, hi->at,
                              "mutex '%s' is held across this blocking %s, and '%s' waits for it forever", mu,
                              model_ev_kind_name(hev->kind), ru_task_name(f, f->task));
            ru_note(d, m->held_at, "'%s' is locked here", mu);
            ru_note(d, t->at, "'%s' waits here for '%s'", ru_task_name(f, f->task), ru_op_text(t->at, -1));
            diag_set_hint(d, "unlock before blocking on a channel, wait or sleep");
        }
    }
    return 0;
}

const rule rule_lock_not_released = {
    .id = "lock-not-released",
    .summary = "A mutex is not unlocked on some path, or is held across a blocking operation, and another task waits for it forever.",
    .rank = 2,
    .run = run,
};
