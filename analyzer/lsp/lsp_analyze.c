/* lsp_analyze.c — one analysis of a document's text through the driver
 * (lsp_impl.h): its .tether.yml, the front end for the moment (tree-sitter
 * while typing, clang on open and save), its compile database, and a
 * driver per such choice, kept until the settings or watched files change. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config.h"
#include "driver/driver.h"
#include "driver/util.h"
#include "lsp/lsp_diag.h"
#include "lsp/lsp_impl.h"
#include "rule.h"

typedef struct worker_driver {
    const config *cfg;
    const char *fe;           /* static */
    bool typing;              /* findings moved when an edit leaves the model as it was */
    char *compdb;
    driver *d;
    bool *enabled;
    diag_severity *severity;
} worker_driver;

struct lsp_worker {
    lsp_settings s;
    config_cache *cc;
    worker_driver *drivers;
    size_t ndrivers;
    bool clang_failed;        /* libclang does not load: tree-sitter only */
    const char *forced;       /* the front end for everything, or NULL */
};

lsp_worker *lsp_worker_new(const char *frontend)
{
    lsp_worker *w = driver_xmalloc(sizeof *w);
    w->forced = frontend;
    lsp_settings_init(&w->s);
    return w;
}

static void worker__drop(lsp_worker *w)
{
    for (size_t i = 0; i < w->ndrivers; i++) {
        driver_free(w->drivers[i].d);
        free(w->drivers[i].compdb);
        free(w->drivers[i].enabled);
        free(w->drivers[i].severity);
    }
    free(w->drivers);
    w->drivers = NULL;
    w->ndrivers = 0;
    config_cache_free(w->cc);
    w->cc = NULL;
}

void lsp_worker_free(lsp_worker *w)
{
    if (!w)
        return;
    worker__drop(w);
    lsp_settings_free(&w->s);
    free(w);
}

void lsp_worker_reset(lsp_worker *w, const lsp_settings *s)
{
    worker__drop(w);
    lsp_settings_copy(&w->s, s);
    w->clang_failed = false;
}

/* Problems of the run, one per line, for window/logMessage. */
typedef struct analyze_ctx {
    const lsp_snapshot *snap;
    lsp_findings *out;
    char *problems;
    size_t nproblems;
    FILE *pf;
} analyze_ctx;

static void analyze__on_error(void *ctx, const driver_error *e)
{
    analyze_ctx *a = ctx;
    const char *lvl = e->level == DRIVER_LEVEL_ERROR ? "error" : e->level == DRIVER_LEVEL_WARNING ? "warning" : "note";
    if (e->file && e->loc.line)
        fprintf(a->pf, "%s:%u:%u: %s: %s", e->file, e->loc.line, e->loc.col, lvl, e->msg);
    else if (e->file)
        fprintf(a->pf, "%s: %s: %s", e->file, lvl, e->msg);
    else
        fprintf(a->pf, "%s: %s", lvl, e->msg);
    if (e->hint)
        fprintf(a->pf, " (%s)", e->hint);
    fputc('\n', a->pf);
}

static void analyze__on_file(void *ctx, const driver_file *f)
{
    analyze_ctx *a = ctx;
    if (f->header || strcmp(f->path, a->snap->path) != 0)
        return; /* findings of another file: published when that file is open */
    lsp_diag_convert(f, a->snap->uri, a->snap->text, a->snap->len, a->out);
}

/* The compile database for path: the setting, the config's, else the
 * nearest compile_commands.json (or build/compile_commands.json) in the
 * file's folder or above. malloc'd, NULL for none. */
static char *analyze__compdb(const lsp_worker *w, const config *cfg, const char *path)
{
    if (w->s.compdb)
        return driver_xstrdup(w->s.compdb);
    if (cfg && cfg->compdb)
        return driver_xstrdup(cfg->compdb);
    char *dir = driver_xstrdup(path);
    char *out = NULL;
    for (char *slash; !out && (slash = strrchr(dir, '/')) != NULL;) {
        *slash = '\0';
        static const char *const names[] = { "compile_commands.json", "build/compile_commands.json" };
        for (size_t i = 0; i < 2 && !out; i++) {
            char *p = driver_xasprintf("%s/%s", *dir ? dir : "", names[i]);
            struct stat st;
            if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
                out = p;
            else
                free(p);
        }
    }
    free(dir);
    return out;
}

static diag_severity analyze__sev(config_severity s)
{
    return s == CONFIG_SEV_ERROR ? DIAG_ERROR : s == CONFIG_SEV_NOTE ? DIAG_NOTE : DIAG_WARNING;
}

/* The driver for (cfg, fe, compdb, typing), made on first use; NULL when
 * it cannot be made (problems said). Saves always analyze afresh. */
static driver *analyze__driver(lsp_worker *w, const config *cfg, const char *fe, char *compdb, bool typing,
                               analyze_ctx *a)
{
    for (size_t i = 0; i < w->ndrivers; i++) {
        worker_driver *x = &w->drivers[i];
        if (x->cfg == cfg && strcmp(x->fe, fe) == 0 && x->typing == typing &&
            ((!x->compdb && !compdb) || (x->compdb && compdb && strcmp(x->compdb, compdb) == 0))) {
            free(compdb);
            return x->d;
        }
    }
    w->drivers = driver_xrealloc(w->drivers, (w->ndrivers + 1) * sizeof *w->drivers);
    worker_driver *x = &w->drivers[w->ndrivers++];
    memset(x, 0, sizeof *x);
    x->cfg = cfg;
    x->fe = fe;
    x->typing = typing;
    x->compdb = compdb;
    x->enabled = driver_xmalloc((rule_count + 1) * sizeof *x->enabled);
    x->severity = driver_xmalloc((rule_count + 1) * sizeof *x->severity);
    for (size_t i = 0; i < rule_count; i++) {
        x->enabled[i] = cfg ? cfg->rules[i].enabled != 0 : true;
        x->severity[i] = cfg ? analyze__sev(cfg->rules[i].severity) : DIAG_WARNING;
        if (w->s.rules[i] >= 0)
            x->enabled[i] = w->s.rules[i] == 1;
        if (w->s.sev_set[i])
            x->severity[i] = w->s.severity[i];
    }
    driver_opts o = { 0 };
    o.frontend = fe;
    o.grouping = DRIVER_PER_FILE;
    o.compdb = compdb;
    o.enabled = x->enabled;
    o.severity = x->severity;
    o.fallback = true;
    o.headers = true;
    o.jobs = 1;
    o.reuse_parses = true; /* saves reparse; unchanged headers are not parsed again */
    o.reuse_analysis = typing;
    if (cfg) {
        o.aliases = cfg->aliases;
        o.naliases = cfg->naliases;
    }
    driver_sink s = { a, analyze__on_error, NULL, NULL };
    x->d = driver_new(&o, &s);
    return x->d;
}

/* Which front end: tree-sitter while typing, clang on open and save,
 * unless the settings (or the config, for saves) say otherwise. */
static const char *analyze__frontend(const lsp_worker *w, const config *cfg, bool save)
{
    if (w->forced)
        return w->forced;
    if (w->s.frontend == LSP_FE_TREESITTER || w->clang_failed)
        return "tree-sitter";
    if (w->s.frontend == LSP_FE_CLANG)
        return "clang";
    if (!save || (cfg && cfg->frontend == CONFIG_FE_TREESITTER))
        return "tree-sitter";
    return "clang";
}

void lsp_analyze(lsp_worker *w, const lsp_snapshot *snap, const atomic_bool *cancel, lsp_findings *out,
                 char **problems)
{
    analyze_ctx a = { snap, out, NULL, 0, NULL };
    size_t plen = 0;
    a.pf = open_memstream(problems, &plen);
    if (!a.pf)
        abort();
    const char *path = snap->path ? snap->path : "untitled.c";
    lsp_snapshot named = *snap;
    named.path = (char *)path;
    a.snap = &named;
    if (!w->cc)
        w->cc = config_cache_new(w->s.config);
    const config *cfg = NULL;
    char err[1024];
    if (snap->path && config_for_file(w->cc, snap->path, &cfg, err, sizeof err) != 0) {
        fprintf(a.pf, "error: %s\n", err);
        cfg = NULL;
    }
    if (cfg && cfg->nexclude && config_excludes(cfg, path))
        goto out; /* excluded: no findings */
    const char *fe = analyze__frontend(w, cfg, snap->save);
    driver *d = analyze__driver(w, cfg, fe, analyze__compdb(w, cfg, path), !snap->save, &a);
    if (!d && strcmp(fe, "clang") == 0) {
        w->clang_failed = true;
        d = analyze__driver(w, cfg, "tree-sitter", analyze__compdb(w, cfg, path), !snap->save, &a);
    }
    if (!d)
        goto out;
    driver_input in = { 0 };
    in.path = path;
    in.text = snap->text;
    in.length = snap->len;
    driver_sink sink = { &a, analyze__on_error, analyze__on_file, NULL };
    driver_run(d, &in, 1, &sink, cancel, NULL);
out:
    fclose(a.pf);
    if (plen == 0) {
        free(*problems);
        *problems = NULL;
    }
}
