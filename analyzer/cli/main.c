/* main.c — the `tether` program: dispatches to check, launch, rules,
 * explain, --help and --version; `tether PATH...` is `tether check PATH...`. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "driver/driver.h"
#include "emit/rule_docs.h"
#include "lsp/lsp_main.h"
#include "rule.h"

#ifndef TETHER_VERSION
#define TETHER_VERSION "0.0.0"
#endif

static void usage(FILE *out)
{
    fputs("OVERVIEW: tether - finds leaked tasks and deadlocks in C programs using libtether\n"
          "\n"
          "USAGE: tether <command> [options] ...\n"
          "\n"
          "COMMANDS:\n"
          "  check [options] PATHS...  Analyze C files and directories (the default work;\n"
          "                            `tether PATHS...` means the same)\n"
          "  launch [options] CC ARGS  Analyze a compile command's C sources, then run it\n"
          "                            (a compiler launcher for Make or CMake)\n"
          "  lsp                       The language server, on stdin and stdout (editors)\n"
          "  rules                     List the rules with their one-line summaries\n"
          "  explain RULE              Print a rule's documentation\n"
          "  help                      Print this help\n"
          "\n"
          "GENERIC OPTIONS:\n"
          "  -h, --help                Print this help\n"
          "  --version                 Print the version\n"
          "\n",
          out);
    check_usage(out);
    fputs("\nEXAMPLES:\n"
          "  tether check src/                      every *.c under src/\n"
          "  tether check -p build src/main.c       flags from build/compile_commands.json\n"
          "  tether check src/ -- -DFOO -Iinclude   extra compiler arguments\n"
          "  tether check -p build                  every C file of the compile database\n"
          "  tether check --format=sarif -o tether.sarif src/\n"
          "  tether check --baseline .tether-baseline.json src/\n"
          "  cmake -DCMAKE_C_CLANG_TIDY=\"tether;check;--exit-zero\" ...\n"
          "  tether check --rule=spawn-no-cancel a.c\n"
          "  tether explain spawn-no-cancel\n",
          out);
}

/* The version, and each front end's (loading its library, so that a
 * broken libclang shows here). */
static int cmd_version(void)
{
    printf("tether %s\n", TETHER_VERSION);
    size_t n;
    const driver_frontend *fe = driver_frontends(&n);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        char why[512] = "";
        if (fe[i].available(why, sizeof why)) {
            printf("front end %s: %s\n", fe[i].name, fe[i].version());
        } else {
            printf("front end %s: not available\n", fe[i].name);
            fflush(stdout);
            if (strcmp(fe[i].name, "clang") == 0)
                fprintf(stderr, "tether: error: cannot load libclang (%s): use --frontend=tree-sitter\n", why);
            else
                fprintf(stderr, "tether: error: the %s front end cannot run: %s\n", fe[i].name, why);
            rc = 2;
        }
    }
    return rc;
}

static int cmd_rules(void)
{
    size_t w = 0;
    for (size_t i = 0; i < rule_count; i++)
        if (strlen(rule_registry[i]->id) > w)
            w = strlen(rule_registry[i]->id);
    for (size_t i = 0; i < rule_count; i++)
        printf("%-*s  %s\n", (int)w, rule_registry[i]->id, rule_registry[i]->summary);
    return 0;
}

static int cmd_explain(int argc, char **argv)
{
    if (argc != 2) {
        fputs("tether: error: usage: tether explain RULE (see `tether rules`)\n", stderr);
        return 2;
    }
    const char *id = argv[1];
    for (size_t i = 0; i < rule_docs_count; i++) {
        if (strcmp(rule_docs[i].id, id) == 0) {
            fputs(rule_docs[i].text, stdout);
            return 0;
        }
    }
    for (size_t i = 0; i < rule_count; i++) {
        if (strcmp(rule_registry[i]->id, id) == 0) {
            printf("%s: %s\n(no documentation was built into this tether)\n", id, rule_registry[i]->summary);
            return 0;
        }
    }
    fprintf(stderr, "tether: error: unknown rule '%s' (see `tether rules`)\n", id);
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "check") == 0)
        return check_main(argc - 1, argv + 1);
    if (strcmp(cmd, "rules") == 0)
        return cmd_rules();
    if (strcmp(cmd, "explain") == 0)
        return cmd_explain(argc - 1, argv + 1);
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0)
        return cmd_version();
    if (strcmp(cmd, "lsp") == 0)
        return lsp_main(argc - 1, argv + 1);
    if (strcmp(cmd, "launch") == 0)
        return check_launch(argc - 1, argv + 1);
    /* `tether PATH...` and `tether --fast PATH...`: check. */
    struct stat st;
    size_t len = strlen(cmd);
    if (cmd[0] == '-' || strchr(cmd, '/') || stat(cmd, &st) == 0 || (len > 2 && strcmp(cmd + len - 2, ".c") == 0)) {
        argv[0] = "check";
        return check_main(argc, argv);
    }
    fprintf(stderr, "tether: error: unknown command '%s' (see `tether --help`)\n", cmd);
    return 2;
}
