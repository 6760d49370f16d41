/* cmdline.c — compiler command lines (cmdline.h). */
#include "driver/cmdline.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver/util.h"

char **cmdline_split(const char *s, size_t *argc)
{
    size_t cap = 8, n = 0;
    char **v = driver_xmalloc(cap * sizeof *v);
    size_t len = strlen(s);
    char *word = driver_xmalloc(len + 1);
    size_t w = 0;
    bool in_word = false;
    for (const char *p = s; *p; p++) {
        char c = *p;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            if (in_word) {
                if (n + 1 >= cap)
                    v = driver_xrealloc(v, (cap *= 2) * sizeof *v);
                v[n++] = driver_xstrndup(word, w);
                w = 0;
                in_word = false;
            }
            continue;
        }
        in_word = true;
        if (c == '\\' && p[1]) {
            word[w++] = *++p;
        } else if (c == '\'') {
            for (p++; *p && *p != '\''; p++)
                word[w++] = *p;
            if (!*p)
                break;
        } else if (c == '"') {
            for (p++; *p && *p != '"'; p++) {
                if (*p == '\\' && (p[1] == '"' || p[1] == '\\' || p[1] == '$' || p[1] == '`'))
                    p++;
                word[w++] = *p;
            }
            if (!*p)
                break;
        } else {
            word[w++] = c;
        }
    }
    if (in_word) {
        if (n + 1 >= cap)
            v = driver_xrealloc(v, (cap *= 2) * sizeof *v);
        v[n++] = driver_xstrndup(word, w);
    }
    free(word);
    *argc = n;
    return v;
}

/* Options dropped with the operand that follows them. */
static bool cmdline__drop_with_operand(const char *a)
{
    static const char *const opts[] = { "-o", "-MF", "-MT", "-MQ", "--serialize-diagnostics" };
    for (size_t i = 0; i < sizeof opts / sizeof *opts; i++)
        if (strcmp(a, opts[i]) == 0)
            return true;
    return false;
}

/* Options dropped alone (attached operands included: -ofile, -MFfile). */
static bool cmdline__drop(const char *a)
{
    static const char *const opts[] = { "-c", "-S", "-E", "-M", "-MM", "-MD", "-MMD", "-MP", "-MG",
                                        "-pipe", "-save-temps", "--" };
    for (size_t i = 0; i < sizeof opts / sizeof *opts; i++)
        if (strcmp(a, opts[i]) == 0)
            return true;
    return (strncmp(a, "-o", 2) == 0 && a[2]) || (strncmp(a, "-MF", 3) == 0 && a[3]) ||
           (strncmp(a, "-MT", 3) == 0 && a[3]) || (strncmp(a, "-MQ", 3) == 0 && a[3]) ||
           strncmp(a, "--driver-mode=", 14) == 0;
}

/* Options whose operand is a path, attached (`-Iinc`, `--sysroot=x`) or
 * separate (`-I inc`). Returns the option's spelling when `a` starts with
 * one, else NULL. */
static const char *cmdline__path_option(const char *a)
{
    static const char *const opts[] = { "--sysroot=", "-isystem", "-iquote", "-idirafter", "-include",
                                        "-imacros", "-isysroot", "-iprefix", "-I", "-F" };
    for (size_t i = 0; i < sizeof opts / sizeof *opts; i++)
        if (strncmp(a, opts[i], strlen(opts[i])) == 0)
            return opts[i];
    return NULL;
}

/* Options that take the next word as their operand when given alone. */
static bool cmdline__takes_operand(const char *a)
{
    static const char *const opts[] = { "-I", "-D", "-U", "-include", "-imacros", "-isystem", "-iquote",
                                        "-idirafter", "-isysroot", "-iprefix", "-iwithprefix",
                                        "-iwithprefixbefore", "-x", "-Xclang", "-Xpreprocessor",
                                        "-target", "-arch", "--sysroot", "-F", "-L", "-l", "-Xlinker",
                                        "-Xassembler", "-aux-info", "-main-file-name" };
    for (size_t i = 0; i < sizeof opts / sizeof *opts; i++)
        if (strcmp(a, opts[i]) == 0)
            return true;
    return false;
}

/* Copies arg with a relative path in it made absolute against dir
 * (`whole` = the word is an operand by itself). The database's paths are
 * relative to its "directory"; clang's -working-directory would say so too,
 * but it changes the whole process's working directory (LLVM's real file
 * system is process-wide), which races between threads. */
static char *cmdline__absolute(const char *arg, const char *dir, bool whole)
{
    const char *opt = whole ? "" : cmdline__path_option(arg);
    if (!opt || !dir)
        return driver_xstrdup(arg);
    const char *path = arg + strlen(opt);
    if (!*path || path[0] == '/')
        return driver_xstrdup(arg);
    return driver_xasprintf("%s%s/%s", opt, dir, path);
}

char **cmdline_flags(const char *const *argv, size_t argc, const char *dir, size_t *n)
{
    char **out = driver_xmalloc((argc + 1) * sizeof *out);
    size_t k = 0;
    for (size_t i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (cmdline__drop_with_operand(a)) {
            i++;
            continue;
        }
        if (a[0] != '-' || cmdline__drop(a))
            continue; /* the compiler, a launcher, a source file; -c, -MD, ... */
        if (cmdline__takes_operand(a) && i + 1 < argc) {
            bool path = cmdline__path_option(a) != NULL && strcmp(cmdline__path_option(a), a) == 0;
            out[k++] = driver_xstrdup(a);
            out[k++] = cmdline__absolute(argv[++i], dir, path);
            continue;
        }
        out[k++] = cmdline__absolute(a, dir, false);
    }
    *n = k;
    return out;
}

char **cmdline_positional(const char *const *argv, size_t argc, size_t *n)
{
    char **out = driver_xmalloc((argc + 1) * sizeof *out);
    size_t k = 0;
    for (size_t i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (cmdline__drop_with_operand(a) || (cmdline__takes_operand(a) && i + 1 < argc)) {
            i++;
            continue;
        }
        if (a[0] != '-')
            out[k++] = driver_xstrdup(a);
    }
    *n = k;
    return out;
}

void cmdline_free(char **v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}
