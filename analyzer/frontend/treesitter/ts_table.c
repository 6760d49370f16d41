/* ts_table.c — one hash table for every name the front end resolves:
 * macros, enum constants, typedefs, struct fields, globals, functions and
 * the current function's locals (keyed into the source text, no copies). */
#include "ts_internal.h"

#include <stdlib.h>
#include <string.h>

static uint64_t hash(ts_ns ns, const char *k, uint32_t len, const char *k2, uint32_t len2)
{
    uint64_t h = 1469598103934665603ull ^ (uint64_t)ns;
    for (uint32_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)k[i]) * 1099511628211ull;
    h = (h ^ 0xff) * 1099511628211ull;
    for (uint32_t i = 0; i < len2; i++)
        h = (h ^ (unsigned char)k2[i]) * 1099511628211ull;
    return h;
}

static bool same(const ts_entry *e, ts_ns ns, const char *k, uint32_t len, const char *k2, uint32_t len2)
{
    return e->ns == ns && e->len == len && e->len2 == len2 && memcmp(e->key, k, len) == 0 &&
           (len2 == 0 || memcmp(e->key2, k2, len2) == 0);
}

static ts_entry **slot(ts_ctx *c, ts_ns ns, const char *k, uint32_t len, const char *k2, uint32_t len2)
{
    size_t mask = c->nslots - 1;
    for (size_t i = hash(ns, k, len, k2, len2) & mask;; i = (i + 1) & mask) {
        ts_entry *e = c->slots[i];
        if (!e || same(e, ns, k, len, k2, len2))
            return &c->slots[i];
    }
}

static void grow(ts_ctx *c)
{
    ts_entry **old = c->slots;
    size_t n = c->nslots;
    c->nslots = n ? n * 2 : 256;
    c->slots = xcalloc(c->nslots, sizeof *c->slots);
    for (size_t i = 0; i < n; i++)
        if (old[i])
            *slot(c, old[i]->ns, old[i]->key, old[i]->len, old[i]->key2, old[i]->len2) = old[i];
    free(old);
}

ts_entry *ts_find(ts_ctx *c, ts_ns ns, const char *key, uint32_t len, const char *key2, uint32_t len2)
{
    if (!c->nslots)
        return NULL;
    ts_entry *e = *slot(c, ns, key, len, key2, len2);
    if (e && ns == NS_LOCAL && e->gen != c->gen)
        return NULL;
    return e;
}

/* Get-or-create; a stale local of an earlier function is recycled. */
ts_entry *ts_add(ts_ctx *c, ts_ns ns, const char *key, uint32_t len, const char *key2, uint32_t len2)
{
    if (ns != NS_LOCAL)
        c->table_writes++;
    if ((c->used + 1) * 4 >= c->nslots * 3)
        grow(c);
    ts_entry **s = slot(c, ns, key, len, key2, len2);
    if (*s) {
        if (ns == NS_LOCAL && (*s)->gen != c->gen) {
            ts_entry *e = *s;
            memset(e, 0, sizeof *e);
            e->ns = ns, e->key = key, e->len = len, e->key2 = key2, e->len2 = len2;
            e->gen = c->gen;
            e->obj = MODEL_NO_OBJ;
        }
        return *s;
    }
    ts_entry *e = arena_alloc(c->arena, sizeof *e);
    e->ns = ns, e->key = key, e->len = len, e->key2 = key2, e->len2 = len2;
    e->gen = c->gen;
    e->obj = MODEL_NO_OBJ;
    *s = e;
    c->used++;
    return e;
}

ts_entry *ts_find_node(ts_ctx *c, ts_ns ns, TSNode n)
{
    uint32_t len;
    const char *t = ts_text(c, n, &len);
    return ts_find(c, ns, t, len, NULL, 0);
}

ts_entry *ts_find_var(ts_ctx *c, TSNode ident)
{
    uint32_t len;
    const char *t = ts_text(c, ident, &len);
    ts_entry *e = c->b ? ts_find(c, NS_LOCAL, t, len, NULL, 0) : NULL;
    return e ? e : ts_find(c, NS_GLOBAL, t, len, NULL, 0);
}
