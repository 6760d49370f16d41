/* test_alias.c — .tether.yml's aliases in both front ends: a program whose
 * leak hides behind the project's own wrappers is reported with the aliases
 * and not without; with them, it gets exactly the findings of the same
 * program written with the API itself (columns aside: the names differ in
 * length), the same in both front ends; and the fixed program stays silent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analysis/analysis.h"
#include "frontend/alias.h"
#include "frontend/frontend.h"

#ifndef ALIAS_DIR
#error "ALIAS_DIR: the folder of the alias programs"
#endif
#ifndef TETHER_INCLUDE_DIR
#error "TETHER_INCLUDE_DIR: runtime/include"
#endif

static const frontend_alias aliases[] = {
    { "go", "tt_spawn" },           { "nap_ms", "tt_sleep_ms" },
    { "chan_make", "tt_chan_new" }, { "chan_put", "tt_send" },
    { "chan_get", "tt_recv" },      { "timer_after", "tt_after" },
    { "choose", "tt_select" },
};
#define NALIASES (sizeof aliases / sizeof aliases[0])

typedef int (*build_fn)(const frontend_input *, model_tu **, frontend_stats *, char *, size_t);

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 16);
    assert_non_null(buf);
    *len = fread(buf, 1, (1 << 16) - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

/* The text with every alias name (as a whole word) replaced by its target. */
static char *unalias(const char *src)
{
    size_t cap = strlen(src) * 2 + 1, n = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    for (const char *p = src; *p;) {
        bool word_start = p == src || !(p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z') ||
                                        (p[-1] >= 'A' && p[-1] <= 'Z') || (p[-1] >= '0' && p[-1] <= '9'));
        const frontend_alias *hit = NULL;
        for (size_t i = 0; word_start && i < NALIASES && !hit; i++) {
            size_t k = strlen(aliases[i].name);
            char next = p[k];
            if (strncmp(p, aliases[i].name, k) == 0 && !(next == '_' || (next >= 'a' && next <= 'z')))
                hit = &aliases[i];
        }
        if (hit) {
            memcpy(out + n, hit->target, strlen(hit->target));
            n += strlen(hit->target);
            p += strlen(hit->name);
        } else {
            out[n++] = *p++;
        }
        assert_true(n + 16 < cap);
    }
    out[n] = '\0';
    return out;
}

/* The findings of one program, one line each: "rule line: message" and
 * " note line: message" (columns left out). */
static char *findings(build_fn build, const char *path, const char *src, bool with_aliases)
{
    frontend_input in = { .path = path, .contents = src, .length = strlen(src),
                          .tether_include_dir = TETHER_INCLUDE_DIR };
    if (with_aliases) {
        in.aliases = aliases;
        in.naliases = NALIASES;
    }
    model_tu *tu = NULL;
    frontend_stats st;
    char err[512] = "";
    assert_int_equal(build(&in, &tu, &st, err, sizeof err), 0);
    assert_string_equal(err, "");
    diag_list list = { 0 };
    const model_tu *tus[] = { tu };
    assert_int_equal(analysis_run(tus, 1, NULL, &list, NULL, stderr), 0);
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    assert_non_null(out);
    for (size_t i = 0; i < list.n; i++) {
        const diag *d = &list.items[i];
        fprintf(out, "%s %u: %s\n", d->rule, (unsigned)d->loc.line, d->msg);
        for (size_t j = 0; j < d->nnotes; j++)
            fprintf(out, " note %u: %s\n", (unsigned)d->notes[j].loc.line, d->notes[j].msg);
    }
    fclose(out);
    diag_list_free(&list);
    model_free(tu);
    return text;
}

/* with_api: also compare with the program spelled with the API (not for a
 * file that defines the wrappers: renamed, they would clash with tether.h).
 * bare: what the run without aliases finds: nothing when the wrappers' bodies
 * are elsewhere; when they are in the file, the engine follows the calls into
 * them and reports the leak inside the wrapper (the alias moves it to the
 * caller's line). */
static void check_program_bare(build_fn build, const char *file, bool leaks, bool with_api, const char *bare)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", ALIAS_DIR, file);
    size_t len;
    char *src = read_all(path, &len);
    char *api_src = unalias(src);

    char *with = findings(build, path, src, true);
    char *without = findings(build, path, src, false);
    char *api = with_api ? findings(build, path, api_src, false) : NULL;
    print_message("%s with aliases:\n%s", file, with);
    if (api)
        assert_string_equal(with, api);
    if (leaks)
        assert_non_null(strstr(with, "unbuffered-send-no-fallback"));
    else
        assert_string_equal(with, "");
    if (bare)
        assert_non_null(strstr(without, bare));
    else
        assert_string_equal(without, "");
    /* the table is per call: a run without aliases leaves none behind */
    assert_null(frontend_alias_of("go", 2));
    free(with);
    free(without);
    free(api);
    free(api_src);
    free(src);
}

static void check_program(build_fn build, const char *file, bool leaks, bool with_api)
{
    check_program_bare(build, file, leaks, with_api, NULL);
}

/* leak_wrapped_same_file.c: chan_put's send, line 12; the alias reports the
 * call of chan_put, line 19 */
#define SAME_FILE_BARE "unbuffered-send-no-fallback 12:"

static void test_clang_timeout(void **state)
{
    (void)state;
    check_program(frontend_clang_build, "leak_wrapped_timeout.c", true, true);
}

static void test_clang_no_tt(void **state)
{
    (void)state;
    check_program(frontend_clang_build, "leak_wrapped_no_tt.c", true, true);
}

static void test_clang_ok(void **state)
{
    (void)state;
    check_program(frontend_clang_build, "ok_wrapped_receive.c", false, true);
}

static void test_clang_same_file(void **state)
{
    (void)state;
    check_program_bare(frontend_clang_build, "leak_wrapped_same_file.c", true, false, SAME_FILE_BARE);
}

static void test_treesitter_same_file(void **state)
{
    (void)state;
    check_program_bare(frontend_treesitter_build, "leak_wrapped_same_file.c", true, false, SAME_FILE_BARE);
}

static void test_treesitter_timeout(void **state)
{
    (void)state;
    check_program(frontend_treesitter_build, "leak_wrapped_timeout.c", true, true);
}

static void test_treesitter_no_tt(void **state)
{
    (void)state;
    check_program(frontend_treesitter_build, "leak_wrapped_no_tt.c", true, true);
}

static void test_treesitter_ok(void **state)
{
    (void)state;
    check_program(frontend_treesitter_build, "ok_wrapped_receive.c", false, true);
}

/* Both front ends find the same with the same aliases. */
static void test_parity(void **state)
{
    (void)state;
    static const char *const files[] = { "leak_wrapped_timeout.c", "leak_wrapped_no_tt.c",
                                         "ok_wrapped_receive.c", "leak_wrapped_same_file.c" };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", ALIAS_DIR, files[i]);
        size_t len;
        char *src = read_all(path, &len);
        char *clang = findings(frontend_clang_build, path, src, true);
        char *ts = findings(frontend_treesitter_build, path, src, true);
        assert_string_equal(clang, ts);
        free(clang);
        free(ts);
        free(src);
    }
}

/* The keys a config may alias: tether.h's functions without tt_. */
static void test_keys(void **state)
{
    (void)state;
    assert_string_equal(frontend_alias_api("spawn"), "tt_spawn");
    assert_string_equal(frontend_alias_api("select_default"), "tt_select_default");
    assert_string_equal(frontend_alias_api("wg_wait"), "tt_wg_wait");
    assert_null(frontend_alias_api("tt_spawn"));
    assert_null(frontend_alias_api("spawn_at"));
    assert_null(frontend_alias_api("go"));
    size_t n = 0;
    while (frontend_alias_key(n))
        assert_non_null(frontend_alias_api(frontend_alias_key(n++)));
    assert_int_equal(n, 27);
}

/* Lookups match whole names only. */
static void test_lookup(void **state)
{
    (void)state;
    frontend_alias_use(aliases, NALIASES);
    assert_string_equal(frontend_alias_of("go", 2), "tt_spawn");
    assert_string_equal(frontend_alias_of("gone", 2), "tt_spawn"); /* a length, not a string */
    assert_null(frontend_alias_of("gone", 4));
    assert_null(frontend_alias_of("g", 1));
    assert_true(frontend_alias_stands_for("chan_put(", 8, "tt_send"));
    assert_false(frontend_alias_stands_for("chan_put(", 8, "tt_recv"));
    assert_false(frontend_alias_stands_for("tt_send", 7, "tt_send"));
    const char *name = "chan_put";
    uint32_t len = 8;
    frontend_alias_apply(&name, &len);
    assert_int_equal(len, 7);
    assert_memory_equal(name, "tt_send", 7);
    char *owned = frontend_alias_apply_owned(strdup("choose"));
    assert_string_equal(owned, "tt_select");
    free(owned);
    owned = frontend_alias_apply_owned(strdup("printf"));
    assert_string_equal(owned, "printf");
    free(owned);
    assert_true(frontend_alias_in_text("x = chan_make(4, 0);", 20));
    assert_false(frontend_alias_in_text("x = make(4, 0);", 15));
    frontend_alias_use(NULL, 0);
    assert_null(frontend_alias_of("go", 2));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_clang_timeout),
        cmocka_unit_test(test_clang_no_tt),
        cmocka_unit_test(test_clang_ok),
        cmocka_unit_test(test_clang_same_file),
        cmocka_unit_test(test_treesitter_timeout),
        cmocka_unit_test(test_treesitter_no_tt),
        cmocka_unit_test(test_treesitter_ok),
        cmocka_unit_test(test_treesitter_same_file),
        cmocka_unit_test(test_parity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
