/* lsp_lang.c — requests on the findings of a document (lsp_impl.h): code
 * actions (each finding's fix-its as its preferred quick fix, and "suppress
 * on this line" for every finding) and hover (the rule's summary). They
 * answer from what was published last, and only while the document is at
 * that version (else the edits could land in the wrong place). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver/util.h"
#include "emit/rulemeta.h"
#include "lsp/lsp_diag.h"
#include "lsp/lsp_impl.h"
#include "lsp/lsp_text.h"

static bool lang__range(const cJSON *o, lsp_range *r)
{
    const cJSON *s = lsp_json_obj(o, "start"), *e = lsp_json_obj(o, "end");
    int64_t a, b, c, d;
    if (!lsp_json_int(s, "line", &a) || !lsp_json_int(s, "character", &b) || !lsp_json_int(e, "line", &c) ||
        !lsp_json_int(e, "character", &d) || a < 0 || b < 0 || c < 0 || d < 0 || a > UINT32_MAX ||
        b > UINT32_MAX || c > UINT32_MAX || d > UINT32_MAX)
        return false;
    *r = (lsp_range){ (uint32_t)a, (uint32_t)b, (uint32_t)c, (uint32_t)d };
    return true;
}

/* Whether two ranges share a line (a code action request names the
 * cursor's place or a selection; a finding applies to its lines). */
static bool lang__lines_meet(lsp_range a, lsp_range b)
{
    return a.l0 <= b.l1 && b.l0 <= a.l1;
}

/* The published findings of the document named in params, when they are
 * for its current version (lock held); NULL otherwise. */
static lsp_doc *lang__doc(lsp_server *self, const cJSON *params)
{
    const char *uri = lsp_json_str(lsp_json_obj(params, "textDocument"), "uri");
    lsp_doc *d = uri ? lsp_doc_find(self, uri) : NULL;
    return d && d->published && d->published_version == d->version ? d : NULL;
}

static cJSON *lang__action(const char *title, const lsp_finding *x, const char *uri, cJSON *changes, bool preferred)
{
    cJSON *a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "title", title);
    cJSON_AddStringToObject(a, "kind", "quickfix");
    cJSON_AddItemToArray(cJSON_AddArrayToObject(a, "diagnostics"), cJSON_Duplicate(x->diagnostic, 1));
    if (preferred)
        cJSON_AddBoolToObject(a, "isPreferred", 1);
    cJSON *edit = cJSON_AddObjectToObject(a, "edit");
    (void)uri;
    cJSON_AddItemToObject(edit, "changes", changes);
    return a;
}

/* The edit that suppresses x on its line: "tether:ignore(rule)" added to
 * that line's tether:ignore list when it has one, else appended as a
 * comment (before a trailing backslash, inside a macro). */
static cJSON *lang__suppress_edit(const lsp_doc *d, const lsp_finding *x)
{
    size_t n = 0;
    const char *line = lsp_text_line(d->text, d->len, x->range.l0 + 1, &n);
    if (!line)
        return NULL;
    static const char key[] = "tether:ignore(";
    const char *found = NULL;
    for (const char *p = line; p + sizeof key - 1 <= line + n; p++)
        if (memcmp(p, key, sizeof key - 1) == 0) {
            found = p;
            break;
        }
    const char *close = found ? memchr(found, ')', (size_t)(line + n - found)) : NULL;
    size_t at;
    char *text;
    if (close) {
        at = (size_t)(close - line);
        text = driver_xasprintf(",%s", x->rule);
    } else if (n > 0 && line[n - 1] == '\\') {
        at = n - 1;
        text = driver_xasprintf("/* tether:ignore(%s) */ ", x->rule);
    } else {
        at = n;
        text = driver_xasprintf("%s// tether:ignore(%s)", n && line[n - 1] != ' ' ? " " : "", x->rule);
    }
    uint32_t c = lsp_text_utf16_len(line, n, at);
    cJSON *e = cJSON_CreateObject();
    cJSON_AddItemToObject(e, "range", lsp_range_json((lsp_range){ x->range.l0, c, x->range.l0, c }));
    cJSON_AddStringToObject(e, "newText", text);
    free(text);
    cJSON *changes = cJSON_CreateObject();
    cJSON_AddItemToArray(cJSON_AddArrayToObject(changes, d->uri), e);
    return changes;
}

/* Whether context.only allows quick fixes. */
static bool lang__wants_quickfix(const cJSON *params)
{
    const cJSON *only = cJSON_GetObjectItemCaseSensitive(lsp_json_obj(params, "context"), "only"), *k;
    if (!cJSON_IsArray(only))
        return true;
    cJSON_ArrayForEach(k, only)
    {
        if (cJSON_IsString(k) && (strcmp(k->valuestring, "quickfix") == 0 || strcmp(k->valuestring, "") == 0))
            return true;
    }
    return false;
}

cJSON *lsp_code_action(lsp_server *self, const cJSON *params)
{
    cJSON *out = cJSON_CreateArray();
    lsp_range want;
    if (!lang__range(lsp_json_obj(params, "range"), &want) || !lang__wants_quickfix(params))
        return out;
    pthread_mutex_lock(&self->lock);
    lsp_doc *d = lang__doc(self, params);
    for (size_t i = 0; d && i < d->findings.n; i++) {
        const lsp_finding *x = &d->findings.v[i];
        if (!lang__lines_meet(want, x->range))
            continue;
        if (x->fix_edits)
            cJSON_AddItemToArray(out, lang__action(x->fix_title, x, d->uri, cJSON_Duplicate(x->fix_edits, 1), true));
        cJSON *sup = lang__suppress_edit(d, x);
        if (sup) {
            char *title = driver_xasprintf("suppress %s on this line", x->rule);
            cJSON_AddItemToArray(out, lang__action(title, x, d->uri, sup, false));
            free(title);
        }
    }
    pthread_mutex_unlock(&self->lock);
    return out;
}

static bool lang__contains(lsp_range r, uint32_t line, uint32_t ch)
{
    if (line < r.l0 || line > r.l1)
        return false;
    if (line == r.l0 && ch < r.c0)
        return false;
    return !(line == r.l1 && ch > r.c1);
}

cJSON *lsp_hover(lsp_server *self, const cJSON *params)
{
    const cJSON *pos = lsp_json_obj(params, "position");
    int64_t line, ch;
    if (!lsp_json_int(pos, "line", &line) || !lsp_json_int(pos, "character", &ch) || line < 0 || ch < 0 ||
        line > UINT32_MAX || ch > UINT32_MAX)
        return NULL;
    char *md = NULL;
    size_t mdlen = 0;
    FILE *f = open_memstream(&md, &mdlen);
    if (!f)
        abort();
    size_t nrules, found = 0;
    const emit_rule *rules = emit_rules(&nrules);
    lsp_range at = { 0 };
    pthread_mutex_lock(&self->lock);
    lsp_doc *d = lang__doc(self, params);
    for (size_t i = 0; d && i < d->findings.n; i++) {
        const lsp_finding *x = &d->findings.v[i];
        if (!lang__contains(x->range, (uint32_t)line, (uint32_t)ch))
            continue;
        size_t r = emit_rule_index(x->rule);
        const char *msg = lsp_json_str(x->diagnostic, "message");
        fprintf(f, "%s**%s**: %s\n\n%s", found ? "\n\n---\n\n" : "", x->rule,
                r < nrules && rules[r].summary ? rules[r].summary : "", msg ? msg : "");
        if (r < nrules && rules[r].help_uri)
            fprintf(f, "\n\n[%s](%s)", x->rule, rules[r].help_uri);
        if (found++ == 0)
            at = x->range;
    }
    pthread_mutex_unlock(&self->lock);
    fclose(f);
    cJSON *out = NULL;
    if (found) {
        out = cJSON_CreateObject();
        cJSON *c = cJSON_AddObjectToObject(out, "contents");
        cJSON_AddStringToObject(c, "kind", "markdown");
        cJSON_AddStringToObject(c, "value", md);
        cJSON_AddItemToObject(out, "range", lsp_range_json(at));
    }
    free(md);
    return out;
}
