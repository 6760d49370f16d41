/* check.c — `tether check`: parses the options, collects the files, builds
 * each file's model (on worker threads), runs the rules, drops suppressed
 * findings and prints the rest in a deterministic order. */
#include "check.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analysis/analysis.h"
#include "compdb.h"
#include "config/config_paths.h"
#include "diag/diag.h"
#include "emit/source.h"
#include "emit/text.h"
#include "files.h"
#include "frontend/clang/fe_libclang.h"
#include "frontend/frontend.h"
#include "model/model.h"
#include "rule.h"
#include "suppress.h"

typedef enum check_fe { CHECK_FE_CLANG, CHECK_FE_TREESITTER } check_fe;

typedef struct check_opts {
    bool dump_model, stats;
    check_fe frontend;
    int color;            /* -1 auto, 0 never, 1 always */
    const char *pdir;
    char **extra;         /* after `--` (borrowed from argv) */
    size_t nextra;
    bool *enabled;        /* per rule_registry entry */
    int jobs;
    char **paths;         /* borrowed from argv */
    size_t npaths;
} check_opts;

typedef struct check_job {
    const char *path;
    char **argv;          /* owned */
    size_t argc;
    int rc;
    model_tu *tu;
    frontend_stats stats;
    char err[512];
    bool done;
} check_job;

typedef struct check_run {
    check_opts *opts;
    check_job *jobs;
    size_t njobs, next;
    const char *include;
    pthread_mutex_t lock;
    pthread_cond_t cond;
} check_run;

static double check__now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void *check__xmalloc(size_t n)
{
    void *p = calloc(1, n ? n : 1);
    if (!p) {
        fputs("tether: error: out of memory\n", stderr);
        abort();
    }
    return p;
}

static char *check__xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = check__xmalloc(n);
    memcpy(d, s, n);
    return d;
}

const char *check_tether_include(void)
{
    return config_tether_include();
}

void check_usage(FILE *out)
{
    fputs("USAGE: tether check [options] [--] PATHS... [-- COMPILER ARGS...]\n"
          "\n"
          "Analyzes C files that use libtether (tether.h) for leaked tasks, channels,\n"
          "tickers, contexts and unbalanced wait groups. PATHS are files or\n"
          "directories; directories are searched recursively for *.c files (hidden\n"
          "directories are skipped) and analyzed in sorted order.\n"
          "\n"
          "OPTIONS:\n"
          "  -p DIR, -p=DIR          Read compiler arguments from DIR/compile_commands.json\n"
          "                          (as clang-tidy does); files not in it get the defaults.\n"
          "                          Default arguments: -std=c11 -I<the file's directory>.\n"
          "                          tether.h is found in $TETHER_INCLUDE, else in the\n"
          "                          include folder next to the installed tether\n"
          "                          (bin/../include), wherever it was moved.\n"
          "  -- ARGS...              Extra compiler arguments for every file, after the\n"
          "                          paths: tether check src/ -- -DFOO -Iinc\n"
          "  --rule=ID[,ID...]       Run only these rules (see `tether rules`).\n"
          "  --disable=ID[,ID...]    Do not run these rules.\n"
          "  --frontend=clang|tree-sitter\n"
          "                          The parser: clang (default, precise, uses compiler\n"
          "                          arguments) or tree-sitter (fast, no build needed).\n"
          "  --fast                  Same as --frontend=tree-sitter.\n"
          "  --dump-model            Print each file's model (functions, objects, the\n"
          "                          control-flow graph of events) instead of checking.\n"
          "  --stats                 Print timings to stderr: files, parse, model, rules,\n"
          "                          total.\n"
          "  --color=auto|always|never\n"
          "                          Color the output (auto: when stdout is a terminal\n"
          "                          and NO_COLOR is not set).\n"
          "  --no-color              Same as --color=never.\n"
          "  -j N, --jobs=N          Parse on N threads (default: 2 or the CPU count if\n"
          "                          smaller). Output order does not depend on N.\n"
          "  -h, --help              Print this help.\n"
          "\n"
          "SUPPRESSING A FINDING (in a comment):\n"
          "  tether:ignore                   every rule, on this line\n"
          "  tether:ignore(RULE[,RULE])      these rules, on this line\n"
          "  tether:ignore-next-line(RULE)   on the next line\n"
          "  tether:ignore-begin(RULE) ... tether:ignore-end\n"
          "                                  on the lines in between\n"
          "\n"
          "OUTPUT: one `FILE:LINE:COL: warning: MESSAGE [rule-id]` per finding, with\n"
          "the source line, then its notes (`FILE:LINE:COL: note: ...`), fix-its and a\n"
          "hint (`note: ...`). Problems with the input go to stderr as\n"
          "`tether: error: PATH: ...`; the other files are still analyzed.\n"
          "\n"
          "EXIT STATUS: 0 no findings, 1 findings, 2 usage or input error (2 wins).\n",
          out);
}

/* --rule / --disable lists. Returns -1 on an unknown id. */
static int check__rule_list(check_opts *o, const char *list, bool enable, bool *first_enable)
{
    if (enable && *first_enable) {
        for (size_t i = 0; i < rule_count; i++)
            o->enabled[i] = false;
        *first_enable = false;
    }
    char *copy = check__xstrdup(list);
    int rc = 0;
    for (char *save = NULL, *id = strtok_r(copy, ",", &save); id; id = strtok_r(NULL, ",", &save)) {
        size_t i = 0;
        while (i < rule_count && strcmp(rule_registry[i]->id, id) != 0)
            i++;
        if (i == rule_count) {
            fprintf(stderr, "tether: error: unknown rule '%s' (see `tether rules`)\n", id);
            rc = -1;
            continue;
        }
        o->enabled[i] = enable;
    }
    free(copy);
    return rc;
}

static const char *check__value(const char *arg, const char *name)
{
    size_t n = strlen(name);
    return strncmp(arg, name, n) == 0 && arg[n] == '=' ? arg + n + 1 : NULL;
}

/* Returns 0, 1 for --help (already printed), or -1 on a usage error. */
static int check__parse(check_opts *o, int argc, char **argv)
{
    bool first_enable = true, paths_done = false;
    o->paths = check__xmalloc((size_t)argc * sizeof *o->paths);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        if (strcmp(a, "--") == 0) {
            /* `check -- PATHS -- ARGS` or `check PATHS -- ARGS`. */
            if (o->npaths == 0 && !paths_done) {
                paths_done = true;
                for (i++; i < argc && strcmp(argv[i], "--") != 0; i++)
                    o->paths[o->npaths++] = argv[i];
                if (i >= argc)
                    break;
            }
            o->extra = argv + i + 1;
            o->nextra = (size_t)(argc - i - 1);
            break;
        } else if (a[0] != '-' || strcmp(a, "-") == 0) {
            o->paths[o->npaths++] = argv[i];
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            check_usage(stdout);
            return 1;
        } else if (strcmp(a, "--dump-model") == 0) {
            o->dump_model = true;
        } else if (strcmp(a, "--stats") == 0) {
            o->stats = true;
        } else if (strcmp(a, "--fast") == 0) {
            o->frontend = CHECK_FE_TREESITTER;
        } else if ((v = check__value(a, "--frontend")) != NULL) {
            if (strcmp(v, "clang") == 0)
                o->frontend = CHECK_FE_CLANG;
            else if (strcmp(v, "tree-sitter") == 0 || strcmp(v, "treesitter") == 0)
                o->frontend = CHECK_FE_TREESITTER;
            else {
                fprintf(stderr, "tether: error: --frontend: expected clang or tree-sitter, got '%s'\n", v);
                return -1;
            }
        } else if ((v = check__value(a, "--rule")) != NULL) {
            if (check__rule_list(o, v, true, &first_enable) != 0)
                return -1;
        } else if ((v = check__value(a, "--disable")) != NULL) {
            if (check__rule_list(o, v, false, &first_enable) != 0)
                return -1;
        } else if ((v = check__value(a, "--color")) != NULL) {
            if (strcmp(v, "auto") == 0)
                o->color = -1;
            else if (strcmp(v, "always") == 0)
                o->color = 1;
            else if (strcmp(v, "never") == 0)
                o->color = 0;
            else {
                fprintf(stderr, "tether: error: --color: expected auto, always or never, got '%s'\n", v);
                return -1;
            }
        } else if (strcmp(a, "--no-color") == 0) {
            o->color = 0;
        } else if (strcmp(a, "-p") == 0 || strncmp(a, "-p", 2) == 0) {
            v = a[2] == '=' ? a + 3 : a[2] ? a + 2 : (i + 1 < argc ? argv[++i] : NULL);
            if (!v || !*v) {
                fputs("tether: error: -p needs a directory\n", stderr);
                return -1;
            }
            o->pdir = v;
        } else if (strcmp(a, "-j") == 0 || (v = check__value(a, "--jobs")) != NULL ||
                   strncmp(a, "-j", 2) == 0) {
            if (strcmp(a, "-j") == 0)
                v = i + 1 < argc ? argv[++i] : NULL;
            else if (strncmp(a, "-j", 2) == 0 && a[1] == 'j')
                v = a + 2;
            char *end = NULL;
            long n = v ? strtol(v, &end, 10) : 0;
            if (!v || *end || n < 1 || n > 64) {
                fputs("tether: error: -j needs a number from 1 to 64\n", stderr);
                return -1;
            }
            o->jobs = (int)n;
        } else {
            fprintf(stderr, "tether: error: unknown option '%s' (see `tether check --help`)\n", a);
            return -1;
        }
    }
    if (o->npaths == 0) {
        fputs("tether: error: no input files (usage: tether check [options] PATHS...)\n", stderr);
        return -1;
    }
    return 0;
}

/* The compiler arguments of one file: its database command or the
 * defaults, then the extra arguments. */
static void check__args(check_job *job, const check_opts *o, compdb *db)
{
    size_t n = 0;
    char **base = db ? compdb_args(db, job->path, &n) : NULL;
    if (!base) {
        base = check__xmalloc(2 * sizeof *base);
        base[n++] = check__xstrdup("-std=c11");
        const char *slash = strrchr(job->path, '/');
        size_t len = slash ? (size_t)(slash - job->path) : 1;
        base[n] = check__xmalloc(len + 3);
        snprintf(base[n], len + 3, "-I%.*s", (int)len, slash ? job->path : ".");
        n++;
    }
    job->argv = check__xmalloc((n + o->nextra + 1) * sizeof *job->argv);
    memcpy(job->argv, base, n * sizeof *base);
    free(base);
    for (size_t i = 0; i < o->nextra; i++)
        job->argv[n + i] = check__xstrdup(o->extra[i]);
    job->argc = n + o->nextra;
}

static void check__build(check_run *run, check_job *job)
{
    frontend_input in = { 0 };
    in.path = job->path;
    in.argv = (const char *const *)job->argv;
    in.argc = job->argc;
    in.tether_include_dir = run->include;
    job->err[0] = '\0';
    if (files_is_binary(job->path)) {
        snprintf(job->err, sizeof job->err, "not a C source file (binary data)");
        job->rc = -1;
        return;
    }
#ifdef TETHER_HAVE_TREESITTER
    if (run->opts->frontend == CHECK_FE_TREESITTER) {
        job->rc = frontend_treesitter_build(&in, &job->tu, &job->stats, job->err, sizeof job->err);
        return;
    }
#endif
    job->rc = frontend_clang_build(&in, &job->tu, &job->stats, job->err, sizeof job->err);
}

static void *check__worker(void *arg)
{
    check_run *run = arg;
    for (;;) {
        pthread_mutex_lock(&run->lock);
        size_t i = run->next++;
        pthread_mutex_unlock(&run->lock);
        if (i >= run->njobs)
            return NULL;
        check__build(run, &run->jobs[i]);
        pthread_mutex_lock(&run->lock);
        run->jobs[i].done = true;
        pthread_cond_broadcast(&run->cond);
        pthread_mutex_unlock(&run->lock);
    }
}

typedef struct check_totals {
    size_t files, findings;
    double parse_ms, model_ms, rules_ms;
    int status;
} check_totals;

/* Rules, suppressions and output for one built file. */
/* For sup_check: rule ids `tether rules` lists. */
static bool check__known_rule(const char *id)
{
    return rule_find(id) != NULL;
}

static void check__report(const check_opts *o, check_job *job, bool color, check_totals *t)
{
    if (job->rc != 0) {
        fprintf(stderr, "tether: error: %s: %s\n", job->path, job->err[0] ? job->err : "cannot analyze");
        t->status = CHECK_ERROR;
        return;
    }
    t->files++;
    t->parse_ms += job->stats.parse_ms;
    t->model_ms += job->stats.model_ms;
    if (job->err[0])
        fprintf(stderr, "tether: warning: %s: %s\n", job->path, job->err);
    if (o->dump_model) {
        model_dump(job->tu, stdout);
        return;
    }
    diag_list list = { 0 };
    analysis_opts ao = { .enabled = o->enabled };
    analysis_stats as = { 0 };
    const model_tu *tus[1] = { job->tu };
    if (analysis_run(tus, 1, &ao, &list, &as, stderr) != 0)
        t->status = CHECK_ERROR;
    t->rules_ms += as.rules_ms;
    src_file *src = src_file_load(job->path, NULL, 0);
    if (src) {
        sup_set *sup = sup_parse(src->text, src->length);
        sup_check(sup, job->path, check__known_rule, stderr);
        sup_apply(sup, &list);
        sup_free(sup);
    }
    if (list.n > 0) {
        for (size_t i = 0; i < list.n; i++)
            emit_text_diag(stdout, &list.items[i], src, color);
        t->findings += list.n;
    }
    src_file_free(src);
    diag_list_free(&list);
}

static int check__default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n >= 2 ? 2 : 1;
}

int check_main(int argc, char **argv)
{
    double t0 = check__now_ms();
    check_opts o = { 0 };
    o.color = -1;
    o.enabled = check__xmalloc((rule_count + 1) * sizeof *o.enabled);
    for (size_t i = 0; i < rule_count; i++)
        o.enabled[i] = true;
    int status = CHECK_CLEAN;
    file_list files = { 0 };
    compdb *db = NULL;
    check_run run;
    memset(&run, 0, sizeof run);
    int prc = check__parse(&o, argc, argv);
    if (prc != 0) {
        status = prc > 0 ? CHECK_CLEAN : CHECK_ERROR;
        goto out;
    }
#ifndef TETHER_HAVE_TREESITTER
    if (o.frontend == CHECK_FE_TREESITTER) {
        fputs("tether: error: the tree-sitter front end is not built in this tether\n", stderr);
        status = CHECK_ERROR;
        goto out;
    }
#endif
    /* libclang is loaded only here, for the runs that use it: the clang front
     * end and the compile database (tree-sitter runs start without it). */
    if (o.frontend == CHECK_FE_CLANG || o.pdir) {
        char why[512];
        if (fe_libclang_load(why, sizeof why) != 0) {
            fprintf(stderr, "tether: error: cannot load libclang (%s): %s\n", why,
                    o.frontend == CHECK_FE_CLANG ? "use --frontend=tree-sitter" : "-p needs it");
            status = CHECK_ERROR;
            goto out;
        }
    }
    if (o.pdir) {
        char err[512];
        db = compdb_open(o.pdir, err, sizeof err);
        if (!db) { /* the files are still analyzed, with the default flags */
            fprintf(stderr, "tether: error: %s; using the default flags\n", err);
            status = CHECK_ERROR;
        }
    }
    for (size_t i = 0; i < o.npaths; i++)
        if (files_add(&files, o.paths[i]) != 0)
            status = CHECK_ERROR;

    run.opts = &o;
    run.include = check_tether_include();
    run.njobs = files.n;
    run.jobs = check__xmalloc((files.n + 1) * sizeof *run.jobs);
    for (size_t i = 0; i < files.n; i++) {
        run.jobs[i].path = files.paths[i];
        if (o.frontend == CHECK_FE_CLANG)
            check__args(&run.jobs[i], &o, db);
    }
    pthread_mutex_init(&run.lock, NULL);
    pthread_cond_init(&run.cond, NULL);
    int nthreads = o.jobs ? o.jobs : check__default_jobs();
    if ((size_t)nthreads > files.n)
        nthreads = (int)files.n;
    pthread_t threads[64];
    int started = 0;
    for (int i = 0; nthreads > 1 && i < nthreads; i++)
        if (pthread_create(&threads[started], NULL, check__worker, &run) == 0)
            started++;

    bool color = o.color == 1 ||
                 (o.color == -1 && isatty(STDOUT_FILENO) && !(getenv("NO_COLOR") && *getenv("NO_COLOR")));
    check_totals t = { 0 };
    t.status = status;
    for (size_t i = 0; i < run.njobs; i++) {
        check_job *job = &run.jobs[i];
        if (started == 0) {
            check__build(&run, job);
        } else {
            pthread_mutex_lock(&run.lock);
            while (!job->done)
                pthread_cond_wait(&run.cond, &run.lock);
            pthread_mutex_unlock(&run.lock);
        }
        check__report(&o, job, color, &t);
        fflush(stdout);
        if (job->tu)
            model_free(job->tu);
        job->tu = NULL;
    }
    for (int i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    pthread_cond_destroy(&run.cond);
    pthread_mutex_destroy(&run.lock);
    status = t.status;
    if (status != CHECK_ERROR && t.findings > 0)
        status = CHECK_FINDINGS;
    if (!o.dump_model && t.findings > 0 && isatty(STDERR_FILENO))
        fprintf(stderr, "%zu warning%s generated.\n", t.findings, t.findings == 1 ? "" : "s");
    if (o.stats)
        fprintf(stderr,
                "tether: stats: files %zu, parse %.1f ms, model %.1f ms, rules %.1f ms, total %.1f ms\n",
                t.files, t.parse_ms, t.model_ms, t.rules_ms, check__now_ms() - t0);
out:
    for (size_t i = 0; i < run.njobs; i++) {
        for (size_t k = 0; k < run.jobs[i].argc; k++)
            free(run.jobs[i].argv[k]);
        free(run.jobs[i].argv);
    }
    free(run.jobs);
    compdb_close(db);
    files_free(&files);
    free(o.paths);
    free(o.enabled);
    return status;
}
