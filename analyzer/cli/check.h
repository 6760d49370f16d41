/* check.h — `tether check` and `tether launch`: options to driver runs to
 * emitters, the summary line and the exit status. */
#ifndef TETHER_CLI_CHECK_H
#define TETHER_CLI_CHECK_H

#include <stdio.h>

/* Exit statuses. */
enum { CHECK_CLEAN = 0, CHECK_FINDINGS = 1, CHECK_ERROR = 2 };

/* argv[0] is "check". Returns the exit status. */
int check_main(int argc, char **argv);
/* argv[0] is "launch": analyzes the C sources of the compile command that
 * follows the options, then runs that command (a compiler launcher).
 * Returns the compiler's exit status if it failed, else the analysis'. */
int check_launch(int argc, char **argv);
/* The help text of `tether check` (also part of `tether --help`). */
void check_usage(FILE *out);

#endif /* TETHER_CLI_CHECK_H */
