/* memo.c — findings kept across runs of one file (memo.h). */
#include "driver/memo.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver/util.h"

/* Files remembered (an editor's open documents); the oldest goes first. */
enum { MEMO_FILES = 32 };

/* A position of the dump, in the file of the model it came from. */
typedef struct memo_pos {
    model_loc loc;
    unsigned file;                 /* index in the models */
} memo_pos;

/* The models of a run: their dump without positions, and the positions. */
typedef struct memo_key {
    char *shape;
    size_t shapelen;
    memo_pos *pos;
    size_t npos;
    char **files;                  /* each model's path */
    size_t nfiles;
} memo_key;

typedef struct memo_entry {
    char *path;
    memo_key key;
    diag_list diags;
    memo_notes notes;
    unsigned long used;
} memo_entry;

struct driver_memo {
    pthread_mutex_t lock;
    memo_entry v[MEMO_FILES];
    unsigned long clock;
    /* The key of the last lookup that missed, for the store that follows
     * it with the same models (a dump less per analysis). */
    char *pending_path;
    const model_tu **pending_tus;
    size_t pending_n;
    memo_key pending;
};

driver_memo *memo_new(void)
{
    driver_memo *self = driver_xmalloc(sizeof *self);
    pthread_mutex_init(&self->lock, NULL);
    return self;
}

static void memo__key_free(memo_key *k)
{
    free(k->shape);
    free(k->pos);
    for (size_t i = 0; i < k->nfiles; i++)
        free(k->files[i]);
    free(k->files);
    memset(k, 0, sizeof *k);
}

void memo_notes_free(memo_notes *notes)
{
    for (size_t i = 0; i < notes->n; i++) {
        free(notes->v[i].file);
        free(notes->v[i].msg);
    }
    free(notes->v);
    notes->v = NULL;
    notes->n = 0;
}

static void memo__notes_copy(memo_notes *dst, const memo_notes *src)
{
    dst->n = 0;
    dst->v = driver_xmalloc((src->n + 1) * sizeof *dst->v);
    for (; dst->n < src->n; dst->n++) {
        const memo_note *x = &src->v[dst->n];
        dst->v[dst->n] = (memo_note){ x->file ? driver_xstrdup(x->file) : NULL, driver_xstrdup(x->msg) };
    }
}

static void memo__entry_free(memo_entry *e)
{
    free(e->path);
    memo__key_free(&e->key);
    diag_list_free(&e->diags);
    memo_notes_free(&e->notes);
    memset(e, 0, sizeof *e);
}

static void memo__pending_free(driver_memo *self)
{
    free(self->pending_path);
    free(self->pending_tus);
    memo__key_free(&self->pending);
    self->pending_path = NULL;
    self->pending_tus = NULL;
    self->pending_n = 0;
}

void memo_free(driver_memo *self)
{
    if (!self)
        return;
    memo__pending_free(self);
    for (size_t i = 0; i < MEMO_FILES; i++)
        memo__entry_free(&self->v[i]);
    pthread_mutex_destroy(&self->lock);
    free(self);
}

/* "LINE:COL" at p (after a space, '@' or '-'): its length, else 0. */
static size_t memo__position(const char *p, const char *end, model_loc *loc)
{
    const char *q = p;
    unsigned long line = 0, col = 0;
    while (q < end && isdigit((unsigned char)*q))
        line = line * 10 + (unsigned long)(*q++ - '0');
    if (q == p || q >= end || *q != ':' || q + 1 >= end || !isdigit((unsigned char)q[1]))
        return 0;
    q++;
    while (q < end && isdigit((unsigned char)*q))
        col = col * 10 + (unsigned long)(*q++ - '0');
    loc->line = (uint32_t)line;
    loc->col = (uint32_t)col;
    return (size_t)(q - p);
}

static void memo__key(const model_tu *const *tus, size_t n, const driver_dump *dumps, memo_key *k)
{
    memset(k, 0, sizeof *k);
    size_t cap = 0;
    k->files = driver_xmalloc((n + 1) * sizeof *k->files);
    char *shape = NULL;
    size_t shapelen = 0;
    FILE *out = open_memstream(&shape, &shapelen);
    if (!out)
        abort();
    for (size_t t = 0; t < n; t++) {
        k->files[k->nfiles++] = driver_xstrdup(tus[t]->path);
        driver_dump own = dumps ? dumps[t] : driver_dump_model(tus[t]);
        const char *text = own.text, *end = text + own.len, *run = text; /* run: what is to be copied as it is */
        for (const char *p = text; p < end;) {
            model_loc loc;
            size_t m = p > text && (p[-1] == ' ' || p[-1] == '@' || p[-1] == '-') ? memo__position(p, end, &loc) : 0;
            if (m) {
                if (k->npos == cap)
                    k->pos = driver_xrealloc(k->pos, (cap = cap ? cap * 2 : 256) * sizeof *k->pos);
                k->pos[k->npos++] = (memo_pos){ loc, (unsigned)t };
                fwrite(run, 1, (size_t)(p - run), out);
                fputc('\001', out);
                p += m;
                run = p;
            } else {
                p++;
            }
        }
        fwrite(run, 1, (size_t)(end - run), out);
        fputc('\002', out); /* between models */
        if (!dumps)
            free(own.text);
    }
    fclose(out);
    k->shape = shape;
    k->shapelen = shapelen;
}

/* Old and new places, in one file, sorted by the old. */
typedef struct memo_pair {
    model_loc from, to;
} memo_pair;

static int memo__cmp_loc(model_loc a, model_loc b)
{
    return a.line != b.line ? (a.line < b.line ? -1 : 1) : a.col != b.col ? (a.col < b.col ? -1 : 1) : 0;
}

static int memo__cmp_pair(const void *a, const void *b)
{
    return memo__cmp_loc(((const memo_pair *)a)->from, ((const memo_pair *)b)->from);
}

typedef struct memo_map {
    memo_pair *v;
    size_t n;
} memo_map;

/* Where old place p is now; false when that is not sure (p is none of the
 * model's places, and the edit may lie between it and its neighbours). */
static bool memo__move(const memo_map *m, model_loc p, model_loc *out)
{
    if (p.line == 0) {
        *out = p;
        return true;
    }
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (memo__cmp_loc(m->v[mid].from, p) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < m->n && memo__cmp_loc(m->v[lo].from, p) == 0) {
        *out = m->v[lo].to;
        return true;
    }
    /* Between two places: sure only when both moved by the same lines and
     * neither is on p's line (an edit there could lie before p or not). */
    const memo_pair *a = lo > 0 ? &m->v[lo - 1] : NULL, *b = lo < m->n ? &m->v[lo] : NULL;
    if ((a && a->from.line == p.line) || (b && b->from.line == p.line))
        return false;
    long da = a ? (long)a->to.line - (long)a->from.line : 0, db = b ? (long)b->to.line - (long)b->from.line : 0;
    if (!a)
        da = db;
    if (!b)
        db = da;
    if (da != db || (long)p.line + da < 1)
        return false;
    *out = (model_loc){ (uint32_t)((long)p.line + da), p.col };
    return true;
}

/* The end of a range on its start's line moves with the start. */
static bool memo__move_end(const memo_map *m, model_loc start, model_loc moved_start, model_loc end, model_loc *out)
{
    if (end.line == 0) {
        *out = end;
        return true;
    }
    if (end.line == start.line && end.col >= start.col) {
        *out = (model_loc){ moved_start.line, moved_start.col + (end.col - start.col) };
        return true;
    }
    return memo__move(m, end, out);
}

/* The pairs of each model's file. */
/* Sorts pairs by their old place: by line with a counting sort (lines are
 * few next to the places; qsort was a tenth of a comment edit's time in the
 * language server), then by column within a line. */
static void memo__sort(memo_pair *v, size_t n)
{
    uint32_t top = 0;
    for (size_t i = 0; i < n; i++)
        if (v[i].from.line > top)
            top = v[i].from.line;
    if (top > 4 * n + 1024) { /* lines far apart: a counting sort would not pay */
        qsort(v, n, sizeof *v, memo__cmp_pair);
        return;
    }
    size_t *start = driver_xmalloc(((size_t)top + 2) * sizeof *start); /* zeroed */
    memo_pair *out = driver_xmalloc(n * sizeof *out);
    for (size_t i = 0; i < n; i++)
        start[v[i].from.line + 1]++;
    for (size_t l = 1; l <= (size_t)top + 1; l++)
        start[l] += start[l - 1];
    for (size_t i = 0; i < n; i++)
        out[start[v[i].from.line]++] = v[i];
    for (size_t i = 1; i < n; i++) { /* a line's few places, by column */
        memo_pair x = out[i];
        size_t j = i;
        for (; j > 0 && memo__cmp_loc(out[j - 1].from, x.from) > 0; j--)
            out[j] = out[j - 1];
        out[j] = x;
    }
    memcpy(v, out, n * sizeof *v);
    free(out);
    free(start);
}

static memo_map *memo__maps(const memo_key *old, const memo_key *now)
{
    memo_map *maps = driver_xmalloc((now->nfiles + 1) * sizeof *maps);
    for (size_t i = 0; i < now->npos; i++) {
        memo_map *m = &maps[now->pos[i].file];
        if (!m->v || (m->n & (m->n - 1)) == 0)
            m->v = driver_xrealloc(m->v, (m->n ? m->n * 2 : 1) * sizeof *m->v);
        m->v[m->n++] = (memo_pair){ old->pos[i].loc, now->pos[i].loc };
    }
    for (size_t f = 0; f < now->nfiles; f++)
        if (maps[f].n) /* (a file with no positions has no array) */
            memo__sort(maps[f].v, maps[f].n);
    return maps;
}

static const memo_map *memo__map_of(const memo_key *k, const memo_map *maps, const char *file)
{
    for (size_t f = 0; f < k->nfiles; f++)
        if (strcmp(k->files[f], file) == 0)
            return &maps[f];
    return NULL;
}

/* Moves every place of d (a copy); false when one cannot be moved for sure. */
static bool memo__move_diag(const memo_key *k, const memo_map *maps, diag *d)
{
    const memo_map *m = memo__map_of(k, maps, d->file);
    model_loc s;
    if (!m || !memo__move(m, d->loc, &s) || !memo__move_end(m, d->loc, s, d->end, &d->end))
        return false;
    d->loc = s;
    for (size_t i = 0; i < d->nnotes; i++) {
        diag_note *n = &d->notes[i];
        const memo_map *nm = memo__map_of(k, maps, n->file);
        model_loc ns;
        if (!nm || !memo__move(nm, n->loc, &ns) || !memo__move_end(nm, n->loc, ns, n->end, &n->end))
            return false;
        n->loc = ns;
    }
    for (size_t i = 0; i < d->nfixits; i++) {
        diag_fixit *x = &d->fixits[i];
        const memo_map *xm = memo__map_of(k, maps, x->file);
        model_loc b;
        if (!xm || !memo__move(xm, x->begin, &b) || !memo__move_end(xm, x->begin, b, x->end, &x->end))
            return false;
        x->begin = b;
    }
    return true;
}

static memo_entry *memo__find(driver_memo *self, const char *path)
{
    for (size_t i = 0; i < MEMO_FILES; i++)
        if (self->v[i].path && strcmp(self->v[i].path, path) == 0)
            return &self->v[i];
    return NULL;
}

bool memo_lookup(driver_memo *self, const char *path, const model_tu *const *tus, size_t n,
                 const driver_dump *dumps, diag_list *out, memo_notes *notes)
{
    memo_key now;
    memo__key(tus, n, dumps, &now);
    bool hit = false;
    pthread_mutex_lock(&self->lock);
    memo_entry *e = memo__find(self, path);
    if (e && e->key.shapelen == now.shapelen && e->key.npos == now.npos && e->key.nfiles == now.nfiles &&
        memcmp(e->key.shape, now.shape, now.shapelen) == 0) {
        bool same_files = true;
        for (size_t f = 0; f < now.nfiles; f++)
            same_files &= strcmp(e->key.files[f], now.files[f]) == 0;
        memo_map *maps = same_files ? memo__maps(&e->key, &now) : NULL;
        hit = same_files;
        for (size_t i = 0; hit && i < e->diags.n; i++)
            hit = memo__move_diag(&now, maps, diag_copy(out, &e->diags.items[i]));
        for (size_t f = 0; maps && f < now.nfiles; f++)
            free(maps[f].v);
        free(maps);
        if (hit) {
            e->used = ++self->clock;
            memo__notes_copy(notes, &e->notes);
        } else {
            diag_list_free(out);
        }
    }
    memo__pending_free(self);
    if (!hit) { /* kept for memo_store */
        self->pending_path = driver_xstrdup(path);
        self->pending_tus = driver_xmalloc((n + 1) * sizeof *self->pending_tus);
        memcpy(self->pending_tus, tus, n * sizeof *tus);
        self->pending_n = n;
        self->pending = now;
        memset(&now, 0, sizeof now);
    }
    pthread_mutex_unlock(&self->lock);
    memo__key_free(&now);
    return hit;
}

void memo_store(driver_memo *self, const char *path, const model_tu *const *tus, size_t n, const diag_list *diags,
                const memo_notes *notes)
{
    memo_key k;
    pthread_mutex_lock(&self->lock);
    bool pending = self->pending_path && strcmp(self->pending_path, path) == 0 && self->pending_n == n &&
                   memcmp(self->pending_tus, tus, n * sizeof *tus) == 0;
    if (pending) { /* the models the last lookup saw, still alive: its key */
        k = self->pending;
        memset(&self->pending, 0, sizeof self->pending);
        memo__pending_free(self);
    }
    pthread_mutex_unlock(&self->lock);
    if (!pending)
        memo__key(tus, n, NULL, &k);
    pthread_mutex_lock(&self->lock);
    memo_entry *e = memo__find(self, path);
    if (!e) {
        e = &self->v[0];
        for (size_t i = 0; i < MEMO_FILES && e->path; i++)
            if (!self->v[i].path || self->v[i].used < e->used)
                e = &self->v[i];
    }
    memo__entry_free(e);
    e->path = driver_xstrdup(path);
    e->key = k;
    for (size_t i = 0; i < diags->n; i++)
        diag_copy(&e->diags, &diags->items[i]);
    memo__notes_copy(&e->notes, notes);
    e->used = ++self->clock;
    pthread_mutex_unlock(&self->lock);
}
