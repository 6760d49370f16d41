/* files.h — turning the PATHS of `tether check` into the sorted list of C
 * files to analyze. */
#ifndef TETHER_CLI_FILES_H
#define TETHER_CLI_FILES_H

#include <stdbool.h>
#include <stddef.h>

typedef struct file_list {
    char **paths;
    size_t n, cap;
} file_list;

/* How a problem with a path is told: its path and one sentence. */
typedef void (*files_error_fn)(void *ctx, const char *path, const char *msg);

/* Adds `path`: a file as named, or every *.c under a directory (recursively,
 * skipping hidden directories), sorted. On a problem calls err once per
 * path concerned and returns -1. */
int files_add(file_list *list, const char *path, files_error_fn err, void *ctx);
void files_free(file_list *list);

#endif /* TETHER_CLI_FILES_H */
