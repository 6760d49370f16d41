/* emit.h — the emitters behind one interface: a run starts, each file's
 * findings come, tool problems come, the run ends. Formats:
 *   text         gcc style, as a compiler prints warnings (the default)
 *   sarif        SARIF 2.1.0 for GitHub code scanning and other viewers
 *   json         tether's own documented schema (docs/json-output.md)
 *   github       GitHub Actions workflow commands (annotations on the diff)
 *   codeclimate  the Code Climate issues list GitLab's code quality reads
 * Streaming formats (text, github) write as calls come; document formats
 * write in emit_end. Output is deterministic for the same calls. */
#ifndef TETHER_EMIT_H
#define TETHER_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "diag/diag.h"
#include "emit/source.h"

typedef enum emit_format { EMIT_TEXT, EMIT_SARIF, EMIT_JSON, EMIT_GITHUB, EMIT_CODECLIMATE } emit_format;

/* "text" -> EMIT_TEXT ...; -1 for an unknown name. */
int emit_format_parse(const char *name);

typedef enum emit_level { EMIT_ERROR = 0, EMIT_WARNING, EMIT_NOTE } emit_level;

/* A problem that is not a finding (an unreadable file, a compile error). */
typedef struct emit_problem {
    emit_level level;
    const char *file;      /* NULL: the run as a whole */
    model_loc loc;         /* {0,0}: the file as a whole */
    const char *msg;
    const char *hint;      /* or NULL */
    const src_file *src;   /* file's text, to quote the line (text format); may be NULL */
} emit_problem;

/* Another file's text, for notes that point into it; may return NULL. */
typedef const src_file *(*emit_source_fn)(const void *ctx, const char *path);

typedef struct emit_opts {
    FILE *out;
    bool color;                 /* text only */
    const char *root;           /* structured formats name files relative to it (real path) */
    const char *tool_version;   /* "0.1.0" */
    const char *const *argv;    /* the command line, for SARIF's invocation */
    size_t argc;
} emit_opts;

typedef struct emitter emitter;

emitter *emit_new(emit_format format, const emit_opts *opts);
/* The findings of one file, sorted; src is its text (may be NULL); other
 * files' text through source(ctx, path). */
void emit_file(emitter *self, const char *path, const src_file *src, const diag *diags, size_t n,
               emit_source_fn source, const void *ctx);
void emit_problem_add(emitter *self, const emit_problem *p);
/* Ends the run (document formats write here); `ok` = no tool error. 0, or
 * -1 when writing failed. */
int emit_end(emitter *self, bool ok);
void emit_free(emitter *self);
/* Whether the format prints problem p itself in its report. The text
 * format prints only errors with a position (compile errors) and notes on
 * a file, as a compiler would; the caller prints the others (to stderr). */
bool emit_reports_problem(emit_format format, const emit_problem *p);

/* path relative to root (both resolved with realpath when they exist);
 * path itself when it lies outside root. malloc'd. */
char *emit_relative(const char *root, const char *path);

#endif /* TETHER_EMIT_H */
