/* json.c — tether's own JSON report (emit.h), schema version 1, documented
 * in docs/json-output.md: every finding with its range, notes, fix-its,
 * hint and fingerprint; every tool problem. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "emit/emit_impl.h"

typedef struct json_state {
    cJSON *findings;
    cJSON *problems;
    size_t files;
} json_state;

static cJSON *json__pos(model_loc l)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddNumberToObject(p, "line", l.line);
    cJSON_AddNumberToObject(p, "column", l.col);
    return p;
}

static void json__place(cJSON *o, const emitter *self, const char *file, model_loc b, model_loc e)
{
    char *rel = emit_relative(self->o.root, file);
    cJSON_AddStringToObject(o, "file", rel);
    free(rel);
    cJSON *range = cJSON_CreateObject();
    cJSON_AddItemToObject(range, "start", json__pos(b));
    cJSON_AddItemToObject(range, "end", json__pos(e.line ? e : b));
    cJSON_AddItemToObject(o, "range", range);
}

static cJSON *json__finding(const emitter *self, const diag *d)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "rule", d->rule ? d->rule : "");
    cJSON_AddStringToObject(o, "severity", emit_severity_name(d->severity));
    cJSON_AddStringToObject(o, "message", d->msg);
    json__place(o, self, d->file, d->loc, d->end);
    cJSON_AddStringToObject(o, "fingerprint", d->fingerprint);
    cJSON *notes = cJSON_AddArrayToObject(o, "notes");
    for (size_t i = 0; i < d->nnotes; i++) {
        cJSON *n = cJSON_CreateObject();
        cJSON_AddStringToObject(n, "message", d->notes[i].msg);
        json__place(n, self, d->notes[i].file ? d->notes[i].file : d->file, d->notes[i].loc, d->notes[i].end);
        cJSON_AddItemToArray(notes, n);
    }
    cJSON *fixits = cJSON_AddArrayToObject(o, "fixits");
    for (size_t i = 0; i < d->nfixits; i++) {
        const diag_fixit *f = &d->fixits[i];
        cJSON *x = cJSON_CreateObject();
        json__place(x, self, f->file ? f->file : d->file, f->begin, f->end);
        cJSON_AddStringToObject(x, "replacement", f->text);
        if (f->note > 0)
            cJSON_AddNumberToObject(x, "note", (double)(f->note - 1));
        else
            cJSON_AddNullToObject(x, "note");
        cJSON_AddItemToArray(fixits, x);
    }
    if (d->fix_hint)
        cJSON_AddStringToObject(o, "hint", d->fix_hint);
    else
        cJSON_AddNullToObject(o, "hint");
    return o;
}

static void json__file(emitter *self, const char *path, const src_file *src, const diag *diags, size_t n,
                       emit_source_fn source, const void *ctx)
{
    (void)path;
    (void)src;
    (void)source;
    (void)ctx;
    json_state *st = self->state;
    st->files++;
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(st->findings, json__finding(self, &diags[i]));
}

static void json__problem(emitter *self, const emit_problem *p)
{
    json_state *st = self->state;
    static const char *const levels[] = { "error", "warning", "note" };
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "level", levels[p->level]);
    cJSON_AddStringToObject(o, "message", p->msg);
    if (p->file) {
        char *rel = emit_relative(self->o.root, p->file);
        cJSON_AddStringToObject(o, "file", rel);
        free(rel);
    } else {
        cJSON_AddNullToObject(o, "file");
    }
    if (p->file && p->loc.line)
        cJSON_AddItemToObject(o, "position", json__pos(p->loc));
    else
        cJSON_AddNullToObject(o, "position");
    if (p->hint)
        cJSON_AddStringToObject(o, "hint", p->hint);
    else
        cJSON_AddNullToObject(o, "hint");
    cJSON_AddItemToArray(st->problems, o);
}

static int json__end(emitter *self, bool ok)
{
    json_state *st = self->state;
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "version", 1);
    cJSON *tool = cJSON_CreateObject();
    cJSON_AddStringToObject(tool, "name", "tether");
    cJSON_AddStringToObject(tool, "version", self->o.tool_version ? self->o.tool_version : "0");
    cJSON_AddItemToObject(root, "tool", tool);
    cJSON_AddStringToObject(root, "root", self->o.root ? self->o.root : "");
    cJSON_AddBoolToObject(root, "success", ok);
    cJSON_AddNumberToObject(root, "files", (double)st->files);
    cJSON_AddItemToObject(root, "findings", st->findings);
    cJSON_AddItemToObject(root, "problems", st->problems);
    st->findings = st->problems = NULL;
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    int rc = text && fputs(text, self->o.out) != EOF && fputc('\n', self->o.out) != EOF ? 0 : -1;
    free(text);
    return rc;
}

static void json__free(emitter *self)
{
    json_state *st = self->state;
    cJSON_Delete(st->findings);
    cJSON_Delete(st->problems);
    free(st);
}

static const emit_ops json__ops = { json__file, json__problem, json__end, json__free };

void emit_json_init(emitter *self)
{
    json_state *st = emit_xmalloc(sizeof *st);
    st->findings = cJSON_CreateArray();
    st->problems = cJSON_CreateArray();
    self->state = st;
    self->ops = &json__ops;
}
