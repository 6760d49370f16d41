/* ctok.h — a C file's tokens, as much as fix-its need: where each token
 * starts and ends, comments, string and character literals and
 * preprocessor lines skipped, and brackets matched. Not a C lexer: `->`
 * is two tokens, and a brace in an `#if` branch that is not compiled
 * still counts (fixit_render refuses what this makes uncertain). */
#ifndef TETHER_DRIVER_CTOK_H
#define TETHER_DRIVER_CTOK_H

#include <stdbool.h>
#include <stddef.h>

typedef struct ctok {
    size_t begin, end;    /* byte offsets [begin, end) */
    size_t match;         /* ( [ {: its closer; ) ] }: its opener; else the token itself
                             (an unmatched bracket is its own match) */
} ctok;

typedef struct ctok_list {
    ctok *toks;
    size_t n;
    const char *text;
    size_t length;
} ctok_list;

/* Tokenizes text[0..length) (borrowed: it must outlive the list). */
void ctok_scan(ctok_list *self, const char *text, size_t length);
void ctok_free(ctok_list *self);
/* The token starting exactly at offset, or (size_t)-1. */
size_t ctok_at(const ctok_list *self, size_t offset);
/* Whether token i is exactly the punctuator or word s. */
bool ctok_is(const ctok_list *self, size_t i, const char *s);
/* The innermost `{` enclosing token i, or (size_t)-1 at file scope. */
size_t ctok_enclosing_brace(const ctok_list *self, size_t i);
/* The innermost bracket of any kind, ( [ or {, enclosing token i, or (size_t)-1. */
size_t ctok_opener(const ctok_list *self, size_t i);
/* Whether that bracket is a ( or a [. */
bool ctok_in_parens(const ctok_list *self, size_t i);

#endif /* TETHER_DRIVER_CTOK_H */
