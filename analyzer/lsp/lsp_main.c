/* lsp_main.c — `tether lsp` on stdio (lsp_main.h). */
#include "lsp/lsp_main.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lsp/lsp_server.h"

/* How often the client's process is looked for while no input comes. */
static const int main__watch_ms = 500;

typedef struct main_out {
    int fd;
    atomic_bool broken;   /* the client stopped reading */
    atomic_bool closing;  /* we are leaving: give up on a client that does not read */
    atomic_long pid;      /* the client's process, 0 unknown */
} main_out;

static bool main__alive(long pid)
{
    return pid <= 0 || kill((pid_t)pid, 0) == 0 || errno != ESRCH;
}

/* How long output may wait for a client that has closed our input or whose
 * process is gone before the server stops writing to it. */
static const int main__abandon_ms = 2000;

/* Writes in pieces of at most PIPE_BUF bytes, each once the pipe has room
 * for it, so that a client that stops reading cannot hold a write (and the
 * server's lock) forever: the write is abandoned when the server is
 * leaving, or when the client has closed our input or is gone and has not
 * read for main__abandon_ms. */
static void main__write(void *ctx, const char *data, size_t n)
{
    main_out *o = ctx;
    int waited = 0;
    while (n > 0 && !atomic_load(&o->broken)) {
        struct pollfd p[2] = { { o->fd, POLLOUT, 0 }, { STDIN_FILENO, 0, 0 } };
        int r = poll(p, 2, 100);
        if (r < 0 && errno != EINTR) {
            atomic_store(&o->broken, true);
            break;
        }
        if (p[0].revents & (POLLERR | POLLNVAL)) {
            atomic_store(&o->broken, true);
            break;
        }
        if (!(p[0].revents & POLLOUT)) {
            waited += 100;
            bool gone = (p[1].revents & (POLLHUP | POLLERR | POLLNVAL)) || !main__alive(atomic_load(&o->pid));
            if (atomic_load(&o->closing) || (gone && waited >= main__abandon_ms))
                atomic_store(&o->broken, true);
            continue;
        }
        waited = 0;
        ssize_t k = write(o->fd, data, n < PIPE_BUF ? n : PIPE_BUF);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            atomic_store(&o->broken, true);
            break;
        }
        data += k;
        n -= (size_t)k;
    }
}

static void main__usage(FILE *out)
{
    fputs("USAGE: tether lsp [--stdio]\n"
          "  The tether language server (LSP 3.17) on standard input and output.\n"
          "  Settings come from the client (initializationOptions and\n"
          "  workspace/didChangeConfiguration, under \"tether\"): frontend\n"
          "  (auto | clang | tree-sitter), configPath, compileCommands, rules,\n"
          "  debounceMs. See editor/README.md.\n",
          out);
}

int lsp_main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--stdio") == 0)
            continue; /* what vscode-languageclient passes */
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            main__usage(stdout);
            return 0;
        }
        fprintf(stderr, "tether: error: lsp: unknown option '%s' (see `tether lsp --help`)\n", argv[i]);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    lsp_tmp_setup();
    main_out out = { .fd = STDOUT_FILENO };
    atomic_init(&out.broken, false);
    atomic_init(&out.closing, false);
    atomic_init(&out.pid, 0);
    lsp_server_opts o = { main__write, &out, stderr, true, true, NULL };
    lsp_server *s = lsp_server_new(&o);
    int status = 1;
    static char buf[65536];
    for (;;) {
        struct pollfd p = { STDIN_FILENO, POLLIN, 0 };
        int r = poll(&p, 1, main__watch_ms);
        if (r < 0 && errno != EINTR)
            break;
        if (!main__alive(lsp_server_client_pid(s))) {
            fprintf(stderr, "tether lsp: the client (process %ld) is gone, exiting\n", lsp_server_client_pid(s));
            break;
        }
        if (r <= 0)
            continue;
        ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0)
            break; /* the client closed the stream without exit */
        lsp_server_feed(s, buf, (size_t)n);
        atomic_store(&out.pid, lsp_server_client_pid(s));
        if (lsp_server_exited(s, &status) || atomic_load(&out.broken))
            break;
    }
    atomic_store(&out.closing, true);
    lsp_server_free(s);
    return status;
}
