/* util.h — the driver's allocation, string and file helpers: they abort on out of
 * memory, so callers never check for NULL. */
#ifndef TETHER_DRIVER_UTIL_H
#define TETHER_DRIVER_UTIL_H

#include <stddef.h>

void *driver_xmalloc(size_t n);              /* zeroed */
void *driver_xrealloc(void *p, size_t n);
char *driver_xstrdup(const char *s);         /* NULL gives "" */
char *driver_xstrndup(const char *s, size_t n);
char *driver_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
double driver_now_ms(void);                  /* monotonic clock */
/* A whole file, NUL-terminated (its length in *len); NULL with "PATH:
 * reason" in err when it cannot be opened. */
char *driver_read_file(const char *path, size_t *len, char *err, size_t errsize);

/* A model as model_dump prints it: the memo's and the roots' keys both read
 * it, so a run dumps each model once and hands the text to both. */
struct model_tu;
typedef struct driver_dump {
    char *text;
    size_t len;
} driver_dump;
driver_dump driver_dump_model(const struct model_tu *tu); /* free(d.text) */

#endif /* TETHER_DRIVER_UTIL_H */
