/* limits.h — the budget every input is held to before a front end sees it:
 * its size, how deeply it nests, and how far its macros expand. A file over
 * budget is not analyzed: one input error names it and the limit, and the
 * other inputs are analyzed as usual. (libclang's parse cannot be
 * interrupted once started, so its time and memory are bounded here, by
 * what it is given.) */
#ifndef TETHER_DRIVER_LIMITS_H
#define TETHER_DRIVER_LIMITS_H

#include <stdbool.h>
#include <stddef.h>

/* The largest file analyzed (the sqlite3.c amalgamation is 9 MB). */
enum { LIMITS_MAX_FILE_BYTES = 32 << 20 };
/* The most tokens the macros defined in a file may expand to (a "billion
 * laughs" of nested macros makes clang run for minutes and take gigabytes). */
enum { LIMITS_MAX_MACRO_TOKENS = 10 * 1000 * 1000 };
/* The stack of the driver's worker threads, which parse and model: deep
 * enough for any file under FRONTEND_MAX_NESTING and the clang walk's
 * FE_MAX_WALK_DEPTH, also under AddressSanitizer, and the same with -j1 and
 * -j2. Address space only: pages are used as the recursion reaches them. */
enum { LIMITS_WORKER_STACK = 256 << 20 };

/* Whether a file of `bytes` bytes is over the size limit: the problem in
 * msg (one line) when it is. */
bool limits_too_large(size_t bytes, char *msg, size_t size);

/* Whether text (len bytes) is over budget for the libclang front end:
 * macros that expand past LIMITS_MAX_MACRO_TOKENS, or nesting deeper than
 * FRONTEND_MAX_NESTING; the problem in msg (one line) when it is. (The
 * tree-sitter front end expands no macro and checks its nesting itself, on
 * its own tree.) */
bool limits_over_budget(const char *text, size_t len, char *msg, size_t size);

/* The number of tokens the largest macro defined in text expands to
 * (object-like and function-like bodies, arguments not multiplied), capped
 * at cap + 1; *name / *name_len: that macro. limits_macro.c. */
size_t limits_macro_tokens(const char *text, size_t len, size_t cap, const char **name, size_t *name_len);

#endif /* TETHER_DRIVER_LIMITS_H */
