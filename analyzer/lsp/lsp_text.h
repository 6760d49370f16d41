/* lsp_text.h — positions in a document's text: LSP counts columns in
 * UTF-16 code units, tether (like compilers) in bytes. Text is taken as
 * UTF-8; a byte that is not part of valid UTF-8 counts as one unit. */
#ifndef TETHER_LSP_TEXT_H
#define TETHER_LSP_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* The byte offset of LSP position (line, character) in text[0..len):
 * both 0-based, character in UTF-16 units. A character past the end of
 * its line is the line's end, a line past the last is the text's end (as
 * LSP says). A character that falls inside a surrogate pair's code point
 * is that code point's start. */
size_t lsp_text_offset(const char *text, size_t len, uint32_t line, uint32_t character);

/* The UTF-16 length of line bytes [0, nbytes) of a line (nbytes is cut to
 * the line's length). */
uint32_t lsp_text_utf16_len(const char *line, size_t linelen, size_t nbytes);

/* The UTF-16 column (0-based) of tether's 1-based byte column `col` on
 * 1-based line `line` of text; 0 for col 0. */
uint32_t lsp_text_utf16_col(const char *text, size_t len, uint32_t line, uint32_t col);

/* The start of 1-based `line` in text and its length without the newline;
 * NULL when the text has fewer lines. */
const char *lsp_text_line(const char *text, size_t len, uint32_t line, size_t *linelen);

#endif /* TETHER_LSP_TEXT_H */
