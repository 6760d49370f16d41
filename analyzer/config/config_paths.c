/* config_paths.c — tether.h next to the installed program, or the source
 * tree's for the program in its build tree (config_paths.h). */
#include "config_paths.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef TETHER_INSTALL_REL_INCLUDE /* from the bin folder to the include folder */
#define TETHER_INSTALL_REL_INCLUDE "../include"
#endif

static char paths__dir[PATH_MAX];
static const char *paths__found;
static const char *paths__origin = "none";
static pthread_once_t paths__once = PTHREAD_ONCE_INIT;

static int paths__has_header(const char *dir)
{
    char path[PATH_MAX + 16];
    struct stat st;
    snprintf(path, sizeof path, "%s/tether.h", dir);
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static void paths__find(void)
{
    const char *env = getenv("TETHER_INCLUDE");
    if (env && *env) {
        snprintf(paths__dir, sizeof paths__dir, "%s", env);
        paths__found = paths__dir;
        paths__origin = "TETHER_INCLUDE";
        return;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return;
    *slash = '\0'; /* exe: the program's folder, symlinks resolved */
    char installed[PATH_MAX + sizeof TETHER_INSTALL_REL_INCLUDE + 1];
    snprintf(installed, sizeof installed, "%s/%s", exe, TETHER_INSTALL_REL_INCLUDE);
    char real[PATH_MAX];
    if (realpath(installed, real) && paths__has_header(real)) {
        snprintf(paths__dir, sizeof paths__dir, "%s", real);
        paths__found = paths__dir;
        paths__origin = "installed";
        return;
    }
#if defined(TETHER_BUILD_BIN_DIR) && defined(TETHER_SOURCE_INCLUDE)
    /* only the program where it was built: a copy elsewhere must not read
     * a header from the build machine */
    char built[PATH_MAX];
    if (realpath(TETHER_BUILD_BIN_DIR, built) && strcmp(built, exe) == 0 &&
        paths__has_header(TETHER_SOURCE_INCLUDE)) {
        snprintf(paths__dir, sizeof paths__dir, "%s", TETHER_SOURCE_INCLUDE);
        paths__found = paths__dir;
        paths__origin = "build tree";
    }
#endif
}

const char *config_tether_include(void)
{
    pthread_once(&paths__once, paths__find);
    return paths__found;
}

const char *config_tether_include_origin(void)
{
    pthread_once(&paths__once, paths__find);
    return paths__origin;
}
