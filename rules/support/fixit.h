/* fixit.h — the fix-its rules attach to their findings, and the questions
 * on the model that make each one safe.
 *
 * A fix-it is only emitted when it is provably right on every path, not
 * just the finding's: a release goes before a `return` only when the
 * object is held (made and not yet released, not given away, not NULL) on
 * every path that reaches that return, the name it uses is in scope there,
 * and the returned value does not use the object. Edits that depend on the
 * text (indentation, braces, where a statement ends) are said by kind
 * (diag.h) and rendered by the driver, which drops what it cannot render
 * for certain.
 *
 * Each fx_* call adds nothing when it cannot prove its fix. `note` is the
 * note the fix-it is shown with (diag.h: 0 the warning, i note i - 1). */
#ifndef TETHER_RULES_FIXIT_H
#define TETHER_RULES_FIXIT_H

#include <stdbool.h>
#include <stddef.h>

#include "diag/diag.h"
#include "engine/engine.h"

/* `tt_ticker_stop(T);` before the return at `ret`, for the ticker made (or
 * received from a constructor's call) at `made`, in the same function. */
void fx_ticker_stop(diag *d, size_t note, eng_site ret, eng_site made);
/* `tt_ctx_cancel(C);` before the return at `ret`, for the context made at `made`. */
void fx_ctx_cancel(diag *d, size_t note, eng_site ret, eng_site made);
/* `tt_mutex_unlock(M);` before the return at `ret`, for the lock taken at `lock`. */
void fx_unlock(diag *d, size_t note, eng_site ret, eng_site lock);
/* `tt_wg_done(W);` before the return of task `task` (its function's own),
 * `exit` the exit the finding names (a RETURN, or a block step), `wait` the
 * tt_wg_wait the finding blocks at. */
void fx_wg_done(diag *d, size_t note, const eng_finding *f, uint32_t task, eng_site exit, eng_site wait);
/* A case on a done channel or context the owner closes or cancels on the
 * finding's path, added to the select at `sel` (in task `task`'s own
 * function), with a return when it runs. */
void fx_select_done(diag *d, size_t note, const eng_finding *f, uint32_t task, eng_site sel);

/* ---- the model questions (fixit_flow.c) ------------------------------------- */

/* The C text of a simple operand (a variable, a field, an element at a
 * constant or variable index, & and * of those); false otherwise. */
bool fx_val_text(const model_val *v, char *buf, size_t size);
/* The variable an operand starts from (`&a->wg` -> a), or NULL. */
const model_val *fx_root_var(const model_val *v);
/* Whether value v reads the result of an event (a call), or the variable `name`. */
bool fx_val_uses(const model_val *v, const char *name, bool *calls);

/* A forward must-analysis over one function: whether a fact holds on every
 * path that reaches an event. The transfer function says what each event
 * does to it (FX_KEEP, FX_GEN, FX_KILL); a NULL test on `null_obj` kills it
 * on the branch where that object is NULL. */
typedef enum fx_effect { FX_KEEP = 0, FX_GEN, FX_KILL } fx_effect;
typedef fx_effect (*fx_transfer)(const model_event *ev, uint32_t block, uint32_t index, void *ctx);
/* Whether the fact holds right before the event at (block, index) on every
 * path from the function's entry that reaches it; `at_entry`: it holds at
 * the entry. */
bool fx_holds_at(const model_tu *tu, const model_func *fn, uint32_t block, uint32_t index, bool at_entry,
                 model_obj_id null_obj, fx_transfer tr, void *ctx);
/* Whether function func (or one it calls or spawns, to a small depth; deeper
 * counts as yes) may have an event of kind k. */
bool fx_func_has(const model_tu *tu, int32_t func, model_ev_kind k);

#endif /* TETHER_RULES_FIXIT_H */
