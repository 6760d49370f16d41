/* util.c — allocation, string and file helpers (util.h). */
#include "driver/util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/model.h"

static void driver__oom(void)
{
    fputs("tether: error: out of memory\n", stderr);
    abort();
}

void *driver_xmalloc(size_t n)
{
    void *p = calloc(1, n ? n : 1);
    if (!p)
        driver__oom();
    return p;
}

void *driver_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        driver__oom();
    return q;
}

char *driver_xstrdup(const char *s)
{
    return driver_xstrndup(s ? s : "", s ? strlen(s) : 0);
}

char *driver_xstrndup(const char *s, size_t n)
{
    char *d = driver_xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *driver_xasprintf(const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = driver_xmalloc(n > 0 ? (size_t)n + 1 : 1);
    if (n > 0)
        vsnprintf(s, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return s;
}

double driver_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

char *driver_read_file(const char *path, size_t *len, char *err, size_t errsize)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errsize, "%s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 14, n = 0;
    char *text = driver_xmalloc(cap);
    for (size_t got; (got = fread(text + n, 1, cap - n - 1, f)) > 0;) {
        n += got;
        if (n + 1 == cap)
            text = driver_xrealloc(text, cap *= 2);
    }
    fclose(f);
    text[n] = '\0';
    *len = n;
    return text;
}

driver_dump driver_dump_model(const model_tu *tu)
{
    driver_dump d = { NULL, 0 };
    FILE *f = open_memstream(&d.text, &d.len);
    if (!f)
        driver__oom();
    model_dump(tu, f);
    fclose(f);
    return d;
}
