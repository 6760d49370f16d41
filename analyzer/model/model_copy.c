/* model_copy.c — a function's model copied into another model (model_tape.h):
 * every string and array into the destination's arena, object ids through
 * a map, lines moved by a delta. Predecessors are left for model_finish. */
#include "model/model_impl.h"
#include "model/model_tape.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct copier {
    model_tu *dst;
    const model_obj_id *map;
    size_t nmap;
    int32_t delta;
    bool ok;
} copier;

size_t model_name_place(const char *name, model_loc *at, const char **rest)
{
    static const char *const prefixes[] = { "(spawn arg@", "(anonymous at " };
    for (size_t i = 0; name && i < sizeof prefixes / sizeof *prefixes; i++) {
        size_t k = strlen(prefixes[i]);
        int used = 0;
        if (strncmp(name, prefixes[i], k) == 0 && sscanf(name + k, "%u:%u%n", &at->line, &at->col, &used) == 2) {
            *rest = name + k + used;
            return k;
        }
    }
    return 0;
}

char *model_name_at(const char *name, size_t prefix, model_loc at, const char *rest)
{
    size_t n = prefix + 2 * 11 + strlen(rest) + 2;
    char *s = xmalloc(n);
    snprintf(s, n, "%.*s%u:%u%s", (int)prefix, name, at.line, at.col, rest);
    return s;
}

const char *model_name_moved(model_tu *dst, const char *s, int32_t delta)
{
    model_loc at;
    const char *rest;
    size_t prefix = delta ? model_name_place(s, &at, &rest) : 0;
    if (!prefix)
        return arena_strdup(dst->arena, s);
    at.line = (uint32_t)((int32_t)at.line + delta);
    char *moved = model_name_at(s, prefix, at, rest);
    const char *out = arena_strdup(dst->arena, moved);
    free(moved);
    return out;
}

static const char *cp_str(copier *c, const char *s)
{
    return model_name_moved(c->dst, s, c->delta);
}

static model_loc cp_loc(const copier *c, model_loc l)
{
    if (l.line)
        l.line = (uint32_t)((int32_t)l.line + c->delta);
    return l;
}

static model_obj_id cp_obj(copier *c, model_obj_id id)
{
    if (id == MODEL_NO_OBJ)
        return id;
    if (id < 0 || (size_t)id >= c->nmap || c->map[id] < 0) {
        c->ok = false;
        return MODEL_NO_OBJ;
    }
    return c->map[id];
}

static void *cp_mem(copier *c, const void *src, size_t size)
{
    if (!src || !size)
        return NULL;
    void *p = arena_alloc(c->dst->arena, size);
    memcpy(p, src, size);
    return p;
}

static model_val *cp_val(copier *c, const model_val *v)
{
    if (!v)
        return NULL;
    model_val *out = cp_mem(c, v, sizeof *v);
    out->name = cp_str(c, v->name);
    if (v->nsub) {
        out->sub = arena_alloc(c->dst->arena, v->nsub * sizeof *out->sub);
        for (size_t i = 0; i < v->nsub; i++)
            out->sub[i] = cp_val(c, v->sub[i]);
    }
    if (v->names) {
        out->names = arena_alloc(c->dst->arena, v->nsub * sizeof *out->names);
        for (size_t i = 0; i < v->nsub; i++)
            out->names[i] = cp_str(c, v->names[i]);
    }
    return out;
}

model_val *model_val_copy(model_tu *dst, const model_val *v, int32_t line_delta)
{
    copier c = { dst, NULL, 0, line_delta, true };
    return cp_val(&c, v);
}

static void cp_event(copier *c, model_event *out, const model_event *ev)
{
    *out = *ev;
    out->loc = cp_loc(c, ev->loc);
    out->obj = cp_obj(c, ev->obj);
    out->text = cp_str(c, ev->text);
    out->obj2 = cp_obj(c, ev->obj2);
    out->num_begin = cp_loc(c, ev->num_begin);
    out->num_end = cp_loc(c, ev->num_end);
    out->callee = cp_str(c, ev->callee);
    out->select_loc = cp_loc(c, ev->select_loc);
    if (ev->args) {
        out->args = arena_alloc(c->dst->arena, ev->nargs * sizeof *out->args);
        for (size_t i = 0; i < ev->nargs; i++)
            out->args[i] = cp_obj(c, ev->args[i]);
    }
    if (ev->arg_texts) {
        out->arg_texts = arena_alloc(c->dst->arena, ev->nargs * sizeof *out->arg_texts);
        for (size_t i = 0; i < ev->nargs; i++)
            out->arg_texts[i] = cp_str(c, ev->arg_texts[i]);
    }
    if (ev->cases) {
        out->cases = arena_alloc(c->dst->arena, ev->ncases * sizeof *out->cases);
        for (size_t i = 0; i < ev->ncases; i++) {
            const model_case *k = &ev->cases[i];
            out->cases[i] = (model_case){ k->op, cp_obj(c, k->obj), cp_str(c, k->text), cp_loc(c, k->loc),
                                          cp_val(c, k->ch), cp_val(c, k->elem) };
        }
    }
    out->fn = cp_val(c, ev->fn);
    if (ev->vals) {
        out->vals = arena_alloc(c->dst->arena, ev->nvals * sizeof *out->vals);
        for (size_t i = 0; i < ev->nvals; i++)
            out->vals[i] = cp_val(c, ev->vals[i]);
    }
}

model_tu *model_holder_new(void)
{
    model_tu *tu = model_new("(kept function)");
    arena_free(tu->arena);
    tu->arena = arena_new_sized(4096);
    return tu;
}

bool model_func_copy(model_tu *dst, const model_func *src, const model_obj_id *map, size_t nmap,
                     int32_t line_delta)
{
    copier c = { dst, map, nmap, line_delta, true };
    int32_t index = model_add_func(dst);
    model_func *fn = &dst->funcs[index];
    *fn = *src;
    fn->name = cp_str(&c, src->name);
    fn->loc = cp_loc(&c, src->loc);
    fn->end = cp_loc(&c, src->end);
    if (src->nparams) {
        fn->params = arena_alloc(dst->arena, src->nparams * sizeof *fn->params);
        for (size_t i = 0; i < src->nparams; i++)
            fn->params[i] = (model_param){ cp_str(&c, src->params[i].name), cp_obj(&c, src->params[i].obj) };
    }
    fn->blocks = arena_alloc(dst->arena, (src->nblocks ? src->nblocks : 1) * sizeof *fn->blocks);
    for (size_t b = 0; b < src->nblocks; b++) {
        const model_block *sb = &src->blocks[b];
        model_block *db = &fn->blocks[b];
        *db = *sb;
        db->pred = NULL;
        db->npred = 0;
        db->loc = cp_loc(&c, sb->loc);
        db->succ = cp_mem(&c, sb->succ, sb->nsucc * sizeof *sb->succ);
        db->cond = cp_val(&c, sb->cond);
        if (sb->nevents) {
            db->events = arena_alloc(dst->arena, sb->nevents * sizeof *db->events);
            for (size_t e = 0; e < sb->nevents; e++)
                cp_event(&c, &db->events[e], &sb->events[e]);
        }
    }
    if (!c.ok)
        dst->nfuncs--; /* dropped: its arena memory stays until dst is freed */
    return c.ok;
}
