/* driver.c — making a driver (driver.h): the front end, the compile
 * database, the options copied; and the path helpers the driver shares. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config_paths.h"
#include "driver/cmdline.h"
#include "driver/driver_impl.h"
#include "emit/emit.h"
#include "driver/util.h"
#include "rule.h"

/* The folder of tether.h: the option, else $TETHER_INCLUDE, else the
 * installed tree's next to this tether, else (the tether in its build
 * folder) the source tree's (config_paths.h); NULL when none has it. */
static char *driver__include(const char *opt)
{
    if (opt && *opt)
        return driver_xstrdup(opt);
    const char *found = config_tether_include();
    return found ? driver_xstrdup(found) : NULL;
}

static void driver__setup_error(driver *self, const driver_sink *sink, const char *msg)
{
    self->setup_error = true;
    if (sink && sink->error) {
        driver_error e = { DRIVER_ERR_SETUP, DRIVER_LEVEL_ERROR, NULL, { 0, 0 }, msg, NULL, NULL };
        sink->error(sink->ctx, &e);
    }
}

static char **driver__copy_args(const char *const *v, size_t n)
{
    char **out = driver_xmalloc((n + 1) * sizeof *out);
    for (size_t i = 0; i < n; i++)
        out[i] = driver_xstrdup(v[i]);
    return out;
}

driver *driver_new(const driver_opts *opts, const driver_sink *sink)
{
    double t0 = driver_now_ms();
    driver *self = driver_xmalloc(sizeof *self);
    self->o = *opts;
    self->fe = driver_frontend_find(opts->frontend ? opts->frontend : "clang");
    if (!self->fe) {
        char *msg = driver_xasprintf("the %s front end is not built in this tether", opts->frontend);
        driver__setup_error(self, sink, msg);
        free(msg);
        driver_free(self);
        return NULL;
    }
    char why[512] = "";
    if (!self->fe->available(why, sizeof why)) {
        char *msg = strcmp(self->fe->name, "clang") == 0
                        ? driver_xasprintf("cannot load libclang (%s): use --frontend=tree-sitter", why)
                        : driver_xasprintf("the %s front end cannot run: %s", self->fe->name, why);
        driver__setup_error(self, sink, msg);
        free(msg);
        driver_free(self);
        return NULL;
    }
    const driver_frontend *ts = driver_frontend_find("tree-sitter");
    if (opts->fallback && ts && ts != self->fe && ts->available(why, sizeof why))
        self->fallback = ts;
    self->include = driver__include(opts->tether_include);
    self->o.tether_include = self->include;
    char cwd[PATH_MAX], real[PATH_MAX];
    const char *root = opts->root ? opts->root : (getcwd(cwd, sizeof cwd) ? cwd : ".");
    self->root = driver_xstrdup(realpath(root, real) ? real : root);
    self->o.root = self->root;
    self->enabled = driver_xmalloc((rule_count + 1) * sizeof *self->enabled);
    for (size_t i = 0; i < rule_count; i++)
        self->enabled[i] = opts->enabled ? opts->enabled[i] : true;
    self->o.enabled = self->enabled;
    self->severity = driver_xmalloc((rule_count + 1) * sizeof *self->severity);
    for (size_t i = 0; i < rule_count; i++)
        self->severity[i] = opts->severity ? opts->severity[i] : DIAG_WARNING;
    self->o.severity = self->severity;
    self->before = driver__copy_args(opts->extra_args_before, opts->nextra_before);
    self->o.extra_args_before = (const char *const *)self->before;
    self->extra = driver__copy_args(opts->extra_args, opts->nextra);
    self->o.extra_args = (const char *const *)self->extra;
    self->o.compdb = NULL;
    if (opts->compdb) {
        char err[1024];
        self->db = compdb_open(opts->compdb, err, sizeof err);
        if (!self->db) { /* the files are still analyzed, with the default flags */
            char *msg = driver_xasprintf("%s; using the default flags", err);
            driver__setup_error(self, sink, msg);
            free(msg);
        }
    }
    self->o.baseline = opts->baseline;
    self->o.only_lines = opts->only_lines;
    if (opts->reuse_analysis) {
        self->memo = memo_new();
        self->roots = roots_new();
    }
    self->setup_ms = driver_now_ms() - t0;
    return self;
}

void driver_free(driver *self)
{
    if (!self)
        return;
    compdb_close(self->db);
    memo_free(self->memo);
    roots_free(self->roots);
    free(self->include);
    free(self->root);
    free(self->enabled);
    free(self->severity);
    if (self->before)
        cmdline_free(self->before, self->o.nextra_before);
    if (self->extra)
        cmdline_free(self->extra, self->o.nextra);
    free(self);
}

bool driver_had_setup_error(const driver *self)
{
    return self->setup_error;
}

char **driver_compdb_files(const driver *self, size_t *n)
{
    *n = 0;
    if (!self->db)
        return NULL;
    size_t k;
    const char *const *files = compdb_files(self->db, &k);
    char **out = driver_xmalloc((k + 1) * sizeof *out);
    for (size_t i = 0; i < k; i++) {
        size_t len = strlen(files[i]);
        if (len > 2 && strcmp(files[i] + len - 2, ".c") == 0)
            out[(*n)++] = driver_report_path(files[i]);
    }
    return out;
}

char *driver_report_path(const char *path)
{
    char real[PATH_MAX], cwd[PATH_MAX];
    if (!realpath(path, real))
        return driver_xstrdup(path);
    if (!getcwd(cwd, sizeof cwd))
        return driver_xstrdup(real);
    return driver_root_relative(cwd, real); /* absolute when outside the cwd */
}

char *driver_root_relative(const char *root, const char *path)
{
    return emit_relative(root, path);
}
