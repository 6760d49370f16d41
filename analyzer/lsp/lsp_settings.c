/* lsp_settings.c — the server's settings (lsp_impl.h): from the client's
 * initializationOptions and workspace/didChangeConfiguration, as
 *   { "tether": { "frontend": "auto" | "clang" | "tree-sitter",
 *                 "configPath": ".tether.yml for every file",
 *                 "compileCommands": "build",
 *                 "rules": { "spawn-no-cancel": "off" | "on" | "error" | "warning" | "note" },
 *                 "debounceMs": 150 } }
 * (the object under "tether", or the keys directly). */
#include <stdlib.h>
#include <string.h>

#include "driver/util.h"
#include "lsp/lsp_impl.h"
#include "rule.h"

/* Time after the last keystroke before the unsaved text is analyzed. */
static const int settings__default_debounce_ms = 150;

void lsp_settings_init(lsp_settings *s)
{
    memset(s, 0, sizeof *s);
    s->rules = driver_xmalloc(rule_count + 1);
    s->severity = driver_xmalloc((rule_count + 1) * sizeof *s->severity);
    s->sev_set = driver_xmalloc((rule_count + 1) * sizeof *s->sev_set);
    for (size_t i = 0; i < rule_count; i++)
        s->rules[i] = -1;
    s->debounce_ms = settings__default_debounce_ms;
}

void lsp_settings_free(lsp_settings *s)
{
    free(s->config);
    free(s->compdb);
    free(s->rules);
    free(s->severity);
    free(s->sev_set);
    memset(s, 0, sizeof *s);
}

void lsp_settings_copy(lsp_settings *dst, const lsp_settings *src)
{
    lsp_settings_free(dst);
    lsp_settings_init(dst);
    dst->frontend = src->frontend;
    dst->config = src->config ? driver_xstrdup(src->config) : NULL;
    dst->compdb = src->compdb ? driver_xstrdup(src->compdb) : NULL;
    memcpy(dst->rules, src->rules, rule_count);
    memcpy(dst->severity, src->severity, rule_count * sizeof *dst->severity);
    memcpy(dst->sev_set, src->sev_set, rule_count * sizeof *dst->sev_set);
    dst->debounce_ms = src->debounce_ms;
}

static void settings__log(FILE *log, const char *what, const char *key)
{
    if (log) {
        fprintf(log, "tether lsp: setting %s: %s, ignored\n", key, what);
        fflush(log);
    }
}

/* A path setting: a string, or null/"" for none. */
static bool settings__path(char **field, const cJSON *v, const char *key, FILE *log)
{
    const char *s = cJSON_IsString(v) ? v->valuestring : NULL;
    if (!s && !cJSON_IsNull(v)) {
        settings__log(log, "not a string", key);
        return false;
    }
    if (s && !*s)
        s = NULL;
    if ((!s && !*field) || (s && *field && strcmp(s, *field) == 0))
        return false;
    free(*field);
    *field = s ? driver_xstrdup(s) : NULL;
    return true;
}

static size_t settings__rule(const char *id)
{
    for (size_t i = 0; i < rule_count; i++)
        if (strcmp(rule_registry[i]->id, id) == 0)
            return i;
    return (size_t)-1;
}

static bool settings__rules(lsp_settings *s, const cJSON *v, FILE *log)
{
    if (!cJSON_IsObject(v)) {
        settings__log(log, "not an object", "rules");
        return false;
    }
    bool changed = false;
    const cJSON *r;
    cJSON_ArrayForEach(r, v)
    {
        size_t i = settings__rule(r->string);
        const char *val = cJSON_IsString(r) ? r->valuestring : NULL;
        if (i == (size_t)-1 || !val) {
            settings__log(log, i == (size_t)-1 ? "unknown rule" : "not a string", r->string);
            continue;
        }
        signed char on = strcmp(val, "off") == 0 ? 0 : 1;
        bool sev = false;
        diag_severity d = DIAG_WARNING;
        if (strcmp(val, "error") == 0 || strcmp(val, "warning") == 0 || strcmp(val, "note") == 0) {
            sev = true;
            d = val[0] == 'e' ? DIAG_ERROR : val[0] == 'n' ? DIAG_NOTE : DIAG_WARNING;
        } else if (strcmp(val, "on") != 0 && strcmp(val, "off") != 0) {
            settings__log(log, "not on, off, error, warning or note", r->string);
            continue;
        }
        changed |= s->rules[i] != on || s->sev_set[i] != sev || s->severity[i] != d;
        s->rules[i] = on;
        s->sev_set[i] = sev;
        s->severity[i] = d;
    }
    return changed;
}

bool lsp_settings_apply(lsp_settings *s, const cJSON *obj, FILE *log)
{
    const cJSON *t = lsp_json_obj(obj, "tether");
    if (t)
        obj = t;
    bool changed = false;
    const cJSON *v;
    cJSON_ArrayForEach(v, obj)
    {
        const char *k = v->string;
        if (!k)
            continue;
        if (strcmp(k, "frontend") == 0) {
            const char *f = cJSON_IsString(v) ? v->valuestring : "";
            lsp_fe_choice c = strcmp(f, "auto") == 0                                   ? LSP_FE_AUTO
                              : strcmp(f, "clang") == 0                                ? LSP_FE_CLANG
                              : strcmp(f, "tree-sitter") == 0 || strcmp(f, "treesitter") == 0 ? LSP_FE_TREESITTER
                                                                                        : (lsp_fe_choice)-1;
            if ((int)c < 0) {
                settings__log(log, "not auto, clang or tree-sitter", k);
                continue;
            }
            changed |= c != s->frontend;
            s->frontend = c;
        } else if (strcmp(k, "configPath") == 0) {
            changed |= settings__path(&s->config, v, k, log);
        } else if (strcmp(k, "compileCommands") == 0) {
            changed |= settings__path(&s->compdb, v, k, log);
        } else if (strcmp(k, "rules") == 0) {
            changed |= settings__rules(s, v, log);
        } else if (strcmp(k, "debounceMs") == 0) {
            if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 60000) {
                settings__log(log, "not a number of milliseconds from 0 to 60000", k);
                continue;
            }
            s->debounce_ms = (int)v->valuedouble;
        } else {
            settings__log(log, "unknown", k);
        }
    }
    return changed;
}
