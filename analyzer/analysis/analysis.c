/* analysis.c — runs the engine once over a program, then the enabled rules
 * over its findings, and lets one rule speak per finding (analysis.h). */
#include "analysis/analysis.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/engine.h"
#include "rule.h"
#include "rule_util.h"

void eng_debug_print(const eng_result *r, FILE *out);

static double analysis__now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Per engine finding, only the diagnostics of the lowest-ranked rule stay. */
static void analysis__one_voice(diag_list *out, size_t from)
{
    size_t keep = from;
    for (size_t i = from; i < out->n; i++) {
        diag *d = &out->items[i];
        bool drop = false;
        if (d->group >= 0)
            for (size_t k = from; k < out->n && !drop; k++)
                drop = out->items[k].group == d->group && out->items[k].rank < d->rank;
        if (drop) {
            diag_free_fields(d);
            continue;
        }
        out->items[keep++] = *d;
    }
    out->n = keep;
}

/* One warning per rule and place: several findings (tasks spawned in a
 * loop, schedules) often reach the same line the same way. The list is
 * sorted, so the first of each place stays. */
static void analysis__one_per_place(diag_list *out)
{
    size_t keep = 0;
    for (size_t i = 0; i < out->n; i++) {
        diag *d = &out->items[i];
        if (keep > 0) {
            const diag *p = &out->items[keep - 1];
            if (strcmp(p->file, d->file) == 0 && p->loc.line == d->loc.line && p->loc.col == d->loc.col &&
                strcmp(p->rule, d->rule) == 0) {
                diag_free_fields(d);
                continue;
            }
        }
        out->items[keep++] = *d;
    }
    out->n = keep;
}

void analysis_engine_stats_add(analysis_engine_stats *sum, const analysis_engine_stats *part)
{
    sum->ms += part->ms;
    sum->states += part->states;
    sum->roots += part->roots;
    sum->roots_cut += part->roots_cut;
    if (part->top_root[0] && (!sum->top_root[0] || part->top_ms > sum->top_ms)) {
        sum->top_ms = part->top_ms;
        sum->top_states = part->top_states;
        memcpy(sum->top_root, part->top_root, sizeof sum->top_root);
    }
}

/* The engine's figures for --stats. */
static void analysis__engine_stats(const eng_result *er, analysis_engine_stats *st)
{
    analysis_engine_stats part = { .ms = er->ms, .states = er->states, .roots = er->nroots };
    const eng_root_stats *top = NULL;
    for (size_t i = 0; i < er->nroots; i++) {
        part.roots_cut += er->roots[i].budget_hit;
        if (!top || er->roots[i].ms > top->ms)
            top = &er->roots[i];
    }
    if (top) {
        part.top_ms = top->ms;
        part.top_states = top->states;
        snprintf(part.top_root, sizeof part.top_root, "%s: %s", top->tu->path, top->tu->funcs[top->func].name);
    }
    analysis_engine_stats_add(st, &part);
}

int analysis_run(const model_tu *const *tus, size_t ntus, const analysis_opts *opts,
                 diag_list *out, analysis_stats *stats, FILE *errors)
{
    double t0 = analysis__now_ms();
    int rc = 0;
    eng_result *er = opts && opts->engine ? opts->engine(opts->engine_ctx, tus, ntus) : eng_run(tus, ntus, NULL);
    if (getenv("TETHER_ENGINE_DEBUG"))
        eng_debug_print(er, stderr);
    if (stats)
        analysis__engine_stats(er, &stats->engine);
    if (er->budget_hit && errors)
        for (size_t i = 0; i < er->nroots; i++)
            if (er->roots[i].budget_hit)
                fprintf(errors, "tether: note: %s: the analysis of '%s' stopped at its budget (%zu states); "
                                "only what it saw is reported\n",
                        er->roots[i].tu->path, er->roots[i].tu->funcs[er->roots[i].func].name,
                        er->roots[i].states);
    rule_input in = { tus, ntus, er };
    size_t from = out->n;
    for (size_t i = 0; i < rule_count; i++) {
        if (opts && opts->enabled && !opts->enabled[i])
            continue;
        size_t before = out->n;
        if (rule_registry[i]->run(&in, out) != 0) {
            if (errors)
                fprintf(errors, "tether: error: %s: rule %s failed\n", ntus ? tus[0]->path : "?",
                        rule_registry[i]->id);
            rc = -1;
        }
        /* the tasks of a circular wait are one finding: one warning */
        size_t keep = before;
        for (size_t k = before; k < out->n; k++) {
            diag *d = &out->items[k];
            d->rank = rule_registry[i]->rank;
            int g = ru_cycle_group(er, d->group);
            bool told = false;
            for (size_t j = before; j < keep && g != d->group && !told; j++)
                told = out->items[j].group == g;
            d->group = g;
            if (told)
                diag_free_fields(d);
            else
                out->items[keep++] = *d;
        }
        out->n = keep;
    }
    analysis__one_voice(out, from);
    eng_result_free(er);
    diag_list_sort(out);
    analysis__one_per_place(out);
    if (stats)
        stats->rules_ms += analysis__now_ms() - t0;
    return rc;
}
