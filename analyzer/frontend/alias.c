/* alias.c — the per-thread alias table both front ends consult (alias.h). */
#include "alias.h"

#include <stdlib.h>
#include <string.h>

/* Every function of tether.h the front ends model (both front ends' tables
 * hold exactly these), without the tt_ prefix, sorted. */
static const char *const alias__keys[] = {
    "after", "chan_cap", "chan_free", "chan_len", "chan_new", "close", "ctx_background",
    "ctx_cancel", "ctx_done", "ctx_err", "ctx_with_cancel", "ctx_with_timeout", "mutex_lock",
    "mutex_unlock", "recv", "select", "select_default", "send", "sleep_ms", "spawn",
    "ticker_chan", "ticker_new", "ticker_stop", "verify_none", "wg_add", "wg_done", "wg_wait",
};
static const char *const alias__apis[] = {
    "tt_after", "tt_chan_cap", "tt_chan_free", "tt_chan_len", "tt_chan_new", "tt_close",
    "tt_ctx_background", "tt_ctx_cancel", "tt_ctx_done", "tt_ctx_err", "tt_ctx_with_cancel",
    "tt_ctx_with_timeout", "tt_mutex_lock", "tt_mutex_unlock", "tt_recv", "tt_select",
    "tt_select_default", "tt_send", "tt_sleep_ms", "tt_spawn", "tt_ticker_chan",
    "tt_ticker_new", "tt_ticker_stop", "tt_verify_none", "tt_wg_add", "tt_wg_done", "tt_wg_wait",
};
#define ALIAS__NKEYS (sizeof alias__keys / sizeof alias__keys[0])
_Static_assert(sizeof alias__keys == sizeof alias__apis, "one API name per key");

static _Thread_local const frontend_alias *alias__v;
static _Thread_local size_t alias__n;

static int alias__cmp(const void *key, const void *elem)
{
    return strcmp(key, *(const char *const *)elem);
}

const char *frontend_alias_api(const char *key)
{
    const char *const *k = bsearch(key, alias__keys, ALIAS__NKEYS, sizeof *alias__keys, alias__cmp);
    return k ? alias__apis[k - alias__keys] : NULL;
}

const char *frontend_alias_key(size_t i)
{
    return i < ALIAS__NKEYS ? alias__keys[i] : NULL;
}

void frontend_alias_use(const frontend_alias *v, size_t n)
{
    alias__v = n ? v : NULL;
    alias__n = n;
}

const char *frontend_alias_of(const char *name, size_t len)
{
    for (size_t i = 0; i < alias__n; i++) {
        const char *a = alias__v[i].name;
        if (strncmp(a, name, len) == 0 && a[len] == '\0')
            return alias__v[i].target;
    }
    return NULL;
}

bool frontend_alias_stands_for(const char *name, size_t len, const char *api)
{
    const char *t = alias__n ? frontend_alias_of(name, len) : NULL;
    return t && strcmp(t, api) == 0;
}

void frontend_alias_apply(const char **name, uint32_t *len)
{
    if (!alias__n || !*name)
        return;
    const char *t = frontend_alias_of(*name, *len);
    if (t) {
        *name = t;
        *len = (uint32_t)strlen(t);
    }
}

char *frontend_alias_apply_owned(char *name)
{
    if (!alias__n || !name)
        return name;
    const char *t = frontend_alias_of(name, strlen(name));
    if (!t)
        return name;
    free(name);
    return strdup(t);
}

bool frontend_alias_in_text(const char *text, size_t len)
{
    for (size_t i = 0; i < alias__n; i++)
        if (memmem(text, len, alias__v[i].name, strlen(alias__v[i].name)))
            return true;
    return false;
}
