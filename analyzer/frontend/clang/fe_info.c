/* fe_info.c — the clang front end's library, as the driver's front-end table
 * sees it: loading libclang and its version (frontend.h). */
#include <pthread.h>
#include <stdio.h>

#include "fe_libclang.h"
#include "frontend/frontend.h"

static pthread_once_t fe__version_once = PTHREAD_ONCE_INIT;
static char fe__version[256];

int frontend_clang_load(char *err, size_t errsize)
{
    return fe_libclang_load(err, errsize);
}

static void fe__read_version(void)
{
    CXString v = clang_getClangVersion();
    snprintf(fe__version, sizeof fe__version, "%s", clang_getCString(v));
    clang_disposeString(v);
}

const char *frontend_clang_version(void)
{
    pthread_once(&fe__version_once, fe__read_version);
    return fe__version;
}
