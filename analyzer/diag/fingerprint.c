/* fingerprint.c — stable finding identities (fingerprint.h). */
#include "diag/fingerprint.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const uint64_t fp__basis = 14695981039346656037ull, fp__prime = 1099511628211ull;

static uint64_t fp__bytes(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= fp__prime;
    }
    return h;
}

/* A field and its terminator, so that ("ab", "c") and ("a", "bc") differ. */
static uint64_t fp__field(uint64_t h, const char *s)
{
    h = fp__bytes(h, s ? s : "", s ? strlen(s) : 0);
    return fp__bytes(h, "", 1);
}

/* The line's text without whitespace: re-indenting or re-spacing a line
 * keeps its findings' identities. */
static uint64_t fp__line(uint64_t h, const char *line, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = line[i];
        if (c != ' ' && c != '\t' && c != '\r' && c != '\v' && c != '\f')
            h = fp__bytes(h, &c, 1);
    }
    return fp__bytes(h, "", 1);
}

/* [*b, *e) = line `line` (1-based) of text; empty when out of range. */
static void fp__find_line(const char *text, size_t len, uint32_t line, size_t *b, size_t *e)
{
    *b = *e = 0;
    if (!text || line == 0)
        return;
    size_t p = 0;
    for (uint32_t l = 1; l < line; l++) {
        const char *nl = memchr(text + p, '\n', len - p);
        if (!nl)
            return;
        p = (size_t)(nl - text) + 1;
    }
    const char *nl = memchr(text + p, '\n', len - p);
    *b = p;
    *e = nl ? (size_t)(nl - text) : len;
}

void diag_fingerprint_file(diag *items, size_t n, const char *path, const char *text, size_t len)
{
    uint64_t *base = calloc(n ? n : 1, sizeof *base);
    if (!base) {
        fputs("tether: error: out of memory\n", stderr);
        abort();
    }
    for (size_t i = 0; i < n; i++) {
        size_t b, e;
        fp__find_line(text, len, items[i].loc.line, &b, &e);
        uint64_t h = fp__field(fp__basis, items[i].rule);
        h = fp__field(h, path);
        h = fp__line(h, text ? text + b : "", e - b);
        base[i] = fp__field(h, items[i].msg);
    }
    for (size_t i = 0; i < n; i++) {
        unsigned occurrence = 0;
        for (size_t k = 0; k < i; k++)
            occurrence += base[k] == base[i];
        char idx[16];
        int m = snprintf(idx, sizeof idx, "%u", occurrence);
        uint64_t h = fp__bytes(base[i], idx, (size_t)m);
        snprintf(items[i].fingerprint, sizeof items[i].fingerprint, "%016llx", (unsigned long long)h);
    }
    free(base);
}
