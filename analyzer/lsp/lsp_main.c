/* lsp_main.c — `tether lsp` on stdio (lsp_main.h). */
#include "lsp/lsp_main.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lsp/lsp_server.h"

/* How often the client's process is looked for while no input comes. */
static const int main__watch_ms = 500;

typedef struct main_out {
    int fd;
    bool broken;          /* the client stopped reading */
} main_out;

static void main__write(void *ctx, const char *data, size_t n)
{
    main_out *o = ctx;
    while (n > 0 && !o->broken) {
        ssize_t k = write(o->fd, data, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            o->broken = true;
            break;
        }
        data += k;
        n -= (size_t)k;
    }
}

static bool main__alive(long pid)
{
    return pid <= 0 || kill((pid_t)pid, 0) == 0 || errno != ESRCH;
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
    main_out out = { STDOUT_FILENO, false };
    lsp_server_opts o = { main__write, &out, stderr, true, true };
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
        if (lsp_server_exited(s, &status) || out.broken)
            break;
    }
    lsp_server_free(s);
    return status;
}
