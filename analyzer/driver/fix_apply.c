/* fix_apply.c — applying fix-its to a file's text and writing it back
 * atomically (fix_apply.h). */
#include "fix_apply.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driver/util.h"

/* One replacement of [b, e) in the text, from finding `owner`. */
typedef struct fa_edit {
    size_t b, e;
    const char *text;
    size_t owner, order;
} fa_edit;

static bool fa__offset(const src_file *src, model_loc loc, size_t *off)
{
    if (loc.line == 0 || loc.col == 0 || loc.line > src->nlines)
        return false;
    size_t start = src->line_start[loc.line - 1];
    size_t end = loc.line < src->nlines ? src->line_start[loc.line] : src->length;
    if (start + loc.col - 1 > end)
        return false;
    *off = start + loc.col - 1;
    return true;
}

/* Whether two edits cannot both be made: their ranges cross, or one
 * inserts strictly inside the other's range. Two insertions at one place
 * can (they go in the order of their findings). */
static bool fa__overlap(const fa_edit *a, const fa_edit *b)
{
    if (a->b == a->e && b->b == b->e)
        return false;
    if (a->b == a->e)
        return a->b > b->b && a->b < b->e;
    if (b->b == b->e)
        return b->b > a->b && b->b < a->e;
    return a->b < b->e && b->b < a->e;
}

static int fa__cmp(const void *pa, const void *pb)
{
    const fa_edit *a = pa, *b = pb;
    if (a->b != b->b)
        return a->b < b->b ? -1 : 1;
    /* at one place: insertions first, then in the order they were taken */
    if ((a->b == a->e) != (b->b == b->e))
        return a->b == a->e ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

char *fix_apply_text(const src_file *src, const char *path, const diag *diags, size_t n, bool *fixed, size_t *len)
{
    fa_edit *taken = NULL;
    size_t ntaken = 0, order = 0;
    for (size_t i = 0; i < n; i++) {
        const diag *d = &diags[i];
        fixed[i] = false;
        if (!d->nfixits)
            continue;
        fa_edit *mine = driver_xmalloc(d->nfixits * sizeof *mine);
        bool ok = true, dup = ntaken > 0;
        for (size_t k = 0; k < d->nfixits && ok; k++) {
            const diag_fixit *x = &d->fixits[k];
            ok = x->kind == DIAG_FIXIT_REPLACE && strcmp(x->file ? x->file : d->file, path) == 0 &&
                 fa__offset(src, x->begin, &mine[k].b) && fa__offset(src, x->end, &mine[k].e) && mine[k].b <= mine[k].e;
            mine[k].text = x->text;
            mine[k].owner = i;
            mine[k].order = order + k;
        }
        /* the same fix as one already taken (two findings, one cure) */
        for (size_t k = 0; k < d->nfixits && ok && dup; k++) {
            bool found = false;
            for (size_t t = 0; t < ntaken && !found; t++)
                found = taken[t].b == mine[k].b && taken[t].e == mine[k].e && strcmp(taken[t].text, mine[k].text) == 0;
            dup = found;
        }
        if (ok && dup) {
            fixed[i] = true;
            free(mine);
            continue;
        }
        for (size_t k = 0; k < d->nfixits && ok; k++) {
            for (size_t t = 0; t < ntaken && ok; t++)
                ok = !fa__overlap(&mine[k], &taken[t]);
            for (size_t t = 0; t < k && ok; t++)
                ok = !fa__overlap(&mine[k], &mine[t]);
        }
        if (ok) {
            taken = driver_xrealloc(taken, (ntaken + d->nfixits) * sizeof *taken);
            memcpy(taken + ntaken, mine, d->nfixits * sizeof *mine);
            ntaken += d->nfixits;
            order += d->nfixits;
            fixed[i] = true;
        }
        free(mine);
    }
    bool any = false;
    for (size_t i = 0; i < n; i++)
        any |= fixed[i];
    if (!any) {
        free(taken);
        return NULL;
    }
    qsort(taken, ntaken, sizeof *taken, fa__cmp);
    size_t cap = src->length + 1;
    for (size_t t = 0; t < ntaken; t++)
        cap += strlen(taken[t].text);
    char *out = driver_xmalloc(cap);
    size_t o = 0, at = 0;
    for (size_t t = 0; t < ntaken; t++) {
        if (taken[t].b > at) {
            memcpy(out + o, src->text + at, taken[t].b - at);
            o += taken[t].b - at;
            at = taken[t].b;
        }
        size_t tl = strlen(taken[t].text);
        memcpy(out + o, taken[t].text, tl);
        o += tl;
        if (taken[t].e > at)
            at = taken[t].e;
    }
    memcpy(out + o, src->text + at, src->length - at);
    o += src->length - at;
    out[o] = '\0';
    *len = o;
    free(taken);
    return out;
}

/* ---- writing ------------------------------------------------------------------------ */

static char *fa__read(const char *path, size_t *len)
{
    src_file *f = src_file_load(path, NULL, 0);
    if (!f)
        return NULL;
    char *t = driver_xmalloc(f->length + 1);
    memcpy(t, f->text, f->length + 1);
    *len = f->length;
    src_file_free(f);
    return t;
}

static bool fa__unchanged(const char *path, const char *expect, size_t expect_len)
{
    size_t len = 0;
    char *now = fa__read(path, &len);
    bool same = now && len == expect_len && memcmp(now, expect, len) == 0;
    free(now);
    return same;
}

int fix_write_file(const char *path, const char *expect, size_t expect_len, const char *text, size_t len,
                   char *err, size_t errsize)
{
    char real[PATH_MAX];
    if (!realpath(path, real)) {
        snprintf(err, errsize, "cannot resolve: %s", strerror(errno));
        return -1;
    }
    struct stat st;
    if (stat(real, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errsize, "not a regular file");
        return -1;
    }
    if (!fa__unchanged(real, expect, expect_len)) {
        snprintf(err, errsize, "changed since it was analyzed; not fixed (run again)");
        return -1;
    }
    char *slash = strrchr(real, '/');
    char *tmp = driver_xasprintf("%.*s/.%s.tether-fix-XXXXXX", (int)(slash - real), real, slash + 1);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(err, errsize, "cannot create a temporary file beside it: %s", strerror(errno));
        free(tmp);
        return -1;
    }
    int rc = -1;
    /* the file's mode, and its owner when we may (root fixing another's file) */
    if (fchmod(fd, st.st_mode & 07777) != 0) {
        snprintf(err, errsize, "cannot set the mode of the temporary file: %s", strerror(errno));
        goto out;
    }
    if ((st.st_uid != geteuid() || st.st_gid != getegid()) && fchown(fd, st.st_uid, st.st_gid) != 0 &&
        errno != EPERM) {
        snprintf(err, errsize, "cannot set the owner of the temporary file: %s", strerror(errno));
        goto out;
    }
    for (size_t done = 0; done < len;) {
        ssize_t w = write(fd, text + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            snprintf(err, errsize, "cannot write the temporary file: %s", strerror(errno));
            goto out;
        }
        done += (size_t)w;
    }
    if (fsync(fd) != 0) {
        snprintf(err, errsize, "cannot write the temporary file: %s", strerror(errno));
        goto out;
    }
    /* a last look right before the swap: an editor may have saved meanwhile */
    if (!fa__unchanged(real, expect, expect_len)) {
        snprintf(err, errsize, "changed since it was analyzed; not fixed (run again)");
        goto out;
    }
    if (rename(tmp, real) != 0) {
        snprintf(err, errsize, "cannot replace it: %s", strerror(errno));
        goto out;
    }
    rc = 0;
out:
    close(fd);
    if (rc != 0)
        unlink(tmp);
    free(tmp);
    return rc;
}
