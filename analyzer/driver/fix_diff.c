/* fix_diff.c — the unified diff of a fix (fix_apply.h's fix_print_diff):
 * Myers' O((N+M)D) line diff, hunks with 3 lines of context. */
#include <stdlib.h>
#include <string.h>

#include "driver/fix_apply.h"
#include "driver/util.h"

typedef struct fd_line {
    const char *s;
    size_t n;             /* with its newline, if it has one */
} fd_line;

static fd_line *fd__lines(const char *t, size_t len, size_t *count)
{
    size_t cap = 16, n = 0;
    fd_line *l = driver_xmalloc(cap * sizeof *l);
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(t + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - t) + 1 : len;
        if (n == cap) {
            cap *= 2;
            l = driver_xrealloc(l, cap * sizeof *l);
        }
        l[n++] = (fd_line){ t + i, e - i };
        i = e;
    }
    *count = n;
    return l;
}

static bool fd__eq(const fd_line *a, const fd_line *b)
{
    return a->n == b->n && memcmp(a->s, b->s, a->n) == 0;
}

/* The edit script: ' ' keep, '-' delete an old line, '+' insert a new one. */
static char *fd__script(const fd_line *a, size_t n, const fd_line *b, size_t m, size_t *len)
{
    size_t max = n + m, width = 2 * max + 1;
    long *v = driver_xmalloc(width * sizeof *v);
    long **trace = NULL;
    size_t d = 0;
    bool done = max == 0;
    for (; !done; d++) {
        trace = driver_xrealloc(trace, (d + 1) * sizeof *trace);
        trace[d] = driver_xmalloc(width * sizeof **trace);
        memcpy(trace[d], v, width * sizeof *v);
        for (long k = -(long)d; k <= (long)d && !done; k += 2) {
            size_t ki = (size_t)(k + (long)max);
            long x = (k == -(long)d || (k != (long)d && v[ki - 1] < v[ki + 1])) ? v[ki + 1] : v[ki - 1] + 1;
            long y = x - k;
            while ((size_t)x < n && (size_t)y < m && fd__eq(&a[x], &b[y])) {
                x++;
                y++;
            }
            v[ki] = x;
            done = (size_t)x >= n && (size_t)y >= m;
        }
    }
    /* back from the end: trace[i] is V before round i */
    char *rev = driver_xmalloc(n + m + 1);
    size_t r = 0;
    long x = (long)n, y = (long)m;
    for (size_t i = d; i-- > 0;) {
        const long *pv = trace[i];
        long k = x - y, li = (long)i;
        long pk = (k == -li || (k != li && pv[k - 1 + (long)max] < pv[k + 1 + (long)max])) ? k + 1 : k - 1;
        long px = pv[pk + (long)max], py = px - pk;
        while (x > px && y > py) {
            rev[r++] = ' ';
            x--;
            y--;
        }
        if (i > 0)
            rev[r++] = pk == k + 1 ? '+' : '-';
        x = px;
        y = py;
    }
    char *s = driver_xmalloc(r + 1);
    for (size_t i = 0; i < r; i++)
        s[i] = rev[r - 1 - i];
    *len = r;
    for (size_t i = 0; i < d; i++)
        free(trace[i]);
    free(trace);
    free(rev);
    free(v);
    return s;
}

static void fd__line(FILE *out, char mark, const fd_line *l)
{
    fputc(mark, out);
    fwrite(l->s, 1, l->n, out);
    if (l->n == 0 || l->s[l->n - 1] != '\n')
        fputs("\n\\ No newline at end of file\n", out);
}

void fix_print_diff(FILE *out, const char *path, const char *old, size_t old_len, const char *new_text,
                    size_t new_len)
{
    static const size_t CONTEXT = 3;
    size_t n, m, len;
    fd_line *a = fd__lines(old, old_len, &n), *b = fd__lines(new_text, new_len, &m);
    char *ops = fd__script(a, n, b, m, &len);
    fprintf(out, "--- %s\n+++ %s\n", path, path);
    size_t i = 0, ai = 0, bi = 0;
    while (i < len) {
        if (ops[i] == ' ') {
            i++;
            ai++;
            bi++;
            continue;
        }
        /* a hunk: back CONTEXT lines, forward until CONTEXT*2 kept lines in a row */
        size_t back = 0;
        while (back < CONTEXT && back < i && ops[i - back - 1] == ' ')
            back++;
        size_t start = i - back, a0 = ai - back, b0 = bi - back, end = i, kept = 0;
        for (size_t j = i; j < len; j++) {
            if (ops[j] == ' ') {
                if (++kept > 2 * CONTEXT)
                    break;
            } else {
                kept = 0;
                end = j + 1;
            }
        }
        size_t stop = end;
        while (stop < len && stop < end + CONTEXT && ops[stop] == ' ')
            stop++;
        size_t na = 0, nb = 0;
        for (size_t j = start; j < stop; j++) {
            na += ops[j] != '+';
            nb += ops[j] != '-';
        }
        fprintf(out, "@@ -%zu,%zu +%zu,%zu @@\n", na ? a0 + 1 : a0, na, nb ? b0 + 1 : b0, nb);
        size_t x = a0, y = b0;
        for (size_t j = start; j < stop; j++) {
            if (ops[j] == ' ') {
                fd__line(out, ' ', &a[x++]);
                y++;
            } else if (ops[j] == '-') {
                fd__line(out, '-', &a[x++]);
            } else {
                fd__line(out, '+', &b[y++]);
            }
        }
        ai = x;
        bi = y;
        i = stop;
    }
    free(ops);
    free(a);
    free(b);
}
