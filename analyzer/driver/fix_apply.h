/* fix_apply.h — applying findings' fix-its to a file (`tether check --fix`).
 *
 * All the fix-its of one finding are one fix: a finding is fixed whole or
 * not at all. Findings are taken in order; one whose edits overlap an
 * edit already taken, or that edits another file, is left unfixed (a
 * later run can fix it). The file is written atomically: a temporary file
 * in the same folder with the file's mode, then renamed over it; and never
 * when its content changed since it was analyzed. */
#ifndef TETHER_DRIVER_FIX_APPLY_H
#define TETHER_DRIVER_FIX_APPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "diag/diag.h"
#include "emit/source.h"

/* The text of src with the fixes of diags[0..n) that apply to `path`
 * (malloc'd, NUL-terminated, its length in *len), and fixed[i] set for each
 * finding whose fix is in it. NULL when no fix applies. */
char *fix_apply_text(const src_file *src, const char *path, const diag *diags, size_t n, bool *fixed,
                     size_t *len);

/* Replaces the file at path (a symbolic link's target) with text[0..len),
 * if it still holds expect[0..expect_len): through a temporary file in its
 * folder, with its mode (and owner where allowed), renamed over it.
 * Returns 0, or -1 with the reason in err (the file is then untouched). */
int fix_write_file(const char *path, const char *expect, size_t expect_len, const char *text, size_t len,
                   char *err, size_t errsize);

/* Prints a unified diff (`--- path` / `+++ path`, 3 lines of context) of
 * old -> new text. */
void fix_print_diff(FILE *out, const char *path, const char *old, size_t old_len, const char *new_text,
                    size_t new_len);

#endif /* TETHER_DRIVER_FIX_APPLY_H */
