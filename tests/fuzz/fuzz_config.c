/* fuzz_config.c — libFuzzer harness (c): arbitrary bytes as a .tether.yml
 * (libyaml underneath): config_parse either builds a config or fails with
 * one line; the result's globs are then matched against a few paths. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    config *c = NULL;
    char err[512];
    if (config_parse("/fuzz/.tether.yml", "/fuzz", (const char *)data, size, &c, err, sizeof err) != 0) {
        if (strlen(err) == 0 || strchr(err, '\n'))
            abort(); /* a failure is one line */
        return 0;
    }
    static const char *const paths[] = { "/fuzz/a.c", "/fuzz/src/third_party/x/y.c", "/other/b.c", "/fuzz/" };
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++)
        (void)config_excludes(c, paths[i]);
    config_free(c);
    return 0;
}
