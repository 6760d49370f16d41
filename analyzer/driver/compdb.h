/* compdb.h — compiler arguments from a compile_commands.json, found as
 * clang-tidy's -p finds it, read with cJSON (no libclang needed). */
#ifndef TETHER_DRIVER_COMPDB_H
#define TETHER_DRIVER_COMPDB_H

#include <stddef.h>

typedef struct compdb compdb;

/* `where` is a compile_commands.json file, or a folder: that folder's
 * compile_commands.json, else its parent's, and so up to the root. NULL
 * with one line in err (naming the file, and the line for bad JSON) when
 * none is found or it is not a list of compile commands. */
compdb *compdb_open(const char *where, char *err, size_t errsize);
void compdb_close(compdb *self);
/* The path of the file that was read. */
const char *compdb_path(const compdb *self);
/* The flags of the file's own command (cmdline_flags: no compiler, -c, -o
 * or sources; relative paths made absolute); NULL if the file is not in
 * the database. Free with cmdline_free. Thread-safe. */
char **compdb_args(const compdb *self, const char *file, size_t *argc);
/* The files the database names (absolute real paths, sorted, once each).
 * Borrowed: valid until compdb_close. */
const char *const *compdb_files(const compdb *self, size_t *n);

#endif /* TETHER_DRIVER_COMPDB_H */
