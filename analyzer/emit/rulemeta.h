/* rulemeta.h — what the structured formats say about each rule: short and
 * full description, help text and URI, default level. Derived from
 * rules/rule.h (id, summary) and the embedded docs (rules/<id>.md); also
 * the rule-like ids tether uses for its own findings. */
#ifndef TETHER_EMIT_RULEMETA_H
#define TETHER_EMIT_RULEMETA_H

#include <stddef.h>

typedef struct emit_rule {
    const char *id;
    const char *summary;    /* one sentence */
    const char *full;       /* a paragraph, plain text */
    const char *help;       /* the rule's doc, markdown */
    const char *help_uri;   /* TETHER_RULE_DOCS_URL + id + ".md" */
    const char *level;      /* SARIF default level: "warning" */
} emit_rule;

/* Every rule in registry order, then tether's own ids. Built once. */
const emit_rule *emit_rules(size_t *n);
/* The index of id in emit_rules, or (size_t)-1. */
size_t emit_rule_index(const char *id);

#endif /* TETHER_EMIT_RULEMETA_H */
