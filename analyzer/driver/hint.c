/* hint.c — where a missing header is (hint for a compile error) and which
 * project headers a file includes, from its text (driver_impl.h). */
#include <dirent.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driver/cmdline.h"
#include "driver/driver_impl.h"
#include "driver/util.h"

/* The search for a missing header looks at this many folder entries at
 * most, so a huge tree costs little. */
static const size_t hint__budget = 20000;

/* Breadth-first under `top` for a file whose path ends with "/<header>";
 * returns the folder to pass with -I (malloc'd), or NULL. */
static char *hint__find(const char *top, const char *header)
{
    size_t cap = 64, head = 0, tail = 0, seen = 0;
    char **queue = driver_xmalloc(cap * sizeof *queue);
    queue[tail++] = driver_xstrdup(top);
    char *found = NULL;
    while (head < tail && !found && seen < hint__budget) {
        char *dir = queue[head++];
        char *cand = driver_xasprintf("%s/%s", dir, header);
        struct stat st;
        if (stat(cand, &st) == 0 && S_ISREG(st.st_mode))
            found = driver_xstrdup(dir);
        free(cand);
        DIR *dh = found ? NULL : opendir(dir);
        struct dirent *e;
        while (dh && (e = readdir(dh)) != NULL && seen++ < hint__budget) {
            if (e->d_name[0] == '.')
                continue;
            char *sub = driver_xasprintf("%s/%s", dir, e->d_name);
            if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode)) {
                if (tail == cap)
                    queue = driver_xrealloc(queue, (cap *= 2) * sizeof *queue);
                queue[tail++] = sub;
            } else {
                free(sub);
            }
        }
        if (dh)
            closedir(dh);
    }
    for (size_t i = 0; i < tail; i++)
        free(queue[i]);
    free(queue);
    return found;
}

char *driver_missing_header_hint(const driver *d, const char *header, const char *file)
{
    char cwd[PATH_MAX];
    char *dir = getcwd(cwd, sizeof cwd) ? hint__find(cwd, header) : NULL;
    char *in_db = NULL;
    if (d->db) {
        size_t n = 0;
        char **args = compdb_args(d->db, file, &n);
        if (!args)
            in_db = driver_xasprintf(" (%s is not in %s, so it got the default flags)", file,
                                     compdb_path(d->db));
        cmdline_free(args, n);
    }
    char *hint;
    if (dir) {
        char *rel = driver_report_path(dir);
        hint = driver_xasprintf("'%s' is in %s: pass -I%s after `--` (tether check FILE -- -I%s), or "
                                "-p with the build's compile_commands.json%s",
                                header, rel, rel, rel, in_db ? in_db : "");
        free(rel);
    } else {
        hint = driver_xasprintf("pass the folder that holds '%s' with -I after `--` (tether check FILE -- "
                                "-IDIR), or -p with the build's compile_commands.json%s",
                                header, in_db ? in_db : "");
    }
    free(dir);
    free(in_db);
    return hint;
}

/* The folders -iquote and -I name, in order (quote folders first). */
static size_t hint__search_dirs(const char *const *args, size_t nargs, const char **out)
{
    size_t n = 0;
    for (int pass = 0; pass < 2; pass++) {
        const char *opt = pass == 0 ? "-iquote" : "-I";
        size_t len = strlen(opt);
        for (size_t i = 0; i < nargs; i++) {
            if (strncmp(args[i], opt, len) != 0)
                continue;
            if (args[i][len])
                out[n++] = args[i] + len;
            else if (i + 1 < nargs)
                out[n++] = args[++i];
        }
    }
    return n;
}

char **driver_quoted_includes(const char *path, const char *text, size_t len, const char *const *args,
                              size_t nargs, size_t *n)
{
    const char **dirs = driver_xmalloc((nargs + 2) * sizeof *dirs);
    const char *slash = strrchr(path, '/');
    char *own = slash ? driver_xstrndup(path, (size_t)(slash - path)) : driver_xstrdup(".");
    size_t nd = 0;
    dirs[nd++] = own;
    nd += hint__search_dirs(args, nargs, dirs + nd);
    char **out = NULL;
    *n = 0;
    for (size_t p = 0; p < len;) {
        const char *line = text + p, *eol = memchr(line, '\n', len - p);
        size_t ll = eol ? (size_t)(eol - line) : len - p;
        p += ll + 1;
        size_t i = 0;
        while (i < ll && (line[i] == ' ' || line[i] == '\t'))
            i++;
        if (i >= ll || line[i] != '#')
            continue;
        for (i++; i < ll && (line[i] == ' ' || line[i] == '\t'); i++)
            ;
        if (ll - i < 8 || strncmp(line + i, "include", 7) != 0)
            continue;
        for (i += 7; i < ll && (line[i] == ' ' || line[i] == '\t'); i++)
            ;
        if (i >= ll || line[i] != '"')
            continue;
        const char *name = line + i + 1, *close = memchr(name, '"', ll - i - 1);
        if (!close || close == name)
            continue;
        char *inc = driver_xstrndup(name, (size_t)(close - name));
        for (size_t k = 0; k < nd; k++) {
            char *cand = inc[0] == '/' ? driver_xstrdup(inc) : driver_xasprintf("%s/%s", dirs[k], inc);
            struct stat st;
            if (stat(cand, &st) == 0 && S_ISREG(st.st_mode)) {
                out = driver_xrealloc(out, (*n + 1) * sizeof *out);
                out[(*n)++] = cand;
                break;
            }
            free(cand);
        }
        free(inc);
    }
    free(own);
    free(dirs);
    return out;
}
