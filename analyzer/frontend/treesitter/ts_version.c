/* ts_version.c — the tree-sitter front end's version, for the driver's
 * front-end table (frontend.h). */
#include <stdio.h>
#include <tree_sitter/api.h>

#include "frontend/frontend.h"

#ifndef TETHER_TS_GRAMMAR_VERSION
#define TETHER_TS_GRAMMAR_VERSION "?"
#endif

const TSLanguage *tree_sitter_c(void);

const char *frontend_treesitter_version(void)
{
    /* Per thread: the text is made on each call, without a lock. */
    static _Thread_local char text[96];
    snprintf(text, sizeof text, "tree-sitter-c %s (ABI %u)", TETHER_TS_GRAMMAR_VERSION,
             ts_language_version(tree_sitter_c()));
    return text;
}
