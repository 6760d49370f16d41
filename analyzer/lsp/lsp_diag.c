/* lsp_diag.c — findings to LSP diagnostics and fix-its to edits
 * (lsp_diag.h). */
#include "lsp/lsp_diag.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "driver/util.h"
#include "emit/rulemeta.h"
#include "lsp/lsp_text.h"

cJSON *lsp_range_json(lsp_range r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *s = cJSON_AddObjectToObject(o, "start");
    cJSON_AddNumberToObject(s, "line", r.l0);
    cJSON_AddNumberToObject(s, "character", r.c0);
    cJSON *e = cJSON_AddObjectToObject(o, "end");
    cJSON_AddNumberToObject(e, "line", r.l1);
    cJSON_AddNumberToObject(e, "character", r.c1);
    return o;
}

/* Where a file's text comes from: the document's, or the run's. */
typedef struct diag_texts {
    const driver_file *f;
    const char *text;
    size_t len;
} diag_texts;

static bool diag__text_of(const diag_texts *t, const char *file, const char **text, size_t *len)
{
    if (!file || strcmp(file, t->f->path) == 0) {
        *text = t->text;
        *len = t->len;
        return true;
    }
    const src_file *src = t->f->source ? t->f->source(t->f->run, file) : NULL;
    if (!src)
        return false;
    *text = src->text;
    *len = src->length;
    return true;
}

/* The LSP range of [b, e) in file ({0,0} e: empty at b). */
static lsp_range diag__range(const diag_texts *t, const char *file, model_loc b, model_loc e)
{
    const char *text;
    size_t len;
    bool have = diag__text_of(t, file, &text, &len);
    if (e.line == 0)
        e = b;
    lsp_range r;
    r.l0 = b.line ? b.line - 1 : 0;
    r.l1 = e.line ? e.line - 1 : 0;
    r.c0 = have ? lsp_text_utf16_col(text, len, b.line, b.col) : (b.col ? b.col - 1 : 0);
    r.c1 = have ? lsp_text_utf16_col(text, len, e.line, e.col) : (e.col ? e.col - 1 : 0);
    if (r.l1 < r.l0 || (r.l1 == r.l0 && r.c1 < r.c0)) {
        r.l1 = r.l0;
        r.c1 = r.c0;
    }
    return r;
}

static char *diag__uri(const char *file, const char *doc_path, const char *doc_uri)
{
    if (!file || strcmp(file, doc_path) == 0)
        return driver_xstrdup(doc_uri);
    return lsp_path_to_uri(file);
}

static cJSON *diag__location(const diag_texts *t, const char *file, model_loc b, model_loc e, const char *doc_uri)
{
    cJSON *loc = cJSON_CreateObject();
    char *uri = diag__uri(file, t->f->path, doc_uri);
    cJSON_AddStringToObject(loc, "uri", uri);
    free(uri);
    cJSON_AddItemToObject(loc, "range", lsp_range_json(diag__range(t, file, b, e)));
    return loc;
}

static int diag__severity(diag_severity s)
{
    return s == DIAG_ERROR ? 1 : s == DIAG_NOTE ? 3 : 2;
}

/* The edits of d's fix-its, grouped by file: a WorkspaceEdit's "changes". */
static cJSON *diag__fix_edits(const diag_texts *t, const diag *d, const char *doc_uri)
{
    if (d->nfixits == 0)
        return NULL;
    cJSON *changes = cJSON_CreateObject();
    for (size_t i = 0; i < d->nfixits; i++) {
        const diag_fixit *fx = &d->fixits[i];
        char *uri = diag__uri(fx->file, t->f->path, doc_uri);
        cJSON *edits = cJSON_GetObjectItemCaseSensitive(changes, uri);
        if (!edits)
            edits = cJSON_AddArrayToObject(changes, uri);
        free(uri);
        cJSON *e = cJSON_CreateObject();
        model_loc end = fx->end.line ? fx->end : fx->begin;
        cJSON_AddItemToObject(e, "range", lsp_range_json(diag__range(t, fx->file, fx->begin, end)));
        cJSON_AddStringToObject(e, "newText", fx->text ? fx->text : "");
        cJSON_AddItemToArray(edits, e);
    }
    return changes;
}

/* The quick fix's title: the note its fix-its are shown with ("make 'ch'
 * buffered with capacity 1 ..."), else the finding's hint. */
static char *diag__fix_title(const diag *d)
{
    for (size_t i = 0; i < d->nfixits; i++) {
        size_t k = d->fixits[i].note;
        if (k > 0 && k <= d->nnotes && d->notes[k - 1].msg)
            return driver_xstrdup(d->notes[k - 1].msg);
    }
    if (d->fix_hint)
        return driver_xstrdup(d->fix_hint);
    return driver_xasprintf("apply tether's fix for %s", d->rule);
}

void lsp_diag_convert(const driver_file *f, const char *uri, const char *text, size_t len, lsp_findings *out)
{
    if (f->ndiags == 0)
        return;
    diag_texts t = { f, text, len };
    out->v = driver_xrealloc(out->v, (out->n + f->ndiags) * sizeof *out->v);
    size_t nrules;
    const emit_rule *rules = emit_rules(&nrules);
    for (size_t i = 0; i < f->ndiags; i++) {
        const diag *d = &f->diags[i];
        lsp_finding *x = &out->v[out->n++];
        memset(x, 0, sizeof *x);
        x->rule = driver_xstrdup(d->rule);
        x->range = diag__range(&t, d->file, d->loc, d->end);
        cJSON *j = cJSON_CreateObject();
        cJSON_AddItemToObject(j, "range", lsp_range_json(x->range));
        cJSON_AddNumberToObject(j, "severity", diag__severity(d->severity));
        cJSON_AddStringToObject(j, "code", d->rule);
        size_t r = emit_rule_index(d->rule);
        if (r < nrules && rules[r].help_uri)
            cJSON_AddStringToObject(cJSON_AddObjectToObject(j, "codeDescription"), "href", rules[r].help_uri);
        cJSON_AddStringToObject(j, "source", "tether");
        cJSON_AddStringToObject(j, "message", d->msg ? d->msg : "");
        if (d->nnotes) {
            cJSON *rel = cJSON_AddArrayToObject(j, "relatedInformation");
            for (size_t k = 0; k < d->nnotes; k++) {
                const diag_note *n = &d->notes[k];
                if (n->loc.line == 0)
                    continue; /* a note without a place: not a location */
                cJSON *ri = cJSON_CreateObject();
                cJSON_AddItemToObject(ri, "location", diag__location(&t, n->file, n->loc, n->end, uri));
                cJSON_AddStringToObject(ri, "message", n->msg ? n->msg : "");
                cJSON_AddItemToArray(rel, ri);
            }
        }
        x->fix_edits = diag__fix_edits(&t, d, uri);
        if (x->fix_edits)
            x->fix_title = diag__fix_title(d);
        x->diagnostic = j;
    }
}
