/* analysis.h — everything after the models: runs the enabled rules (and,
 * through them, the exploration engine) over a program and collects the
 * findings. The driver builds the models; this is the one call it makes to
 * turn them into diagnostics. Front ends, emitters and suppressions are not
 * its business.
 *
 * A "program" is the set of models analyzed together: one file in the
 * default mode, every file of the compile database in project mode. */
#ifndef TETHER_ANALYSIS_H
#define TETHER_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>

#include "diag/diag.h"
#include "model/model.h"

struct eng_result;

typedef struct analysis_opts {
    const bool *enabled;  /* per rule_registry index; NULL = every rule */
    /* Runs the engine instead of eng_run (may be NULL): the language
     * server's, which keeps the findings of roots whose code did not
     * change (driver/roots.h). Returns what eng_run would. */
    struct eng_result *(*engine)(void *ctx, const model_tu *const *tus, size_t ntus);
    void *engine_ctx;
} analysis_opts;

/* What the exploration engine cost (summed over programs; --stats). */
typedef struct analysis_engine_stats {
    double ms;            /* in eng_run, wall time */
    size_t states;        /* states explored, over every root */
    size_t roots;         /* roots explored */
    size_t roots_cut;     /* ... whose exploration stopped at the budget */
    double top_ms;        /* the root that took longest: its time, */
    size_t top_states;    /* its states */
    char top_root[256];   /* and "FILE: FUNCTION" ("" when no root ran) */
} analysis_engine_stats;

typedef struct analysis_stats {
    double rules_ms;      /* rules and engine, wall time */
    analysis_engine_stats engine;
} analysis_stats;

/* Adds `part` to `sum` (times and counts summed, the costlier top root kept). */
void analysis_engine_stats_add(analysis_engine_stats *sum, const analysis_engine_stats *part);

/* Runs the enabled rules over the program `tus[0..ntus)` and appends the
 * findings to `out` (sorted and de-duplicated). A rule that fails is a tool
 * error: one line on `errors` (may be NULL) naming the rule, and -1 is
 * returned; the other rules still run. */
int analysis_run(const model_tu *const *tus, size_t ntus, const analysis_opts *opts,
                 diag_list *out, analysis_stats *stats, FILE *errors);

#endif /* TETHER_ANALYSIS_H */
