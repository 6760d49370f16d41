/* deliver.c — from a program's raw findings to what the sink gets
 * (driver_impl.h): grouped by file, ranges completed, suppressions applied,
 * fingerprints computed, baseline and changed-lines filters, headers' findings
 * once per run. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag/fingerprint.h"
#include "driver/baseline.h"
#include "driver/driver_impl.h"
#include "driver/fixit_render.h"
#include "driver/lines.h"
#include "driver/util.h"
#include "rule.h"

/* A project header met in this run: read once, its comments parsed once,
 * the fingerprints of its findings delivered so far. */
typedef struct seen_header {
    char *report;
    src_file *src;
    sup_set *sup;
    char (*fps)[DIAG_FINGERPRINT_SIZE];
    size_t nfps;
    bool delivered;       /* the sink has had this file */
} seen_header;

struct deliver_state {
    const driver *d;
    const driver_sink *sink;
    driver_summary *sum;
    seen_header *headers;
    size_t nheaders;
    const job *job;       /* the job being delivered */
};

deliver_state *deliver_new(const driver *d, const driver_sink *sink, driver_summary *sum)
{
    deliver_state *self = driver_xmalloc(sizeof *self);
    self->d = d;
    self->sink = sink;
    self->sum = sum;
    return self;
}

void deliver_free(deliver_state *self)
{
    if (!self)
        return;
    for (size_t i = 0; i < self->nheaders; i++) {
        free(self->headers[i].report);
        src_file_free(self->headers[i].src);
        sup_free(self->headers[i].sup);
        free(self->headers[i].fps);
    }
    free(self->headers);
    free(self);
}

static void deliver__error(deliver_state *self, const job_error *je, const src_file *src)
{
    driver_error e = { je->kind, je->level, je->file, je->loc, je->msg, je->hint, src };
    if (je->level == DRIVER_LEVEL_ERROR)
        self->sum->errors++;
    if (self->sink && self->sink->error) {
        /* The sink's time is the caller's (output), not the analysis's. */
        double t0 = driver_now_ms();
        self->sink->error(self->sink->ctx, &e);
        self->sum->stats.analysis_ms -= driver_now_ms() - t0;
    }
}

void deliver_errors(deliver_state *self, job *j)
{
    for (size_t i = 0; i < j->nerrors; i++) {
        const job_error *je = &j->errors[i];
        const src_file *src = je->file && j->src && strcmp(je->file, j->in->path) == 0 ? j->src : NULL;
        deliver__error(self, je, src);
    }
}

static seen_header *deliver__header(deliver_state *self, const char *report)
{
    for (size_t i = 0; i < self->nheaders; i++)
        if (strcmp(self->headers[i].report, report) == 0)
            return &self->headers[i];
    self->headers = driver_xrealloc(self->headers, (self->nheaders + 1) * sizeof *self->headers);
    seen_header *h = &self->headers[self->nheaders++];
    memset(h, 0, sizeof *h);
    h->report = driver_xstrdup(report);
    h->src = src_file_load(report, NULL, 0);
    h->sup = sup_parse(h->src ? h->src->text : "", h->src ? h->src->length : 0);
    return h;
}

/* The text of `file` when the run has it (the job's own or a header's). */
static const src_file *deliver__src(deliver_state *self, const job *j, const char *file)
{
    if (strcmp(file, j->in->path) == 0)
        return j->src;
    for (size_t i = 0; i < self->nheaders; i++)
        if (strcmp(self->headers[i].report, file) == 0)
            return self->headers[i].src;
    return NULL;
}

/* The end of the token at loc: an identifier or number, else one byte. */
static model_loc deliver__token_end(const src_file *src, model_loc loc)
{
    size_t len;
    const char *line = src && loc.col ? src_file_line(src, loc.line, &len) : NULL;
    if (!line || loc.col > len)
        return loc.col ? (model_loc){ loc.line, loc.col + 1 } : loc;
    size_t c = loc.col - 1, e = c;
    while (e < len && (isalnum((unsigned char)line[e]) || line[e] == '_'))
        e++;
    if (e == c)
        e = c + 1;
    return (model_loc){ loc.line, (uint32_t)e + 1 };
}

/* fixit_render's source: the texts this run has read. */
typedef struct deliver_fix_ctx {
    deliver_state *self;
    const job *j;
} deliver_fix_ctx;

static const src_file *deliver__fix_src(void *ctx, const char *file)
{
    deliver_fix_ctx *c = ctx;
    return deliver__src(c->self, c->j, file);
}

static void deliver__ranges(deliver_state *self, const job *j, diag *d, const src_file *src)
{
    deliver_fix_ctx fc = { self, j };
    (void)fixit_render(d, deliver__fix_src, &fc);
    if (d->end.line == 0)
        d->end = deliver__token_end(src, d->loc);
    for (size_t i = 0; i < d->nnotes; i++) {
        diag_note *n = &d->notes[i];
        if (n->end.line == 0)
            n->end = deliver__token_end(deliver__src(self, j, n->file), n->loc);
    }
}

static bool deliver__known_rule(const char *id)
{
    return rule_find(id) != NULL;
}

typedef struct deliver_sup_ctx {
    deliver_state *self;
    const char *path;
} deliver_sup_ctx;

static void deliver__sup_problem(void *ctx, unsigned line, const char *msg)
{
    deliver_sup_ctx *c = ctx;
    job_error je = { DRIVER_ERR_SUPPRESSION, DRIVER_LEVEL_WARNING, (char *)c->path, (char *)msg, NULL,
                     { line, 0 } };
    deliver__error(c->self, &je, NULL);
}

static bool deliver__ran(const char *id, void *ctx)
{
    const driver *d = ctx;
    for (size_t i = 0; i < rule_count; i++)
        if ((!id || strcmp(rule_registry[i]->id, id) == 0) && !d->enabled[i])
            return false;
    return id == NULL || rule_find(id) != NULL;
}

/* Severity from the options, fingerprints, then the filters. */
static void deliver__finish(deliver_state *self, const char *path, const src_file *src, diag_list *g)
{
    const driver *d = self->d;
    for (size_t i = 0; i < g->n; i++) {
        for (size_t r = 0; r < rule_count; r++)
            if (g->items[i].rule && strcmp(rule_registry[r]->id, g->items[i].rule) == 0)
                g->items[i].severity = d->severity[r];
    }
    diag_list_sort(g);
    char *rel = driver_root_relative(d->root, path);
    diag_fingerprint_file(g->items, g->n, rel, src ? src->text : NULL, src ? src->length : 0);
    free(rel);
    size_t out = 0;
    for (size_t i = 0; i < g->n; i++) {
        diag *x = &g->items[i];
        bool drop = (d->o.baseline && baseline_has(d->o.baseline, x->fingerprint)) ||
                    (d->o.only_lines && !lines_has(d->o.only_lines, path, x->loc.line));
        if (drop) {
            diag_free_fields(x);
            self->sum->baselined++;
        } else {
            g->items[out++] = *x;
        }
    }
    g->n = out;
}

/* driver_file.source: the texts this run has read (the current job's file
 * and the project headers met so far). */
static const src_file *deliver__source(const void *run, const char *path)
{
    deliver_state *self = (deliver_state *)run;
    return deliver__src(self, self->job, path);
}

static void deliver__file(deliver_state *self, const job *j, const char *path, const src_file *src,
                          const diag_list *g, bool header)
{
    self->sum->warnings += g->n;
    self->sum->files_with_findings += g->n > 0;
    if (!self->sink || !self->sink->file)
        return;
    driver_file f = { path, src, g->items, g->n, j->fe_name, header, self, deliver__source };
    double t0 = driver_now_ms();
    self->sink->file(self->sink->ctx, &f);
    self->sum->stats.analysis_ms -= driver_now_ms() - t0;
}

/* Moves the diags of `file` from `from` to `to`. */
static void deliver__take(diag_list *from, const char *file, diag_list *to)
{
    size_t out = 0;
    for (size_t i = 0; i < from->n; i++) {
        if (strcmp(from->items[i].file, file) == 0) {
            if (to->n == to->cap) {
                to->cap = to->cap ? to->cap * 2 : 8;
                to->items = driver_xrealloc(to->items, to->cap * sizeof *to->items);
            }
            to->items[to->n++] = from->items[i];
        } else {
            from->items[out++] = from->items[i];
        }
    }
    from->n = out;
}

static void deliver__main(deliver_state *self, job *j, diag_list *diags)
{
    const driver *d = self->d;
    diag_list g = { 0 };
    deliver__take(diags, j->in->path, &g);
    for (size_t i = 0; i < g.n; i++)
        deliver__ranges(self, j, &g.items[i], j->src);
    sup_set *sup = sup_parse(j->src->text, j->src->length);
    deliver_sup_ctx sc = { self, j->in->path };
    sup_check(sup, deliver__known_rule, deliver__sup_problem, &sc);
    self->sum->suppressed += sup_apply(sup, &g);
    if (d->o.warn_unused_suppressions) {
        size_t before = g.n;
        sup_report_unused(sup, j->in->path, DRIVER_RULE_UNUSED_SUPPRESSION, deliver__ran, (void *)d, &g);
        for (size_t i = before; i < g.n; i++)
            deliver__ranges(self, j, &g.items[i], j->src);
    }
    sup_free(sup);
    deliver__finish(self, j->in->path, j->src, &g);
    deliver__file(self, j, j->in->path, j->src, &g, false);
    diag_list_free(&g);
}

static bool deliver__seen_fp(const seen_header *h, const char *fp)
{
    for (size_t i = 0; i < h->nfps; i++)
        if (strcmp(h->fps[i], fp) == 0)
            return true;
    return false;
}

static void deliver__header_file(deliver_state *self, job *j, const job_header *jh, diag_list *diags)
{
    seen_header *h = deliver__header(self, jh->report);
    diag_list g = { 0 };
    deliver__take(diags, jh->report, &g);
    for (size_t i = 0; i < g.n; i++)
        deliver__ranges(self, j, &g.items[i], h->src);
    self->sum->suppressed += sup_apply(h->sup, &g);
    deliver__finish(self, jh->report, h->src, &g);
    /* Once per run: what an earlier file already reported is dropped. */
    size_t out = 0;
    for (size_t i = 0; i < g.n; i++) {
        if (deliver__seen_fp(h, g.items[i].fingerprint)) {
            diag_free_fields(&g.items[i]);
            continue;
        }
        h->fps = driver_xrealloc(h->fps, (h->nfps + 1) * sizeof *h->fps);
        memcpy(h->fps[h->nfps++], g.items[i].fingerprint, DIAG_FINGERPRINT_SIZE);
        g.items[out++] = g.items[i];
    }
    g.n = out;
    if (!h->delivered || g.n > 0)
        deliver__file(self, j, jh->report, h->src, &g, true);
    h->delivered = true;
    diag_list_free(&g);
}

void deliver_job(deliver_state *self, job *j, diag_list *diags)
{
    self->job = j;
    /* Headers first into the run's table, so notes in them find their text. */
    for (size_t i = 0; i < j->nheaders; i++)
        (void)deliver__header(self, j->headers[i].report);
    deliver__main(self, j, diags);
    for (size_t i = 0; i < j->nheaders; i++)
        deliver__header_file(self, j, &j->headers[i], diags);
}

void deliver_rest(deliver_state *self, job *j, diag_list *diags)
{
    /* Files no input and no header of the job names: each once, in order. */
    self->job = j;
    while (diags->n > 0) {
        const char *first = diags->items[0].file;
        for (size_t i = 1; i < diags->n; i++)
            if (strcmp(diags->items[i].file, first) < 0)
                first = diags->items[i].file;
        char *file = driver_xstrdup(first);
        job_header jh = { NULL, file, file };
        deliver__header_file(self, j, &jh, diags);
        free(file);
    }
}
