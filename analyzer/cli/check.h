/* check.h — `tether check`: options, the pipeline (front end, rules,
 * suppressions, emitter) over many files, and the exit status. */
#ifndef TETHER_CLI_CHECK_H
#define TETHER_CLI_CHECK_H

#include <stdio.h>

/* Exit statuses. */
enum { CHECK_CLEAN = 0, CHECK_FINDINGS = 1, CHECK_ERROR = 2 };

/* argv[0] is "check". Returns the exit status. */
int check_main(int argc, char **argv);
/* The help text of `tether check` (also part of `tether --help`). */
void check_usage(FILE *out);
/* The directory holding tether.h: $TETHER_INCLUDE, else the build's. */
const char *check_tether_include(void);

#endif /* TETHER_CLI_CHECK_H */
