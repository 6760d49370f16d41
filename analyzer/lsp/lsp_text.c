/* lsp_text.c — UTF-16 columns and byte offsets (lsp_text.h). */
#include "lsp/lsp_text.h"

#include <string.h>

/* The length of the UTF-8 sequence at p (at most n bytes) and its UTF-16
 * units; an invalid byte is a sequence of 1 byte, 1 unit. */
static size_t text__seq(const unsigned char *p, size_t n, uint32_t *units)
{
    unsigned char c = p[0];
    size_t k = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    *units = 1;
    if (k <= 1 || k > n)
        return 1;
    for (size_t i = 1; i < k; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 1;
    if ((k == 2 && c < 0xC2) || (k == 4 && c > 0xF4))
        return 1;
    if (k == 4)
        *units = 2;
    return k;
}

const char *lsp_text_line(const char *text, size_t len, uint32_t line, size_t *linelen)
{
    const char *p = text, *end = text + len;
    for (uint32_t l = 1; l < line; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return NULL;
        p = nl + 1;
    }
    if (line == 0)
        return NULL;
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t n = (size_t)((nl ? nl : end) - p);
    if (n > 0 && p[n - 1] == '\r')
        n--;
    *linelen = n;
    return p;
}

uint32_t lsp_text_utf16_len(const char *line, size_t linelen, size_t nbytes)
{
    if (nbytes > linelen)
        nbytes = linelen;
    uint32_t units = 0;
    for (size_t i = 0; i < nbytes;) {
        uint32_t u;
        i += text__seq((const unsigned char *)line + i, linelen - i, &u);
        units += u;
    }
    return units;
}

uint32_t lsp_text_utf16_col(const char *text, size_t len, uint32_t line, uint32_t col)
{
    size_t n;
    const char *p = col ? lsp_text_line(text, len, line, &n) : NULL;
    return p ? lsp_text_utf16_len(p, n, col - 1) : (col ? col - 1 : 0);
}

size_t lsp_text_offset(const char *text, size_t len, uint32_t line, uint32_t character)
{
    const char *p = text, *end = text + len;
    for (uint32_t l = 0; l < line; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return len;
        p = nl + 1;
    }
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t n = (size_t)((nl ? nl : end) - p);
    if (n > 0 && p[n - 1] == '\r')
        n--;
    uint32_t units = 0;
    size_t i = 0;
    while (i < n && units < character) {
        uint32_t u;
        size_t k = text__seq((const unsigned char *)p + i, n - i, &u);
        if (units + u > character)
            break;
        units += u;
        i += k;
    }
    return (size_t)(p - text) + i;
}
