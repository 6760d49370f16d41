/* memo.h — a file's analysis kept for its next run (driver_opts.
 * reuse_analysis: an editor analyzing the text again at each pause in
 * typing). When a run's models are the file's last ones but for positions
 * (the edit touched comments, blank lines, or code the model does not
 * hold), the last findings are moved to the new positions instead of
 * running the analysis again. Models are compared as text (model_dump)
 * with every position taken out; the positions, in the same order, pair
 * old places to new ones. A finding whose place cannot be paired for sure
 * makes the run analyze as usual. The analysis' notes (a root that hit the
 * engine's budget: no position) are kept and told again with the findings.
 * Thread-safe. */
#ifndef TETHER_DRIVER_MEMO_H
#define TETHER_DRIVER_MEMO_H

#include <stdbool.h>
#include <stddef.h>

#include "diag/diag.h"
#include "driver/util.h"
#include "model/model.h"

typedef struct driver_memo driver_memo;

/* A note of the analysis (file may be NULL). */
typedef struct memo_note {
    char *file, *msg;
} memo_note;

typedef struct memo_notes {
    memo_note *v;
    size_t n;
} memo_notes;

void memo_notes_free(memo_notes *notes);

driver_memo *memo_new(void);
void memo_free(driver_memo *self);
/* true: out holds path's remembered findings, at the places of these
 * models, and notes (the caller frees them) the analysis' notes. dumps:
 * the models' text (driver_dump_model), or NULL. */
bool memo_lookup(driver_memo *self, const char *path, const model_tu *const *tus, size_t n,
                 const driver_dump *dumps, diag_list *out, memo_notes *notes);
/* Remembers diags and notes (both copied) as path's findings with these
 * models. */
void memo_store(driver_memo *self, const char *path, const model_tu *const *tus, size_t n, const diag_list *diags,
                const memo_notes *notes);

#endif /* TETHER_DRIVER_MEMO_H */
