/* lsp_main.h — `tether lsp`: the language server on standard input and
 * output (lsp_server.h), until the client says exit, closes the stream or
 * its process (initialize's processId) ends. */
#ifndef TETHER_LSP_MAIN_H
#define TETHER_LSP_MAIN_H

/* argv[0] is "lsp". Returns the exit status. */
int lsp_main(int argc, char **argv);

#endif /* TETHER_LSP_MAIN_H */
