/* fe_libclang.c — loads libclang with dlopen and fills fe_clang_api
 * (fe_libclang.h). */
#include "fe_libclang.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct fe_clang_api fe_clang_api;

static pthread_once_t fe__once = PTHREAD_ONCE_INIT;
static int fe__rc = -1;
static char fe__why[512];

/* Resolves every function from h; -1 (reason in fe__why) if one is missing. */
static int fe__resolve(void *h, const char *path)
{
    void *sym;
#define FE_LIBCLANG_RESOLVE(name)                                                           \
    if ((sym = dlsym(h, "clang_" #name)) == NULL) {                                         \
        snprintf(fe__why, sizeof fe__why, "%s: no symbol clang_" #name, path);             \
        return -1;                                                                          \
    }                                                                                       \
    fe_clang_api.name = (__typeof__(fe_clang_api.name))sym;
    FE_LIBCLANG_FUNCS(FE_LIBCLANG_RESOLVE)
#undef FE_LIBCLANG_RESOLVE
    return 0;
}

static void fe__load_once(void)
{
    /* An override names the only library tried (tests use it to hide libclang). */
    const char *env = getenv("TETHER_LIBCLANG");
    const char *defaults[] = {
#ifdef TETHER_LIBCLANG_PATH
        TETHER_LIBCLANG_PATH,
#endif
        "libclang-14.so.13", "libclang-14.so.1", "libclang.so.1", "libclang.so",
    };
    const char *only[] = { env };
    const char *const *paths = env && *env ? only : defaults;
    size_t n = env && *env ? 1 : sizeof defaults / sizeof *defaults;
    for (size_t i = 0; i < n; i++) {
        void *h = dlopen(paths[i], RTLD_NOW | RTLD_LOCAL);
        if (!h) {
            if (i == 0) /* the first failure is the telling one */
                snprintf(fe__why, sizeof fe__why, "%s", dlerror());
            continue;
        }
        /* The library stays loaded for the life of the process. */
        if (fe__resolve(h, paths[i]) == 0) {
            fe__rc = 0;
            return;
        }
        dlclose(h);
    }
}

int fe_libclang_load(char *err, size_t errsize)
{
    pthread_once(&fe__once, fe__load_once);
    if (fe__rc != 0 && err && errsize)
        snprintf(err, errsize, "%s", fe__why);
    return fe__rc;
}
