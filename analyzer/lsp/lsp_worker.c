/* lsp_worker.c — when analyses run (lsp_impl.h): a queue of documents with
 * a due time (debounced while typing, at once on open and save), one
 * analysis at a time on the worker thread, a newer change canceling the
 * analysis of its document in progress, and publication only of results
 * for the document's current version. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "driver/util.h"
#include "lsp/lsp_impl.h"

void lsp_schedule(lsp_server *self, lsp_doc *doc, bool save, int delay_ms)
{
    double due = lsp_now_ms() + delay_ms;
    /* A save analysis still queued keeps its front end; a change after it
     * is analyzed by the later one anyway, with the newer text. */
    doc->pending_save = save || (doc->pending && doc->pending_save);
    doc->due = doc->pending && doc->due < due && save ? doc->due : due;
    doc->pending = true;
    if (self->running_uri && strcmp(self->running_uri, doc->uri) == 0)
        atomic_store(&self->cancel, true);
    pthread_cond_signal(&self->wake);
}

void lsp_reanalyze_all(lsp_server *self)
{
    pthread_mutex_lock(&self->lock);
    self->settings_gen++;
    for (size_t i = 0; i < self->ndocs; i++)
        if (self->docs[i]->is_c)
            lsp_schedule(self, self->docs[i], true, 0);
    pthread_mutex_unlock(&self->lock);
}

/* The queued document due first: its due time in *due; NULL when none. */
static lsp_doc *worker__next(lsp_server *self, double *due)
{
    lsp_doc *best = NULL;
    for (size_t i = 0; i < self->ndocs; i++) {
        lsp_doc *d = self->docs[i];
        if (d->pending && (!best || d->due < best->due))
            best = d;
    }
    if (best)
        *due = best->due;
    return best;
}

static void worker__snapshot_free(lsp_snapshot *s)
{
    free(s->uri);
    free(s->path);
    free(s->text);
}

/* Publishes findings for snap when its document is still open at that
 * version (lock held): a result for an older version is never published
 * over a newer one. Takes the findings. */
static void worker__publish(lsp_server *self, const lsp_snapshot *snap, lsp_findings *f, const char *problems)
{
    lsp_doc *d = lsp_doc_find(self, snap->uri);
    if (!d || d->version != snap->version || atomic_load(&self->cancel)) {
        lsp_findings_free(f);
        return;
    }
    if (problems && *problems)
        lsp_log_message(self, 2, problems);
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "uri", snap->uri);
    cJSON_AddNumberToObject(p, "version", (double)snap->version);
    cJSON *arr = cJSON_AddArrayToObject(p, "diagnostics");
    for (size_t i = 0; i < f->n; i++)
        cJSON_AddItemToArray(arr, cJSON_Duplicate(f->v[i].diagnostic, 1));
    lsp_notify(self, "textDocument/publishDiagnostics", p);
    lsp_findings_free(&d->findings);
    d->findings = *f;
    d->published = true;
    d->published_version = snap->version;
    memset(f, 0, sizeof *f);
}

/* Takes doc's queued analysis (lock held); resets the worker's caches
 * when the settings changed since the last one. */
static void worker__take(lsp_server *self, lsp_doc *d, lsp_snapshot *snap, unsigned *gen)
{
    snap->uri = driver_xstrdup(d->uri);
    snap->path = d->path ? driver_xstrdup(d->path) : NULL;
    snap->text = driver_xmalloc(d->len + 1);
    memcpy(snap->text, d->text, d->len);
    snap->len = d->len;
    snap->version = d->version;
    snap->save = d->pending_save;
    d->pending = d->pending_save = false;
    if (*gen != self->settings_gen) {
        *gen = self->settings_gen;
        lsp_worker_reset(self->worker, &self->settings);
    }
    free(self->running_uri);
    self->running_uri = driver_xstrdup(d->uri);
    atomic_store(&self->cancel, false);
}

/* One analysis: the snapshot analyzed without the lock, then published. */
static void worker__run(lsp_server *self, lsp_snapshot *snap)
{
    lsp_findings f = { 0 };
    char *problems = NULL;
    pthread_mutex_unlock(&self->lock);
    lsp_analyze(self->worker, snap, &self->cancel, &f, &problems);
    pthread_mutex_lock(&self->lock);
    worker__publish(self, snap, &f, problems);
    free(problems);
    free(self->running_uri);
    self->running_uri = NULL;
    worker__snapshot_free(snap);
}

static void *worker__main(void *arg)
{
    lsp_server *self = arg;
    pthread_mutex_lock(&self->lock);
    while (!self->stop) {
        double due = 0;
        lsp_doc *d = worker__next(self, &due);
        if (!d) {
            pthread_cond_broadcast(&self->idle);
            pthread_cond_wait(&self->wake, &self->lock);
            continue;
        }
        double now = lsp_now_ms();
        if (due > now) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            double wait = due - now;
            ts.tv_sec += (time_t)(wait / 1000);
            ts.tv_nsec += (long)((wait - (double)(long)(wait / 1000) * 1000) * 1e6);
            if (ts.tv_nsec >= 1000000000L) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&self->wake, &self->lock, &ts);
            continue;
        }
        lsp_snapshot snap;
        worker__take(self, d, &snap, &self->worker_gen);
        worker__run(self, &snap);
    }
    pthread_cond_broadcast(&self->idle);
    pthread_mutex_unlock(&self->lock);
    return NULL;
}

void lsp_worker_start(lsp_server *self)
{
    self->thread_started = pthread_create(&self->thread, NULL, worker__main, self) == 0;
}

void lsp_worker_stop(lsp_server *self)
{
    pthread_mutex_lock(&self->lock);
    self->stop = true;
    atomic_store(&self->cancel, true);
    pthread_cond_broadcast(&self->wake);
    pthread_mutex_unlock(&self->lock);
    if (self->thread_started)
        pthread_join(self->thread, NULL);
    self->thread_started = false;
    free(self->running_uri);
    self->running_uri = NULL;
}

void lsp_worker_run_inline(lsp_server *self)
{
    pthread_mutex_lock(&self->lock);
    double due;
    for (lsp_doc *d; (d = worker__next(self, &due)) != NULL;) {
        lsp_snapshot snap;
        worker__take(self, d, &snap, &self->worker_gen);
        worker__run(self, &snap);
    }
    pthread_mutex_unlock(&self->lock);
}

void lsp_server_idle(lsp_server *self)
{
    pthread_mutex_lock(&self->lock);
    double due;
    while (self->thread_started && !self->stop && (self->running_uri || worker__next(self, &due)))
        pthread_cond_wait(&self->idle, &self->lock);
    pthread_mutex_unlock(&self->lock);
}
