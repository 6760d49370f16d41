/* driver.h — the analysis pipeline as a library: inputs (paths, or a path
 * plus unsaved text) and options in, diagnostics out. The CLI, the language
 * server and the tests all call it; nothing else runs a front end or the
 * rules.
 *
 * For each input the driver:
 *   1. reads the file ONCE into a buffer (or takes the caller's unsaved
 *      text); the front end parses that buffer, the suppressions are read
 *      from it and the emitters quote it;
 *   2. finds its compiler arguments: the input's own (clang-tidy's
 *      `FILE -- COMPILER FLAGS` convention), else its compile_commands.json
 *      entry, else the defaults (-std=c11 -I<the file's folder>), with the
 *      extra arguments around them;
 *   3. builds its model with the chosen front end (driver_frontends()).
 *      When the clang front end meets compile errors (a header it cannot
 *      find, a syntax error), the errors are reported (driver_error, with
 *      the flag or -p that would find a missing header), the file is
 *      modeled again with the tree-sitter front end and the run counts as
 *      failed (never silently clean);
 *   4. hands the models to analysis_run() — per file (each file its own
 *      program, the default) or all together (project mode: calls are
 *      followed across files, findings may land in any file);
 *   5. drops suppressed findings (tether:ignore..., NOLINT...(tether-RULE)),
 *      optionally reports unused suppressions, computes each finding's
 *      fingerprint, then drops what a baseline or a changed-lines filter
 *      excludes;
 *   6. delivers, in input order and on the calling thread, each input's
 *      errors and then its findings, grouped by file (driver_sink).
 *
 * Findings in a project header (a `static inline` function of a header
 * that is not a system header) are delivered once per run, as a file of
 * their own, the first time a checked file includes that header.
 *
 * Threads: a driver is immutable once made; any number of threads may run
 * it at once, each with its own inputs and sink. One run parses on
 * opts.jobs worker threads and calls the sink only from its caller's
 * thread. A run can be canceled between files (driver_run's `cancel`).
 *
 * Ownership: everything handed to the sink is borrowed for the duration of
 * the callback; copy what you keep. */
#ifndef TETHER_DRIVER_H
#define TETHER_DRIVER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "analysis/analysis.h"
#include "diag/diag.h"
#include "emit/source.h"
#include "frontend/alias.h"
#include "model/model.h"

/* ---- Front ends ------------------------------------------------------------ */

/* One front end of the table the driver owns. */
typedef struct driver_frontend {
    const char *name;       /* "clang", "tree-sitter" (what --frontend= takes) */
    bool uses_args;         /* reads compiler arguments (-I, -D, ...) */
    /* Whether it can run here: built in, and its library loads (libclang is
     * loaded on first use). false with the reason in why. */
    bool (*available)(char *why, size_t whysize);
    /* "clang version 14.0.6", "tree-sitter 0.20 (tree-sitter-c 0.23.6)";
     * call only when available. */
    const char *(*version)(void);
} driver_frontend;

/* The front ends built into this tether, the default (clang) first. */
const driver_frontend *driver_frontends(size_t *n);
/* By name ("clang", "tree-sitter"; "treesitter" is accepted); NULL if none
 * of that name is built in. */
const driver_frontend *driver_frontend_find(const char *name);

/* ---- Options --------------------------------------------------------------- */

typedef enum driver_grouping {
    DRIVER_PER_FILE = 0, /* each file is its own program */
    DRIVER_PROJECT,      /* every file of the run is one program */
} driver_grouping;

typedef struct driver_baseline driver_baseline;  /* baseline.h */
typedef struct driver_lines driver_lines;        /* lines.h (--new-from-rev) */

typedef struct driver_opts {
    const char *frontend;          /* a driver_frontend name; NULL: "clang" */
    driver_grouping grouping;
    /* compile_commands.json, or a folder to search for one (that folder,
     * then its parents, as clang-tidy's -p); NULL: none. */
    const char *compdb;
    const char *const *extra_args_before; /* before every file's arguments */
    size_t nextra_before;
    const char *const *extra_args;        /* after every file's arguments */
    size_t nextra;
    const char *tether_include;    /* the folder of tether.h; NULL: $TETHER_INCLUDE,
                                      else the one this tether was built or installed with */
    const bool *enabled;           /* per rule_registry index; NULL: every rule */
    const diag_severity *severity; /* per rule_registry index; NULL: all DIAG_WARNING */
    const char *root;              /* fingerprints name files relative to it; NULL: cwd */
    bool fallback;                 /* on clang compile errors, model with tree-sitter
                                      (the CLI always sets it; an editor may not) */
    bool headers;                  /* report findings in project headers */
    bool warn_unused_suppressions; /* an [unused-suppression] warning per suppression
                                      comment that suppressed nothing */
    bool dump_models;              /* hand models to sink->model, run no rules */
    const driver_baseline *baseline;  /* report only findings not in it (borrowed) */
    const driver_lines *only_lines;   /* report only findings on these lines (borrowed) */
    int jobs;                      /* worker threads; 0: min(2, CPUs) */
    /* Keep each file's clang parse for the next run of the same file and
     * arguments (an editor's saves): headers that did not change since are
     * not parsed again (frontend_input.reuse). */
    bool reuse_parses;
    /* Keep each file's findings for its next run; when that run's models
     * differ only in positions (an edit in a comment, blank lines, code the
     * model does not hold), move the findings instead of analyzing again
     * (driver/memo.h). For an editor analyzing as the user types. */
    bool reuse_analysis;
    /* A project's wrappers, modeled as the API call they name (.tether.yml's
     * aliases, frontend/alias.h); borrowed: they must outlive the driver. */
    const frontend_alias *aliases;
    size_t naliases;
} driver_opts;

/* ---- Inputs ---------------------------------------------------------------- */

typedef struct driver_input {
    const char *path;              /* as the user named it; reported as is */
    const char *text;              /* unsaved buffer, or NULL: read path */
    size_t length;
    /* This file's compiler arguments (without compiler, -c, -o or the file),
     * or NULL: from the compile database or the defaults. */
    const char *const *args;
    size_t nargs;
} driver_input;

/* ---- What a run delivers ----------------------------------------------------- */

typedef enum driver_error_kind {
    DRIVER_ERR_INPUT,      /* unreadable, binary, not a regular file, no .c files */
    DRIVER_ERR_COMPILE,    /* a compile error the front end met (loc set) */
    DRIVER_ERR_SETUP,      /* compile database, front end not loadable */
    DRIVER_ERR_TOOL,       /* a rule or the analysis failed */
    DRIVER_ERR_SUPPRESSION,/* a suppression comment that cannot work (a warning) */
} driver_error_kind;

typedef enum driver_level {
    DRIVER_LEVEL_ERROR = 0,  /* makes the run fail (exit status 2) */
    DRIVER_LEVEL_WARNING,    /* a problem in a suppression comment */
    DRIVER_LEVEL_NOTE,       /* a remark on the errors before it */
} driver_level;

/* A problem that is not a finding. */
typedef struct driver_error {
    driver_error_kind kind;
    driver_level level;
    const char *file;      /* the file concerned, or NULL */
    model_loc loc;         /* in file; {0,0}: the file as a whole */
    const char *msg;       /* one line, without "error:" or the file */
    const char *hint;      /* how to fix it ("pass -I... or -p"), or NULL */
    const src_file *src;   /* file's text when the run read it (to quote the line), or NULL */
} driver_error;

/* One file's findings, sorted (diag_list_sort order), each with its
 * fingerprint set. */
typedef struct driver_file {
    const char *path;      /* as reported in d->file */
    const src_file *src;   /* its text as analyzed; NULL if unreadable */
    const diag *diags;
    size_t ndiags;
    const char *frontend;  /* the front end that modeled it ("tree-sitter" after a fallback) */
    bool header;           /* not an input: a project header (or another file a
                              finding lands in) reached through one */
    /* The text of another file the run has read (for notes that point
     * there): source(run, path), NULL if the run has not read it. */
    const void *run;
    const src_file *(*source)(const void *run, const char *path);
} driver_file;

typedef struct driver_stats {
    size_t inputs;         /* inputs given */
    size_t files;          /* inputs analyzed (read and modeled) */
    size_t failed;         /* inputs not analyzed (input errors) */
    size_t headers;        /* project headers modeled */
    double setup_ms;       /* driver_new: front end, compile database */
    double read_ms;        /* reading files (wall, summed over threads) */
    double parse_ms;       /* front ends' parsers (summed over threads) */
    double model_ms;       /* building models (summed over threads) */
    double analysis_ms;    /* analysis_run, suppressions, fingerprints, filters */
    size_t functions;      /* function definitions in the inputs (counted by tree-sitter) */
    size_t functions_skipped; /* ... not modeled because of syntax errors */
    size_t functions_around;  /* ... modeled around their syntax errors */
    size_t analyses_reused;/* files whose findings were moved, not analyzed again (reuse_analysis) */
    analysis_engine_stats engine; /* the exploration engine's share of analysis_ms */
    size_t roots_reused;   /* roots not explored again: their code did not change (reuse_analysis) */
} driver_stats;

typedef struct driver_sink {
    void *ctx;
    /* A problem (in input order, before that input's findings). */
    void (*error)(void *ctx, const driver_error *e);
    /* One file's findings, also when there are none (inputs in order; a
     * header after the input that reached it). */
    void (*file)(void *ctx, const driver_file *f);
    /* With opts.dump_models: each model built, in input order. May be NULL. */
    void (*model)(void *ctx, const model_tu *tu);
} driver_sink;

typedef struct driver_summary {
    size_t warnings;       /* findings delivered */
    size_t errors;         /* driver_errors of level error delivered */
    size_t files_with_findings;
    size_t suppressed;     /* findings dropped by comments */
    size_t baselined;      /* findings dropped by the baseline or the line filter */
    bool canceled;
    driver_stats stats;
} driver_summary;

/* ---- Calls ------------------------------------------------------------------- */

typedef struct driver driver;

/* Makes a driver: picks the front end, loads it and opens the compile
 * database. Setup problems are delivered to `sink->error` (may be NULL);
 * returns NULL only when the run cannot work at all (the front end is not
 * built in or does not load); a bad compile database is an error but the
 * driver still works with the default arguments. */
driver *driver_new(const driver_opts *opts, const driver_sink *sink);
void driver_free(driver *self);
/* Whether driver_new reported an error (the run must fail). */
bool driver_had_setup_error(const driver *self);

/* Analyzes inputs[0..n) and delivers to sink (see the top of this file).
 * `cancel` may be NULL; when it becomes true, no new file is started and
 * the run returns with summary->canceled set. Returns 0, or -1 when an
 * error was delivered (input, compile, tool). */
int driver_run(const driver *self, const driver_input *inputs, size_t n, const driver_sink *sink,
               const atomic_bool *cancel, driver_summary *summary);

/* The sorted list of the C files the compile database names (for `tether
 * check -p build` without paths); NULL with *n = 0 without a database. The
 * caller frees each string and the array. */
char **driver_compdb_files(const driver *self, size_t *n);

/* Rule-like ids of the findings the driver itself makes. */
#define DRIVER_RULE_UNUSED_SUPPRESSION DIAG_RULE_UNUSED_SUPPRESSION

#endif /* TETHER_DRIVER_H */
