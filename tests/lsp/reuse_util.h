/* reuse_util.h — what the tests of the driver's reuse while typing share
 * (test_memo.c, test_roots.c): a tree-sitter driver, a run's findings as
 * text, and edits of a text. */
#ifndef TETHER_TEST_REUSE_UTIL_H
#define TETHER_TEST_REUSE_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "driver/driver.h"

/* The findings of a run as text: every place of every finding. */
typedef struct seen {
    char text[8192];
    size_t n;
} seen;

/* A tree-sitter driver, with reuse_analysis when reuse. */
driver *reuse_driver(bool reuse);
/* Runs text as path through d: the findings in *s, the run's stats. */
driver_stats reuse_run(driver *d, const char *path, const char *text, seen *s);
/* text with `from` replaced by `to` (first occurrence; it must be there),
 * in static storage that the next call but one reuses. */
const char *reuse_edit(const char *text, const char *from, const char *to);

#endif /* TETHER_TEST_REUSE_UTIL_H */
