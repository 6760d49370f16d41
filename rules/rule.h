/* rule.h — what a rule is: a name, a one-line summary, a rank and a run
 * function that turns the engine's findings (and, for shapes the engine
 * does not see, the models) into diagnostics. Rules include this header,
 * rule_util.h, the model, the engine's result and diag: never libclang or
 * tree-sitter.
 *
 * One engine finding is often several rules' business (a task blocked on a
 * send is also a task that cannot be canceled). Every rule reports what it
 * sees, tagging each diagnostic with the finding (diag.group); analysis_run
 * then keeps, per finding, the rule with the lowest rank: the most specific
 * account of the leak. Run alone (--rule=X), a rule reports all it sees. */
#ifndef TETHER_RULE_H
#define TETHER_RULE_H

#include "diag/diag.h"
#include "engine/engine.h"
#include "model/model.h"

typedef struct rule_input {
    const model_tu *const *tus; /* the program */
    size_t ntus;
    const eng_result *eng;      /* the engine's findings over it */
} rule_input;

typedef struct rule {
    const char *id;       /* kebab-case, as in [rule-id] and rules/<id>.md */
    const char *summary;  /* one line, the first sentence of the doc */
    int rank;             /* lower: more specific; speaks first for a shared finding */
    /* Reports findings. Returns 0, or -1 if the rule itself failed (a tool
     * error, not a finding). */
    int (*run)(const rule_input *in, diag_list *out);
} rule;

/* The registry built from rules/list.h. */
extern const rule *const rule_registry[];
extern const size_t rule_count;
const rule *rule_find(const char *id);

#endif /* TETHER_RULE_H */
