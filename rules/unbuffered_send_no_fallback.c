/* unbuffered_send_no_fallback.c — unbuffered-send-no-fallback: a task left
 * blocked forever on a send (a plain tt_send, or a select whose only live
 * cases send): nobody will receive, because the receiver stopped receiving
 * first, or is itself blocked sending (a circular wait), or the buffer of a
 * buffered channel is full and nobody drains it. */
#include <stdio.h>
#include <string.h>

#include "rule.h"
#include "rule_util.h"

static const char *const RULE_ID = "unbuffered-send-no-fallback";

/* The send case a blocked select waits on: its first send on a channel the
 * program made, when no receive case is on one (with_recv: also when one
 * is). -1: not a send wait. */
static int send_case(const eng_task_info *t, const model_event *ev, bool with_recv)
{
    if (ev->kind == MODEL_EV_SEND)
        return t->nchan && t->chan[0] != RU_NONE ? 0 : -1;
    if (ev->kind != MODEL_EV_SELECT || ev->has_default)
        return -1;
    int send = -1;
    for (size_t k = 0; k < ev->ncases && k < t->nchan; k++) {
        if (t->chan[k] == RU_NONE)
            continue;
        if (ev->cases[k].op != 2 && !with_recv)
            return -1;
        if (send < 0 && ev->cases[k].op == 2)
            send = (int)k;
    }
    return send;
}


/* The task that would receive from ch: the last one that did, else the
 * sender's spawner. */
static uint32_t receiver_of(const eng_finding *f, uint32_t sender, uint32_t ch)
{
    for (size_t i = f->nsteps; i-- > 0;) {
        const eng_step *st = &f->steps[i];
        const model_event *ev = ru_ev(st->site);
        if (st->kind != ENG_STEP_OP || st->task == sender || !ev || st->obj != ch)
            continue;
        if (ev->kind == MODEL_EV_RECV || (ev->kind == MODEL_EV_SELECT && st->detail >= 0 &&
                                          ev->cases[st->detail].op == 1))
            return st->task;
    }
    for (size_t i = 0; i < f->nsteps; i++) {
        const eng_step *st = &f->steps[i];
        if (st->kind == ENG_STEP_OP && st->callee_func >= 0 && st->num == sender)
            return st->task;
    }
    return RU_NONE;
}

/* Another blocked task that would receive from ch next: a circular wait
 * when it is blocked sending too, or waits for the sender itself. */
static uint32_t circular_partner(const eng_finding *f, uint32_t sender, uint32_t ch)
{
    for (uint32_t u = 0; u < f->ntasks; u++) {
        const eng_task_info *t = &f->tasks[u];
        const model_event *ev = ru_ev(t->at);
        if (u == sender || t->done || !ev)
            continue;
        if (send_case(t, ev, true) < 0 && !(sender < 64 && (ru_releasers(f, u) >> sender & 1)))
            continue;
        for (uint32_t k = 0; k < t->nnext; k++)
            if (t->next[k].kind == MODEL_EV_RECV && t->next[k].obj == ch)
                return u;
    }
    return RU_NONE;
}

/* Whether case `k` of select ev is a timeout or cancellation case. */
static bool gives_up(const model_event *ev, int k)
{
    if (!ev || ev->kind != MODEL_EV_SELECT || k < 0 || (size_t)k >= ev->ncases || !ev->cases[k].ch)
        return false;
    const model_val *v = ev->cases[k].ch;
    return v->kind == MODEL_VAL_API && (strcmp(v->name, "tt_after") == 0 || strcmp(v->name, "tt_ctx_done") == 0);
}

/* The tasks that send on ch (did, or are stuck doing it), in order. */
static size_t senders_of(const eng_finding *f, uint32_t ch, uint32_t *out, size_t max, bool *repeat)
{
    size_t n = 0;
    *repeat = false;
    for (size_t i = 0; i < f->nsteps; i++) {
        if (!ru_is_send_on(&f->steps[i], ch))
            continue;
        bool seen = false;
        for (size_t k = 0; k < n; k++)
            seen |= out[k] == f->steps[i].task;
        *repeat |= seen || ru_in_loop(f->steps[i].site);
        if (!seen && n < max)
            out[n++] = f->steps[i].task;
    }
    for (uint32_t u = 0; u < f->ntasks; u++) {
        const eng_task_info *t = &f->tasks[u];
        const model_event *ev = ru_ev(t->at);
        if (t->done || !ev)
            continue;
        int k = send_case(t, ev, false);
        if (k < 0 || t->chan[k] != ch)
            continue;
        bool seen = false;
        for (size_t j = 0; j < n; j++)
            seen |= out[j] == u;
        *repeat |= seen;
        for (uint32_t fr = 0; fr < t->nframes; fr++) /* a loop around it here or in a caller */
            *repeat |= ru_in_loop(t->frames[fr]);
        if (!seen && n < max)
            out[n++] = u;
    }
    return n;
}

/* The return that leaves the function which made ch, by task t (the
 * receiver that owned the channel), or RU_NONE. */
static size_t owner_return(const eng_finding *f, uint32_t t, eng_site made, size_t from)
{
    int depth = 0;
    for (size_t i = from; i < f->nsteps; i++) {
        const eng_step *st = &f->steps[i];
        if (st->task != t)
            continue;
        if (st->kind == ENG_STEP_CALL)
            depth++;
        else if (st->kind == ENG_STEP_RETURN) {
            if (depth == 0)
                return st->site.tu == made.tu && st->site.func == made.func ? i : RU_NONE;
            depth--;
        }
    }
    return RU_NONE;
}

/* The index of the step where task t entered the function of `made` last
 * before step `before` (0 if it started there). */
static size_t entered(const eng_finding *f, uint32_t t, eng_site made, size_t before)
{
    for (size_t i = before; i-- > 0;)
        if (f->steps[i].task == t && f->steps[i].kind == ENG_STEP_CALL && f->steps[i].callee_tu == made.tu &&
            f->steps[i].callee_func == made.func)
            return i + 1;
    return 0;
}

/* Whether the select of step st has a case on ch (or cases the step does
 * not keep, which may be). */
static bool select_on(const eng_step *st, const model_event *ev, uint32_t ch)
{
    if (ev->ncases > ENG_STEP_CASES)
        return true;
    for (size_t k = 0; k < ev->ncases; k++)
        if (st->case_objs[k] == ch)
            return true;
    return false;
}

/* The receiver's note: where it stopped receiving from ch. */
static void receiver_note(diag *d, const eng_finding *f, uint32_t recv, uint32_t ch, size_t nsenders)
{
    if (recv == RU_NONE)
        return;
    const eng_obj_info *o = &f->objs[ch];
    const model_event *made = ru_ev(o->made);
    const char *chtext = made && made->text ? made->text : "?";
    /* a select on ch that took another case: a timeout or cancel case gives up */
    for (size_t i = f->nsteps; i-- > 0;) {
        const eng_step *st = &f->steps[i];
        const model_event *ev = ru_ev(st->site);
        if (st->kind != ENG_STEP_OP || st->task != recv || !ev || ev->kind != MODEL_EV_SELECT)
            continue;
        if (st->obj == ch)
            break; /* its last select received from ch */
        if (!select_on(st, ev, ch))
            continue; /* a later select on other channels */
        if (gives_up(ev, st->detail)) {
            ru_note_at(d, ev->cases[st->detail].loc, "the receiver gives up here (timeout or cancel case)");
            return;
        }
    }
    size_t last = ru_last_op_on(f, recv, ch, -1);
    if (last != RU_NONE) {
        size_t nrecv = 0;
        for (size_t i = 0; i < f->nsteps; i++)
            nrecv += f->steps[i].task == recv && f->steps[i].obj == ch && !ru_is_send_on(&f->steps[i], ch) &&
                     f->steps[i].kind == ENG_STEP_OP;
        /* where it stopped: the loop around the receive that it left, or a
         * break, goto or return statement, or the end of its function */
        size_t stop = RU_NONE;
        for (size_t i = last + 1; i < f->nsteps && stop == RU_NONE; i++) {
            const eng_step *st = &f->steps[i];
            if (st->task != recv)
                continue;
            const model_func *fn = eng_site_func(st->site);
            if (st->kind == ENG_STEP_BLOCK && fn && fn->blocks[st->site.block].loop_head) {
                if (ru_loop_contains(st->site, f->steps[last].site))
                    stop = i;
            } else if (st->kind == ENG_STEP_BLOCK || st->kind == ENG_STEP_RETURN) {
                stop = i;
            } else if (st->kind == ENG_STEP_CALL) {
                break;
            }
        }
        if (stop != RU_NONE) {
            if (nsenders != SIZE_MAX && nrecv < nsenders)
                ru_note(d, f->steps[stop].site, "the receiver stops after %zu value(s) but %zu task(s) send", nrecv,
                        nsenders);
            else
                ru_note(d, f->steps[stop].site, "the receiver stops receiving here");
            return;
        }
    }
    /* it never received: it left the function that made the channel */
    size_t ret = made ? owner_return(f, recv, o->made, entered(f, recv, o->made, f->nsteps)) : RU_NONE;
    if (ret == RU_NONE)
        ret = ru_last_top_step(f, recv, ENG_STEP_RETURN);
    if (ret != RU_NONE)
        ru_note(d, f->steps[ret].site, "the receiver returns here without receiving from '%s'", chtext);
}

/* The fix-it: capacity = the number of sends, when each sending task sends
 * once (no loop around its send). */
static void capacity_fixit(diag *d, const eng_finding *f, uint32_t ch)
{
    const eng_obj_info *o = &f->objs[ch];
    const model_event *made = ru_ev(o->made);
    if (!made || made->kind != MODEL_EV_CHAN_NEW || !made->num_begin.line)
        return;
    uint32_t senders[64];
    bool repeat;
    size_t n = senders_of(f, ch, senders, 64, &repeat);
    if (n == 0 || repeat)
        return;
    char cap[32];
    snprintf(cap, sizeof cap, "%zu", n);
    ru_note(d, o->made, "make '%s' buffered with capacity %zu so the send cannot block", made->text ? made->text : "?", n);
    diag_add_note_fixit(d, made->num_begin, made->num_end, cap);
}

static int run(const rule_input *in, diag_list *out)
{
    for (size_t i = 0; i < in->eng->nfindings; i++) {
        const eng_finding *f = &in->eng->findings[i];
        if (f->kind != ENG_BLOCKED || f->task == RU_NONE || ru_held_up(f, f->task))
            continue;
        const eng_task_info *t = &f->tasks[f->task];
        const model_event *ev = ru_ev(t->at);
        if (!ev)
            continue;
        int k = send_case(t, ev, false);
        uint32_t partner = k >= 0 ? circular_partner(f, f->task, t->chan[k]) : RU_NONE;
        if (k < 0) { /* a select that could also receive: a send wait only in a circular one */
            k = send_case(t, ev, true);
            partner = k >= 0 ? circular_partner(f, f->task, t->chan[k]) : RU_NONE;
            if (partner == RU_NONE)
                continue;
        }
        uint32_t ch = t->chan[k];
        const eng_obj_info *o = &f->objs[ch];
        const char *text = ru_op_text(t->at, ev->kind == MODEL_EV_SELECT ? k : -1);
        diag *d;
        if (partner != RU_NONE) {
            const eng_task_info *p = &f->tasks[partner];
            const model_event *pev = ru_ev(p->at);
            int pk = send_case(p, pev, true);
            const char *ptext = ru_op_text(p->at, pev->kind == MODEL_EV_SELECT ? pk : -1);
            if (pk < 0) { /* the receiver waits for this task, for something else */
                d = ru_warn(out, RULE_ID, (int)i, t->at,
                            "send on channel '%s' can block forever: its receiver '%s' is blocked first, waiting for "
                            "this task (circular wait)",
                            text, ru_task_name(f, partner));
                ru_note_spawn(d, f, f->task);
                ru_note_spawn(d, f, partner);
                ru_note(d, p->at, "'%s' blocks here, before it receives from '%s'", ru_task_name(f, partner), text);
                capacity_fixit(d, f, ch);
                continue;
            }
            if (p->func == t->func && p->tu == t->tu)
                d = ru_warn(out, RULE_ID, (int)i, t->at,
                            "send on unbuffered channel '%s' can block forever: its only receivers are other '%s' "
                            "tasks, each blocked sending on '%s' first (circular wait)",
                            text, ru_task_name(f, partner), ptext);
            else
                d = ru_warn(out, RULE_ID, (int)i, t->at,
                            "send on unbuffered channel '%s' can block forever: its only receiver is itself blocked "
                            "sending on '%s' (circular wait)",
                            text, ptext);
            ru_note_spawn(d, f, f->task);
            if (!(p->func == t->func && p->tu == t->tu))
                ru_note(d, p->at, "the receiver blocks here sending on '%s'", ptext);
            else
                ru_note_spawn(d, f, partner);
            capacity_fixit(d, f, ch);
            continue;
        }
        if (o->cap > 0)
            d = ru_warn(out, RULE_ID, (int)i, t->at,
                        "send on channel '%s' can block forever: its buffer (capacity %lld) is full and its receiver "
                        "can stop receiving first",
                        text, (long long)o->cap);
        else
            d = ru_warn(out, RULE_ID, (int)i, t->at,
                        "send on unbuffered channel '%s' can block forever: its receiver can stop receiving first", text);
        uint32_t senders[64];
        bool repeat;
        size_t nsenders = senders_of(f, ch, senders, 64, &repeat);
        for (size_t j = 0; j < nsenders; j++)
            ru_note_spawn(d, f, senders[j]);
        if (!nsenders)
            ru_note_spawn(d, f, f->task);
        receiver_note(d, f, receiver_of(f, f->task, ch), ch, repeat ? SIZE_MAX : nsenders);
        if (o->cap == 0)
            capacity_fixit(d, f, ch);
    }
    return 0;
}

const rule rule_unbuffered_send_no_fallback = {
    .id = "unbuffered-send-no-fallback",
    .summary = "A send on an unbuffered channel, outside a select with a fallback, whose receiver can stop receiving first.",
    .rank = 5,
    .run = run,
};
