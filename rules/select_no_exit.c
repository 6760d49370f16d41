/* select_no_exit.c — select-no-exit: a task stuck at (or going round) a
 * blocking select that no case can end: whichever case runs, the code
 * comes back to the same select without leaving the loop or the function
 * (no done or context case, no timeout, no default leads out); also
 * `tt_select(NULL, 0)`. Decided on the model: each case's branch is
 * followed with the select's result known. */
#include <stdlib.h>
#include <string.h>

#include "rule.h"
#include "rule_util.h"

static const char *const RULE_ID = "select-no-exit";

typedef struct case_env {
    int32_t sel_id;
    int64_t k;
    const char *vars[8];
    size_t nvars;
} case_env;

static bool known_var(const case_env *e, const char *name)
{
    for (size_t i = 0; i < e->nvars; i++)
        if (name && e->vars[i] && strcmp(e->vars[i], name) == 0)
            return true;
    return false;
}

/* The value of v if it depends only on the select's result: 1 and *out, or 0. */
static int eval(const case_env *e, const model_val *v, int64_t *out)
{
    if (!v)
        return 0;
    int64_t a, b;
    switch (v->kind) {
    case MODEL_VAL_INT: *out = v->num; return 1;
    case MODEL_VAL_RESULT: if (v->num != e->sel_id) return 0; *out = e->k; return 1;
    case MODEL_VAL_VAR: if (!known_var(e, v->name)) return 0; *out = e->k; return 1;
    case MODEL_VAL_UNOP:
        if (v->op != MODEL_OP_NOT || !eval(e, v->sub[0], &a))
            return 0;
        *out = !a;
        return 1;
    case MODEL_VAL_BINOP:
        if (!eval(e, v->sub[0], &a) || !eval(e, v->sub[1], &b))
            return 0;
        switch (v->op) {
        case MODEL_OP_EQ: *out = a == b; return 1;
        case MODEL_OP_NE: *out = a != b; return 1;
        case MODEL_OP_LT: *out = a < b; return 1;
        case MODEL_OP_LE: *out = a <= b; return 1;
        case MODEL_OP_GT: *out = a > b; return 1;
        case MODEL_OP_GE: *out = a >= b; return 1;
        default: return 0;
        }
    default:
        return 0;
    }
}

/* Whether running case k of the select at s can leave its loop or function. */
static bool case_exits(const model_func *fn, eng_site s, const model_event *sel, int64_t k)
{
    case_env e = { sel->id, k, { 0 }, 0 };
    uint8_t *seen = calloc(fn->nblocks ? fn->nblocks : 1, 1);
    uint32_t *work = malloc((fn->nblocks + 1) * sizeof *work);
    size_t n = 0;
    bool exits = false;
    uint32_t blk = s.block, start = s.index + 1;
    for (;;) {
        const model_block *bl = &fn->blocks[blk];
        bool stop = false;
        for (size_t i = start; i < bl->nevents && !stop; i++) {
            const model_event *ev = &bl->events[i];
            if (blk == s.block && i == s.index)
                stop = true; /* back at the select */
            else if (ev->kind == MODEL_EV_RETURN || ev->kind == MODEL_EV_NORETURN)
                exits = stop = true;
            else if (ev->kind == MODEL_EV_ASSIGN && ev->nvals == 2 && ev->vals[0]->kind == MODEL_VAL_VAR &&
                     e.nvars < 8) {
                int64_t dummy;
                if (eval(&e, ev->vals[1], &dummy) && ev->vals[1]->kind != MODEL_VAL_INT)
                    e.vars[e.nvars++] = ev->vals[0]->name;
            }
        }
        if (exits)
            break;
        if (!stop) {
            if (blk == fn->exit)
                exits = true;
            int64_t c;
            bool decided = bl->cond && eval(&e, bl->cond, &c);
            for (size_t i = 0; i < bl->nsucc && !exits; i++) {
                uint32_t sb = bl->succ[i];
                const model_block *sbl = &fn->blocks[sb];
                if (decided) {
                    bool sw = sbl->case_value_known || sbl->case_default;
                    if (sw ? (sbl->case_value_known && sbl->case_value != c) : (bl->nsucc == 2 && (int64_t)(i == 0) != (c != 0)))
                        continue;
                }
                if (!seen[sb]) {
                    seen[sb] = 1;
                    work[n++] = sb;
                }
            }
        }
        if (exits || !n)
            break;
        blk = work[--n];
        start = 0;
    }
    free(seen);
    free(work);
    return exits;
}

static bool no_exit(eng_site s, const model_event *ev)
{
    const model_func *fn = eng_site_func(s);
    if (!fn || ev->has_default)
        return false;
    for (size_t k = 0; k < ev->ncases; k++)
        if (case_exits(fn, s, ev, (int64_t)k))
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
