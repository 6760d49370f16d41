/* run.c — driver_run (driver.h): jobs built on worker threads, analyzed
 * and delivered in input order on the caller's thread, per file or as one
 * project. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/analysis.h"
#include "engine/engine.h"
#include "driver/driver_impl.h"
#include "driver/limits.h"
#include "driver/util.h"

typedef struct run_pool {
    const driver *d;
    job *jobs;
    size_t n, next;
    const atomic_bool *cancel;
    pthread_mutex_t lock;
    pthread_cond_t cond;
} run_pool;

static bool run__canceled(const atomic_bool *cancel)
{
    return cancel && atomic_load(cancel);
}

/* The next job to build, or NULL when there is none or the run is canceled. */
static job *run__claim(run_pool *p)
{
    pthread_mutex_lock(&p->lock);
    job *j = p->next < p->n && !run__canceled(p->cancel) ? &p->jobs[p->next++] : NULL;
    pthread_mutex_unlock(&p->lock);
    return j;
}

static void run__finished(run_pool *p, job *j)
{
    pthread_mutex_lock(&p->lock);
    j->done = true;
    pthread_cond_broadcast(&p->cond);
    pthread_mutex_unlock(&p->lock);
}

static void *run__worker(void *arg)
{
    run_pool *p = arg;
    for (job *j; (j = run__claim(p)) != NULL;) {
        job_build(p->d, j);
        run__finished(p, j);
    }
    /* Canceled: the caller may be waiting for a job nobody will build now,
     * and a cancel wakes nobody by itself (the language server hung so). */
    pthread_mutex_lock(&p->lock);
    pthread_cond_broadcast(&p->cond);
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

/* Waits for job i; false when it will never be built (canceled). With no
 * worker threads the caller builds it. */
static bool run__wait(run_pool *p, size_t i, int workers)
{
    if (workers == 0) {
        job *j = run__claim(p);
        if (!j)
            return false;
        job_build(p->d, j);
        j->done = true;
        return true;
    }
    pthread_mutex_lock(&p->lock);
    while (!p->jobs[i].done && !(p->next <= i && run__canceled(p->cancel)))
        pthread_cond_wait(&p->cond, &p->lock);
    bool done = p->jobs[i].done;
    pthread_mutex_unlock(&p->lock);
    return done;
}

static int run__default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n >= 2 ? 2 : 1;
}

/* The engine of a per-file run with reuse_analysis: roots_run. */
typedef struct run_roots {
    driver_roots *roots;
    const char *path;
    const driver_dump *dumps; /* the models' text, or NULL */
    size_t reused;
} run_roots;

static eng_result *run__engine(void *ctx, const model_tu *const *tus, size_t n)
{
    run_roots *r = ctx;
    return roots_run(r->roots, r->path, tus, n, r->dumps, &r->reused);
}

/* analysis_run over tus, its failures as tool errors of job j; roots: the
 * file's kept roots (per file, reuse_analysis), or NULL. */
static void run__analyze(const driver *d, job *j, const model_tu *const *tus, size_t n, diag_list *out,
                         driver_summary *sum, driver_roots *roots, const driver_dump *dumps)
{
    double t0 = driver_now_ms();
    char *text = NULL;
    size_t len = 0;
    FILE *errs = open_memstream(&text, &len);
    analysis_opts ao = { .enabled = d->enabled };
    run_roots rr = { roots, j->in->path, dumps, 0 };
    if (roots) {
        ao.engine = run__engine;
        ao.engine_ctx = &rr;
    }
    analysis_stats as = { 0 };
    int rc = analysis_run(tus, n, &ao, out, &as, errs);
    if (errs)
        fclose(errs);
    /* Each line analysis_run printed: a note (the engine's budget) is told
     * with the file; anything else is a tool error when the run failed. */
    for (char *line = text, *nl; line && *line; line = nl ? nl + 1 : line + strlen(line)) {
        nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        static const char note[] = "tether: note: ";
        if (strncmp(line, note, sizeof note - 1) == 0) {
            const char *msg = line + sizeof note - 1;
            const char *colon = strstr(msg, ": ");
            char *file = colon ? driver_xstrdup(msg) : NULL;
            if (file)
                file[colon - msg] = '\0';
            job_add_error(j, DRIVER_ERR_TOOL, file, (model_loc){ 0, 0 }, DRIVER_LEVEL_NOTE, NULL, "%s",
                          colon ? colon + 2 : msg);
            free(file);
        } else if (rc != 0) {
            const char *msg = strncmp(line, "tether: error: ", 15) == 0 ? line + 15 : line;
            job_add_error(j, DRIVER_ERR_TOOL, NULL, (model_loc){ 0, 0 }, DRIVER_LEVEL_ERROR, NULL, "%s", msg);
        }
    }
    free(text);
    analysis_engine_stats_add(&sum->stats.engine, &as.engine);
    sum->stats.roots_reused += rr.reused;
    sum->stats.analysis_ms += driver_now_ms() - t0;
}

/* The notes run__analyze added to j from error `from` on, for the memo;
 * false when it added anything else (a failed rule: not remembered). */
static bool run__notes_of(const job *j, size_t from, memo_notes *out)
{
    out->v = driver_xmalloc((j->nerrors - from + 1) * sizeof *out->v);
    out->n = 0;
    for (size_t i = from; i < j->nerrors; i++) {
        const job_error *e = &j->errors[i];
        if (e->level != DRIVER_LEVEL_NOTE || e->loc.line != 0 || e->hint)
            return false;
        out->v[out->n++] = (memo_note){ e->file ? driver_xstrdup(e->file) : NULL, driver_xstrdup(e->msg) };
    }
    return true;
}

/* Tells the remembered notes again, as run__analyze told them. */
static void run__notes_told(job *j, const memo_notes *notes)
{
    for (size_t i = 0; i < notes->n; i++)
        job_add_error(j, DRIVER_ERR_TOOL, notes->v[i].file, (model_loc){ 0, 0 }, DRIVER_LEVEL_NOTE, NULL, "%s",
                      notes->v[i].msg);
}

static void run__count(const job *j, driver_summary *sum)
{
    sum->stats.read_ms += j->read_ms;
    sum->stats.parse_ms += j->st.parse_ms;
    sum->stats.model_ms += j->st.model_ms;
    sum->stats.headers += j->nheaders;
    sum->stats.functions += j->st.functions;
    sum->stats.functions_skipped += j->st.functions_skipped;
    sum->stats.functions_around += j->st.functions_around;
    if (j->failed)
        sum->stats.failed++;
    else
        sum->stats.files++;
}

/* Per file: each job is analyzed and delivered as soon as it is built. */
static void run__per_file(const driver *d, run_pool *p, int workers, deliver_state *ds, const driver_sink *sink,
                          driver_summary *sum)
{
    for (size_t i = 0; i < p->n; i++) {
        job *j = &p->jobs[i];
        if (!run__wait(p, i, workers)) {
            sum->canceled = true;
            break;
        }
        run__count(j, sum);
        if (j->tu && d->o.dump_models) {
            if (sink && sink->model)
                sink->model(sink->ctx, j->tu);
        } else if (j->tu) {
            size_t n = 0;
            const model_tu **tus = driver_xmalloc((j->nheaders + 1) * sizeof *tus);
            tus[n++] = j->tu;
            for (size_t h = 0; h < j->nheaders; h++)
                tus[n++] = j->headers[h].tu;
            diag_list diags = { 0 };
            memo_notes notes = { 0 };
            driver_dump *dumps = NULL; /* read by the memo and the roots: made once */
            if (d->memo) {
                dumps = driver_xmalloc(n * sizeof *dumps);
                for (size_t t = 0; t < n; t++)
                    dumps[t] = driver_dump_model(tus[t]);
            }
            if (d->memo && memo_lookup(d->memo, j->in->path, tus, n, dumps, &diags, &notes)) {
                sum->stats.analyses_reused++;
                run__notes_told(j, &notes);
            } else {
                size_t errors = j->nerrors;
                run__analyze(d, j, tus, n, &diags, sum, d->roots, dumps);
                if (d->memo && run__notes_of(j, errors, &notes))
                    memo_store(d->memo, j->in->path, tus, n, &diags, &notes);
            }
            memo_notes_free(&notes);
            for (size_t t = 0; dumps && t < n; t++)
                free(dumps[t].text);
            free(dumps);
            free(tus);
            double t0 = driver_now_ms();
            deliver_errors(ds, j);
            deliver_job(ds, j, &diags);
            deliver_rest(ds, j, &diags);
            sum->stats.analysis_ms += driver_now_ms() - t0;
            diag_list_free(&diags);
        }
        if (!j->tu || d->o.dump_models)
            deliver_errors(ds, j);
        job_free(j);
    }
}

/* Project: every model first, one analysis, then delivery in input order;
 * a header's model is taken from the first file that reached it. */
static void run__project(const driver *d, run_pool *p, int workers, deliver_state *ds, const driver_sink *sink,
                         driver_summary *sum)
{
    size_t built = 0;
    for (; built < p->n; built++) {
        if (!run__wait(p, built, workers)) {
            sum->canceled = true;
            break;
        }
        run__count(&p->jobs[built], sum);
    }
    const model_tu **tus = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < built; i++) {
        job *j = &p->jobs[i];
        if (!j->tu)
            continue;
        for (size_t h = 0; h <= j->nheaders; h++) {
            const model_tu *tu = h == 0 ? j->tu : j->headers[h - 1].tu;
            bool dup = false;
            for (size_t k = 0; h > 0 && k < n; k++)
                dup |= strcmp(tus[k]->path, tu->path) == 0;
            if (dup)
                continue;
            if (n == cap)
                tus = driver_xrealloc(tus, (cap = cap ? cap * 2 : 16) * sizeof *tus);
            tus[n++] = tu;
        }
    }
    diag_list diags = { 0 };
    if (d->o.dump_models) {
        for (size_t i = 0; i < built; i++)
            if (p->jobs[i].tu && sink && sink->model)
                sink->model(sink->ctx, p->jobs[i].tu);
    } else if (n > 0) {
        job *first = NULL;
        for (size_t i = 0; i < built && !first; i++)
            first = p->jobs[i].tu ? &p->jobs[i] : NULL;
        run__analyze(d, first, tus, n, &diags, sum, NULL, NULL);
    }
    free(tus);
    double t0 = driver_now_ms();
    job *last = NULL;
    for (size_t i = 0; i < built; i++) {
        job *j = &p->jobs[i];
        deliver_errors(ds, j);
        if (j->tu && !d->o.dump_models) {
            deliver_job(ds, j, &diags);
            last = j;
        }
    }
    if (last)
        deliver_rest(ds, last, &diags);
    sum->stats.analysis_ms += driver_now_ms() - t0;
    diag_list_free(&diags);
    for (size_t i = 0; i < built; i++)
        job_free(&p->jobs[i]);
}

int driver_run(const driver *self, const driver_input *inputs, size_t n, const driver_sink *sink,
               const atomic_bool *cancel, driver_summary *summary)
{
    driver_summary local;
    driver_summary *sum = summary ? summary : &local;
    memset(sum, 0, sizeof *sum);
    sum->stats.inputs = n;
    sum->stats.setup_ms = self->setup_ms;
    run_pool p = { self, driver_xmalloc((n + 1) * sizeof(job)), n, 0, cancel,
                   PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER };
    for (size_t i = 0; i < n; i++)
        p.jobs[i].in = &inputs[i];
    int want = self->o.jobs > 0 ? self->o.jobs : run__default_jobs();
    if ((size_t)want > n)
        want = (int)n;
    /* Files are parsed on worker threads with a stack of known size, also
     * with one job (the caller's stack is whatever it was given). */
    pthread_t threads[64];
    int workers = 0;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, LIMITS_WORKER_STACK);
    for (int i = 0; i < want && i < 64; i++)
        if (pthread_create(&threads[workers], &attr, run__worker, &p) == 0)
            workers++;
    pthread_attr_destroy(&attr);
    deliver_state *ds = deliver_new(self, sink, sum);
    if (self->o.grouping == DRIVER_PROJECT)
        run__project(self, &p, workers, ds, sink, sum);
    else
        run__per_file(self, &p, workers, ds, sink, sum);
    for (int i = 0; i < workers; i++)
        pthread_join(threads[i], NULL);
    /* Jobs built after a cancel was seen. */
    for (size_t i = 0; i < n; i++)
        job_free(&p.jobs[i]);
    deliver_free(ds);
    pthread_mutex_destroy(&p.lock);
    pthread_cond_destroy(&p.cond);
    free(p.jobs);
    return sum->errors > 0 ? -1 : 0;
}
