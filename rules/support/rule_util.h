/* rule_util.h — what rules share: positions and names of engine sites,
 * reporting a finding with its notes, and questions about a finding's path
 * (who spawned a task, where it returned, what it did to an object). */
#ifndef TETHER_RULE_UTIL_H
#define TETHER_RULE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag/diag.h"
#include "engine/engine.h"
#include "rule.h"

#define RU_NONE UINT32_MAX

/* ---- sites ---------------------------------------------------------------------- */
const model_event *ru_ev(eng_site s);
/* The file of a site ("" for none). */
const char *ru_file(eng_site s);
/* The position of a site: the event's, or for a block step the block's. */
model_loc ru_loc(eng_site s);
const char *ru_func_name(eng_site s);
bool ru_site_eq(eng_site a, eng_site b);
/* The operand as written: the op's text, or case `choice`'s for a select. */
const char *ru_op_text(eng_site s, int choice);

/* ---- a finding's parts ------------------------------------------------------------- */
/* The task's function name. */
const char *ru_task_name(const eng_finding *f, uint32_t task);
bool ru_is_root(const eng_finding *f, uint32_t task);
/* The index of the task's last step of `kind` at its own top level (its
 * function, not a callee), or RU_NONE. */
size_t ru_last_top_step(const eng_finding *f, uint32_t task, eng_step_kind kind);
/* The index of the last OP step of task on object obj (any kind with
 * k == -1, else that event kind), or RU_NONE. */
size_t ru_last_op_on(const eng_finding *f, uint32_t task, uint32_t obj, int k);
/* Whether step st is a send on ch (a tt_send, or a select's send case). */
bool ru_is_send_on(const eng_step *st, uint32_t ch);
/* Whether the path has an OP step of event kind k on obj (by any task). */
bool ru_any_op_on(const eng_finding *f, uint32_t obj, model_ev_kind k);
/* The RETURN step that leaves the function where `made` is, run by the
 * task that entered it last (the owner of what `made` makes), or RU_NONE. */
size_t ru_maker_return(const eng_finding *f, eng_site made);
/* The first step at or after `from` of task that leaves the function it is
 * in at `from` (its RETURN) or breaks out (a block step with a position),
 * or RU_NONE. */
size_t ru_next_exit(const eng_finding *f, uint32_t task, size_t from);

/* Whether the task is stuck only because another stuck task would have
 * released it (sent, received, closed, unlocked, called tt_wg_done): its
 * finding is a consequence, the other task's is the cause. */
/* The tasks that would release `task` (bit u of the result), among the
 * first 64: they can next do what it waits for. */
uint64_t ru_releasers(const eng_finding *f, uint32_t task);
/* The API function an operation's event stands for ("tt_wg_wait"). */
const char *ru_api_name(model_ev_kind k);
bool ru_held_up(const eng_finding *f, uint32_t task);
/* The finding that speaks for finding `group`'s: the first one whose task
 * waits in a cycle with its task, in the same end state (one warning for a
 * circular wait); else group itself. */
int ru_cycle_group(const eng_result *e, int group);

/* The select task stands at, or the last one it ran: with the object of
 * each case's channel (RU_NONE when unknown) and whether it is NULL. */
eng_site ru_task_select(const eng_finding *f, uint32_t task, uint32_t *chans, bool *nulls, uint32_t *n);

/* ---- reporting --------------------------------------------------------------------- */
/* A warning of rule `id` at a site, for engine finding `group`. */
diag *ru_warn(diag_list *out, const char *id, int group, eng_site at, const char *fmt, ...) DIAG_PRINTF(5, 6);
void ru_note(diag *d, eng_site at, const char *fmt, ...) DIAG_PRINTF(3, 4);
void ru_note_at(diag *d, model_loc loc, const char *fmt, ...) DIAG_PRINTF(3, 4);
/* "'NAME' is spawned here" at the spawn of task (nothing for the root). */
void ru_note_spawn(diag *d, const eng_finding *f, uint32_t task);

/* Whether running case k (or TT_DEFAULT) of the select at s can leave its
 * loop or its function: followed on the model with the select's result
 * known, back to the select again meaning no. */
bool ru_case_exits(eng_site s, int64_t k);

/* Whether the event at s is inside a loop (its block can come back to
 * itself), and whether the loop at head contains s. */
bool ru_in_loop(eng_site s);
bool ru_loop_contains(eng_site head, eng_site s);

/* ---- the program, statically -------------------------------------------------------- */
/* Whether any function of the program has an event of kind k. */
bool ru_program_has(const rule_input *in, model_ev_kind k);
/* The site of the event at (tu, func) with this id, or a site with tu NULL. */
eng_site ru_site_of_id(const model_tu *tu, int32_t func, int32_t id);

#endif /* TETHER_RULE_UTIL_H */
