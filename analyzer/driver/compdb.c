/* compdb.c — reading compile_commands.json (compdb.h). */
#include "driver/compdb.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "driver/cmdline.h"
#include "driver/util.h"

typedef struct compdb_entry {
    char *real;           /* the file's real path (the sort key) */
    char *dir;            /* "directory" */
    char **argv;          /* the whole command, compiler first */
    size_t argc;
    size_t order;         /* position in the file: the first entry of a file wins */
} compdb_entry;

struct compdb {
    char *path;
    compdb_entry *entries; /* sorted by real path; the first entry of a file wins */
    size_t n;
    const char **files;    /* entries' real paths, distinct */
    size_t nfiles;
};

/* Finds compile_commands.json from `where` (file, or folder and parents). */
static char *compdb__find(const char *where, char *err, size_t errsize)
{
    struct stat st;
    if (stat(where, &st) != 0) {
        snprintf(err, errsize, "%s: %s (-p takes a build folder or its compile_commands.json)", where,
                 strerror(errno));
        return NULL;
    }
    if (!S_ISDIR(st.st_mode))
        return driver_xstrdup(where);
    char real[PATH_MAX];
    if (!realpath(where, real)) {
        snprintf(err, errsize, "%s: %s", where, strerror(errno));
        return NULL;
    }
    for (;;) {
        char *cand = driver_xasprintf("%s%scompile_commands.json", real,
                                      strcmp(real, "/") == 0 ? "" : "/");
        if (stat(cand, &st) == 0 && S_ISREG(st.st_mode))
            return cand;
        free(cand);
        char *slash = strrchr(real, '/');
        if (!slash || slash == real) {
            if (strcmp(real, "/") == 0)
                break;
            real[1] = '\0';
            continue;
        }
        *slash = '\0';
    }
    snprintf(err, errsize, "%s: no compile_commands.json in this folder or its parents", where);
    return NULL;
}

static int compdb__cmp_entry(const void *a, const void *b)
{
    const compdb_entry *x = a, *y = b;
    int c = strcmp(x->real, y->real);
    if (c != 0)
        return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* One entry; false (with err) if it lacks "directory"/"file" or a command. */
static bool compdb__entry(compdb *self, const cJSON *e, const char *path, char *err, size_t errsize)
{
    const cJSON *dir = cJSON_GetObjectItem(e, "directory"), *file = cJSON_GetObjectItem(e, "file");
    const cJSON *args = cJSON_GetObjectItem(e, "arguments"), *cmd = cJSON_GetObjectItem(e, "command");
    if (!cJSON_IsObject(e) || !cJSON_IsString(dir) || !cJSON_IsString(file)) {
        snprintf(err, errsize, "%s: every entry needs \"directory\" and \"file\" strings", path);
        return false;
    }
    if (!cJSON_IsArray(args) && !cJSON_IsString(cmd)) {
        snprintf(err, errsize, "%s: every entry needs \"arguments\" (a list) or \"command\" (a string)",
                 path);
        return false;
    }
    compdb_entry en = { 0 };
    if (cJSON_IsArray(args)) {
        en.argv = driver_xmalloc(((size_t)cJSON_GetArraySize(args) + 1) * sizeof *en.argv);
        const cJSON *a;
        cJSON_ArrayForEach(a, args) {
            if (cJSON_IsString(a))
                en.argv[en.argc++] = driver_xstrdup(a->valuestring);
        }
    } else {
        en.argv = cmdline_split(cmd->valuestring, &en.argc);
    }
    const char *f = file->valuestring;
    char *joined = f[0] == '/' ? driver_xstrdup(f) : driver_xasprintf("%s/%s", dir->valuestring, f);
    char real[PATH_MAX];
    /* A file that does not exist stays listed under its joined path: the
     * run that analyzes the database's files reports it (a stale database
     * is not silently half checked). */
    en.real = driver_xstrdup(realpath(joined, real) ? real : joined);
    free(joined);
    en.dir = driver_xstrdup(dir->valuestring);
    en.order = self->n;
    self->entries = driver_xrealloc(self->entries, (self->n + 1) * sizeof *self->entries);
    self->entries[self->n++] = en;
    return true;
}

static void compdb__free_entries(compdb *self)
{
    for (size_t i = 0; i < self->n; i++) {
        free(self->entries[i].real);
        free(self->entries[i].dir);
        cmdline_free(self->entries[i].argv, self->entries[i].argc);
    }
    free(self->entries);
}

compdb *compdb_open(const char *where, char *err, size_t errsize)
{
    char *path = compdb__find(where, err, errsize);
    if (!path)
        return NULL;
    size_t len;
    char *text = driver_read_file(path, &len, err, errsize);
    if (!text) {
        free(path);
        return NULL;
    }
    cJSON *root = cJSON_ParseWithLength(text, len);
    compdb *self = driver_xmalloc(sizeof *self);
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
        const cJSON *e;
        cJSON_ArrayForEach(e, root) {
            if (!(ok = compdb__entry(self, e, path, err, errsize)))
                break;
        }
    }
    cJSON_Delete(root);
    free(text);
    if (!ok) {
        compdb__free_entries(self);
        free(self);
        free(path);
        return NULL;
    }
    self->path = path;
    if (self->n > 1)
        qsort(self->entries, self->n, sizeof *self->entries, compdb__cmp_entry);
    self->files = driver_xmalloc((self->n + 1) * sizeof *self->files);
    for (size_t i = 0; i < self->n; i++)
        if (self->nfiles == 0 || strcmp(self->files[self->nfiles - 1], self->entries[i].real) != 0)
            self->files[self->nfiles++] = self->entries[i].real;
    return self;
}

void compdb_close(compdb *self)
{
    if (!self)
        return;
    compdb__free_entries(self);
    free(self->files);
    free(self->path);
    free(self);
}

const char *compdb_path(const compdb *self)
{
    return self->path;
}

const char *const *compdb_files(const compdb *self, size_t *n)
{
    *n = self->nfiles;
    return self->files;
}

char **compdb_args(const compdb *self, const char *file, size_t *argc)
{
    *argc = 0;
    char real[PATH_MAX];
    if (!realpath(file, real))
        return NULL;
    /* The first entry of the file (lowest index among equal keys). */
    size_t lo = 0, hi = self->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(self->entries[mid].real, real) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == self->n || strcmp(self->entries[lo].real, real) != 0)
        return NULL;
    const compdb_entry *e = &self->entries[lo];
    return cmdline_flags((const char *const *)e->argv, e->argc, e->dir, argc);
}
