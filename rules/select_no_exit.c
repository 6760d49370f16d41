/* select_no_exit.c — select-no-exit: a task stuck at (or going round) a
 * blocking select that no case can end: whichever case runs, the code
 * comes back to the same select without leaving the loop or the function
 * (no done or context case, no timeout, no default leads out); also
 * `tt_select(NULL, 0)`. Decided on the model: each case's branch is
 * followed with the select's result known. */
#include <string.h>

#include "fixit.h"
#include "rule.h"
#include "rule_util.h"

static const char *const RULE_ID = "select-no-exit";

/* Whether case k is a way out by nature: a context's done channel or a
 * tt_after timeout (what a select watches to be told to stop). */
static bool cancel_case(const model_event *ev, size_t k)
{
    const model_val *v = ev->cases[k].ch;
    return v && v->kind == MODEL_VAL_API && (strcmp(v->name, "tt_ctx_done") == 0 || strcmp(v->name, "tt_after") == 0);
}

/* A select none of whose cases can end it: no default, no context or
 * timeout case, and, in a loop, no case whose branch leaves the loop. */
static bool no_exit(eng_site s, const model_event *ev)
{
    if (!eng_site_func(s) || ev->has_default)
        return false;
    bool loop = ru_in_loop(s);
    for (size_t k = 0; k < ev->ncases; k++)
        if (cancel_case(ev, k) || (loop && ru_case_exits(s, (int64_t)k)))
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
        const eng_task_info *t = &f->tasks[f->task];
        eng_site at = t->at;
        const model_event *ev = ru_ev(at);
        if (f->kind == ENG_LOOPING && !(ev && ev->kind == MODEL_EV_SELECT)) { /* the select it goes round */
            at = (eng_site){ NULL, -1, 0, 0 };
            for (size_t s = f->nsteps; s-- > 0;) {
                const model_event *e = ru_ev(f->steps[s].site);
                if (f->steps[s].task == f->task && f->steps[s].kind == ENG_STEP_OP && e &&
                    e->kind == MODEL_EV_SELECT) {
                    at = f->steps[s].site;
                    break;
                }
            }
            ev = ru_ev(at);
        }
        if (!ev || ev->kind != MODEL_EV_SELECT || ev->has_default)
            continue;
        bool all_null = t->nchan > 0;
        for (uint32_t k = 0; k < t->nchan && f->kind == ENG_BLOCKED; k++)
            all_null &= t->chan_null[k];
        diag *d;
        if (ev->ncases == 0) {
            if (!(ev->nvals >= 1 && ev->vals[0]->kind == MODEL_VAL_NULL))
                continue;
            d = ru_warn(out, RULE_ID, (int)i, at, "tt_select(NULL, 0) blocks forever");
        } else if (!(f->kind == ENG_BLOCKED && all_null) && no_exit(at, ev)) {
            d = ru_warn(out, RULE_ID, (int)i, at,
                        "select can block forever: no case can end it (no done or context case, timeout or "
                        "default%s)", ru_in_loop(at) ? ", and no case leaves the loop" : "");
            fx_select_done(d, 0, f, f->task, at);
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
