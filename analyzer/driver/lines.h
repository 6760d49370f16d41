/* lines.h — the lines changed since a git revision (`--new-from-rev REV`,
 * as golangci-lint's): the added or modified lines of `git diff REV` (the
 * working tree against REV, staged or not) and every line of files git does
 * not track yet. */
#ifndef TETHER_DRIVER_LINES_H
#define TETHER_DRIVER_LINES_H

#include <stdbool.h>
#include <stddef.h>

#include "driver/driver.h"

/* Runs git in the current folder's repository; NULL with one line in err
 * (git's own first line) when git fails: not a repository, unknown REV. */
driver_lines *lines_from_git(const char *rev, char *err, size_t errsize);
/* Parses unified diff text (`git diff -U0`) whose paths are relative to
 * `top` (the repository's top folder). For tests and lines_from_git. */
driver_lines *lines_from_diff(const char *diff, size_t len, const char *top);
/* Marks every line of `path` as changed (an untracked file). */
void lines_add_file(driver_lines *self, const char *path);
void lines_free(driver_lines *self);
/* Whether `line` of `path` (any spelling of the path) is changed. */
bool lines_has(const driver_lines *self, const char *path, unsigned line);

#endif /* TETHER_DRIVER_LINES_H */
