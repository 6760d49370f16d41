/* limits_macro.c — how far the macros a file defines expand
 * (limits_macro_tokens, limits.h): a lexical read of its #define lines, each
 * body's tokens counted with the macros it names expanded, as the
 * preprocessor would (a macro does not expand inside itself). Arguments of
 * function-like macros are counted once, not multiplied. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "driver/limits.h"
#include "driver/util.h"

typedef struct lm_macro {
    const char *name, *body;
    size_t name_len, body_len;
    size_t tokens;          /* expanded, once known */
    unsigned char state;    /* 0 unknown, 1 being expanded, 2 known */
} lm_macro;

typedef struct lm_table {
    lm_macro *m;
    size_t n, cap;
    uint32_t *slots;        /* open addressing: index + 1, 0 empty */
    size_t nslots;
    size_t limit;           /* counts saturate at limit + 1 */
} lm_table;

/* Macros naming macros deeper than this count as one token each (clang
 * expands them all; a bomb needs far fewer levels to explode). */
static const int lm__max_depth = 200;

static bool lm__ident_start(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
}

static bool lm__ident(char ch)
{
    return lm__ident_start(ch) || (ch >= '0' && ch <= '9');
}

static uint32_t lm__hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static lm_macro *lm__find(const lm_table *t, const char *s, size_t n)
{
    if (!t->nslots)
        return NULL;
    for (size_t i = lm__hash(s, n) & (t->nslots - 1);; i = (i + 1) & (t->nslots - 1)) {
        uint32_t k = t->slots[i];
        if (!k)
            return NULL;
        lm_macro *m = &t->m[k - 1];
        if (m->name_len == n && memcmp(m->name, s, n) == 0)
            return m;
    }
}

static void lm__index(lm_table *t)
{
    t->nslots = 16;
    while (t->nslots < t->n * 2)
        t->nslots *= 2;
    t->slots = driver_xmalloc(t->nslots * sizeof *t->slots);
    for (size_t k = 0; k < t->n; k++) {
        /* The last definition of a name wins. */
        size_t i = lm__hash(t->m[k].name, t->m[k].name_len) & (t->nslots - 1);
        for (; t->slots[i]; i = (i + 1) & (t->nslots - 1)) {
            lm_macro *m = &t->m[t->slots[i] - 1];
            if (m->name_len == t->m[k].name_len && memcmp(m->name, t->m[k].name, m->name_len) == 0)
                break;
        }
        t->slots[i] = (uint32_t)k + 1;
    }
}

/* The end of the logical line starting at i (backslash continuations
 * joined). */
static size_t lm__line_end(const char *s, size_t len, size_t i)
{
    for (; i < len && s[i] != '\n'; i++)
        if (s[i] == '\\' && i + 1 < len && (s[i + 1] == '\n' || s[i + 1] == '\r'))
            i += s[i + 1] == '\r' && i + 2 < len && s[i + 2] == '\n' ? 2 : 1;
    return i;
}

static void lm__skip_blanks(const char *s, size_t end, size_t *i)
{
    while (*i < end && (s[*i] == ' ' || s[*i] == '\t'))
        (*i)++;
}

/* Collects the #define lines of text. */
static void lm__collect(lm_table *t, const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        size_t end = lm__line_end(s, len, i);
        size_t p = i;
        lm__skip_blanks(s, end, &p);
        if (p < end && s[p] == '#') {
            p++;
            lm__skip_blanks(s, end, &p);
            if (end - p > 6 && memcmp(s + p, "define", 6) == 0 && !lm__ident(s[p + 6])) {
                p += 6;
                lm__skip_blanks(s, end, &p);
                size_t name = p;
                while (p < end && lm__ident(s[p]))
                    p++;
                if (p > name && lm__ident_start(s[name])) {
                    size_t name_len = p - name;
                    if (p < end && s[p] == '(') /* function-like: skip the parameters */
                        while (p < end && s[p++] != ')')
                            ;
                    if (t->n == t->cap)
                        t->m = driver_xrealloc(t->m, (t->cap = t->cap ? t->cap * 2 : 64) * sizeof *t->m);
                    t->m[t->n++] = (lm_macro){ s + name, s + p, name_len, end - p, 0, 0 };
                }
            }
        }
        i = end + 1;
    }
}

static size_t lm__add(size_t a, size_t b, size_t limit)
{
    return a + b > limit ? limit + 1 : a + b;
}

static size_t lm__expand(lm_table *t, lm_macro *m, int depth);

/* The tokens body[0..n) expands to. */
static size_t lm__body(lm_table *t, const char *s, size_t n, int depth)
{
    size_t count = 0;
    for (size_t i = 0; i < n && count <= t->limit;) {
        char ch = s[i];
        if (ch == ' ' || ch == '\t' || ch == '\\' || ch == '\r' || ch == '\n') {
            i++;
        } else if (ch == '/' && i + 1 < n && s[i + 1] == '*') {
            for (i += 2; i + 1 < n && !(s[i] == '*' && s[i + 1] == '/'); i++)
                ;
            i += 2;
        } else if (ch == '/' && i + 1 < n && s[i + 1] == '/') {
            break;
        } else if (ch == '"' || ch == '\'') {
            for (i++; i < n && s[i] != ch; i++)
                if (s[i] == '\\')
                    i++;
            i++;
            count = lm__add(count, 1, t->limit);
        } else if (lm__ident_start(ch)) {
            size_t b = i;
            while (i < n && lm__ident(s[i]))
                i++;
            lm_macro *m = lm__find(t, s + b, i - b);
            count = lm__add(count, m ? lm__expand(t, m, depth + 1) : 1, t->limit);
        } else {
            i++;
            count = lm__add(count, 1, t->limit);
        }
    }
    return count;
}

static size_t lm__expand(lm_table *t, lm_macro *m, int depth)
{
    if (m->state == 2)
        return m->tokens;
    if (m->state == 1 || depth > lm__max_depth)
        return 1; /* not expanded inside itself; or too deep to follow */
    m->state = 1;
    size_t n = lm__body(t, m->body, m->body_len, depth);
    m->state = 2;
    m->tokens = n ? n : 1;
    return m->tokens;
}

size_t limits_macro_tokens(const char *text, size_t len, size_t cap, const char **name, size_t *name_len)
{
    lm_table t = { 0 };
    t.limit = cap;
    lm__collect(&t, text, len);
    size_t max = 0;
    if (t.n) {
        lm__index(&t);
        for (size_t k = 0; k < t.n && max <= cap; k++) {
            size_t n = lm__expand(&t, &t.m[k], 0);
            if (n > max) {
                max = n;
                *name = t.m[k].name;
                *name_len = t.m[k].name_len;
            }
        }
    }
    free(t.m);
    free(t.slots);
    return max;
}
