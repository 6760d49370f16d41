/* spawn_no_cancel.c — spawn-no-cancel: a spawned task that can block or
 * loop forever, with nothing its owner can do to end it: the general
 * account of a lost task (more specific rules speak first when they see
 * the same task). */
#include <string.h>

#include "rule.h"
#include "rule_util.h"

static const char *const RULE_ID = "spawn-no-cancel";

static bool is_background_done(const model_val *v)
{
    return v && v->kind == MODEL_VAL_API && strcmp(v->name, "tt_ctx_done") == 0 && v->nsub == 1 &&
           v->sub[0]->kind == MODEL_VAL_API && strcmp(v->sub[0]->name, "tt_ctx_background") == 0;
}

/* The note at the operation the task is stuck at. */
static void blocked_note(diag *d, const eng_finding *f, uint32_t task)
{
    const eng_task_info *t = &f->tasks[task];
    const model_event *ev = ru_ev(t->at);
    const char *name = ru_task_name(f, task);
    if (!ev)
        return;
    switch (ev->kind) {
    case MODEL_EV_RECV:
        if (t->nchan && t->chan_null[0])
            ru_note(d, t->at, "'%s' blocks here on tt_recv from %s", name,
                    ev->nvals && is_background_done(ev->vals[0])
                        ? "the done channel of a background context, which is never canceled"
                        : "a NULL channel, which never delivers");
        else
            ru_note(d, t->at, "'%s' blocks here on tt_recv from '%s', which nothing sends to or closes", name,
                    ru_op_text(t->at, -1));
        break;
    case MODEL_EV_SELECT:
        ru_note(d, t->at, "'%s' blocks here on tt_select with no case that can become ready", name);
        break;
    case MODEL_EV_SEND:
        ru_note(d, t->at, "'%s' blocks here on tt_send to '%s', which nothing receives from", name,
                ru_op_text(t->at, -1));
        break;
    case MODEL_EV_WG_WAIT:
        ru_note(d, t->at, "'%s' blocks here on tt_wg_wait, which never returns", name);
        break;
    case MODEL_EV_LOCK:
        ru_note(d, t->at, "'%s' blocks here on tt_mutex_lock of '%s', which is never unlocked", name,
                ru_op_text(t->at, -1));
        break;
    default:
        break;
    }
}

/* The loop a looping task goes round: its last loop head on the path. */
static void looping_note(diag *d, const eng_finding *f, uint32_t task)
{
    for (size_t i = f->nsteps; i-- > 0;) {
        const eng_step *st = &f->steps[i];
        if (st->task != task || st->kind != ENG_STEP_BLOCK)
            continue;
        const model_func *fn = eng_site_func(st->site);
        if (fn && fn->blocks[st->site.block].loop_head) {
            ru_note(d, st->site, "'%s' loops here with no exit", ru_task_name(f, task));
            return;
        }
    }
}

static int run(const rule_input *in, diag_list *out)
{
    for (size_t i = 0; i < in->eng->nfindings; i++) {
        const eng_finding *f = &in->eng->findings[i];
        if ((f->kind != ENG_BLOCKED && f->kind != ENG_LOOPING) || f->task == RU_NONE || f->task == 0)
            continue;
        const eng_task_info *t = &f->tasks[f->task];
        if (!t->spawned.tu || (f->kind == ENG_BLOCKED && ru_held_up(f, f->task)))
            continue;
        const char *name = ru_task_name(f, f->task);
        diag *d = ru_warn(out, RULE_ID, (int)i, t->spawned, f->kind == ENG_LOOPING
                          ? "task '%s' loops forever: no cancellation signal reaches it"
                          : "task '%s' can block forever: no cancellation signal reaches it", name);
        if (f->kind == ENG_LOOPING)
            looping_note(d, f, f->task);
        else
            blocked_note(d, f, f->task);
        diag_set_hint(d, "give the task a done channel or context and select on it wherever it blocks or loops");
    }
    return 0;
}

const rule rule_spawn_no_cancel = {
    .id = "spawn-no-cancel",
    .summary = "A spawned task can block or loop forever and no cancellation signal from its owner reaches it.",
    .rank = 10,
    .run = run,
};
