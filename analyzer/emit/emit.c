/* emit.c — the emitter interface (emit.h): picks the format, and the
 * helpers formats share. */
#include "emit/emit_impl.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *emit_xmalloc(size_t n)
{
    void *p = calloc(1, n ? n : 1);
    if (!p) {
        fputs("tether: error: out of memory\n", stderr);
        abort();
    }
    return p;
}

int emit_format_parse(const char *name)
{
    static const char *const names[] = { "text", "sarif", "json", "github", "codeclimate" };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(name, names[i]) == 0)
            return (int)i;
    return -1;
}

emitter *emit_new(emit_format format, const emit_opts *opts)
{
    emitter *self = emit_xmalloc(sizeof *self);
    self->o = *opts;
    switch (format) {
    case EMIT_TEXT: emit_text_init(self); break;
    case EMIT_SARIF: emit_sarif_init(self); break;
    case EMIT_JSON: emit_json_init(self); break;
    case EMIT_GITHUB: emit_github_init(self); break;
    case EMIT_CODECLIMATE: emit_codeclimate_init(self); break;
    }
    return self;
}

void emit_file(emitter *self, const char *path, const src_file *src, const diag *diags, size_t n,
               emit_source_fn source, const void *ctx)
{
    self->ops->file(self, path, src, diags, n, source, ctx);
}

void emit_problem_add(emitter *self, const emit_problem *p)
{
    self->ops->problem(self, p);
}

int emit_end(emitter *self, bool ok)
{
    int rc = self->ops->end(self, ok);
    if (fflush(self->o.out) != 0 || ferror(self->o.out))
        rc = -1;
    return rc;
}

void emit_free(emitter *self)
{
    if (!self)
        return;
    if (self->ops->free)
        self->ops->free(self);
    free(self);
}

char *emit_relative(const char *root, const char *path)
{
    char real[PATH_MAX];
    const char *p = realpath(path, real) ? real : path;
    size_t n = root ? strlen(root) : 0;
    const char *rel = p;
    if (n == 1 && root[0] == '/' && p[0] == '/')
        rel = p + 1;
    else if (n && strncmp(p, root, n) == 0 && p[n] == '/')
        rel = p + n + 1;
    size_t len = strlen(rel);
    char *out = emit_xmalloc(len + 1);
    memcpy(out, rel, len + 1);
    return out;
}

const char *emit_severity_name(diag_severity s)
{
    return s == DIAG_ERROR ? "error" : s == DIAG_NOTE ? "note" : "warning";
}

bool emit_reports_problem(emit_format format, const emit_problem *p)
{
    if (format == EMIT_CODECLIMATE)
        return false; /* the format has no place for them */
    if (format != EMIT_TEXT)
        return true;
    /* Compile errors and remarks on a file read as a compiler's; warnings
     * (about suppression comments) stay beside the report, on stderr. */
    return p->file && ((p->level == EMIT_ERROR && p->loc.line > 0) || p->level == EMIT_NOTE);
}
