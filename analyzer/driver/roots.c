/* roots.c — eng_run with the findings of unchanged roots kept from a
 * file's last run (roots.h). */
#include "driver/roots.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "driver/util.h"

/* Files remembered (an editor's open documents); the oldest goes first. */
enum { ROOTS_FILES = 32 };

/* A root of a run and its findings. Kept findings name their models by
 * number, not by pointer (the models are freed after the run): a site's
 * `tu` holds the model's index + 1, cast (never dereferenced). */
typedef struct kept_root {
    size_t fn;                 /* index into the entry's prog.fns */
    size_t *reach;             /* roots_reach of it */
    size_t nreach;
    eng_finding *findings;
    size_t nfindings;
    size_t states, edges;
    bool budget_hit;
} kept_root;

typedef struct roots_entry {
    char *path;
    roots_prog prog;
    char **paths;              /* each model's path */
    kept_root *roots;
    size_t nroots;
    unsigned long used;
} roots_entry;

struct driver_roots {
    pthread_mutex_t lock;
    roots_entry v[ROOTS_FILES];
    unsigned long clock;
};

driver_roots *roots_new(void)
{
    driver_roots *self = driver_xmalloc(sizeof *self);
    pthread_mutex_init(&self->lock, NULL);
    return self;
}

static void roots__findings_free(eng_finding *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(f[i].tasks);
        free(f[i].objs);
        free(f[i].steps);
    }
    free(f);
}

static void roots__entry_free(roots_entry *e)
{
    for (size_t i = 0; i < e->prog.ntus && e->paths; i++)
        free(e->paths[i]);
    free(e->paths);
    for (size_t i = 0; i < e->nroots; i++) {
        free(e->roots[i].reach);
        roots__findings_free(e->roots[i].findings, e->roots[i].nfindings);
    }
    free(e->roots);
    roots_prog_free(&e->prog);
    free(e->path);
    memset(e, 0, sizeof *e);
}

void roots_free(driver_roots *self)
{
    if (!self)
        return;
    for (size_t i = 0; i < ROOTS_FILES; i++)
        roots__entry_free(&self->v[i]);
    pthread_mutex_destroy(&self->lock);
    free(self);
}

/* ---- re-aiming a finding's sites ------------------------------------------ */

typedef struct aim {
    const model_tu *const *tus; /* the models of this run */
    size_t ntus;
    const roots_prog *from, *to; /* load: the kept run's functions, this run's */
    const size_t *to_by_id;     /* this run's fns sorted by id */
    bool load;                  /* tag -> pointer (else pointer -> tag) */
} aim;

static size_t roots__find_id(const roots_prog *p, const size_t *by_id, const char *id)
{
    size_t lo = 0, hi = p->nfns;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(p->fns[by_id[mid]].id, id);
        if (c == 0)
            return by_id[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return SIZE_MAX;
}

/* Re-aims one (model, function) pair; false when there is no such function
 * in this run. */
static bool roots__aim_fn(const aim *a, const model_tu **tu, int32_t *func)
{
    if (!*tu)
        return true;
    if (!a->load) {
        for (size_t t = 0; t < a->ntus; t++)
            if (a->tus[t] == *tu) {
                *tu = (const model_tu *)(uintptr_t)(t + 1);
                return true;
            }
        return false;
    }
    size_t t = (size_t)(uintptr_t)*tu - 1;
    if (t >= a->from->ntus || *func < 0)
        return false;
    size_t i = roots__find_id(a->to, a->to_by_id, a->from->fns[a->from->first[t] + (size_t)*func].id);
    if (i == SIZE_MAX)
        return false;
    *tu = a->tus[a->to->fns[i].tu];
    *func = a->to->fns[i].func;
    return true;
}

static bool roots__aim_site(const aim *a, eng_site *s)
{
    return roots__aim_fn(a, &s->tu, &s->func);
}

static bool roots__aim(const aim *a, eng_finding *f)
{
    bool ok = roots__aim_site(a, &f->site);
    for (size_t i = 0; i < f->ntasks; i++) {
        eng_task_info *t = &f->tasks[i];
        ok &= roots__aim_site(a, &t->spawned) && roots__aim_fn(a, &t->tu, &t->func) && roots__aim_site(a, &t->at);
        for (uint32_t k = 0; k < t->nframes && k < 16; k++)
            ok &= roots__aim_site(a, &t->frames[k]);
    }
    for (size_t i = 0; i < f->nobjs; i++)
        ok &= roots__aim_site(a, &f->objs[i].made) && roots__aim_site(a, &f->objs[i].held_at);
    for (size_t i = 0; i < f->nsteps; i++)
        ok &= roots__aim_site(a, &f->steps[i].site) &&
              roots__aim_fn(a, &f->steps[i].callee_tu, &f->steps[i].callee_func);
    return ok;
}

static void *roots__dup(const void *p, size_t size)
{
    void *q = driver_xmalloc(size + 1);
    if (size)
        memcpy(q, p, size);
    return q;
}

static eng_finding roots__copy(const eng_finding *f)
{
    eng_finding c = *f;
    c.tasks = roots__dup(f->tasks, f->ntasks * sizeof *f->tasks);
    c.objs = roots__dup(f->objs, f->nobjs * sizeof *f->objs);
    c.steps = roots__dup(f->steps, f->nsteps * sizeof *f->steps);
    return c;
}

/* ---- the run ---------------------------------------------------------------- */

/* What the run decided for each root, in the engine's order. */
typedef struct roots_rec {
    size_t fn;                 /* index into the run's prog.fns */
    size_t *reach;
    size_t nreach;
    const kept_root *kept;     /* its findings come from here (skipped), or NULL */
} roots_rec;

typedef struct roots_ctx {
    const model_tu *const *tus;
    size_t ntus;
    roots_prog now;
    size_t *now_by_id;
    const roots_entry *last;   /* NULL when nothing can be reused */
    roots_rec *recs;
    size_t nrecs;
} roots_ctx;

/* Whether kept root k reaches exactly the functions (by id and text) that
 * reach[0..n) of this run are, and its findings can be re-aimed. */
static bool roots__same(const roots_ctx *c, const kept_root *k, const size_t *reach, size_t n)
{
    const roots_prog *old = &c->last->prog;
    if (k->nreach != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        const roots_fn *a = &old->fns[k->reach[i]], *b = &c->now.fns[reach[i]];
        if (strcmp(a->id, b->id) != 0 || strcmp(a->text, b->text) != 0)
            return false;
    }
    aim a = { c->tus, c->ntus, old, &c->now, c->now_by_id, true };
    for (size_t i = 0; i < k->nfindings; i++) {
        eng_finding f = roots__copy(&k->findings[i]);
        bool ok = roots__aim(&a, &f);
        free(f.tasks);
        free(f.objs);
        free(f.steps);
        if (!ok)
            return false;
    }
    return true;
}

static bool roots__skip(void *ctx, const model_tu *tu, int32_t func)
{
    roots_ctx *c = ctx;
    size_t t = 0;
    while (t < c->ntus && c->tus[t] != tu)
        t++;
    c->recs = driver_xrealloc(c->recs, (c->nrecs + 1) * sizeof *c->recs);
    roots_rec *r = &c->recs[c->nrecs++];
    memset(r, 0, sizeof *r);
    if (t == c->ntus)
        return false; /* (not one of ours: cannot happen) */
    r->fn = c->now.first[t] + (size_t)func;
    r->reach = roots_reach(&c->now, c->tus, r->fn, &r->nreach);
    for (size_t i = 0; c->last && i < c->last->nroots && !r->kept; i++) {
        const kept_root *k = &c->last->roots[i];
        if (strcmp(c->last->prog.fns[k->fn].id, c->now.fns[r->fn].id) == 0 && roots__same(c, k, r->reach, r->nreach))
            r->kept = k;
    }
    return r->kept != NULL;
}

static int roots__cmp_id(const void *a, const void *b, void *ctx)
{
    const roots_prog *p = ctx;
    return strcmp(p->fns[*(const size_t *)a].id, p->fns[*(const size_t *)b].id);
}

/* Takes path's entry out of the table (zeroed when there is none). */
static void roots__take(driver_roots *self, const char *path, roots_entry *out)
{
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&self->lock);
    for (size_t i = 0; i < ROOTS_FILES; i++)
        if (self->v[i].path && strcmp(self->v[i].path, path) == 0) {
            *out = self->v[i];
            memset(&self->v[i], 0, sizeof self->v[i]);
            break;
        }
    pthread_mutex_unlock(&self->lock);
}

static void roots__put(driver_roots *self, roots_entry *e)
{
    pthread_mutex_lock(&self->lock);
    roots_entry *slot = &self->v[0];
    for (size_t i = 0; i < ROOTS_FILES; i++) {
        if (self->v[i].path && strcmp(self->v[i].path, e->path) == 0) {
            slot = &self->v[i];
            break;
        }
        if (!self->v[i].path || (slot->path && self->v[i].used < slot->used))
            slot = &self->v[i];
    }
    roots_entry old = *slot;
    e->used = ++self->clock;
    *slot = *e;
    pthread_mutex_unlock(&self->lock);
    roots__entry_free(&old);
}

/* Whether the kept run's models are this run's files. */
static bool roots__same_files(const roots_entry *e, const roots_ctx *c)
{
    if (!e->path || e->prog.ntus != c->ntus || e->prog.closed != c->now.closed)
        return false;
    for (size_t t = 0; t < c->ntus; t++)
        if (strcmp(e->paths[t], c->tus[t]->path) != 0)
            return false;
    return true;
}

/* res's findings in root order, the skipped roots' taken from the kept run. */
static void roots__merge(roots_ctx *c, eng_result *res, size_t *reused)
{
    eng_finding *all = NULL;
    size_t n = 0;
    aim a = { c->tus, c->ntus, c->last ? &c->last->prog : NULL, &c->now, c->now_by_id, true };
    for (size_t i = 0; i < res->nroots && i < c->nrecs; i++) {
        eng_root_stats *st = &res->roots[i];
        const kept_root *k = c->recs[i].kept;
        size_t first = n;
        if (st->skipped && k) {
            all = driver_xrealloc(all, (n + k->nfindings + 1) * sizeof *all);
            for (size_t j = 0; j < k->nfindings; j++) {
                all[n] = roots__copy(&k->findings[j]);
                roots__aim(&a, &all[n++]); /* checked by roots__same */
            }
            st->states = k->states;
            st->edges = k->edges;
            st->budget_hit = k->budget_hit;
            res->budget_hit |= k->budget_hit;
            res->states += k->states;
            (*reused)++;
        } else {
            all = driver_xrealloc(all, (n + st->nfindings + 1) * sizeof *all);
            for (size_t j = 0; j < st->nfindings; j++)
                all[n++] = res->findings[st->first_finding + j];
        }
        st->first_finding = first;
        st->nfindings = n - first;
    }
    free(res->findings);
    res->findings = all;
    res->nfindings = n;
}

/* This run as the file's kept one (takes c->now and the reach arrays). */
static void roots__keep(roots_ctx *c, const eng_result *res, const char *path, roots_entry *e)
{
    memset(e, 0, sizeof *e);
    e->path = driver_xstrdup(path);
    e->paths = driver_xmalloc((c->ntus + 1) * sizeof *e->paths);
    for (size_t t = 0; t < c->ntus; t++)
        e->paths[t] = driver_xstrdup(c->tus[t]->path);
    e->roots = driver_xmalloc((c->nrecs + 1) * sizeof *e->roots);
    aim a = { c->tus, c->ntus, NULL, NULL, NULL, false };
    for (size_t i = 0; i < res->nroots && i < c->nrecs; i++) {
        const eng_root_stats *st = &res->roots[i];
        kept_root *k = &e->roots[e->nroots++];
        k->fn = c->recs[i].fn;
        k->reach = c->recs[i].reach;
        k->nreach = c->recs[i].nreach;
        c->recs[i].reach = NULL;
        k->states = st->states;
        k->edges = st->edges;
        k->budget_hit = st->budget_hit;
        k->findings = driver_xmalloc((st->nfindings + 1) * sizeof *k->findings);
        for (size_t j = 0; j < st->nfindings; j++) {
            k->findings[k->nfindings] = roots__copy(&res->findings[st->first_finding + j]);
            roots__aim(&a, &k->findings[k->nfindings++]);
        }
    }
    e->prog = c->now;
    memset(&c->now, 0, sizeof c->now);
}

eng_result *roots_run(driver_roots *self, const char *path, const model_tu *const *tus, size_t n,
                      const driver_dump *dumps, size_t *reused)
{
    roots_ctx c = { 0 };
    c.tus = tus;
    c.ntus = n;
    roots_prog_build(&c.now, tus, n, dumps);
    c.now_by_id = driver_xmalloc((c.now.nfns + 1) * sizeof *c.now_by_id);
    for (size_t i = 0; i < c.now.nfns; i++)
        c.now_by_id[i] = i;
    qsort_r(c.now_by_id, c.now.nfns, sizeof *c.now_by_id, roots__cmp_id, &c.now);
    roots_entry last;
    roots__take(self, path, &last);
    c.last = roots__same_files(&last, &c) ? &last : NULL;
    eng_opts o = { 0 };
    o.skip_root = roots__skip;
    o.skip_ctx = &c;
    eng_result *res = eng_run(tus, n, &o);
    roots__merge(&c, res, reused);
    roots_entry keep;
    roots__keep(&c, res, path, &keep);
    roots__put(self, &keep);
    roots__entry_free(&last);
    for (size_t i = 0; i < c.nrecs; i++)
        free(c.recs[i].reach);
    free(c.recs);
    free(c.now_by_id);
    roots_prog_free(&c.now);
    return res;
}
