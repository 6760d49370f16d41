/* check_config.h — .tether.yml in a `tether check` run: which config each
 * input has (excluded inputs dropped), and the driver options a config
 * gives on top of the command line's (which win). */
#ifndef TETHER_CLI_CHECK_CONFIG_H
#define TETHER_CLI_CHECK_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"
#include "diag/diag.h"
#include "driver/driver.h"
#include "options.h"

/* Sets cfgs[i] to the config of inputs[i] (NULL: none applies) and drops
 * the inputs a config excludes, keeping the order (*n shrinks). Returns 0,
 * or -1 with one line in err ("PATH:LINE:COL: problem") for a bad config. */
int check_config_resolve(config_cache *cc, driver_input *inputs, size_t *n, const config **cfgs, char *err,
                         size_t errsize);

/* The options of a driver for the files of cfg: base (the command line's)
 * with what cfg sets where the command line said nothing. enabled and
 * severity: rule_count entries each, filled here; out points at them. */
void check_config_opts(const config *cfg, const check_opts *o, const driver_opts *base, driver_opts *out,
                       bool *enabled, diag_severity *severity);

/* Runs the inputs, each through the driver of its config (base_driver for
 * those without one), consecutive inputs of one config in one driver_run,
 * and sums the summaries. *base_setup_ms: base_driver's setup time when it
 * ran (0 otherwise). Returns -1 when a config's driver could not be made or
 * reported a setup error (delivered to sink), else 0. */
int check_config_run(driver *base_driver, const driver_opts *base, const check_opts *o,
                     const driver_input *inputs, size_t n, const config **cfgs, const driver_sink *sink,
                     driver_summary *sum, double *base_setup_ms);

#endif /* TETHER_CLI_CHECK_CONFIG_H */
