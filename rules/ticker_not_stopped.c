/* ticker_not_stopped.c — ticker-not-stopped: a ticker still running when
 * its program is done with it, that nothing outside the program holds.
 * Reported where it is made; for a ticker a constructor returns, at the
 * caller that keeps it. The note shows the return that leaves it running. */
#include "fixit.h"
#include "rule.h"
#include "rule_util.h"

static const char *const RULE_ID = "ticker-not-stopped";

/* The first top-level RETURN of `task` in function (tu, func) after step `from`. */
static size_t return_of(const eng_finding *f, uint32_t task, const model_tu *tu, int32_t func, size_t from)
{
    int depth = 0;
    for (size_t i = from; i < f->nsteps; i++) {
        const eng_step *st = &f->steps[i];
        if (st->task != task)
            continue;
        if (st->kind == ENG_STEP_CALL)
            depth++;
        else if (st->kind == ENG_STEP_RETURN) {
            if (depth == 0 && st->site.tu == tu && st->site.func == func)
                return i;
            if (depth == 0)
                return RU_NONE;
            depth--;
        }
    }
    return RU_NONE;
}

/* Where the ticker was made on the path: the CALL into its maker's function
 * by the task that made it. Returns the step of that CALL (RU_NONE if the
 * maker is the task's own function) and sets *task. */
static size_t maker_call(const eng_finding *f, eng_site made, uint32_t *task)
{
    for (size_t i = 0; i < f->nsteps; i++) {
        const eng_step *st = &f->steps[i];
        if (st->kind == ENG_STEP_CALL && st->callee_tu == made.tu && st->callee_func == made.func) {
            *task = st->task;
            return i;
        }
    }
    for (uint32_t t = 0; t < f->ntasks; t++)
        if (f->tasks[t].tu == made.tu && f->tasks[t].func == made.func) {
            *task = t;
            return RU_NONE;
        }
    *task = 0;
    return RU_NONE;
}

/* Whether func returns the ticker its TICKER_NEW `made` assigns. */
static bool returns_it(const model_tu *tu, int32_t func, const model_event *made)
{
    const model_func *fn = &tu->funcs[func];
    model_obj_id cls = model_obj_canon(tu, made->obj);
    for (size_t b = 0; b < fn->nblocks; b++)
        for (size_t e = 0; e < fn->blocks[b].nevents; e++) {
            const model_event *ev = &fn->blocks[b].events[e];
            if (ev->kind == MODEL_EV_RETURN && ev->obj != MODEL_NO_OBJ && model_obj_canon(tu, ev->obj) == cls)
                return true;
        }
    return false;
}

/* The spawn that handed the ticker to a task that used it (received its
 * ticks) and did not stop it either, or RU_NONE. */
static size_t handed_to(const eng_finding *f, uint32_t ticker)
{
    for (size_t i = 0; i < f->nsteps; i++) {
        const eng_step *st = &f->steps[i];
        const eng_obj_info *o = st->obj != RU_NONE ? &f->objs[st->obj] : NULL;
        if (st->kind != ENG_STEP_OP || !o || !o->ticker_chan || o->owner != ticker || st->task == 0)
            continue;
        for (size_t k = 0; k < f->nsteps; k++) {
            const model_event *ev = ru_ev(f->steps[k].site);
            if (f->steps[k].kind == ENG_STEP_OP && ev && ev->kind == MODEL_EV_SPAWN &&
                f->steps[k].num == (int64_t)st->task)
                return k;
        }
    }
    return RU_NONE;
}

static int run(const rule_input *in, diag_list *out)
{
    for (size_t i = 0; i < in->eng->nfindings; i++) {
        const eng_finding *f = &in->eng->findings[i];
        if (f->kind != ENG_TICKER_LEAK || f->obj == RU_NONE)
            continue;
        const eng_obj_info *o = &f->objs[f->obj];
        const model_event *made = ru_ev(o->made);
        if (!made)
            continue;
        uint32_t task;
        size_t call = maker_call(f, o->made, &task);
        eng_site at = o->made;
        const char *name = made->text ? made->text : "?";
        const char *ctor = NULL;
        size_t from = call == RU_NONE ? 0 : call + 1;
        const model_tu *owner_tu = o->made.tu;
        int32_t owner_func = o->made.func;
        if (call != RU_NONE && returns_it(o->made.tu, o->made.func, made)) {
            const eng_step *cs = &f->steps[call];
            const model_event *cev = ru_ev(cs->site);
            at = cs->site;
            ctor = ru_func_name(o->made);
            if (cev && cev->obj != MODEL_NO_OBJ && cev->text)
                name = cev->text;
            owner_tu = cs->site.tu;
            owner_func = cs->site.func;
            /* the caller's return: after the constructor returned */
            size_t back = return_of(f, task, o->made.tu, o->made.func, call + 1);
            from = back == RU_NONE ? call + 1 : back + 1;
        }
        diag *d = ru_warn(out, RULE_ID, (int)i, at, "ticker '%s' is not stopped on every path", name);
        size_t ret = return_of(f, task, owner_tu, owner_func, from);
        if (ret != RU_NONE) {
            ru_note(d, f->steps[ret].site, "'%s' leaks when the function returns here", name);
            fx_ticker_stop(d, d->nnotes, f->steps[ret].site, at);
        }
        if (ctor)
            ru_note(d, o->made, "'%s' is created here, in '%s'", name, ctor);
        size_t spawn = handed_to(f, f->obj);
        if (spawn != RU_NONE)
            ru_note(d, f->steps[spawn].site, "'%s' is handed to task '%s' here, which does not stop it either", name,
                    ru_task_name(f, (uint32_t)f->steps[spawn].num));
    }
    return 0;
}

const rule rule_ticker_not_stopped = {
    .id = "ticker-not-stopped",
    .summary = "A ticker is not stopped on every path out of the function that owns it.",
    .rank = 8,
    .run = run,
};
