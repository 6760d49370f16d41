/* rt_util.h — helpers for the runtime tests: capture stderr, run the helper
 * program (posix_spawn, so ThreadSanitizer stays happy), read RSS. */
#ifndef RT_UTIL_H
#define RT_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Redirect fd 2 to a temporary file until capture_end, which returns what
 * was written (malloc'd, NUL-terminated). */
void capture_begin(void);
char *capture_end(void);

typedef struct helper_run {
    int status;  /* waitpid status */
    char *out;   /* stdout, malloc'd */
    char *err;   /* stderr, malloc'd */
} helper_run;

/* Run the rt_helper executable with one scenario argument and extra
 * environment entries ("NAME=value", NULL-terminated list or NULL). */
helper_run run_helper(const char *scenario, const char *const *extra_env);
/* The same with stdout and stderr into one file, as in `2>&1 | less`: out
 * has both, in the order the program wrote them; err is empty. */
helper_run run_helper_merged(const char *scenario, const char *const *extra_env);
void helper_free(helper_run *r);
bool exited_with(const helper_run *r, int code);
bool killed_by(const helper_run *r, int sig);
/* The integer after "key=" in s, or -1. */
long field(const char *s, const char *key);
/* Current resident set size in KiB. */
long rss_kib(void);
int64_t now_ms(void);

#endif
