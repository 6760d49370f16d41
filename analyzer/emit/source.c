/* source.c — loading a source file and indexing its lines (source.h). */
#include "source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *src__xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fputs("tether: error: out of memory\n", stderr);
        abort();
    }
    return p;
}

static char *src__read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 8192, n = 0;
    char *buf = src__xmalloc(cap);
    for (;;) {
        if (cap - n < 4096) {
            cap *= 2;
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

src_file *src_file_load(const char *path, const char *contents, size_t length)
{
    src_file *self = src__xmalloc(sizeof *self);
    memset(self, 0, sizeof *self);
    if (contents) {
        self->text = src__xmalloc(length + 1);
        memcpy(self->text, contents, length);
        self->text[length] = '\0';
        self->length = length;
    } else {
        self->text = src__read(path, &self->length);
        if (!self->text) {
            free(self);
            return NULL;
        }
    }
    size_t n = strlen(path) + 1;
    self->path = src__xmalloc(n);
    memcpy(self->path, path, n);
    size_t lines = 1;
    for (size_t i = 0; i < self->length; i++)
        lines += self->text[i] == '\n';
    self->line_start = src__xmalloc(lines * sizeof *self->line_start);
    self->line_start[0] = 0;
    self->nlines = 1;
    for (size_t i = 0; i < self->length; i++)
        if (self->text[i] == '\n')
            self->line_start[self->nlines++] = i + 1;
    return self;
}

void src_file_free(src_file *self)
{
    if (!self)
        return;
    free(self->path);
    free(self->text);
    free(self->line_start);
    free(self);
}

const char *src_file_line(const src_file *self, unsigned line, size_t *len)
{
    if (line == 0 || line > self->nlines)
        return NULL;
    size_t b = self->line_start[line - 1];
    size_t e = line < self->nlines ? self->line_start[line] - 1 : self->length;
    if (e > b && self->text[e - 1] == '\r')
        e--;
    *len = e - b;
    return self->text + b;
}
