/* lsp_sync.c — the open documents (lsp_impl.h): didOpen, didChange (full
 * and incremental), didSave, didClose; each change queues an analysis. */
#include <stdlib.h>
#include <string.h>

#include "driver/util.h"
#include "lsp/lsp_impl.h"
#include "lsp/lsp_text.h"

lsp_doc *lsp_doc_find(lsp_server *self, const char *uri)
{
    for (size_t i = 0; i < self->ndocs; i++)
        if (strcmp(self->docs[i]->uri, uri) == 0)
            return self->docs[i];
    return NULL;
}

void lsp_findings_free(lsp_findings *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->v[i].rule);
        free(f->v[i].fix_title);
        cJSON_Delete(f->v[i].diagnostic);
        cJSON_Delete(f->v[i].fix_edits);
    }
    free(f->v);
    f->v = NULL;
    f->n = 0;
}

static void sync__doc_free(lsp_doc *d)
{
    free(d->uri);
    free(d->path);
    free(d->text);
    lsp_findings_free(&d->findings);
    free(d);
}

/* Replaces bytes [b, e) of the text with s[0..n). */
static void sync__splice(lsp_doc *d, size_t b, size_t e, const char *s, size_t n)
{
    size_t len = d->len - (e - b) + n;
    if (len + 1 > d->cap) {
        size_t cap = d->cap ? d->cap : 256;
        while (cap < len + 1)
            cap *= 2;
        d->text = driver_xrealloc(d->text, cap);
        d->cap = cap;
    }
    memmove(d->text + b + n, d->text + e, d->len - e);
    memcpy(d->text + b, s, n);
    d->len = len;
    d->text[len] = '\0';
}

static bool sync__is_c(const char *lang, const char *path)
{
    if (lang && strcmp(lang, "c") == 0)
        return true;
    size_t n = path ? strlen(path) : 0;
    return !lang && n > 2 && (strcmp(path + n - 2, ".c") == 0 || strcmp(path + n - 2, ".h") == 0);
}

void lsp_did_open(lsp_server *self, const cJSON *params)
{
    const cJSON *td = lsp_json_obj(params, "textDocument");
    const char *uri = lsp_json_str(td, "uri"), *text = lsp_json_str(td, "text");
    int64_t version = 0;
    if (!uri || !text || !lsp_json_int(td, "version", &version)) {
        lsp_log(self, "didOpen without uri, version or text, ignored");
        return;
    }
    pthread_mutex_lock(&self->lock);
    lsp_doc *d = lsp_doc_find(self, uri);
    if (!d) {
        d = driver_xmalloc(sizeof *d);
        d->uri = driver_xstrdup(uri);
        d->path = lsp_uri_to_path(uri);
        self->docs = driver_xrealloc(self->docs, (self->ndocs + 1) * sizeof *self->docs);
        self->docs[self->ndocs++] = d;
    }
    d->is_c = sync__is_c(lsp_json_str(td, "languageId"), d->path);
    d->len = 0;
    sync__splice(d, 0, 0, text, strlen(text));
    d->version = version;
    if (d->is_c)
        lsp_schedule(self, d, true, 0);
    pthread_mutex_unlock(&self->lock);
}

void lsp_did_change(lsp_server *self, const cJSON *params)
{
    const cJSON *td = lsp_json_obj(params, "textDocument");
    const char *uri = lsp_json_str(td, "uri");
    const cJSON *changes = cJSON_GetObjectItemCaseSensitive(params, "contentChanges"), *c;
    int64_t version = 0;
    if (!uri || !cJSON_IsArray(changes)) {
        lsp_log(self, "didChange without uri or contentChanges, ignored");
        return;
    }
    pthread_mutex_lock(&self->lock);
    lsp_doc *d = lsp_doc_find(self, uri);
    if (!d) {
        pthread_mutex_unlock(&self->lock);
        lsp_log(self, "didChange of %s, which is not open, ignored", uri);
        return;
    }
    cJSON_ArrayForEach(c, changes)
    {
        const char *text = lsp_json_str(c, "text");
        const cJSON *range = lsp_json_obj(c, "range");
        if (!text) {
            lsp_log(self, "didChange: a change without text, ignored");
            continue;
        }
        if (!range) {
            d->len = 0;
            sync__splice(d, 0, 0, text, strlen(text));
            continue;
        }
        const cJSON *s = lsp_json_obj(range, "start"), *e = lsp_json_obj(range, "end");
        int64_t sl, sc, el, ec;
        if (!lsp_json_int(s, "line", &sl) || !lsp_json_int(s, "character", &sc) || !lsp_json_int(e, "line", &el) ||
            !lsp_json_int(e, "character", &ec) || sl < 0 || sc < 0 || el < 0 || ec < 0 || sl > UINT32_MAX ||
            sc > UINT32_MAX || el > UINT32_MAX || ec > UINT32_MAX) {
            lsp_log(self, "didChange: a change with a bad range, ignored");
            continue;
        }
        size_t b = lsp_text_offset(d->text, d->len, (uint32_t)sl, (uint32_t)sc);
        size_t x = lsp_text_offset(d->text, d->len, (uint32_t)el, (uint32_t)ec);
        if (x < b)
            x = b;
        sync__splice(d, b, x, text, strlen(text));
    }
    if (lsp_json_int(td, "version", &version))
        d->version = version;
    else
        d->version++;
    if (d->is_c)
        lsp_schedule(self, d, false, self->settings.debounce_ms);
    pthread_mutex_unlock(&self->lock);
}

void lsp_did_save(lsp_server *self, const cJSON *params)
{
    const char *uri = lsp_json_str(lsp_json_obj(params, "textDocument"), "uri");
    if (!uri) {
        lsp_log(self, "didSave without uri, ignored");
        return;
    }
    pthread_mutex_lock(&self->lock);
    lsp_doc *d = lsp_doc_find(self, uri);
    const char *text = lsp_json_str(params, "text");
    if (d && text) { /* a client that sends the text anyway: it is the truth */
        d->len = 0;
        sync__splice(d, 0, 0, text, strlen(text));
    }
    if (d && d->is_c)
        lsp_schedule(self, d, true, 0);
    pthread_mutex_unlock(&self->lock);
}

/* Publishes no diagnostics for uri (lock held). */
static void sync__clear(lsp_server *self, const char *uri)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "uri", uri);
    cJSON_AddArrayToObject(p, "diagnostics");
    lsp_notify(self, "textDocument/publishDiagnostics", p);
}

void lsp_did_close(lsp_server *self, const cJSON *params)
{
    const char *uri = lsp_json_str(lsp_json_obj(params, "textDocument"), "uri");
    if (!uri) {
        lsp_log(self, "didClose without uri, ignored");
        return;
    }
    pthread_mutex_lock(&self->lock);
    for (size_t i = 0; i < self->ndocs; i++) {
        lsp_doc *d = self->docs[i];
        if (strcmp(d->uri, uri) != 0)
            continue;
        if (self->running_uri && strcmp(self->running_uri, uri) == 0)
            atomic_store(&self->cancel, true);
        if (d->published)
            sync__clear(self, uri);
        sync__doc_free(d);
        self->docs[i] = self->docs[--self->ndocs];
        break;
    }
    pthread_mutex_unlock(&self->lock);
}

void lsp_close_all(lsp_server *self)
{
    pthread_mutex_lock(&self->lock);
    for (size_t i = 0; i < self->ndocs; i++)
        sync__doc_free(self->docs[i]);
    self->ndocs = 0;
    pthread_mutex_unlock(&self->lock);
}
