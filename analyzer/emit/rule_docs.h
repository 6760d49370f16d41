/* rule_docs.h — the rule docs (rules/<rule-id>.md), embedded at build time
 * by gen_docs.cmake so that `tether explain` and the SARIF rule metadata
 * work from any directory. */
#ifndef TETHER_EMIT_RULE_DOCS_H
#define TETHER_EMIT_RULE_DOCS_H

#include <stddef.h>

typedef struct rule_doc {
    const char *id;
    const char *text;
} rule_doc;

extern const rule_doc rule_docs[];
extern const size_t rule_docs_count;

#endif /* TETHER_EMIT_RULE_DOCS_H */
