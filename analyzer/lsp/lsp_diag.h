/* lsp_diag.h — tether's findings as LSP diagnostics: ranges in UTF-16
 * columns, severity, source "tether", the rule id as code with a link to
 * its doc, path notes as relatedInformation; and each finding's fix-its as
 * a WorkspaceEdit for its quick fix. */
#ifndef TETHER_LSP_DIAG_H
#define TETHER_LSP_DIAG_H

#include <stddef.h>

#include "driver/driver.h"
#include "lsp/lsp_impl.h"

/* Appends f's findings to out. uri and text[0..len) are the document's
 * (f->path's); other files' text comes from f->source when the run read
 * them (else their columns are taken as they are). */
void lsp_diag_convert(const driver_file *f, const char *uri, const char *text, size_t len, lsp_findings *out);

/* An LSP range object. */
cJSON *lsp_range_json(lsp_range r);

#endif /* TETHER_LSP_DIAG_H */
