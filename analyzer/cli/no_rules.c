/* no_rules.c — an empty rule registry, linked only while rules/ provides no
 * tether_rules target, so that the CLI always builds. */
#include "rule.h"

#include <string.h>

const rule *const rule_registry[] = { NULL };
const size_t rule_count = 0;

const rule *rule_find(const char *id)
{
    (void)id;
    return NULL;
}
