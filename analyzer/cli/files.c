/* files.c — collecting the files of `tether check` (files.h). */
#include "files.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

/* Appends the *.c files under dir (depth-limited against symlink loops). */
static int files__walk(file_list *list, const char *dir, int depth, files_error_fn err, void *ctx)
{
    DIR *d = opendir(dir);
    if (!d) {
        err(ctx, dir, strerror(errno));
        return -1;
    }
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char *p = files__join(dir, e->d_name);
        struct stat st;
        if (stat(p, &st) != 0) {
            free(p); /* a dangling link: not a file to analyze */
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            if (depth < 64 && files__walk(list, p, depth + 1, err, ctx) != 0)
                rc = -1;
            free(p);
        } else if (S_ISREG(st.st_mode) && files__is_c(e->d_name)) {
            files__push(list, p);
        } else {
            free(p);
        }
    }
    closedir(d);
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
        size_t before = list->n;
        int rc = files__walk(list, path, 0, err, ctx);
        if (list->n - before > 1)
            qsort(list->paths + before, list->n - before, sizeof *list->paths, files__cmp);
        if (rc == 0 && list->n == before) {
            err(ctx, path, "no .c files in this directory");
            return -1;
        }
        return rc;
    }
    if (!S_ISREG(st.st_mode)) {
        err(ctx, path, "not a regular file");
        return -1;
    }
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
    list->n = list->cap = 0;
}
