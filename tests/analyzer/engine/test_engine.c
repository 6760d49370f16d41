/* test_engine.c — the exploration engine on small programs, each a shape a
 * real leak takes (tests/analyzer/engine/cases/): across functions and
 * files, counts, order, NULLs, pointers, mutexes, loops. Every case is run
 * through both front ends; the findings (kind and line) must be exactly the
 * ones its comments announce:
 *
 *     tt_send(ch, &v); // engine: BLOCKED
 *
 * A case without any such comment must give no finding. A case is a .c
 * file, or a folder of .c files analyzed as one program. Every case must
 * also be explored completely (no budget hit) and give the same result
 * twice. */
#include <dirent.h>
#include <stdbool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "engine/engine.h"
#include "frontend/frontend.h"

#ifndef ENGINE_CASES
#error "ENGINE_CASES: the folder of the engine's cases"
#endif
#ifndef TETHER_INCLUDE_DIR
#error "TETHER_INCLUDE_DIR: the folder of tether.h"
#endif

typedef int (*build_fn)(const frontend_input *, model_tu **, frontend_stats *, char *, size_t);

typedef struct engine_case {
    char name[256];
    char paths[8][1024];
    size_t npaths;
    build_fn build;
    const char *frontend;
} engine_case;

static const char *kind_name(eng_finding_kind k)
{
    switch (k) {
    case ENG_BLOCKED: return "BLOCKED";
    case ENG_LOOPING: return "LOOPING";
    case ENG_TICKER_LEAK: return "TICKER_LEAK";
    case ENG_CTX_LEAK: return "CTX_LEAK";
    case ENG_WG_NEGATIVE: return "WG_NEGATIVE";
    case ENG_LOCK_LEAK: return "LOCK_LEAK";
    }
    return "?";
}

static const char *base(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* A sorted, duplicate-free list of "file:line KIND" lines. */
typedef struct lines {
    char **v;
    size_t n;
} lines;

static void lines_add(lines *l, const char *file, unsigned line, const char *kind)
{
    char buf[600];
    snprintf(buf, sizeof buf, "%s:%u %s", base(file), line, kind);
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], buf) == 0)
            return;
    l->v = realloc(l->v, (l->n + 1) * sizeof *l->v);
    l->v[l->n++] = strdup(buf);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *lines_join(lines *l)
{
    if (l->n) /* qsort's array may not be NULL, even empty */
        qsort(l->v, l->n, sizeof *l->v, cmp_str);
    size_t len = 1;
    for (size_t i = 0; i < l->n; i++)
        len += strlen(l->v[i]) + 1;
    char *s = calloc(len, 1);
    for (size_t i = 0; i < l->n; i++) {
        strcat(s, l->v[i]);
        strcat(s, "\n");
    }
    return s;
}

static void lines_free(lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

/* The findings its comments announce, from every file of the case. */
static char *expected(const engine_case *c)
{
    lines l = { 0 };
    for (size_t p = 0; p < c->npaths; p++) {
        FILE *f = fopen(c->paths[p], "r");
        assert_non_null(f);
        char buf[4096];
        unsigned line = 0;
        while (fgets(buf, sizeof buf, f)) {
            line++;
            const char *at = strstr(buf, "// engine:");
            if (!at)
                continue;
            char kinds[512];
            snprintf(kinds, sizeof kinds, "%s", at + strlen("// engine:"));
            for (char *save = NULL, *k = strtok_r(kinds, " \t\r\n", &save); k; k = strtok_r(NULL, " \t\r\n", &save))
                lines_add(&l, c->paths[p], line, k);
        }
        fclose(f);
    }
    char *s = lines_join(&l);
    lines_free(&l);
    return s;
}

/* The engine's findings on the case's program (opts may be NULL); *states
 * its state count, *budget whether it hit its budget. */
static char *found_with(const engine_case *c, const eng_opts *opts, size_t *states, bool *budget)
{
    model_tu *tus[8];
    for (size_t p = 0; p < c->npaths; p++) {
        frontend_input in = { 0 };
        in.path = c->paths[p];
        in.tether_include_dir = TETHER_INCLUDE_DIR;
        char err[512] = "";
        assert_int_equal(c->build(&in, &tus[p], NULL, err, sizeof err), 0);
    }
    eng_result *r = eng_run((const model_tu *const *)tus, c->npaths, opts);
    *budget = r->budget_hit;
    lines l = { 0 };
    for (size_t i = 0; i < r->nfindings; i++) {
        const eng_finding *f = &r->findings[i];
        const model_event *ev = eng_site_event(f->site);
        assert_non_null(ev);
        lines_add(&l, f->site.tu->path, ev->loc.line, kind_name(f->kind));
    }
    *states = r->states;
    eng_result_free(r);
    for (size_t p = 0; p < c->npaths; p++)
        model_free(tus[p]);
    char *s = lines_join(&l);
    lines_free(&l);
    return s;
}

static char *found(const engine_case *c, size_t *states)
{
    bool budget = false;
    char *s = found_with(c, NULL, states, &budget);
    if (budget)
        fail_msg("%s (%s): the exploration hit its budget after %zu states", c->name, c->frontend, *states);
    return s;
}

static void run_case(void **state)
{
    const engine_case *c = *state;
    char *want = expected(c);
    size_t states1 = 0, states2 = 0;
    char *got = found(c, &states1);
    if (strcmp(want, got) != 0)
        print_error("%s (%s):\n--- expected\n%s--- found\n%s", c->name, c->frontend, want, got);
    assert_string_equal(want, got);
    /* the same again: the search is deterministic */
    char *again = found(c, &states2);
    assert_string_equal(got, again);
    assert_int_equal(states1, states2);
    free(want);
    free(got);
    free(again);
}

/* A search cut short by its budget says so, and reports only what it saw
 * on complete paths: a subset of what the whole search finds. */
static void budget_cut(void **state)
{
    (void)state;
    engine_case c = { .build = frontend_treesitter_build, .frontend = "tree-sitter", .npaths = 1 };
    snprintf(c.name, sizeof c.name, "lock_left_by_ended_task.c");
    snprintf(c.paths[0], sizeof c.paths[0], "%s/%s", ENGINE_CASES, c.name);
    size_t full_states = 0, cut_states = 0;
    bool budget = false;
    char *full = found_with(&c, NULL, &full_states, &budget);
    assert_false(budget);
    assert_true(full_states > 4);
    for (size_t max = 1; max < full_states; max++) {
        eng_opts opts = { .max_states = max };
        char *cut = found_with(&c, &opts, &cut_states, &budget);
        assert_true(budget);
        assert_true(cut_states <= max + 1);
        for (char *save = NULL, *line = strtok_r(cut, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
            assert_non_null(strstr(full, line));
        free(cut);
    }
    free(full);
}

static bool is_c(const char *name)
{
    size_t n = strlen(name);
    return n > 2 && strcmp(name + n - 2, ".c") == 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

/* The cases of the folder: each .c file, and each folder of .c files. */
static size_t load_cases(engine_case **out)
{
    struct dirent **ents;
    int n = scandir(ENGINE_CASES, &ents, NULL, by_name);
    assert_true(n >= 0);
    engine_case *cases = NULL;
    size_t ncases = 0;
    for (int i = 0; i < n; i++) {
        const char *name = ents[i]->d_name;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", ENGINE_CASES, name);
        struct stat st;
        engine_case c = { 0 };
        snprintf(c.name, sizeof c.name, "%s", name);
        if (name[0] == '.' || stat(path, &st) != 0) {
            free(ents[i]);
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            struct dirent **files;
            int m = scandir(path, &files, NULL, by_name);
            for (int j = 0; j < m; j++) {
                if (is_c(files[j]->d_name) && c.npaths < 8 &&
                    snprintf(c.paths[c.npaths], sizeof c.paths[0], "%s/%s", path, files[j]->d_name) <
                        (int)sizeof c.paths[0])
                    c.npaths++;
                free(files[j]);
            }
            free(files);
        } else if (is_c(name)) {
            snprintf(c.paths[c.npaths++], sizeof c.paths[0], "%s", path);
        }
        free(ents[i]);
        if (c.npaths == 0)
            continue;
        cases = realloc(cases, (ncases + 2) * sizeof *cases);
        c.build = frontend_treesitter_build;
        c.frontend = "tree-sitter";
        cases[ncases++] = c;
        c.build = frontend_clang_build;
        c.frontend = "clang";
        cases[ncases++] = c;
    }
    free(ents);
    *out = cases;
    return ncases;
}

int main(void)
{
    char err[512];
    if (frontend_clang_load(err, sizeof err) != 0) {
        fprintf(stderr, "libclang: %s\n", err);
        return 1;
    }
    engine_case *cases = NULL;
    size_t n = load_cases(&cases);
    if (n == 0) {
        fprintf(stderr, "no cases in %s\n", ENGINE_CASES);
        return 1;
    }
    struct CMUnitTest *tests = calloc(n + 1, sizeof *tests);
    char (*names)[300] = calloc(n, sizeof *names);
    for (size_t i = 0; i < n; i++) {
        snprintf(names[i], sizeof names[i], "%s [%s]", cases[i].name, cases[i].frontend);
        tests[i].name = names[i];
        tests[i].test_func = run_case;
        tests[i].initial_state = &cases[i];
    }
    tests[n] = (struct CMUnitTest)cmocka_unit_test(budget_cut);
    int rc = _cmocka_run_group_tests("engine cases", tests, n + 1, NULL, NULL);
    free(tests);
    free(names);
    free(cases);
    return rc;
}
