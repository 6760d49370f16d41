/* cmdline.h — compiler command lines: splitting a compile_commands.json
 * "command" string as a POSIX shell would, and keeping from a compile
 * command the flags that matter to a parse. */
#ifndef TETHER_DRIVER_CMDLINE_H
#define TETHER_DRIVER_CMDLINE_H

#include <stddef.h>

/* Splits `command` into words: blanks separate, '...' and "..." quote,
 * backslash escapes. Returns a malloc'd array of *argc malloc'd strings. */
char **cmdline_split(const char *command, size_t *argc);

/* The flags of a compile command argv[0..argc) as clang-tidy keeps them:
 * without the compiler (and a launcher before it), -c, -o OUT, dependency
 * file options (-MD, -MF FILE, -MT T, ...) and the source files; a path
 * operand (-I inc, -Iinc, -isystem x, --sysroot=x, ...) made absolute
 * against `dir` when `dir` is not NULL. Positional words (the compiler,
 * the sources) are recognized as such: any word that is not an option nor
 * an option's operand. Returns a malloc'd array of *n malloc'd strings. */
char **cmdline_flags(const char *const *argv, size_t argc, const char *dir, size_t *n);

/* The positional words of a command line (the compiler, a launcher, the
 * sources): words that are neither options nor an option's operand.
 * Returns a malloc'd array of *n malloc'd strings. */
char **cmdline_positional(const char *const *argv, size_t argc, size_t *n);

void cmdline_free(char **v, size_t n);

#endif /* TETHER_DRIVER_CMDLINE_H */
