/* rule_util.c — what rules share (rule_util.h). */
#include "rule_util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const model_event *ru_ev(eng_site s)
{
    return eng_site_event(s);
}

const char *ru_file(eng_site s)
{
    return s.tu ? s.tu->path : "";
}

model_loc ru_loc(eng_site s)
{
    const model_event *ev = eng_site_event(s);
    if (ev)
        return ev->loc;
    const model_func *fn = eng_site_func(s);
    if (fn && s.block < fn->nblocks)
        return fn->blocks[s.block].loc;
    return (model_loc){ 0, 0 };
}

const char *ru_func_name(eng_site s)
{
    const model_func *fn = eng_site_func(s);
    return fn ? fn->name : "?";
}

bool ru_site_eq(eng_site a, eng_site b)
{
    return a.tu == b.tu && a.func == b.func && a.block == b.block && a.index == b.index;
}

const char *ru_op_text(eng_site s, int choice)
{
    const model_event *ev = eng_site_event(s);
    if (!ev)
        return "?";
    if (ev->kind == MODEL_EV_SELECT && choice >= 0 && (size_t)choice < ev->ncases)
        return ev->cases[choice].text ? ev->cases[choice].text : "?";
    return ev->text ? ev->text : "?";
}

const char *ru_task_name(const eng_finding *f, uint32_t task)
{
    if (task >= f->ntasks)
        return "?";
    const eng_task_info *t = &f->tasks[task];
    return t->tu && t->func >= 0 ? t->tu->funcs[t->func].name : "?";
}

bool ru_is_root(const eng_finding *f, uint32_t task)
{
    (void)f;
    return task == 0;
}

size_t ru_last_top_step(const eng_finding *f, uint32_t task, eng_step_kind kind)
{
    int depth = 0;
    size_t found = RU_NONE;
    for (size_t i = 0; i < f->nsteps; i++) {
        const eng_step *st = &f->steps[i];
        if (st->task != task)
            continue;
        if (st->kind == kind && depth == 0)
            found = i;
        if (st->kind == ENG_STEP_CALL)
            depth++;
        else if (st->kind == ENG_STEP_RETURN && depth > 0)
            depth--;
    }
    return found;
}

bool ru_is_send_on(const eng_step *st, uint32_t ch)
{
    const model_event *ev = ru_ev(st->site);
    return st->kind == ENG_STEP_OP && st->obj == ch && ev &&
           (ev->kind == MODEL_EV_SEND || (ev->kind == MODEL_EV_SELECT && st->detail >= 0 && ev->cases[st->detail].op == 2));
}

size_t ru_last_op_on(const eng_finding *f, uint32_t task, uint32_t obj, int k)
{
    for (size_t i = f->nsteps; i-- > 0;) {
        const eng_step *st = &f->steps[i];
        if (st->kind != ENG_STEP_OP || st->task != task || (st->obj != obj && st->loc_obj != obj))
            continue;
        const model_event *ev = eng_site_event(st->site);
        if (k < 0 || (ev && (int)ev->kind == k))
            return i;
    }
    return RU_NONE;
}

bool ru_any_op_on(const eng_finding *f, uint32_t obj, model_ev_kind k)
{
    for (size_t i = 0; i < f->nsteps; i++) {
        const eng_step *st = &f->steps[i];
        const model_event *ev = eng_site_event(st->site);
        if (st->kind == ENG_STEP_OP && (st->obj == obj || st->loc_obj == obj) && ev && ev->kind == k)
            return true;
    }
    return false;
}

size_t ru_maker_return(const eng_finding *f, eng_site made)
{
    uint32_t task = RU_NONE;
    size_t start = 0;
    for (size_t i = 0; i < f->nsteps; i++)
        if (f->steps[i].kind == ENG_STEP_CALL && f->steps[i].callee_tu == made.tu &&
            f->steps[i].callee_func == made.func) {
            task = f->steps[i].task;
            start = i + 1;
        }
    for (uint32_t t = 0; task == RU_NONE && t < f->ntasks; t++)
        if (f->tasks[t].tu == made.tu && f->tasks[t].func == made.func)
            task = t;
    int depth = 0;
    for (size_t i = start; task != RU_NONE && i < f->nsteps; i++) {
        const eng_step *st = &f->steps[i];
        if (st->task != task)
            continue;
        if (st->kind == ENG_STEP_CALL)
            depth++;
        else if (st->kind == ENG_STEP_RETURN) {
            if (depth == 0)
                return st->site.func == made.func && st->site.tu == made.tu ? i : RU_NONE;
            depth--;
        }
    }
    return RU_NONE;
}

size_t ru_next_exit(const eng_finding *f, uint32_t task, size_t from)
{
    int depth = 0;
    for (size_t i = from; i < f->nsteps; i++) {
        const eng_step *st = &f->steps[i];
        if (st->task != task)
            continue;
        if (st->kind == ENG_STEP_CALL) {
            depth++;
        } else if (st->kind == ENG_STEP_RETURN || st->kind == ENG_STEP_NORETURN) {
            if (depth == 0)
                return i;
            depth--;
        } else if (st->kind == ENG_STEP_BLOCK && depth == 0) {
            const model_func *fn = eng_site_func(st->site);
            if (fn && !fn->blocks[st->site.block].loop_head)
                return i;
        }
    }
    return RU_NONE;
}

static bool ru__next(const eng_task_info *u, model_ev_kind k, uint32_t obj)
{
    for (uint32_t i = 0; i < u->nnext; i++)
        if (u->next[i].kind == k && (u->next[i].obj == obj || u->next[i].obj == RU_NONE))
            return true;
    return false;
}

uint64_t ru_releasers(const eng_finding *f, uint32_t task)
{
    const eng_task_info *t = &f->tasks[task];
    const model_event *ev = eng_site_event(t->at);
    uint64_t set = 0;
    if (!ev || t->done)
        return 0;
    if (ev->kind == MODEL_EV_LOCK && t->wait_obj != RU_NONE) {
        uint32_t h = f->objs[t->wait_obj].holder;
        if (h != RU_NONE && h != task && h < f->ntasks && h < 64 && !f->tasks[h].done)
            set |= 1ull << h;
        return set;
    }
    for (uint32_t u = 0; u < f->ntasks && u < 64; u++) {
        const eng_task_info *ui = &f->tasks[u];
        if (u == task || ui->done)
            continue;
        if (ev->kind == MODEL_EV_WG_WAIT && ru__next(ui, MODEL_EV_WG_DONE, t->wait_obj))
            set |= 1ull << u;
        for (uint32_t k = 0; k < t->nchan; k++) {
            uint32_t ch = t->chan[k];
            if (ch == RU_NONE)
                continue;
            bool send = ev->kind == MODEL_EV_SEND || (ev->kind == MODEL_EV_SELECT && ev->cases[k].op == 2);
            if (send ? ru__next(ui, MODEL_EV_RECV, ch)
                     : (ru__next(ui, MODEL_EV_SEND, ch) || ru__next(ui, MODEL_EV_CLOSE, ch)))
                set |= 1ull << u;
        }
    }
    return set;
}

/* The tasks task waits for, directly or through others (bit u). */
static uint64_t ru__waits_for(const eng_finding *f, uint32_t task)
{
    uint64_t seen = 0, frontier = task < 64 ? 1ull << task : 0;
    while (frontier) {
        uint64_t next = 0;
        for (uint32_t w = 0; w < f->ntasks && w < 64; w++)
            if (frontier >> w & 1)
                next |= ru_releasers(f, w);
        frontier = next & ~seen;
        seen |= next;
    }
    return seen;
}

/* Whether findings a and b were found in the same end state. */
static bool ru__same_end(const eng_finding *a, const eng_finding *b)
{
    if (a->nsteps != b->nsteps || a->ntasks != b->ntasks)
        return false;
    for (size_t t = 0; t < a->ntasks; t++)
        if (memcmp(&a->tasks[t].at, &b->tasks[t].at, sizeof a->tasks[t].at) != 0 ||
            a->tasks[t].done != b->tasks[t].done)
            return false;
    return true;
}

int ru_cycle_group(const eng_result *e, int group)
{
    if (group < 0 || (size_t)group >= e->nfindings)
        return group;
    const eng_finding *f = &e->findings[group];
    if (f->kind != ENG_BLOCKED || f->task >= 64)
        return group;
    uint64_t mine = ru__waits_for(f, f->task);
    for (int j = 0; j < group; j++) {
        const eng_finding *g = &e->findings[j];
        if (g->kind == ENG_BLOCKED && g->task < 64 && g->task != f->task && (mine >> g->task & 1) &&
            ru__same_end(f, g) && (ru__waits_for(f, g->task) >> f->task & 1))
            return j;
    }
    return group;
}

bool ru_held_up(const eng_finding *f, uint32_t task)
{
    if (task >= 64)
        return false;
    /* held up by a task whose own wait does not come back to this one: the
     * other task is nearer the cause. In a cycle every member speaks. */
    uint64_t direct = ru_releasers(f, task);
    for (uint32_t u = 0; u < f->ntasks && u < 64; u++) {
        if (!(direct >> u & 1))
            continue;
        uint64_t seen = 1ull << u, frontier = seen;
        while (frontier) {
            uint64_t next = 0;
            for (uint32_t w = 0; w < f->ntasks && w < 64; w++)
                if (frontier >> w & 1)
                    next |= ru_releasers(f, w);
            frontier = next & ~seen;
            seen |= next;
        }
        if (!(seen >> task & 1))
            return true;
    }
    return false;
}

static char *ru__vformat(const char *fmt, va_list ap)
{
    static _Thread_local char buf[1024];
    vsnprintf(buf, sizeof buf, fmt, ap);
    return buf;
}

diag *ru_warn(diag_list *out, const char *id, int group, eng_site at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = ru__vformat(fmt, ap);
    va_end(ap);
    diag *d = diag_new(out, id, ru_file(at), ru_loc(at), "%s", msg);
    d->group = group;
    return d;
}

/* Adds a note unless the same one is there (tasks spawned in a loop share
 * their spawn's note). */
static void ru__note(diag *d, model_loc loc, const char *msg)
{
    for (size_t i = 0; i < d->nnotes; i++)
        if (d->notes[i].loc.line == loc.line && d->notes[i].loc.col == loc.col && strcmp(d->notes[i].msg, msg) == 0)
            return;
    diag_add_note(d, loc, "%s", msg);
}

void ru_note(diag *d, eng_site at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = ru__vformat(fmt, ap);
    va_end(ap);
    ru__note(d, ru_loc(at), msg);
}

void ru_note_at(diag *d, model_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = ru__vformat(fmt, ap);
    va_end(ap);
    ru__note(d, loc, msg);
}

void ru_note_spawn(diag *d, const eng_finding *f, uint32_t task)
{
    if (task < f->ntasks && f->tasks[task].spawned.tu)
        ru_note(d, f->tasks[task].spawned, "'%s' is spawned here", ru_task_name(f, task));
}

/* ---- select cases: where each leads ---------------------------------------------- */

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

bool ru_case_exits(eng_site s, int64_t k)
{
    const model_func *fn = eng_site_func(s);
    const model_event *sel = eng_site_event(s);
    if (!fn || !sel)
        return true;
    case_env e = { sel->id, k, { 0 }, 0 };
    uint8_t *seen = calloc(fn->nblocks ? fn->nblocks : 1, 1);
    uint32_t *work = malloc((fn->nblocks + 1) * sizeof *work);
    size_t n = 0;
    bool exits = false;
    /* the heads of the loops around the select: going round again is no exit */
    for (uint32_t b = 0; b < fn->nblocks; b++)
        if (fn->blocks[b].loop_head && ru_loop_contains((eng_site){ s.tu, s.func, b, UINT32_MAX }, s))
            seen[b] = 2;
    uint32_t blk = s.block, start = s.index + 1;
    for (;;) {
        const model_block *bl = &fn->blocks[blk];
        bool stop = seen[blk] == 2 && start == 0;
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
                if (seen[sb] == 2) /* round the loop again */
                    continue;
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

bool ru_in_loop(eng_site s)
{
    const model_func *fn = eng_site_func(s);
    if (!fn || s.block >= fn->nblocks)
        return false;
    uint8_t *seen = calloc(fn->nblocks, 1);
    uint32_t *work = malloc((fn->nblocks + 1) * sizeof *work);
    size_t n = 0;
    bool found = false;
    work[n++] = s.block;
    while (n && !found) {
        const model_block *bl = &fn->blocks[work[--n]];
        for (size_t i = 0; i < bl->nsucc && !found; i++) {
            uint32_t b = bl->succ[i];
            if (b == s.block)
                found = true;
            else if (!seen[b]) {
                seen[b] = 1;
                work[n++] = b;
            }
        }
    }
    free(seen);
    free(work);
    return found;
}

bool ru_loop_contains(eng_site head, eng_site s)
{
    if (head.tu != s.tu || head.func != s.func)
        return false;
    const model_func *fn = eng_site_func(s);
    /* head reaches s and s reaches head */
    for (int pass = 0; pass < 2; pass++) {
        uint32_t from = pass == 0 ? head.block : s.block, to = pass == 0 ? s.block : head.block;
        uint8_t *seen = calloc(fn->nblocks, 1);
        uint32_t *work = malloc((fn->nblocks + 1) * sizeof *work);
        size_t n = 0;
        bool found = from == to;
        work[n++] = from;
        while (n && !found) {
            const model_block *bl = &fn->blocks[work[--n]];
            for (size_t i = 0; i < bl->nsucc && !found; i++) {
                uint32_t b = bl->succ[i];
                if (b == to)
                    found = true;
                else if (!seen[b]) {
                    seen[b] = 1;
                    work[n++] = b;
                }
            }
        }
        free(seen);
        free(work);
        if (!found)
            return false;
    }
    return true;
}

eng_site ru_task_select(const eng_finding *f, uint32_t task, uint32_t *chans, bool *nulls, uint32_t *n)
{
    const eng_task_info *t = &f->tasks[task];
    const model_event *at = ru_ev(t->at);
    *n = 0;
    if (at && at->kind == MODEL_EV_SELECT) {
        *n = t->nchan;
        for (uint32_t k = 0; k < t->nchan; k++) {
            chans[k] = t->chan[k];
            nulls[k] = t->chan_null[k];
        }
        return t->at;
    }
    for (size_t i = f->nsteps; i-- > 0;) {
        const eng_step *st = &f->steps[i];
        const model_event *ev = ru_ev(st->site);
        if (st->task != task || st->kind != ENG_STEP_OP || !ev || ev->kind != MODEL_EV_SELECT)
            continue;
        for (size_t k = 0; k < ev->ncases && k < 16; k++) { /* a case's channel: from a step that ran it */
            chans[k] = RU_NONE;
            nulls[k] = (st->null_cases >> k) & 1;
            for (size_t j = 0; j < f->nsteps; j++)
                if (f->steps[j].task == task && ru_site_eq(f->steps[j].site, st->site) &&
                    f->steps[j].detail == (int32_t)k && f->steps[j].obj != RU_NONE)
                    chans[k] = f->steps[j].obj;
        }
        *n = (uint32_t)(ev->ncases < 16 ? ev->ncases : 16);
        return st->site;
    }
    return (eng_site){ NULL, -1, 0, 0 };
}

bool ru_program_has(const rule_input *in, model_ev_kind k)
{
    for (size_t t = 0; t < in->ntus; t++)
        for (size_t fi = 0; fi < in->tus[t]->nfuncs; fi++) {
            const model_func *fn = &in->tus[t]->funcs[fi];
            for (size_t b = 0; b < fn->nblocks; b++)
                for (size_t e = 0; e < fn->blocks[b].nevents; e++)
                    if (fn->blocks[b].events[e].kind == k)
                        return true;
        }
    return false;
}

eng_site ru_site_of_id(const model_tu *tu, int32_t func, int32_t id)
{
    const model_func *fn = &tu->funcs[func];
    for (size_t b = 0; b < fn->nblocks; b++)
        for (size_t e = 0; e < fn->blocks[b].nevents; e++)
            if (fn->blocks[b].events[e].id == id)
                return (eng_site){ tu, func, (uint32_t)b, (uint32_t)e };
    return (eng_site){ NULL, -1, 0, 0 };
}

const char *ru_api_name(model_ev_kind k)
{
    switch (k) {
    case MODEL_EV_SEND: return "tt_send";
    case MODEL_EV_RECV: return "tt_recv";
    case MODEL_EV_SELECT: return "tt_select";
    case MODEL_EV_WG_WAIT: return "tt_wg_wait";
    case MODEL_EV_LOCK: return "tt_mutex_lock";
    case MODEL_EV_SLEEP: return "tt_sleep_ms";
    case MODEL_EV_CLOSE: return "tt_close";
    case MODEL_EV_SPAWN: return "tt_spawn";
    default: return model_ev_kind_name(k);
    }
}
