/* job.c — one input, up to its models (driver_impl.h): the file read once,
 * its compiler arguments, the front end, the fallback to tree-sitter when
 * clang meets compile errors, and the models of its project headers. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "driver/cmdline.h"
#include "driver/driver_impl.h"
#include "driver/frontends.h"
#include "driver/limits.h"
#include "driver/util.h"

/* At most this many compile errors are listed per file (clang's cascades
 * after a missing header run long); the rest are counted in one line. */
static const size_t job__max_compile_errors = 8;

void job_add_error(job *j, driver_error_kind kind, const char *file, model_loc loc, driver_level level,
                   const char *hint, const char *fmt, ...)
{
    j->errors = driver_xrealloc(j->errors, (j->nerrors + 1) * sizeof *j->errors);
    job_error *e = &j->errors[j->nerrors++];
    memset(e, 0, sizeof *e);
    e->kind = kind;
    e->file = file ? driver_xstrdup(file) : NULL;
    e->loc = loc;
    e->level = level;
    e->hint = hint ? driver_xstrdup(hint) : NULL;
    va_list ap;
    va_start(ap, fmt);
    char buf[2048];
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    e->msg = driver_xstrdup(buf);
}

/* What the front ends report while a job builds. */
typedef struct job_sink {
    const driver *d;
    job *j;
    size_t ncompile;       /* compile errors seen */
    bool collect_headers;
} job_sink;

static void job__on_error(void *ctx, const frontend_error *e)
{
    job_sink *s = ctx;
    if (e->note) { /* the front end lost nothing: a remark */
        job_add_error(s->j, DRIVER_ERR_COMPILE, e->file ? e->file : s->j->in->path, e->loc, DRIVER_LEVEL_NOTE, NULL,
                      "%s", e->msg ? e->msg : "remark");
        return;
    }
    if (s->ncompile++ >= job__max_compile_errors)
        return;
    char *hint = e->missing_header ? driver_missing_header_hint(s->d, e->missing_header, s->j->in->path) : NULL;
    /* The file as the user named it when the error is in it. */
    const char *file = e->file;
    char *report = NULL;
    if (file) {
        char a[PATH_MAX], b[PATH_MAX];
        if (realpath(file, a) && realpath(s->j->in->path, b) && strcmp(a, b) == 0)
            file = s->j->in->path;
        else
            file = report = driver_report_path(file);
    }
    job_add_error(s->j, DRIVER_ERR_COMPILE, file ? file : s->j->in->path, file ? e->loc : (model_loc){ 0, 0 },
                  DRIVER_LEVEL_ERROR, hint, "%s", e->msg ? e->msg : "compile error");
    free(report);
    free(hint);
}

static bool job__is_tether_header(const driver *d, const char *real)
{
    const char *base = strrchr(real, '/');
    if (base && strcmp(base + 1, "tether.h") == 0)
        return true;
    char inc[PATH_MAX];
    if (!d->include || !realpath(d->include, inc))
        return false;
    size_t n = strlen(inc);
    return strncmp(real, inc, n) == 0 && real[n] == '/';
}

static void job__add_header(job *j, model_tu *tu, const char *real)
{
    j->headers = driver_xrealloc(j->headers, (j->nheaders + 1) * sizeof *j->headers);
    job_header *h = &j->headers[j->nheaders++];
    h->real = driver_xstrdup(real);
    h->report = driver_report_path(real);
    h->tu = tu;
    tu->path = model_strdup(tu, h->report);
}

static bool job__has_header(const job *j, const char *real)
{
    for (size_t i = 0; i < j->nheaders; i++)
        if (strcmp(j->headers[i].real, real) == 0)
            return true;
    return false;
}

static void job__on_header(void *ctx, model_tu *tu)
{
    job_sink *s = ctx;
    char real[PATH_MAX];
    if (!s->collect_headers || !realpath(tu->path, real) || job__is_tether_header(s->d, real) ||
        job__has_header(s->j, real)) {
        model_free(tu);
        return;
    }
    job__add_header(s->j, tu, real);
}

static void job__free_headers(job *j)
{
    for (size_t i = 0; i < j->nheaders; i++) {
        model_free(j->headers[i].tu);
        free(j->headers[i].real);
        free(j->headers[i].report);
    }
    free(j->headers);
    j->headers = NULL;
    j->nheaders = 0;
}

/* The arguments of the job's file: its own, its database entry's, or the
 * defaults; the extra arguments around them. */
static char **job__args(const driver *d, const job *j, size_t *argc)
{
    size_t nbase = 0;
    char **base = NULL;
    if (j->in->args) {
        base = driver_xmalloc((j->in->nargs + 1) * sizeof *base);
        for (size_t i = 0; i < j->in->nargs; i++)
            base[nbase++] = driver_xstrdup(j->in->args[i]);
    } else if (d->db) {
        base = compdb_args(d->db, j->in->path, &nbase);
    }
    if (!base) {
        base = driver_xmalloc(3 * sizeof *base);
        base[nbase++] = driver_xstrdup("-std=c11");
        const char *slash = strrchr(j->in->path, '/');
        base[nbase++] = slash ? driver_xasprintf("-I%.*s", (int)(slash - j->in->path), j->in->path)
                              : driver_xstrdup("-I.");
    }
    size_t n = d->o.nextra_before + nbase + d->o.nextra;
    char **argv = driver_xmalloc((n + 1) * sizeof *argv);
    size_t k = 0;
    for (size_t i = 0; i < d->o.nextra_before; i++)
        argv[k++] = driver_xstrdup(d->o.extra_args_before[i]);
    for (size_t i = 0; i < nbase; i++)
        argv[k++] = base[i];
    free(base);
    for (size_t i = 0; i < d->o.nextra; i++)
        argv[k++] = driver_xstrdup(d->o.extra_args[i]);
    *argc = k;
    return argv;
}

/* Reads the input once; false (with an input error) when it cannot be. */
static bool job__read(job *j)
{
    double t0 = driver_now_ms();
    const char *path = j->in->path;
    char why[256];
    if (j->in->text) {
        if (limits_too_large(j->in->length, why, sizeof why)) {
            job_add_error(j, DRIVER_ERR_INPUT, path, (model_loc){ 0, 0 }, DRIVER_LEVEL_ERROR, NULL, "%s", why);
            return false;
        }
        j->src = src_file_load(path, j->in->text, j->in->length);
    } else {
        struct stat st;
        if (stat(path, &st) != 0) {
            job_add_error(j, DRIVER_ERR_INPUT, path, (model_loc){ 0, 0 }, DRIVER_LEVEL_ERROR, NULL, "%s", strerror(errno));
            return false;
        }
        if (!S_ISREG(st.st_mode)) {
            job_add_error(j, DRIVER_ERR_INPUT, path, (model_loc){ 0, 0 }, DRIVER_LEVEL_ERROR, NULL, "not a regular file");
            return false;
        }
        if (limits_too_large((size_t)st.st_size, why, sizeof why)) {
            job_add_error(j, DRIVER_ERR_INPUT, path, (model_loc){ 0, 0 }, DRIVER_LEVEL_ERROR, NULL, "%s", why);
            return false;
        }
        errno = 0;
        j->src = src_file_load(path, NULL, 0);
        if (!j->src) {
            job_add_error(j, DRIVER_ERR_INPUT, path, (model_loc){ 0, 0 }, DRIVER_LEVEL_ERROR, NULL, "%s",
                          errno ? strerror(errno) : "cannot read");
            return false;
        }
    }
    j->read_ms = driver_now_ms() - t0;
    /* C text holds no NUL byte (the front ends would each read one their
     * own way: clang ignores it, tree-sitter sees a syntax error). */
    const char *nul = memchr(j->src->text, '\0', j->src->length);
    if (nul) {
        unsigned line = 1;
        for (const char *p = j->src->text; p < nul; p++)
            line += *p == '\n';
        job_add_error(j, DRIVER_ERR_INPUT, path, (model_loc){ 0, 0 }, DRIVER_LEVEL_ERROR, NULL,
                      "not a C source file (binary data: a NUL byte on line %u)", line);
        return false;
    }
    return true;
}

/* With the tree-sitter front end, the project headers are found from the
 * text: `#include "..."` resolved as the preprocessor would, transitively. */
static void job__ts_headers(const driver *d, job *j, const char *path, const char *text, size_t len,
                            const char *const *args, size_t nargs, int depth)
{
    size_t n = 0;
    char **incs = driver_quoted_includes(path, text, len, args, nargs, &n);
    for (size_t i = 0; i < n; i++) {
        char real[PATH_MAX];
        if (!realpath(incs[i], real) || job__is_tether_header(d, real) || job__has_header(j, real))
            continue;
        src_file *h = src_file_load(real, NULL, 0);
        if (!h)
            continue;
        frontend_input in = { 0 };
        in.path = real;
        in.contents = h->text;
        in.length = h->length;
        in.tether_include_dir = d->include;
        in.aliases = d->o.aliases;
        in.naliases = d->o.naliases;
        model_tu *tu = NULL;
        char err[512] = "";
        frontend_stats st = { 0 };
        if (driver_frontend_build(driver_frontend_find("tree-sitter"), &in, &tu, &st, err, sizeof err) == 0 &&
            tu) {
            j->st.parse_ms += st.parse_ms;
            j->st.model_ms += st.model_ms;
            job__add_header(j, tu, real);
            if (depth < 8)
                job__ts_headers(d, j, real, h->text, h->length, args, nargs, depth + 1);
        }
        src_file_free(h);
    }
    cmdline_free(incs, n);
}

/* How much of a file a model holds: its events. */
static size_t job__weight(const model_tu *tu)
{
    size_t n = 0;
    for (size_t f = 0; tu && f < tu->nfuncs; f++)
        for (size_t b = 0; b < tu->funcs[f].nblocks; b++)
            n += tu->funcs[f].blocks[b].nevents;
    return n;
}

void job_build(const driver *d, job *j)
{
    j->fe_name = d->fe->name;
    if (!job__read(j)) {
        j->failed = true;
        return;
    }
    /* libclang cannot be stopped once parsing: it gets only what fits the budget. */
    char why[256];
    if (d->fe->uses_args && limits_over_budget(j->src->text, j->src->length, why, sizeof why)) {
        job_add_error(j, DRIVER_ERR_INPUT, j->in->path, (model_loc){ 0, 0 }, DRIVER_LEVEL_ERROR, NULL, "%s", why);
        j->failed = true;
        return;
    }
    size_t argc = 0;
    char **argv = d->fe->uses_args || d->o.headers ? job__args(d, j, &argc) : NULL;
    job_sink s = { d, j, 0, d->o.headers && !d->o.dump_models };
    frontend_sink fs = { &s, job__on_error, job__on_header };
    frontend_input in = { 0 };
    in.path = j->in->path;
    in.contents = j->src->text;
    in.length = j->src->length;
    in.argv = (const char *const *)argv;
    in.argc = argc;
    in.tether_include_dir = d->include;
    in.aliases = d->o.aliases;
    in.naliases = d->o.naliases;
    in.reuse = d->o.reuse_parses;
    in.sink = &fs;
    char err[512] = "";
    if (driver_frontend_build(d->fe, &in, &j->tu, &j->st, err, sizeof err) != 0) {
        job_add_error(j, DRIVER_ERR_INPUT, j->in->path, (model_loc){ 0, 0 }, DRIVER_LEVEL_ERROR, NULL, "%s",
                      err[0] ? err : "cannot analyze");
        j->failed = true;
        goto out;
    }
    if (s.ncompile > job__max_compile_errors)
        job_add_error(j, DRIVER_ERR_COMPILE, j->in->path, (model_loc){ 0, 0 }, DRIVER_LEVEL_NOTE, NULL,
                      "%zu more compile errors not shown", s.ncompile - job__max_compile_errors);
    if (s.ncompile > 0 && d->fallback) {
        /* The clang model of a file that did not compile can miss anything
         * (a missing header drops whole functions): the text-only front end
         * models it too, and the richer model is analyzed. The run fails all
         * the same. */
        frontend_stats st = { 0 };
        in.sink = NULL;
        err[0] = '\0';
        model_tu *ts = NULL;
        if (driver_frontend_build(d->fallback, &in, &ts, &st, err, sizeof err) == 0 && ts) {
            j->st.parse_ms += st.parse_ms;
            j->st.model_ms += st.model_ms;
            size_t wc = job__weight(j->tu), wt = job__weight(ts);
            if (wt >= wc) {
                j->st.functions = st.functions;
                j->st.functions_skipped = st.functions_skipped;
                j->st.functions_around = st.functions_around;
                model_free(j->tu);
                j->tu = ts;
                job__free_headers(j);
                j->fe_name = d->fallback->name;
                job_add_error(j, DRIVER_ERR_COMPILE, j->in->path, (model_loc){ 0, 0 }, DRIVER_LEVEL_NOTE, NULL,
                              "analyzed with the tree-sitter front end instead (as --fast would), since clang "
                              "could not compile it; fix the errors above for the precise analysis");
            } else {
                model_free(ts);
                job_add_error(j, DRIVER_ERR_COMPILE, j->in->path, (model_loc){ 0, 0 }, DRIVER_LEVEL_NOTE, NULL,
                              "analyzed with what clang recovered (the tree-sitter front end recovered less); "
                              "fix the errors above for the precise analysis");
            }
        }
    } else if (err[0] && s.ncompile == 0) {
        /* A remark of the front end's (not an error). */
        job_add_error(j, DRIVER_ERR_COMPILE, j->in->path, (model_loc){ 0, 0 }, DRIVER_LEVEL_NOTE, NULL, "%s", err);
    }
    if (s.collect_headers && strcmp(j->fe_name, "tree-sitter") == 0)
        job__ts_headers(d, j, j->in->path, j->src->text, j->src->length, (const char *const *)argv, argc, 0);
out:
    cmdline_free(argv, argc);
}

void job_free(job *j)
{
    src_file_free(j->src);
    j->src = NULL;
    if (j->tu)
        model_free(j->tu);
    j->tu = NULL;
    job__free_headers(j);
    for (size_t i = 0; i < j->nerrors; i++) {
        free(j->errors[i].file);
        free(j->errors[i].msg);
        free(j->errors[i].hint);
    }
    free(j->errors);
    j->errors = NULL;
    j->nerrors = 0;
}
