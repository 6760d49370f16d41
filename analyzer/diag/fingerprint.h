/* fingerprint.h — a stable identity per finding, for SARIF's
 * partialFingerprints and for baselines: it survives edits elsewhere in the
 * file that move the finding to another line.
 *
 * Built from the rule, the file (as the caller names it: relative to the
 * project root), the reported line's text with all whitespace removed, the
 * message, and an occurrence index that tells apart equal findings on equal
 * lines of one file (0, 1, ... in line order). Never from line numbers. */
#ifndef TETHER_DIAG_FINGERPRINT_H
#define TETHER_DIAG_FINGERPRINT_H

#include <stddef.h>

#include "diag/diag.h"

/* The version of the recipe, as in SARIF's partialFingerprints key. */
#define DIAG_FINGERPRINT_KEY "tether/v1"

/* Fills items[i].fingerprint for the findings items[0..n), which all lie in
 * one file whose text is text[0..len) (NULL: lines read as empty), named
 * `path` in the fingerprint. Items must be in diag_list_sort order. */
void diag_fingerprint_file(diag *items, size_t n, const char *path, const char *text, size_t len);

#endif /* TETHER_DIAG_FINGERPRINT_H */
