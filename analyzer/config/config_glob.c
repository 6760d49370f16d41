/* config_glob.c — exclude globs: matching a path relative to the folder of
 * the config that wrote the glob. */
#include "config.h"

#include <string.h>

/* One bracket expression at p ("[...]"): whether it matches c; *end is set
 * past it. A '[' with no closing ']' is a literal. */
static bool glob__class(const char *p, char c, const char **end)
{
    const char *q = p + 1;
    bool negate = *q == '!' || *q == '^';
    if (negate)
        q++;
    bool hit = false;
    const char *first = q;
    for (; *q && (*q != ']' || q == first); q++) {
        char lo = *q, hi = *q;
        if (q[1] == '-' && q[2] && q[2] != ']') {
            hi = q[2];
            q += 2;
        }
        if (c >= lo && c <= hi)
            hit = true;
    }
    if (*q != ']') {
        *end = p + 1;
        return c == '[';
    }
    *end = q + 1;
    return c != '/' && hit != negate;
}

bool config_glob_match(const char *p, const char *s)
{
    for (;;) {
        if (p[0] == '*' && p[1] == '*' && (p[2] == '/' || p[2] == '\0')) {
            /* `**`: any number of whole folders (zero included) */
            const char *rest = p[2] == '/' ? p + 3 : p + 2;
            if (!*rest)
                return true;
            for (const char *t = s;; t++) {
                if ((t == s || t[-1] == '/') && config_glob_match(rest, t))
                    return true;
                if (!*t)
                    return false;
            }
        }
        switch (*p) {
        case '\0':
            return *s == '\0';
        case '*':
            while (*p == '*')
                p++;
            for (const char *t = s;; t++) {
                if (config_glob_match(p, t))
                    return true;
                if (!*t || *t == '/')
                    return false;
            }
        case '?':
            if (!*s || *s == '/')
                return false;
            p++, s++;
            break;
        case '[': {
            const char *end;
            if (!*s || !glob__class(p, *s, &end))
                return false;
            p = end, s++;
            break;
        }
        case '\\':
            if (p[1])
                p++;
            /* fall through */
        default:
            if (*p != *s)
                return false;
            p++, s++;
            break;
        }
    }
}

bool config_excludes(const config *c, const char *abs_path)
{
    for (size_t i = 0; i < c->nexclude; i++) {
        const config_glob *g = &c->exclude[i];
        size_t dl = strlen(g->dir);
        const char *rel;
        if (strcmp(g->dir, "/") == 0)
            rel = abs_path + 1;
        else if (strncmp(abs_path, g->dir, dl) == 0 && abs_path[dl] == '/')
            rel = abs_path + dl + 1;
        else
            continue;
        /* the path itself, then each folder holding it */
        char buf[4096];
        size_t n = strlen(rel);
        if (n >= sizeof buf)
            continue;
        memcpy(buf, rel, n + 1);
        for (;;) {
            if (config_glob_match(g->pattern, buf))
                return true;
            char *slash = strrchr(buf, '/');
            if (!slash)
                break;
            *slash = '\0';
        }
    }
    return false;
}
