/* baseline.h — a baseline: the fingerprints of findings a project accepts
 * for now (`--write-baseline FILE` records them, `--baseline FILE` reports
 * only the others). The file is JSON, documented in docs/baseline.md:
 *   {"version": 1, "tool": "tether",
 *    "findings": [{"fingerprint": "...", "rule": "...", "file": "...",
 *                  "line": N, "message": "..."}, ...]}
 * Only the fingerprints are matched; the rest is for people reading it. */
#ifndef TETHER_DRIVER_BASELINE_H
#define TETHER_DRIVER_BASELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag/diag.h"
#include "driver/driver.h"

/* Reads a baseline; NULL with one line in err (the file, and the line of a
 * JSON error) when it cannot. */
driver_baseline *baseline_load(const char *path, char *err, size_t errsize);
void baseline_free(driver_baseline *self);
bool baseline_has(const driver_baseline *self, const char *fingerprint);

/* Collecting findings to write a baseline. */
typedef struct baseline_writer baseline_writer;
baseline_writer *baseline_writer_new(void);
/* d's fingerprint must be set; `file` is how the baseline names its file. */
void baseline_writer_add(baseline_writer *self, const diag *d, const char *file);
/* Writes the findings (sorted by file, line, fingerprint); 0, or -1 with
 * one line in err. */
int baseline_writer_save(const baseline_writer *self, const char *path, char *err, size_t errsize);
void baseline_writer_free(baseline_writer *self);

#endif /* TETHER_DRIVER_BASELINE_H */
