/* files.h — turning the PATHS of `tether check` into the sorted list of C
 * files to analyze. */
#ifndef TETHER_CLI_FILES_H
#define TETHER_CLI_FILES_H

#include <stdbool.h>
#include <stddef.h>

typedef struct files_seen files_seen;   /* files.c: the files and folders met */

typedef struct file_list {
    char **paths;
    size_t n, cap;
    files_seen *seen;  /* each real file is listed once, each folder walked once */
} file_list;

/* How a problem with a path is told: its path and one sentence. */
typedef void (*files_error_fn)(void *ctx, const char *path, const char *msg);

/* Adds `path`: a file as named, or every *.c under a directory (recursively,
 * skipping hidden directories), sorted. A file already in the list (the
 * same file through another name or link) is not added again; a folder is
 * walked once; a symbolic link back to a folder being walked (a loop) is an
 * error and is not followed. On a problem calls err once per path concerned
 * and returns -1. */
int files_add(file_list *list, const char *path, files_error_fn err, void *ctx);
void files_free(file_list *list);

#endif /* TETHER_CLI_FILES_H */
