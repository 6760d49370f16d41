/* unbuffered_send_no_fallback.c — unbuffered-send-no-fallback: a plain
 * tt_send on an unbuffered channel whose receiver can stop receiving first
 * (gives up on a timeout or cancel, leaves its loop, receives fewer times
 * than the sender sends, returns without receiving), or that waits in a
 * circle with another task's send. The analysis is q_send_blocks_forever
 * (query_send.c); this file words the finding. */
#include "model/query.h"
#include "rule.h"

#include <stdio.h>

static const char *const RULE_ID = "unbuffered-send-no-fallback";

/* "'task' is spawned here" for every spawn of a task that runs func. */
static void add_spawn_notes(q_ctx *q, diag *d, int32_t func)
{
    q_pos spawns[16];
    size_t n = q_task_spawns(q, func, spawns, 16);
    for (size_t i = 0; i < n; i++) {
        const model_event *sp = q_ev(q, spawns[i]);
        diag_add_note(d, sp->loc, "'%s' is spawned here", sp->callee ? sp->callee : "?");
    }
}

/* A send that happens once per task, in a known number n of tasks:
 * capacity n fixes it (a located note at the capacity argument carries the
 * fix-it). Otherwise (n == 0) the sender must select. */
static void suggest_n(q_ctx *q, diag *d, model_obj_id cls, long long n)
{
    q_pos nw;
    model_loc b, e;
    if (n > 0 && q_chan_new_of(q, cls, &nw) && q_zero_capacity_range(q, q_ev(q, nw), &b, &e)) {
        const char *name = q_ev(q, nw)->text ? q_ev(q, nw)->text : "the channel";
        char cap[32];
        snprintf(cap, sizeof cap, "%lld", n);
        diag_add_note(d, b, "make '%s' buffered with capacity %s so the send cannot block", name, cap);
        diag_add_note_fixit(d, b, e, cap);
    } else {
        diag_set_hint(d, "send inside a tt_select with a case on a done channel or context so the sender can give up");
    }
}

/* How many times the send runs in all: 1 when it does not repeat; else
 * the tasks that run it when each sends once (outside loops) and they are
 * spawned outside loops or in counted loops not nested in others; 0 when
 * unknown. */
static long long send_runs(q_ctx *q, q_pos s, bool repeats)
{
    if (!repeats)
        return 1;
    const model_tu *tu = q_tu(q);
    if (q_block_in_cycle(q, s.func, s.block))
        return 0;
    long long n = 0;
    for (size_t k = 0; k < q_nevents(q); k++) {
        q_pos p = q_event_pos(q, k);
        const model_event *ev = q_ev(q, p);
        if ((ev->kind != MODEL_EV_SPAWN && ev->kind != MODEL_EV_CALL) || ev->callee_func != s.func)
            continue;
        if (ev->kind == MODEL_EV_CALL)
            return 0;
        if (!q_block_in_cycle(q, p.func, p.block)) {
            n++;
            continue;
        }
        int64_t head = q_loop_of(q, p.func, p.block);
        long long trips;
        if (head < 0 || !q_loop_trip_count(q, p.func, (uint32_t)head, &trips))
            return 0;
        for (uint32_t h = 0; h < tu->funcs[p.func].nblocks; h++)
            if (h != head && q_loop_contains(q, p.func, h, (uint32_t)head))
                return 0;
        n += trips;
    }
    return n;
}

static void suggest(q_ctx *q, diag *d, q_pos s, bool repeats)
{
    suggest_n(q, d, q_class(q, q_ev(q, s)->obj), send_runs(q, s, repeats));
}

/* More tasks send once than the owner receives on some path: the finding
 * names both counts; capacity = the number of senders fixes it. */
static void check_outnumbered(q_ctx *q, q_pos s, void *out)
{
    const model_tu *tu = q_tu(q);
    const model_event *sev = q_ev(q, s);
    q_count_verdict c;
    if (!q_send_outnumbered(q, s, &c))
        return;
    diag *d = diag_new(out, RULE_ID, tu->path, sev->loc,
                       "send on unbuffered channel '%s' can block forever: its receiver can stop receiving first",
                       sev->text ? sev->text : "?");
    add_spawn_notes(q, d, s.func);
    diag_add_note(d, c.loc, "the receiver stops after %lld value(s) but %lld task(s) send", c.receives, c.senders);
    suggest_n(q, d, q_class(q, sev->obj), c.senders);
}

/* One tt_send: reported, with its receiver's side, when it can block forever. */
static void check_send(q_ctx *q, q_pos s, void *out)
{
    const model_tu *tu = q_tu(q);
    const model_event *sev = q_ev(q, s);
    q_send_verdict v;
    if (!q_send_blocks_forever(q, s, &v)) {
        check_outnumbered(q, s, out);
        return;
    }
    const char *name = sev->text ? sev->text : "?";
    diag *d;
    if (v.why == Q_SEND_CIRCULAR) {
        const model_event *other = q_ev(q, v.other_send);
        const char *oname = other->text ? other->text : "?";
        if (v.other == s.func)
            d = diag_new(out, RULE_ID, tu->path, sev->loc,
                         "send on unbuffered channel '%s' can block forever: its only receivers are other '%s' "
                         "tasks, each blocked sending on '%s' first (circular wait)",
                         name, tu->funcs[s.func].name, oname);
        else
            d = diag_new(out, RULE_ID, tu->path, sev->loc,
                         "send on unbuffered channel '%s' can block forever: its only receiver is itself blocked "
                         "sending on '%s' (circular wait)",
                         name, oname);
        add_spawn_notes(q, d, s.func);
        if (v.other != s.func) {
            add_spawn_notes(q, d, v.other);
            diag_add_note(d, other->loc, "the receiver blocks here sending on '%s'", oname);
        }
        suggest(q, d, s, v.sender_repeats);
        return;
    }
    d = diag_new(out, RULE_ID, tu->path, sev->loc,
                 "send on unbuffered channel '%s' can block forever: its receiver can stop receiving first", name);
    add_spawn_notes(q, d, s.func);
    switch (v.why) {
    case Q_SEND_RETURNS:
        diag_add_note(d, v.loc, "the receiver returns here without receiving from '%s'", v.text);
        break;
    case Q_SEND_STOPS:
        diag_add_note(d, v.loc, "the receiver stops receiving here");
        break;
    case Q_SEND_GIVES_UP:
        diag_add_note(d, v.loc, "the receiver gives up here (timeout or cancel case)");
        break;
    default:
        break;
    }
    suggest(q, d, s, v.sender_repeats);
}

static int run(const model_tu *tu, diag_list *out)
{
    q_check_each(tu, MODEL_EV_SEND, check_send, out);
    return 0;
}

const rule rule_unbuffered_send_no_fallback = {
    .id = "unbuffered-send-no-fallback",
    .summary = "A send on an unbuffered channel, outside a select with a fallback, whose receiver can stop receiving first.",
    .run = run,
};
