/* memo.h — a file's analysis kept for its next run (driver_opts.
 * reuse_analysis: an editor analyzing the text again at each pause in
 * typing). When a run's models are the file's last ones but for positions
 * (the edit touched comments, blank lines, or code the model does not
 * hold), the last findings are moved to the new positions instead of
 * running the analysis again. Models are compared as text (model_dump)
 * with every position taken out; the positions, in the same order, pair
 * old places to new ones. A finding whose place cannot be paired for sure
 * makes the run analyze as usual. Thread-safe. */
#ifndef TETHER_DRIVER_MEMO_H
#define TETHER_DRIVER_MEMO_H

#include <stdbool.h>
#include <stddef.h>

#include "diag/diag.h"
#include "model/model.h"

typedef struct driver_memo driver_memo;

driver_memo *memo_new(void);
void memo_free(driver_memo *self);
/* true: out holds path's remembered findings, at the places of these
 * models. */
bool memo_lookup(driver_memo *self, const char *path, const model_tu *const *tus, size_t n, diag_list *out);
/* Remembers diags (copied) as path's findings with these models. */
void memo_store(driver_memo *self, const char *path, const model_tu *const *tus, size_t n, const diag_list *diags);

#endif /* TETHER_DRIVER_MEMO_H */
