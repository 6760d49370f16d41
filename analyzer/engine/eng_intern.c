/* eng_intern.c — the engine's per-run tables: a u64 -> u32 map, interned
 * names and paths, canonical ids and event sites. None of it is part of a
 * state: the same name, path or id means the same thing in every state. */
#include "engine/engine_impl.h"

#include <stdlib.h>
#include <string.h>

#include "model/arena.h"

struct eng_map {
    uint64_t *keys;
    uint32_t *vals;
    uint8_t *used;
    size_t cap, n;
};

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return x;
}

eng_map *eng_map_new(void)
{
    eng_map *m = xcalloc(1, sizeof *m);
    m->cap = 64;
    m->keys = xcalloc(m->cap, sizeof *m->keys);
    m->vals = xcalloc(m->cap, sizeof *m->vals);
    m->used = xcalloc(m->cap, 1);
    return m;
}

void eng_map_free(eng_map *m)
{
    if (!m)
        return;
    free(m->keys);
    free(m->vals);
    free(m->used);
    free(m);
}

static size_t map_slot(const eng_map *m, uint64_t key)
{
    size_t mask = m->cap - 1;
    size_t i = (size_t)mix64(key) & mask;
    while (m->used[i] && m->keys[i] != key)
        i = (i + 1) & mask;
    return i;
}

bool eng_map_get(const eng_map *m, uint64_t key, uint32_t *val)
{
    size_t i = map_slot(m, key);
    if (!m->used[i])
        return false;
    *val = m->vals[i];
    return true;
}

void eng_map_put(eng_map *m, uint64_t key, uint32_t val)
{
    if ((m->n + 1) * 4 > m->cap * 3) {
        eng_map old = *m;
        m->cap *= 2;
        m->n = 0;
        m->keys = xcalloc(m->cap, sizeof *m->keys);
        m->vals = xcalloc(m->cap, sizeof *m->vals);
        m->used = xcalloc(m->cap, 1);
        for (size_t i = 0; i < old.cap; i++)
            if (old.used[i])
                eng_map_put(m, old.keys[i], old.vals[i]);
        free(old.keys);
        free(old.vals);
        free(old.used);
    }
    size_t i = map_slot(m, key);
    if (!m->used[i]) {
        m->used[i] = 1;
        m->keys[i] = key;
        m->n++;
    }
    m->vals[i] = val;
}

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

uint32_t eng_name(eng_run_ctx *r, const char *s)
{
    if (!s)
        s = "";
    uint64_t h = hash_str(s);
    /* collisions: probe h, h+1, ... until the stored string matches */
    for (;; h++) {
        uint32_t id;
        if (!eng_map_get(r->name_map, h, &id))
            break;
        if (strcmp(r->names[id], s) == 0)
            return id;
    }
    grow_array((void **)&r->names, &r->namecap, r->nnames + 1, sizeof *r->names);
    size_t n = strlen(s) + 1;
    r->names[r->nnames] = xmalloc(n);
    memcpy(r->names[r->nnames], s, n);
    eng_map_put(r->name_map, h, (uint32_t)r->nnames);
    return (uint32_t)r->nnames++;
}

const char *eng_name_str(const eng_run_ctx *r, uint32_t id)
{
    return id < r->nnames ? r->names[id] : "?";
}

uint32_t eng_path_child(eng_run_ctx *r, uint32_t parent, uint32_t step)
{
    uint64_t key = ((uint64_t)parent << 32) | step;
    uint32_t id;
    if (eng_map_get(r->path_map, key, &id))
        return id;
    grow_array((void **)&r->paths, &r->pathcap, r->npaths + 1, sizeof *r->paths);
    r->paths[r->npaths] = (eng_path){ parent, step, r->paths[parent].depth + 1 };
    eng_map_put(r->path_map, key, (uint32_t)r->npaths);
    return (uint32_t)r->npaths++;
}

bool eng_path_has_prefix(const eng_run_ctx *r, uint32_t p, uint32_t prefix)
{
    uint32_t d = r->paths[prefix].depth;
    while (r->paths[p].depth > d)
        p = r->paths[p].parent;
    return p == prefix;
}

uint32_t eng_path_rebase(eng_run_ctx *r, uint32_t p, uint32_t from, uint32_t to)
{
    if (p == from)
        return to;
    uint32_t steps[64];
    size_t n = 0;
    while (p != from && n < 64 && r->paths[p].depth > 0) {
        steps[n++] = r->paths[p].step;
        p = r->paths[p].parent;
    }
    uint32_t q = to;
    while (n)
        q = eng_path_child(r, q, steps[--n]);
    return q;
}

uint32_t eng_intern_id(eng_run_ctx *r, uint32_t kind, uint32_t a, uint32_t b, uint32_t k)
{
    uint32_t t[4] = { kind, a, b, k };
    uint64_t key = mix64(((uint64_t)kind << 56) ^ ((uint64_t)a << 28) ^ b) ^ mix64((uint64_t)k + 0x9e3779b97f4a7c15ull);
    for (;; key++) { /* probe past hash collisions, checking the tuple */
        uint32_t id;
        if (!eng_map_get(r->id_map, key, &id))
            break;
        if (memcmp(r->id_tuples[id], t, sizeof t) == 0)
            return id;
    }
    uint32_t id = r->next_id++;
    grow_array((void **)&r->id_tuples, &r->id_tuplecap, id + 1, sizeof *r->id_tuples);
    memcpy(r->id_tuples[id], t, sizeof t);
    eng_map_put(r->id_map, key, id);
    return id;
}

uint32_t eng_site_id(eng_run_ctx *r, const model_tu *tu, int32_t func, uint32_t block, uint32_t index)
{
    size_t ti = 0;
    while (ti < r->prog.ntus && r->prog.tus[ti] != tu)
        ti++;
    uint64_t key = ((uint64_t)ti << 48) ^ ((uint64_t)(uint32_t)func << 32) ^ ((uint64_t)block << 14) ^ index;
    uint32_t id;
    if (eng_map_get(r->site_map, key, &id))
        return id;
    grow_array((void **)&r->sites, &r->sitecap, r->nsites + 1, sizeof *r->sites);
    eng_site_rec *rec = &r->sites[r->nsites];
    rec->s = (eng_site){ tu, func, block, index };
    rec->ev = eng_site_event(rec->s);
    eng_map_put(r->site_map, key, (uint32_t)r->nsites);
    return (uint32_t)r->nsites++;
}

const model_event *eng_site_event(eng_site s)
{
    if (!s.tu || s.func < 0 || (size_t)s.func >= s.tu->nfuncs)
        return NULL;
    const model_func *fn = &s.tu->funcs[s.func];
    if (s.block >= fn->nblocks || s.index >= fn->blocks[s.block].nevents)
        return NULL;
    return &fn->blocks[s.block].events[s.index];
}

const model_func *eng_site_func(eng_site s)
{
    if (!s.tu || s.func < 0 || (size_t)s.func >= s.tu->nfuncs)
        return NULL;
    return &s.tu->funcs[s.func];
}
