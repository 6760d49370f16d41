/* cancel_not_called.c — cancel-not-called: a context made with
 * tt_ctx_with_cancel or tt_ctx_with_timeout that is never canceled on some
 * path (go vet's lostcancel), unless it leaves the program's hands; and,
 * from the model alone, a creation whose result is thrown away. */
#include <string.h>

#include "fixit.h"
#include "rule.h"
#include "rule_util.h"

static const char *const RULE_ID = "cancel-not-called";

static bool val_uses_result(const model_val *v, int32_t id)
{
    if (!v)
        return false;
    if (v->kind == MODEL_VAL_RESULT && v->num == id)
        return true;
    for (size_t i = 0; i < v->nsub; i++)
        if (val_uses_result(v->sub[i], id))
            return true;
    return false;
}

/* Whether the result of creation ev in fn is used at all. */
static bool result_used(const model_func *fn, const model_event *made)
{
    if (made->obj != MODEL_NO_OBJ)
        return true;
    for (size_t b = 0; b < fn->nblocks; b++) {
        if (val_uses_result(fn->blocks[b].cond, made->id))
            return true;
        for (size_t e = 0; e < fn->blocks[b].nevents; e++) {
            const model_event *ev = &fn->blocks[b].events[e];
            if (val_uses_result(ev->fn, made->id))
                return true;
            for (size_t i = 0; i < ev->nvals; i++)
                if (val_uses_result(ev->vals[i], made->id))
                    return true;
            for (size_t c = 0; c < ev->ncases; c++)
                if (val_uses_result(ev->cases[c].ch, made->id))
                    return true;
        }
    }
    return false;
}

static const char *maker(const model_event *ev)
{
    return ev->flags & MODEL_EVF_TIMEOUT ? "tt_ctx_with_timeout" : "tt_ctx_with_cancel";
}

static void discarded(const rule_input *in, diag_list *out)
{
    for (size_t t = 0; t < in->ntus; t++)
        for (size_t fi = 0; fi < in->tus[t]->nfuncs; fi++) {
            const model_func *fn = &in->tus[t]->funcs[fi];
            for (size_t b = 0; b < fn->nblocks; b++)
                for (size_t e = 0; e < fn->blocks[b].nevents; e++) {
                    const model_event *ev = &fn->blocks[b].events[e];
                    if (ev->kind != MODEL_EV_CTX_NEW || result_used(fn, ev))
                        continue;
                    eng_site s = { in->tus[t], (int32_t)fi, (uint32_t)b, (uint32_t)e };
                    diag *d = ru_warn(out, RULE_ID, -1, s,
                                      "the context made here is never canceled: the result of %s is discarded", maker(ev));
                    diag_set_hint(d, "keep the context and call tt_ctx_cancel on it when done");
                }
        }
}

static int run(const rule_input *in, diag_list *out)
{
    for (size_t i = 0; i < in->eng->nfindings; i++) {
        const eng_finding *f = &in->eng->findings[i];
        if (f->kind != ENG_CTX_LEAK || f->obj == RU_NONE)
            continue;
        const eng_obj_info *o = &f->objs[f->obj];
        const model_event *made = ru_ev(o->made);
        const model_func *fn = eng_site_func(o->made);
        if (!made || !fn || !result_used(fn, made))
            continue; /* a discarded result is reported on its own */
        const char *name = made->text;
        diag *d = name ? ru_warn(out, RULE_ID, (int)i, o->made, "context '%s' is not canceled on every path", name)
                       : ru_warn(out, RULE_ID, (int)i, o->made, "the context made here is not canceled on every path");
        size_t ret = ru_maker_return(f, o->made);
        if (ret != RU_NONE) {
            if (name)
                ru_note(d, f->steps[ret].site, "'%s' leaks when the function returns here", name);
            else
                ru_note(d, f->steps[ret].site, "it leaks when the function returns here");
            fx_ctx_cancel(d, d->nnotes, f->steps[ret].site, o->made);
        }
        if (name)
            diag_set_hint(d, "call tt_ctx_cancel(%s) on every path, e.g. at a single exit label", name);
        else
            diag_set_hint(d, "keep the context in a variable and call tt_ctx_cancel on it on every path");
    }
    discarded(in, out);
    return 0;
}

const rule rule_cancel_not_called = {
    .id = "cancel-not-called",
    .summary = "A context made with tt_ctx_with_cancel or tt_ctx_with_timeout is not canceled on some path.",
    .rank = 9,
    .run = run,
};
