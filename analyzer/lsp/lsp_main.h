/* lsp_main.h — `tether lsp`: the language server on standard input and
 * output (lsp_server.h), until the client says exit, closes the stream or
 * its process (initialize's processId) ends. */
#ifndef TETHER_LSP_MAIN_H
#define TETHER_LSP_MAIN_H

/* argv[0] is "lsp". Returns the exit status. */
int lsp_main(int argc, char **argv);

/* Points TMPDIR at a folder of this server's own, $TMPDIR/tether-lsp-UID/
 * PID, after removing the folders of servers that no longer run (libclang's
 * preamble files of a killed server); lsp_tmp.c. */
void lsp_tmp_setup(void);

#endif /* TETHER_LSP_MAIN_H */
