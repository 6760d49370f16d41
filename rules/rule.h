/* rule.h — what a rule is: a name, a one-line summary and a run function
 * that reads the model and reports findings. Rules include only this header,
 * the model and diag: never libclang or tree-sitter. */
#ifndef TETHER_RULE_H
#define TETHER_RULE_H

#include "diag/diag.h"
#include "model/model.h"

typedef struct rule {
    const char *id;       /* kebab-case, as in [rule-id] and rules/<id>.md */
    const char *summary;  /* one line, the first sentence of the doc */
    /* Reports findings for one file. Returns 0, or -1 if the rule itself
     * failed (a tool error, not a finding). */
    int (*run)(const model_tu *tu, diag_list *out);
} rule;

/* The registry built from rules/list.h. */
extern const rule *const rule_registry[];
extern const size_t rule_count;
const rule *rule_find(const char *id);

#endif /* TETHER_RULE_H */
