/* config_find.c — which `.tether.yml` applies to a file: the nearest one in
 * its folder or above (or the forced one), merged with its parents' when it
 * says `inherit: true`; each file parsed once and each folder looked up
 * once per run. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rule.h"

/* A folder's answer: the effective config (NULL: none applies), or the
 * error its config gave. */
typedef struct cf_entry {
    char *dir;
    const config *cfg;
    char *err;
} cf_entry;

struct config_cache {
    char *forced;             /* --config FILE, or NULL */
    char *cwd;
    cf_entry *dirs;           /* folder -> effective config, open addressing */
    size_t cap, n;
    config **owned;           /* parsed files and merged configs */
    size_t nowned;
};

static void *cf__alloc(size_t n)
{
    void *v = calloc(1, n ? n : 1);
    if (!v) {
        fputs("tether: error: out of memory\n", stderr);
        abort();
    }
    return v;
}

static char *cf__strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(cf__alloc(n), s, n);
}

char *config_abs_path(const char *path)
{
    char cwd[4096];
    size_t pl = strlen(path);
    char *joined;
    if (path[0] == '/') {
        joined = malloc(pl + 1);
        if (joined)
            memcpy(joined, path, pl + 1);
    } else {
        if (!getcwd(cwd, sizeof cwd))
            return NULL;
        size_t n = strlen(cwd) + pl + 2;
        joined = malloc(n);
        if (joined)
            snprintf(joined, n, "%s/%s", cwd, path);
    }
    if (!joined)
        return NULL;
    /* lexically: drop `.` and empty parts, `..` takes one back */
    char *out = joined; /* written in place: out never passes the reader */
    size_t w = 0;
    for (char *r = joined; *r;) {
        while (*r == '/')
            r++;
        char *e = r;
        while (*e && *e != '/')
            e++;
        size_t len = (size_t)(e - r);
        if (len == 0)
            break;
        if (len == 1 && r[0] == '.') {
            /* nothing */
        } else if (len == 2 && r[0] == '.' && r[1] == '.') {
            while (w > 0 && out[w - 1] != '/')
                w--;
            if (w > 0)
                w--;
        } else {
            out[w++] = '/';
            memmove(out + w, r, len);
            w += len;
        }
        r = e;
    }
    if (w == 0)
        out[w++] = '/';
    out[w] = '\0';
    return out;
}

config_cache *config_cache_new(const char *forced)
{
    config_cache *cc = cf__alloc(sizeof *cc);
    cc->forced = forced ? cf__strdup(forced) : NULL;
    char cwd[4096];
    cc->cwd = cf__strdup(getcwd(cwd, sizeof cwd) ? cwd : "/");
    return cc;
}

void config_cache_free(config_cache *cc)
{
    if (!cc)
        return;
    for (size_t i = 0; i < cc->cap; i++) {
        free(cc->dirs[i].dir);
        free(cc->dirs[i].err);
    }
    for (size_t i = 0; i < cc->nowned; i++)
        config_free(cc->owned[i]);
    free(cc->owned);
    free(cc->dirs);
    free(cc->cwd);
    free(cc->forced);
    free(cc);
}

static void cf__own(config_cache *cc, config *c)
{
    cc->owned = realloc(cc->owned, (cc->nowned + 1) * sizeof *cc->owned);
    if (!cc->owned)
        abort();
    cc->owned[cc->nowned++] = c;
}

static size_t cf__hash(const char *s)
{
    size_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static cf_entry *cf__slot(config_cache *cc, const char *dir)
{
    if (cc->n * 2 >= cc->cap) {
        size_t cap = cc->cap ? cc->cap * 2 : 64;
        cf_entry *v = cf__alloc(cap * sizeof *v);
        for (size_t i = 0; i < cc->cap; i++) {
            if (!cc->dirs[i].dir)
                continue;
            size_t j = cf__hash(cc->dirs[i].dir) & (cap - 1);
            while (v[j].dir)
                j = (j + 1) & (cap - 1);
            v[j] = cc->dirs[i];
        }
        free(cc->dirs);
        cc->dirs = v;
        cc->cap = cap;
    }
    size_t j = cf__hash(dir) & (cc->cap - 1);
    while (cc->dirs[j].dir && strcmp(cc->dirs[j].dir, dir) != 0)
        j = (j + 1) & (cc->cap - 1);
    return &cc->dirs[j];
}

/* The path as messages show it: relative to the working directory when
 * inside it. */
static const char *cf__shown(const config_cache *cc, const char *abs)
{
    size_t n = strlen(cc->cwd);
    if (strcmp(cc->cwd, "/") != 0 && strncmp(abs, cc->cwd, n) == 0 && abs[n] == '/')
        return abs + n + 1;
    return abs;
}

/* A copy of parent overridden by child, key by key. */
static config *cf__merge(const config *parent, const config *child)
{
    config *m = cf__alloc(sizeof *m);
    m->path = cf__strdup(child->path);
    m->dir = cf__strdup(child->dir);
    m->inherit = true;
    m->frontend = child->frontend ? child->frontend : parent->frontend;
    const char *db = child->compdb ? child->compdb : parent->compdb;
    m->compdb = db ? cf__strdup(db) : NULL;
    m->rules = cf__alloc(rule_count * sizeof *m->rules);
    for (size_t i = 0; i < rule_count; i++) {
        m->rules[i] = parent->rules[i];
        if (child->rules[i].enabled >= 0)
            m->rules[i].enabled = child->rules[i].enabled;
        if (child->rules[i].severity != CONFIG_SEV_UNSET)
            m->rules[i].severity = child->rules[i].severity;
    }
    m->nexclude = parent->nexclude + child->nexclude;
    m->exclude = cf__alloc(m->nexclude * sizeof *m->exclude);
    for (size_t i = 0; i < m->nexclude; i++) {
        const config_glob *g = i < parent->nexclude ? &parent->exclude[i]
                                                    : &child->exclude[i - parent->nexclude];
        m->exclude[i] = (config_glob){ g->dir, cf__strdup(g->pattern) };
    }
    /* the child's aliases, then the parent's it does not rename */
    m->aliases = cf__alloc((parent->naliases + child->naliases) * sizeof *m->aliases);
    for (size_t i = 0; i < child->naliases; i++)
        m->aliases[m->naliases++] = (frontend_alias){ cf__strdup(child->aliases[i].name),
                                                      child->aliases[i].target };
    for (size_t i = 0; i < parent->naliases; i++) {
        bool renamed = false;
        for (size_t j = 0; j < child->naliases && !renamed; j++)
            renamed = strcmp(child->aliases[j].name, parent->aliases[i].name) == 0;
        if (!renamed)
            m->aliases[m->naliases++] = (frontend_alias){ cf__strdup(parent->aliases[i].name),
                                                          parent->aliases[i].target };
    }
    return m;
}

static int cf__effective(config_cache *cc, const char *dir, const config **out, char *err,
                         size_t errsize);

/* The parent folder of an absolute folder, in buf; false at the root. */
static bool cf__parent(const char *dir, char *buf, size_t size)
{
    if (strcmp(dir, "/") == 0)
        return false;
    snprintf(buf, size, "%s", dir);
    char *slash = strrchr(buf, '/');
    if (!slash)
        return false;
    *(slash == buf ? slash + 1 : slash) = '\0';
    return true;
}

/* The config file at path (as shown in messages), with its parents' when
 * it inherits. */
static int cf__file(config_cache *cc, const char *path, const config **out, char *err,
                    size_t errsize)
{
    config *c = NULL;
    if (config_load(path, &c, err, errsize) != 0)
        return -1;
    cf__own(cc, c);
    *out = c;
    if (!c->inherit)
        return 0;
    char up[4096];
    const config *parent = NULL;
    if (cf__parent(c->dir, up, sizeof up) && cf__effective(cc, up, &parent, err, errsize) != 0)
        return -1;
    if (parent) {
        config *m = cf__merge(parent, c);
        cf__own(cc, m);
        *out = m;
    }
    return 0;
}

/* The effective config of a folder (absolute), memoized. */
static int cf__effective(config_cache *cc, const char *dir, const config **out, char *err,
                         size_t errsize)
{
    cf_entry *e = cf__slot(cc, dir);
    if (e->dir) {
        if (e->err) {
            snprintf(err, errsize, "%s", e->err);
            return -1;
        }
        *out = e->cfg;
        return 0;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s%s" CONFIG_FILE_NAME, dir, strcmp(dir, "/") == 0 ? "" : "/");
    struct stat st;
    const config *cfg = NULL;
    int rc = 0;
    char up[4096];
    if (stat(path, &st) == 0 && !S_ISDIR(st.st_mode))
        rc = cf__file(cc, cf__shown(cc, path), &cfg, err, errsize);
    else if (cf__parent(dir, up, sizeof up))
        rc = cf__effective(cc, up, &cfg, err, errsize);
    e = cf__slot(cc, dir); /* the table may have grown meanwhile */
    e->dir = cf__strdup(dir);
    e->cfg = rc == 0 ? cfg : NULL;
    e->err = rc == 0 ? NULL : cf__strdup(err);
    cc->n++;
    *out = e->cfg;
    return rc;
}

int config_for_file(config_cache *cc, const char *path, const config **out, char *err,
                    size_t errsize)
{
    *out = NULL;
    if (cc->forced) {
        /* parsed once: the cache's entry for the key "" (no folder is "") */
        cf_entry *e = cf__slot(cc, "");
        if (!e->dir) {
            const config *cfg = NULL;
            int rc = cf__file(cc, cc->forced, &cfg, err, errsize);
            e = cf__slot(cc, "");
            e->dir = cf__strdup("");
            e->cfg = rc == 0 ? cfg : NULL;
            e->err = rc == 0 ? NULL : cf__strdup(err);
            cc->n++;
        }
        if (e->err) {
            snprintf(err, errsize, "%s", e->err);
            return -1;
        }
        *out = e->cfg;
        return 0;
    }
    char *abs = config_abs_path(path);
    if (!abs) {
        snprintf(err, errsize, "%s: out of memory", path);
        return -1;
    }
    char *slash = strrchr(abs, '/');
    *(slash == abs ? slash + 1 : slash) = '\0';
    int rc = cf__effective(cc, abs, out, err, errsize);
    free(abs);
    return rc;
}
