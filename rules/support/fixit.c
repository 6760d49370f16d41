/* fixit.c — the fix-its of the rules (fixit.h): a release before a return
 * (tt_ticker_stop, tt_ctx_cancel, tt_mutex_unlock, tt_wg_done), and a done
 * case for a select that has no way out. Each proves its fix on the model
 * first (fixit_flow.c) and leaves the text work to the driver. */
#include <stdio.h>
#include <string.h>

#include "fixit.h"
#include "rule_util.h"

/* ---- a release before a return -------------------------------------------------- */

/* What holding one object means on the model. */
typedef struct fx_res {
    const model_tu *tu;
    eng_site gen;               /* the event that makes or takes it */
    int32_t gen_id;             /* its event id (its RESULT is what a variable is assigned) */
    model_ev_kind gen_kind, rel_kind;
    model_obj_id cls;           /* the object's alias class */
    const char *text;           /* the operand as C text */
    const char *root;           /* the variable that operand starts from */
    bool local_only;            /* only this function can reach it (a local object) */
} fx_res;

static model_obj_id fx__cls(const model_tu *tu, model_obj_id o)
{
    return o == MODEL_NO_OBJ ? MODEL_NO_OBJ : model_obj_canon(tu, o);
}

static bool fx__same_text(const model_event *ev, const char *text)
{
    char buf[256];
    return ev->nvals >= 1 && fx_val_text(ev->vals[0], buf, sizeof buf) && strcmp(buf, text) == 0;
}

/* An assignment to the variable `root` that is not the keeping of gen's result. */
static bool fx__reassigns(const model_event *ev, const char *root, int32_t keep_id)
{
    if (ev->kind != MODEL_EV_ASSIGN || ev->nvals != 2 || !root)
        return false;
    const model_val *lhs = ev->vals[0];
    if (lhs->kind != MODEL_VAL_VAR || strcmp(lhs->name, root) != 0)
        return false;
    return !(ev->vals[1]->kind == MODEL_VAL_RESULT && ev->vals[1]->num == keep_id);
}

/* C library functions: they never release a tether object. */
static bool fx__libc(const char *name)
{
    static const char *const names[] = {
        "printf", "fprintf", "puts", "fputs", "putchar", "snprintf", "sprintf", "perror", "strlen", "strcmp",
        "strncmp", "strcpy", "strncpy", "memcpy", "memmove", "memset", "memcmp", "malloc", "calloc", "realloc",
        "free", "abs", "atoi", "rand", "srand", "fflush", "assert",
    };
    for (size_t i = 0; name && i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i], name) == 0)
            return true;
    return false;
}

/* What a call or a spawn may do to the object: a function of this file
 * releases it when it (or what it calls or spawns) releases anything of
 * that kind, or keeps it when it is handed it and stores it somewhere; a
 * task handed it may release it at any time; code we cannot see releases
 * what it is handed, and what is reachable from outside the function. */
static fx_effect fx__call(const fx_res *r, const model_event *ev)
{
    if (ev->kind == MODEL_EV_CALL && ev->callee_func < 0 && fx__libc(ev->callee))
        return FX_KEEP;
    bool handed = false, calls = false;
    for (size_t k = 0; k < ev->nargs; k++)
        handed |= ev->args && fx__cls(r->tu, ev->args[k]) == r->cls;
    for (size_t k = 0; k < ev->nvals; k++)
        handed |= fx_val_uses(ev->vals[k], r->root, &calls);
    if (ev->callee_func >= 0) {
        if (fx_func_has(r->tu, ev->callee_func, r->rel_kind) || (handed && ev->kind == MODEL_EV_SPAWN) ||
            (handed && fx_func_has(r->tu, ev->callee_func, MODEL_EV_ESCAPE)))
            return FX_KILL;
        return FX_KEEP;
    }
    return handed || !r->local_only ? FX_KILL : FX_KEEP;
}

static fx_effect fx__res_tr(const model_event *ev, uint32_t b, uint32_t i, void *ctx)
{
    const fx_res *r = ctx;
    if (b == r->gen.block && i == r->gen.index)
        return FX_GEN;
    model_obj_id c = fx__cls(r->tu, ev->obj);
    if (ev->kind == r->gen_kind && c == r->cls) /* taken again: the same lock, or another making */
        return ev->kind == MODEL_EV_LOCK && fx__same_text(ev, r->text) ? FX_GEN : FX_KILL;
    if ((ev->kind == r->rel_kind || ev->kind == MODEL_EV_ESCAPE) && c == r->cls)
        return FX_KILL;
    if (ev->kind == MODEL_EV_CALL || ev->kind == MODEL_EV_SPAWN)
        return fx__call(r, ev);
    if (fx__reassigns(ev, r->root, r->gen_id))
        return FX_KILL;
    return FX_KEEP;
}

/* The RETURN event at a site: the event itself, or a return statement's block's. */
static const model_event *fx__return_at(eng_site s, uint32_t *block, uint32_t *index)
{
    const model_func *fn = eng_site_func(s);
    if (!fn || s.block >= fn->nblocks)
        return NULL;
    const model_block *bl = &fn->blocks[s.block];
    uint32_t i = s.index;
    if (i == UINT32_MAX) {
        if (!bl->nevents)
            return NULL;
        i = (uint32_t)bl->nevents - 1;
    }
    if (i >= bl->nevents || bl->events[i].kind != MODEL_EV_RETURN)
        return NULL;
    *block = s.block;
    *index = i;
    return &bl->events[i];
}

/* Whether what `ret` returns can be computed after the release: it calls
 * nothing and does not read the object's variable; `strict` (after an
 * unlock): only a constant or a local variable. */
static bool fx__return_ok(const model_event *ret, const char *root, bool strict)
{
    if (ret->nvals == 0)
        return true;
    const model_val *v = ret->vals[0];
    if (strict)
        return v->kind == MODEL_VAL_INT || v->kind == MODEL_VAL_NULL || v->kind == MODEL_VAL_STRING ||
               (v->kind == MODEL_VAL_VAR && (v->scope == MODEL_SCOPE_LOCAL || v->scope == MODEL_SCOPE_PARAM));
    bool calls = false;
    return !fx_val_uses(v, root, &calls) && !calls;
}

/* Where the variable `root` of function fn is given its value first (its
 * declaration, for an initialized one): the scope anchor. Its first
 * assignment in the text, or {0,0} when it has none. */
static model_loc fx__first_assign(const model_func *fn, const char *root)
{
    model_loc best = { 0, 0 };
    for (size_t b = 0; b < fn->nblocks; b++)
        for (size_t e = 0; e < fn->blocks[b].nevents; e++) {
            const model_event *ev = &fn->blocks[b].events[e];
            if (ev->kind != MODEL_EV_ASSIGN || ev->nvals != 2 || ev->vals[0]->kind != MODEL_VAL_VAR ||
                strcmp(ev->vals[0]->name, root) != 0)
                continue;
            if (!best.line || ev->loc.line < best.line || (ev->loc.line == best.line && ev->loc.col < best.col))
                best = ev->loc;
        }
    return best;
}

typedef struct fx_assigned {
    const char *root;
} fx_assigned;

static fx_effect fx__assigned_tr(const model_event *ev, uint32_t b, uint32_t i, void *ctx)
{
    (void)b;
    (void)i;
    const fx_assigned *a = ctx;
    return ev->kind == MODEL_EV_ASSIGN && ev->nvals == 2 && ev->vals[0]->kind == MODEL_VAL_VAR &&
                   strcmp(ev->vals[0]->name, a->root) == 0
               ? FX_GEN
               : FX_KEEP;
}

/* Whether the variable `root` (a local, parameter or global of fn) has a
 * value at (block, index) on every path, and where the fix must stay to
 * have it in scope (*anchor; {0,0}: anywhere in the function). */
static bool fx__root_ready(const model_tu *tu, const model_func *fn, const model_val *root, uint32_t block,
                           uint32_t index, model_loc *anchor)
{
    *anchor = (model_loc){ 0, 0 };
    if (root->scope == MODEL_SCOPE_PARAM || root->scope == MODEL_SCOPE_GLOBAL)
        return true;
    if (root->scope != MODEL_SCOPE_LOCAL)
        return false;
    *anchor = fx__first_assign(fn, root->name);
    fx_assigned a = { root->name };
    return anchor->line && fx_holds_at(tu, fn, block, index, false, MODEL_NO_OBJ, fx__assigned_tr, &a);
}

/* The release `CALL(text);` before the return at `ret` when r holds there
 * on every path. */
static void fx__release(diag *d, size_t note, fx_res *r, eng_site ret, const char *call, model_loc anchor,
                        bool strict)
{
    uint32_t rb, ri;
    const model_event *rev = fx__return_at(ret, &rb, &ri);
    const model_func *fn = eng_site_func(r->gen);
    if (!rev || !fn || ret.tu != r->gen.tu || ret.func != r->gen.func || !fx__return_ok(rev, r->root, strict))
        return;
    if (!fx_holds_at(r->tu, fn, rb, ri, false, r->cls, fx__res_tr, r))
        return;
    char stmt[320];
    snprintf(stmt, sizeof stmt, "%s(%s);", call, r->text);
    diag_fixit *x = diag_add_stmt_fixit(d, DIAG_FIXIT_BEFORE_STMT, rev->loc, stmt, note);
    x->scope = anchor;
}

/* A ticker or context kept in a local variable of the function that made it. */
static void fx__local_release(diag *d, size_t note, eng_site ret, eng_site made, model_ev_kind gen_kind,
                              model_ev_kind rel_kind, const char *call)
{
    const model_event *mev = ru_ev(made);
    if (!mev || mev->obj == MODEL_NO_OBJ)
        return;
    const model_obj *o = &made.tu->objs[mev->obj];
    if (o->scope != MODEL_SCOPE_LOCAL || o->func != made.func || !o->name || strchr(o->name, '(') || !o->decl.line)
        return;
    fx_res r = { made.tu, made, mev->id, gen_kind, rel_kind, fx__cls(made.tu, mev->obj), o->name, o->name, true };
    fx__release(d, note, &r, ret, call, o->decl, false);
}

void fx_ticker_stop(diag *d, size_t note, eng_site ret, eng_site made)
{
    fx__local_release(d, note, ret, made, MODEL_EV_TICKER_NEW, MODEL_EV_TICKER_STOP, "tt_ticker_stop");
}

void fx_ctx_cancel(diag *d, size_t note, eng_site ret, eng_site made)
{
    fx__local_release(d, note, ret, made, MODEL_EV_CTX_NEW, MODEL_EV_CTX_CANCEL, "tt_ctx_cancel");
}

void fx_unlock(diag *d, size_t note, eng_site ret, eng_site lock)
{
    const model_event *lev = ru_ev(lock);
    const model_func *fn = eng_site_func(lock);
    char text[256];
    if (!lev || !fn || lev->kind != MODEL_EV_LOCK || lev->obj == MODEL_NO_OBJ || lev->nvals < 1 ||
        !fx_val_text(lev->vals[0], text, sizeof text))
        return;
    const model_val *root = fx_root_var(lev->vals[0]);
    model_loc anchor;
    uint32_t rb, ri;
    if (!root || !fx__return_at(ret, &rb, &ri) || !fx__root_ready(lock.tu, fn, root, rb, ri, &anchor))
        return;
    const model_obj *mo = &lock.tu->objs[lev->obj];
    bool local = root->scope == MODEL_SCOPE_LOCAL && mo->scope == MODEL_SCOPE_LOCAL && text[0] == '&' &&
                 strcmp(text + 1, root->name) == 0;
    fx_res r = { lock.tu, lock, lev->id, MODEL_EV_LOCK, MODEL_EV_UNLOCK, fx__cls(lock.tu, lev->obj), text,
                 root->name, local };
    fx__release(d, note, &r, ret, "tt_mutex_unlock", anchor, true);
}

/* ---- tt_wg_done ------------------------------------------------------------------ */

typedef struct fx_nodone {
    const model_tu *tu;
    model_obj_id cls;
} fx_nodone;

static fx_effect fx__nodone_tr(const model_event *ev, uint32_t b, uint32_t i, void *ctx)
{
    (void)b;
    (void)i;
    const fx_nodone *n = ctx;
    if (ev->kind == MODEL_EV_WG_DONE)
        return FX_KILL; /* any done: a helper's on another name may be this one */
    if ((ev->kind == MODEL_EV_CALL || ev->kind == MODEL_EV_SPAWN) &&
        (ev->callee_func < 0 ? ev->nargs > 0 : fx_func_has(n->tu, ev->callee_func, MODEL_EV_WG_DONE)))
        return FX_KILL;
    return FX_KEEP;
}

/* The task's own last RETURN on the path, or a site with no tu. */
static eng_site fx__task_return(const eng_finding *f, uint32_t task)
{
    int depth = 0;
    eng_site r = { NULL, -1, 0, 0 };
    for (size_t i = 0; i < f->nsteps; i++) {
        const eng_step *st = &f->steps[i];
        if (st->task != task)
            continue;
        if (st->kind == ENG_STEP_CALL)
            depth++;
        else if (st->kind == ENG_STEP_RETURN && depth-- == 0)
            r = st->site;
    }
    return r;
}

void fx_wg_done(diag *d, size_t note, const eng_finding *f, uint32_t task, eng_site exit, eng_site wait)
{
    const eng_task_info *ti = &f->tasks[task];
    const model_event *wev = ru_ev(wait);
    uint32_t rb, ri;
    if (!wev || wev->obj == MODEL_NO_OBJ || wait.tu != ti->tu || !ti->tu)
        return;
    if (!fx__return_at(exit, &rb, &ri))
        exit = fx__task_return(f, task);
    const model_event *rev = fx__return_at(exit, &rb, &ri);
    if (!rev || exit.tu != ti->tu || exit.func != ti->func || !fx__return_ok(rev, NULL, false))
        return;
    const model_tu *tu = ti->tu;
    const model_func *fn = &tu->funcs[ti->func];
    model_obj_id cls = fx__cls(tu, wev->obj);
    /* the task's own tt_wg_done calls on that wait group: all written alike */
    char text[256] = "", one[256];
    const model_val *root = NULL;
    for (size_t b = 0; b < fn->nblocks; b++)
        for (size_t e = 0; e < fn->blocks[b].nevents; e++) {
            const model_event *ev = &fn->blocks[b].events[e];
            if (ev->kind != MODEL_EV_WG_DONE)
                continue;
            if (fx__cls(tu, ev->obj) != cls || ev->nvals < 1 || !fx_val_text(ev->vals[0], one, sizeof one) ||
                (text[0] && strcmp(text, one) != 0))
                return;
            memcpy(text, one, sizeof text);
            root = fx_root_var(ev->vals[0]);
        }
    model_loc anchor;
    fx_nodone nd = { tu, cls };
    if (!text[0] || !root || !fx__root_ready(tu, fn, root, rb, ri, &anchor) ||
        !fx_holds_at(tu, fn, rb, ri, true, MODEL_NO_OBJ, fx__nodone_tr, &nd))
        return;
    char stmt[320];
    snprintf(stmt, sizeof stmt, "tt_wg_done(%s);", text);
    diag_fixit *x = diag_add_stmt_fixit(d, DIAG_FIXIT_BEFORE_STMT, rev->loc, stmt, note);
    x->scope = anchor;
}

/* ---- a done case for a select ----------------------------------------------------- */

/* How many event operands are the result of event id itself; *store: the
 * ASSIGN that stores it whole, if one does. */
static size_t fx__result_uses(const model_func *fn, int32_t id, const model_event **store)
{
    size_t n = 0;
    *store = NULL;
    for (size_t b = 0; b < fn->nblocks; b++)
        for (size_t e = 0; e < fn->blocks[b].nevents; e++) {
            const model_event *ev = &fn->blocks[b].events[e];
            for (size_t k = 0; k < ev->nvals; k++) {
                const model_val *v = ev->vals[k];
                if (v->kind == MODEL_VAL_RESULT && v->num == id) {
                    n++;
                    if (ev->kind == MODEL_EV_ASSIGN && k == 1)
                        *store = ev;
                }
            }
        }
    return n;
}

/* Whether value v (anywhere inside) reads the result of event id. */
static bool fx__reads(const model_val *v, int32_t id)
{
    if (!v)
        return false;
    if (v->kind == MODEL_VAL_RESULT && v->num == id)
        return true;
    for (size_t i = 0; i < v->nsub; i++)
        if (fx__reads(v->sub[i], id))
            return true;
    return false;
}

/* Every read of the result of event id in fn (conditions, operands, callees). */
static size_t fx__reads_in(const model_func *fn, int32_t id)
{
    size_t n = 0;
    for (size_t b = 0; b < fn->nblocks; b++) {
        n += fx__reads(fn->blocks[b].cond, id);
        for (size_t e = 0; e < fn->blocks[b].nevents; e++) {
            const model_event *ev = &fn->blocks[b].events[e];
            n += fx__reads(ev->fn, id);
            for (size_t k = 0; k < ev->nvals; k++)
                n += fx__reads(ev->vals[k], id);
            for (size_t c = 0; c < ev->ncases; c++)
                n += fx__reads(ev->cases[c].ch, id) + fx__reads(ev->cases[c].elem, id);
        }
    }
    return n;
}

/* The expression of a done channel or context the owner closes or cancels
 * on the finding's path, as the select's function can write it: *is_ctx
 * tells which. */
static bool fx__done_expr(const eng_finding *f, uint32_t task, eng_site sel, char *out, size_t size, bool *is_ctx,
                          uint32_t *block, uint32_t *index, model_loc *anchor)
{
    const model_event *sev = ru_ev(sel);
    const model_tu *tu = sel.tu;
    const eng_task_info *ti = &f->tasks[task];
    for (uint32_t oi = 0; oi < f->nobjs; oi++) {
        const eng_obj_info *o = &f->objs[oi];
        bool ctx = o->kind == ENG_OBJ_CTX && o->canceled;
        bool chan = o->kind == ENG_OBJ_CHAN && o->closed && !o->ctx_done && !o->ticker_chan && !o->after;
        if (!(ctx || chan) || o->made.tu != tu)
            continue;
        bool watched = false; /* already a case of this select */
        for (uint32_t k = 0; k < ti->nchan; k++)
            watched |= ti->chan[k] == oi;
        const model_event *mev = ru_ev(o->made);
        if (watched || !mev || mev->obj == MODEL_NO_OBJ ||
            mev->kind != (ctx ? MODEL_EV_CTX_NEW : MODEL_EV_CHAN_NEW))
            continue;
        model_obj_id cls = fx__cls(tu, mev->obj);
        const model_obj *mo = &tu->objs[mev->obj];
        /* a parameter or local of the select's function that is that object */
        for (size_t k = 0; k < tu->nobjs; k++) {
            const model_obj *c = &tu->objs[k];
            if (c->func != sel.func || (c->scope != MODEL_SCOPE_PARAM && c->scope != MODEL_SCOPE_LOCAL) ||
                fx__cls(tu, (model_obj_id)k) != cls || !c->name || strchr(c->name, '('))
                continue;
            model_val root = { .kind = MODEL_VAL_VAR, .scope = c->scope, .name = c->name };
            if (!fx__root_ready(tu, eng_site_func(sel), &root, *block, *index, anchor))
                continue;
            int len = snprintf(out, size, "%s", c->name);
            if (len < 0 || (size_t)len >= size)
                continue;
            *is_ctx = ctx;
            return true;
        }
        /* a field of the struct another case's channel is a field of */
        if (mo->scope != MODEL_SCOPE_FIELD || !mo->tag)
            continue;
        for (size_t k = 0; k < sev->ncases; k++) {
            const model_val *ch = sev->cases[k].ch;
            model_obj_id co = sev->cases[k].obj;
            char base[256];
            if (!ch || ch->kind != MODEL_VAL_FIELD || co == MODEL_NO_OBJ || tu->objs[co].scope != MODEL_SCOPE_FIELD ||
                !tu->objs[co].tag || strcmp(tu->objs[co].tag, mo->tag) != 0 ||
                !fx_val_text(ch->sub[0], base, sizeof base))
                continue;
            int len = snprintf(out, size, "%s%s%s", base, ch->arrow ? "->" : ".", mo->name);
            if (len < 0 || (size_t)len >= size)
                continue;
            *anchor = (model_loc){ 0, 0 };
            *is_ctx = ctx;
            return true;
        }
    }
    return false;
}

void fx_select_done(diag *d, size_t note, const eng_finding *f, uint32_t task, eng_site sel)
{
    const model_event *ev = ru_ev(sel);
    const model_func *fn = eng_site_func(sel);
    const eng_task_info *ti = &f->tasks[task];
    if (!ev || !fn || ev->kind != MODEL_EV_SELECT || ev->has_default || ev->ncases == 0 ||
        !(ev->flags & MODEL_EVF_NUM_KNOWN) || ev->num != (int64_t)ev->ncases || !ev->num_begin.line ||
        ti->tu != sel.tu || ti->func != sel.func || ev->nvals < 1 || ev->vals[0]->kind != MODEL_VAL_VAR)
        return;
    /* the cases come from one initializer of the array the select is given */
    const char *arr = ev->vals[0]->name;
    size_t inits = 0;
    for (size_t b = 0; b < fn->nblocks; b++)
        for (size_t e = 0; e < fn->blocks[b].nevents; e++) {
            const model_event *a = &fn->blocks[b].events[e];
            if (a->kind == MODEL_EV_ASSIGN && a->nvals == 2 && a->vals[0]->kind == MODEL_VAL_VAR &&
                strcmp(a->vals[0]->name, arr) == 0)
                inits += a->vals[1]->kind == MODEL_VAL_INIT && a->vals[1]->nsub == ev->ncases ? 1 : 100;
        }
    for (size_t k = 0; k < ev->ncases; k++)
        if (!ev->cases[k].loc.line)
            return;
    if (inits != 1)
        return;
    char expr[256], casetext[320], count[32], stmt[320];
    bool is_ctx = false;
    uint32_t block = sel.block, index = sel.index;
    model_loc anchor = { 0, 0 };
    if (!fx__done_expr(f, task, sel, expr, sizeof expr, &is_ctx, &block, &index, &anchor))
        return;
    snprintf(casetext, sizeof casetext, is_ctx ? "TT_RECV(tt_ctx_done(%s), NULL)" : "TT_RECV(%s, NULL)", expr);
    snprintf(count, sizeof count, "%zu", ev->ncases + 1);
    /* what the select's result does: nothing (a statement of its own), or
     * it is stored whole in a variable */
    const model_event *store = NULL;
    size_t uses = fx__result_uses(fn, ev->id, &store);
    size_t reads = fx__reads_in(fn, ev->id);
    diag_fixit *x;
    if (reads == 0) {
        snprintf(stmt, sizeof stmt, " == %zu)\nreturn;", ev->ncases);
        x = diag_add_stmt_fixit(d, DIAG_FIXIT_STMT_END, ev->loc, stmt, note);
    } else if (reads == 1 && uses == 1 && store && store->vals[0]->kind == MODEL_VAL_VAR &&
               store->vals[0]->scope == MODEL_SCOPE_LOCAL && !store->vals[0]->is_array) {
        snprintf(stmt, sizeof stmt, "if (%s == %zu)\nreturn;", store->vals[0]->name, ev->ncases);
        x = diag_add_stmt_fixit(d, DIAG_FIXIT_AFTER_STMT, store->loc, stmt, note);
    } else {
        return;
    }
    x->void_fn = fn->loc;
    x->scope = anchor;
    diag_add_stmt_fixit(d, DIAG_FIXIT_APPEND_INIT, ev->cases[ev->ncases - 1].loc, casetext, note);
    diag_add_fixit_in(d, NULL, ev->num_begin, ev->num_end, count, note);
    if (reads == 0)
        diag_add_fixit_in(d, NULL, ev->loc, ev->loc, "if (", note);
}
