/* frontends.c — the front-end table (driver.h): which front ends this
 * tether has, whether each can run, its version. The only place outside
 * analyzer/frontend/ that knows which front ends exist. */
#include <stdio.h>
#include <string.h>

#include "driver/driver.h"
#include "driver/frontends.h"
#include "frontend/frontend.h"

static bool fe__clang_available(char *why, size_t whysize)
{
    return frontend_clang_load(why, whysize) == 0;
}

#ifdef TETHER_HAVE_TREESITTER
static bool fe__ts_available(char *why, size_t whysize)
{
    (void)why;
    (void)whysize;
    return true;
}
#endif

static const driver_frontend fe__table[] = {
    { "clang", true, fe__clang_available, frontend_clang_version },
#ifdef TETHER_HAVE_TREESITTER
    { "tree-sitter", false, fe__ts_available, frontend_treesitter_version },
#endif
};

const driver_frontend *driver_frontends(size_t *n)
{
    *n = sizeof fe__table / sizeof fe__table[0];
    return fe__table;
}

const driver_frontend *driver_frontend_find(const char *name)
{
    if (name && strcmp(name, "treesitter") == 0)
        name = "tree-sitter";
    for (size_t i = 0; name && i < sizeof fe__table / sizeof fe__table[0]; i++)
        if (strcmp(fe__table[i].name, name) == 0)
            return &fe__table[i];
    return NULL;
}

int driver_frontend_build(const driver_frontend *fe, const frontend_input *in, model_tu **out,
                          frontend_stats *stats, char *err, size_t errsize)
{
#ifdef TETHER_HAVE_TREESITTER
    if (strcmp(fe->name, "tree-sitter") == 0)
        return frontend_treesitter_build(in, out, stats, err, errsize);
#endif
    return frontend_clang_build(in, out, stats, err, errsize);
}
