/* loop_count.c — trip counts of counted loops, shared by both front ends
 * (loop_count.h). */
#include "frontend/loop_count.h"

#include <string.h>

static bool word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Whether the text [from, to) may change variable `name`: assigns it,
 * increments or decrements it, or takes its address. */
bool loop_count_body_changes(const char *b, size_t from, size_t to, const char *name, size_t n)
{
    for (size_t i = from; i + n <= to; i++) {
        if (memcmp(b + i, name, n) != 0 || (i > from && word_char(b[i - 1])) ||
            (i + n < to && word_char(b[i + n])))
            continue;
        size_t p = i;
        while (p > from && (b[p - 1] == ' ' || b[p - 1] == '\t'))
            p--;
        if (p > from && (b[p - 1] == '.' || (b[p - 1] == '>' && p - 1 > from && b[p - 2] == '-')))
            continue; /* a field of that name */
        if (p >= from + 2 && ((b[p - 1] == '+' && b[p - 2] == '+') || (b[p - 1] == '-' && b[p - 2] == '-')))
            return true;
        if (p > from && b[p - 1] == '&' && !(p - 1 > from && b[p - 2] == '&'))
            return true;
        size_t q = i + n;
        while (q < to && (b[q] == ' ' || b[q] == '\t'))
            q++;
        if (q + 1 < to && ((b[q] == '+' && b[q + 1] == '+') || (b[q] == '-' && b[q + 1] == '-')))
            return true;
        if (q < to && b[q] == '=' && !(q + 1 < to && b[q + 1] == '='))
            return true;
        if (q + 1 < to && strchr("+-*/%&|^", b[q]) && b[q + 1] == '=')
            return true;
        if (q + 2 < to && (b[q] == '<' || b[q] == '>') && b[q + 1] == b[q] && b[q + 2] == '=')
            return true;
    }
    return false;
}

/* How many times `for (i = a; i OP b; i += k)` runs its body (false: not
 * a count, e.g. the step walks away from the bound). */
bool loop_count_trips(int64_t a, const char *op, int64_t b, int64_t k, int64_t *out)
{
    const int64_t lim = (int64_t)1 << 40;
    if (a < -lim || a > lim || b < -lim || b > lim || k < -lim || k > lim || k == 0)
        return false;
    bool le = op[1] == '=';
    switch (op[0]) {
    case '<':
        if (a > b || (a == b && !le)) {
            *out = 0;
            return true;
        }
        if (k < 0)
            return false;
        *out = le ? (b - a) / k + 1 : (b - a + k - 1) / k;
        return true;
    case '>':
        if (a < b || (a == b && !le)) {
            *out = 0;
            return true;
        }
        if (k > 0)
            return false;
        *out = le ? (a - b) / -k + 1 : (a - b - k - 1) / -k;
        return true;
    case '!':
        if (a == b) {
            *out = 0;
            return true;
        }
        if ((b - a) % k != 0 || (b - a) / k < 0)
            return false;
        *out = (b - a) / k;
        return true;
    default:
        return false;
    }
}
