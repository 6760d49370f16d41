/* fuzz_util.h — what the fuzz harnesses share: a sink that checks the
 * driver's problems are one line each, a model dump to nowhere, a scratch
 * file per process. */
#ifndef TETHER_FUZZ_UTIL_H
#define TETHER_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "driver/driver.h"
#include "model/model.h"

/* The harnesses' entry point (libFuzzer's, or replay_main.c's). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Prints tu's dump (to /dev/null): every value and event printed once. */
void fuzz_dump(const model_tu *tu);
/* A driver sink that aborts on a problem that is not one line naming a
 * file, or a finding without a rule or message. */
const driver_sink *fuzz_sink(void);
/* Writes data to `name` in this process's scratch folder; its path in path. */
void fuzz_write_scratch(const char *name, const uint8_t *data, size_t size, char *path, size_t pathsize);

#endif /* TETHER_FUZZ_UTIL_H */
