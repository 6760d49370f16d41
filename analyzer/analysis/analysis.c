/* analysis.c — runs the rules over a program (analysis.h). */
#include "analysis/analysis.h"

#include <time.h>

#include "rule.h"

static double analysis__now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int analysis_run(const model_tu *const *tus, size_t ntus, const analysis_opts *opts,
                 diag_list *out, analysis_stats *stats, FILE *errors)
{
    double t0 = analysis__now_ms();
    int rc = 0;
    for (size_t t = 0; t < ntus; t++) {
        for (size_t i = 0; i < rule_count; i++) {
            if (opts && opts->enabled && !opts->enabled[i])
                continue;
            if (rule_registry[i]->run(tus[t], out) != 0) {
                if (errors)
                    fprintf(errors, "tether: error: %s: rule %s failed\n", tus[t]->path,
                            rule_registry[i]->id);
                rc = -1;
            }
        }
    }
    diag_list_sort(out);
    if (stats)
        stats->rules_ms += analysis__now_ms() - t0;
    return rc;
}
