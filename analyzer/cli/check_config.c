/* check_config.c — .tether.yml's settings for the inputs of a run
 * (check_config.h). */
#include "check_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rule.h"

int check_config_resolve(config_cache *cc, driver_input *inputs, size_t *n, const config **cfgs, char *err,
                         size_t errsize)
{
    size_t kept = 0;
    for (size_t i = 0; i < *n; i++) {
        const config *cfg = NULL;
        if (config_for_file(cc, inputs[i].path, &cfg, err, errsize) != 0)
            return -1;
        if (cfg && cfg->nexclude) {
            char *abs = config_abs_path(inputs[i].path);
            bool excluded = abs && config_excludes(cfg, abs);
            free(abs);
            if (excluded)
                continue;
        }
        cfgs[kept] = cfg;
        inputs[kept++] = inputs[i];
    }
    *n = kept;
    return 0;
}

static diag_severity check_config__severity(config_severity s)
{
    return s == CONFIG_SEV_ERROR ? DIAG_ERROR : s == CONFIG_SEV_NOTE ? DIAG_NOTE : DIAG_WARNING;
}

void check_config_opts(const config *cfg, const check_opts *o, const driver_opts *base, driver_opts *out,
                       bool *enabled, diag_severity *severity)
{
    *out = *base;
    if (!o->frontend && cfg->frontend != CONFIG_FE_UNSET)
        out->frontend = cfg->frontend == CONFIG_FE_CLANG ? "clang" : "tree-sitter";
    if (!o->compdb && cfg->compdb) { /* as -p: flags from it, the files one program */
        out->compdb = cfg->compdb;
        out->grouping = DRIVER_PROJECT;
    }
    for (size_t i = 0; i < rule_count; i++) {
        /* --rule names the rules to run; --disable turns one off; else
         * the config, else on */
        bool on = cfg->rules[i].enabled != 0;
        enabled[i] = o->rules_only ? o->enabled[i] : on && o->enabled[i];
        severity[i] = o->severity[i] == DIAG_ERROR ? DIAG_ERROR : check_config__severity(cfg->rules[i].severity);
    }
    out->enabled = enabled;
    out->severity = severity;
    out->aliases = cfg->aliases;
    out->naliases = cfg->naliases;
}

/* A config driver's problems go to the run's sink; a setup problem (its
 * compile database) says which .tether.yml named it. */
typedef struct cc_sink {
    const driver_sink *to;
    const config *cfg;
    bool compdb;           /* the compile database is the config's */
} cc_sink;

static void check_config__on_error(void *ctx, const driver_error *e)
{
    const cc_sink *s = ctx;
    char hint[1024];
    driver_error copy = *e;
    if (e->kind == DRIVER_ERR_SETUP && s->compdb && !e->hint) {
        snprintf(hint, sizeof hint, "compile-database of %s", s->cfg->path);
        copy.hint = hint;
    }
    s->to->error(s->to->ctx, &copy);
}

/* The driver of one config, made on first use. */
typedef struct cc_driver {
    const config *cfg;
    driver *d;
    bool *enabled;
    diag_severity *severity;
    bool ran;
} cc_driver;

static void check_config__add(driver_summary *sum, const driver_summary *part, bool first_run)
{
    sum->warnings += part->warnings;
    sum->errors += part->errors;
    sum->files_with_findings += part->files_with_findings;
    sum->suppressed += part->suppressed;
    sum->baselined += part->baselined;
    sum->canceled |= part->canceled;
    driver_stats *s = &sum->stats;
    const driver_stats *p = &part->stats;
    s->inputs += p->inputs;
    s->files += p->files;
    s->failed += p->failed;
    s->headers += p->headers;
    if (first_run)
        s->setup_ms += p->setup_ms;
    s->read_ms += p->read_ms;
    s->parse_ms += p->parse_ms;
    s->model_ms += p->model_ms;
    s->analysis_ms += p->analysis_ms;
    s->functions += p->functions;
    s->functions_skipped += p->functions_skipped;
    s->functions_around += p->functions_around;
    analysis_engine_stats_add(&s->engine, &p->engine);
}

int check_config_run(driver *base_driver, const driver_opts *base, const check_opts *o,
                     const driver_input *inputs, size_t n, const config **cfgs, const driver_sink *sink,
                     driver_summary *sum, double *base_setup_ms)
{
    int rc = 0;
    cc_driver *ds = calloc(n + 1, sizeof *ds);
    size_t nds = 0;
    bool base_ran = false;
    if (!ds)
        abort();
    *base_setup_ms = 0;
    for (size_t first = 0, end; first < n; first = end) {
        for (end = first + 1; end < n && cfgs[end] == cfgs[first]; end++)
            ;
        driver *d = base_driver;
        bool *ran = &base_ran;
        if (cfgs[first]) {
            size_t k = 0;
            while (k < nds && ds[k].cfg != cfgs[first])
                k++;
            if (k == nds) {
                cc_driver *c = &ds[nds++];
                driver_opts opts;
                c->cfg = cfgs[first];
                c->enabled = calloc(rule_count + 1, sizeof *c->enabled);
                c->severity = calloc(rule_count + 1, sizeof *c->severity);
                if (!c->enabled || !c->severity)
                    abort();
                check_config_opts(c->cfg, o, base, &opts, c->enabled, c->severity);
                cc_sink wrap = { sink, c->cfg, opts.compdb && opts.compdb == c->cfg->compdb };
                driver_sink setup = *sink;
                setup.ctx = &wrap;
                setup.error = check_config__on_error;
                c->d = driver_new(&opts, &setup);
                if (!c->d || driver_had_setup_error(c->d))
                    rc = -1;
            }
            d = ds[k].d;
            ran = &ds[k].ran;
        }
        if (!d)
            continue; /* its front end cannot run: said by driver_new */
        driver_summary part;
        memset(&part, 0, sizeof part);
        driver_run(d, inputs + first, end - first, sink, NULL, &part);
        check_config__add(sum, &part, !*ran);
        if (d == base_driver && !*ran)
            *base_setup_ms = part.stats.setup_ms;
        *ran = true;
    }
    for (size_t k = 0; k < nds; k++) {
        driver_free(ds[k].d);
        free(ds[k].enabled);
        free(ds[k].severity);
    }
    free(ds);
    return rc;
}
