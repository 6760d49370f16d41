/* text.c — the gcc-style text emitter (text.h).
 *
 *   f.c:12:5: warning: message [rule-id]
 *      12 |     tt_send(ch, &v);
 *         |     ^~~~~~~
 *         |     replacement            (a fix-it, as gcc prints it)
 *   f.c:9:3: note: a step on the path
 *       9 |   ...
 *         |   ^
 *   note: the hint, without a location
 */
#include "text.h"

#include "emit/emit_impl.h"

#include <string.h>

#define TX_BOLD "\033[1m"
#define TX_MAGENTA "\033[1;35m"
#define TX_RED "\033[1;31m"
#define TX_CYAN "\033[1;36m"
#define TX_GREEN "\033[1;32m"
#define TX_RESET "\033[0m"

static const char *text__c(bool color, const char *code)
{
    return color ? code : "";
}

/* Prints `width` columns of padding that line up with `line`: tabs are kept
 * so carets sit under the right character whatever the tab width. */
static void text__pad(FILE *out, const char *line, size_t len, size_t width)
{
    for (size_t i = 0; i < width; i++)
        fputc(i < len && line[i] == '\t' ? '\t' : ' ', out);
}

/* The source line, then a caret line marking [col, end_col) (end_col 0 = one
 * char), then optionally a fix-it text line under it. */
static void text__snippet(FILE *out, const src_file *src, model_loc loc, uint32_t end_col,
                          const char *fixit, bool color)
{
    size_t len;
    const char *line = src ? src_file_line(src, loc.line, &len) : NULL;
    if (!line || loc.col == 0)
        return;
    fprintf(out, "%5u | %.*s\n", (unsigned)loc.line, (int)len, line);
    size_t col = loc.col - 1;
    if (col > len)
        col = len;
    fputs("      | ", out);
    text__pad(out, line, len, col);
    fputs(text__c(color, TX_GREEN), out);
    fputc('^', out);
    for (uint32_t c = loc.col + 1; end_col > 0 && c < end_col; c++)
        fputc('~', out);
    fputs(text__c(color, TX_RESET), out);
    fputc('\n', out);
    if (fixit) {
        /* The replacement: its first line under the caret, the lines after
         * it as they will read (they carry their own indentation). */
        for (const char *p = fixit; *p;) {
            size_t n = strcspn(p, "\n");
            fputs("      | ", out);
            if (p == fixit)
                text__pad(out, line, len, col);
            fprintf(out, "%s%.*s%s\n", text__c(color, TX_GREEN), (int)n, p, text__c(color, TX_RESET));
            p += n;
            if (*p == '\n')
                p++;
        }
    }
}

static void text__header(FILE *out, const char *file, model_loc loc, const char *kind,
                         const char *kind_color, const char *msg, const char *rule, bool color)
{
    fprintf(out, "%s%s:%u:%u: %s%s:%s %s%s", text__c(color, TX_BOLD), file, (unsigned)loc.line,
            (unsigned)loc.col, text__c(color, kind_color), kind, text__c(color, TX_RESET),
            text__c(color, TX_BOLD), msg);
    if (rule)
        fprintf(out, " [%s%s%s%s]", text__c(color, TX_RESET), text__c(color, TX_MAGENTA), rule,
                text__c(color, TX_RESET));
    fprintf(out, "%s\n", text__c(color, TX_RESET));
}

/* The text of `file`: the finding's own, else from the source callback. */
typedef struct text_files {
    const diag *d;
    const src_file *src;
    emit_source_fn source;
    const void *ctx;
} text_files;

static const src_file *text__src(const text_files *tf, const char *file)
{
    if (!file || strcmp(file, tf->d->file) == 0)
        return tf->src;
    return tf->source ? tf->source(tf->ctx, file) : NULL;
}

/* The fix-its shown with the warning (note 0) or with note `note` (1-based). */
static void text__fixits(FILE *out, const text_files *tf, size_t note, bool color)
{
    const diag *d = tf->d;
    for (size_t i = 0; i < d->nfixits; i++) {
        const diag_fixit *f = &d->fixits[i];
        if (f->note != note)
            continue;
        uint32_t end = f->end.line == f->begin.line ? f->end.col : 0;
        text__snippet(out, text__src(tf, f->file), f->begin, end, f->text, color);
    }
}

/* The snippet of the warning (note 0) or of note `note` (1-based), with its
 * fix-its; a fix-it on the same line replaces the plain caret, as in clang. */
static void text__located(FILE *out, const text_files *tf, size_t note, const char *file, model_loc loc,
                          bool color)
{
    const diag *d = tf->d;
    bool merged = false;
    for (size_t k = 0; k < d->nfixits; k++)
        merged |= d->fixits[k].note == note && d->fixits[k].begin.line == loc.line &&
                  strcmp(d->fixits[k].file ? d->fixits[k].file : d->file, file) == 0;
    if (!merged)
        text__snippet(out, text__src(tf, file), loc, 0, NULL, color);
    text__fixits(out, tf, note, color);
}

void emit_text_diag_in(FILE *out, const diag *d, const src_file *src, emit_source_fn source, const void *ctx,
                       bool color)
{
    text_files tf = { d, src, source, ctx };
    bool error = d->severity == DIAG_ERROR;
    text__header(out, d->file, d->loc, emit_severity_name(d->severity), error ? TX_RED : TX_MAGENTA, d->msg,
                 d->rule, color);
    text__located(out, &tf, 0, d->file, d->loc, color);
    for (size_t i = 0; i < d->nnotes; i++) {
        const char *file = d->notes[i].file ? d->notes[i].file : d->file;
        text__header(out, file, d->notes[i].loc, "note", TX_CYAN, d->notes[i].msg, NULL, color);
        text__located(out, &tf, i + 1, file, d->notes[i].loc, color);
    }
    if (d->fix_hint)
        fprintf(out, "%snote:%s %s\n", text__c(color, TX_CYAN), text__c(color, TX_RESET),
                d->fix_hint);
}

void emit_text_diag(FILE *out, const diag *d, const src_file *src, bool color)
{
    emit_text_diag_in(out, d, src, NULL, NULL, color);
}

/* ---- The text format of emit.h --------------------------------------------- */

static void text__file(emitter *self, const char *path, const src_file *src, const diag *diags, size_t n,
                       emit_source_fn source, const void *ctx)
{
    (void)path;
    for (size_t i = 0; i < n; i++)
        emit_text_diag_in(self->o.out, &diags[i], src, source, ctx, self->o.color);
    fflush(self->o.out);
}

/* A compile error as the compiler prints it: `f.c:3:10: error: ...`, its
 * hint as a note; a remark on a file: `f.c: note: ...`. */
static void text__problem(emitter *self, const emit_problem *p)
{
    if (!emit_reports_problem(EMIT_TEXT, p))
        return;
    FILE *out = self->o.out;
    bool color = self->o.color;
    const char *kind = p->level == EMIT_ERROR ? "error" : p->level == EMIT_WARNING ? "warning" : "note";
    const char *kc = p->level == EMIT_ERROR ? TX_RED : p->level == EMIT_WARNING ? TX_MAGENTA : TX_CYAN;
    if (p->loc.line > 0) {
        text__header(out, p->file, p->loc, kind, kc, p->msg, NULL, color);
        text__snippet(out, p->src, p->loc, 0, NULL, color);
    } else
        fprintf(out, "%s%s: %s%s:%s %s%s%s\n", text__c(color, TX_BOLD), p->file, text__c(color, kc), kind,
                text__c(color, TX_RESET), text__c(color, TX_BOLD), p->msg, text__c(color, TX_RESET));
    if (p->hint)
        fprintf(out, "%snote:%s %s\n", text__c(color, TX_CYAN), text__c(color, TX_RESET), p->hint);
    fflush(out);
}

static int text__end(emitter *self, bool ok)
{
    (void)self;
    (void)ok;
    return 0;
}

static const emit_ops text__ops = { text__file, text__problem, text__end, NULL };

void emit_text_init(emitter *self)
{
    self->ops = &text__ops;
}
