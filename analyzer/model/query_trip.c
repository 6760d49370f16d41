/* query_trip.c — TEMPORARY: the trip count of a counted loop
 * (`for (i = A; i < B; i++)`, `i < NAME`) read from the source text at the
 * loop keyword the model places. The only place rules still read text: the
 * model has no loop bounds yet (requested: a trip count on loop heads).
 * Everything else comes from the model. */
#include "model/query_impl.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void q_src_free(q_ctx *q)
{
    free(q->src);
    free(q->line_off);
    q->src = NULL;
    q->line_off = NULL;
}

/* Blanks comments and string/char literals (newlines kept). */
static void blank_noncode(char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (s[i] == '/' && i + 1 < n && s[i + 1] == '/') {
            while (i < n && s[i] != '\n')
                s[i++] = ' ';
        } else if (s[i] == '/' && i + 1 < n && s[i + 1] == '*') {
            s[i++] = ' ';
            s[i++] = ' ';
            while (i < n && !(s[i] == '*' && i + 1 < n && s[i + 1] == '/')) {
                if (s[i] != '\n')
                    s[i] = ' ';
                i++;
            }
            for (int k = 0; k < 2 && i < n; k++)
                s[i++] = ' ';
        } else if (s[i] == '"' || s[i] == '\'') {
            char quote = s[i++];
            while (i < n && s[i] != quote && s[i] != '\n') {
                if (s[i] == '\\' && i + 1 < n)
                    s[i++] = ' ';
                s[i++] = ' ';
            }
            i++;
        } else {
            i++;
        }
    }
}

static bool load(q_ctx *q)
{
    if (q->src_tried)
        return q->src != NULL;
    q->src_tried = true;
    if (!q->tu->path)
        return false;
    FILE *f = fopen(q->tu->path, "rb");
    if (!f)
        return false;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    if (!buf)
        abort();
    size_t got;
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            char *grown = realloc(buf, cap + 1);
            if (!grown)
                abort();
            buf = grown;
        }
    }
    fclose(f);
    buf[n] = '\0';
    blank_noncode(buf, n);
    size_t lines = 1;
    for (size_t i = 0; i < n; i++)
        lines += buf[i] == '\n';
    q->line_off = q_xcalloc(lines + 1, sizeof *q->line_off);
    q->nlines = 0;
    q->line_off[q->nlines++] = 0;
    for (size_t i = 0; i < n; i++)
        if (buf[i] == '\n')
            q->line_off[q->nlines++] = i + 1;
    q->src = buf;
    q->srclen = n;
    return true;
}

static size_t loc_off(const q_ctx *q, model_loc l)
{
    if (l.line == 0 || l.line > q->nlines)
        return l.line == 0 ? 0 : q->srclen;
    size_t off = q->line_off[l.line - 1] + (l.col ? l.col - 1 : 0);
    return off > q->srclen ? q->srclen : off;
}

static bool ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

typedef struct lexer {
    const char *s;
    size_t i, n;
} lexer;

static void lx_space(lexer *lx)
{
    while (lx->i < lx->n && isspace((unsigned char)lx->s[lx->i]))
        lx->i++;
}

static bool lx_punct(lexer *lx, const char *p)
{
    lx_space(lx);
    size_t len = strlen(p);
    if (lx->i + len <= lx->n && strncmp(lx->s + lx->i, p, len) == 0) {
        lx->i += len;
        return true;
    }
    return false;
}

static bool lx_ident(lexer *lx, char *out, size_t size)
{
    lx_space(lx);
    size_t b = lx->i;
    if (b >= lx->n || !(isalpha((unsigned char)lx->s[b]) || lx->s[b] == '_'))
        return false;
    while (lx->i < lx->n && ident_char(lx->s[lx->i]))
        lx->i++;
    size_t len = lx->i - b < size - 1 ? lx->i - b : size - 1;
    memcpy(out, lx->s + b, len);
    out[len] = '\0';
    return true;
}

static bool lx_int(lexer *lx, long long *v)
{
    lx_space(lx);
    if (lx->i >= lx->n || !isdigit((unsigned char)lx->s[lx->i]))
        return false;
    char *end;
    *v = strtoll(lx->s + lx->i, &end, 10);
    lx->i = (size_t)(end - lx->s);
    while (lx->i < lx->n && (lx->s[lx->i] == 'u' || lx->s[lx->i] == 'U' || lx->s[lx->i] == 'l' ||
                             lx->s[lx->i] == 'L'))
        lx->i++;
    return true;
}

bool q_loop_trip_count(q_ctx *q, int32_t func, uint32_t head, long long *count)
{
    model_loc kw;
    if (!load(q) || !q_loop_loc(q, func, head, &kw))
        return false;
    lexer lx = { q->src, loc_off(q, kw), q->srclen };
    char word[64], var[64], v2[64], v3[64];
    long long from, to;
    if (!lx_ident(&lx, word, sizeof word) || strcmp(word, "for") != 0 || !lx_punct(&lx, "("))
        return false;
    /* [type words] var = INT ; */
    if (!lx_ident(&lx, var, sizeof var))
        return false;
    while (lx_ident(&lx, v2, sizeof v2))
        memcpy(var, v2, sizeof var);
    if (!lx_punct(&lx, "=") || !lx_int(&lx, &from) || !lx_punct(&lx, ";"))
        return false;
    /* var < INT | var <= INT | var != INT ; */
    if (!lx_ident(&lx, v2, sizeof v2) || strcmp(v2, var) != 0)
        return false;
    int op = lx_punct(&lx, "<=") ? 1 : lx_punct(&lx, "<") ? 0 : lx_punct(&lx, "!=") ? 0 : -1;
    if (op < 0 || !lx_int(&lx, &to) || !lx_punct(&lx, ";"))
        return false;
    /* var++ | ++var | var += 1 */
    bool step = false;
    if (lx_punct(&lx, "++"))
        step = lx_ident(&lx, v3, sizeof v3) && strcmp(v3, var) == 0;
    else if (lx_ident(&lx, v3, sizeof v3) && strcmp(v3, var) == 0) {
        long long one;
        step = lx_punct(&lx, "++") || (lx_punct(&lx, "+=") && lx_int(&lx, &one) && one == 1);
    }
    if (!step || !lx_punct(&lx, ")"))
        return false;
    long long n = to - from + op;
    *count = n > 0 ? n : 0;
    return true;
}

bool q_loop_runs(q_ctx *q, int32_t func, uint32_t head)
{
    long long n;
    if (q_loop_trip_count(q, func, head, &n))
        return n > 0;
    /* `for (i = 0; i < NAME; i++)` with an upper-case NAME: a constant */
    model_loc kw;
    if (!load(q) || !q_loop_loc(q, func, head, &kw))
        return false;
    lexer lx = { q->src, loc_off(q, kw), q->srclen };
    char word[64], var[64], v2[64];
    long long from;
    if (!lx_ident(&lx, word, sizeof word) || strcmp(word, "for") != 0 || !lx_punct(&lx, "(") ||
        !lx_ident(&lx, var, sizeof var))
        return false;
    while (lx_ident(&lx, v2, sizeof v2))
        memcpy(var, v2, sizeof var);
    if (!lx_punct(&lx, "=") || !lx_int(&lx, &from) || from != 0 || !lx_punct(&lx, ";") ||
        !lx_ident(&lx, v2, sizeof v2) || strcmp(v2, var) != 0 || !lx_punct(&lx, "<") ||
        !lx_ident(&lx, word, sizeof word))
        return false;
    for (const char *c = word; *c; c++)
        if (islower((unsigned char)*c))
            return false;
    return lx_punct(&lx, ";");
}
