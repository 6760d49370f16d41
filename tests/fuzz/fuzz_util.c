/* fuzz_util.c — helpers of the fuzz harnesses (fuzz_util.h). */
#include "fuzz_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void fuzz_dump(const model_tu *tu)
{
    static FILE *null;
    if (!null && !(null = fopen("/dev/null", "w")))
        abort();
    model_dump(tu, null);
}

static void fuzz__error(void *ctx, const driver_error *e)
{
    (void)ctx;
    if (!e->msg || !*e->msg || strchr(e->msg, '\n')) {
        fprintf(stderr, "fuzz: a problem that is not one line: '%s'\n", e->msg ? e->msg : "(null)");
        abort();
    }
}

static void fuzz__file(void *ctx, const driver_file *f)
{
    (void)ctx;
    for (size_t i = 0; i < f->ndiags; i++)
        if (!f->diags[i].rule || !f->diags[i].msg || !*f->diags[i].msg) {
            fprintf(stderr, "fuzz: a finding without a rule or message in %s\n", f->path);
            abort();
        }
}

const driver_sink *fuzz_sink(void)
{
    static const driver_sink sink = { NULL, fuzz__error, fuzz__file, NULL };
    return &sink;
}

static char fuzz__dir[64], fuzz__file_path[320];

static void fuzz__cleanup(void)
{
    if (fuzz__file_path[0])
        unlink(fuzz__file_path);
    rmdir(fuzz__dir);
}

void fuzz_write_scratch(const char *name, const uint8_t *data, size_t size, char *path, size_t pathsize)
{
    if (!fuzz__dir[0]) {
        snprintf(fuzz__dir, sizeof fuzz__dir, "/tmp/tether-fuzz-%ld", (long)getpid());
        mkdir(fuzz__dir, 0700);
        atexit(fuzz__cleanup);
    }
    snprintf(fuzz__file_path, sizeof fuzz__file_path, "%s/%s", fuzz__dir, name);
    snprintf(path, pathsize, "%s", fuzz__file_path);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
        perror(path);
        abort();
    }
}
