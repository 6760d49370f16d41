/* github.c — GitHub Actions workflow commands (emit.h): one
 *   ::warning file=F,line=L,col=C,endLine=L2,endColumn=C2,title=T::MESSAGE
 * per finding, which GitHub shows as an annotation on the diff. Escaped as
 * GitHub's runner unescapes: in the message %, CR and LF; in property
 * values also ':' and ','. The notes follow the message on lines of their
 * own (in one command). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit/emit_impl.h"

static void gh__escape(FILE *out, const char *s, bool property)
{
    for (; *s; s++) {
        switch (*s) {
        case '%': fputs("%25", out); break;
        case '\r': fputs("%0D", out); break;
        case '\n': fputs("%0A", out); break;
        case ':': fputs(property ? "%3A" : ":", out); break;
        case ',': fputs(property ? "%2C" : ",", out); break;
        default: fputc(*s, out);
        }
    }
}

static void gh__location(const emitter *self, FILE *out, const char *file, model_loc b, model_loc e)
{
    char *rel = emit_relative(self->o.root, file);
    fputs(" file=", out);
    gh__escape(out, rel, true);
    free(rel);
    if (b.line) {
        fprintf(out, ",line=%u", (unsigned)b.line);
        if (b.col)
            fprintf(out, ",col=%u", (unsigned)b.col);
        if (e.line >= b.line && e.line) {
            fprintf(out, ",endLine=%u", (unsigned)e.line);
            if (b.col && e.col)
                fprintf(out, ",endColumn=%u", (unsigned)e.col);
        }
    }
}

static void gh__file(emitter *self, const char *path, const src_file *src, const diag *diags, size_t n,
                     emit_source_fn source, const void *ctx)
{
    (void)path;
    (void)src;
    (void)source;
    (void)ctx;
    FILE *out = self->o.out;
    for (size_t i = 0; i < n; i++) {
        const diag *d = &diags[i];
        fprintf(out, "::%s", d->severity == DIAG_ERROR ? "error" : d->severity == DIAG_NOTE ? "notice" : "warning");
        gh__location(self, out, d->file, d->loc, d->end);
        fputs(",title=", out);
        size_t tlen = strlen(d->rule ? d->rule : "") + 16;
        char *title = emit_xmalloc(tlen);
        snprintf(title, tlen, "tether %s", d->rule ? d->rule : "");
        gh__escape(out, title, true);
        free(title);
        fputs("::", out);
        gh__escape(out, d->msg, false);
        fprintf(out, " [%s]", d->rule ? d->rule : "");
        for (size_t k = 0; k < d->nnotes; k++) {
            const diag_note *nt = &d->notes[k];
            char *rel = emit_relative(self->o.root, nt->file ? nt->file : d->file);
            fputs("%0A", out);
            gh__escape(out, rel, false);
            fprintf(out, ":%u:%u: note: ", (unsigned)nt->loc.line, (unsigned)nt->loc.col);
            gh__escape(out, nt->msg, false);
            free(rel);
        }
        if (d->fix_hint) {
            fputs("%0Anote: ", out);
            gh__escape(out, d->fix_hint, false);
        }
        fputc('\n', out);
    }
    fflush(out);
}

static void gh__problem(emitter *self, const emit_problem *p)
{
    FILE *out = self->o.out;
    fprintf(out, "::%s", p->level == EMIT_ERROR ? "error" : p->level == EMIT_WARNING ? "warning" : "notice");
    if (p->file) {
        gh__location(self, out, p->file, p->loc, (model_loc){ 0, 0 });
        fputs(",title=tether", out);
    } else {
        fputs(" title=tether", out);
    }
    fputs("::", out);
    gh__escape(out, p->msg, false);
    if (p->hint) {
        fputs("%0Anote: ", out);
        gh__escape(out, p->hint, false);
    }
    fputc('\n', out);
    fflush(out);
}

static int gh__end(emitter *self, bool ok)
{
    (void)self;
    (void)ok;
    return 0;
}

static const emit_ops gh__ops = { gh__file, gh__problem, gh__end, NULL };

void emit_github_init(emitter *self)
{
    self->ops = &gh__ops;
}
