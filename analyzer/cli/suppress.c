/* suppress.c — reading `tether:ignore` comments and dropping the findings
 * they cover (suppress.h). */
#include "suppress.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef struct sup_range {
    unsigned first, last; /* lines, inclusive; first > last covers nothing */
    char *rules;          /* ",a,b," or NULL for every rule */
    unsigned at;          /* the line of the comment */
    bool unterminated;    /* an ignore-begin with no ignore-end */
} sup_range;

struct sup_set {
    sup_range *items;
    size_t n, cap;
    size_t *open;         /* indexes of ignore-begin ranges not yet ended */
    size_t nopen;
    unsigned *stray_ends; /* lines of ignore-end with no open begin */
    size_t nstray;
};

static const char sup__marker[] = "tether:ignore";

static void *sup__xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("tether: error: out of memory\n", stderr);
        abort();
    }
    return q;
}

static void sup__add(sup_set *self, unsigned at, unsigned first, unsigned last, char *rules)
{
    if (self->n == self->cap) {
        self->cap = self->cap ? self->cap * 2 : 8;
        self->items = sup__xrealloc(self->items, self->cap * sizeof *self->items);
    }
    self->items[self->n++] = (sup_range){ first, last, rules, at, false };
}

/* Parses an optional `(a, b)` list at p (end = comment end): returns
 * ",a,b," (malloc'd), or NULL for no list, `()` or `(*)`. */
static char *sup__rules(const char *p, const char *end)
{
    if (p >= end || *p != '(')
        return NULL;
    const char *close = memchr(p, ')', (size_t)(end - p));
    if (!close)
        return NULL;
    char *out = sup__xrealloc(NULL, (size_t)(close - p) + 2);
    size_t n = 0;
    out[n++] = ',';
    for (const char *q = p + 1; q < close; q++) {
        if (*q == '*') {
            free(out);
            return NULL;
        }
        if (isspace((unsigned char)*q))
            continue;
        if (*q == ',' && out[n - 1] == ',')
            continue;
        out[n++] = *q;
    }
    if (n == 1) {
        free(out);
        return NULL;
    }
    if (out[n - 1] != ',')
        out[n++] = ',';
    out[n] = '\0';
    return out;
}

/* One marker found in a comment at `line`; p points just after the marker. */
static void sup__marker_at(sup_set *self, unsigned line, const char *p, const char *end)
{
    static const char next[] = "-next-line", begin[] = "-begin", fin[] = "-end";
    size_t left = (size_t)(end - p);
    if (left >= sizeof next - 1 && memcmp(p, next, sizeof next - 1) == 0) {
        sup__add(self, line, line + 1, line + 1, sup__rules(p + sizeof next - 1, end));
    } else if (left >= sizeof begin - 1 && memcmp(p, begin, sizeof begin - 1) == 0) {
        sup__add(self, line, line, (unsigned)-1, sup__rules(p + sizeof begin - 1, end));
        self->open = sup__xrealloc(self->open, (self->nopen + 1) * sizeof *self->open);
        self->open[self->nopen++] = self->n - 1;
    } else if (left >= sizeof fin - 1 && memcmp(p, fin, sizeof fin - 1) == 0) {
        if (self->nopen > 0) {
            self->items[self->open[--self->nopen]].last = line;
        } else {
            self->stray_ends = sup__xrealloc(self->stray_ends, (self->nstray + 1) * sizeof *self->stray_ends);
            self->stray_ends[self->nstray++] = line;
        }
    } else if (left == 0 || *p == '(' || !(isalnum((unsigned char)*p) || *p == '-' || *p == '_')) {
        sup__add(self, line, line, line, sup__rules(p, end));
    }
}

/* Looks for markers in the comment text [b, e), which starts on `line`. */
static void sup__comment(sup_set *self, const char *b, const char *e, unsigned line)
{
    const char *p = b;
    while (p < e) {
        const char *hit = NULL;
        for (const char *q = p; q + sizeof sup__marker - 1 <= e; q++) {
            if (*q == 't' && memcmp(q, sup__marker, sizeof sup__marker - 1) == 0) {
                hit = q;
                break;
            }
        }
        if (!hit)
            return;
        for (const char *q = p; q < hit; q++)
            line += *q == '\n';
        sup__marker_at(self, line, hit + sizeof sup__marker - 1, e);
        p = hit + sizeof sup__marker - 1;
    }
}

sup_set *sup_parse(const char *text, size_t len)
{
    sup_set *self = sup__xrealloc(NULL, sizeof *self);
    memset(self, 0, sizeof *self);
    unsigned line = 1;
    const char *p = text, *end = text + len;
    while (p < end) {
        char c = *p;
        if (c == '\n') {
            line++;
            p++;
        } else if (c == '"' || c == '\'') {
            /* Skip a string or character literal. */
            p++;
            while (p < end && *p != c && *p != '\n') {
                if (*p == '\\' && p + 1 < end) {
                    line += p[1] == '\n';
                    p++;
                }
                p++;
            }
            if (p < end && *p == c)
                p++;
        } else if (c == '/' && p + 1 < end && p[1] == '/') {
            const char *e = memchr(p, '\n', (size_t)(end - p));
            if (!e)
                e = end;
            sup__comment(self, p + 2, e, line);
            p = e;
        } else if (c == '/' && p + 1 < end && p[1] == '*') {
            const char *e = p + 2;
            while (e + 1 < end && !(e[0] == '*' && e[1] == '/'))
                e++;
            if (e + 1 >= end)
                e = end;
            sup__comment(self, p + 2, e, line);
            for (const char *q = p; q < e; q++)
                line += *q == '\n';
            p = e + 2 <= end ? e + 2 : end;
        } else {
            p++;
        }
    }
    /* As clang-tidy's NOLINTBEGIN: a begin with no end suppresses nothing
     * (sup_check says so), rather than everything to the end of the file. */
    while (self->nopen > 0) {
        sup_range *r = &self->items[self->open[--self->nopen]];
        r->unterminated = true;
        r->first = 1;
        r->last = 0;
    }
    return self;
}

void sup_check(const sup_set *self, const char *path, bool (*known_rule)(const char *id), FILE *out)
{
    for (size_t i = 0; i < self->n; i++) {
        const sup_range *r = &self->items[i];
        if (r->unterminated)
            fprintf(out, "tether: warning: %s:%u: tether:ignore-begin has no tether:ignore-end; it suppresses nothing\n",
                    path, r->at);
        for (const char *p = r->rules; p && *p;) {
            const char *id = p + 1, *comma = strchr(id, ',');
            if (!comma || comma == id)
                break;
            char name[128];
            size_t n = (size_t)(comma - id) < sizeof name - 1 ? (size_t)(comma - id) : sizeof name - 1;
            memcpy(name, id, n);
            name[n] = '\0';
            if (!known_rule(name))
                fprintf(out, "tether: warning: %s:%u: unknown rule '%s' in tether:ignore (see `tether rules`)\n",
                        path, r->at, name);
            p = comma;
        }
    }
    for (size_t i = 0; i < self->nstray; i++)
        fprintf(out, "tether: warning: %s:%u: tether:ignore-end without a tether:ignore-begin\n", path,
                self->stray_ends[i]);
}

void sup_free(sup_set *self)
{
    if (!self)
        return;
    for (size_t i = 0; i < self->n; i++)
        free(self->items[i].rules);
    free(self->items);
    free(self->open);
    free(self->stray_ends);
    free(self);
}

static bool sup__has_rule(const char *rules, const char *rule)
{
    size_t n = strlen(rule);
    if (n == 0)
        return false;
    for (const char *p = rules; (p = strstr(p, rule)) != NULL; p++)
        if (p[-1] == ',' && p[n] == ',')
            return true;
    return false;
}

bool sup_covers(const sup_set *self, unsigned line, const char *rule)
{
    for (size_t i = 0; i < self->n; i++) {
        const sup_range *r = &self->items[i];
        if (line >= r->first && line <= r->last && (!r->rules || sup__has_rule(r->rules, rule)))
            return true;
    }
    return false;
}

size_t sup_apply(const sup_set *self, diag_list *list)
{
    size_t out = 0, dropped = 0;
    for (size_t i = 0; i < list->n; i++) {
        diag *d = &list->items[i];
        if (sup_covers(self, d->loc.line, d->rule ? d->rule : "")) {
            diag_free_fields(d);
            dropped++;
        } else {
            list->items[out++] = *d;
        }
    }
    list->n = out;
    return dropped;
}
