/* compdb.c — reading compile_commands.json with libclang (compdb.h). */
#include "compdb.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontend/clang/fe_libclang.h"

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

/* Reads path and checks it is a JSON array of objects, so that a broken
 * database gets one clear error line. */
static bool compdb__valid_json(const char *path, char *err, size_t errsize)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errsize, "%s: %s", path, strerror(errno));
        return false;
    }
    size_t cap = 1 << 16, len = 0;
    char *text = malloc(cap);
    for (size_t got; text && (got = fread(text + len, 1, cap - len - 1, f)) > 0;) {
        len += got;
        if (len + 1 == cap) {
            char *bigger = realloc(text, cap *= 2);
            if (!bigger)
                free(text);
            text = bigger;
        }
    }
    fclose(f);
    if (!text) {
        snprintf(err, errsize, "%s: out of memory", path);
        return false;
    }
    text[len] = '\0';
    cJSON *root = cJSON_ParseWithLength(text, len);
    bool ok = root && cJSON_IsArray(root);
    if (!root) {
        const char *at = cJSON_GetErrorPtr();
        size_t line = 1;
        for (const char *p = text; at && p < at && p < text + len; p++)
            line += *p == '\n';
        snprintf(err, errsize, "%s:%zu: not valid JSON", path, line);
    } else if (!ok) {
        snprintf(err, errsize, "%s: expected a JSON array of compile commands", path);
    } else {
        const cJSON *entry;
        cJSON_ArrayForEach(entry, root) {
            if (!cJSON_IsObject(entry) || !cJSON_IsString(cJSON_GetObjectItem(entry, "directory")) ||
                !cJSON_IsString(cJSON_GetObjectItem(entry, "file"))) {
                snprintf(err, errsize, "%s: every entry needs \"directory\" and \"file\" strings", path);
                ok = false;
                break;
            }
        }
    }
    cJSON_Delete(root);
    free(text);
    return ok;
}

compdb *compdb_open(const char *dir, char *err, size_t errsize)
{
    /* Checked first: libclang prints its own messages for a missing file. */
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/compile_commands.json", dir);
    if (!compdb__valid_json(path, err, errsize))
        return NULL;
    char why[512];
    if (fe_libclang_load(why, sizeof why) != 0) {
        snprintf(err, errsize, "cannot load libclang (%s)", why);
        return NULL;
    }
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

/* Options whose operand is a path, attached (`-Iinc`, `--sysroot=x`) or
 * separate (`-I inc`). Returns the option's spelling when `arg` starts
 * with one, else NULL. */
static const char *compdb__path_option(const char *arg)
{
    static const char *const opts[] = { "--sysroot=", "-isystem", "-iquote", "-idirafter", "-include",
                                        "-imacros", "-isysroot", "-I", "-F" };
    for (size_t i = 0; i < sizeof opts / sizeof *opts; i++)
        if (strncmp(arg, opts[i], strlen(opts[i])) == 0)
            return opts[i];
    return NULL;
}

/* Copies arg with any relative path in it made absolute against the
 * command's directory. The database's paths are relative to that directory;
 * clang's -working-directory would say so too, but it changes the whole
 * process's working directory (LLVM's real file system is process-wide),
 * which breaks every later relative path and races between threads. */
static char *compdb__absolute(const char *arg, const char *dir, bool whole_is_path)
{
    const char *opt = whole_is_path ? "" : compdb__path_option(arg);
    if (!opt)
        return compdb__dup(arg);
    const char *path = arg + strlen(opt);
    if (!*path || path[0] == '/')
        return compdb__dup(arg);
    size_t len = strlen(opt) + strlen(dir) + 1 + strlen(path) + 1;
    char *out = malloc(len);
    if (!out) {
        fputs("tether: error: out of memory\n", stderr);
        abort();
    }
    snprintf(out, len, "%s%s/%s", opt, dir, path);
    return out;
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
        bool prev_takes_path = false;
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
            if (!skip) {
                /* A path operand given separately (`-I inc`): the option is
                 * copied now, its operand on the next round, made absolute. */
                const char *opt = compdb__path_option(a);
                bool takes_path = opt && strcmp(opt, a) == 0;
                out[k++] = compdb__absolute(a, dir, prev_takes_path);
                prev_takes_path = takes_path;
            }
            clang_disposeString(s);
        }
        free(dir);
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
