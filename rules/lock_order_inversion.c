/* lock_order_inversion.c — lock-order-inversion: two tasks each hold a
 * mutex the other waits for, having taken them in opposite orders. */
#include "rule.h"
#include "rule_util.h"

static const char *const RULE_ID = "lock-order-inversion";

/* The task holding the mutex that task t waits to lock, or RU_NONE. */
static uint32_t holder_of_wait(const eng_finding *f, uint32_t t)
{
    const eng_task_info *ti = &f->tasks[t];
    const model_event *ev = ru_ev(ti->at);
    if (ti->done || !ev || ev->kind != MODEL_EV_LOCK || ti->wait_obj == RU_NONE)
        return RU_NONE;
    return f->objs[ti->wait_obj].holder;
}

static bool before(eng_site a, eng_site b)
{
    model_loc x = ru_loc(a), y = ru_loc(b);
    return x.line < y.line || (x.line == y.line && x.col <= y.col);
}

static int run(const rule_input *in, diag_list *out)
{
    for (size_t i = 0; i < in->eng->nfindings; i++) {
        const eng_finding *f = &in->eng->findings[i];
        if (f->kind != ENG_BLOCKED || f->task == RU_NONE)
            continue;
        uint32_t t = f->task, u = holder_of_wait(f, t);
        if (u == RU_NONE || u == t || u >= f->ntasks || holder_of_wait(f, u) != t)
            continue;
        /* one report per pair, the same from either task's finding: at the
         * inner lock that comes first */
        if (!before(f->tasks[t].at, f->tasks[u].at) || (ru_site_eq(f->tasks[t].at, f->tasks[u].at) && t > u)) {
            uint32_t swap = t;
            t = u;
            u = swap;
        }
        const eng_task_info *ti = &f->tasks[t], *ui = &f->tasks[u];
        const eng_obj_info *mine = &f->objs[ui->wait_obj], *theirs = &f->objs[ti->wait_obj];
        const char *want = ru_op_text(ti->at, -1), *held = ru_op_text(mine->held_at, -1);
        diag *d = ru_warn(out, RULE_ID, (int)i, ti->at,
                          "mutex '%s' is locked while holding '%s', and another task locks them in the opposite "
                          "order: each waits for the other (lock order inversion)",
                          want, held);
        if (mine->held_at.tu)
            ru_note(d, mine->held_at, "'%s' is locked here first", held);
        if (theirs->held_at.tu)
            ru_note(d, theirs->held_at, "'%s' holds '%s' from here", ru_task_name(f, u), ru_op_text(theirs->held_at, -1));
        ru_note(d, ui->at, "... and waits here for '%s' while holding '%s'", ru_op_text(ui->at, -1),
                ru_op_text(theirs->held_at, -1));
        ru_note_spawn(d, f, t);
        if (u != 0)
            ru_note_spawn(d, f, u);
        diag_set_hint(d, "take the mutexes in one order everywhere");
    }
    return 0;
}

const rule rule_lock_order_inversion = {
    .id = "lock-order-inversion",
    .summary = "Two tasks can take two mutexes in opposite orders, and each then waits forever for the other.",
    .rank = 1,
    .run = run,
};
