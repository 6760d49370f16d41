/* files.c — collecting the files of `tether check` (files.h). */
#include "files.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The files and folders met, by device and inode: open addressing. */
typedef struct files_key {
    dev_t dev;
    ino_t ino;
    bool used;
} files_key;

struct files_seen {
    files_key *slots;
    size_t n, cap;     /* cap a power of two */
};

static void *files__xcalloc(size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (!p) {
        fputs("tether: error: out of memory\n", stderr);
        abort();
    }
    return p;
}

static size_t files__hash(dev_t dev, ino_t ino, size_t cap)
{
    unsigned long long h = (unsigned long long)ino * 0x9E3779B97F4A7C15ull ^ (unsigned long long)dev;
    return (size_t)(h ^ (h >> 29)) & (cap - 1);
}

/* Adds (dev, ino) to seen; false when it was there already. */
static bool files__first_time(file_list *list, const struct stat *st)
{
    files_seen *s = list->seen;
    if (!s)
        s = list->seen = files__xcalloc(1, sizeof *s);
    if (2 * (s->n + 1) > s->cap) {
        files_seen grown = { files__xcalloc(s->cap ? s->cap * 2 : 256, sizeof(files_key)), 0,
                             s->cap ? s->cap * 2 : 256 };
        for (size_t i = 0; i < s->cap; i++)
            if (s->slots[i].used) {
                size_t k = files__hash(s->slots[i].dev, s->slots[i].ino, grown.cap);
                while (grown.slots[k].used)
                    k = (k + 1) & (grown.cap - 1);
                grown.slots[k] = s->slots[i];
                grown.n++;
            }
        free(s->slots);
        *s = grown;
    }
    size_t k = files__hash(st->st_dev, st->st_ino, s->cap);
    for (; s->slots[k].used; k = (k + 1) & (s->cap - 1))
        if (s->slots[k].dev == st->st_dev && s->slots[k].ino == st->st_ino)
            return false;
    s->slots[k] = (files_key){ st->st_dev, st->st_ino, true };
    s->n++;
    return true;
}

/* The folders being walked, outermost first (to tell a loop). */
typedef struct files_walk {
    const struct files_walk *up;
    const char *path;
    dev_t dev;
    ino_t ino;
} files_walk;

static const files_walk *files__ancestor(const files_walk *w, const struct stat *st)
{
    for (; w; w = w->up)
        if (w->dev == st->st_dev && w->ino == st->st_ino)
            return w;
    return NULL;
}

static void files__push(file_list *list, char *path)
{
    if (list->n == list->cap) {
        list->cap = list->cap ? list->cap * 2 : 64;
        char **p = realloc(list->paths, list->cap * sizeof *p);
        if (!p) {
            fputs("tether: error: out of memory\n", stderr);
            abort();
        }
        list->paths = p;
    }
    list->paths[list->n++] = path;
}

static int files__cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *files__join(const char *dir, const char *name)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    char *p = malloc(n + strlen(name) + 2);
    if (!p) {
        fputs("tether: error: out of memory\n", stderr);
        abort();
    }
    sprintf(p, "%.*s/%s", (int)n, dir, name);
    return p;
}

static bool files__is_c(const char *name)
{
    size_t n = strlen(name);
    return n > 2 && strcmp(name + n - 2, ".c") == 0;
}

/* Appends the *.c files under w->path (depth-limited as well). */
static int files__walk(file_list *list, const files_walk *w, int depth, size_t *found, files_error_fn err,
                       void *ctx)
{
    /* In name order, real entries before symbolic links, so the name kept
     * for a file met twice is its own when it has one, and does not depend
     * on the file system. */
    struct dirent **ents = NULL;
    int nents = scandir(w->path, &ents, NULL, alphasort);
    if (nents < 0) {
        err(ctx, w->path, strerror(errno));
        return -1;
    }
    int rc = 0;
    for (int k = 0; k < 2 * nents; k++) {
        const struct dirent *e = ents[k % nents];
        if (e->d_name[0] == '.' || (e->d_type == DT_LNK) != (k >= nents))
            continue;
        char *p = files__join(w->path, e->d_name);
        struct stat st;
        if (stat(p, &st) != 0) {
            if (errno == ELOOP) {
                err(ctx, p, strerror(errno));
                rc = -1;
            }
            free(p); /* else a dangling link: not a file to analyze */
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            const files_walk *a = files__ancestor(w, &st);
            if (a) {
                char msg[PATH_MAX + 64];
                snprintf(msg, sizeof msg, "symbolic link loop (back to %s): not followed", a->path);
                err(ctx, p, msg);
                rc = -1;
            } else if (files__first_time(list, &st) && depth < 64) {
                files_walk sub = { w, p, st.st_dev, st.st_ino };
                if (files__walk(list, &sub, depth + 1, found, err, ctx) != 0)
                    rc = -1;
            }
            free(p);
        } else if (S_ISREG(st.st_mode) && files__is_c(e->d_name)) {
            (*found)++;
            if (files__first_time(list, &st))
                files__push(list, p);
            else
                free(p);
        } else {
            free(p);
        }
    }
    for (int i = 0; i < nents; i++)
        free(ents[i]);
    free(ents);
    return rc;
}

int files_add(file_list *list, const char *path, files_error_fn err, void *ctx)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        err(ctx, path, strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        if (!files__first_time(list, &st))
            return 0; /* named twice, or inside a folder named before */
        size_t before = list->n, found = 0;
        files_walk top = { NULL, path, st.st_dev, st.st_ino };
        int rc = files__walk(list, &top, 0, &found, err, ctx);
        if (list->n - before > 1)
            qsort(list->paths + before, list->n - before, sizeof *list->paths, files__cmp);
        if (rc == 0 && found == 0) {
            err(ctx, path, "no .c files in this directory");
            return -1;
        }
        return rc;
    }
    if (!S_ISREG(st.st_mode)) {
        err(ctx, path, "not a regular file");
        return -1;
    }
    if (!files__first_time(list, &st))
        return 0; /* named twice, or also found in a folder named before */
    char *p = strdup(path);
    if (!p) {
        fputs("tether: error: out of memory\n", stderr);
        abort();
    }
    files__push(list, p);
    return 0;
}

void files_free(file_list *list)
{
    for (size_t i = 0; i < list->n; i++)
        free(list->paths[i]);
    free(list->paths);
    list->paths = NULL;
    if (list->seen)
        free(list->seen->slots);
    free(list->seen);
    list->seen = NULL;
    list->n = list->cap = 0;
}
