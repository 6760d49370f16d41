/* test_config.c — .tether.yml: what a good file sets, the one error line a
 * bad one gives (its line, column and problem), exclude globs, and which
 * file applies to an analyzed file (nearest wins, inherit merges, --config
 * forces one). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "config/config.h"
#include "rule.h"

static size_t rule_index(const char *id)
{
    for (size_t i = 0; i < rule_count; i++)
        if (strcmp(rule_registry[i]->id, id) == 0)
            return i;
    fail_msg("no rule %s", id);
    return 0;
}

static config *parse_ok(const char *text)
{
    config *c = NULL;
    char err[512] = "";
    int rc = config_parse(".tether.yml", "/proj", text, strlen(text), &c, err, sizeof err);
    if (rc != 0)
        fail_msg("unexpected error: %s", err);
    assert_non_null(c);
    return c;
}

/* The error of a bad file, which must be exactly `want`. */
static void parse_bad(const char *text, const char *want)
{
    config *c = NULL;
    char err[512] = "";
    assert_int_equal(config_parse("p/.tether.yml", "/proj/p", text, strlen(text), &c, err, sizeof err), -1);
    assert_null(c);
    assert_string_equal(err, want);
}

static void test_full(void **state)
{
    (void)state;
    config *c = parse_ok("# a project's settings\n"
                         "frontend: tree-sitter\n"
                         "compile-database: ../build\n"
                         "exclude: [third_party, \"**/*_gen.c\"]\n"
                         "rules:\n"
                         "  spawn-no-cancel: off\n"
                         "  wg-unbalanced: error\n"
                         "  ticker-not-stopped: note\n"
                         "  unbuffered-send-no-fallback: on\n"
                         "aliases:\n"
                         "  spawn: [my_go, my_go_named]\n"
                         "  send: chan_put\n");
    assert_false(c->inherit);
    assert_int_equal(c->frontend, CONFIG_FE_TREESITTER);
    assert_string_equal(c->compdb, "/build");
    assert_int_equal(c->nexclude, 2);
    assert_string_equal(c->exclude[0].pattern, "third_party");
    assert_string_equal(c->exclude[0].dir, "/proj");
    assert_string_equal(c->exclude[1].pattern, "**/*_gen.c");
    assert_int_equal(c->rules[rule_index("spawn-no-cancel")].enabled, 0);
    assert_int_equal(c->rules[rule_index("wg-unbalanced")].enabled, 1);
    assert_int_equal(c->rules[rule_index("wg-unbalanced")].severity, CONFIG_SEV_ERROR);
    assert_int_equal(c->rules[rule_index("ticker-not-stopped")].severity, CONFIG_SEV_NOTE);
    assert_int_equal(c->rules[rule_index("unbuffered-send-no-fallback")].enabled, 1);
    assert_int_equal(c->rules[rule_index("unbuffered-send-no-fallback")].severity, CONFIG_SEV_UNSET);
    assert_int_equal(c->naliases, 3);
    assert_string_equal(c->aliases[0].name, "my_go");
    assert_string_equal(c->aliases[0].target, "tt_spawn");
    assert_string_equal(c->aliases[1].name, "my_go_named");
    assert_string_equal(c->aliases[2].name, "chan_put");
    assert_string_equal(c->aliases[2].target, "tt_send");
    config_free(c);
}

static void test_empty_and_defaults(void **state)
{
    (void)state;
    config *c = parse_ok("");
    assert_int_equal(c->frontend, CONFIG_FE_UNSET);
    assert_null(c->compdb);
    assert_int_equal(c->nexclude, 0);
    assert_int_equal(c->naliases, 0);
    for (size_t i = 0; i < rule_count; i++)
        assert_int_equal(c->rules[i].enabled, -1);
    config_free(c);
    c = parse_ok("# only a comment\n---\n");
    assert_int_equal(c->frontend, CONFIG_FE_UNSET);
    config_free(c);
    c = parse_ok("inherit: yes\nfrontend: clang\nexclude: build/\n");
    assert_true(c->inherit);
    assert_int_equal(c->frontend, CONFIG_FE_CLANG);
    assert_string_equal(c->exclude[0].pattern, "build");
    config_free(c);
}

static void test_yaml_syntax(void **state)
{
    (void)state;
    parse_bad("rules:\n  spawn-no-cancel: off\n bad: [\n",
              "p/.tether.yml:3:2: invalid YAML: did not find expected key (while parsing a block mapping)");
    parse_bad("frontend: clang\n\tbad\n",
              "p/.tether.yml:2:1: invalid YAML: found a tab character that violates indentation (while scanning a plain scalar)");
    parse_bad("frontend: clang\n@x: 1\n",
              "p/.tether.yml:2:1: invalid YAML: found character that cannot start any token (while scanning for the next token)");
    parse_bad("frontend: clang\n---\nfrontend: clang\n",
              "p/.tether.yml:3:1: a second YAML document: one is allowed");
}

static void test_unknown_names(void **state)
{
    (void)state;
    parse_bad("frontend: clang\nfronted: clang\n",
              "p/.tether.yml:2:1: unknown key 'fronted' (did you mean 'frontend'?) (keys: inherit, "
              "frontend, compile-database, exclude, rules, aliases)");
    parse_bad("colour: red\n",
              "p/.tether.yml:1:1: unknown key 'colour' (keys: inherit, frontend, compile-database, "
              "exclude, rules, aliases)");
    parse_bad("rules:\n  spawn-no-cancle: off\n",
              "p/.tether.yml:2:3: unknown rule 'spawn-no-cancle' (did you mean 'spawn-no-cancel'?) (see `tether rules`)");
    parse_bad("aliases:\n  spwan: [go]\n",
              "p/.tether.yml:2:3: unknown alias target 'spwan' (did you mean 'spawn'?): keys are tether.h "
              "functions without tt_ (spawn, send, recv, chan_new, ...)");
    parse_bad("aliases: {tt_send: [put]}\n",
              "p/.tether.yml:1:11: unknown alias target 'tt_send' (write 'send', without tt_): keys are "
              "tether.h functions without tt_ (spawn, send, recv, chan_new, ...)");
}

static void test_wrong_types(void **state)
{
    (void)state;
    parse_bad("rules: [spawn-no-cancel]\n",
              "p/.tether.yml:1:8: 'rules' must be a mapping (rule-id: on|off|error|warning|note), not a list");
    parse_bad("exclude: {a: b}\n", "p/.tether.yml:1:10: 'exclude' must be a list, not a mapping");
    parse_bad("frontend: [clang]\n", "p/.tether.yml:1:11: 'frontend' must be a single value, not a list");
    parse_bad("frontend: gcc\n", "p/.tether.yml:1:11: 'frontend' must be clang or tree-sitter, not 'gcc'");
    parse_bad("inherit: maybe\n", "p/.tether.yml:1:10: 'inherit' must be true or false, not 'maybe'");
    parse_bad("compile-database:\n", "p/.tether.yml:1:18: 'compile-database' is empty");
    parse_bad("rules:\n  wg-unbalanced: loud\n",
              "p/.tether.yml:2:18: rule 'wg-unbalanced': 'loud' is not on, off, error, warning or note");
    parse_bad("aliases: [go]\n",
              "p/.tether.yml:1:10: 'aliases' must be a mapping (spawn: [my_go]), not a list");
    parse_bad("aliases:\n  spawn: [[go]]\n", "p/.tether.yml:2:11: 'spawn' must be a single value, not a list");
    parse_bad("- frontend\n",
              "p/.tether.yml:1:1: the file must be a mapping of keys (frontend: ..., rules: ...), not a list");
    parse_bad("exclude: [/abs/path]\n",
              "p/.tether.yml:1:11: exclude glob '/abs/path' must be relative to the folder of p/.tether.yml");
}

static void test_bad_values(void **state)
{
    (void)state;
    parse_bad("frontend: clang\nfrontend: tree-sitter\n",
              "p/.tether.yml:2:1: duplicate key 'frontend' (first on line 1)");
    parse_bad("aliases:\n  spawn: [my-go]\n", "p/.tether.yml:2:11: alias 'my-go' is not a C function name");
    parse_bad("aliases:\n  spawn: [tt_go]\n",
              "p/.tether.yml:2:11: alias 'tt_go' is a tether name: aliases are your own wrappers");
    parse_bad("aliases:\n  spawn: [go]\n  send: [go]\n",
              "p/.tether.yml:3:10: alias 'go' already stands for 'spawn'");
}

static void test_glob(void **state)
{
    (void)state;
    static const struct { const char *pat, *path; bool match; } cases[] = {
        { "a.c", "a.c", true },           { "a.c", "b/a.c", false },
        { "*.c", "a.c", true },           { "*.c", "b/a.c", false },
        { "**/*.c", "a.c", true },        { "**/*.c", "b/c/a.c", true },
        { "b/**", "b/c/a.c", true },      { "b/**/a.c", "b/a.c", true },
        { "b/**/a.c", "b/x/y/a.c", true }, { "b/**/a.c", "c/x/a.c", false },
        { "?.c", "a.c", true },           { "?.c", "ab.c", false },
        { "[ab].c", "b.c", true },        { "[!ab].c", "b.c", false },
        { "[a-c]x", "cx", true },         { "[a-c]x", "dx", false },
        { "\\*.c", "*.c", true },         { "\\*.c", "a.c", false },
        { "src/*_gen.c", "src/x_gen.c", true }, { "src/*_gen.c", "src/a/x_gen.c", false },
        { "[", "[", true },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (config_glob_match(cases[i].pat, cases[i].path) != cases[i].match)
            fail_msg("'%s' on '%s': expected %s", cases[i].pat, cases[i].path,
                     cases[i].match ? "a match" : "no match");
}

static void test_excludes(void **state)
{
    (void)state;
    config *c = parse_ok("exclude: [third_party, \"src/*_gen.c\", build/]\n");
    assert_true(config_excludes(c, "/proj/third_party/x/y.c"));
    assert_true(config_excludes(c, "/proj/build/a.c"));
    assert_true(config_excludes(c, "/proj/src/a_gen.c"));
    assert_false(config_excludes(c, "/proj/src/a.c"));
    assert_false(config_excludes(c, "/proj/src/third_party/a.c")); /* relative to the config's folder */
    assert_false(config_excludes(c, "/other/third_party/a.c"));
    assert_false(config_excludes(c, "/projx/third_party/a.c"));
    config_free(c);
}

static void test_abs_path(void **state)
{
    (void)state;
    char *p = config_abs_path("/a/./b//c/../d/");
    assert_string_equal(p, "/a/b/d");
    free(p);
    p = config_abs_path("/..");
    assert_string_equal(p, "/");
    free(p);
    char cwd[4096], want[4200];
    assert_non_null(getcwd(cwd, sizeof cwd));
    p = config_abs_path("x/../y.c");
    snprintf(want, sizeof want, "%s/y.c", strcmp(cwd, "/") == 0 ? "" : cwd);
    assert_string_equal(p, want);
    free(p);
}

/* ---- Finding the file: a scratch tree --------------------------------- */

static char root[256];

static void put(const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    for (char *s = path + strlen(root) + 1; (s = strchr(s, '/')) != NULL; s++) {
        *s = '\0';
        mkdir(path, 0755);
        *s = '/';
    }
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int tree_setup(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "%s/tether-config-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(root))
        return -1;
    put(".tether.yml", "frontend: tree-sitter\nrules: {wg-unbalanced: off, spawn-no-cancel: error}\n"
                       "aliases: {spawn: [go]}\nexclude: [vendor]\n");
    put("a.c", "");
    put("lib/b.c", "");                       /* the root's config */
    put("own/.tether.yml", "frontend: clang\n"); /* replaces the root's */
    put("own/c.c", "");
    put("inh/.tether.yml", "inherit: true\nrules: {wg-unbalanced: note}\naliases: {send: [put], spawn: [go2]}\n");
    put("inh/deep/d.c", "");
    put("bad/.tether.yml", "rules:\n  nope: off\n");
    put("bad/e.c", "");
    put("conf/forced.yml", "inherit: true\nfrontend: clang\n");
    return 0;
}

static int tree_teardown(void **state)
{
    (void)state;
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    return system(cmd);
}

static const config *lookup(config_cache *cc, const char *rel)
{
    char path[512], err[512] = "";
    snprintf(path, sizeof path, "%s/%s", root, rel);
    const config *c = NULL;
    if (config_for_file(cc, path, &c, err, sizeof err) != 0)
        fail_msg("%s: %s", rel, err);
    return c;
}

static void test_nearest_wins(void **state)
{
    (void)state;
    config_cache *cc = config_cache_new(NULL);
    const config *top = lookup(cc, "a.c");
    assert_non_null(top);
    assert_int_equal(top->frontend, CONFIG_FE_TREESITTER);
    assert_ptr_equal(lookup(cc, "lib/b.c"), top);
    assert_ptr_equal(lookup(cc, "lib/not-yet-saved.c"), top);
    const config *own = lookup(cc, "own/c.c");
    assert_int_equal(own->frontend, CONFIG_FE_CLANG);
    assert_int_equal(own->naliases, 0);
    assert_int_equal(own->rules[rule_index("wg-unbalanced")].enabled, -1);
    char path[512];
    snprintf(path, sizeof path, "%s/vendor/x.c", root);
    assert_true(config_excludes(top, path));
    snprintf(path, sizeof path, "%s/own/vendor/x.c", root);
    assert_false(config_excludes(own, path));
    config_cache_free(cc);
}

static void test_inherit_merges(void **state)
{
    (void)state;
    config_cache *cc = config_cache_new(NULL);
    const config *m = lookup(cc, "inh/deep/d.c");
    assert_non_null(m);
    assert_int_equal(m->frontend, CONFIG_FE_TREESITTER);               /* from the root */
    assert_int_equal(m->rules[rule_index("spawn-no-cancel")].severity, CONFIG_SEV_ERROR);
    assert_int_equal(m->rules[rule_index("wg-unbalanced")].enabled, 1); /* note turns it on */
    assert_int_equal(m->rules[rule_index("wg-unbalanced")].severity, CONFIG_SEV_NOTE);
    assert_int_equal(m->naliases, 3); /* put, go2, then the root's go */
    assert_string_equal(m->aliases[0].name, "put");
    assert_string_equal(m->aliases[1].name, "go2");
    assert_string_equal(m->aliases[2].name, "go");
    assert_int_equal(m->nexclude, 1); /* the root's, relative to the root */
    char path[512];
    snprintf(path, sizeof path, "%s/vendor/x.c", root);
    assert_true(config_excludes(m, path));
    config_cache_free(cc);
}

static void test_bad_config_found(void **state)
{
    (void)state;
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(root), 0);
    config_cache *cc = config_cache_new(NULL);
    const config *c = NULL;
    char err[512] = "";
    for (int round = 0; round < 2; round++) { /* the second from the cache */
        assert_int_equal(config_for_file(cc, "bad/e.c", &c, err, sizeof err), -1);
        assert_string_equal(err, "bad/.tether.yml:2:3: unknown rule 'nope' (see `tether rules`)");
    }
    assert_int_equal(config_for_file(cc, "a.c", &c, err, sizeof err), 0);
    assert_non_null(c);
    config_cache_free(cc);
    assert_int_equal(chdir(cwd), 0);
}

static void test_forced(void **state)
{
    (void)state;
    char forced[512];
    snprintf(forced, sizeof forced, "%s/conf/forced.yml", root);
    config_cache *cc = config_cache_new(forced);
    const config *c = lookup(cc, "own/c.c");
    assert_int_equal(c->frontend, CONFIG_FE_CLANG);
    /* inherit: the root's .tether.yml, above forced.yml's folder */
    assert_int_equal(c->naliases, 1);
    assert_ptr_equal(lookup(cc, "bad/e.c"), c); /* the bad one is never read */
    config_cache_free(cc);

    snprintf(forced, sizeof forced, "%s/missing.yml", root);
    cc = config_cache_new(forced);
    const config *none = NULL;
    char err[512] = "", want[600];
    assert_int_equal(config_for_file(cc, "x.c", &none, err, sizeof err), -1);
    snprintf(want, sizeof want, "%s: No such file or directory", forced);
    assert_string_equal(err, want);
    config_cache_free(cc);
}

static void test_no_config(void **state)
{
    (void)state;
    /* "/" and the temp folder's parents normally hold none; a folder with
     * no .tether.yml up to the root gives NULL */
    config_cache *cc = config_cache_new(NULL);
    const config *c = (const config *)1;
    char err[512];
    struct stat st;
    if (stat("/.tether.yml", &st) == 0 || stat("/proc/.tether.yml", &st) == 0)
        skip();
    assert_int_equal(config_for_file(cc, "/proc/self/x.c", &c, err, sizeof err), 0);
    assert_null(c);
    config_cache_free(cc);
}

int main(void)
{
    const struct CMUnitTest parse[] = {
        cmocka_unit_test(test_full),         cmocka_unit_test(test_empty_and_defaults),
        cmocka_unit_test(test_yaml_syntax),  cmocka_unit_test(test_unknown_names),
        cmocka_unit_test(test_wrong_types),  cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_glob),         cmocka_unit_test(test_excludes),
        cmocka_unit_test(test_abs_path),
    };
    const struct CMUnitTest find[] = {
        cmocka_unit_test(test_nearest_wins),     cmocka_unit_test(test_inherit_merges),
        cmocka_unit_test(test_bad_config_found), cmocka_unit_test(test_forced),
        cmocka_unit_test(test_no_config),
    };
    int failed = cmocka_run_group_tests(parse, NULL, NULL);
    failed += cmocka_run_group_tests(find, tree_setup, tree_teardown);
    return failed;
}
