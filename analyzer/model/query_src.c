/* query_src.c — source positions the model does not carry (loop keywords,
 * break/goto statements, call arguments for fix-its), found by scanning the
 * modeled file's text with comments and literals blanked out. A fallback:
 * when the model grows these positions, the queries should read them. */
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

static model_loc off_loc(const q_ctx *q, size_t off)
{
    size_t lo = 0, hi = q->nlines;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (q->line_off[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return (model_loc){ (uint32_t)lo + 1, (uint32_t)(off - q->line_off[lo]) + 1 };
}

static bool ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

/* The next whole-word occurrence of one of the words at or after `from`,
 * before `to`; returns its offset or (size_t)-1. */
static size_t next_word(const q_ctx *q, size_t from, size_t to, const char *const *words)
{
    if (to > q->srclen)
        to = q->srclen;
    for (size_t i = from; i < to; i++) {
        if (!ident_char(q->src[i]) || (i > 0 && ident_char(q->src[i - 1])))
            continue;
        for (const char *const *w = words; *w; w++) {
            size_t len = strlen(*w);
            if (i + len <= q->srclen && strncmp(q->src + i, *w, len) == 0 &&
                (i + len == q->srclen || !ident_char(q->src[i + len])))
                return i;
        }
    }
    return (size_t)-1;
}

static const char *const loop_words[] = { "for", "while", "do", NULL };

static model_loc min_loc_in(const model_func *fn, const bool *body)
{
    model_loc best = { 0, 0 };
    for (size_t b = 0; b < fn->nblocks; b++)
        if (body[b])
            for (size_t i = 0; i < fn->blocks[b].nevents; i++) {
                model_loc l = fn->blocks[b].events[i].loc;
                if (l.line && (!best.line || q_loc_before(l, best)))
                    best = l;
            }
    return best;
}

bool q_src_loop_loc(q_ctx *q, int32_t func, uint32_t head, model_loc *out)
{
    if (!load(q))
        return false;
    const model_func *fn = &q->tu->funcs[func];
    bool *body;
    if (!q_loop_body(q, func, head, &body))
        return false;
    model_loc hi = min_loc_in(fn, body);
    if (!hi.line)
        hi = fn->end;
    /* the last event before the loop in the source, and its block */
    model_loc lo = fn->loc;
    int64_t lo_block = -1;
    for (size_t b = 0; b < fn->nblocks; b++)
        for (size_t i = 0; i < fn->blocks[b].nevents; i++) {
            model_loc l = fn->blocks[b].events[i].loc;
            if (l.line && q_loc_before(l, hi) && q_loc_before(lo, l)) {
                lo = l;
                lo_block = (int64_t)b;
            }
        }
    /* loops enclosing this one that also start after `lo` come first */
    size_t skip = 0;
    for (uint32_t h = 0; h < fn->nblocks; h++) {
        bool *outer;
        if (h == head || !q_loop_body(q, func, h, &outer))
            continue;
        bool contains = outer[head], lo_inside = lo_block >= 0 && outer[lo_block];
        for (size_t b = 0; b < fn->nblocks && contains; b++)
            if (body[b] && !outer[b])
                contains = false;
        if (contains && !lo_inside)
            skip++;
        free(outer);
    }
    free(body);
    size_t from = loc_off(q, lo) + 1, to = loc_off(q, hi);
    for (;;) {
        size_t at = next_word(q, from, to, loop_words);
        if (at == (size_t)-1)
            return false;
        if (!skip) {
            *out = off_loc(q, at);
            return true;
        }
        skip--;
        from = at + 1;
    }
}

static model_loc max_loc_of_block(const model_func *fn, uint32_t b)
{
    model_loc best = { 0, 0 };
    for (size_t i = 0; i < fn->blocks[b].nevents; i++) {
        model_loc l = fn->blocks[b].events[i].loc;
        if (l.line && (!best.line || q_loc_before(best, l)))
            best = l;
    }
    return best;
}

static const char *const jump_words[] = { "break", "goto", "return", NULL };

bool q_src_loop_jump_loc(q_ctx *q, int32_t func, uint32_t head, model_loc *out)
{
    return q_src_loop_jump_loc_except(q, func, head, UINT32_MAX, out);
}

bool q_src_loop_jump_loc_except(q_ctx *q, int32_t func, uint32_t head, uint32_t cond_block, model_loc *out)
{
    const model_func *fn = &q->tu->funcs[func];
    bool *body;
    if (!q_loop_body(q, func, head, &body))
        return false;
    model_loc best = { 0, 0 };
    model_loc kw = { 0, 0 };
    bool have_kw = q_src_loop_loc(q, func, head, &kw);
    for (uint32_t u = 0; u < fn->nblocks; u++) {
        if (!body[u] || u == head || fn->blocks[u].loop_head)
            continue;
        bool exits = false;
        for (size_t s = 0; s < fn->blocks[u].nsucc; s++)
            if (fn->blocks[u].succ[s] < fn->nblocks && !body[fn->blocks[u].succ[s]])
                exits = true;
        if (!exits)
            continue;
        if (cond_block != UINT32_MAX && u == cond_block)
            continue; /* the jump that condition decides */
        model_loc found = { 0, 0 };
        for (size_t i = 0; i < fn->blocks[u].nevents; i++)
            if (fn->blocks[u].events[i].kind == MODEL_EV_RETURN)
                found = fn->blocks[u].events[i].loc;
        if (!found.line && load(q)) {
            model_loc lo = max_loc_of_block(fn, u);
            for (size_t p = 0; !lo.line && p < fn->blocks[u].npred; p++) {
                uint32_t w = fn->blocks[u].pred[p];
                if (w < fn->nblocks && body[w])
                    lo = max_loc_of_block(fn, w);
            }
            if (!lo.line && have_kw)
                lo = kw;
            if (lo.line) {
                size_t at = next_word(q, loc_off(q, lo) + 1, q->srclen, jump_words);
                if (at != (size_t)-1)
                    found = off_loc(q, at);
            }
        }
        if (found.line && (!best.line || q_loc_before(found, best)))
            best = found;
    }
    free(body);
    if (!best.line)
        return false;
    *out = best;
    return true;
}

bool q_src_call_arg(q_ctx *q, model_loc call, unsigned argi, model_loc *begin, model_loc *end,
                    char *text, size_t size)
{
    if (!load(q) || call.line == 0)
        return false;
    size_t i = loc_off(q, call);
    while (i < q->srclen && ident_char(q->src[i]))
        i++;
    while (i < q->srclen && isspace((unsigned char)q->src[i]))
        i++;
    if (i >= q->srclen || q->src[i] != '(')
        return false;
    i++;
    unsigned arg = 0;
    int depth = 0;
    size_t start = i;
    for (; i < q->srclen; i++) {
        char c = q->src[i];
        if (c == '(' || c == '[' || c == '{')
            depth++;
        else if ((c == ')' || c == ']' || c == '}') && depth > 0)
            depth--;
        else if ((c == ',' && depth == 0) || (c == ')' && depth == 0)) {
            if (arg == argi) {
                size_t b = start, e = i;
                while (b < e && isspace((unsigned char)q->src[b]))
                    b++;
                while (e > b && isspace((unsigned char)q->src[e - 1]))
                    e--;
                if (b == e)
                    return false;
                *begin = off_loc(q, b);
                *end = off_loc(q, e);
                if (text && size) {
                    size_t len = e - b < size - 1 ? e - b : size - 1;
                    memcpy(text, q->src + b, len);
                    text[len] = '\0';
                }
                return true;
            }
            if (c == ')')
                return false;
            arg++;
            start = i + 1;
        }
    }
    return false;
}

/* ---- Counted loops --------------------------------------------------------- */

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

bool q_src_loop_trip_count(q_ctx *q, int32_t func, uint32_t head, long long *count)
{
    model_loc kw;
    if (!q_src_loop_loc(q, func, head, &kw))
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

bool q_src_loop_runs(q_ctx *q, int32_t func, uint32_t head)
{
    long long n;
    if (q_src_loop_trip_count(q, func, head, &n))
        return n > 0;
    /* `for (i = 0; i < NAME; i++)` with an upper-case NAME: a constant */
    model_loc kw;
    if (!q_src_loop_loc(q, func, head, &kw))
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
