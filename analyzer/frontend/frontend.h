/* frontend.h — the one interface both front ends implement: read one C file,
 * build its model (model/model.h). */
#ifndef TETHER_FRONTEND_H
#define TETHER_FRONTEND_H

#include <stdbool.h>
#include <stddef.h>
#include "frontend/alias.h"
#include "model/model.h"

/* A compile error a front end met (the clang front end: libclang's
 * diagnostics of severity error or fatal, in the file or its headers). */
typedef struct frontend_error {
    const char *file;            /* NULL: no position (a bad compiler argument) */
    model_loc loc;
    const char *msg;             /* the compiler's words */
    const char *missing_header;  /* an #include not found: as spelled ("cfg.h"); else NULL */
    bool note;                   /* a remark, not an error: the analysis lost nothing */
} frontend_error;

/* What a front end reports beside the model; every member may be NULL. */
typedef struct frontend_sink {
    void *ctx;
    /* Each compile error. Without it the front end sums them up in `err`. */
    void (*error)(void *ctx, const frontend_error *e);
    /* The model of each project header the file includes that defines
     * functions (a header that is neither a system header nor in
     * tether_include_dir): its model_tu.path is the header's path, its
     * functions are the header's. Ownership passes to the callee. */
    void (*header)(void *ctx, model_tu *tu);
} frontend_sink;

typedef struct frontend_input {
    const char *path;               /* the file to analyze, as the user named it */
    const char *contents;           /* unsaved buffer (editors), or NULL: read path */
    size_t length;
    const char *const *argv;        /* compiler arguments (clang only), may be NULL */
    size_t argc;
    const char *tether_include_dir; /* the directory holding tether.h */
    const frontend_sink *sink;      /* may be NULL */
    const frontend_alias *aliases;  /* wrappers modeled as the API (alias.h) */
    size_t naliases;
    /* clang: keep this file's parse for the next build of the same file and
     * arguments, and reparse it then: the headers it includes are not parsed
     * again unless they changed (clang/fe_reuse.h). For an editor's saves.
     * tree-sitter: keep this file's tree and parse its next text
     * incrementally from it (treesitter/ts_reuse.c). For an editor's typing. */
    bool reuse;
    /* tree-sitter with reuse: build every function afresh, leaving the
     * models kept from the last build for the next (tests compare the two). */
    bool fresh_functions;
} frontend_input;

typedef struct frontend_stats {
    double parse_ms;  /* the parser's own time (libclang or tree-sitter) */
    double model_ms;  /* walking the tree and building the model */
    size_t functions; /* function definitions in the file (tree-sitter; 0: not counted) */
    size_t functions_skipped; /* ... not modeled because of syntax errors (tree-sitter) */
    size_t functions_around;  /* ... modeled around their syntax errors (tree-sitter) */
    size_t functions_kept;    /* ... whose model was kept from the last build (tree-sitter, reuse) */
    bool kept_failed;         /* a kept model did not fit: the file was built afresh */
} frontend_stats;

/* Both return 0 with *out set (the caller frees it with model_free), or -1
 * with one line in err naming the problem (unreadable file, no parse at all).
 * A file with syntax errors still yields a model of what parsed. */
int frontend_clang_build(const frontend_input *in, model_tu **out,
                         frontend_stats *stats, char *err, size_t errsize);
int frontend_treesitter_build(const frontend_input *in, model_tu **out,
                              frontend_stats *stats, char *err, size_t errsize);

/* How deeply a file's syntax may nest (blocks, statements, expressions,
 * declarators, preprocessor conditionals, as tree-sitter's tree nests):
 * deeper files are refused with a message, since the front ends, the engine
 * and libclang's parser (on its own 8 MB thread) recurse over it. Real code
 * stays far below (redis, curl, libuv: under 100). */
enum { FRONTEND_MAX_NESTING = 1000 };

/* The nesting depth of src as tree-sitter parses it, counted up to limit + 1
 * (*line: the line where it first goes deeper than limit); -1 when the text
 * cannot be parsed (or no tree-sitter front end is built in). Cheap: a
 * parse and a walk with tree-sitter's cursor, no recursion. */
int frontend_nesting_depth(const char *src, size_t len, unsigned limit, unsigned *line);

/* The clang front end's library: loads libclang (once; later calls return
 * the first result), 0 or -1 with the reason in err. */
int frontend_clang_load(char *err, size_t errsize);
/* "clang version 14.0.6 ..." of the loaded libclang (after a successful
 * frontend_clang_load). */
const char *frontend_clang_version(void);
/* "tree-sitter-c 0.23.6 (ABI 14)". */
const char *frontend_treesitter_version(void);

#endif /* TETHER_FRONTEND_H */
