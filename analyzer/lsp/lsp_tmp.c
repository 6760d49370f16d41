/* lsp_tmp.c — where libclang puts the server's temporary files (lsp_main.h).
 *
 * The clang parses a server keeps for its saves hold their preambles in
 * temporary files (libclang 14 cannot keep them in memory), removed when the
 * server exits normally. A server that is killed (an editor that stops its
 * server with SIGKILL after `exit`) leaves them behind. So each server puts
 * them in a folder of its own, $TMPDIR/tether-lsp-UID/PID, and at start
 * removes the folders of servers that no longer run. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driver/util.h"
#include "lsp/lsp_main.h"

/* Removes the files of dir and dir itself. */
static void tmp__remove(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *path = driver_xasprintf("%s/%s", dir, e->d_name);
        unlink(path);
        free(path);
    }
    closedir(d);
    rmdir(dir);
}

/* Whether path is a folder of ours that nobody else can write (made if
 * missing). */
static bool tmp__own_dir(const char *path)
{
    if (mkdir(path, 0700) != 0 && errno != EEXIST)
        return false;
    struct stat st;
    return lstat(path, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == geteuid() && (st.st_mode & 077) == 0;
}

void lsp_tmp_setup(void)
{
    const char *base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    char *root = driver_xasprintf("%s/tether-lsp-%ld", base, (long)geteuid());
    if (!tmp__own_dir(root)) {
        free(root); /* someone else's: leave TMPDIR as it is */
        return;
    }
    DIR *d = opendir(root);
    for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
        char *end;
        long pid = strtol(e->d_name, &end, 10);
        if (*end || pid <= 0 || (kill((pid_t)pid, 0) != 0 && errno == ESRCH)) {
            if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
                char *path = driver_xasprintf("%s/%s", root, e->d_name);
                tmp__remove(path);
                free(path);
            }
        }
    }
    if (d)
        closedir(d);
    char *mine = driver_xasprintf("%s/%ld", root, (long)getpid());
    if (tmp__own_dir(mine))
        setenv("TMPDIR", mine, 1);
    free(mine);
    free(root);
}
