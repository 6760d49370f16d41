/* lsp_uri.c — file:// URIs and paths (RFC 8089, as editors send them:
 * percent-encoded, "file:///abs/path"). */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "driver/util.h"
#include "lsp/lsp_impl.h"

static int uri__hex(char c)
{
    return isdigit((unsigned char)c) ? c - '0' : isxdigit((unsigned char)c) ? (tolower((unsigned char)c) - 'a' + 10) : -1;
}

char *lsp_uri_to_path(const char *uri)
{
    static const char scheme[] = "file://";
    if (strncasecmp(uri, scheme, sizeof scheme - 1) != 0)
        return NULL;
    const char *p = uri + sizeof scheme - 1;
    if (strncasecmp(p, "localhost/", 10) == 0)
        p += 9;
    if (*p != '/')
        return NULL; /* file://host/...: not a local file */
    size_t n = strlen(p);
    char *out = driver_xmalloc(n + 1), *o = out;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '%' && i + 2 < n + 0 && uri__hex(p[i + 1]) >= 0 && uri__hex(p[i + 2]) >= 0) {
            char c = (char)(uri__hex(p[i + 1]) * 16 + uri__hex(p[i + 2]));
            if (c == '\0') {
                free(out);
                return NULL;
            }
            *o++ = c;
            i += 2;
        } else if (p[i] == '?' || p[i] == '#') {
            break;
        } else {
            *o++ = p[i];
        }
    }
    *o = '\0';
    return out;
}

char *lsp_path_to_uri(const char *path)
{
    char cwd[PATH_MAX];
    const char *dir = "";
    if (path[0] != '/')
        dir = getcwd(cwd, sizeof cwd) ? cwd : "";
    size_t n = strlen(dir) + strlen(path) + 2;
    char *out = driver_xmalloc(sizeof "file://" + 3 * n), *o = out;
    o += sprintf(o, "file://");
    static const char hex[] = "0123456789ABCDEF";
    for (int part = 0; part < 2; part++) {
        const char *s = part == 0 ? dir : path;
        if (part == 1 && *dir)
            *o++ = '/';
        for (; *s; s++) {
            unsigned char c = (unsigned char)*s;
            if (isalnum(c) || strchr("/-._~!$&'()*+,;=:@", c)) {
                *o++ = (char)c;
            } else {
                *o++ = '%';
                *o++ = hex[c >> 4];
                *o++ = hex[c & 15];
            }
        }
    }
    *o = '\0';
    return out;
}

double lsp_now_ms(void)
{
    return driver_now_ms();
}
