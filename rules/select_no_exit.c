/* select_no_exit.c — select-no-exit: a task stuck at (or going round) a
 * blocking select that no case can end: whichever case runs, the code
 * comes back to the same select without leaving the loop or the function
 * (no done or context case, no timeout, no default leads out); also
 * `tt_select(NULL, 0)`. Decided on the model: each case's branch is
 * followed with the select's result known. */
#include "rule.h"
#include "rule_util.h"

static const char *const RULE_ID = "select-no-exit";

static bool no_exit(eng_site s, const model_event *ev)
{
    if (!eng_site_func(s) || ev->has_default)
        return false;
    for (size_t k = 0; k < ev->ncases; k++)
        if (ru_case_exits(s, (int64_t)k))
            return false;
    return true;
}

static int run(const rule_input *in, diag_list *out)
{
    for (size_t i = 0; i < in->eng->nfindings; i++) {
        const eng_finding *f = &in->eng->findings[i];
        if ((f->kind != ENG_BLOCKED && f->kind != ENG_LOOPING) || f->task == RU_NONE ||
            (f->kind == ENG_BLOCKED && ru_held_up(f, f->task)))
            continue;
        eng_site at = f->tasks[f->task].at;
        if (f->kind == ENG_LOOPING) { /* the select it goes round */
            at = (eng_site){ NULL, -1, 0, 0 };
            for (size_t s = f->nsteps; s-- > 0;) {
                const model_event *ev = ru_ev(f->steps[s].site);
                if (f->steps[s].task == f->task && f->steps[s].kind == ENG_STEP_OP && ev &&
                    ev->kind == MODEL_EV_SELECT) {
                    at = f->steps[s].site;
                    break;
                }
            }
        }
        const model_event *ev = ru_ev(at);
        if (!ev || ev->kind != MODEL_EV_SELECT || ev->has_default)
            continue;
        diag *d;
        if (ev->ncases == 0) {
            if (!(ev->nvals >= 1 && ev->vals[0]->kind == MODEL_VAL_NULL))
                continue;
            d = ru_warn(out, RULE_ID, (int)i, at, "tt_select(NULL, 0) blocks forever");
        } else if (no_exit(at, ev)) {
            d = ru_warn(out, RULE_ID, (int)i, at,
                        "select can block forever: no case can end it (no done or context case, timeout or "
                        "default leads out)");
        } else {
            continue;
        }
        ru_note_spawn(d, f, f->task);
        diag_set_hint(d, "add a case on a done channel or context that returns");
    }
    return 0;
}

const rule rule_select_no_exit = {
    .id = "select-no-exit",
    .summary = "A blocking select, usually in a loop, has no case that can end it.",
    .rank = 7,
    .run = run,
};
