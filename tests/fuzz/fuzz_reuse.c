/* fuzz_reuse.c — libFuzzer harness: an editor's two texts of one file, one
 * after the other, through the tree-sitter front end with reuse (the last
 * tree parsed incrementally, the functions that did not change taken from
 * the last build: treesitter/ts_frags.c). The second text's model must be
 * the one building every function afresh from the same tree gives
 * (model_dump, positions included); nothing may crash or leak.
 *
 * Input: the two texts separated by a NUL byte; without one, the second
 * text is the first with its middle line written twice. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver/util.h"
#include "frontend/frontend.h"
#include "fuzz_util.h"

/* The model of text under path (malloc'd dump), or NULL when refused. */
static char *build(const char *path, const char *text, size_t len, bool fresh)
{
    frontend_input in = { 0 };
    in.path = path;
    in.contents = text;
    in.length = len;
    in.reuse = true;
    in.fresh_functions = fresh;
    model_tu *tu = NULL;
    char err[512];
    if (frontend_treesitter_build(&in, &tu, NULL, err, sizeof err) != 0)
        return NULL;
    driver_dump d = driver_dump_model(tu);
    model_free(tu);
    return d.text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static unsigned long runs;
    char path[64]; /* a file of its own each time: no input sees another's state */
    snprintf(path, sizeof path, "fuzz-reuse-%lu.c", runs++);
    const char *a = (const char *)data, *nul = memchr(data, 0, size);
    size_t alen = nul ? (size_t)(nul - a) : size;
    char *b;
    size_t blen;
    if (nul) {
        blen = size - alen - 1;
        b = malloc(blen + 1);
        memcpy(b, nul + 1, blen);
    } else { /* the middle line twice */
        size_t mid = size / 2, from = mid, to = mid;
        while (from > 0 && a[from - 1] != '\n')
            from--;
        while (to < size && a[to] != '\n')
            to++;
        if (to < size)
            to++;
        blen = size + (to - from);
        b = malloc(blen + 1);
        memcpy(b, a, to);
        memcpy(b + to, a + from, to - from);
        memcpy(b + to + (to - from), a + to, size - to);
    }
    free(build(path, a, alen, false));
    char *kept = build(path, b, blen, false);
    char *fresh = build(path, b, blen, true); /* the same text: the same tree */
    if ((kept == NULL) != (fresh == NULL) || (kept && strcmp(kept, fresh) != 0)) {
        fprintf(stderr, "fuzz_reuse: the model with kept functions differs from a fresh one\n");
        abort();
    }
    free(kept);
    free(fresh);
    free(b);
    return 0;
}
