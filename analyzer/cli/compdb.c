/* compdb.c — reading compile_commands.json with libclang (compdb.h). */
#include "compdb.h"

#include <clang-c/CXCompilationDatabase.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct compdb {
    CXCompilationDatabase db;
    char **files;  /* real paths of the files listed in the database, sorted */
    size_t nfiles;
};

static int compdb__cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* libclang guesses commands for files that are not in the database (from
 * similar names); clang-tidy's users expect those to get the defaults, so
 * remember which files are really listed. */
static void compdb__index(compdb *self)
{
    CXCompileCommands all = clang_CompilationDatabase_getAllCompileCommands(self->db);
    unsigned n = all ? clang_CompileCommands_getSize(all) : 0;
    self->files = calloc((size_t)n + 1, sizeof *self->files);
    if (!self->files) {
        fputs("tether: error: out of memory\n", stderr);
        abort();
    }
    for (unsigned i = 0; i < n; i++) {
        CXCompileCommand cmd = clang_CompileCommands_getCommand(all, i);
        CXString d = clang_CompileCommand_getDirectory(cmd);
        CXString f = clang_CompileCommand_getFilename(cmd);
        const char *file = clang_getCString(f);
        char buf[PATH_MAX], res[PATH_MAX];
        if (file[0] == '/')
            snprintf(buf, sizeof buf, "%s", file);
        else
            snprintf(buf, sizeof buf, "%s/%s", clang_getCString(d), file);
        if (realpath(buf, res)) {
            self->files[self->nfiles] = strdup(res);
            if (self->files[self->nfiles])
                self->nfiles++;
        }
        clang_disposeString(d);
        clang_disposeString(f);
    }
    if (all)
        clang_CompileCommands_dispose(all);
    qsort(self->files, self->nfiles, sizeof *self->files, compdb__cmp);
}

compdb *compdb_open(const char *dir, char *err, size_t errsize)
{
    /* Checked first: libclang prints its own messages for a missing file. */
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/compile_commands.json", dir);
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errsize, "%s: %s", path, strerror(errno));
        return NULL;
    }
    fclose(f);
    CXCompilationDatabase_Error e = CXCompilationDatabase_NoError;
    CXCompilationDatabase db = clang_CompilationDatabase_fromDirectory(dir, &e);
    if (e != CXCompilationDatabase_NoError || !db) {
        snprintf(err, errsize, "cannot load %s/compile_commands.json", dir);
        if (db)
            clang_CompilationDatabase_dispose(db);
        return NULL;
    }
    compdb *self = malloc(sizeof *self);
    if (!self) {
        clang_CompilationDatabase_dispose(db);
        snprintf(err, errsize, "out of memory");
        return NULL;
    }
    self->db = db;
    self->files = NULL;
    self->nfiles = 0;
    compdb__index(self);
    return self;
}

void compdb_close(compdb *self)
{
    if (!self)
        return;
    clang_CompilationDatabase_dispose(self->db);
    for (size_t i = 0; i < self->nfiles; i++)
        free(self->files[i]);
    free(self->files);
    free(self);
}

static char *compdb__dup(const char *s)
{
    char *d = strdup(s ? s : "");
    if (!d) {
        fputs("tether: error: out of memory\n", stderr);
        abort();
    }
    return d;
}

/* Whether arg (relative to dir) names the file whose real path is `real`. */
static bool compdb__is_file(const char *arg, const char *dir, const char *real)
{
    char buf[PATH_MAX], res[PATH_MAX];
    if (arg[0] == '/')
        snprintf(buf, sizeof buf, "%s", arg);
    else
        snprintf(buf, sizeof buf, "%s/%s", dir, arg);
    return realpath(buf, res) && strcmp(res, real) == 0;
}

char **compdb_args(compdb *self, const char *file, size_t *argc)
{
    char real[PATH_MAX];
    *argc = 0;
    if (!realpath(file, real))
        return NULL;
    const char *key = real;
    if (!bsearch(&key, self->files, self->nfiles, sizeof *self->files, compdb__cmp))
        return NULL;
    CXCompileCommands cmds = clang_CompilationDatabase_getCompileCommands(self->db, real);
    if (!cmds)
        return NULL;
    char **out = NULL;
    if (clang_CompileCommands_getSize(cmds) > 0) {
        CXCompileCommand cmd = clang_CompileCommands_getCommand(cmds, 0);
        unsigned n = clang_CompileCommand_getNumArgs(cmd);
        CXString d = clang_CompileCommand_getDirectory(cmd);
        char *dir = compdb__dup(clang_getCString(d));
        clang_disposeString(d);
        out = calloc((size_t)n + 3, sizeof *out);
        if (!out) {
            fputs("tether: error: out of memory\n", stderr);
            abort();
        }
        size_t k = 0;
        for (unsigned i = 1; i < n; i++) {
            CXString s = clang_CompileCommand_getArg(cmd, i);
            const char *a = clang_getCString(s);
            bool skip = false;
            if (strcmp(a, "-c") == 0 || strcmp(a, "--") == 0) {
                skip = true;
            } else if (strcmp(a, "-o") == 0) {
                skip = true;
                i++; /* and its operand */
            } else if (strncmp(a, "-o", 2) == 0) {
                skip = true;
            } else if (a[0] != '-' && compdb__is_file(a, dir, real)) {
                skip = true;
            }
            if (!skip)
                out[k++] = compdb__dup(a);
            clang_disposeString(s);
        }
        out[k++] = compdb__dup("-working-directory");
        out[k++] = dir;
        *argc = k;
    }
    clang_CompileCommands_dispose(cmds);
    return out;
}

void compdb_free_args(char **args, size_t argc)
{
    if (!args)
        return;
    for (size_t i = 0; i < argc; i++)
        free(args[i]);
    free(args);
}
