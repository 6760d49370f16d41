/* ts_parse.c — the raw tree-sitter floor for bench/analyzer: read and parse each file with one TSParser, free the tree, nothing else. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <tree_sitter/api.h>

const TSLanguage *tree_sitter_c(void);

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Reads the whole file into a malloc'd buffer; NULL on error. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long size;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    buf = malloc((size_t)size + 1);
    if (buf && fread(buf, 1, (size_t)size, f) != (size_t)size) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf)
        buf[size] = '\0';
    *len = (size_t)size;
    return buf;
}

int main(int argc, char **argv)
{
    TSParser *parser = ts_parser_new();
    size_t bytes = 0, nodes_with_errors = 0;
    double t0 = now_ms();
    int status = 0;

    if (argc < 2) {
        fprintf(stderr, "usage: ts_parse FILE...\n");
        return 2;
    }
    ts_parser_set_language(parser, tree_sitter_c());
    for (int i = 1; i < argc; i++) {
        size_t len = 0;
        char *src = slurp(argv[i], &len);
        TSTree *tree;
        if (!src) {
            fprintf(stderr, "ts_parse: cannot read %s\n", argv[i]);
            status = 1;
            continue;
        }
        tree = ts_parser_parse_string(parser, NULL, src, (uint32_t)len);
        /* Touch the result so the parse cannot be skipped. */
        if (ts_node_has_error(ts_tree_root_node(tree)))
            nodes_with_errors++;
        bytes += len;
        ts_tree_delete(tree);
        free(src);
    }
    ts_parser_delete(parser);
    fprintf(stderr, "ts_parse: files=%d bytes=%zu files_with_errors=%zu ms=%.1f\n",
            argc - 1, bytes, nodes_with_errors, now_ms() - t0);
    return status;
}
