/* limits.c — the per-file budget (limits.h): size, nesting, macro
 * expansion. */
#include "driver/limits.h"

#include <stdio.h>

#include "frontend/frontend.h"

bool limits_too_large(size_t bytes, char *msg, size_t size)
{
    if (bytes <= (size_t)LIMITS_MAX_FILE_BYTES)
        return false;
    snprintf(msg, size, "file too large (%.1f MB; the limit is %d MB): not analyzed", (double)bytes / (1 << 20),
             LIMITS_MAX_FILE_BYTES >> 20);
    return true;
}

bool limits_over_budget(const char *text, size_t len, char *msg, size_t size)
{
    const char *name = NULL;
    size_t name_len = 0;
    size_t n = limits_macro_tokens(text, len, LIMITS_MAX_MACRO_TOKENS, &name, &name_len);
    if (n > (size_t)LIMITS_MAX_MACRO_TOKENS) {
        snprintf(msg, size, "macro '%.*s' expands to more than %d tokens: not analyzed", (int)name_len, name,
                 LIMITS_MAX_MACRO_TOKENS);
        return true;
    }
#ifdef TETHER_HAVE_TREESITTER
    unsigned line = 0;
    if (frontend_nesting_depth(text, len, FRONTEND_MAX_NESTING, &line) > FRONTEND_MAX_NESTING) {
        snprintf(msg, size, "nesting deeper than %d levels at line %u: not analyzed", FRONTEND_MAX_NESTING, line);
        return true;
    }
#endif
    return false;
}
