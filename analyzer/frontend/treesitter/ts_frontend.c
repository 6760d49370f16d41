/* ts_frontend.c — frontend_treesitter_build: parse one C file with
 * tree-sitter-c (no build, no preprocessor, tolerant of broken code) and
 * build the same model the libclang front end builds.
 *
 * Broken code: a function definition whose subtree holds an ERROR or
 * MISSING node is not modeled at all (its name still counts as a function
 * of this file). Dropping a whole function rather than the broken statement
 * is deliberate: a rule that needs "on every path" (cancel, stop, done)
 * would otherwise read a path with a statement silently missing and report a
 * finding the code does not have. Functions that parse are modeled as usual. */
#include "frontend/frontend.h"
#include "ts_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const TSLanguage *tree_sitter_c(void);

/* One parser for the life of the process: parsers keep their buffers. */
static TSParser *shared_parser;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static char *read_file(const char *path, size_t *len, char *err, size_t errsize)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errsize, "cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = xmalloc(cap);
    for (size_t got; (got = fread(buf + n, 1, cap - n, f)) > 0;) {
        n += got;
        if (n == cap)
            buf = xrealloc(buf, cap *= 2);
    }
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        snprintf(err, errsize, "cannot read %s", path);
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

/* Function definitions at the top level (and inside preprocessor
 * conditionals, all branches), in source order. */
static void functions(ts_ctx *c, TSNode parent)
{
    size_t first = ts_kids(c, parent, true);
    size_t last = c->nkids;
    for (size_t i = first; i < last; i++) {
        TSNode n = c->kids[i];
        switch (ts_kind(c, n)) {
        case TS_FUNCTION_DEFINITION:
            if (!ts_node_has_error(n))
                ts_function(c, n);
            break;
        case TS_PREPROC_IF: case TS_PREPROC_IFDEF: case TS_PREPROC_ELSE:
        case TS_PREPROC_ELIF: case TS_PREPROC_ELIFDEF: case TS_LINKAGE_SPEC:
        case TS_DECLARATION_LIST:
            functions(c, n);
            break;
        default:
            break;
        }
    }
    ts_kids_pop(c, first);
}

int frontend_treesitter_build(const frontend_input *in, model_tu **out, frontend_stats *stats,
                              char *err, size_t errsize)
{
    *out = NULL;
    char *owned = NULL;
    const char *src = in->contents;
    size_t len = in->length;
    if (!src) {
        owned = read_file(in->path, &len, err, errsize);
        if (!owned)
            return -1;
        src = owned;
    }
    if (len > UINT32_MAX) {
        snprintf(err, errsize, "%s: file too large", in->path);
        free(owned);
        return -1;
    }
    if (!shared_parser) {
        shared_parser = ts_parser_new();
        if (!ts_parser_set_language(shared_parser, tree_sitter_c())) {
            snprintf(err, errsize, "tree-sitter-c grammar ABI does not match libtree-sitter");
            ts_parser_delete(shared_parser);
            shared_parser = NULL;
            free(owned);
            return -1;
        }
    }
    double t0 = now_ms();
    TSTree *tree = ts_parser_parse_string(shared_parser, NULL, src, (uint32_t)len);
    double t1 = now_ms();
    if (!tree) {
        snprintf(err, errsize, "%s: tree-sitter could not parse the file", in->path);
        free(owned);
        return -1;
    }
    TSNode root = ts_tree_root_node(tree);

    ts_ctx c = { 0 };
    c.src = src;
    c.len = len;
    c.lang = ts_tree_language(tree);
    c.arena = arena_new();
    c.tu = model_new(in->path);
    c.func = -1;
    c.cursor = ts_tree_cursor_new(root);
    ts_syms_init(&c);
    ts_scan_file(&c, root);
    functions(&c, root);
    model_finish(c.tu);
    double t2 = now_ms();

    ts_tree_cursor_delete(&c.cursor);
    free(c.kids);
    free(c.kid_fields);
    free(c.slots);
    arena_free(c.arena);
    ts_tree_delete(tree);
    free(owned);
    if (stats) {
        stats->parse_ms = t1 - t0;
        stats->model_ms = t2 - t1;
    }
    *out = c.tu;
    return 0;
}
