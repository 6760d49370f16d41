/* lsp_reader.c — Content-Length framing (lsp_reader.h). */
#include "lsp/lsp_reader.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver/util.h"

/* A header block longer than this is not one. */
static const size_t reader__max_header = 8192;
static const char reader__key[] = "Content-Length";

struct lsp_reader {
    char *buf;
    size_t start, end, cap;    /* unread bytes: buf[start, end) */
    size_t max_body;
    /* A header read, its body not complete yet. */
    bool in_body;
    size_t body_at, body_len;  /* offsets from start */
    size_t scanned;            /* body bytes already searched for a new header */
    char *out;                 /* the body handed out, NUL-terminated */
    size_t outcap;
};

lsp_reader *lsp_reader_new(size_t max_body)
{
    lsp_reader *self = driver_xmalloc(sizeof *self);
    self->max_body = max_body ? max_body : (size_t)64 << 20;
    return self;
}

void lsp_reader_free(lsp_reader *self)
{
    if (!self)
        return;
    free(self->buf);
    free(self->out);
    free(self);
}

size_t lsp_reader_pending(const lsp_reader *self)
{
    return self->end - self->start;
}

void lsp_reader_feed(lsp_reader *self, const char *data, size_t n)
{
    if (n == 0)
        return;
    if (self->start > 0 && (self->start == self->end || self->end + n > self->cap)) {
        memmove(self->buf, self->buf + self->start, self->end - self->start);
        self->end -= self->start;
        self->start = 0;
    }
    if (self->end + n + 1 > self->cap) {
        size_t cap = self->cap ? self->cap : 4096;
        while (cap < self->end + n + 1)
            cap *= 2;
        self->buf = driver_xrealloc(self->buf, cap);
        self->cap = cap;
    }
    memcpy(self->buf + self->end, data, n);
    self->end += n;
}

static bool reader__ieq(const char *a, size_t n, const char *b)
{
    return strlen(b) == n && strncasecmp(a, b, n) == 0;
}

/* Offset from `from` of the next "Content-Length" (any case) in the unread
 * bytes, or (size_t)-1. */
static size_t reader__find_key(const lsp_reader *self, size_t from)
{
    size_t k = sizeof reader__key - 1;
    const char *p = self->buf + self->start;
    size_t n = self->end - self->start;
    for (size_t i = from; i + k <= n; i++)
        if ((p[i] | 0x20) == 'c' && strncasecmp(p + i, reader__key, k) == 0)
            return i;
    return (size_t)-1;
}

/* After bad framing: skips to the next "Content-Length" from offset
 * `from` (> 0) on; without one keeps only a tail that could be its
 * beginning. */
static void reader__resync(lsp_reader *self, size_t from)
{
    self->in_body = false;
    size_t at = reader__find_key(self, from);
    size_t n = self->end - self->start;
    if (at != (size_t)-1)
        self->start += at;
    else
        self->start += n > sizeof reader__key ? n - (sizeof reader__key - 1) : (n ? 1 : 0);
}

/* Bad framing: the reason in err, reading resumes at the next key from
 * offset `from` (the byte after the bad line's start: a garbled line may
 * end with a good header, a later line of a bad block is not one). */
static lsp_read_status reader__error(lsp_reader *self, char *err, size_t errsize, const char *msg, size_t from)
{
    if (err && errsize)
        snprintf(err, errsize, "%s", msg);
    reader__resync(self, from);
    return LSP_READ_ERROR;
}

/* Parses one header line [p, p+n): Content-Length into *len (*seen set),
 * other well-formed headers ignored. false for a malformed line. */
static bool reader__header_line(const char *p, size_t n, size_t *len, bool *seen)
{
    const char *colon = memchr(p, ':', n);
    if (!colon || colon == p)
        return false;
    for (const char *c = p; c < colon; c++)
        if (!isalnum((unsigned char)*c) && *c != '-' && *c != '_')
            return false;
    const char *v = colon + 1, *e = p + n;
    while (v < e && (*v == ' ' || *v == '\t'))
        v++;
    while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    if (!reader__ieq(p, (size_t)(colon - p), reader__key))
        return true;
    if (v == e || *seen)
        return false;
    size_t x = 0;
    for (const char *c = v; c < e; c++) {
        if (!isdigit((unsigned char)*c) || x > ((size_t)-1 - 9) / 10)
            return false;
        x = x * 10 + (size_t)(*c - '0');
    }
    *len = x;
    *seen = true;
    return true;
}

/* Reads the header block at start: LSP_READ_MESSAGE when it is complete and
 * valid (in_body set), LSP_READ_NONE when more is needed. */
static lsp_read_status reader__header(lsp_reader *self, char *err, size_t errsize)
{
    while (self->start < self->end && (self->buf[self->start] == '\r' || self->buf[self->start] == '\n'))
        self->start++;
    const char *p = self->buf + self->start;
    size_t n = self->end - self->start;
    size_t lim = n < reader__max_header ? n : reader__max_header;
    size_t hend = (size_t)-1, body = 0;
    for (size_t i = 0; i + 1 < lim; i++) {
        if (p[i] != '\n')
            continue;
        if (p[i + 1] == '\n') {
            hend = i;
            body = i + 2;
            break;
        }
        if (p[i + 1] == '\r' && i + 2 < lim && p[i + 2] == '\n') {
            hend = i;
            body = i + 3;
            break;
        }
        if (p[i + 1] == '\r' && i + 2 >= lim)
            break;
    }
    if (hend == (size_t)-1) {
        if (n >= reader__max_header)
            return reader__error(self, err, errsize, "header block longer than 8192 bytes, skipped", 1);
        return LSP_READ_NONE;
    }
    size_t len = 0;
    bool seen = false;
    for (size_t i = 0; i <= hend;) {
        size_t e = i;
        while (e <= hend && p[e] != '\n')
            e++;
        size_t k = e - i;
        if (k > 0 && p[i + k - 1] == '\r')
            k--;
        if (k > 0 && !reader__header_line(p + i, k, &len, &seen))
            return reader__error(self, err, errsize, "malformed header, skipped up to the next Content-Length",
                                 i + 1);
        i = e + 1;
    }
    if (!seen)
        return reader__error(self, err, errsize, "header without a Content-Length, skipped", 1);
    if (len > self->max_body) {
        /* Not trusted (a stray digit can claim terabytes): resynced like
         * any bad header rather than waited for. */
        char msg[128];
        snprintf(msg, sizeof msg, "Content-Length %zu is over the limit of %zu bytes, skipped", len, self->max_body);
        return reader__error(self, err, errsize, msg, 1);
    }
    self->in_body = true;
    self->body_at = body;
    self->body_len = len;
    self->scanned = 0;
    return LSP_READ_MESSAGE;
}

/* A body still arriving that holds a complete JSON value followed by a new
 * header: its Content-Length was too long. Searches only what is new. */
static bool reader__overlong(lsp_reader *self)
{
    size_t have = self->end - self->start - self->body_at;
    size_t from = self->scanned > sizeof reader__key ? self->scanned - sizeof reader__key : 0;
    self->scanned = have;
    for (size_t at = self->body_at + from;;) {
        at = reader__find_key(self, at);
        if (at == (size_t)-1 || at >= self->body_at + self->body_len)
            return false;
        const char *b = self->buf + self->start + self->body_at;
        size_t k = at - self->body_at;
        const char *endp = NULL;
        cJSON *v = k ? cJSON_ParseWithLengthOpts(b, k, &endp, 0) : NULL;
        bool whole = v != NULL;
        cJSON_Delete(v);
        for (const char *c = endp; whole && c < b + k; c++)
            whole = isspace((unsigned char)*c);
        if (whole) {
            self->start += at;
            self->in_body = false;
            return true;
        }
        at++;
    }
}

lsp_read_status lsp_reader_next(lsp_reader *self, const char **body, size_t *len, char *err, size_t errsize)
{
    if (!self->in_body) {
        lsp_read_status st = reader__header(self, err, errsize);
        if (st != LSP_READ_MESSAGE)
            return st;
    }
    size_t have = self->end - self->start - self->body_at;
    if (have < self->body_len) {
        if (reader__overlong(self)) {
            if (err && errsize)
                snprintf(err, errsize, "Content-Length %zu is longer than the message, skipped", self->body_len);
            return LSP_READ_ERROR;
        }
        return LSP_READ_NONE;
    }
    if (self->outcap < self->body_len + 1) {
        self->outcap = self->body_len + 1;
        self->out = driver_xrealloc(self->out, self->outcap);
    }
    memcpy(self->out, self->buf + self->start + self->body_at, self->body_len);
    self->out[self->body_len] = '\0';
    self->start += self->body_at + self->body_len;
    self->in_body = false;
    *body = self->out;
    *len = self->body_len;
    return LSP_READ_MESSAGE;
}
