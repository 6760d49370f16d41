/* source.h — a source file's text split into lines, for echoing source lines
 * under diagnostics and for reading suppression comments. */
#ifndef TETHER_EMIT_SOURCE_H
#define TETHER_EMIT_SOURCE_H

#include <stddef.h>

typedef struct src_file {
    char *path;
    char *text;          /* the whole file, NUL-terminated */
    size_t length;
    size_t *line_start;  /* byte offset of each line; line N is [N-1] */
    size_t nlines;
} src_file;

/* Reads path (or copies contents if non-NULL). Returns NULL if unreadable. */
src_file *src_file_load(const char *path, const char *contents, size_t length);
void src_file_free(src_file *self);
/* Line `line` (1-based) without its newline: sets *len; NULL if out of range. */
const char *src_file_line(const src_file *self, unsigned line, size_t *len);

#endif /* TETHER_EMIT_SOURCE_H */
