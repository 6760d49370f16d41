/* registry.c — the rule registry, built from rules/list.h. */
#include <stddef.h>
#include <string.h>

#include "rule.h"

#define RULE(name) extern const rule rule_##name;
#include "list.h"
#undef RULE

const rule *const rule_registry[] = {
#define RULE(name) &rule_##name,
#include "list.h"
#undef RULE
};

const size_t rule_count = sizeof rule_registry / sizeof rule_registry[0];

const rule *rule_find(const char *id)
{
    for (size_t i = 0; id && i < rule_count; i++)
        if (strcmp(rule_registry[i]->id, id) == 0)
            return rule_registry[i];
    return NULL;
}
