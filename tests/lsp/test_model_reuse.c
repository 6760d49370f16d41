/* test_model_reuse.c — the tree-sitter front end's kept functions
 * (frontend_input.reuse, treesitter/ts_frags.c): a model built from the
 * last build's functions is the model that building every function afresh
 * makes.
 *
 * For every .c file under the folders given, a series of edits of the
 * kinds typing makes (a line added, removed or copied, a comment, a
 * statement with the API, a character changed, even where it breaks the
 * syntax, and a jump back to the original text): after each, the file is
 * built with its kept functions, then again from the same tree with every
 * function built afresh (fresh_functions: tree-sitter's incremental parse
 * may recover from broken code otherwise than a first parse does, so the
 * tree must be the same one), and the two models' dumps (positions
 * included) must be the same text. The functions taken from the last build
 * are counted: most of the file's functions must be, or the reuse is not
 * happening at all.
 *
 *     test_model_reuse DIR...
 *
 * With TEST_MODEL_REUSE_OUT=DIR set, each difference is written there;
 * TEST_MODEL_REUSE_SEED=N makes another series of edits. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "driver/util.h"
#include "frontend/frontend.h"

static unsigned long long rng = 88172645463325252ull;

static unsigned next(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    *len = fread(s, 1, (size_t)n, f);
    s[*len] = '\0';
    fclose(f);
    return s;
}

/* The model of text as model_dump prints it (malloc'd), or NULL; *clean:
 * the text parsed without a syntax error. */
static char *dump(const char *path, const char *text, size_t len, bool keep, frontend_stats *st, bool *clean)
{
    frontend_input in = { 0 };
    in.path = path;
    in.contents = text;
    in.length = len;
    in.reuse = true;
    in.fresh_functions = !keep;
    model_tu *tu = NULL;
    char err[512] = "";
    frontend_stats local;
    if (frontend_treesitter_build(&in, &tu, st ? st : &local, err, sizeof err) != 0)
        return NULL;
    if (clean)
        *clean = err[0] == '\0'; /* a syntax error is said there */
    driver_dump d = driver_dump_model(tu);
    model_free(tu);
    return d.text;
}

/* Byte offset of the start of line k (0-based) of s, or len. */
static size_t line_at(const char *s, size_t len, unsigned k)
{
    size_t i = 0;
    for (; i < len && k; i++)
        if (s[i] == '\n')
            k--;
    return i;
}

static unsigned lines(const char *s, size_t len)
{
    unsigned n = 1;
    for (size_t i = 0; i < len; i++)
        n += s[i] == '\n';
    return n;
}

/* One edit of `text` (malloc'd result), as typing makes them. */
static char *edit(const char *orig, size_t olen, const char *text, size_t len, size_t *out_len)
{
    static const char *const inserts[] = { "\n", "/* a comment */\n", "    tt_sleep_ms(1);\n", "    x++;\n", "int g2;\n" };
    unsigned op = next(8);
    if (op == 7) { /* back to the original */
        *out_len = olen;
        return memcpy(malloc(olen + 1), orig, olen + 1);
    }
    size_t at = line_at(text, len, next(lines(text, len)));
    size_t end = at;
    while (end < len && text[end] != '\n')
        end++;
    if (end < len)
        end++;
    const char *ins = "";
    size_t cut_from = at, cut_to = at;
    char one[2] = { 0, 0 };
    switch (op) {
    case 0: case 1: case 2: case 3: case 4:
        ins = inserts[op];
        break;
    case 5: /* the line removed */
        cut_to = end;
        break;
    case 6: /* a character changed in the line */
        if (end > at + 1) {
            cut_from = at + next((unsigned)(end - at - 1));
            cut_to = cut_from + 1;
            one[0] = "x;{ ("[next(5)];
            ins = one;
        }
        break;
    }
    size_t ilen = strlen(ins);
    *out_len = len - (cut_to - cut_from) + ilen;
    char *s = malloc(*out_len + 1);
    memcpy(s, text, cut_from);
    memcpy(s + cut_from, ins, ilen);
    memcpy(s + cut_from + ilen, text + cut_to, len - cut_to);
    s[*out_len] = '\0';
    return s;
}

static size_t files, builds, functions, kept, refused;
static size_t clean_functions, clean_kept; /* after an edit from clean code to clean code */
static int failures;

static void write_out(const char *dir, const char *what, int n, const char *s, size_t len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s%d%s", dir, what, n, strcmp(what, "kept") && strcmp(what, "fresh") ? ".c" : ".txt");
    FILE *f = fopen(path, "w");
    if (f) {
        fwrite(s, 1, len, f);
        fclose(f);
    }
}

/* With TEST_MODEL_REUSE_OUT=DIR, a difference leaves the text before and
 * after the edit and both dumps in DIR, to see it again. */
static void keep_case(const char *prev, size_t plen, const char *text, size_t len, const char *a, const char *b)
{
    const char *dir = getenv("TEST_MODEL_REUSE_OUT");
    if (!dir)
        return;
    write_out(dir, "before", failures, prev, plen);
    write_out(dir, "after", failures, text, len);
    write_out(dir, "kept", failures, a ? a : "", a ? strlen(a) : 0);
    write_out(dir, "fresh", failures, b ? b : "", b ? strlen(b) : 0);
}

static void check_file(const char *path)
{
    size_t olen;
    char *orig = slurp(path, &olen);
    if (!orig)
        return;
    files++;
    char *text = memcpy(malloc(olen + 1), orig, olen + 1);
    size_t len = olen;
    char *prev = strdup(""); /* the text before the last edit */
    size_t plen = 0;
    bool was_clean = false;
    for (int step = 0; step < 30 && failures < 5; step++) {
        frontend_stats st = { 0 };
        bool clean = false;
        char *a = dump(path, text, len, true, &st, &clean);
        char *b = dump(path, text, len, false, NULL, NULL); /* the same tree: the text is unchanged */
        builds++;
        if (step > 0) {
            functions += st.functions - st.functions_skipped;
            kept += st.functions_kept;
            refused += st.kept_failed;
            if (clean && was_clean) {
                clean_functions += st.functions;
                clean_kept += st.functions_kept;
            }
        }
        was_clean = clean;
        if ((a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0)) {
            failures++;
            keep_case(prev, plen, text, len, a, b);
            size_t i = 0;
            while (a && b && a[i] && a[i] == b[i])
                i++;
            fprintf(stderr, "%s: step %d: the model built with kept functions differs from a fresh one near:\n"
                            "  kept:  %.160s\n  fresh: %.160s\n", path, step, a ? a + (i > 80 ? i - 80 : 0) : "(none)",
                    b ? b + (i > 80 ? i - 80 : 0) : "(none)");
        }
        free(a);
        free(b);
        size_t nlen;
        char *n = edit(orig, olen, text, len, &nlen);
        free(prev);
        prev = text;
        plen = len;
        text = n;
        len = nlen;
    }
    free(text);
    free(prev);
    free(orig);
}

static void walk(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "test_model_reuse: cannot open %s\n", dir);
        failures++;
        return;
    }
    struct dirent *e;
    char **names = NULL;
    size_t n = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        names = realloc(names, (n + 1) * sizeof *names);
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    for (size_t i = 0; i < n; i++) { /* readdir's order varies: sorted for a fixed series */
        for (size_t j = i + 1; j < n; j++)
            if (strcmp(names[j], names[i]) < 0) {
                char *t = names[i];
                names[i] = names[j];
                names[j] = t;
            }
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        struct stat st;
        size_t k = strlen(names[i]);
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            walk(path);
        else if (k > 2 && strcmp(names[i] + k - 2, ".c") == 0)
            check_file(path);
        free(names[i]);
    }
    free(names);
}

int main(int argc, char **argv)
{
    if (getenv("TEST_MODEL_REUSE_SEED")) /* another series of edits */
        rng ^= strtoull(getenv("TEST_MODEL_REUSE_SEED"), NULL, 10) * 2654435761ull;
    for (int i = 1; i < argc; i++)
        walk(argv[i]);
    printf("%zu files, %zu builds: %zu of %zu functions after an edit taken from the last build "
           "(%zu of %zu when the text before and after parsed without a syntax error), "
           "%zu builds refused a kept function and started afresh; %d differences\n",
           files, builds, kept, functions, clean_kept, clean_functions, refused, failures);
    if (files == 0 || failures)
        return 1;
    /* Broken code keeps nothing (a declaration or a function with a syntax
     * error may parse otherwise next time); between two texts without
     * errors, the edited function is walked again (a third of a fixture's
     * functions) and an edit of a declaration walks them all (a third of
     * the edits or so): about half are kept. A third at least, or the
     * reuse has stopped working. */
    if (clean_kept * 3 < clean_functions) {
        fprintf(stderr, "test_model_reuse: fewer than a third of the functions of clean code were taken from the "
                        "last build\n");
        return 1;
    }
    return 0;
}
