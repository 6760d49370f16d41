/* fuzz_compdb.c — libFuzzer harness (d): arbitrary bytes as a
 * compile_commands.json (cJSON underneath): compdb_open reads it or fails
 * with one line; every file it names is then asked for its arguments. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "driver/cmdline.h"
#include "driver/compdb.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[256];
    fuzz_write_scratch("compile_commands.json", data, size, path, sizeof path);
    char err[512];
    compdb *db = compdb_open(path, err, sizeof err);
    if (!db) {
        if (strlen(err) == 0 || strchr(err, '\n'))
            abort(); /* a failure is one line */
        return 0;
    }
    size_t n = 0;
    const char *const *files = compdb_files(db, &n);
    for (size_t i = 0; i < n && i < 64; i++) {
        size_t argc = 0;
        char **argv = compdb_args(db, files[i], &argc);
        if (argv)
            cmdline_free(argv, argc);
    }
    size_t argc = 0;
    char **argv = compdb_args(db, "/nowhere/x.c", &argc);
    if (argv)
        cmdline_free(argv, argc);
    compdb_close(db);
    return 0;
}
