/* options.h — the options of `tether check` (and `tether launch`), parsed
 * from argv. Long options take `--opt=value` and `--opt value`. */
#ifndef TETHER_CLI_OPTIONS_H
#define TETHER_CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "diag/diag.h"
#include "emit/emit.h"

typedef struct check_opts {
    bool dump_model, stats, quiet;
    const char *frontend;        /* "clang" or "tree-sitter" */
    int color;                   /* -1 auto, 0 never, 1 always */
    const char *compdb;          /* -p */
    emit_format format;
    const char *output;          /* -o */
    bool to_stderr;              /* the report to stderr (launch without -o) */
    const char *root;            /* --root */
    bool exit_zero;
    bool fix;                    /* --fix: apply the fix-its to the files */
    bool fix_diff;               /* --fix-dry-run: print them as a unified diff instead */
    bool warn_unused;
    const char *baseline, *write_baseline, *new_from_rev;
    bool *enabled;               /* per rule_registry entry */
    bool rules_only;             /* --rule given: enabled[] is the whole choice */
    const char *config;          /* --config FILE: for every file, instead of the nearest .tether.yml */
    bool no_config;              /* --no-config: no .tether.yml at all */
    diag_severity *severity;     /* per rule: --warnings-as-errors */
    int jobs;
    char **paths;                /* borrowed from argv */
    size_t npaths;
    char **extra;                /* after `--`: extra flags (borrowed) */
    size_t nextra;
    char **command;              /* after `--` or (launch) from the compiler on: a compile command */
    size_t ncommand;
    char **before;               /* --extra-arg-before (borrowed) */
    size_t nbefore;
    char **after;                /* --extra-arg (borrowed) */
    size_t nafter;
} check_opts;

/* Parses argv[1..argc) (argv[0] is the command's name). `launch`: the
 * first word that is not an option starts the compile command. Returns 0,
 * 1 after printing --help, or -1 after printing a usage error. */
int options_parse(check_opts *o, int argc, char **argv, bool launch);
void options_free(check_opts *o);
/* The help text of `tether check`. */
void options_usage(FILE *out);

#endif /* TETHER_CLI_OPTIONS_H */
