/* model_tape.c — recording and replaying the calls a front end makes on a
 * model's objects while it builds one function (model_tape.h). */
#include "model/model_impl.h"
#include "model/model_tape.h"

#include <stdlib.h>
#include <string.h>

typedef struct tape_entry {
    tape_call call;     /* ids in a and b are slots */
    int32_t slot;       /* the result's slot; -1 for ALIAS and KIND */
} tape_entry;

struct model_tape {
    tape_entry *v;
    size_t n, cap;
    model_obj_id *ids;  /* slot -> the id it had when recorded */
    size_t nslots, capslots;
    bool bad;           /* an id from outside the tape was used */
};

static char *tape_strdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    return memcpy(xmalloc(n), s, n);
}

static int32_t slot_of(const model_tape *t, model_obj_id id)
{
    for (size_t i = t->nslots; i-- > 0;)
        if (t->ids[i] == id)
            return (int32_t)i;
    return -1;
}

/* An argument's slot; MODEL_NO_OBJ stays so. */
static model_obj_id arg_slot(model_tape *t, model_obj_id id)
{
    if (id == MODEL_NO_OBJ)
        return MODEL_NO_OBJ;
    int32_t s = slot_of(t, id);
    if (s < 0)
        t->bad = true;
    return s;
}

void tape_note(model_tu *tu, const tape_call *call, model_obj_id result)
{
    model_tape *t = tu_impl(tu)->tape;
    grow_array((void **)&t->v, &t->cap, t->n + 1, sizeof *t->v);
    tape_entry *e = &t->v[t->n++];
    e->call = *call;
    e->call.name = tape_strdup(call->name);
    e->call.tag = tape_strdup(call->tag);
    bool uses_a = call->op == TAPE_CTX_DONE || call->op == TAPE_TICKER_CHAN || call->op == TAPE_KIND ||
                  call->op == TAPE_ALIAS;
    e->call.a = uses_a ? arg_slot(t, call->a) : MODEL_NO_OBJ;
    e->call.b = call->op == TAPE_ALIAS ? arg_slot(t, call->b) : MODEL_NO_OBJ;
    e->slot = -1;
    if (result == MODEL_NO_OBJ)
        return;
    e->slot = slot_of(t, result);
    if (e->slot < 0) {
        grow_array((void **)&t->ids, &t->capslots, t->nslots + 1, sizeof *t->ids);
        e->slot = (int32_t)t->nslots;
        t->ids[t->nslots++] = result;
    }
}

void model_tape_start(model_tu *tu)
{
    model_tape_free(tu_impl(tu)->tape);
    tu_impl(tu)->tape = xcalloc(1, sizeof(model_tape));
}

model_tape *model_tape_stop(model_tu *tu, int32_t func)
{
    model_tape *t = tu_impl(tu)->tape;
    tu_impl(tu)->tape = NULL;
    if (!t)
        return NULL;
    for (size_t i = 0; i < t->n && !t->bad; i++)
        if ((t->v[i].call.op == TAPE_LOCAL || t->v[i].call.op == TAPE_PARAM) && t->v[i].call.func != func)
            t->bad = true;
    if (t->bad) {
        model_tape_free(t);
        return NULL;
    }
    return t;
}

void model_tape_free(model_tape *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++) {
        free((char *)t->v[i].call.name);
        free((char *)t->v[i].call.tag);
    }
    free(t->v);
    free(t->ids);
    free(t);
}

size_t model_tape_slots(const model_tape *t)
{
    return t->nslots;
}

const model_obj_id *model_tape_ids(const model_tape *t)
{
    return t->ids;
}

/* A name that holds a place (model_name_place) moved with the place;
 * other names kept. */
static bool move_name(const char **name, model_loc_map map, void *ctx)
{
    model_loc at;
    const char *rest;
    size_t prefix = model_name_place(*name, &at, &rest);
    if (!prefix)
        return true;
    model_loc was = at;
    if (!map(ctx, &at))
        return false;
    if (at.line != was.line || at.col != was.col) {
        char *moved = model_name_at(*name, prefix, at, rest);
        free((char *)*name);
        *name = moved;
    }
    return true;
}

bool model_tape_replay(model_tu *tu, model_tape *t, int32_t func, model_loc_map map, void *ctx, model_obj_id *ids)
{
    for (size_t i = 0; i < t->nslots; i++)
        ids[i] = MODEL_NO_OBJ;
    for (size_t i = 0; i < t->n; i++) {
        tape_entry *e = &t->v[i];
        tape_call *c = &e->call;
        model_obj_id a = c->a == MODEL_NO_OBJ ? MODEL_NO_OBJ : ids[c->a];
        model_obj_id b = c->b == MODEL_NO_OBJ ? MODEL_NO_OBJ : ids[c->b];
        if (c->decl.line && !map(ctx, &c->decl))
            return false;
        if (!move_name(&c->name, map, ctx) || !move_name(&c->tag, map, ctx))
            return false;
        model_obj_id r = MODEL_NO_OBJ;
        switch (c->op) {
        case TAPE_LOCAL: r = model_obj_local(tu, func, c->name, c->kind, c->decl); break;
        case TAPE_PARAM: r = model_obj_param_new(tu, func, c->index, c->name, c->kind, c->decl); break;
        case TAPE_GLOBAL: r = model_obj_global(tu, c->name, c->kind, c->decl); break;
        case TAPE_FIELD: r = model_obj_field(tu, c->tag, c->name, c->kind); break;
        case TAPE_CTX_DONE: r = model_obj_ctx_done(tu, a); break;
        case TAPE_TICKER_CHAN: r = model_obj_ticker_chan(tu, a); break;
        case TAPE_AFTER: r = model_obj_after(tu, c->decl); break;
        case TAPE_NULL: r = model_obj_null(tu); break;
        case TAPE_BACKGROUND: r = model_obj_background(tu); break;
        case TAPE_ALIAS: model_obj_alias(tu, a, b); break;
        case TAPE_KIND:
            if (model_obj_kind(tu, a) != c->kind)
                return false; /* the function may have been built otherwise */
            break;
        }
        c->func = func;
        if (e->slot < 0)
            continue;
        if (ids[e->slot] == MODEL_NO_OBJ) {
            /* two slots on one object: the identities the front end saw differ */
            for (size_t s = 0; s < t->nslots; s++)
                if (ids[s] == r)
                    return false;
            ids[e->slot] = r;
        } else if (ids[e->slot] != r) {
            return false;
        }
    }
    return true;
}
