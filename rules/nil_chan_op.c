/* nil_chan_op.c — nil-chan-op: a task blocked forever on a NULL channel: a
 * send or receive on it, or a select all of whose channels are NULL. (The
 * done channel of tt_ctx_background() is NULL too; waiting on it is
 * spawn-no-cancel's business: the fix is a context that can be canceled.) */
#include "rule.h"
#include "rule_util.h"

static const char *const RULE_ID = "nil-chan-op";

static int run(const rule_input *in, diag_list *out)
{
    for (size_t i = 0; i < in->eng->nfindings; i++) {
        const eng_finding *f = &in->eng->findings[i];
        if (f->kind != ENG_BLOCKED || f->task == RU_NONE || ru_held_up(f, f->task))
            continue;
        const eng_task_info *t = &f->tasks[f->task];
        const model_event *ev = ru_ev(t->at);
        if (!ev || t->nchan == 0)
            continue;
        /* a spawned task waiting on the background context is one that
         * cannot be canceled (spawn-no-cancel); the root has no spawn to
         * blame, and waits on a NULL channel */
        bool all_null = true;
        for (uint32_t k = 0; k < t->nchan; k++)
            all_null &= t->chan_null[k] && (!t->chan_background[k] || f->task == 0);
        if (!all_null || (ev->kind == MODEL_EV_SELECT && ev->has_default))
            continue;
        diag *d;
        if (ev->kind == MODEL_EV_SEND)
            d = ru_warn(out, RULE_ID, (int)i, t->at, "send on NULL channel '%s' blocks forever", ru_op_text(t->at, -1));
        else if (ev->kind == MODEL_EV_RECV)
            d = ru_warn(out, RULE_ID, (int)i, t->at, "receive from NULL channel '%s' blocks forever",
                        ru_op_text(t->at, -1));
        else
            d = ru_warn(out, RULE_ID, (int)i, t->at, "select blocks forever: every channel in it is a NULL channel");
        ru_note_spawn(d, f, f->task);
        diag_set_hint(d, "make the channel before the task uses it, or leave the operation out when it is NULL");
    }
    return 0;
}

const rule rule_nil_chan_op = {
    .id = "nil-chan-op",
    .summary = "A send, receive or select on a channel that is NULL on some path blocks forever.",
    .rank = 3,
    .run = run,
};
