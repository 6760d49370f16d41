/* codeclimate.c — the Code Climate issues list (emit.h) that GitLab's code
 * quality report reads: a JSON array of
 *   {"type": "issue", "check_name", "description", "categories",
 *    "severity", "fingerprint", "location": {"path", "lines": {"begin", "end"}}}
 * Tool problems are not part of the format (the caller prints them). */
#include <cjson/cJSON.h>
#include <stdlib.h>

#include "emit/emit_impl.h"

static void cc__file(emitter *self, const char *path, const src_file *src, const diag *diags, size_t n,
                     emit_source_fn source, const void *ctx)
{
    (void)path;
    (void)src;
    (void)source;
    (void)ctx;
    cJSON *issues = self->state;
    for (size_t i = 0; i < n; i++) {
        const diag *d = &diags[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "type", "issue");
        cJSON_AddStringToObject(o, "check_name", d->rule ? d->rule : "");
        cJSON_AddStringToObject(o, "description", d->msg);
        cJSON *cats = cJSON_AddArrayToObject(o, "categories");
        cJSON_AddItemToArray(cats, cJSON_CreateString("Bug Risk"));
        cJSON_AddStringToObject(o, "severity", d->severity == DIAG_ERROR ? "critical"
                                               : d->severity == DIAG_NOTE ? "info"
                                                                          : "major");
        cJSON_AddStringToObject(o, "fingerprint", d->fingerprint);
        cJSON *loc = cJSON_CreateObject();
        char *rel = emit_relative(self->o.root, d->file);
        cJSON_AddStringToObject(loc, "path", rel);
        free(rel);
        cJSON *lines = cJSON_CreateObject();
        cJSON_AddNumberToObject(lines, "begin", d->loc.line);
        cJSON_AddNumberToObject(lines, "end", d->end.line >= d->loc.line ? d->end.line : d->loc.line);
        cJSON_AddItemToObject(loc, "lines", lines);
        cJSON_AddItemToObject(o, "location", loc);
        cJSON_AddItemToArray(issues, o);
    }
}

static void cc__problem(emitter *self, const emit_problem *p)
{
    (void)self;
    (void)p;
}

static int cc__end(emitter *self, bool ok)
{
    (void)ok;
    cJSON *issues = self->state;
    self->state = NULL;
    char *text = cJSON_Print(issues);
    cJSON_Delete(issues);
    int rc = text && fputs(text, self->o.out) != EOF && fputc('\n', self->o.out) != EOF ? 0 : -1;
    free(text);
    return rc;
}

static void cc__free(emitter *self)
{
    cJSON_Delete(self->state);
}

static const emit_ops cc__ops = { cc__file, cc__problem, cc__end, cc__free };

void emit_codeclimate_init(emitter *self)
{
    self->state = cJSON_CreateArray();
    self->ops = &cc__ops;
}
