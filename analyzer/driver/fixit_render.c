/* fixit_render.c — rendering the fix-its rules state by kind into plain
 * replacements (fixit_render.h). */
#include "fixit_render.h"

#include <stdlib.h>
#include <string.h>

#include "driver/ctok.h"
#include "driver/util.h"

static const size_t FR_NONE = (size_t)-1;

/* A growing string. */
typedef struct fr_buf {
    char *s;
    size_t n, cap;
} fr_buf;

static void fr__put(fr_buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->s = driver_xrealloc(b->s, b->cap);
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static void fr__puts(fr_buf *b, const char *s)
{
    fr__put(b, s, strlen(s));
}

/* What one rendering works on. */
typedef struct fr_file {
    const src_file *src;
    ctok_list toks;
} fr_file;

static size_t fr__offset(const src_file *src, model_loc loc)
{
    if (loc.line == 0 || loc.col == 0 || loc.line > src->nlines)
        return FR_NONE;
    size_t off = src->line_start[loc.line - 1] + loc.col - 1;
    return off <= src->length ? off : FR_NONE;
}

static model_loc fr__loc(const src_file *src, size_t off)
{
    size_t lo = 0, hi = src->nlines;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (src->line_start[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return (model_loc){ (uint32_t)lo + 1, (uint32_t)(off - src->line_start[lo]) + 1 };
}

static size_t fr__line_start(const src_file *src, size_t off)
{
    while (off > 0 && src->text[off - 1] != '\n')
        off--;
    return off;
}

/* The blanks that start the line holding off. */
static void fr__indent(const src_file *src, size_t off, size_t *b, size_t *e)
{
    *b = *e = fr__line_start(src, off);
    while (*e < src->length && (src->text[*e] == ' ' || src->text[*e] == '\t'))
        (*e)++;
}

static bool fr__first_on_line(const src_file *src, size_t off)
{
    size_t b, e;
    fr__indent(src, off, &b, &e);
    return e == off;
}

/* Whether only blanks and a comment follow off on its line; sets *eol to the
 * line's end (the newline's offset). */
static bool fr__rest_blank(const fr_file *f, size_t off, size_t *eol)
{
    const char *t = f->src->text;
    size_t i = off;
    while (i < f->src->length && t[i] != '\n')
        i++;
    *eol = i;
    size_t next = f->toks.n;
    for (size_t k = 0; k < f->toks.n; k++)
        if (f->toks.toks[k].begin >= off) {
            next = k;
            break;
        }
    /* a block comment that runs past the line would take the insertion with it */
    for (size_t j = off; j < i; j++)
        if (t[j] == '/' && j + 1 < i && t[j + 1] == '*' && !strstr(t + j, "*/"))
            return false;
    return next == f->toks.n || f->toks.toks[next].begin > i;
}

/* text with every "\n" followed by the indentation `ind` and one more
 * level (a tab where the line is indented with tabs, else 4 spaces). */
static void fr__text(fr_buf *out, const char *text, const char *ind, size_t nind)
{
    bool tabs = memchr(ind, '\t', nind) != NULL;
    for (const char *p = text; *p; p++) {
        fr__put(out, p, 1);
        if (*p == '\n') {
            fr__put(out, ind, nind);
            fr__puts(out, tabs ? "\t" : "    ");
        }
    }
}

/* How token i begins a statement: 0 not at all (inside an expression, a
 * declaration, a macro we cannot see), 1 in a block (after `;`, `{`, `}`
 * or a label), 2 as the whole body of an if, else, loop or switch; *head
 * is then the token of the keyword that owns the body. */
static int fr__stmt_start(const fr_file *f, size_t i, size_t *head)
{
    if (i == 0 || i == FR_NONE || ctok_in_parens(&f->toks, i))
        return 0;
    size_t p = i - 1;
    if (ctok_is(&f->toks, p, ";") || ctok_is(&f->toks, p, "{") || ctok_is(&f->toks, p, "}") ||
        ctok_is(&f->toks, p, ":"))
        return 1;
    if (ctok_is(&f->toks, p, "else") || ctok_is(&f->toks, p, "do")) {
        *head = p;
        return 2;
    }
    if (ctok_is(&f->toks, p, ")")) {
        size_t o = f->toks.toks[p].match;
        if (o < p && o > 0 &&
            (ctok_is(&f->toks, o - 1, "if") || ctok_is(&f->toks, o - 1, "while") || ctok_is(&f->toks, o - 1, "for") ||
             ctok_is(&f->toks, o - 1, "switch"))) {
            *head = o - 1;
            /* `} while (x)` ends a do statement: no body follows it */
            if (ctok_is(&f->toks, o - 1, "while") && o >= 2 && ctok_is(&f->toks, o - 2, "}"))
                return 0;
            return 2;
        }
    }
    return 0;
}

/* The first token of the statement that holds token i (at block level),
 * stepping back over whole bracket groups; FR_NONE when it is not one. */
static size_t fr__stmt_of(const fr_file *f, size_t i, int *how, size_t *head)
{
    if (i == FR_NONE || ctok_in_parens(&f->toks, i))
        return FR_NONE;
    size_t j = i;
    for (;;) {
        int k = fr__stmt_start(f, j, head);
        if (k) {
            *how = k;
            return j;
        }
        if (j == 0)
            return FR_NONE;
        size_t p = j - 1;
        if (ctok_is(&f->toks, p, ";") || ctok_is(&f->toks, p, "{") || ctok_is(&f->toks, p, "}"))
            return FR_NONE;
        if ((ctok_is(&f->toks, p, ")") || ctok_is(&f->toks, p, "]")) && f->toks.toks[p].match < p)
            p = f->toks.toks[p].match;
        j = p;
    }
}

/* The `;` that ends the statement holding token i: the first one after it
 * outside brackets; FR_NONE if a bracket closes first. */
static size_t fr__stmt_end(const fr_file *f, size_t i)
{
    for (size_t j = i; j < f->toks.n; j++) {
        const ctok *k = &f->toks.toks[j];
        char c = f->toks.text[k->begin];
        if (k->end - k->begin != 1)
            continue;
        if ((c == '(' || c == '[' || c == '{') && k->match > j)
            j = k->match;
        else if (c == ')' || c == ']' || c == '}' || c == '(' || c == '[' || c == '{')
            return FR_NONE;
        else if (c == ';')
            return j;
    }
    return FR_NONE;
}

/* A replacement of [b, e) by out. */
typedef struct fr_edit {
    size_t b, e;
    fr_buf out;
} fr_edit;

/* `text` as a statement before the token at off: a line of its own indented
 * with lind when the token starts its line, else just before it on its line. */
static void fr__insert_stmt(const fr_file *f, size_t off, const char *lind, size_t nlind, const char *text,
                            fr_edit *ed)
{
    size_t ib, ie;
    fr__indent(f->src, off, &ib, &ie);
    if (fr__first_on_line(f->src, off)) {
        ed->b = ed->e = ib;
        fr__put(&ed->out, lind, nlind);
        fr__text(&ed->out, text, f->src->text + ib, ie - ib);
        fr__puts(&ed->out, "\n");
    } else {
        ed->b = ed->e = off;
        fr__text(&ed->out, text, f->src->text + ib, ie - ib);
        fr__puts(&ed->out, " ");
    }
}

static bool fr__before_stmt(const fr_file *f, size_t t, const char *text, fr_edit *ed)
{
    const src_file *src = f->src;
    size_t off = f->toks.toks[t].begin, ib, ie;
    fr__indent(src, off, &ib, &ie);
    const char *ind = src->text + ib;
    size_t nind = ie - ib;
    if (ctok_is(&f->toks, t, "}")) {
        /* falling off a function's end: the statement goes last in its body */
        if (f->toks.toks[t].match >= t || ctok_enclosing_brace(&f->toks, f->toks.toks[t].match) != FR_NONE)
            return false;
        /* the body's indentation: the last statement's line, when deeper */
        size_t pb = 0, pe = 0;
        if (t > 0)
            fr__indent(src, f->toks.toks[t - 1].begin, &pb, &pe);
        fr_buf body = { 0 };
        if (pe - pb > nind && memcmp(src->text + pb, ind, nind) == 0) {
            fr__put(&body, src->text + pb, pe - pb);
        } else {
            fr__put(&body, ind, nind);
            fr__puts(&body, memchr(ind, '\t', nind) ? "\t" : "    ");
        }
        fr__insert_stmt(f, off, body.s, body.n, text, ed);
        free(body.s);
        return true;
    }
    if (!ctok_is(&f->toks, t, "return"))
        return false;
    size_t head = FR_NONE;
    int how = fr__stmt_start(f, t, &head);
    if (how == 1) {
        fr__insert_stmt(f, off, ind, nind, text, ed);
        return true;
    }
    if (how != 2)
        return false;
    /* the whole body of an if, else or loop: braces around both statements */
    size_t semi = fr__stmt_end(f, t);
    if (semi == FR_NONE)
        return false;
    size_t semi_end = f->toks.toks[semi].end, eol;
    if (fr__first_on_line(src, off)) {
        /* a comment after the return stays with it, inside the braces */
        if (fr__rest_blank(f, semi_end, &eol))
            semi_end = eol;
        size_t hb, he, prev_end = f->toks.toks[t - 1].end;
        fr__indent(src, f->toks.toks[head].begin, &hb, &he);
        ed->b = prev_end;
        ed->e = semi_end;
        fr__puts(&ed->out, " {");
        fr__put(&ed->out, src->text + prev_end, ib - prev_end);
        fr__put(&ed->out, ind, nind);
        fr__text(&ed->out, text, ind, nind);
        fr__puts(&ed->out, "\n");
        fr__put(&ed->out, src->text + ib, semi_end - ib);
        fr__puts(&ed->out, "\n");
        fr__put(&ed->out, src->text + hb, he - hb);
        fr__puts(&ed->out, "}");
    } else {
        ed->b = off;
        ed->e = semi_end;
        fr__puts(&ed->out, "{ ");
        fr__text(&ed->out, text, ind, nind);
        fr__puts(&ed->out, " ");
        fr__put(&ed->out, src->text + off, semi_end - off);
        fr__puts(&ed->out, " }");
    }
    return true;
}

static bool fr__after_stmt(const fr_file *f, size_t t, const char *text, fr_edit *ed)
{
    int how = 0;
    size_t head = FR_NONE;
    size_t first = fr__stmt_of(f, t, &how, &head);
    if (first == FR_NONE || how != 1)
        return false;
    size_t semi = fr__stmt_end(f, t);
    if (semi == FR_NONE)
        return false;
    size_t ib, ie, eol, end = f->toks.toks[semi].end;
    fr__indent(f->src, f->toks.toks[first].begin, &ib, &ie);
    const char *ind = f->src->text + ib;
    if (fr__first_on_line(f->src, f->toks.toks[first].begin) && fr__rest_blank(f, end, &eol)) {
        ed->b = ed->e = eol;
        fr__puts(&ed->out, "\n");
        fr__put(&ed->out, ind, ie - ib);
    } else {
        ed->b = ed->e = end;
        fr__puts(&ed->out, " ");
    }
    fr__text(&ed->out, text, ind, ie - ib);
    return true;
}

/* The `;` of the statement that starts at token t, replaced. */
static bool fr__stmt_end_edit(const fr_file *f, size_t t, const char *text, fr_edit *ed)
{
    int how = 0;
    size_t head = FR_NONE;
    if (fr__stmt_of(f, t, &how, &head) != t)
        return false;
    size_t semi = fr__stmt_end(f, t);
    if (semi == FR_NONE)
        return false;
    size_t ib, ie;
    fr__indent(f->src, f->toks.toks[t].begin, &ib, &ie);
    ed->b = f->toks.toks[semi].begin;
    ed->e = f->toks.toks[semi].end;
    fr__text(&ed->out, text, f->src->text + ib, ie - ib);
    return true;
}

/* A new last element after the element of a brace initializer at token t. */
static bool fr__append_init(const fr_file *f, size_t t, const char *text, fr_edit *ed)
{
    size_t open = ctok_opener(&f->toks, t);
    if (open == FR_NONE || !ctok_is(&f->toks, open, "{") || (t != open + 1 && !ctok_is(&f->toks, t - 1, ",")))
        return false;
    size_t j = t;
    while (j < f->toks.n && !ctok_is(&f->toks, j, ",") && !ctok_is(&f->toks, j, "}")) {
        const ctok *k = &f->toks.toks[j];
        char c = f->toks.text[k->begin];
        if (k->end - k->begin == 1 && (c == '(' || c == '[' || c == '{')) {
            if (k->match <= j)
                return false;
            j = k->match;
        } else if (k->end - k->begin == 1 && (c == ')' || c == ']' || c == ';')) {
            return false;
        }
        j++;
    }
    if (j >= f->toks.n || j <= t)
        return false;
    size_t ib, ie, eol, elem_end = f->toks.toks[j - 1].end;
    fr__indent(f->src, f->toks.toks[t].begin, &ib, &ie);
    bool own_line = fr__first_on_line(f->src, f->toks.toks[t].begin);
    if (ctok_is(&f->toks, j, ",")) {
        if (!ctok_is(&f->toks, j + 1, "}") || f->toks.toks[j + 1].match != open)
            return false; /* not the last element */
        size_t comma_end = f->toks.toks[j].end;
        if (own_line && fr__rest_blank(f, comma_end, &eol)) {
            ed->b = ed->e = eol;
            fr__puts(&ed->out, "\n");
            fr__put(&ed->out, f->src->text + ib, ie - ib);
        } else {
            ed->b = ed->e = comma_end;
            fr__puts(&ed->out, " ");
        }
        fr__puts(&ed->out, text);
        fr__puts(&ed->out, ",");
        return true;
    }
    if (f->toks.toks[j].match != open)
        return false;
    ed->b = ed->e = elem_end;
    if (own_line && !fr__first_on_line(f->src, f->toks.toks[j].begin)) {
        fr__puts(&ed->out, ", ");
    } else if (own_line) {
        fr__puts(&ed->out, ",\n");
        fr__put(&ed->out, f->src->text + ib, ie - ib);
    } else {
        fr__puts(&ed->out, ", ");
    }
    fr__puts(&ed->out, text);
    return true;
}

/* Whether the text at loc is in the innermost block that encloses anchor. */
static bool fr__in_scope(const fr_file *f, size_t at, model_loc anchor)
{
    size_t a = fr__offset(f->src, anchor);
    if (a == FR_NONE)
        return false;
    /* the token at or after the anchor */
    size_t k = 0;
    while (k < f->toks.n && f->toks.toks[k].end <= a)
        k++;
    if (k >= f->toks.n)
        return false;
    size_t open = ctok_enclosing_brace(&f->toks, k);
    if (open == FR_NONE)
        return true; /* file scope */
    size_t close = f->toks.toks[open].match;
    return close > open && at > f->toks.toks[open].begin && at <= f->toks.toks[close].begin;
}

/* Whether the function named at loc is declared `void NAME(`. */
static bool fr__void_fn(const fr_file *f, model_loc loc)
{
    size_t off = fr__offset(f->src, loc);
    size_t t = off == FR_NONE ? FR_NONE : ctok_at(&f->toks, off);
    return t != FR_NONE && t > 0 && ctok_is(&f->toks, t - 1, "void") && ctok_is(&f->toks, t + 1, "(");
}

static bool fr__one(const fr_file *f, diag_fixit *x, fr_edit *ed)
{
    size_t off = fr__offset(f->src, x->begin);
    if (off == FR_NONE)
        return false;
    if (x->scope.line && !fr__in_scope(f, off, x->scope))
        return false;
    if (x->void_fn.line && !fr__void_fn(f, x->void_fn))
        return false;
    if (x->kind == DIAG_FIXIT_REPLACE) {
        size_t e = fr__offset(f->src, x->end);
        if (e == FR_NONE || e < off)
            return false;
        ed->b = off;
        ed->e = e;
        fr__puts(&ed->out, x->text);
        return true;
    }
    size_t t = ctok_at(&f->toks, off);
    if (t == FR_NONE)
        return false;
    switch (x->kind) {
    case DIAG_FIXIT_BEFORE_STMT:
        return fr__before_stmt(f, t, x->text, ed);
    case DIAG_FIXIT_AFTER_STMT:
        return fr__after_stmt(f, t, x->text, ed);
    case DIAG_FIXIT_STMT_END:
        return fr__stmt_end_edit(f, t, x->text, ed);
    case DIAG_FIXIT_APPEND_INIT:
        return fr__append_init(f, t, x->text, ed);
    case DIAG_FIXIT_REPLACE:
        break;
    }
    return false;
}

static void fr__drop_all(diag *d)
{
    for (size_t i = 0; i < d->nfixits; i++) {
        free(d->fixits[i].text);
        free(d->fixits[i].file);
    }
    free(d->fixits);
    d->fixits = NULL;
    d->nfixits = 0;
}

bool fixit_render(diag *d, fixit_src_fn src_of, void *ctx)
{
    bool needed = false;
    for (size_t i = 0; i < d->nfixits; i++)
        needed |= d->fixits[i].kind != DIAG_FIXIT_REPLACE || d->fixits[i].scope.line || d->fixits[i].void_fn.line;
    if (!needed)
        return true;
    bool ok = true;
    for (size_t i = 0; i < d->nfixits && ok; i++) {
        diag_fixit *x = &d->fixits[i];
        const src_file *src = src_of(ctx, x->file);
        if (!src) {
            ok = false;
            break;
        }
        fr_file f = { src, { 0 } };
        ctok_scan(&f.toks, src->text, src->length);
        fr_edit ed = { 0, 0, { 0 } };
        ok = fr__one(&f, x, &ed);
        ctok_free(&f.toks);
        if (ok) {
            free(x->text);
            x->text = ed.out.s ? ed.out.s : driver_xstrdup("");
            x->begin = fr__loc(src, ed.b);
            x->end = fr__loc(src, ed.e);
            x->kind = DIAG_FIXIT_REPLACE;
            x->scope = x->void_fn = (model_loc){ 0, 0 };
        } else {
            free(ed.out.s);
        }
    }
    if (!ok)
        fr__drop_all(d);
    return ok;
}
