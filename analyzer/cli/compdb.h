/* compdb.h — compiler arguments from a compile_commands.json (`-p DIR`), as
 * clang-tidy reads them, through libclang's CXCompilationDatabase. */
#ifndef TETHER_CLI_COMPDB_H
#define TETHER_CLI_COMPDB_H

#include <stddef.h>

typedef struct compdb compdb;

/* Opens DIR/compile_commands.json; NULL (with a message in err) if absent
 * or unreadable. */
compdb *compdb_open(const char *dir, char *err, size_t errsize);
void compdb_close(compdb *self);
/* The arguments of the file's own command, without the compiler, -c, -o and
 * the file itself, plus `-working-directory DIR`; NULL if the file is not
 * in the database. Free with compdb_free_args. */
char **compdb_args(compdb *self, const char *file, size_t *argc);
void compdb_free_args(char **args, size_t argc);

#endif /* TETHER_CLI_COMPDB_H */
