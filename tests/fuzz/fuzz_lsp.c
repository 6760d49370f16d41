/* fuzz_lsp.c — libFuzzer harness for the language server's message reader
 * and dispatcher (issue 11, 1f): the input is what a client writes on the
 * server's standard input. The first byte picks the size of the pieces it
 * arrives in (framing across reads); the rest is fed to a server that runs
 * its analyses inline with the tree-sitter front end (no libclang, no
 * threads), so a crash, leak or undefined behaviour anywhere from framing
 * to JSON-RPC dispatch, document edits, analysis, diagnostics, code actions
 * and hover is this input's.
 *
 * Built with clang: -fsanitize=fuzzer,address,undefined (tests/fuzz/CMakeLists.txt).
 * With -DTETHER_FUZZ_REPLAY it has a main() that runs the files named on
 * its command line once each instead (any compiler: the regression run of
 * the corpus in the ordinary test suite). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "lsp/lsp_server.h"

/* Counts what the server writes, so the output path runs too. */
static void fuzz__write(void *ctx, const char *data, size_t n)
{
    (void)data;
    *(size_t *)ctx += n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t piece = data[0] ? data[0] : size;
    data++;
    size--;
    size_t written = 0;
    lsp_server_opts o = { fuzz__write, &written, NULL, false, true, "tree-sitter" };
    lsp_server *s = lsp_server_new(&o);
    for (size_t at = 0; at < size && !lsp_server_exited(s, NULL); at += piece)
        lsp_server_feed(s, (const char *)data + at, size - at < piece ? size - at : piece);
    lsp_server_free(s);
    return 0;
}

#ifdef TETHER_FUZZ_REPLAY
int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs("usage: fuzz_lsp_replay INPUT...\n", stderr);
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) {
            perror(argv[i]);
            return 2;
        }
        static uint8_t buf[1 << 20];
        size_t n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        LLVMFuzzerTestOneInput(buf, n);
    }
    printf("fuzz_lsp: %d inputs replayed\n", argc - 1);
    return 0;
}
#endif
