/* fuzz_suppress.c — libFuzzer harness (e): arbitrary bytes as a file's
 * text for the suppression comments (tether:ignore..., NOLINT...): parse,
 * check, cover, apply to findings on every line, report the unused ones. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "driver/suppress.h"

static bool fuzz__known(const char *id)
{
    return strcmp(id, "spawn-no-cancel") == 0 || strcmp(id, "wg-unbalanced") == 0;
}

static void fuzz__report(void *ctx, unsigned line, const char *msg)
{
    (void)line;
    if (!msg || !*msg || strchr(msg, '\n'))
        abort(); /* one sentence per problem */
    ++*(size_t *)ctx;
}

static bool fuzz__ran(const char *rule, void *ctx)
{
    (void)rule;
    (void)ctx;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sup_set *s = sup_parse((const char *)data, size);
    size_t problems = 0;
    sup_check(s, fuzz__known, fuzz__report, &problems);
    unsigned lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += data[i] == '\n';
    diag_list findings = { 0 };
    for (unsigned l = 1; l <= lines + 1 && l <= 4096; l++) {
        (void)sup_covers(s, l, l % 2 ? "spawn-no-cancel" : "wg-unbalanced");
        diag_new(&findings, l % 2 ? "spawn-no-cancel" : "wg-unbalanced", "fuzz.c", (model_loc){ l, 1 },
                 "finding on line %u", l);
    }
    size_t dropped = sup_apply(s, &findings);
    if (dropped > lines + 1)
        abort();
    diag_list unused = { 0 };
    sup_report_unused(s, "fuzz.c", "unused-suppression", fuzz__ran, NULL, &unused);
    diag_list_free(&unused);
    diag_list_free(&findings);
    sup_free(s);
    return 0;
}
