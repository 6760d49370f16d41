/* lsp_server.h — `tether lsp`: a language server (LSP 3.17) over any byte
 * stream. The caller feeds the client's bytes and gets the server's framed
 * messages through a write callback; lsp_main.c wires it to stdio.
 *
 * What it serves: the document lifecycle (didOpen, didChange with full or
 * incremental sync, didSave, didClose), diagnostics for each open C
 * document (tree-sitter on the unsaved text while typing, debounced; the
 * clang front end with the compile database on open and save), quick fixes
 * and "suppress on this line" code actions, hover on a finding, settings
 * (initializationOptions, workspace/didChangeConfiguration), and
 * re-analysis when .tether.yml or compile_commands.json change.
 *
 * Threads: lsp_server_feed is called from one thread; analyses run on a
 * worker thread of the server's own (opts.threads) or inline in
 * lsp_server_feed (fuzzing, deterministic tests). */
#ifndef TETHER_LSP_SERVER_H
#define TETHER_LSP_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct lsp_server_opts {
    /* Writes one framed message (called with the server's output lock held,
     * from any of its threads). */
    void (*write)(void *ctx, const char *data, size_t n);
    void *ctx;
    FILE *log;          /* problems with the client's messages; NULL: none */
    bool threads;       /* analyses on a worker thread (else inline) */
    bool analyze;       /* false: documents are tracked, never analyzed */
    /* A front end for every analysis, whatever the settings ("tree-sitter"
     * for the fuzzer: no libclang), or NULL. */
    const char *frontend;
} lsp_server_opts;

typedef struct lsp_server lsp_server;

lsp_server *lsp_server_new(const lsp_server_opts *opts);
/* Stops the worker (waiting for an analysis in progress) and frees all. */
void lsp_server_free(lsp_server *self);
/* Bytes from the client: every complete message among them is handled. */
void lsp_server_feed(lsp_server *self, const char *data, size_t n);
/* Whether the client sent `exit`; *status: 0 after a shutdown, else 1. */
bool lsp_server_exited(const lsp_server *self, int *status);
/* The client's process id from initialize (processId), 0 when not given. */
long lsp_server_client_pid(const lsp_server *self);
/* Waits until no analysis is queued or running (tests, the fuzzer). */
void lsp_server_idle(lsp_server *self);

#endif /* TETHER_LSP_SERVER_H */
