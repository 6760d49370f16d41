/* suppress.c — reading suppression comments and dropping the findings they
 * cover (suppress.h). */
#include "driver/suppress.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef enum sup_kind { SUP_LINE, SUP_NEXT_LINE, SUP_BEGIN } sup_kind;

typedef struct sup_range {
    unsigned first, last; /* lines, inclusive; first > last covers nothing */
    char *rules;          /* ",a,b," or NULL for every rule */
    bool nolint;          /* NOLINT family: rules are check globs (tether-<id>) */
    sup_kind kind;
    unsigned at, col;     /* the marker's line and column */
    bool unterminated;    /* a begin with no end */
    bool used;            /* suppressed at least one finding */
} sup_range;

struct sup_set {
    sup_range *items;
    size_t n, cap;
    size_t *open;         /* indexes of begin ranges not yet ended */
    size_t nopen;
    struct sup_stray { unsigned line; bool nolint; } *stray; /* ends with no begin */
    size_t nstray;
};

static const char sup__tether[] = "tether:ignore", sup__nolint[] = "NOLINT";

static void *sup__xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("tether: error: out of memory\n", stderr);
        abort();
    }
    return q;
}

static sup_range *sup__add(sup_set *self, sup_kind kind, unsigned at, unsigned col, unsigned first,
                           unsigned last, char *rules, bool nolint)
{
    if (self->n == self->cap) {
        self->cap = self->cap ? self->cap * 2 : 8;
        self->items = sup__xrealloc(self->items, self->cap * sizeof *self->items);
    }
    sup_range *r = &self->items[self->n++];
    *r = (sup_range){ first, last, rules, nolint, kind, at, col, false, false };
    return r;
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
        if (isspace((unsigned char)*q))
            continue;
        if (*q == ',' && out[n - 1] == ',')
            continue;
        out[n++] = *q;
    }
    if (out[n - 1] != ',')
        out[n++] = ',';
    out[n] = '\0';
    if (n == 1 || strcmp(out, ",*,") == 0) {
        free(out);
        return NULL;
    }
    return out;
}

static bool sup__starts(const char *p, const char *end, const char *word)
{
    size_t n = strlen(word);
    return (size_t)(end - p) >= n && memcmp(p, word, n) == 0;
}

static void sup__begin(sup_set *self, unsigned line, unsigned col, char *rules, bool nolint)
{
    sup__add(self, SUP_BEGIN, line, col, line, (unsigned)-1, rules, nolint);
    self->open = sup__xrealloc(self->open, (self->nopen + 1) * sizeof *self->open);
    self->open[self->nopen++] = self->n - 1;
}

/* An end marker: closes the innermost open begin of the same family (for
 * NOLINTEND, the one with the same list, as clang-tidy pairs them). */
static void sup__end(sup_set *self, unsigned line, char *rules, bool nolint)
{
    size_t found = self->nopen;
    for (size_t k = self->nopen; k-- > 0;) {
        const sup_range *r = &self->items[self->open[k]];
        if (r->nolint != nolint)
            continue;
        if (nolint && strcmp(r->rules ? r->rules : "", rules ? rules : "") != 0)
            continue;
        found = k;
        break;
    }
    free(rules);
    if (found == self->nopen) {
        self->stray = sup__xrealloc(self->stray, (self->nstray + 1) * sizeof *self->stray);
        self->stray[self->nstray++] = (struct sup_stray){ line, nolint };
        return;
    }
    self->items[self->open[found]].last = line;
    memmove(self->open + found, self->open + found + 1, (self->nopen - found - 1) * sizeof *self->open);
    self->nopen--;
}

/* A tether:ignore marker at (line, col); p points just after it. */
static void sup__tether_at(sup_set *self, unsigned line, unsigned col, const char *p, const char *end)
{
    if (sup__starts(p, end, "-next-line")) {
        p += 10;
        sup__add(self, SUP_NEXT_LINE, line, col, line + 1, line + 1, sup__rules(p, end), false);
    } else if (sup__starts(p, end, "-begin")) {
        sup__begin(self, line, col, sup__rules(p + 6, end), false);
    } else if (sup__starts(p, end, "-end")) {
        sup__end(self, line, NULL, false);
    } else if (p == end || *p == '(' || !(isalnum((unsigned char)*p) || *p == '-' || *p == '_')) {
        sup__add(self, SUP_LINE, line, col, line, line, sup__rules(p, end), false);
    }
}

/* A NOLINT marker at (line, col); p points just after "NOLINT". */
static void sup__nolint_at(sup_set *self, unsigned line, unsigned col, const char *p, const char *end)
{
    if (sup__starts(p, end, "NEXTLINE")) {
        p += 8;
        sup__add(self, SUP_NEXT_LINE, line, col, line + 1, line + 1, sup__rules(p, end), true);
    } else if (sup__starts(p, end, "BEGIN")) {
        sup__begin(self, line, col, sup__rules(p + 5, end), true);
    } else if (sup__starts(p, end, "END")) {
        sup__end(self, line, sup__rules(p + 3, end), true);
    } else if (p == end || !(isalnum((unsigned char)*p) || *p == '_')) {
        sup__add(self, SUP_LINE, line, col, line, line, sup__rules(p, end), true);
    }
}

/* Looks for markers in the comment text [b, e); `line` is b's line and
 * `line_start` the offset of that line's first byte in `text`. */
static void sup__comment(sup_set *self, const char *text, const char *b, const char *e, unsigned line,
                         const char *line_start)
{
    for (const char *q = b; q < e; q++) {
        if (*q == '\n') {
            line++;
            line_start = q + 1;
            continue;
        }
        unsigned col = (unsigned)(q - line_start) + 1;
        if (*q == 't' && sup__starts(q, e, sup__tether)) {
            sup__tether_at(self, line, col, q + sizeof sup__tether - 1, e);
            q += sizeof sup__tether - 2;
        } else if (*q == 'N' && sup__starts(q, e, sup__nolint) &&
                   (q == b || !(isalnum((unsigned char)q[-1]) || q[-1] == '_'))) {
            sup__nolint_at(self, line, col, q + sizeof sup__nolint - 1, e);
            q += sizeof sup__nolint - 2;
        }
    }
    (void)text;
}

sup_set *sup_parse(const char *text, size_t len)
{
    sup_set *self = sup__xrealloc(NULL, sizeof *self);
    memset(self, 0, sizeof *self);
    unsigned line = 1;
    const char *p = text, *end = text + len, *line_start = text;
    while (p < end) {
        char c = *p;
        if (c == '\n') {
            line++;
            p++;
            line_start = p;
        } else if (c == '"' || c == '\'') {
            /* Skip a string or character literal. */
            p++;
            while (p < end && *p != c && *p != '\n') {
                if (*p == '\\' && p + 1 < end) {
                    if (p[1] == '\n') {
                        line++;
                        line_start = p + 2;
                    }
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
            sup__comment(self, text, p + 2, e, line, line_start);
            p = e;
        } else if (c == '/' && p + 1 < end && p[1] == '*') {
            const char *e = p + 2;
            while (e + 1 < end && !(e[0] == '*' && e[1] == '/'))
                e++;
            if (e + 1 >= end)
                e = end;
            sup__comment(self, text, p + 2, e, line, line_start);
            for (const char *q = p; q < e; q++) {
                if (*q == '\n') {
                    line++;
                    line_start = q + 1;
                }
            }
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

/* Calls fn on each name of a ",a,b," list. */
static void sup__each_name(const char *rules, void (*fn)(const char *name, void *ctx), void *ctx)
{
    for (const char *p = rules; p && *p;) {
        const char *id = p + 1, *comma = strchr(id, ',');
        if (!comma || comma == id)
            break;
        char name[128];
        size_t n = (size_t)(comma - id) < sizeof name - 1 ? (size_t)(comma - id) : sizeof name - 1;
        memcpy(name, id, n);
        name[n] = '\0';
        fn(name, ctx);
        p = comma;
    }
}

typedef struct sup_check_ctx {
    const sup_range *r;
    bool (*known_rule)(const char *id);
    void (*report)(void *ctx, unsigned line, const char *msg);
    void *ctx;
} sup_check_ctx;

static void sup__check_name(const char *name, void *ctx)
{
    sup_check_ctx *c = ctx;
    char msg[256];
    if (c->r->nolint) {
        /* Only tether's own checks are ours to judge; globs are not checked. */
        if (strncmp(name, "tether-", 7) != 0 || strchr(name, '*') || c->known_rule(name + 7))
            return;
        snprintf(msg, sizeof msg, "unknown check '%s' in NOLINT (see `tether rules`)", name);
    } else if (!c->known_rule(name)) {
        snprintf(msg, sizeof msg, "unknown rule '%s' in tether:ignore (see `tether rules`)", name);
    } else {
        return;
    }
    c->report(c->ctx, c->r->at, msg);
}

void sup_check(const sup_set *self, bool (*known_rule)(const char *id),
               void (*report)(void *ctx, unsigned line, const char *msg), void *ctx)
{
    char msg[256];
    for (size_t i = 0; i < self->n; i++) {
        const sup_range *r = &self->items[i];
        if (r->unterminated) {
            snprintf(msg, sizeof msg, "%s has no %s; it suppresses nothing",
                     r->nolint ? "NOLINTBEGIN" : "tether:ignore-begin",
                     r->nolint ? "matching NOLINTEND" : "tether:ignore-end");
            report(ctx, r->at, msg);
        }
        sup_check_ctx c = { r, known_rule, report, ctx };
        sup__each_name(r->rules, sup__check_name, &c);
    }
    for (size_t i = 0; i < self->nstray; i++) {
        snprintf(msg, sizeof msg, "%s without a %s", self->stray[i].nolint ? "NOLINTEND" : "tether:ignore-end",
                 self->stray[i].nolint ? "matching NOLINTBEGIN" : "tether:ignore-begin");
        report(ctx, self->stray[i].line, msg);
    }
}

void sup_free(sup_set *self)
{
    if (!self)
        return;
    for (size_t i = 0; i < self->n; i++)
        free(self->items[i].rules);
    free(self->items);
    free(self->open);
    free(self->stray);
    free(self);
}

/* Whether `name` matches glob `pat` ('*' matches any run of characters):
 * one pass that backs up only to the last star, so time stays linear in
 * the pattern times the name whatever the stars (`a**...**b`). */
static bool sup__glob(const char *pat, size_t np, const char *name)
{
    size_t p = 0, star = SIZE_MAX;
    const char *resume = NULL;
    while (*name) {
        if (p < np && pat[p] == '*') {
            star = p++;
            resume = name;
        } else if (p < np && pat[p] == *name) {
            p++;
            name++;
        } else if (star != SIZE_MAX) {
            p = star + 1;
            name = ++resume;
        } else {
            return false;
        }
    }
    while (p < np && pat[p] == '*')
        p++;
    return p == np;
}

/* Whether a ",a,b," list names `name`. */
static bool sup__lists(const char *rules, const char *name)
{
    for (const char *p = rules; p && *p;) {
        const char *id = p + 1, *comma = strchr(id, ',');
        if (!comma || comma == id)
            break;
        if (sup__glob(id, (size_t)(comma - id), name))
            return true;
        p = comma;
    }
    return false;
}

static bool sup__range_covers(const sup_range *r, unsigned line, const char *rule)
{
    if (line < r->first || line > r->last)
        return false;
    if (!r->rules)
        return true;
    if (!r->nolint)
        return sup__lists(r->rules, rule);
    char check[160];
    snprintf(check, sizeof check, "tether-%s", rule);
    return sup__lists(r->rules, check);
}

bool sup_covers(const sup_set *self, unsigned line, const char *rule)
{
    for (size_t i = 0; i < self->n; i++)
        if (sup__range_covers(&self->items[i], line, rule))
            return true;
    return false;
}

size_t sup_apply(sup_set *self, diag_list *list)
{
    size_t out = 0, dropped = 0;
    for (size_t i = 0; i < list->n; i++) {
        diag *d = &list->items[i];
        bool hit = false;
        for (size_t k = 0; k < self->n; k++) {
            if (sup__range_covers(&self->items[k], d->loc.line, d->rule ? d->rule : "")) {
                self->items[k].used = true;
                hit = true;
            }
        }
        if (hit) {
            diag_free_fields(d);
            dropped++;
        } else {
            list->items[out++] = *d;
        }
    }
    list->n = out;
    return dropped;
}

typedef struct sup_ran_ctx {
    bool (*ran)(const char *rule, void *ctx);
    void *ctx;
    bool all, tether;
    bool nolint;
} sup_ran_ctx;

static void sup__ran_name(const char *name, void *ctx)
{
    sup_ran_ctx *c = ctx;
    if (c->nolint) {
        if (strncmp(name, "tether-", 7) != 0)
            return; /* another tool's check */
        c->tether = true;
        name += 7;
    }
    if (strchr(name, '*') || !c->ran(name, c->ctx))
        c->all = false;
}

size_t sup_report_unused(const sup_set *self, const char *path, const char *id,
                         bool (*ran)(const char *rule, void *ctx), void *ctx, diag_list *out)
{
    size_t n = 0;
    for (size_t i = 0; i < self->n; i++) {
        const sup_range *r = &self->items[i];
        if (r->used || r->unterminated)
            continue;
        sup_ran_ctx c = { ran, ctx, true, !r->nolint, r->nolint };
        if (r->rules)
            sup__each_name(r->rules, sup__ran_name, &c);
        else if (r->nolint)
            continue; /* a bare NOLINT may be meant for clang-tidy */
        else
            c.all = ran(NULL, ctx); /* every rule: only when every rule ran */
        if (!c.tether || !c.all)
            continue;
        static const char *const shapes[2][3] = {
            { "tether:ignore", "tether:ignore-next-line", "tether:ignore-begin" },
            { "NOLINT", "NOLINTNEXTLINE", "NOLINTBEGIN" },
        };
        diag *d = diag_new(out, id, path, (model_loc){ r->at, r->col },
                           "this %s suppressed nothing: no finding of the rules it names is on %s",
                           shapes[r->nolint][r->kind],
                           r->kind == SUP_LINE ? "this line" : r->kind == SUP_NEXT_LINE ? "the next line"
                                                                                      : "the lines it covers");
        diag_set_hint(d, "remove the comment (--warn-unused-suppressions)");
        n++;
    }
    return n;
}
