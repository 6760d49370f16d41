/* wg_unbalanced.c — wg-unbalanced: a wait group whose adds its dones
 * cannot match. From the engine: a tt_wg_wait that never returns (nothing
 * calls tt_wg_done, a task returns without it, or the add counts more tasks
 * than call it), and a done that takes the counter below zero. From the
 * model: a tt_wg_add inside the spawned task, which races with the wait. */
#include <stdlib.h>
#include <string.h>

#include "fixit.h"
#include "rule.h"
#include "rule_util.h"

static const char *const RULE_ID = "wg-unbalanced";

/* Whether function fn (or a function it calls directly, by name) has an
 * event of kind k. */
static bool func_has(const rule_input *in, const model_tu *tu, int32_t func, model_ev_kind k, int depth)
{
    if (!tu || func < 0 || depth > 4)
        return false;
    const model_func *fn = &tu->funcs[func];
    for (size_t b = 0; b < fn->nblocks; b++)
        for (size_t e = 0; e < fn->blocks[b].nevents; e++) {
            const model_event *ev = &fn->blocks[b].events[e];
            if (ev->kind == k)
                return true;
            if (ev->kind == MODEL_EV_CALL && ev->callee_func >= 0 && func_has(in, tu, ev->callee_func, k, depth + 1))
                return true;
        }
    return false;
}

/* Whether the code after the add at s can spawn a task calling tt_wg_done
 * (on some path: this one did not). */
static bool spawns_after(const rule_input *in, eng_site s)
{
    const model_func *fn = eng_site_func(s);
    if (!fn)
        return false;
    uint8_t *seen = calloc(fn->nblocks ? fn->nblocks : 1, 1);
    uint32_t *work = malloc((fn->nblocks + 1) * sizeof *work);
    size_t n = 0;
    bool found = false;
    uint32_t blk = s.block, start = s.index + 1;
    for (;;) {
        const model_block *bl = &fn->blocks[blk];
        for (size_t e = start; e < bl->nevents && !found; e++) {
            const model_event *ev = &bl->events[e];
            found = ev->kind == MODEL_EV_SPAWN && ev->callee_func >= 0 &&
                    func_has(in, s.tu, ev->callee_func, MODEL_EV_WG_DONE, 0);
        }
        for (size_t k = 0; k < bl->nsucc && !found; k++)
            if (!seen[bl->succ[k]]) {
                seen[bl->succ[k]] = 1;
                work[n++] = bl->succ[k];
            }
        if (found || !n)
            break;
        blk = work[--n];
        start = 0;
    }
    free(seen);
    free(work);
    return found;
}

/* Another blocked task that would call tt_wg_done on wg if it got unstuck. */
static bool done_held_up(const eng_finding *f, uint32_t waiter, uint32_t wg)
{
    for (uint32_t u = 0; u < f->ntasks; u++) {
        const eng_task_info *t = &f->tasks[u];
        if (u == waiter || t->done || t->wait_obj == wg)
            continue;
        for (uint32_t k = 0; k < t->nnext; k++)
            if (t->next[k].kind == MODEL_EV_WG_DONE && (t->next[k].obj == wg || t->next[k].obj == RU_NONE))
                return true;
    }
    return false;
}

/* The exit a task took: its last position-marked block at its top level
 * (a return, break or goto statement), else its final return. */
static eng_site task_exit(const eng_finding *f, uint32_t task)
{
    int depth = 0;
    size_t last_block = RU_NONE, ret = RU_NONE;
    for (size_t i = 0; i < f->nsteps; i++) {
        const eng_step *st = &f->steps[i];
        if (st->task != task)
            continue;
        if (st->kind == ENG_STEP_CALL)
            depth++;
        else if (st->kind == ENG_STEP_RETURN) {
            if (depth == 0)
                ret = i;
            else
                depth--;
        } else if (st->kind == ENG_STEP_BLOCK && depth == 0) {
            const model_func *fn = eng_site_func(st->site);
            if (fn && !fn->blocks[st->site.block].loop_head)
                last_block = i;
        }
    }
    size_t pick = last_block != RU_NONE ? last_block : ret;
    return pick != RU_NONE ? f->steps[pick].site : (eng_site){ NULL, -1, 0, 0 };
}

static const char *wg_text(eng_site s)
{
    const char *t = ru_op_text(s, -1);
    return t;
}

static void blocked_wait(const rule_input *in, const eng_finding *f, int group, diag_list *out)
{
    const eng_task_info *w = &f->tasks[f->task];
    uint32_t wg = w->wait_obj;
    if (wg == RU_NONE || done_held_up(f, f->task, wg))
        return;
    if (!ru_program_has(in, MODEL_EV_WG_DONE)) {
        ru_warn(out, RULE_ID, group, w->at, "tt_wg_wait can never return: nothing calls tt_wg_done on '%s'",
                wg_text(w->at));
        return;
    }
    /* a task that was to call tt_wg_done and returned without it */
    for (uint32_t t = 1; t < f->ntasks; t++) {
        const eng_task_info *ti = &f->tasks[t];
        if (!ti->done || ru_last_op_on(f, t, wg, MODEL_EV_WG_DONE) != RU_NONE ||
            !func_has(in, ti->tu, ti->func, MODEL_EV_WG_DONE, 0))
            continue;
        eng_site ex = task_exit(f, t);
        if (!ex.tu)
            continue;
        diag *d = ru_warn(out, RULE_ID, group, ex, "task '%s' can return without calling tt_wg_done",
                          ru_task_name(f, t));
        fx_wg_done(d, 0, f, t, ex, w->at);
        return;
    }
    /* an add the tasks spawned after it (before the next add or the wait)
     * cannot match */
    for (size_t i = 0; i < f->nsteps; i++) {
        const eng_step *st = &f->steps[i];
        const model_event *ev = ru_ev(st->site);
        if (st->kind != ENG_STEP_OP || st->loc_obj != wg || !ev || ev->kind != MODEL_EV_WG_ADD)
            continue;
        int64_t tasks = 0;
        size_t j = i + 1;
        for (; j < f->nsteps; j++) {
            const eng_step *sj = &f->steps[j];
            const model_event *ej = ru_ev(sj->site);
            if (sj->task != st->task || sj->kind != ENG_STEP_OP || !ej)
                continue;
            if (sj->loc_obj == wg && (ej->kind == MODEL_EV_WG_ADD || ej->kind == MODEL_EV_WG_WAIT))
                break;
            if (ej->kind == MODEL_EV_SPAWN && sj->num < (int64_t)f->ntasks &&
                func_has(in, f->tasks[sj->num].tu, f->tasks[sj->num].func, MODEL_EV_WG_DONE, 0))
                tasks++;
        }
        if (tasks >= st->num)
            continue;
        if (tasks == 0 && spawns_after(in, st->site)) {
            diag *d = ru_warn(out, RULE_ID, group, st->site,
                              "tt_wg_add adds %lld on a path that spawns no task calling tt_wg_done", (long long)st->num);
            ru_note(d, w->at, "tt_wg_wait is reached here without that task");
        } else {
            ru_warn(out, RULE_ID, group, st->site, "tt_wg_add adds %lld but only %lld task(s) call tt_wg_done",
                    (long long)st->num, (long long)tasks);
        }
        return;
    }
}

/* The variable an operand starts from (`&a->wg` -> a), or NULL. */
static const model_val *root_var(const model_val *v)
{
    while (v && (v->kind == MODEL_VAL_FIELD || v->kind == MODEL_VAL_ADDR || v->kind == MODEL_VAL_DEREF ||
                 v->kind == MODEL_VAL_INDEX))
        v = v->sub[0];
    return v && v->kind == MODEL_VAL_VAR ? v : NULL;
}

/* Whether the wait group of an add in task function fn is its spawner's:
 * reached from the task's parameter, directly or through a local the
 * parameter was copied to. */
static bool spawners_wg(const model_func *fn, const model_event *add)
{
    const model_val *r = add->nvals ? root_var(add->vals[0]) : NULL;
    if (!r)
        return false;
    if (r->scope == MODEL_SCOPE_PARAM)
        return true;
    if (r->scope != MODEL_SCOPE_LOCAL)
        return false;
    for (size_t b = 0; b < fn->nblocks; b++)
        for (size_t e = 0; e < fn->blocks[b].nevents; e++) {
            const model_event *a = &fn->blocks[b].events[e];
            if (a->kind != MODEL_EV_ASSIGN || a->nvals != 2 || a->vals[0]->kind != MODEL_VAL_VAR ||
                strcmp(a->vals[0]->name, r->name) != 0)
                continue;
            const model_val *src = root_var(a->vals[1]);
            if (src && src->scope == MODEL_SCOPE_PARAM)
                return true;
        }
    return false;
}

/* Whether task function fn adds for a task it starts while it is counted
 * itself: it spawns, and calls tt_wg_done on the wait group the add names
 * (its own count keeps the spawner's wait from returning first). */
static bool adds_for_child(const model_func *fn, const model_event *add)
{
    const model_val *r = add->nvals ? root_var(add->vals[0]) : NULL;
    bool spawns = false, done = false;
    for (size_t b = 0; b < fn->nblocks; b++)
        for (size_t e = 0; e < fn->blocks[b].nevents; e++) {
            const model_event *a = &fn->blocks[b].events[e];
            spawns |= a->kind == MODEL_EV_SPAWN;
            if (a->kind == MODEL_EV_WG_DONE && r && a->nvals) {
                const model_val *d = root_var(a->vals[0]);
                done |= d && d->name && r->name && strcmp(d->name, r->name) == 0;
            }
        }
    return spawns && done;
}

/* tt_wg_add in a function that some tt_spawn starts, on its spawner's
 * wait group (not for a task of its own while it is counted): it races
 * with the spawner's wait. */
static void add_in_task(const rule_input *in, diag_list *out)
{
    if (!ru_program_has(in, MODEL_EV_WG_WAIT))
        return;
    for (size_t t = 0; t < in->ntus; t++) {
        const model_tu *tu = in->tus[t];
        for (size_t fi = 0; fi < tu->nfuncs; fi++) {
            const model_func *fn = &tu->funcs[fi];
            for (size_t b = 0; b < fn->nblocks; b++)
                for (size_t e = 0; e < fn->blocks[b].nevents; e++) {
                    const model_event *sp = &fn->blocks[b].events[e];
                    if (sp->kind != MODEL_EV_SPAWN || sp->callee_func < 0)
                        continue;
                    const model_func *task = &tu->funcs[sp->callee_func];
                    for (size_t tb = 0; tb < task->nblocks; tb++)
                        for (size_t te = 0; te < task->blocks[tb].nevents; te++) {
                            const model_event *ad = &task->blocks[tb].events[te];
                            if (ad->kind != MODEL_EV_WG_ADD || !spawners_wg(task, ad) || adds_for_child(task, ad))
                                continue;
                            eng_site s = { tu, sp->callee_func, (uint32_t)tb, (uint32_t)te };
                            diag *d = ru_warn(out, RULE_ID, -1, s, "tt_wg_add inside the spawned task races with tt_wg_wait");
                            diag_set_hint(d, "call tt_wg_add in the spawner, before tt_spawn");
                        }
                }
        }
    }
}

static int run(const rule_input *in, diag_list *out)
{
    for (size_t i = 0; i < in->eng->nfindings; i++) {
        const eng_finding *f = &in->eng->findings[i];
        if (f->kind == ENG_WG_NEGATIVE) {
            ru_warn(out, RULE_ID, (int)i, f->site, "'%s' goes below zero here: more tt_wg_done than tt_wg_add",
                    ru_op_text(f->site, -1));
            continue;
        }
        if (f->kind != ENG_BLOCKED || f->task == RU_NONE)
            continue;
        const model_event *ev = ru_ev(f->tasks[f->task].at);
        if (ev && ev->kind == MODEL_EV_WG_WAIT)
            blocked_wait(in, f, (int)i, out);
    }
    add_in_task(in, out);
    return 0;
}

const rule rule_wg_unbalanced = {
    .id = "wg-unbalanced",
    .summary = "A wait group's adds cannot be matched by its dones, so tt_wg_wait blocks forever or returns early.",
    .rank = 4,
    .run = run,
};
