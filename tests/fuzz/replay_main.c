/* replay_main.c — a main for the fuzz harnesses without libFuzzer (any
 * compiler, the ASan build, plain ctest): runs LLVMFuzzerTestOneInput once
 * on each file named, and on every file under each folder named (regression
 * inputs, seed corpora). Exit status 0 when every input ran; a crash or a
 * sanitizer report ends it as it would end a fuzzer. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_util.h"

static size_t replay__count;

static int replay__file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    for (size_t got; buf && (got = fread(buf + n, 1, cap - n, f)) > 0;)
        if ((n += got) == cap)
            buf = realloc(buf, cap *= 2);
    fclose(f);
    if (!buf)
        abort();
    /* libFuzzer hands over exactly n bytes: a copy of that size lets ASan see
     * a read past the end. */
    uint8_t *exact = malloc(n ? n : 1);
    memcpy(exact, buf, n);
    free(buf);
    LLVMFuzzerTestOneInput(exact, n);
    free(exact);
    replay__count++;
    return 0;
}

static int replay__path(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        perror(path);
        return -1;
    }
    if (!S_ISDIR(st.st_mode))
        return replay__file(path);
    struct dirent **ents;
    int n = scandir(path, &ents, NULL, alphasort);
    if (n < 0) {
        perror(path);
        return -1;
    }
    int rc = 0;
    for (int i = 0; i < n; i++) {
        if (ents[i]->d_name[0] != '.') {
            size_t len = strlen(path) + strlen(ents[i]->d_name) + 2;
            char *p = malloc(len);
            snprintf(p, len, "%s/%s", path, ents[i]->d_name);
            rc |= replay__path(p);
            free(p);
        }
        free(ents[i]);
    }
    free(ents);
    return rc;
}

int main(int argc, char **argv)
{
    int rc = 0;
    for (int i = 1; i < argc; i++)
        rc |= replay__path(argv[i]);
    printf("%zu inputs replayed\n", replay__count);
    return rc ? 1 : 0;
}
