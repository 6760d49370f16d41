/* chan_never_closed.c — chan-never-closed: a task blocked forever in a loop
 * that receives until the channel is closed (`while (tt_recv(ch, &v) ==
 * TT_OK)`, or a select loop that ends when a case's `ok` is false), after
 * every sender is done, because nothing closes the channel. */
#include <string.h>

#include "rule.h"
#include "rule_util.h"

static const char *const RULE_ID = "chan-never-closed";

static bool val_uses(const model_val *v, model_val_kind k, int64_t num, const char *name)
{
    if (!v)
        return false;
    if (v->kind == k && (k != MODEL_VAL_RESULT || v->num == num) && (!name || (v->name && strcmp(v->name, name) == 0)))
        return true;
    for (size_t i = 0; i < v->nsub; i++)
        if (val_uses(v->sub[i], k, num, name))
            return true;
    return false;
}

/* Whether a receive's status decides a branch of its function (directly
 * or through a variable it is stored in): a receive loop waiting for the
 * close. For a select: a branch that tests a case's `ok`. */
static bool waits_for_close(const model_func *fn, const model_event *ev)
{
    if (ev->kind == MODEL_EV_RECV && (ev->flags & MODEL_EVF_LOOP_COND))
        return true;
    const char *var = NULL;
    for (size_t b = 0; b < fn->nblocks; b++)
        for (size_t e = 0; e < fn->blocks[b].nevents; e++) {
            const model_event *a = &fn->blocks[b].events[e];
            if (a->kind == MODEL_EV_ASSIGN && a->nvals == 2 && a->vals[0]->kind == MODEL_VAL_VAR &&
                val_uses(a->vals[1], MODEL_VAL_RESULT, ev->id, NULL))
                var = a->vals[0]->name;
        }
    for (size_t b = 0; b < fn->nblocks; b++) {
        const model_val *c = fn->blocks[b].cond;
        if (!c)
            continue;
        if (ev->kind == MODEL_EV_RECV && (val_uses(c, MODEL_VAL_RESULT, ev->id, NULL) ||
                                          (var && val_uses(c, MODEL_VAL_VAR, 0, var))))
            return true;
        if (ev->kind == MODEL_EV_SELECT && val_uses(c, MODEL_VAL_FIELD, 0, "ok"))
            return true;
    }
    return false;
}

static bool sent_on(const eng_finding *f, uint32_t ch)
{
    if (ru_any_op_on(f, ch, MODEL_EV_SEND))
        return true;
    for (size_t i = 0; i < f->nsteps; i++) {
        const eng_step *st = &f->steps[i];
        const model_event *ev = ru_ev(st->site);
        if (st->kind == ENG_STEP_OP && st->obj == ch && ev && ev->kind == MODEL_EV_SELECT && st->detail >= 0 &&
            ev->cases[st->detail].op == 2)
            return true;
    }
    return false;
}

static int run(const rule_input *in, diag_list *out)
{
    for (size_t i = 0; i < in->eng->nfindings; i++) {
        const eng_finding *f = &in->eng->findings[i];
        if ((f->kind != ENG_BLOCKED && f->kind != ENG_LOOPING) || f->task == RU_NONE ||
            (f->kind == ENG_BLOCKED && ru_held_up(f, f->task)))
            continue;
        const eng_task_info *t = &f->tasks[f->task];
        uint32_t chans[16], nchans = 0;
        bool nulls[16];
        eng_site at = t->at;
        if (f->kind == ENG_LOOPING) { /* going round a select that ends only on a close */
            at = ru_task_select(f, f->task, chans, nulls, &nchans);
        } else {
            nchans = t->nchan;
            memcpy(chans, t->chan, sizeof chans);
        }
        const model_event *ev = ru_ev(at);
        if (!ev || (ev->kind != MODEL_EV_RECV && ev->kind != MODEL_EV_SELECT) || nchans == 0)
            continue;
        /* the channel it waits to see closed: a receive on a channel the program made */
        uint32_t ch = RU_NONE;
        int kcase = -1;
        for (uint32_t k = 0; k < nchans; k++) {
            if (chans[k] == RU_NONE)
                continue;
            if (ev->kind == MODEL_EV_SELECT && (ev->cases[k].op != 1 || (f->kind == ENG_LOOPING && !ru_case_exits(at, k))))
                continue;
            const eng_obj_info *o = &f->objs[chans[k]];
            if (o->ctx_done || o->ticker_chan || o->after || o->closed)
                continue;
            ch = chans[k];
            kcase = (int)k;
            break;
        }
        /* a receive loop waiting for the close; or, for the root (which no
         * spawn can be blamed for), a receive only a close can end: nothing
         * ever sent on the channel */
        if (ch == RU_NONE || (!waits_for_close(eng_site_func(at), ev) &&
                              (f->kind == ENG_LOOPING || f->task != 0 || sent_on(f, ch))))
            continue;
        const char *text = ru_op_text(at, ev->kind == MODEL_EV_SELECT ? kcase : -1);
        diag *d = ru_warn(out, RULE_ID, (int)i, at,
                          "'%s' receives from '%s' until it is closed, but nothing closes it once the senders are done",
                          ru_task_name(f, f->task), text);
        ru_note_spawn(d, f, f->task);
        const eng_obj_info *o = &f->objs[ch];
        const model_event *made = ru_ev(o->made);
        if (made) {
            size_t ret = ru_maker_return(f, o->made);
            if (ret != RU_NONE && f->steps[ret].task != f->task)
                ru_note(d, f->steps[ret].site, "'%s' is left blocked on '%s' when the owner returns here without closing it",
                        ru_task_name(f, f->task), made->text ? made->text : text);
            else
                ru_note(d, o->made, "'%s' is made here and never closed", made->text ? made->text : text);
        }
        diag_set_hint(d, "close the channel after the last send, on every path");
    }
    return 0;
}

const rule rule_chan_never_closed = {
    .id = "chan-never-closed",
    .summary = "A task receives until a channel is closed, and nothing closes it once every sender is done.",
    .rank = 6,
    .run = run,
};
