/* lock_not_released.c — lock-not-released: a task waits forever for a
 * mutex because its holder returned without unlocking it, or blocks
 * forever on a channel operation, wait or sleep while holding it. */
#include "fixit.h"
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

/* The held-across report: holder h stuck at a blocking operation (not a
 * lock) while holding m, which task w waits for. Made for either task's
 * finding: the same diagnostic, so it is told once. */
static void held_across(diag_list *out, int group, const eng_finding *f, const eng_obj_info *m, uint32_t h, uint32_t w)
{
    const eng_task_info *hi = &f->tasks[h], *wi = &f->tasks[w];
    const model_event *hev = ru_ev(hi->at);
    const char *mu = ru_op_text(m->held_at, -1);
    diag *d = ru_warn(out, RULE_ID, group, hi->at, "mutex '%s' is held across this %s, which blocks, and '%s' waits for the "
                      "mutex forever", mu, hev ? ru_api_name(hev->kind) : "operation", ru_task_name(f, w));
    ru_note(d, m->held_at, "'%s' is locked here", mu);
    ru_note(d, wi->at, "'%s' waits here for '%s'", ru_task_name(f, w), ru_op_text(wi->at, -1));
    diag_set_hint(d, "unlock before blocking on a channel, wait or sleep");
}

static void not_released(diag_list *out, int group, const eng_finding *f, const eng_obj_info *m, uint32_t h,
                         const eng_task_info *waiter, uint32_t w)
{
    const char *mu = ru_op_text(m->held_at, -1);
    diag *d = ru_warn(out, RULE_ID, group, m->held_at, "mutex '%s' is not unlocked on every path", mu);
    size_t ret = h != RU_NONE ? leaving_return(f, h, m->held_at) : RU_NONE;
    if (ret != RU_NONE) {
        ru_note(d, f->steps[ret].site, "'%s' returns here with '%s' still locked", ru_func_name(m->held_at), mu);
        fx_unlock(d, d->nnotes, f->steps[ret].site, m->held_at);
    }
    if (waiter)
        ru_note(d, waiter->at, "'%s' then blocks here forever on '%s'", ru_task_name(f, w), ru_op_text(waiter->at, -1));
    diag_set_hint(d, "unlock on every path out, e.g. at a single exit label");
}

static int run(const rule_input *in, diag_list *out)
{
    for (size_t i = 0; i < in->eng->nfindings; i++) {
        const eng_finding *f = &in->eng->findings[i];
        if (f->kind == ENG_LOCK_LEAK && f->obj != RU_NONE) { /* still locked when all is done */
            not_released(out, (int)i, f, &f->objs[f->obj], f->task, NULL, RU_NONE);
            continue;
        }
        if (f->kind != ENG_BLOCKED || f->task == RU_NONE)
            continue;
        const eng_task_info *t = &f->tasks[f->task];
        const model_event *ev = ru_ev(t->at);
        if (!ev)
            continue;
        if (ev->kind != MODEL_EV_LOCK) {
            /* stuck holding a mutex someone waits for: the same account as the waiter's */
            for (uint32_t w = 0; w < f->ntasks; w++) {
                const eng_task_info *wi = &f->tasks[w];
                const model_event *wev = ru_ev(wi->at);
                if (w == f->task || wi->done || !wev || wev->kind != MODEL_EV_LOCK || wi->wait_obj == RU_NONE)
                    continue;
                const eng_obj_info *m = &f->objs[wi->wait_obj];
                if (m->holder == f->task && m->held_at.tu) {
                    held_across(out, (int)i, f, m, f->task, w);
                    break;
                }
            }
            continue;
        }
        if (t->wait_obj == RU_NONE)
            continue;
        const eng_obj_info *m = &f->objs[t->wait_obj];
        uint32_t h = m->holder;
        if (h == RU_NONE || !m->held_at.tu)
            continue;
        const eng_task_info *hi = &f->tasks[h];
        const model_event *hev = ru_ev(hi->at);
        if (hi->done || !still_in(hi, m->held_at))
            not_released(out, (int)i, f, m, h, t, f->task); /* returned from where it locked it */
        else if (h != f->task && hev && hev->kind != MODEL_EV_LOCK)
            held_across(out, (int)i, f, m, h, f->task); /* the holder is stuck elsewhere with it */
    }
    return 0;
}

const rule rule_lock_not_released = {
    .id = "lock-not-released",
    .summary = "A mutex is not unlocked on some path, or is held across a blocking operation, and another task waits for it forever.",
    .rank = 2,
    .run = run,
};
