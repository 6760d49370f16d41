/* diag.c — building, sorting and de-duplicating findings (diag.h). */
#include "diag/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static void *diag__xrealloc(void *p, size_t size)
{
    void *q = realloc(p, size ? size : 1);
    if (!q) {
        fputs("tether: error: out of memory\n", stderr);
        abort();
    }
    return q;
}

static char *diag__xstrdup(const char *s)
{
    size_t n = strlen(s ? s : "");
    char *d = diag__xrealloc(NULL, n + 1);
    memcpy(d, s ? s : "", n + 1);
    return d;
}

static char *diag__vformat(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return diag__xstrdup("");
    char *s = diag__xrealloc(NULL, (size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

diag *diag_new(diag_list *list, const char *rule, const char *file, model_loc loc,
               const char *fmt, ...)
{
    if (list->n == list->cap) {
        list->cap = list->cap ? list->cap * 2 : 8;
        list->items = diag__xrealloc(list->items, list->cap * sizeof *list->items);
    }
    diag *d = &list->items[list->n++];
    memset(d, 0, sizeof *d);
    d->rule = rule;
    d->group = -1;
    d->file = diag__xstrdup(file);
    d->loc = loc;
    va_list ap;
    va_start(ap, fmt);
    d->msg = diag__vformat(fmt, ap);
    va_end(ap);
    return d;
}

static diag_note *diag__note(diag *d, const char *file, model_loc begin, model_loc end)
{
    d->notes = diag__xrealloc(d->notes, (d->nnotes + 1) * sizeof *d->notes);
    diag_note *n = &d->notes[d->nnotes++];
    n->loc = begin;
    n->end = end;
    n->file = diag__xstrdup(file ? file : d->file);
    n->msg = NULL;
    return n;
}

void diag_add_note(diag *d, model_loc loc, const char *fmt, ...)
{
    diag_note *n = diag__note(d, NULL, loc, (model_loc){ 0, 0 });
    va_list ap;
    va_start(ap, fmt);
    n->msg = diag__vformat(fmt, ap);
    va_end(ap);
}

void diag_add_note_in(diag *d, const char *file, model_loc begin, model_loc end, const char *fmt, ...)
{
    diag_note *n = diag__note(d, file, begin, end);
    va_list ap;
    va_start(ap, fmt);
    n->msg = diag__vformat(fmt, ap);
    va_end(ap);
}

void diag_add_fixit_in(diag *d, const char *file, model_loc begin, model_loc end, const char *text,
                       size_t note)
{
    d->fixits = diag__xrealloc(d->fixits, (d->nfixits + 1) * sizeof *d->fixits);
    diag_fixit *f = &d->fixits[d->nfixits++];
    f->begin = begin;
    f->end = end;
    f->text = diag__xstrdup(text);
    f->note = note;
    f->file = diag__xstrdup(file ? file : d->file);
    f->kind = DIAG_FIXIT_REPLACE;
    f->scope = (model_loc){ 0, 0 };
    f->void_fn = (model_loc){ 0, 0 };
}

diag_fixit *diag_add_stmt_fixit(diag *d, diag_fixit_kind kind, model_loc at, const char *text, size_t note)
{
    diag_add_fixit_in(d, NULL, at, at, text, note);
    diag_fixit *f = &d->fixits[d->nfixits - 1];
    f->kind = kind;
    return f;
}

void diag_add_fixit(diag *d, model_loc begin, model_loc end, const char *text)
{
    diag_add_fixit_in(d, NULL, begin, end, text, 0);
}

void diag_add_note_fixit(diag *d, model_loc begin, model_loc end, const char *text)
{
    diag_add_fixit_in(d, NULL, begin, end, text, d->nnotes);
}

void diag_set_end(diag *d, model_loc end)
{
    d->end = end;
}

diag *diag_copy(diag_list *list, const diag *src)
{
    diag *d = diag_new(list, src->rule, src->file, src->loc, "%s", src->msg);
    d->end = src->end;
    d->severity = src->severity;
    d->group = src->group;
    d->rank = src->rank;
    memcpy(d->fingerprint, src->fingerprint, sizeof d->fingerprint);
    for (size_t i = 0; i < src->nnotes; i++) {
        const diag_note *n = &src->notes[i];
        diag_add_note_in(d, n->file, n->loc, n->end, "%s", n->msg);
    }
    for (size_t i = 0; i < src->nfixits; i++) {
        const diag_fixit *f = &src->fixits[i];
        diag_add_fixit_in(d, f->file, f->begin, f->end, f->text, f->note);
        d->fixits[d->nfixits - 1].kind = f->kind;
        d->fixits[d->nfixits - 1].scope = f->scope;
        d->fixits[d->nfixits - 1].void_fn = f->void_fn;
    }
    if (src->fix_hint)
        d->fix_hint = diag__xstrdup(src->fix_hint);
    return d;
}

void diag_list_move(diag_list *dst, diag_list *src)
{
    if (dst->n + src->n > dst->cap) {
        dst->cap = dst->n + src->n;
        dst->items = diag__xrealloc(dst->items, dst->cap * sizeof *dst->items);
    }
    if (src->n)
        memcpy(dst->items + dst->n, src->items, src->n * sizeof *src->items);
    dst->n += src->n;
    free(src->items);
    src->items = NULL;
    src->n = src->cap = 0;
}

void diag_set_hint(diag *d, const char *fmt, ...)
{
    free(d->fix_hint);
    va_list ap;
    va_start(ap, fmt);
    d->fix_hint = diag__vformat(fmt, ap);
    va_end(ap);
}

static int diag__cmp_loc(model_loc a, model_loc b)
{
    if (a.line != b.line)
        return a.line < b.line ? -1 : 1;
    if (a.col != b.col)
        return a.col < b.col ? -1 : 1;
    return 0;
}

static int diag__cmp_str(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

/* The order of diag_list_sort; notes and fix-its break ties so that only
 * true duplicates compare equal. */
static int diag__cmp(const void *pa, const void *pb)
{
    const diag *a = pa, *b = pb;
    int c;
    if ((c = diag__cmp_str(a->file, b->file)) != 0)
        return c;
    if ((c = diag__cmp_loc(a->loc, b->loc)) != 0)
        return c;
    if ((c = diag__cmp_str(a->rule, b->rule)) != 0)
        return c;
    if ((c = diag__cmp_str(a->msg, b->msg)) != 0)
        return c;
    if (a->nnotes != b->nnotes)
        return a->nnotes < b->nnotes ? -1 : 1;
    for (size_t i = 0; i < a->nnotes; i++) {
        if ((c = diag__cmp_str(a->notes[i].file, b->notes[i].file)) != 0)
            return c;
        if ((c = diag__cmp_loc(a->notes[i].loc, b->notes[i].loc)) != 0)
            return c;
        if ((c = diag__cmp_str(a->notes[i].msg, b->notes[i].msg)) != 0)
            return c;
    }
    if (a->nfixits != b->nfixits)
        return a->nfixits < b->nfixits ? -1 : 1;
    for (size_t i = 0; i < a->nfixits; i++) {
        if ((c = diag__cmp_str(a->fixits[i].file, b->fixits[i].file)) != 0)
            return c;
        if ((c = diag__cmp_loc(a->fixits[i].begin, b->fixits[i].begin)) != 0)
            return c;
        if ((c = diag__cmp_loc(a->fixits[i].end, b->fixits[i].end)) != 0)
            return c;
        if (a->fixits[i].note != b->fixits[i].note)
            return a->fixits[i].note < b->fixits[i].note ? -1 : 1;
        if ((c = diag__cmp_str(a->fixits[i].text, b->fixits[i].text)) != 0)
            return c;
        if (a->fixits[i].kind != b->fixits[i].kind)
            return a->fixits[i].kind < b->fixits[i].kind ? -1 : 1;
    }
    if ((c = diag__cmp_str(a->fix_hint, b->fix_hint)) != 0)
        return c;
    if (a->severity != b->severity)
        return a->severity < b->severity ? -1 : 1;
    return diag__cmp_loc(a->end, b->end);
}

void diag_free_fields(diag *d)
{
    free(d->file);
    free(d->msg);
    for (size_t i = 0; i < d->nnotes; i++) {
        free(d->notes[i].msg);
        free(d->notes[i].file);
    }
    free(d->notes);
    for (size_t i = 0; i < d->nfixits; i++) {
        free(d->fixits[i].text);
        free(d->fixits[i].file);
    }
    free(d->fixits);
    free(d->fix_hint);
}

void diag_list_sort(diag_list *list)
{
    if (list->n < 2)
        return;
    qsort(list->items, list->n, sizeof *list->items, diag__cmp);
    size_t out = 1;
    for (size_t i = 1; i < list->n; i++) {
        if (diag__cmp(&list->items[out - 1], &list->items[i]) == 0)
            diag_free_fields(&list->items[i]);
        else
            list->items[out++] = list->items[i];
    }
    list->n = out;
}

void diag_list_free(diag_list *list)
{
    for (size_t i = 0; i < list->n; i++)
        diag_free_fields(&list->items[i]);
    free(list->items);
    list->items = NULL;
    list->n = list->cap = 0;
}
