/* fuzz_clang.c — libFuzzer harness (b): arbitrary bytes as an editor's
 * unsaved buffer (libclang's unsaved-file interface), analyzed with the
 * clang front end through the driver, as `tether check` and the language
 * server call it: its budget (size, nesting, macro expansion), the model,
 * the rules, the engine, suppressions and fingerprints. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "driver/driver.h"
#include "fuzz_util.h"

static driver *fuzz__driver;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!fuzz__driver) {
        driver_opts o = { 0 };
        o.frontend = "clang";
        o.tether_include = FUZZ_TETHER_INCLUDE;
        o.warn_unused_suppressions = true;
        o.headers = true;
        o.jobs = 1;
        fuzz__driver = driver_new(&o, NULL);
        if (!fuzz__driver) {
            fprintf(stderr, "fuzz_clang: libclang does not load\n");
            abort();
        }
    }
    driver_input in = { 0 };
    in.path = "fuzz.c"; /* need not exist: the text is the buffer */
    in.text = (const char *)data;
    in.length = size;
    driver_summary sum;
    driver_run(fuzz__driver, &in, 1, fuzz_sink(), NULL, &sum);
    return 0;
}
