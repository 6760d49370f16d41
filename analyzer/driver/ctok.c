/* ctok.c — a C file's tokens for fix-its (ctok.h). */
#include "ctok.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "driver/util.h"

static const size_t CTOK_NONE = (size_t)-1;

static void ctok__push(ctok_list *self, size_t *cap, size_t b, size_t e)
{
    if (self->n == *cap) {
        *cap = *cap ? *cap * 2 : 256;
        self->toks = driver_xrealloc(self->toks, *cap * sizeof *self->toks);
    }
    self->toks[self->n++] = (ctok){ b, e, self->n };
}

/* Whether offset i starts a line's first non-blank character. */
static bool ctok__line_first(const char *t, size_t i)
{
    while (i > 0 && (t[i - 1] == ' ' || t[i - 1] == '\t'))
        i--;
    return i == 0 || t[i - 1] == '\n';
}

static void ctok__match(ctok_list *self)
{
    size_t *stack = driver_xmalloc((self->n + 1) * sizeof *stack);
    size_t depth = 0;
    for (size_t i = 0; i < self->n; i++) {
        char c = self->text[self->toks[i].begin];
        if (self->toks[i].end - self->toks[i].begin != 1)
            continue;
        if (c == '(' || c == '[' || c == '{') {
            stack[depth++] = i;
        } else if (c == ')' || c == ']' || c == '}') {
            char open = c == ')' ? '(' : c == ']' ? '[' : '{';
            if (depth && self->text[self->toks[stack[depth - 1]].begin] == open) {
                size_t o = stack[--depth];
                self->toks[o].match = i;
                self->toks[i].match = o;
            }
        }
    }
    free(stack);
}

void ctok_scan(ctok_list *self, const char *t, size_t len)
{
    memset(self, 0, sizeof *self);
    self->text = t;
    self->length = len;
    size_t cap = 0, i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)t[i];
        if (isspace(c)) {
            i++;
        } else if (c == '/' && i + 1 < len && t[i + 1] == '/') {
            while (i < len && t[i] != '\n')
                i++;
        } else if (c == '/' && i + 1 < len && t[i + 1] == '*') {
            const char *e = strstr(t + i + 2, "*/");
            i = e ? (size_t)(e - t) + 2 : len;
        } else if (c == '#' && ctok__line_first(t, i)) {
            /* a preprocessor line, with its continuations */
            while (i < len && t[i] != '\n') {
                if (t[i] == '\\' && i + 1 < len && t[i + 1] == '\n')
                    i++;
                i++;
            }
        } else if (c == '"' || c == '\'') {
            size_t b = i++;
            while (i < len && t[i] != (char)c && t[i] != '\n') {
                if (t[i] == '\\' && i + 1 < len)
                    i++;
                i++;
            }
            if (i < len && t[i] == (char)c)
                i++;
            ctok__push(self, &cap, b, i);
        } else if (isalnum(c) || c == '_') {
            size_t b = i;
            bool number = isdigit(c);
            while (i < len && (isalnum((unsigned char)t[i]) || t[i] == '_' || (number && t[i] == '.')))
                i++;
            ctok__push(self, &cap, b, i);
        } else {
            ctok__push(self, &cap, i, i + 1);
            i++;
        }
    }
    ctok__match(self);
}

void ctok_free(ctok_list *self)
{
    free(self->toks);
    memset(self, 0, sizeof *self);
}

size_t ctok_at(const ctok_list *self, size_t offset)
{
    size_t lo = 0, hi = self->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (self->toks[mid].begin < offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < self->n && self->toks[lo].begin == offset ? lo : CTOK_NONE;
}

bool ctok_is(const ctok_list *self, size_t i, const char *s)
{
    if (i >= self->n)
        return false;
    size_t n = strlen(s);
    return self->toks[i].end - self->toks[i].begin == n && memcmp(self->text + self->toks[i].begin, s, n) == 0;
}

/* Walks outward from token i over whole bracket groups; returns the first
 * unmatched opener found before i whose character is in `stop`, or NONE.
 * Openers not in `stop` are stepped over when `through` is set, else end
 * the walk. */
static size_t ctok__outward(const ctok_list *self, size_t i, const char *stop, bool through)
{
    size_t j = i;
    while (j-- > 0) {
        const ctok *k = &self->toks[j];
        char c = self->text[k->begin];
        if (k->end - k->begin != 1)
            continue;
        if ((c == ')' || c == ']' || c == '}') && k->match < j) {
            j = k->match;
            continue;
        }
        if (c == '(' || c == '[' || c == '{') {
            if (strchr(stop, c))
                return j;
            if (!through)
                return CTOK_NONE;
        }
    }
    return CTOK_NONE;
}

size_t ctok_enclosing_brace(const ctok_list *self, size_t i)
{
    return ctok__outward(self, i, "{", true);
}

size_t ctok_opener(const ctok_list *self, size_t i)
{
    return ctok__outward(self, i, "([{", false);
}

bool ctok_in_parens(const ctok_list *self, size_t i)
{
    size_t o = ctok_opener(self, i);
    return o != CTOK_NONE && self->text[self->toks[o].begin] != '{';
}
