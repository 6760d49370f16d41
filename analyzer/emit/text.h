/* text.h — the gcc-style text emitter: `file:line:col: warning: msg [rule]`,
 * the source line with a caret under it, notes, fix-its and hints. */
#ifndef TETHER_EMIT_TEXT_H
#define TETHER_EMIT_TEXT_H

#include <stdbool.h>
#include <stdio.h>

#include "diag/diag.h"
#include "source.h"

#include "emit/emit.h"

/* Prints one diagnostic. src is the text of d->file, or NULL (then no source
 * lines are echoed); notes and fix-its in other files are echoed from
 * source(ctx, file) when source is not NULL. `warning:` or `error:` as the
 * diag's severity says. */
void emit_text_diag_in(FILE *out, const diag *d, const src_file *src, emit_source_fn source, const void *ctx,
                       bool color);
/* The same, every note and fix-it in d->file. */
void emit_text_diag(FILE *out, const diag *d, const src_file *src, bool color);

#endif /* TETHER_EMIT_TEXT_H */
