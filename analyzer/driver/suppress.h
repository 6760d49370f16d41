/* suppress.h — suppression comments, applied to findings after the rules
 * ran, from the source text alone. tether's own shapes:
 *   tether:ignore               every rule, on this line
 *   tether:ignore(a,b)          rules a and b, on this line
 *   tether:ignore-next-line(a)  on the next line (no list = every rule)
 *   tether:ignore-begin(a) ... tether:ignore-end   on the lines in between
 * and clang-tidy's, with checks named tether-<rule-id> (globs allowed):
 *   NOLINT, NOLINT(tether-a,tether-b), NOLINTNEXTLINE(...),
 *   NOLINTBEGIN(...) ... NOLINTEND(...)
 * A NOLINT without a list covers every rule, as in clang-tidy; one whose
 * list names only other tools' checks (bugprone-*) covers none. A begin
 * without an end suppresses nothing (and is reported). */
#ifndef TETHER_DRIVER_SUPPRESS_H
#define TETHER_DRIVER_SUPPRESS_H

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
/* Calls report once per problem in the comments, with its line and one
 * sentence: a begin with no end (it suppresses nothing), an end with no
 * begin, a rule name known_rule does not know. */
void sup_check(const sup_set *self, bool (*known_rule)(const char *id),
               void (*report)(void *ctx, unsigned line, const char *msg), void *ctx);
/* Drops the suppressed findings of `list` and remembers which comments
 * suppressed something; returns how many it dropped. */
size_t sup_apply(sup_set *self, diag_list *list);
/* Adds to `out` a warning of rule `id` (in file `path`) at each comment that
 * suppressed nothing in sup_apply, for the comments that speak to tether
 * (tether:ignore..., or NOLINT... naming a tether- check: a bare NOLINT may
 * be meant for clang-tidy) and whose rules all ran (`ran(rule)`; `ran(NULL)`:
 * whether every rule ran). */
size_t sup_report_unused(const sup_set *self, const char *path, const char *id,
                         bool (*ran)(const char *rule, void *ctx), void *ctx, diag_list *out);

#endif /* TETHER_DRIVER_SUPPRESS_H */
