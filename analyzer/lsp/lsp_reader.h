/* lsp_reader.h — the base protocol's framing: bytes in, message bodies out.
 *
 * A message is a header block ("Content-Length: N\r\n", optional
 * "Content-Type: ...\r\n", a blank line) and N bytes of body. The reader is
 * fed whatever arrived (any split, several messages joined) and hands back
 * one complete body at a time. Bad framing never stops it: a header block
 * without a usable Content-Length, an oversized header or body, or a
 * Content-Length longer than its message (a new header follows a complete
 * JSON value early) is reported once and skipped, and reading resumes at
 * the next "Content-Length:". */
#ifndef TETHER_LSP_READER_H
#define TETHER_LSP_READER_H

#include <stddef.h>

typedef struct lsp_reader lsp_reader;

typedef enum lsp_read_status {
    LSP_READ_NONE = 0,   /* no complete message yet: feed more */
    LSP_READ_MESSAGE,    /* *body, *len: one message's body */
    LSP_READ_ERROR,      /* bad framing, skipped; the reason in err */
} lsp_read_status;

/* max_body: larger messages are skipped (0: 64 MiB). */
lsp_reader *lsp_reader_new(size_t max_body);
void lsp_reader_free(lsp_reader *self);
/* Appends bytes that arrived. */
void lsp_reader_feed(lsp_reader *self, const char *data, size_t n);
/* The next message. The body is borrowed until the next call of
 * lsp_reader_next or lsp_reader_feed; it is NUL-terminated. */
lsp_read_status lsp_reader_next(lsp_reader *self, const char **body, size_t *len, char *err, size_t errsize);
/* Bytes held that are not yet a complete message. */
size_t lsp_reader_pending(const lsp_reader *self);

#endif /* TETHER_LSP_READER_H */
