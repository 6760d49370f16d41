/* fixit_render.h — turns the fix-its rules state by kind (a statement to
 * insert before a `return`, after a statement, ... : diag.h's
 * diag_fixit_kind) into plain replacements, with the file's text.
 *
 * Rules see no text, so this is where indentation is copied, braces are
 * added around a one-statement body, a statement's end is found, and the
 * text-level conditions a fix-it carries (a name in scope, a void
 * function) are checked. What cannot be rendered for certain is dropped,
 * with the finding's other fix-its (they are one fix): never a guess. */
#ifndef TETHER_DRIVER_FIXIT_RENDER_H
#define TETHER_DRIVER_FIXIT_RENDER_H

#include <stdbool.h>

#include "diag/diag.h"
#include "emit/source.h"

/* The text of a file a fix-it names, or NULL when the run has not read it. */
typedef const src_file *(*fixit_src_fn)(void *ctx, const char *file);

/* Renders every fix-it of d in place (all become DIAG_FIXIT_REPLACE).
 * Returns false, with d's fix-its removed, when one cannot be. */
bool fixit_render(diag *d, fixit_src_fn src_of, void *ctx);

#endif /* TETHER_DRIVER_FIXIT_RENDER_H */
