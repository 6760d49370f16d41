/* sarif.c — SARIF 2.1.0 (emit.h), shaped for GitHub code scanning: rule
 * metadata, results with regions, notes as related locations and as a code
 * flow, fix-its as fixes, partialFingerprints, tool problems as the
 * invocation's notifications, paths relative to the root (%SRCROOT%). */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag/fingerprint.h"
#include "emit/emit_impl.h"
#include "emit/rulemeta.h"

#define SARIF_SCHEMA "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
#define SARIF_ROOT "SRCROOT"

typedef struct sarif_state {
    cJSON *results;
    cJSON *notifications;
} sarif_state;

/* Percent-encodes a path for a URI reference (RFC 3986: unreserved and '/'
 * kept). */
static char *sarif__encode(const char *path)
{
    size_t n = strlen(path);
    char *out = emit_xmalloc(3 * n + 1), *o = out;
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if (isalnum(*p) || strchr("-._~/", *p))
            *o++ = (char)*p;
        else
            o += sprintf(o, "%%%02X", *p);
    }
    *o = '\0';
    return out;
}

static cJSON *sarif__artifact(const emitter *self, const char *path)
{
    cJSON *a = cJSON_CreateObject();
    char *rel = emit_relative(self->o.root, path);
    char *enc = sarif__encode(rel);
    if (rel[0] == '/') {
        char *uri = emit_xmalloc(strlen(enc) + 8);
        sprintf(uri, "file://%s", enc);
        cJSON_AddStringToObject(a, "uri", uri);
        free(uri);
    } else {
        cJSON_AddStringToObject(a, "uri", enc);
        cJSON_AddStringToObject(a, "uriBaseId", SARIF_ROOT);
    }
    free(enc);
    free(rel);
    return a;
}

static cJSON *sarif__region(model_loc b, model_loc e)
{
    cJSON *r = cJSON_CreateObject();
    cJSON_AddNumberToObject(r, "startLine", b.line);
    if (b.col > 0)
        cJSON_AddNumberToObject(r, "startColumn", b.col);
    if (e.line >= b.line && e.line > 0 && (e.line > b.line || e.col >= b.col)) {
        cJSON_AddNumberToObject(r, "endLine", e.line);
        if (b.col > 0 && e.col > 0)
            cJSON_AddNumberToObject(r, "endColumn", e.col);
    }
    return r;
}

static cJSON *sarif__physical(const emitter *self, const char *file, model_loc b, model_loc e)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddItemToObject(p, "artifactLocation", sarif__artifact(self, file));
    if (b.line > 0)
        cJSON_AddItemToObject(p, "region", sarif__region(b, e));
    return p;
}

static cJSON *sarif__message(const char *text)
{
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "text", text);
    return m;
}

static cJSON *sarif__location(const emitter *self, const char *file, model_loc b, model_loc e, const char *msg)
{
    cJSON *l = cJSON_CreateObject();
    cJSON_AddItemToObject(l, "physicalLocation", sarif__physical(self, file, b, e));
    if (msg)
        cJSON_AddItemToObject(l, "message", sarif__message(msg));
    return l;
}

static const char *sarif__level(diag_severity s)
{
    return s == DIAG_ERROR ? "error" : s == DIAG_NOTE ? "note" : "warning";
}

static cJSON *sarif__code_flow(const emitter *self, const diag *d)
{
    cJSON *locs = cJSON_CreateArray();
    cJSON *first = cJSON_CreateObject();
    cJSON_AddItemToObject(first, "location", sarif__location(self, d->file, d->loc, d->end, d->msg));
    cJSON_AddItemToArray(locs, first);
    for (size_t i = 0; i < d->nnotes; i++) {
        const diag_note *n = &d->notes[i];
        cJSON *tfl = cJSON_CreateObject();
        cJSON_AddItemToObject(tfl, "location", sarif__location(self, n->file, n->loc, n->end, n->msg));
        cJSON_AddItemToArray(locs, tfl);
    }
    cJSON *thread = cJSON_CreateObject();
    cJSON_AddItemToObject(thread, "locations", locs);
    cJSON *threads = cJSON_CreateArray();
    cJSON_AddItemToArray(threads, thread);
    cJSON *flow = cJSON_CreateObject();
    cJSON_AddItemToObject(flow, "threadFlows", threads);
    cJSON *flows = cJSON_CreateArray();
    cJSON_AddItemToArray(flows, flow);
    return flows;
}

/* All the fix-its of a finding are one fix (SARIF's: a set of changes
 * made together), one artifactChange per file they touch. */
static cJSON *sarif__fixes(const emitter *self, const diag *d)
{
    cJSON *fixes = cJSON_CreateArray();
    const diag_fixit *first = &d->fixits[0];
    const char *why = first->note > 0 && first->note <= d->nnotes ? d->notes[first->note - 1].msg
                      : d->fix_hint                               ? d->fix_hint
                                                                  : "apply the suggested change";
    cJSON *changes = cJSON_CreateArray();
    for (size_t i = 0; i < d->nfixits; i++) {
        const char *file = d->fixits[i].file ? d->fixits[i].file : d->file;
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++)
            seen = strcmp(d->fixits[k].file ? d->fixits[k].file : d->file, file) == 0;
        if (seen)
            continue;
        cJSON *repls = cJSON_CreateArray();
        for (size_t k = i; k < d->nfixits; k++) {
            const diag_fixit *f = &d->fixits[k];
            if (strcmp(f->file ? f->file : d->file, file) != 0)
                continue;
            cJSON *repl = cJSON_CreateObject();
            cJSON_AddItemToObject(repl, "deletedRegion", sarif__region(f->begin, f->end));
            cJSON *ins = cJSON_CreateObject();
            cJSON_AddStringToObject(ins, "text", f->text);
            cJSON_AddItemToObject(repl, "insertedContent", ins);
            cJSON_AddItemToArray(repls, repl);
        }
        cJSON *change = cJSON_CreateObject();
        cJSON_AddItemToObject(change, "artifactLocation", sarif__artifact(self, file));
        cJSON_AddItemToObject(change, "replacements", repls);
        cJSON_AddItemToArray(changes, change);
    }
    cJSON *fix = cJSON_CreateObject();
    cJSON_AddItemToObject(fix, "description", sarif__message(why));
    cJSON_AddItemToObject(fix, "artifactChanges", changes);
    cJSON_AddItemToArray(fixes, fix);
    return fixes;
}

static cJSON *sarif__result(const emitter *self, const diag *d)
{
    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "ruleId", d->rule ? d->rule : "");
    size_t idx = emit_rule_index(d->rule);
    if (idx != (size_t)-1)
        cJSON_AddNumberToObject(r, "ruleIndex", (double)idx);
    cJSON_AddStringToObject(r, "level", sarif__level(d->severity));
    cJSON_AddItemToObject(r, "message", sarif__message(d->msg));
    cJSON *locs = cJSON_CreateArray();
    cJSON_AddItemToArray(locs, sarif__location(self, d->file, d->loc, d->end, NULL));
    cJSON_AddItemToObject(r, "locations", locs);
    if (d->nnotes > 0) {
        cJSON *rel = cJSON_CreateArray();
        for (size_t i = 0; i < d->nnotes; i++) {
            const diag_note *n = &d->notes[i];
            cJSON *l = sarif__location(self, n->file, n->loc, n->end, n->msg);
            cJSON_AddNumberToObject(l, "id", (double)(i + 1));
            cJSON_AddItemToArray(rel, l);
        }
        cJSON_AddItemToObject(r, "relatedLocations", rel);
        cJSON_AddItemToObject(r, "codeFlows", sarif__code_flow(self, d));
    }
    if (d->nfixits > 0)
        cJSON_AddItemToObject(r, "fixes", sarif__fixes(self, d));
    if (d->fingerprint[0]) {
        cJSON *fp = cJSON_CreateObject();
        cJSON_AddStringToObject(fp, DIAG_FINGERPRINT_KEY, d->fingerprint);
        cJSON_AddItemToObject(r, "partialFingerprints", fp);
    }
    if (d->fix_hint) {
        cJSON *props = cJSON_CreateObject();
        cJSON_AddStringToObject(props, "hint", d->fix_hint);
        cJSON_AddItemToObject(r, "properties", props);
    }
    return r;
}

static void sarif__file(emitter *self, const char *path, const src_file *src, const diag *diags, size_t n,
                        emit_source_fn source, const void *ctx)
{
    (void)path;
    (void)src;
    (void)source;
    (void)ctx;
    sarif_state *st = self->state;
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(st->results, sarif__result(self, &diags[i]));
}

static void sarif__problem(emitter *self, const emit_problem *p)
{
    sarif_state *st = self->state;
    cJSON *n = cJSON_CreateObject();
    static const char *const levels[] = { "error", "warning", "note" };
    cJSON_AddStringToObject(n, "level", levels[p->level]);
    size_t len = strlen(p->msg) + (p->hint ? strlen(p->hint) + 2 : 0) + 1;
    char *text = emit_xmalloc(len);
    snprintf(text, len, "%s%s%s", p->msg, p->hint ? ": " : "", p->hint ? p->hint : "");
    cJSON_AddItemToObject(n, "message", sarif__message(text));
    free(text);
    if (p->file) {
        cJSON *locs = cJSON_CreateArray();
        cJSON_AddItemToArray(locs, sarif__location(self, p->file, p->loc, (model_loc){ 0, 0 }, NULL));
        cJSON_AddItemToObject(n, "locations", locs);
    }
    cJSON_AddItemToArray(st->notifications, n);
}

/* "spawn-no-cancel" -> "SpawnNoCancel" (SARIF's reportingDescriptor.name). */
static char *sarif__camel(const char *id)
{
    char *out = emit_xmalloc(strlen(id) + 1), *o = out;
    bool up = true;
    for (const char *p = id; *p; p++) {
        if (*p == '-') {
            up = true;
            continue;
        }
        *o++ = up ? (char)toupper((unsigned char)*p) : *p;
        up = false;
    }
    return out;
}

static cJSON *sarif__rules(void)
{
    size_t n;
    const emit_rule *rules = emit_rules(&n);
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++) {
        const emit_rule *r = &rules[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", r->id);
        char *name = sarif__camel(r->id);
        cJSON_AddStringToObject(o, "name", name);
        free(name);
        cJSON_AddItemToObject(o, "shortDescription", sarif__message(r->summary));
        cJSON_AddItemToObject(o, "fullDescription", sarif__message(r->full));
        cJSON *help = sarif__message(r->help);
        cJSON_AddStringToObject(help, "markdown", r->help);
        cJSON_AddItemToObject(o, "help", help);
        cJSON_AddStringToObject(o, "helpUri", r->help_uri);
        cJSON *conf = cJSON_CreateObject();
        cJSON_AddStringToObject(conf, "level", r->level);
        cJSON_AddItemToObject(o, "defaultConfiguration", conf);
        cJSON *props = cJSON_CreateObject();
        cJSON *tags = cJSON_CreateArray();
        cJSON_AddItemToArray(tags, cJSON_CreateString("concurrency"));
        cJSON_AddItemToArray(tags, cJSON_CreateString("reliability"));
        cJSON_AddItemToObject(props, "tags", tags);
        cJSON_AddItemToObject(o, "properties", props);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

static cJSON *sarif__invocation(const emitter *self, bool ok, cJSON *notifications)
{
    cJSON *inv = cJSON_CreateObject();
    cJSON_AddBoolToObject(inv, "executionSuccessful", ok);
    if (self->o.argc > 0) {
        cJSON *args = cJSON_CreateArray();
        for (size_t i = 0; i < self->o.argc; i++)
            cJSON_AddItemToArray(args, cJSON_CreateString(self->o.argv[i]));
        cJSON_AddItemToObject(inv, "arguments", args);
    }
    cJSON_AddItemToObject(inv, "toolExecutionNotifications", notifications);
    return inv;
}

static int sarif__end(emitter *self, bool ok)
{
    sarif_state *st = self->state;
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "$schema", SARIF_SCHEMA);
    cJSON_AddStringToObject(root, "version", "2.1.0");
    cJSON *run = cJSON_CreateObject();
    cJSON *drv = cJSON_CreateObject();
    cJSON_AddStringToObject(drv, "name", "tether");
    cJSON_AddStringToObject(drv, "version", self->o.tool_version ? self->o.tool_version : "0");
    cJSON_AddStringToObject(drv, "semanticVersion", self->o.tool_version ? self->o.tool_version : "0.0.0");
    cJSON_AddItemToObject(drv, "rules", sarif__rules());
    cJSON *tool = cJSON_CreateObject();
    cJSON_AddItemToObject(tool, "driver", drv);
    cJSON_AddItemToObject(run, "tool", tool);
    cJSON *invs = cJSON_CreateArray();
    cJSON_AddItemToArray(invs, sarif__invocation(self, ok, st->notifications));
    cJSON_AddItemToObject(run, "invocations", invs);
    if (self->o.root) {
        char *enc = sarif__encode(self->o.root);
        size_t n = strlen(enc);
        char *uri = emit_xmalloc(n + 10);
        sprintf(uri, "file://%s%s", enc, n && enc[n - 1] == '/' ? "" : "/");
        cJSON *base = cJSON_CreateObject();
        cJSON *src = cJSON_CreateObject();
        cJSON_AddStringToObject(src, "uri", uri);
        cJSON_AddItemToObject(base, SARIF_ROOT, src);
        cJSON_AddItemToObject(run, "originalUriBaseIds", base);
        free(uri);
        free(enc);
    }
    cJSON_AddItemToObject(run, "results", st->results);
    cJSON *runs = cJSON_CreateArray();
    cJSON_AddItemToArray(runs, run);
    cJSON_AddItemToObject(root, "runs", runs);
    st->results = st->notifications = NULL;
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    int rc = text && fputs(text, self->o.out) != EOF && fputc('\n', self->o.out) != EOF ? 0 : -1;
    free(text);
    return rc;
}

static void sarif__free(emitter *self)
{
    sarif_state *st = self->state;
    cJSON_Delete(st->results);
    cJSON_Delete(st->notifications);
    free(st);
}

static const emit_ops sarif__ops = { sarif__file, sarif__problem, sarif__end, sarif__free };

void emit_sarif_init(emitter *self)
{
    sarif_state *st = emit_xmalloc(sizeof *st);
    st->results = cJSON_CreateArray();
    st->notifications = cJSON_CreateArray();
    self->state = st;
    self->ops = &sarif__ops;
}
