/* spawn_no_cancel.c — spawn-no-cancel: a spawned task that can block or
 * loop forever, with nothing its owner can do to end it: the general
 * account of a lost task (more specific rules speak first when they see
 * the same task). The notes say where it waits or loops and, when its way
 * out is a signal (a context, a done or quit channel) that never comes,
 * where that signal is made. */
#include <string.h>

#include "rule.h"
#include "rule_util.h"

static const char *const RULE_ID = "spawn-no-cancel";

/* Whether channel object ch never delivers a signal on the path: nothing
 * sent to or closed it (for a context's done channel: the context was
 * never canceled). */
static bool never_signaled(const eng_finding *f, uint32_t ch)
{
    const eng_obj_info *o = &f->objs[ch];
    if (o->ctx_done)
        return o->owner != RU_NONE && !f->objs[o->owner].canceled && !f->objs[o->owner].timeout;
    if (o->ticker_chan || o->after || o->closed)
        return false;
    return !ru_any_op_on(f, ch, MODEL_EV_SEND) && !ru_any_op_on(f, ch, MODEL_EV_CLOSE);
}

/* The way out of the select at `at` for task t: the first exit case whose
 * channel never signals, or -1 when some way out can still be taken (or
 * there is none at all). */
static int dead_exit(const eng_finding *f, eng_site at, const uint32_t *chans, const bool *nulls, uint32_t nchans)
{
    const model_event *ev = ru_ev(at);
    int dead = -1;
    for (size_t k = 0; ev && k < ev->ncases && k < nchans; k++) {
        if (!ru_case_exits(at, (int64_t)k))
            continue;
        if (!(nulls && nulls[k]) && (chans[k] == RU_NONE || !never_signaled(f, chans[k])))
            return -1;
        if (dead < 0)
            dead = (int)k;
    }
    return dead;
}

/* The loop head the task last went round in function of `at`. */
static eng_site loop_of(const eng_finding *f, uint32_t task, eng_site at)
{
    for (size_t i = f->nsteps; i-- > 0;) {
        const eng_step *st = &f->steps[i];
        const model_func *fn = eng_site_func(st->site);
        if (st->task == task && st->kind == ENG_STEP_BLOCK && st->site.tu == at.tu && st->site.func == at.func &&
            fn && fn->blocks[st->site.block].loop_head)
            return st->site;
    }
    return (eng_site){ NULL, -1, 0, 0 };
}

/* The note at the creation of the signal that never comes. */
static void signal_note(diag *d, const eng_finding *f, uint32_t ch)
{
    const eng_obj_info *o = &f->objs[ch];
    if (o->ctx_done && o->owner != RU_NONE) {
        const eng_obj_info *c = &f->objs[o->owner];
        const model_event *made = ru_ev(c->made);
        if (made)
            ru_note(d, c->made, "context '%s' is made here and never canceled", made->text ? made->text : "?");
        return;
    }
    const model_event *made = ru_ev(o->made);
    if (made && made->kind == MODEL_EV_CHAN_NEW)
        ru_note(d, o->made, "'%s' is made here and never closed or sent to", made->text ? made->text : "?");
}

/* Whether some task sent on ch along the path. */
static bool sent_on(const eng_finding *f, uint32_t ch)
{
    for (size_t i = 0; ch != RU_NONE && i < f->nsteps; i++)
        if (ru_is_send_on(&f->steps[i], ch))
            return true;
    return false;
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
        if (t->nchan && t->chan_background[0])
            ru_note(d, t->at, "'%s' blocks here on tt_recv from the done channel of a background context, which is "
                              "never canceled", name);
        else if (t->nchan && t->chan_null[0])
            ru_note(d, t->at, "'%s' blocks here on tt_recv from a NULL channel", name);
        else
            ru_note(d, t->at, "'%s' blocks here on tt_recv from '%s', which nothing sends to %sor closes", name,
                    ru_op_text(t->at, -1), sent_on(f, t->wait_obj) ? "again " : "");
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
        /* a loop whose only way out is a signal that never comes */
        uint32_t chans[16], nchans = 0;
        bool nulls[16] = { false };
        eng_site sel = t->at;
        if (f->kind == ENG_LOOPING)
            sel = ru_task_select(f, f->task, chans, nulls, &nchans);
        else {
            nchans = t->nchan;
            memcpy(chans, t->chan, sizeof chans);
            memcpy(nulls, t->chan_null, sizeof nulls);
        }
        const model_event *sev = ru_ev(sel);
        int dead = sev && sev->kind == MODEL_EV_SELECT ? dead_exit(f, sel, chans, nulls, nchans) : -1;
        eng_site loop = dead >= 0 ? loop_of(f, f->task, sel) : (eng_site){ NULL, -1, 0, 0 };
        bool loops = f->kind == ENG_LOOPING || loop.tu;
        diag *d = ru_warn(out, RULE_ID, (int)i, t->spawned, loops
                          ? "task '%s' loops forever: no cancellation signal reaches it"
                          : "task '%s' can block forever: no cancellation signal reaches it", name);
        if (loop.tu) {
            ru_note(d, loop, "'%s' loops here and leaves only on a cancellation signal that never fires", name);
            if (chans[dead] != RU_NONE)
                signal_note(d, f, chans[dead]);
        } else if (f->kind == ENG_LOOPING) {
            eng_site l = loop_of(f, f->task, sel.tu ? sel : t->at);
            if (!l.tu) /* the loop of whatever function it goes round in */
                for (size_t s = f->nsteps; s-- > 0 && !l.tu;) {
                    const model_func *fn = eng_site_func(f->steps[s].site);
                    if (f->steps[s].task == f->task && f->steps[s].kind == ENG_STEP_BLOCK && fn &&
                        fn->blocks[f->steps[s].site.block].loop_head)
                        l = f->steps[s].site;
                }
            if (l.tu)
                ru_note(d, l, "'%s' loops here with no exit", name);
        } else {
            blocked_note(d, f, f->task);
        }
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
