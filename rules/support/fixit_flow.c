/* fixit_flow.c — the model questions behind fix-its (fixit.h): operands
 * as C text, and a must-analysis over a function's control-flow graph. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixit.h"

/* Appends s to buf[*n..size); false when it does not fit. */
static bool fx__cat(char *buf, size_t size, size_t *n, const char *s, size_t len)
{
    if (*n + len + 1 > size)
        return false;
    memcpy(buf + *n, s, len);
    *n += len;
    buf[*n] = '\0';
    return true;
}

static bool fx__text(const model_val *v, char *buf, size_t size, size_t *n)
{
    if (!v)
        return false;
    char num[32];
    switch (v->kind) {
    case MODEL_VAL_VAR: {
        /* function-static locals are named "NAME@FUNC" */
        const char *at = strchr(v->name, '@');
        return v->name[0] && fx__cat(buf, size, n, v->name, at ? (size_t)(at - v->name) : strlen(v->name));
    }
    case MODEL_VAL_INT:
        snprintf(num, sizeof num, "%" PRId64, v->num);
        return fx__cat(buf, size, n, num, strlen(num));
    case MODEL_VAL_FIELD: {
        const model_val *b = v->sub[0];
        if (!b || !(b->kind == MODEL_VAL_VAR || b->kind == MODEL_VAL_FIELD || b->kind == MODEL_VAL_INDEX))
            return false;
        const char *op = v->arrow ? "->" : ".";
        return fx__text(b, buf, size, n) && fx__cat(buf, size, n, op, strlen(op)) &&
               fx__cat(buf, size, n, v->name, strlen(v->name));
    }
    case MODEL_VAL_INDEX: {
        const model_val *b = v->sub[0], *i = v->sub[1];
        if (!b || !i || !(b->kind == MODEL_VAL_VAR || b->kind == MODEL_VAL_FIELD || b->kind == MODEL_VAL_INDEX) ||
            !(i->kind == MODEL_VAL_INT || i->kind == MODEL_VAL_VAR))
            return false;
        return fx__text(b, buf, size, n) && fx__cat(buf, size, n, "[", 1) && fx__text(i, buf, size, n) &&
               fx__cat(buf, size, n, "]", 1);
    }
    case MODEL_VAL_ADDR:
    case MODEL_VAL_DEREF: {
        const model_val *s = v->sub[0];
        if (!s || !(s->kind == MODEL_VAL_VAR || s->kind == MODEL_VAL_FIELD || s->kind == MODEL_VAL_INDEX))
            return false;
        return fx__cat(buf, size, n, v->kind == MODEL_VAL_ADDR ? "&" : "*", 1) && fx__text(s, buf, size, n);
    }
    default:
        return false;
    }
}

bool fx_val_text(const model_val *v, char *buf, size_t size)
{
    size_t n = 0;
    if (size)
        buf[0] = '\0';
    return fx__text(v, buf, size, &n);
}

const model_val *fx_root_var(const model_val *v)
{
    while (v && (v->kind == MODEL_VAL_FIELD || v->kind == MODEL_VAL_ADDR || v->kind == MODEL_VAL_DEREF ||
                 v->kind == MODEL_VAL_INDEX))
        v = v->sub[0];
    return v && v->kind == MODEL_VAL_VAR ? v : NULL;
}

bool fx_val_uses(const model_val *v, const char *name, bool *calls)
{
    if (!v)
        return false;
    bool hit = false;
    if (v->kind == MODEL_VAL_RESULT || v->kind == MODEL_VAL_API)
        *calls = true;
    if (v->kind == MODEL_VAL_VAR && name && strcmp(v->name, name) == 0)
        hit = true;
    for (size_t i = 0; i < v->nsub; i++)
        hit |= fx_val_uses(v->sub[i], name, calls);
    return hit;
}

static bool fx__has(const model_tu *tu, int32_t func, model_ev_kind k, int depth)
{
    if (func < 0 || (size_t)func >= tu->nfuncs)
        return false;
    if (depth > 4)
        return true; /* too deep to tell: it may */
    const model_func *fn = &tu->funcs[func];
    for (size_t b = 0; b < fn->nblocks; b++)
        for (size_t e = 0; e < fn->blocks[b].nevents; e++) {
            const model_event *ev = &fn->blocks[b].events[e];
            if (ev->kind == k)
                return true;
            if ((ev->kind == MODEL_EV_CALL || ev->kind == MODEL_EV_SPAWN) && ev->callee_func >= 0 &&
                ev->callee_func != func && fx__has(tu, ev->callee_func, k, depth + 1))
                return true;
        }
    return false;
}

bool fx_func_has(const model_tu *tu, int32_t func, model_ev_kind k)
{
    return fx__has(tu, func, k, 0);
}

/* States of the fact at a block's entry. */
enum { FX_UNREACHED = 0, FX_YES, FX_NO };

static int fx__join(int a, int b)
{
    if (a == FX_UNREACHED)
        return b;
    if (b == FX_UNREACHED)
        return a;
    return a == FX_YES && b == FX_YES ? FX_YES : FX_NO;
}

/* The state after the events of block b from its start up to (not
 * including) event `stop`. */
static int fx__run_block(const model_func *fn, uint32_t b, size_t stop, int st, fx_transfer tr, void *ctx)
{
    const model_block *bl = &fn->blocks[b];
    for (size_t e = 0; e < stop && e < bl->nevents; e++) {
        fx_effect x = tr(&bl->events[e], b, (uint32_t)e, ctx);
        if (x == FX_GEN)
            st = FX_YES;
        else if (x == FX_KILL)
            st = FX_NO;
    }
    return st;
}

bool fx_holds_at(const model_tu *tu, const model_func *fn, uint32_t block, uint32_t index, bool at_entry,
                 model_obj_id null_obj, fx_transfer tr, void *ctx)
{
    if (block >= fn->nblocks)
        return false;
    int *in = calloc(fn->nblocks, sizeof *in);
    uint32_t *work = malloc((fn->nblocks + 1) * sizeof *work);
    uint8_t *queued = calloc(fn->nblocks, 1);
    size_t n = 0;
    in[fn->entry] = at_entry ? FX_YES : FX_NO;
    work[n++] = fn->entry;
    queued[fn->entry] = 1;
    model_obj_id null_cls = null_obj == MODEL_NO_OBJ ? MODEL_NO_OBJ : model_obj_canon(tu, null_obj);
    while (n) {
        uint32_t b = work[--n];
        queued[b] = 0;
        const model_block *bl = &fn->blocks[b];
        int out = fx__run_block(fn, b, bl->nevents, in[b], tr, ctx);
        const model_event *last = bl->nevents ? &bl->events[bl->nevents - 1] : NULL;
        for (size_t s = 0; s < bl->nsucc; s++) {
            int st = out;
            /* the branch of `if (!t)` / `if (t == NULL)` where the object is NULL */
            if (last && last->kind == MODEL_EV_NULL_TEST && null_cls != MODEL_NO_OBJ && last->obj != MODEL_NO_OBJ &&
                model_obj_canon(tu, last->obj) == null_cls && bl->nsucc == 2) {
                bool then_null = last->num == 0;
                if ((s == 0) == then_null)
                    st = FX_NO;
            }
            uint32_t sb = bl->succ[s];
            int j = fx__join(in[sb], st);
            if (j != in[sb]) {
                in[sb] = j;
                if (!queued[sb]) {
                    queued[sb] = 1;
                    work[n++] = sb;
                }
            }
        }
    }
    int at = in[block] == FX_UNREACHED ? FX_NO : fx__run_block(fn, block, index, in[block], tr, ctx);
    free(in);
    free(work);
    free(queued);
    return at == FX_YES;
}
