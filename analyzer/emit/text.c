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

#include <string.h>

#define TX_BOLD "\033[1m"
#define TX_MAGENTA "\033[1;35m"
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
        fputs("      | ", out);
        text__pad(out, line, len, col);
        /* A multi-line replacement: print its first line only. */
        size_t n = strcspn(fixit, "\n");
        fprintf(out, "%s%.*s%s\n", text__c(color, TX_GREEN), (int)n, fixit,
                text__c(color, TX_RESET));
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

/* The fix-its shown with the warning (note 0) or with note `note` (1-based). */
static void text__fixits(FILE *out, const diag *d, size_t note, const src_file *src, bool color)
{
    for (size_t i = 0; i < d->nfixits; i++) {
        const diag_fixit *f = &d->fixits[i];
        if (f->note != note)
            continue;
        uint32_t end = f->end.line == f->begin.line ? f->end.col : 0;
        text__snippet(out, src, f->begin, end, f->text, color);
    }
}

/* The snippet of the warning (note 0) or of note `note` (1-based), with its
 * fix-its; a fix-it on the same line replaces the plain caret, as in clang. */
static void text__located(FILE *out, const diag *d, size_t note, model_loc loc,
                          const src_file *src, bool color)
{
    bool merged = false;
    for (size_t k = 0; k < d->nfixits; k++)
        merged |= d->fixits[k].note == note && d->fixits[k].begin.line == loc.line;
    if (!merged)
        text__snippet(out, src, loc, 0, NULL, color);
    text__fixits(out, d, note, src, color);
}

void emit_text_diag(FILE *out, const diag *d, const src_file *src, bool color)
{
    text__header(out, d->file, d->loc, "warning", TX_MAGENTA, d->msg, d->rule, color);
    text__located(out, d, 0, d->loc, src, color);
    for (size_t i = 0; i < d->nnotes; i++) {
        text__header(out, d->file, d->notes[i].loc, "note", TX_CYAN, d->notes[i].msg, NULL, color);
        text__located(out, d, i + 1, d->notes[i].loc, src, color);
    }
    if (d->fix_hint)
        fprintf(out, "%snote:%s %s\n", text__c(color, TX_CYAN), text__c(color, TX_RESET),
                d->fix_hint);
}
