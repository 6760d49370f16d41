/* check.c — `tether check` (check.h): collects the inputs, runs the driver,
 * hands each file's findings and each problem to the emitter, writes the
 * baseline, prints the summary and decides the exit status. */
#include "check.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check_config.h"
#include "config/config.h"
#include "driver/baseline.h"
#include "driver/cmdline.h"
#include "driver/driver.h"
#include "driver/fix_apply.h"
#include "driver/lines.h"
#include "emit/emit.h"
#include "files.h"
#include "options.h"
#include "rule.h"

#ifndef TETHER_VERSION
#define TETHER_VERSION "0.0.0"
#endif

static double check__now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void check_usage(FILE *out)
{
    options_usage(out);
}

/* What the sink callbacks share. */
typedef struct check_ctx {
    const check_opts *o;
    emitter *em;
    baseline_writer *bw;
    const char *root;        /* real path */
    size_t errors;           /* problems of level error */
    size_t error_findings;   /* findings printed as errors */
    size_t note_findings;    /* findings of severity note (.tether.yml): they never fail the run */
    size_t rejected;         /* paths that never became inputs (missing, no .c files) */
    double output_ms;
    size_t fixed;            /* --fix: findings fixed */
    size_t fixed_files;      /* --fix: files written */
    size_t *fixed_per_rule;  /* --fix: per rule_registry index */
} check_ctx;

static emit_level check__level(driver_level l)
{
    return l == DRIVER_LEVEL_ERROR ? EMIT_ERROR : l == DRIVER_LEVEL_WARNING ? EMIT_WARNING : EMIT_NOTE;
}

/* A problem: to the report (as the format can), and to stderr when the
 * report does not show it on its own. */
static void check__on_error(void *ctx, const driver_error *e)
{
    check_ctx *c = ctx;
    double t0 = check__now_ms();
    emit_problem p = { check__level(e->level), e->file, e->loc, e->msg, e->hint, e->src };
    if (c->em)
        emit_problem_add(c->em, &p);
    bool shown = c->em && c->o->format == EMIT_TEXT && emit_reports_problem(EMIT_TEXT, &p);
    if (!shown) {
        static const char *const words[] = { "error", "warning", "note" };
        fprintf(stderr, "tether: %s: ", words[e->level]);
        if (e->file && e->loc.line && e->loc.col)
            fprintf(stderr, "%s:%u:%u: ", e->file, (unsigned)e->loc.line, (unsigned)e->loc.col);
        else if (e->file && e->loc.line)
            fprintf(stderr, "%s:%u: ", e->file, (unsigned)e->loc.line);
        else if (e->file)
            fprintf(stderr, "%s: ", e->file);
        fputs(e->msg, stderr);
        if (e->hint)
            fprintf(stderr, " (%s)", e->hint);
        fputc('\n', stderr);
    }
    if (e->level == DRIVER_LEVEL_ERROR)
        c->errors++;
    c->output_ms += check__now_ms() - t0;
}

/* "rule: n, rule: n" for the fixes counted in per_rule (or in the diags
 * marked fixed). */
static void check__per_rule(FILE *out, const size_t *per_rule)
{
    const char *sep = " (";
    for (size_t r = 0; r < rule_count; r++)
        if (per_rule[r]) {
            fprintf(out, "%s%s: %zu", sep, rule_registry[r]->id, per_rule[r]);
            sep = ", ";
        }
    if (sep[0] == ',')
        fputc(')', out);
}

/* --fix on one file: marks in fixed[] the findings whose fix was written
 * (none for --fix-dry-run, which prints the diff instead). */
static void check__fix(check_ctx *c, const driver_file *f, bool *fixed)
{
    size_t len = 0;
    char *text = f->src ? fix_apply_text(f->src, f->path, f->diags, f->ndiags, fixed, &len) : NULL;
    if (!text)
        return;
    char err[512];
    if (c->o->fix_diff) {
        fix_print_diff(stdout, f->path, f->src->text, f->src->length, text, len);
        memset(fixed, 0, f->ndiags * sizeof *fixed);
    } else if (fix_write_file(f->path, f->src->text, f->src->length, text, len, err, sizeof err) != 0) {
        driver_error e = { DRIVER_ERR_INPUT, DRIVER_LEVEL_ERROR, f->path, { 0, 0 }, err, NULL, NULL };
        check__on_error(c, &e);
        memset(fixed, 0, f->ndiags * sizeof *fixed);
    } else {
        size_t *per_rule = calloc(rule_count + 1, sizeof *per_rule);
        size_t n = 0;
        if (!per_rule)
            abort();
        for (size_t i = 0; i < f->ndiags; i++)
            for (size_t r = 0; fixed[i] && r < rule_count; r++)
                if (f->diags[i].rule && strcmp(f->diags[i].rule, rule_registry[r]->id) == 0) {
                    per_rule[r]++;
                    c->fixed_per_rule[r]++;
                    n++;
                }
        c->fixed += n;
        c->fixed_files++;
        if (!c->o->quiet) {
            fprintf(stderr, "tether: fixed %zu finding%s in %s", n, n == 1 ? "" : "s", f->path);
            check__per_rule(stderr, per_rule);
            fputc('\n', stderr);
        }
        free(per_rule);
    }
    free(text);
}

static void check__on_file(void *ctx, const driver_file *f)
{
    check_ctx *c = ctx;
    double t0 = check__now_ms();
    bool *fixed = calloc(f->ndiags + 1, sizeof *fixed);
    diag *left = calloc(f->ndiags + 1, sizeof *left);
    if (!fixed || !left)
        abort();
    if (c->o->fix)
        check__fix(c, f, fixed);
    /* what is left to report: the findings not fixed */
    size_t nleft = 0;
    for (size_t i = 0; i < f->ndiags; i++)
        if (!fixed[i])
            left[nleft++] = f->diags[i];
    if (c->em)
        emit_file(c->em, f->path, f->src, left, nleft, f->source, f->run);
    free(fixed);
    for (size_t i = 0; i < nleft; i++) {
        c->error_findings += left[i].severity == DIAG_ERROR;
        c->note_findings += left[i].severity == DIAG_NOTE;
    }
    free(left);
    for (size_t i = 0; c->bw && i < f->ndiags; i++) {
        char *rel = emit_relative(c->root, f->path);
        baseline_writer_add(c->bw, &f->diags[i], rel);
        free(rel);
    }
    c->output_ms += check__now_ms() - t0;
}

static void check__on_model(void *ctx, const model_tu *tu)
{
    (void)ctx;
    model_dump(tu, stdout);
}

static bool check__color(const check_opts *o, FILE *out)
{
    if (o->color != -1)
        return o->color == 1;
    const char *nc = getenv("NO_COLOR");
    return isatty(fileno(out)) && !(nc && *nc);
}

/* A path the CLI cannot use: an input error, told as the driver's are. */
static void check__path_error(void *ctx, const char *path, const char *msg)
{
    driver_error e = { DRIVER_ERR_INPUT, DRIVER_LEVEL_ERROR, path, { 0, 0 }, msg, NULL, NULL };
    ((check_ctx *)ctx)->rejected++;
    check__on_error(ctx, &e);
}

/* The inputs: the paths (files, folders), or every C file of the compile
 * database. */
static driver_input *check__inputs(const check_opts *o, const driver *d, check_ctx *c, file_list *files,
                                   size_t *n, bool *bad)
{
    if (o->npaths == 0 && o->compdb) {
        size_t k = 0;
        char **all = driver_compdb_files(d, &k);
        for (size_t i = 0; i < k; i++) {
            if (files->n == files->cap) {
                files->cap = files->cap ? files->cap * 2 : 64;
                files->paths = realloc(files->paths, files->cap * sizeof *files->paths);
                if (!files->paths)
                    abort();
            }
            files->paths[files->n++] = all[i];
        }
        free(all);
        if (files->n == 0 && !driver_had_setup_error(d)) {
            check__path_error(c, o->compdb, "the compile database names no C file");
            *bad = true;
        }
    }
    for (size_t i = 0; i < o->npaths; i++)
        if (files_add(files, o->paths[i], check__path_error, c) != 0)
            *bad = true;
    driver_input *in = calloc(files->n + 1, sizeof *in);
    if (!in)
        abort();
    for (size_t i = 0; i < files->n; i++)
        in[i].path = files->paths[i];
    *n = files->n;
    return in;
}

/* Files: every path named (or found in folders), analyzed or failed,
 * whether the CLI or the driver found the problem. */
static void check__stats(const driver_summary *s, size_t rejected, double output_ms, double other_ms, int jobs,
                         double wall)
{
    const driver_stats *st = &s->stats;
    double setup = st->setup_ms + other_ms;
    double total = setup + st->read_ms + st->parse_ms + st->model_ms + st->analysis_ms + output_ms;
    fprintf(stderr,
            "tether: stats: files %zu (analyzed %zu, failed %zu) + headers %zu; setup %.1f ms + read %.1f ms + "
            "parse %.1f ms + model %.1f ms + analysis %.1f ms + output %.1f ms = total %.1f ms of work on %d "
            "thread%s; wall %.1f ms",
            st->inputs + rejected, st->files, st->failed + rejected, st->headers, setup, st->read_ms, st->parse_ms,
            st->model_ms,
            st->analysis_ms, output_ms, total, jobs, jobs == 1 ? "" : "s", wall);
    if (st->functions)
        fprintf(stderr, "; functions %zu (with syntax errors: %zu modeled around them, %zu skipped)", st->functions,
                st->functions_around, st->functions_skipped);
    /* last: the root names a file and a function */
    const analysis_engine_stats *e = &st->engine;
    fprintf(stderr, "; engine %.1f ms of the analysis: %zu states, %zu roots (%zu cut by the budget)", e->ms,
            e->states, e->roots, e->roots_cut);
    if (e->top_root[0])
        fprintf(stderr, ", costliest root %s (%.1f ms, %zu states)", e->top_root, e->top_ms, e->top_states);
    fputc('\n', stderr);
}

static void check__summary(const driver_summary *s, size_t files, size_t errors)
{
    fprintf(stderr, "tether: %zu warning%s", s->warnings, s->warnings == 1 ? "" : "s");
    if (errors)
        fprintf(stderr, " and %zu error%s", errors, errors == 1 ? "" : "s");
    fprintf(stderr, " in %zu file%s", files, files == 1 ? "" : "s");
    if (s->suppressed || s->baselined) {
        fputs(" (", stderr);
        if (s->suppressed)
            fprintf(stderr, "%zu suppressed", s->suppressed);
        if (s->suppressed && s->baselined)
            fputs(", ", stderr);
        if (s->baselined)
            fprintf(stderr, "%zu in the baseline or on unchanged lines", s->baselined);
        fputc(')', stderr);
    }
    fputc('\n', stderr);
}

static int check__jobs(const check_opts *o)
{
    if (o->jobs)
        return o->jobs;
    return sysconf(_SC_NPROCESSORS_ONLN) >= 2 ? 2 : 1;
}

/* A run over the options' inputs (or the given sources with the compile
 * command's flags, for launch). */
static int check__run(check_opts *o, int argc, char **argv, char **sources, size_t nsources)
{
    double t0 = check__now_ms();
    int status = CHECK_CLEAN;
    file_list files = { 0 };
    driver_input *inputs = NULL;
    size_t ninputs = 0;
    driver *d = NULL;
    emitter *em = NULL;
    FILE *out = stdout;
    driver_baseline *bl = NULL;
    driver_lines *lines = NULL;
    char **cmd_flags = NULL, **extra = NULL;
    size_t ncmd_flags = 0, nextra = 0;
    check_ctx c = { 0 };
    c.o = o;
    config_cache *cc = NULL;
    const config **cfgs = NULL;
    bool config_failed = false;
    double other = 0; /* setup beside the drivers' (set before the runs) */
    driver_summary sum;
    memset(&sum, 0, sizeof sum);
    char err[1024];

    if (o->baseline && !o->write_baseline && !(bl = baseline_load(o->baseline, err, sizeof err))) {
        fprintf(stderr, "tether: error: --baseline: %s\n", err);
        status = CHECK_ERROR;
        goto out;
    }
    if (o->new_from_rev && !(lines = lines_from_git(o->new_from_rev, err, sizeof err))) {
        fprintf(stderr, "tether: error: %s\n", err);
        status = CHECK_ERROR;
        goto out;
    }
    c.fixed_per_rule = calloc(rule_count + 1, sizeof *c.fixed_per_rule);
    if (!c.fixed_per_rule)
        abort();
    if (o->to_stderr || (o->fix_diff && !o->output))
        out = stderr; /* --fix-dry-run: standard output is the diff's */
    else if (o->output && !(out = fopen(o->output, "w"))) {
        fprintf(stderr, "tether: error: %s: %s\n", o->output, strerror(errno));
        out = stdout;
        status = CHECK_ERROR;
        goto out;
    }
    /* The words after `--` are flags: extra ones for every file (appended
     * after its database or default flags), or a compile command's. */
    if (o->ncommand)
        cmd_flags = cmdline_flags((const char *const *)o->command, o->ncommand, NULL, &ncmd_flags);
    nextra = o->nextra + o->nafter;
    extra = calloc(nextra + 1, sizeof *extra);
    if (!extra)
        abort();
    for (size_t i = 0; i < o->nextra; i++)
        extra[i] = o->extra[i];
    for (size_t i = 0; i < o->nafter; i++)
        extra[o->nextra + i] = o->after[i];

    char cwd[PATH_MAX], root[PATH_MAX];
    const char *r = o->root ? o->root : (getcwd(cwd, sizeof cwd) ? cwd : ".");
    c.root = realpath(r, root) ? root : r;
    if (o->write_baseline)
        c.bw = baseline_writer_new();
    if (!o->dump_model) {
        emit_opts eo = { out, check__color(o, out), c.root, TETHER_VERSION, (const char *const *)argv,
                         (size_t)argc };
        c.em = emit_new(o->format, &eo);
        em = c.em;
    }
    driver_sink sink = { &c, check__on_error, check__on_file, check__on_model };
    driver_opts dopts = { 0 };
    dopts.frontend = o->frontend;
    dopts.grouping = o->compdb ? DRIVER_PROJECT : DRIVER_PER_FILE;
    dopts.compdb = o->compdb;
    dopts.extra_args_before = (const char *const *)o->before;
    dopts.nextra_before = o->nbefore;
    dopts.extra_args = (const char *const *)extra;
    dopts.nextra = nextra;
    dopts.enabled = o->enabled;
    dopts.severity = o->severity;
    dopts.root = c.root;
    dopts.fallback = true;
    dopts.headers = true;
    dopts.warn_unused_suppressions = o->warn_unused;
    dopts.dump_models = o->dump_model;
    dopts.baseline = bl;
    dopts.only_lines = lines;
    dopts.jobs = o->jobs;
    d = driver_new(&dopts, &sink);
    if (!d) {
        status = CHECK_ERROR;
        goto out;
    }
    if (driver_had_setup_error(d))
        status = CHECK_ERROR;
    bool bad = false;
    if (sources) {
        inputs = calloc(nsources + 1, sizeof *inputs);
        if (!inputs)
            abort();
        for (size_t i = 0; i < nsources; i++)
            inputs[i].path = sources[i];
        ninputs = nsources;
    } else {
        inputs = check__inputs(o, d, &c, &files, &ninputs, &bad);
    }
    if (bad)
        status = CHECK_ERROR;
    for (size_t i = 0; cmd_flags && i < ninputs; i++) {
        inputs[i].args = (const char *const *)cmd_flags;
        inputs[i].nargs = ncmd_flags;
    }
    /* Each input's .tether.yml (excluded inputs dropped); a bad one stops
     * the run before any analysis, with its one line. */
    cc = o->no_config ? NULL : config_cache_new(o->config);
    cfgs = calloc(ninputs + 1, sizeof *cfgs);
    if (!cfgs)
        abort();
    if (cc && check_config_resolve(cc, inputs, &ninputs, cfgs, err, sizeof err) != 0) {
        driver_error e = { .kind = DRIVER_ERR_SETUP, .level = DRIVER_LEVEL_ERROR, .msg = err };
        check__on_error(&c, &e);
        status = CHECK_ERROR;
        config_failed = true;
        goto end;
    }
    double before_run = check__now_ms() - t0, base_setup = 0;
    if (check_config_run(d, &dopts, o, inputs, ninputs, cfgs, &sink, &sum, &base_setup) != 0)
        status = CHECK_ERROR;
    /* Option checks, baseline, file collection: setup beside driver_new's. */
    other = before_run - base_setup;
    if (c.errors)
        status = CHECK_ERROR;
    if (c.bw && baseline_writer_save(c.bw, o->write_baseline, err, sizeof err) != 0) {
        fprintf(stderr, "tether: error: --write-baseline: %s\n", err);
        status = CHECK_ERROR;
    }
end:;
    double t_end = check__now_ms();
    if (em && emit_end(em, status != CHECK_ERROR) != 0) {
        fprintf(stderr, "tether: error: %s: cannot write the report\n", o->output ? o->output : "stdout");
        status = CHECK_ERROR;
    }
    c.output_ms += check__now_ms() - t_end;
    /* --fix: what is left is what counts */
    sum.warnings -= c.fixed < sum.warnings ? c.fixed : sum.warnings;
    if (c.errors)
        status = CHECK_ERROR;
    /* Findings fail the run, unless accepted (--exit-zero, or recorded by
     * --write-baseline); those printed as errors fail it all the same. */
    if (status != CHECK_ERROR && sum.warnings > c.note_findings) {
        status = CHECK_FINDINGS;
        if (o->write_baseline || (o->exit_zero && c.error_findings == 0))
            status = CHECK_CLEAN;
    }
    if (config_failed) /* its one line says it all */
        goto out;
    fflush(stdout); /* the findings before the summary when both go to one pipe */
    if (!o->quiet && o->fix && !o->fix_diff) {
        fprintf(stderr, "tether: fixed %zu finding%s in %zu file%s", c.fixed, c.fixed == 1 ? "" : "s",
                c.fixed_files, c.fixed_files == 1 ? "" : "s");
        check__per_rule(stderr, c.fixed_per_rule);
        fputc('\n', stderr);
    }
    if (!o->quiet && !o->dump_model)
        check__summary(&sum, sum.stats.files, c.errors);
    if (o->stats)
        check__stats(&sum, c.rejected, c.output_ms, other > 0 ? other : 0, check__jobs(o), check__now_ms() - t0);
out:
    emit_free(em);
    if (out != stdout && out != stderr && fclose(out) != 0 && status != CHECK_ERROR) {
        fprintf(stderr, "tether: error: %s: %s\n", o->output, strerror(errno));
        status = CHECK_ERROR;
    }
    free(c.fixed_per_rule);
    baseline_writer_free(c.bw);
    baseline_free(bl);
    lines_free(lines);
    driver_free(d);
    config_cache_free(cc);
    free(cfgs);
    free(inputs);
    files_free(&files);
    cmdline_free(cmd_flags, ncmd_flags);
    free(extra);
    return status;
}

int check_main(int argc, char **argv)
{
    check_opts o = { 0 };
    int prc = options_parse(&o, argc, argv, false);
    int status = prc > 0 ? CHECK_CLEAN : CHECK_ERROR;
    if (prc == 0)
        status = check__run(&o, argc, argv, NULL, 0);
    options_free(&o);
    return status;
}

/* Runs the compile command; its exit status (127 if it cannot start). */
static int check__exec(char **command, size_t n)
{
    char **argv = calloc(n + 1, sizeof *argv);
    if (!argv)
        abort();
    memcpy(argv, command, n * sizeof *argv);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        execvp(argv[0], argv);
        fprintf(stderr, "tether: error: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    free(argv);
    if (pid < 0) {
        fprintf(stderr, "tether: error: cannot run %s: %s\n", command[0], strerror(errno));
        return 127;
    }
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

int check_launch(int argc, char **argv)
{
    check_opts o = { 0 };
    int prc = options_parse(&o, argc, argv, true);
    if (prc != 0) {
        options_free(&o);
        return prc > 0 ? CHECK_CLEAN : CHECK_ERROR;
    }
    /* The C sources of the command: its positional words named *.c. */
    size_t npos = 0, nsrc = 0;
    char **pos = cmdline_positional((const char *const *)o.command, o.ncommand, &npos);
    char **src = calloc(npos + 1, sizeof *src);
    if (!src)
        abort();
    for (size_t i = 0; i < npos; i++) {
        size_t len = strlen(pos[i]);
        if (len > 2 && strcmp(pos[i] + len - 2, ".c") == 0)
            src[nsrc++] = pos[i];
    }
    int analysis = CHECK_CLEAN;
    if (nsrc > 0) {
        /* As a compiler's, the report goes to stderr unless -o says where,
         * with no summary line: the build runs it once per file. */
        o.to_stderr = !o.output;
        o.quiet = true;
        analysis = check__run(&o, argc, argv, src, nsrc);
    }
    int rc = check__exec(o.command, o.ncommand);
    free(src);
    cmdline_free(pos, npos);
    options_free(&o);
    return rc != 0 ? rc : analysis;
}
