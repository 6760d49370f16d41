/* wg_unbalanced.c — wg-unbalanced: a wait group whose adds its dones cannot
 * match — a wait nothing completes, an add larger than the tasks that call
 * done, an add inside the spawned task, a task that can return without done. */
#include <stdlib.h>

#include "model/query.h"
#include "rule.h"

static const char *const RULE_ID = "wg-unbalanced";

typedef struct ctx {
    q_ctx *q;
    const model_tu *tu;
    diag_list *out;
    bool *is_task;      /* per function: spawned somewhere */
    bool *reported;     /* per class: a wait already reported (most specific) */
} ctx;

/* Does the spawned function (or a same-file callee) call done on the class? */
static bool task_does_done(ctx *c, int32_t task, model_obj_id cls)
{
    return task >= 0 && q_func_touches(c->q, task, cls, MODEL_EV_WG_DONE);
}

/* A wait group some task calls done on that nothing adds to or waits on:
 * the file stored the owner's wait group somewhere we could not follow. */
static bool lost_track(ctx *c)
{
    for (size_t k = 0; k < q_nevents(c->q); k++) {
        const model_event *ev = q_ev(c->q, q_event_pos(c->q, k));
        const q_facts *f = ev->kind == MODEL_EV_WG_DONE ? q_facts_of(c->q, ev->obj) : NULL;
        if (f && !f->wg_adds && !f->wg_waits)
            return true;
    }
    return false;
}

/* (d) a wait nothing can complete */
static void check_waits(ctx *c)
{
    if (lost_track(c))
        return;
    for (size_t k = 0; k < q_nevents(c->q); k++) {
        const model_event *ev = q_ev(c->q, q_event_pos(c->q, k));
        if (ev->kind != MODEL_EV_WG_WAIT)
            continue;
        model_obj_id cls = q_class(c->q, ev->obj);
        const q_facts *f = q_facts_of(c->q, cls);
        if (!f || f->escapes || f->wg_dones || !f->wg_adds)
            continue;
        bool positive = false;
        for (size_t j = 0; j < q_nevents(c->q); j++) {
            const model_event *a = q_ev(c->q, q_event_pos(c->q, j));
            if (a->kind == MODEL_EV_WG_ADD && q_class(c->q, a->obj) == cls &&
                (!(a->flags & MODEL_EVF_NUM_KNOWN) || a->num > 0))
                positive = true;
        }
        if (!positive)
            continue;
        c->reported[cls] = true;
        diag *d = diag_new(c->out, RULE_ID, c->tu->path, ev->loc,
                           "tt_wg_wait can never return: nothing calls tt_wg_done on '%s'",
                           ev->text ? ev->text : "?");
        diag_set_hint(d, "call tt_wg_done once in each task the wait group counts, on every path");
    }
}

/* (b) an add inside the spawned task, whose spawner does not add for it */
static void check_task_adds(ctx *c)
{
    for (size_t k = 0; k < q_nevents(c->q); k++) {
        q_pos p = q_event_pos(c->q, k);
        const model_event *ev = q_ev(c->q, p);
        if (ev->kind != MODEL_EV_WG_ADD || !c->is_task[p.func])
            continue;
        model_obj_id cls = q_class(c->q, ev->obj);
        const q_facts *f = q_facts_of(c->q, cls);
        if (!f || f->escapes || !f->wg_waits || c->reported[cls])
            continue;
        /* racing needs a waiter elsewhere: a task that adds for its own
         * children and waits for them itself is fine */
        bool waited_elsewhere = false;
        for (size_t j = 0; j < q_nevents(c->q); j++) {
            q_pos wp = q_event_pos(c->q, j);
            const model_event *wev = q_ev(c->q, wp);
            if (wev->kind == MODEL_EV_WG_WAIT && q_class(c->q, wev->obj) == cls && wp.func != p.func)
                waited_elsewhere = true;
        }
        if (!waited_elsewhere)
            continue;
        bool spawner_adds = false;
        for (size_t j = 0; j < q_nevents(c->q) && !spawner_adds; j++) {
            q_pos sp = q_event_pos(c->q, j);
            const model_event *sev = q_ev(c->q, sp);
            if (sev->kind == MODEL_EV_SPAWN && sev->callee_func == p.func &&
                q_func_touches(c->q, sp.func, cls, MODEL_EV_WG_ADD))
                spawner_adds = true;
        }
        if (spawner_adds)
            continue;
        diag *d = diag_new(c->out, RULE_ID, c->tu->path, ev->loc,
                           "tt_wg_add inside the spawned task races with tt_wg_wait");
        diag_set_hint(d, "call tt_wg_add in the owner before tt_spawn");
    }
}

/* (c) a task that calls done on some paths but can return without it */
static void check_task_paths(ctx *c)
{
    const model_tu *tu = c->tu;
    for (int32_t t = 0; t < (int32_t)tu->nfuncs; t++) {
        if (!c->is_task[t])
            continue;
        /* every wait group the task calls done on */
        for (size_t k = 0; k < q_nevents(c->q); k++) {
            q_pos p = q_event_pos(c->q, k);
            const model_event *ev = q_ev(c->q, p);
            if (ev->kind != MODEL_EV_WG_DONE)
                continue;
            model_obj_id cls = q_class(c->q, ev->obj);
            const q_facts *f = q_facts_of(c->q, cls);
            if (!f || f->escapes || !f->wg_adds || c->reported[cls] || !task_does_done(c, t, cls))
                continue;
            /* only the first done event of this class stands for it */
            bool first = true;
            for (size_t j = 0; j < k && first; j++) {
                const model_event *e2 = q_ev(c->q, q_event_pos(c->q, j));
                if (e2->kind == MODEL_EV_WG_DONE && q_class(c->q, e2->obj) == cls)
                    first = false;
            }
            if (!first)
                continue;
            q_pos entry = { t, tu->funcs[t].entry, 0 };
            q_pos ret;
            bool leak;
            if (!tu->funcs[t].blocks[entry.block].nevents)
                entry = (q_pos){ t, 0, 0 };
            if (tu->funcs[t].blocks[entry.block].nevents)
                leak = q_leak_path(c->q, entry, true, cls, Q_REL_WG_DONE, &ret);
            else
                leak = !q_func_releases(c->q, t, cls, Q_REL_WG_DONE) &&
                       q_leak_path(c->q, entry, true, cls, Q_REL_WG_DONE, &ret);
            if (!leak)
                continue;
            /* the break/return of the path that skips done, else the return */
            model_loc at = q_ev(c->q, ret)->loc;
            q_leak_exit_loc(c->q, entry, true, cls, Q_REL_WG_DONE, ret, &at);
            diag *d = diag_new(c->out, RULE_ID, tu->path, at,
                               "task '%s' can return without calling tt_wg_done", tu->funcs[t].name);
            diag_set_hint(d, "call tt_wg_done on every path out of the task, e.g. at a single exit label");
        }
    }
}

/* Are two events of one function in the same group: both outside loops, or
 * both in the same loop nest? Adds are matched with spawns group by group. */
static bool in_group(ctx *c, q_pos a, q_pos b)
{
    bool ca = q_block_in_cycle(c->q, a.func, a.block), cb = q_block_in_cycle(c->q, b.func, b.block);
    if (!ca && !cb)
        return true;
    return ca && cb && q_same_cycle(c->q, a.func, a.block, b.block);
}

/* Does func (not counting the tasks it spawns) call done, or call a
 * same-file function that spawns a done-calling task? Then counting is off. */
static bool owner_is_murky(ctx *c, int32_t func, model_obj_id cls)
{
    const model_func *fn = &c->tu->funcs[func];
    for (size_t b = 0; b < fn->nblocks; b++)
        for (size_t i = 0; i < fn->blocks[b].nevents; i++) {
            const model_event *ev = &fn->blocks[b].events[i];
            if (ev->kind == MODEL_EV_WG_DONE && q_class(c->q, ev->obj) == cls)
                return true;
            if (ev->kind == MODEL_EV_CALL && ev->callee_func >= 0 &&
                (q_func_touches(c->q, ev->callee_func, cls, MODEL_EV_WG_DONE) ||
                 q_func_touches(c->q, ev->callee_func, cls, MODEL_EV_SPAWN)))
                return true;
            if (ev->kind == MODEL_EV_CALL && ev->callee_func >= 0) {
                /* a helper that spawns tasks at all: we do not follow it */
                const model_func *h = &c->tu->funcs[ev->callee_func];
                for (size_t hb = 0; hb < h->nblocks; hb++)
                    for (size_t hi = 0; hi < h->blocks[hb].nevents; hi++)
                        if (h->blocks[hb].events[hi].kind == MODEL_EV_SPAWN)
                            return true;
            }
        }
    return false;
}

/* How many tasks one spawn starts, seen from an add's group: 1 in the same
 * group; the trip count of a counted loop (not nested) around it when the
 * group is outside loops; -1 when unknown. */
static long long spawn_weight(ctx *c, q_pos add, q_pos sp)
{
    if (in_group(c, add, sp))
        return 1;
    if (q_block_in_cycle(c->q, add.func, add.block))
        return -1;
    int64_t head = q_loop_of(c->q, sp.func, sp.block);
    long long n;
    if (head < 0 || q_loop_of(c->q, sp.func, (uint32_t)head) != head)
        return -1;
    /* the loop must not sit inside another loop */
    for (uint32_t h = 0; h < c->tu->funcs[sp.func].nblocks; h++)
        if (h != head && q_loop_contains(c->q, sp.func, h, (uint32_t)head))
            return -1;
    if (!q_loop_trip_count(c->q, sp.func, (uint32_t)head, &n))
        return -1;
    return n;
}

typedef struct item { model_loc loc; long long adds, spawns; } item;

static int by_loc(const void *a, const void *b)
{
    const item *x = a, *y = b;
    return q_loc_before(x->loc, y->loc) ? -1 : q_loc_before(y->loc, x->loc) ? 1 : 0;
}

/* (a) constant adds larger than the done-calling tasks spawned after them,
 * in one function, group by group (outside loops / one loop nest). */
static void check_counts(ctx *c)
{
    q_ctx *q = c->q;
    size_t nev = q_nevents(q);
    item *items = q_xcalloc(nev, sizeof *items);
    for (size_t k = 0; k < nev; k++) {
        q_pos p = q_event_pos(q, k);
        const model_event *ev = q_ev(q, p);
        if (ev->kind != MODEL_EV_WG_ADD || c->is_task[p.func])
            continue;
        model_obj_id cls = q_class(q, ev->obj);
        const q_facts *f = q_facts_of(q, cls);
        if (!f || f->escapes || c->reported[cls] || !f->wg_dones)
            continue;
        /* the group is handled once, from its first add in event order */
        bool first = true, constant = true;
        size_t n = 0;
        for (size_t j = 0; j < nev; j++) {
            q_pos p2 = q_event_pos(q, j);
            const model_event *e2 = q_ev(q, p2);
            if (p2.func != p.func || e2->kind != MODEL_EV_WG_ADD || q_class(q, e2->obj) != cls ||
                !in_group(c, p, p2))
                continue;
            if (j < k)
                first = false;
            if (!(e2->flags & MODEL_EVF_NUM_KNOWN))
                constant = false;
            items[n++] = (item){ e2->loc, e2->num, 0 };
        }
        if (!first || !constant || owner_is_murky(c, p.func, cls))
            continue;
        bool unknown = false, elsewhere = false;
        long long total_adds = 0, total_tasks = 0;
        for (size_t i = 0; i < n; i++)
            total_adds += items[i].adds;
        for (size_t j = 0; j < nev && !unknown; j++) {
            q_pos sp = q_event_pos(q, j);
            const model_event *sev = q_ev(q, sp);
            if (sev->kind != MODEL_EV_SPAWN || !task_does_done(c, sev->callee_func, cls))
                continue;
            if (sp.func != p.func) {
                elsewhere = true;
                continue;
            }
            long long w = spawn_weight(c, p, sp);
            if (w < 0) {
                unknown = q_block_in_cycle(q, p.func, p.block) ? false : true;
                continue; /* a loop group ignores spawns outside its loop */
            }
            items[n++] = (item){ sev->loc, 0, w };
            total_tasks += w;
        }
        if (unknown || (total_tasks == 0 && elsewhere) || total_adds <= total_tasks)
            continue;
        qsort(items, n, sizeof *items, by_loc);
        /* blame the last add whose tail (it and what follows) adds more than
         * the tasks spawned after it */
        long long tail_adds = 0, tail_tasks = 0;
        for (size_t i = n; i-- > 0;) {
            if (items[i].adds && items[i].adds + tail_adds > tail_tasks) {
                long long m = tail_tasks - tail_adds > 0 ? tail_tasks - tail_adds : 0;
                diag *d = diag_new(c->out, RULE_ID, c->tu->path, items[i].loc,
                                   "tt_wg_add adds %lld but only %lld task(s) call tt_wg_done",
                                   items[i].adds, m);
                diag_set_hint(d, "add exactly as many as the tasks that will call tt_wg_done");
                c->reported[cls] = true;
                break;
            }
            tail_adds += items[i].adds;
            tail_tasks += items[i].spawns;
        }
    }
    free(items);
}

typedef struct skip_walk { ctx *c; model_obj_id cls; } skip_walk;

/* From an add: a path that reaches the next add or the wait on the class
 * before any spawn of a done-calling task (or a done). */
static q_verdict visit_skip(q_ctx *q, q_pos at, const model_event *ev, void *user)
{
    (void)at;
    skip_walk *w = user;
    if (ev->kind == MODEL_EV_SPAWN && task_does_done(w->c, ev->callee_func, w->cls))
        return Q_CUT;
    if (ev->kind == MODEL_EV_RETURN || ev->kind == MODEL_EV_NORETURN)
        return Q_CUT; /* returning with the count up is not this check's business */
    if (ev->obj == MODEL_NO_OBJ || q_class(q, ev->obj) != w->cls)
        return Q_GO;
    if (ev->kind == MODEL_EV_WG_DONE)
        return Q_CUT;
    return ev->kind == MODEL_EV_WG_ADD || ev->kind == MODEL_EV_WG_WAIT ? Q_FOUND : Q_GO;
}

/* (e) an add of 1 paired with a spawn in the same loop body or straight-line
 * region, on a path that skips the spawn (`continue` before it, `add; if (c)
 * spawn;`) and goes on to the next add or the wait. */
static void check_skipped(ctx *c)
{
    q_ctx *q = c->q;
    for (size_t k = 0; k < q_nevents(q); k++) {
        q_pos a = q_event_pos(q, k);
        const model_event *ev = q_ev(q, a);
        if (ev->kind != MODEL_EV_WG_ADD || c->is_task[a.func] || !(ev->flags & MODEL_EVF_NUM_KNOWN) || ev->num != 1)
            continue;
        model_obj_id cls = q_class(q, ev->obj);
        const q_facts *f = q_facts_of(q, cls);
        if (!f || f->escapes || c->reported[cls] || owner_is_murky(c, a.func, cls))
            continue;
        bool paired = false;
        for (size_t j = 0; j < q_nevents(q) && !paired; j++) {
            q_pos sp = q_event_pos(q, j);
            const model_event *sev = q_ev(q, sp);
            paired = sev->kind == MODEL_EV_SPAWN && sp.func == a.func && sev->callee_func >= 0 &&
                     q_func_releases(q, sev->callee_func, cls, Q_REL_WG_DONE) && in_group(c, a, sp) &&
                     q_reaches(q, a, sp);
        }
        skip_walk w = { c, cls };
        q_pos at;
        if (!paired || !q_walk(q, a, false, visit_skip, &w, &at))
            continue;
        const model_event *hit = q_ev(q, at);
        diag *d = diag_new(c->out, RULE_ID, c->tu->path, ev->loc,
                           "tt_wg_add adds 1 on a path that spawns no task calling tt_wg_done");
        diag_add_note(d, hit->loc, hit->kind == MODEL_EV_WG_WAIT ? "tt_wg_wait is reached here without that task"
                                                                 : "the next tt_wg_add is reached here without that task");
        diag_set_hint(d, "call tt_wg_add right before the tt_spawn it counts, on the same path");
        c->reported[cls] = true;
    }
}

static int run(const model_tu *tu, diag_list *out)
{
    ctx c = { q_new(tu), tu, out, NULL, NULL };
    c.is_task = q_xcalloc(tu->nfuncs, sizeof *c.is_task);
    c.reported = q_xcalloc(tu->nobjs, sizeof *c.reported);
    for (size_t k = 0; k < q_nevents(c.q); k++) {
        const model_event *ev = q_ev(c.q, q_event_pos(c.q, k));
        if (ev->kind == MODEL_EV_SPAWN && ev->callee_func >= 0)
            c.is_task[ev->callee_func] = true;
    }
    check_waits(&c);
    check_task_adds(&c);
    check_task_paths(&c);
    check_counts(&c);
    check_skipped(&c);
    free(c.is_task);
    free(c.reported);
    q_free(c.q);
    return 0;
}

const rule rule_wg_unbalanced = {
    .id = "wg-unbalanced",
    .summary = "A wait group's adds cannot be matched by its dones, so tt_wg_wait blocks forever or returns early.",
    .run = run,
};
