/* frontend.h — the one interface both front ends implement: read one C file,
 * build its model (model/model.h). */
#ifndef TETHER_FRONTEND_H
#define TETHER_FRONTEND_H

#include <stddef.h>
#include "frontend/alias.h"
#include "model/model.h"

typedef struct frontend_input {
    const char *path;               /* the file to analyze, as the user named it */
    const char *contents;           /* unsaved buffer (editors), or NULL: read path */
    size_t length;
    const char *const *argv;        /* compiler arguments (clang only), may be NULL */
    size_t argc;
    const char *tether_include_dir; /* the directory holding tether.h */
    const frontend_alias *aliases; /* wrappers modeled as the API (alias.h) */
    size_t naliases;
} frontend_input;

typedef struct frontend_stats {
    double parse_ms;  /* the parser's own time (libclang or tree-sitter) */
    double model_ms;  /* walking the tree and building the model */
} frontend_stats;

/* Both return 0 with *out set (the caller frees it with model_free), or -1
 * with one line in err naming the problem (unreadable file, no parse at all).
 * A file with syntax errors still yields a model of what parsed. */
int frontend_clang_build(const frontend_input *in, model_tu **out,
                         frontend_stats *stats, char *err, size_t errsize);
int frontend_treesitter_build(const frontend_input *in, model_tu **out,
                              frontend_stats *stats, char *err, size_t errsize);

#endif /* TETHER_FRONTEND_H */
