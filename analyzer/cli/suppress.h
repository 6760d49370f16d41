/* suppress.h — `tether:ignore` comments (clang-tidy's NOLINT shapes), applied
 * to findings after the rules ran, from the source text alone:
 *   tether:ignore               every rule, on this line
 *   tether:ignore(a,b)          rules a and b, on this line
 *   tether:ignore-next-line(a)  on the next line (no list = every rule)
 *   tether:ignore-begin(a) ... tether:ignore-end   on the lines in between */
#ifndef TETHER_CLI_SUPPRESS_H
#define TETHER_CLI_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "diag/diag.h"

typedef struct sup_set sup_set;

/* Reads the suppression comments of a file's text. Never fails. */
sup_set *sup_parse(const char *text, size_t len);
void sup_free(sup_set *self);
/* Whether a finding of `rule` on `line` is suppressed. */
bool sup_covers(const sup_set *self, unsigned line, const char *rule);
/* Prints to `out` one warning line per problem in the comments: an
 * ignore-begin with no end (it suppresses nothing), an end with no begin,
 * a rule name known_rule does not know. */
void sup_check(const sup_set *self, const char *path, bool (*known_rule)(const char *id), FILE *out);
/* Drops the suppressed findings of `list`; returns how many it dropped. */
size_t sup_apply(const sup_set *self, diag_list *list);

#endif /* TETHER_CLI_SUPPRESS_H */
