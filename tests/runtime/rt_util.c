/* rt_util.c — test helpers: stderr capture, helper runs, RSS, clock. */
#define _GNU_SOURCE
#include "rt_util.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef RT_HELPER_PATH
#error "RT_HELPER_PATH must name the rt_helper executable"
#endif

extern char **environ;

static int saved_fd = -1;
static int cap_fd = -1;

static char *slurp_fd(int fd)
{
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    lseek(fd, 0, SEEK_SET);
    for (;;) {
        if (len + 1024 > cap) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
        ssize_t n = read(fd, buf + len, cap - len - 1);
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    buf[len] = '\0';
    return buf;
}

static int tmp_fd(void)
{
    char path[] = "/tmp/tether-rt-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        perror("mkstemp");
        abort();
    }
    unlink(path);
    return fd;
}

void capture_begin(void)
{
    fflush(stderr);
    saved_fd = dup(2);
    cap_fd = tmp_fd();
    dup2(cap_fd, 2);
}

char *capture_end(void)
{
    fflush(stderr);
    dup2(saved_fd, 2);
    close(saved_fd);
    char *s = slurp_fd(cap_fd);
    close(cap_fd);
    return s;
}

static helper_run run(const char *scenario, const char *const *extra_env, bool merged)
{
    helper_run r = { 0, NULL, NULL };
    int out = tmp_fd(), err = merged ? out : tmp_fd();
    size_t n = 0, k = 0;
    while (environ[n])
        n++;
    while (extra_env && extra_env[k])
        k++;
    char **env = calloc(n + k + 1, sizeof *env);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "TETHER_VERIFY", 13) != 0)
            env[m++] = environ[i];
    for (size_t i = 0; i < k; i++)
        env[m++] = (char *)extra_env[i];
    env[m] = NULL;

    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out, 1);
    posix_spawn_file_actions_adddup2(&fa, err, 2);
    char *argv[] = { (char *)RT_HELPER_PATH, (char *)scenario, NULL };
    pid_t pid;
    if (posix_spawn(&pid, RT_HELPER_PATH, &fa, NULL, argv, env) != 0) {
        perror("posix_spawn");
        abort();
    }
    posix_spawn_file_actions_destroy(&fa);
    free(env);
    while (waitpid(pid, &r.status, 0) < 0)
        ;
    r.out = slurp_fd(out);
    if (merged) {
        r.err = calloc(1, 1);
    } else {
        r.err = slurp_fd(err);
        close(err);
    }
    close(out);
    return r;
}

helper_run run_helper(const char *scenario, const char *const *extra_env)
{
    return run(scenario, extra_env, false);
}

helper_run run_helper_merged(const char *scenario, const char *const *extra_env)
{
    return run(scenario, extra_env, true);
}

void helper_free(helper_run *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

bool exited_with(const helper_run *r, int code)
{
    return WIFEXITED(r->status) && WEXITSTATUS(r->status) == code;
}

bool killed_by(const helper_run *r, int sig)
{
    return WIFSIGNALED(r->status) && WTERMSIG(r->status) == sig;
}

long field(const char *s, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, "%s=", key);
    for (const char *p = strstr(s, pat); p; p = strstr(p + 1, pat))
        if (p == s || p[-1] == ' ' || p[-1] == '\n')
            return strtol(p + strlen(pat), NULL, 10);
    return -1;
}

long rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
            break;
    if (f)
        fclose(f);
    return kib;
}

int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
