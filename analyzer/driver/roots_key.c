/* roots_key.c — a program's functions as comparable text, and what each
 * root reaches (roots.h). */
#include "driver/roots.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver/util.h"

/* The objects of one dump: each line without its number and alias, and
 * the number of its alias class's representative. */
typedef struct key_objs {
    const char **line;
    size_t *len;
    long *canon;
    size_t n;
} key_objs;

/* "LINE:COL" at p: its length, else 0. */
static size_t key__position(const char *p, const char *end, unsigned long *line, unsigned long *col)
{
    const char *q = p;
    *line = *col = 0;
    while (q < end && isdigit((unsigned char)*q))
        *line = *line * 10 + (unsigned long)(*q++ - '0');
    if (q == p || q + 1 >= end || *q != ':' || !isdigit((unsigned char)q[1]))
        return 0;
    for (q++; q < end && isdigit((unsigned char)*q); q++)
        *col = *col * 10 + (unsigned long)(*q - '0');
    return (size_t)(q - p);
}

static void key__text(FILE *out, const char *s, size_t len, long base, bool strip, const key_objs *o, int depth);

static void key__obj(FILE *out, long id, long base, bool strip, const key_objs *o, int depth)
{
    if (id < 0 || (size_t)id >= o->n || depth > 2) {
        fprintf(out, "#%ld", id);
        return;
    }
    /* Where a local, a parameter or a tt_after is is part of its function;
     * where a global or a field was first seen is not (the engine knows
     * them by name), and may be in code that moved. */
    const char *l = o->line[id];
    bool own = strncmp(l, "local ", 6) == 0 || strncmp(l, "param ", 6) == 0 || strncmp(l, "after ", 6) == 0;
    fputc('{', out);
    key__text(out, l, o->len[id], base, strip || !own, o, depth + 1);
    if (o->canon[id] != id) {
        fputs(" = ", out);
        key__obj(out, o->canon[id], base, strip, o, depth + 1);
    }
    fputc('}', out);
}

/* s with positions relative to line base (or none when strip) and objects
 * written out. */
static void key__text(FILE *out, const char *s, size_t len, long base, bool strip, const key_objs *o, int depth)
{
    const char *end = s + len, *run = s; /* run: what is to be copied as it is */
    for (const char *p = s; p < end;) {
        char prev = p > s ? p[-1] : ' ';
        unsigned long line, col;
        size_t m;
        if (*p == '#' && p + 1 < end && isdigit((unsigned char)p[1])) {
            fwrite(run, 1, (size_t)(p - run), out);
            char *after;
            long id = strtol(p + 1, &after, 10);
            key__obj(out, id, base, strip, o, depth);
            p = run = after;
        } else if ((prev == ' ' || prev == '@' || prev == '-') && (m = key__position(p, end, &line, &col)) != 0) {
            fwrite(run, 1, (size_t)(p - run), out);
            if (line == 0)
                fputs("~", out);
            else if (strip)
                fputs("?", out);
            else
                fprintf(out, "%ld:%lu", (long)line - base, col);
            p = run = p + m;
        } else {
            p++;
        }
    }
    fwrite(run, 1, (size_t)(end - run), out);
}

/* The objects section of dump text [s, end): fills o; returns where the
 * functions start. */
static const char *key__objects(const char *s, const char *end, key_objs *o)
{
    memset(o, 0, sizeof *o);
    size_t cap = 0;
    const char *p = s;
    for (const char *nl; p < end && strncmp(p, "func ", 5) != 0; p = nl + 1) {
        nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            nl = end;
        if (strncmp(p, "  #", 3) != 0)
            continue;
        char *after;
        long id = strtol(p + 3, &after, 10);
        if (id < 0 || (size_t)id != o->n || *after != ' ')
            continue; /* numbered in order from 0 */
        if (o->n == cap) {
            cap = cap ? cap * 2 : 64;
            o->line = driver_xrealloc(o->line, cap * sizeof *o->line);
            o->len = driver_xrealloc(o->len, cap * sizeof *o->len);
            o->canon = driver_xrealloc(o->canon, cap * sizeof *o->canon);
        }
        const char *b = after + 1, *e = nl;
        long canon = id;
        const char *alias = NULL;
        for (const char *q = b; q + 3 < e; q++)
            if (q[0] == ' ' && q[1] == '=' && q[2] == ' ' && q[3] == '#')
                alias = q;
        if (alias) {
            canon = strtol(alias + 4, NULL, 10);
            e = alias;
        }
        o->line[o->n] = b;
        o->len[o->n] = (size_t)(e - b);
        o->canon[o->n] = canon;
        o->n++;
    }
    return p;
}

/* The k-th function of tu: which one of its name it is. */
static size_t key__occurrence(const model_tu *tu, size_t k)
{
    size_t n = 0;
    for (size_t i = 0; i < k; i++)
        n += strcmp(tu->funcs[i].name, tu->funcs[k].name) == 0;
    return n;
}

static void key__tu(roots_prog *p, unsigned t, const model_tu *tu, const driver_dump *given)
{
    driver_dump own = given ? *given : driver_dump_model(tu);
    const char *dump = own.text, *end = dump + own.len;
    key_objs o;
    const char *q = key__objects(dump, end, &o);
    for (size_t k = 0; k < tu->nfuncs; k++) {
        roots_fn *fn = &p->fns[p->nfns++];
        fn->tu = t;
        fn->func = (int32_t)k;
        fn->id = driver_xasprintf("%u/%s/%zu", t, tu->funcs[k].name, key__occurrence(tu, k));
        fn->pseudo = tu->funcs[k].name[0] == '(';
        /* its section: from its "func " line to the next one */
        const char *b = q, *e = q;
        while (e < end) {
            const char *nl = memchr(e, '\n', (size_t)(end - e));
            e = nl ? nl + 1 : end;
            if (e < end && strncmp(e, "func ", 5) == 0)
                break;
        }
        q = e;
        char *text = NULL;
        size_t tlen = 0;
        FILE *out = open_memstream(&text, &tlen);
        if (!out)
            abort();
        key__text(out, b, (size_t)(e - b), (long)tu->funcs[k].loc.line, fn->pseudo, &o, 0);
        fclose(out);
        fn->text = text;
    }
    free(o.line);
    free(o.len);
    free(o.canon);
    if (!given)
        free(own.text);
}

typedef struct key_names {
    const roots_prog *p;
    const model_tu *const *tus;
} key_names;

static const char *key__fn_name(const roots_prog *p, const model_tu *const *tus, size_t i)
{
    return tus[p->fns[i].tu]->funcs[p->fns[i].func].name;
}

static int key__cmp_name(const void *a, const void *b, void *ctx)
{
    const key_names *k = ctx;
    return strcmp(key__fn_name(k->p, k->tus, *(const size_t *)a), key__fn_name(k->p, k->tus, *(const size_t *)b));
}

void roots_prog_build(roots_prog *p, const model_tu *const *tus, size_t n, const driver_dump *dumps)
{
    memset(p, 0, sizeof *p);
    size_t total = 0;
    for (size_t t = 0; t < n; t++)
        total += tus[t]->nfuncs;
    p->fns = driver_xmalloc((total + 1) * sizeof *p->fns);
    p->first = driver_xmalloc((n + 1) * sizeof *p->first);
    p->ntus = n;
    for (size_t t = 0; t < n; t++) {
        p->first[t] = p->nfns;
        key__tu(p, (unsigned)t, tus[t], dumps ? &dumps[t] : NULL);
        for (size_t k = 0; k < tus[t]->nfuncs; k++)
            p->closed |= !tus[t]->funcs[k].is_static && strcmp(tus[t]->funcs[k].name, "main") == 0;
    }
    p->by_name = driver_xmalloc((p->nfns + 1) * sizeof *p->by_name);
    for (size_t i = 0; i < p->nfns; i++)
        p->by_name[i] = i;
    key_names k = { p, tus };
    qsort_r(p->by_name, p->nfns, sizeof *p->by_name, key__cmp_name, &k);
}

void roots_prog_free(roots_prog *p)
{
    for (size_t i = 0; i < p->nfns; i++) {
        free(p->fns[i].id);
        free(p->fns[i].text);
    }
    free(p->fns);
    free(p->first);
    free(p->by_name);
    memset(p, 0, sizeof *p);
}

/* ---- reach ---------------------------------------------------------------- */

typedef struct key_walk {
    const roots_prog *p;
    const model_tu *const *tus;
    bool *seen;
    size_t *stack;
    size_t nstack;
} key_walk;

/* Every function named name (in any model: a superset of the engine's
 * lookup, which prefers a static of the same file) is reached. */
static void key__name(key_walk *w, const char *name)
{
    if (!name)
        return;
    size_t lo = 0, hi = w->p->nfns;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(key__fn_name(w->p, w->tus, w->p->by_name[mid]), name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < w->p->nfns && strcmp(key__fn_name(w->p, w->tus, w->p->by_name[lo]), name) == 0; lo++) {
        size_t i = w->p->by_name[lo];
        if (!w->seen[i]) {
            w->seen[i] = true;
            w->stack[w->nstack++] = i;
        }
    }
}

static void key__val(key_walk *w, const model_val *v)
{
    if (!v)
        return;
    if (v->kind == MODEL_VAL_FUNC || (v->kind == MODEL_VAL_VAR && v->scope == MODEL_SCOPE_GLOBAL))
        key__name(w, v->name);
    for (size_t i = 0; i < v->nsub; i++)
        key__val(w, v->sub[i]);
}

static void key__refs(key_walk *w, const model_func *fn)
{
    for (size_t b = 0; b < fn->nblocks; b++) {
        const model_block *bl = &fn->blocks[b];
        key__val(w, bl->cond);
        for (size_t e = 0; e < bl->nevents; e++) {
            const model_event *ev = &bl->events[e];
            if (ev->kind == MODEL_EV_CALL || ev->kind == MODEL_EV_SPAWN)
                key__name(w, ev->callee);
            key__val(w, ev->fn);
            for (size_t i = 0; i < ev->nvals; i++)
                key__val(w, ev->vals[i]);
            for (size_t c = 0; c < ev->ncases; c++) {
                key__val(w, ev->cases[c].ch);
                key__val(w, ev->cases[c].elem);
            }
        }
    }
}

static int key__cmp_id(const void *a, const void *b, void *ctx)
{
    const roots_prog *p = ctx;
    return strcmp(p->fns[*(const size_t *)a].id, p->fns[*(const size_t *)b].id);
}

size_t *roots_reach(const roots_prog *p, const model_tu *const *tus, size_t root, size_t *n)
{
    key_walk w = { p, tus, driver_xmalloc(p->nfns + 1), driver_xmalloc((p->nfns + 1) * sizeof(size_t)), 0 };
    w.seen[root] = true;
    w.stack[w.nstack++] = root;
    for (size_t i = 0; i < p->nfns; i++)
        if (p->fns[i].pseudo && !w.seen[i]) {
            w.seen[i] = true;
            w.stack[w.nstack++] = i;
        }
    while (w.nstack) {
        const roots_fn *fn = &p->fns[w.stack[--w.nstack]];
        key__refs(&w, &tus[fn->tu]->funcs[fn->func]);
    }
    size_t *out = driver_xmalloc((p->nfns + 1) * sizeof *out);
    *n = 0;
    for (size_t i = 0; i < p->nfns; i++)
        if (w.seen[i])
            out[(*n)++] = i;
    qsort_r(out, *n, sizeof *out, key__cmp_id, (void *)p);
    free(w.seen);
    free(w.stack);
    return out;
}
