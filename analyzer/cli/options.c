/* options.c — parsing the options of `tether check` (options.h). */
#include "options.h"

#include <stdlib.h>
#include <string.h>

#include "driver/cmdline.h"
#include "rule.h"

static void *opt__xmalloc(size_t n)
{
    void *p = calloc(1, n ? n : 1);
    if (!p) {
        fputs("tether: error: out of memory\n", stderr);
        abort();
    }
    return p;
}

void options_usage(FILE *out)
{
    fputs("USAGE: tether check [options] PATHS... [-- COMPILER FLAGS...]\n"
          "       tether check [options] -p BUILD            (every C file of the database)\n"
          "       tether launch [options] COMPILER ARGS...   (as a compiler launcher)\n"
          "       tether [options] PATHS...                  (same as tether check)\n"
          "\n"
          "Analyzes C files that use libtether (tether.h) for tasks blocked or looping\n"
          "forever, tickers and contexts never released, unbalanced wait groups and\n"
          "mutex deadlocks (`tether rules` lists the rules). PATHS are files or\n"
          "directories; directories are searched recursively for *.c files (hidden\n"
          "directories are skipped) and analyzed in sorted order. Each file is its own\n"
          "program, unless -p is given. Long options take `--opt=VALUE` or\n"
          "`--opt VALUE`.\n"
          "\n"
          "INPUT:\n"
          "  -p BUILD                Read compiler arguments from BUILD/compile_commands.json,\n"
          "                          or from BUILD if it is that file; a folder without one\n"
          "                          is searched upward (as clang-tidy does). Files not in it\n"
          "                          get the defaults (-std=c11 -I<the file's folder>). With\n"
          "                          -p the files go to the analysis together, as one\n"
          "                          program (calls are followed across them); without\n"
          "                          PATHS every C file of the database is checked.\n"
          "  -- FLAGS...             After the paths: extra compiler flags for every file\n"
          "                          (tether check src/ -- -DFOO -Iinc), or a whole compile\n"
          "                          command as clang-tidy takes it (tether check a.c -- cc\n"
          "                          -DFOO -c a.c -o a.o: the compiler, -c, -o, dependency\n"
          "                          options and sources are dropped, the database unused).\n"
          "  --extra-arg=ARG         An extra compiler flag after the others (clang-tidy's).\n"
          "  --extra-arg-before=ARG  An extra compiler flag before the others.\n"
          "  tether.h is found in $TETHER_INCLUDE, else next to the installed tether\n"
          "  (bin/../include), wherever the tree was moved.\n"
          "\n"
          "ANALYSIS:\n"
          "  --rule=ID[,ID...]       Run only these rules (see `tether rules`).\n"
          "  --disable=ID[,ID...]    Do not run these rules.\n"
          "  --frontend=clang|tree-sitter\n"
          "                          The parser: clang (default, precise, uses compiler\n"
          "                          arguments) or tree-sitter (fast, no build needed). A\n"
          "                          file clang cannot compile (a missing header) is reported\n"
          "                          as errors, analyzed with tree-sitter instead, and the\n"
          "                          run exits 2.\n"
          "  --fast                  Same as --frontend=tree-sitter.\n"
          "  -j N, --jobs=N          Parse on N threads (default: 2 or the CPU count if\n"
          "                          smaller). Output does not depend on N.\n"
          "  --dump-model            Print each file's model (functions, objects, the\n"
          "                          control-flow graph of events) instead of checking.\n"
          "  --config=FILE           Settings for every file from FILE, instead of the\n"
          "                          nearest .tether.yml in each file's folder or above\n"
          "                          (front end, compile database, excluded paths, rules\n"
          "                          and their severity, wrappers as API aliases; see the\n"
          "                          README). The options above win over it.\n"
          "  --no-config             Read no .tether.yml.\n"
          "\n"
          "OUTPUT:\n"
          "  --format=FORMAT         text (default: as gcc prints warnings), sarif (SARIF\n"
          "                          2.1.0, for GitHub code scanning), json (tether's own,\n"
          "                          docs/json-output.md), github (workflow commands:\n"
          "                          annotations in GitHub Actions), codeclimate (GitLab's\n"
          "                          code quality report).\n"
          "  -o FILE, --output=FILE  Write the report to FILE instead of standard output.\n"
          "  --root=DIR              Structured formats name files relative to DIR (default:\n"
          "                          the current directory); fingerprints too.\n"
          "  --color=auto|always|never\n"
          "                          Color the text output (auto: when it goes to a terminal\n"
          "                          and NO_COLOR is not set).\n"
          "  --no-color              Same as --color=never.\n"
          "  -q, --quiet             No summary line on standard error.\n"
          "  --stats                 Print where the time went to standard error.\n"
          "\n"
          "ADOPTION:\n"
          "  --baseline=FILE         Report only findings not recorded in FILE (matched by\n"
          "                          fingerprint: moved code stays recorded).\n"
          "  --write-baseline=FILE   Record every finding of this run in FILE; the run then\n"
          "                          exits 0 unless something could not be analyzed.\n"
          "  --new-from-rev=REV      Report only findings on lines changed since git\n"
          "                          revision REV (and in files git does not track yet).\n"
          "  --warn-unused-suppressions\n"
          "                          Warn [unused-suppression] at each suppression comment\n"
          "                          that suppressed nothing.\n"
          "  --exit-zero             Exit 0 even when there are findings (errors still 2).\n"
          "  --fix                   Apply the findings' fix-its to the files, print the\n"
          "                          findings left, and say what was fixed (per file and per\n"
          "                          rule) on stderr. All the fix-its of a finding are one\n"
          "                          fix; fixes that would overlap wait for the next run.\n"
          "                          Each file is written atomically (a temporary file beside\n"
          "                          it, with its mode, renamed over it), and not at all if\n"
          "                          it changed since it was read (an error: exit 2, the\n"
          "                          other files are still fixed). The exit status is then\n"
          "                          that of what is left: 0 when every finding was fixed.\n"
          "  --fix-dry-run           Print the fixes --fix would make as a unified diff on\n"
          "                          standard output (and the findings on stderr); change\n"
          "                          nothing.\n"
          "  --warnings-as-errors[=ID,...]\n"
          "                          Print the findings (of these rules; default all) as\n"
          "                          `error:`; they exit 1 even with --exit-zero.\n"
          "  -h, --help              Print this help.\n"
          "\n"
          "SUPPRESSING A FINDING (in a comment):\n"
          "  tether:ignore                   every rule, on this line\n"
          "  tether:ignore(RULE[,RULE])      these rules, on this line\n"
          "  tether:ignore-next-line(RULE)   on the next line\n"
          "  tether:ignore-begin(RULE) ... tether:ignore-end\n"
          "                                  on the lines in between\n"
          "  NOLINT(tether-RULE), NOLINTNEXTLINE(tether-RULE),\n"
          "  NOLINTBEGIN(tether-RULE) ... NOLINTEND(tether-RULE)\n"
          "                                  clang-tidy's shapes (a bare NOLINT: every rule)\n"
          "\n"
          "OUTPUT (text): one `FILE:LINE:COL: warning: MESSAGE [rule-id]` per finding,\n"
          "with the source line, then its notes (`FILE:LINE:COL: note: ...`), fix-its and\n"
          "a hint (`note: ...`); compile errors as `FILE:LINE:COL: error: ...`. Other\n"
          "problems go to stderr as `tether: error: PATH: ...`; the other files are still\n"
          "analyzed. A summary line `tether: N warnings in M files` ends the run on stderr.\n"
          "\n"
          "EXIT STATUS: 0 no findings, 1 findings, 2 usage, input or compile error (2 wins).\n"
          "With --fix: 0 when no finding is left, 1 when some are, 2 as above or when a\n"
          "file could not be written.\n",
          out);
}

/* --rule / --disable lists. Returns -1 on an unknown id. */
static int opt__rule_list(check_opts *o, const char *list, bool enable, bool *first_enable)
{
    if (enable && *first_enable) {
        for (size_t i = 0; i < rule_count; i++)
            o->enabled[i] = false;
        *first_enable = false;
        o->rules_only = true;
    }
    size_t n = strlen(list);
    char *copy = opt__xmalloc(n + 1);
    memcpy(copy, list, n + 1);
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

/* --warnings-as-errors[=LIST]: rule ids, tether-<id>, or '*'. */
static int opt__as_errors(check_opts *o, const char *list)
{
    if (!list || strcmp(list, "*") == 0 || strcmp(list, "tether-*") == 0) {
        for (size_t i = 0; i < rule_count; i++)
            o->severity[i] = DIAG_ERROR;
        return 0;
    }
    size_t n = strlen(list);
    char *copy = opt__xmalloc(n + 1);
    memcpy(copy, list, n + 1);
    int rc = 0;
    for (char *save = NULL, *id = strtok_r(copy, ",", &save); id; id = strtok_r(NULL, ",", &save)) {
        const char *name = strncmp(id, "tether-", 7) == 0 ? id + 7 : id;
        size_t i = 0;
        while (i < rule_count && strcmp(rule_registry[i]->id, name) != 0)
            i++;
        if (i == rule_count) {
            fprintf(stderr, "tether: error: --warnings-as-errors: unknown rule '%s' (see `tether rules`)\n", id);
            rc = -1;
            continue;
        }
        o->severity[i] = DIAG_ERROR;
    }
    free(copy);
    return rc;
}

/* A long option with a value: `--name=V` or `--name V`. Returns 1 with *v
 * set, 0 when argv[*i] is not this option, -1 (printed) when the value is
 * missing. */
static int opt__long(int argc, char **argv, int *i, const char *name, const char **v)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0)
        return 0;
    if (a[n] == '=') {
        *v = a + n + 1;
        return 1;
    }
    if (a[n] != '\0')
        return 0;
    if (*i + 1 >= argc) {
        fprintf(stderr, "tether: error: %s needs a value (%s=VALUE or %s VALUE)\n", name, name, name);
        return -1;
    }
    *v = argv[++*i];
    return 1;
}

/* A short option with a value: `-p V`, `-pV`, `-p=V`. Same returns. */
static int opt__short(int argc, char **argv, int *i, const char *name, const char **v)
{
    const char *a = argv[*i];
    if (strncmp(a, name, 2) != 0)
        return 0;
    if (a[2]) {
        *v = a[2] == '=' ? a + 3 : a + 2;
        return 1;
    }
    if (*i + 1 >= argc) {
        fprintf(stderr, "tether: error: %s needs a value\n", name);
        return -1;
    }
    *v = argv[++*i];
    return 1;
}

static int opt__choice(const char *opt, const char *v, const char *const *names, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (strcmp(v, names[k]) == 0)
            return (int)k;
    fprintf(stderr, "tether: error: %s: unknown value '%s'\n", opt, v);
    return -1;
}

/* The words after `--`: a compile command (it has a compiler or a source
 * in it) or extra flags. */
static void opt__after_dashes(check_opts *o, char **words, size_t n)
{
    size_t npos = 0;
    char **pos = cmdline_positional((const char *const *)words, n, &npos);
    cmdline_free(pos, npos);
    if (npos > 0) {
        o->command = words;
        o->ncommand = n;
    } else {
        o->extra = words;
        o->nextra = n;
    }
}

int options_parse(check_opts *o, int argc, char **argv, bool launch)
{
    bool first_enable = true, paths_done = false;
    o->color = -1;
    o->format = EMIT_TEXT;
    o->enabled = opt__xmalloc((rule_count + 1) * sizeof *o->enabled);
    o->severity = opt__xmalloc((rule_count + 1) * sizeof *o->severity);
    for (size_t i = 0; i < rule_count; i++)
        o->enabled[i] = true;
    o->paths = opt__xmalloc((size_t)argc * sizeof *o->paths);
    o->before = opt__xmalloc((size_t)argc * sizeof *o->before);
    o->after = opt__xmalloc((size_t)argc * sizeof *o->after);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        int r;
        if (strcmp(a, "--") == 0) {
            if (launch) { /* tether launch [opts] -- COMPILER ARGS */
                o->command = argv + i + 1;
                o->ncommand = (size_t)(argc - i - 1);
                break;
            }
            /* `check -- PATHS -- ARGS` or `check PATHS -- ARGS`. */
            if (o->npaths == 0 && !paths_done) {
                paths_done = true;
                for (i++; i < argc && strcmp(argv[i], "--") != 0; i++)
                    o->paths[o->npaths++] = argv[i];
                if (i >= argc)
                    break;
            }
            opt__after_dashes(o, argv + i + 1, (size_t)(argc - i - 1));
            break;
        } else if (a[0] != '-' || strcmp(a, "-") == 0) {
            if (launch) {
                o->command = argv + i;
                o->ncommand = (size_t)(argc - i);
                break;
            }
            o->paths[o->npaths++] = argv[i];
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            options_usage(stdout);
            return 1;
        } else if (strcmp(a, "--dump-model") == 0) {
            o->dump_model = true;
        } else if (strcmp(a, "--stats") == 0) {
            o->stats = true;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            o->quiet = true;
        } else if (strcmp(a, "--fast") == 0) {
            o->frontend = "tree-sitter";
        } else if (strcmp(a, "--fix") == 0) {
            o->fix = true;
        } else if (strcmp(a, "--fix-dry-run") == 0) {
            o->fix = o->fix_diff = true;
        } else if (strcmp(a, "--exit-zero") == 0) {
            o->exit_zero = true;
        } else if (strcmp(a, "--warn-unused-suppressions") == 0) {
            o->warn_unused = true;
        } else if (strcmp(a, "--no-color") == 0) {
            o->color = 0;
        } else if (strcmp(a, "--warnings-as-errors") == 0 || strncmp(a, "--warnings-as-errors=", 21) == 0) {
            if (opt__as_errors(o, a[20] == '=' ? a + 21 : NULL) != 0)
                return -1;
        } else if ((r = opt__long(argc, argv, &i, "--frontend", &v)) != 0) {
            static const char *const names[] = { "clang", "tree-sitter", "treesitter" };
            int k = r < 0 ? -1 : opt__choice("--frontend", v, names, 3);
            if (k < 0)
                return -1;
            o->frontend = k == 0 ? "clang" : "tree-sitter";
        } else if ((r = opt__long(argc, argv, &i, "--rule", &v)) != 0) {
            if (r < 0 || opt__rule_list(o, v, true, &first_enable) != 0)
                return -1;
        } else if ((r = opt__long(argc, argv, &i, "--disable", &v)) != 0) {
            if (r < 0 || opt__rule_list(o, v, false, &first_enable) != 0)
                return -1;
        } else if ((r = opt__long(argc, argv, &i, "--color", &v)) != 0) {
            static const char *const names[] = { "never", "always", "auto" };
            int k = r < 0 ? -1 : opt__choice("--color", v, names, 3);
            if (k < 0)
                return -1;
            o->color = k == 2 ? -1 : k;
        } else if ((r = opt__long(argc, argv, &i, "--format", &v)) != 0) {
            int k = r < 0 ? -1 : emit_format_parse(v);
            if (k < 0) {
                if (r > 0)
                    fprintf(stderr, "tether: error: --format: unknown format '%s' (text, sarif, json, github, "
                                    "codeclimate)\n", v);
                return -1;
            }
            o->format = (emit_format)k;
        } else if ((r = opt__long(argc, argv, &i, "--output", &v)) != 0 ||
                   (strcmp(a, "-o") == 0 && (r = opt__short(argc, argv, &i, "-o", &v)) != 0)) {
            if (r < 0)
                return -1;
            o->output = v;
        } else if ((r = opt__long(argc, argv, &i, "--config", &v)) != 0) {
            if (r < 0)
                return -1;
            o->config = v;
        } else if (strcmp(a, "--no-config") == 0) {
            o->no_config = true;
        } else if ((r = opt__long(argc, argv, &i, "--root", &v)) != 0) {
            if (r < 0)
                return -1;
            o->root = v;
        } else if ((r = opt__long(argc, argv, &i, "--baseline", &v)) != 0) {
            if (r < 0)
                return -1;
            o->baseline = v;
        } else if ((r = opt__long(argc, argv, &i, "--write-baseline", &v)) != 0) {
            if (r < 0)
                return -1;
            o->write_baseline = v;
        } else if ((r = opt__long(argc, argv, &i, "--new-from-rev", &v)) != 0) {
            if (r < 0)
                return -1;
            o->new_from_rev = v;
        } else if ((r = opt__long(argc, argv, &i, "--extra-arg-before", &v)) != 0) {
            if (r < 0)
                return -1;
            o->before[o->nbefore++] = (char *)v;
        } else if ((r = opt__long(argc, argv, &i, "--extra-arg", &v)) != 0) {
            if (r < 0)
                return -1;
            o->after[o->nafter++] = (char *)v;
        } else if ((r = opt__long(argc, argv, &i, "--jobs", &v)) != 0 ||
                   (strncmp(a, "-j", 2) == 0 && (r = opt__short(argc, argv, &i, "-j", &v)) != 0)) {
            char *end = NULL;
            long n = r > 0 ? strtol(v, &end, 10) : 0;
            if (r < 0 || *end || n < 1 || n > 64) {
                fputs("tether: error: -j needs a number from 1 to 64\n", stderr);
                return -1;
            }
            o->jobs = (int)n;
        } else if (strncmp(a, "-p", 2) == 0 && (r = opt__short(argc, argv, &i, "-p", &v)) != 0) {
            if (r < 0 || !*v) {
                if (r > 0)
                    fputs("tether: error: -p needs a build folder or a compile_commands.json\n", stderr);
                return -1;
            }
            o->compdb = v;
        } else {
            fprintf(stderr, "tether: error: unknown option '%s' (see `tether check --help`)\n", a);
            return -1;
        }
    }
    if (o->fix && (launch || o->dump_model || o->write_baseline)) {
        fprintf(stderr, "tether: error: --fix%s cannot be used with %s\n", o->fix_diff ? "-dry-run" : "",
                launch ? "tether launch" : o->dump_model ? "--dump-model" : "--write-baseline");
        return -1;
    }
    if (launch && o->ncommand == 0) {
        fputs("tether: error: no compiler command (usage: tether launch [options] COMPILER ARGS...)\n", stderr);
        return -1;
    }
    if (!launch && o->npaths == 0 && !o->compdb) {
        fputs("tether: error: no input files (usage: tether check [options] PATHS...)\n", stderr);
        return -1;
    }
    return 0;
}

void options_free(check_opts *o)
{
    free(o->enabled);
    free(o->severity);
    free(o->paths);
    free(o->before);
    free(o->after);
}
