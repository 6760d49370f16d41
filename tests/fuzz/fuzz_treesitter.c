/* fuzz_treesitter.c — libFuzzer harness (a): arbitrary bytes through the
 * tree-sitter front end, the model (built, then dumped) and the analysis:
 * every rule and the exploration engine. Nothing may crash, leak or trip a
 * sanitizer; a model that builds must analyze. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "analysis/analysis.h"
#include "frontend/frontend.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    frontend_input in = { 0 };
    in.path = "fuzz.c";
    in.contents = (const char *)data;
    in.length = size;
    in.tether_include_dir = FUZZ_TETHER_INCLUDE;
    model_tu *tu = NULL;
    char err[512];
    if (frontend_treesitter_build(&in, &tu, NULL, err, sizeof err) != 0)
        return 0; /* refused with a message (too deep): nothing more to run */
    fuzz_dump(tu);
    diag_list diags = { 0 };
    const model_tu *tus[] = { tu };
    analysis_run(tus, 1, &(analysis_opts){ 0 }, &diags, NULL, NULL);
    diag_list_free(&diags);
    model_free(tu);
    return 0;
}
