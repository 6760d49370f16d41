/* lines.c — changed lines from git (lines.h). */
#include "driver/lines.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "driver/util.h"

typedef struct lines_span {
    char *file;           /* absolute path (real path when it exists) */
    unsigned first, last; /* inclusive; last == UINT_MAX: the whole file */
} lines_span;

struct driver_lines {
    lines_span *v;
    size_t n;
};

static char *lines__abs(const char *top, const char *rel, size_t n)
{
    char *joined = driver_xasprintf("%s/%.*s", top, (int)n, rel);
    char real[PATH_MAX];
    if (realpath(joined, real)) {
        free(joined);
        return driver_xstrdup(real);
    }
    return joined;
}

static void lines__add(driver_lines *self, char *file, unsigned first, unsigned last)
{
    self->v = driver_xrealloc(self->v, (self->n + 1) * sizeof *self->v);
    self->v[self->n++] = (lines_span){ file, first, last };
}

driver_lines *lines_from_diff(const char *diff, size_t len, const char *top)
{
    driver_lines *self = driver_xmalloc(sizeof *self);
    char *file = NULL;
    for (size_t p = 0; p < len;) {
        const char *line = diff + p, *eol = memchr(line, '\n', len - p);
        size_t n = eol ? (size_t)(eol - line) : len - p;
        p += n + 1;
        if (n >= 6 && strncmp(line, "+++ ", 4) == 0) {
            free(file);
            file = NULL;
            if (n >= 6 && strncmp(line + 4, "b/", 2) == 0)
                file = lines__abs(top, line + 6, n - 6);
        } else if (n > 3 && strncmp(line, "@@ ", 3) == 0 && file) {
            /* @@ -a,b +c,d @@: lines c .. c+d-1 are new (d defaults to 1). */
            const char *plus = memchr(line, '+', n);
            if (!plus)
                continue;
            char *end;
            unsigned long c = strtoul(plus + 1, &end, 10), d = 1;
            if (*end == ',')
                d = strtoul(end + 1, NULL, 10);
            if (d > 0)
                lines__add(self, driver_xstrdup(file), (unsigned)c, (unsigned)(c + d - 1));
        }
    }
    free(file);
    return self;
}

void lines_add_file(driver_lines *self, const char *path)
{
    char real[PATH_MAX];
    lines__add(self, driver_xstrdup(realpath(path, real) ? real : path), 1, UINT_MAX);
}

void lines_free(driver_lines *self)
{
    if (!self)
        return;
    for (size_t i = 0; i < self->n; i++)
        free(self->v[i].file);
    free(self->v);
    free(self);
}

bool lines_has(const driver_lines *self, const char *path, unsigned line)
{
    char real[PATH_MAX];
    const char *p = realpath(path, real) ? real : path;
    for (size_t i = 0; i < self->n; i++)
        if (line >= self->v[i].first && line <= self->v[i].last && strcmp(self->v[i].file, p) == 0)
            return true;
    return false;
}

/* Runs argv (git ...) and returns its stdout; NULL with its stderr's first
 * line in err when it fails. */
static char *lines__run(char *const argv[], size_t *len, char *err, size_t errsize)
{
    int out[2], errp[2];
    if (pipe(out) != 0 || pipe(errp) != 0) {
        snprintf(err, errsize, "cannot run git: %s", strerror(errno));
        return NULL;
    }
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errsize, "cannot run git: %s", strerror(errno));
        return NULL;
    }
    if (pid == 0) {
        dup2(out[1], 1);
        dup2(errp[1], 2);
        close(out[0]);
        close(errp[0]);
        close(out[1]);
        close(errp[1]);
        execvp(argv[0], argv);
        fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(out[1]);
    close(errp[1]);
    size_t cap = 1 << 14, n = 0;
    char *text = driver_xmalloc(cap);
    for (ssize_t got; (got = read(out[0], text + n, cap - n - 1)) != 0;) {
        if (got < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        n += (size_t)got;
        if (n + 1 == cap)
            text = driver_xrealloc(text, cap *= 2);
    }
    text[n] = '\0';
    char ebuf[1024];
    ssize_t en = read(errp[0], ebuf, sizeof ebuf - 1);
    ebuf[en > 0 ? en : 0] = '\0';
    close(out[0]);
    close(errp[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        ebuf[strcspn(ebuf, "\n")] = '\0';
        snprintf(err, errsize, "%s", ebuf[0] ? ebuf : "git failed");
        free(text);
        return NULL;
    }
    *len = n;
    return text;
}

driver_lines *lines_from_git(const char *rev, char *err, size_t errsize)
{
    char ebuf[1024];
    size_t n;
    char *top = lines__run((char *[]){ "git", "rev-parse", "--show-toplevel", NULL }, &n, ebuf, sizeof ebuf);
    if (!top) {
        snprintf(err, errsize, "--new-from-rev %s: %s", rev, ebuf);
        return NULL;
    }
    top[strcspn(top, "\n")] = '\0';
    /* `--` after REV: REV is a revision, never a path. */
    char *revarg = driver_xstrdup(rev);
    char *diff = lines__run((char *[]){ "git", "-c", "core.quotePath=false", "diff", "--no-color", "--no-ext-diff",
                                        "--no-renames", "-U0", revarg, "--", NULL },
                            &n, ebuf, sizeof ebuf);
    free(revarg);
    if (!diff) {
        snprintf(err, errsize, "--new-from-rev %s: %s", rev, ebuf);
        free(top);
        return NULL;
    }
    driver_lines *self = lines_from_diff(diff, n, top);
    free(diff);
    char *untracked = lines__run((char *[]){ "git", "-c", "core.quotePath=false", "ls-files", "--others",
                                             "--exclude-standard", "--full-name", ":/", NULL },
                                 &n, ebuf, sizeof ebuf);
    for (size_t p = 0; untracked && p < n;) {
        const char *line = untracked + p, *eol = memchr(line, '\n', n - p);
        size_t k = eol ? (size_t)(eol - line) : n - p;
        p += k + 1;
        if (k) {
            char *abs = lines__abs(top, line, k);
            lines_add_file(self, abs);
            free(abs);
        }
    }
    free(untracked);
    free(top);
    return self;
}
