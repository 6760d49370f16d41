/* ts_frontend.c — frontend_treesitter_build: parse one C file with
 * tree-sitter-c (no build, no preprocessor, tolerant of broken code) and
 * build the same model the libclang front end builds.
 *
 * Broken code: a function definition whose subtree holds an ERROR or
 * MISSING node (other than a type passed to a macro, `va_arg(ap, T *)`,
 * which is no broken code) is not modeled at all (its name still counts as a function
 * of this file). Dropping a whole function rather than the broken statement
 * is deliberate: a rule that needs "on every path" (cancel, stop, done)
 * would otherwise read a path with a statement silently missing and report a
 * finding the code does not have. Functions that parse are modeled as usual.
 * An unterminated block comment comments out the rest of the file in C, but
 * tree-sitter recovers after it and parses what follows as code: nothing at
 * or after such a comment is modeled. */
#include "frontend/frontend.h"
#include "ts_internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const TSLanguage *tree_sitter_c(void);

/* One parser per thread, reused for every file it parses (parsers keep
 * their buffers); all are deleted at exit and stay reachable until then. */
static _Thread_local TSParser *thread_parser;
static TSParser *all_parsers[64];
static size_t nall_parsers;
static pthread_mutex_t parsers_lock = PTHREAD_MUTEX_INITIALIZER;

static void delete_parsers(void)
{
    pthread_mutex_lock(&parsers_lock);
    for (size_t i = 0; i < nall_parsers; i++)
        ts_parser_delete(all_parsers[i]);
    nall_parsers = 0;
    pthread_mutex_unlock(&parsers_lock);
}

TSParser *ts_thread_parser(bool *own)
{
    *own = false;
    if (thread_parser)
        return thread_parser;
    TSParser *p = ts_parser_new();
    if (!ts_parser_set_language(p, tree_sitter_c())) {
        ts_parser_delete(p);
        return NULL;
    }
    pthread_mutex_lock(&parsers_lock);
    if (nall_parsers < sizeof all_parsers / sizeof *all_parsers) {
        if (nall_parsers == 0)
            atexit(delete_parsers);
        all_parsers[nall_parsers++] = p;
        thread_parser = p;
    } else {
        *own = true;
    }
    pthread_mutex_unlock(&parsers_lock);
    return p;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static char *read_file(const char *path, size_t *len, char *err, size_t errsize)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errsize, "cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = xmalloc(cap);
    for (size_t got; (got = fread(buf + n, 1, cap - n, f)) > 0;) {
        n += got;
        if (n == cap)
            buf = xrealloc(buf, cap *= 2);
    }
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        snprintf(err, errsize, "cannot read %s", path);
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

/* Where a block comment that never ends starts, or len: a lexical scan of
 * comments, strings and character literals. */
static size_t unterminated_comment(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (ch == '/' && i + 1 < len && s[i + 1] == '/') {
            while (i < len && s[i] != '\n')
                i += (s[i] == '\\') ? 2 : 1;
        } else if (ch == '/' && i + 1 < len && s[i + 1] == '*') {
            size_t start = i;
            for (i += 2; i + 1 < len && !(s[i] == '*' && s[i + 1] == '/'); i++)
                ;
            if (i + 1 >= len)
                return start;
            i++;
        } else if (ch == '"' || ch == '\'') {
            for (i++; i < len && s[i] != ch && s[i] != '\n'; i++)
                if (s[i] == '\\')
                    i++;
        }
    }
    return len;
}

/* Whether ERROR node e is only a type written as a macro's argument
 * (`va_arg(ap, tt_chan *)`, `container_of(p, struct job, link)`): a child of
 * a call's argument list holding nothing but words and `*`. The call is
 * still seen; the type is no value. */
static bool type_argument(ts_ctx *c, TSNode e)
{
    TSNode list = ts_node_parent(e);
    if (ts_kind(c, list) != TS_ARGUMENT_LIST || ts_node_child_count(e) == 0)
        return false;
    uint32_t len;
    const char *t = ts_text(c, e, &len);
    for (uint32_t i = 0; i < len; i++) {
        char ch = t[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '_' || ch == '*' || ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'))
            return false;
    }
    return true;
}

/* Whether n holds an ERROR or MISSING node other than a type argument;
 * *line: the 1-based line of the first one. */
static bool first_broken(ts_ctx *c, TSNode n, unsigned *line)
{
    if (!ts_node_has_error(n))
        return false;
    if (ts_node_is_missing(n) || (ts_kind(c, n) == TS_ERROR && !type_argument(c, n))) {
        *line = ts_node_start_point(n).row + 1;
        return true;
    }
    if (ts_kind(c, n) == TS_ERROR)
        return false;
    uint32_t k = ts_node_child_count(n);
    for (uint32_t i = 0; i < k; i++)
        if (first_broken(c, ts_node_child(n, i), line))
            return true;
    return false;
}

static bool broken(ts_ctx *c, TSNode n)
{
    unsigned line;
    return first_broken(c, n, &line);
}

/* Whether n, met among the file's top-level items, is broken code: an
 * ERROR, or a statement C allows only inside a function (tree-sitter reads
 * one at file scope when a stray brace ended a function early). A call
 * statement is not counted: macros are used that way at file scope. */
static bool stray(ts_ctx *c, TSNode n)
{
    switch (ts_kind(c, n)) {
    case TS_ERROR: case TS_COMPOUND_STATEMENT: case TS_RETURN: case TS_IF: case TS_WHILE: case TS_FOR:
    case TS_DO: case TS_SWITCH: case TS_GOTO: case TS_BREAK: case TS_CONTINUE: case TS_LABELED: case TS_CASE:
        return true;
    default:
        return false;
    }
}

/* Function definitions at the top level (and inside preprocessor
 * conditionals: the branches the preprocessor may keep), in source order,
 * counted; modeled unless `model` is false. A function with syntax errors
 * is modeled around them unless they may hide what the analysis follows
 * (ts_broken.c), then skipped. */
static void functions(ts_ctx *c, TSNode parent, bool model)
{
    int known = ts_preproc_known(c, parent); /* -1 but for #if/#elif/#else */
    size_t first = ts_kids(c, parent, true);
    size_t last = c->nkids;
    for (size_t i = first; i < last; i++) {
        TSNode n = c->kids[i];
        if (known >= 0 && (c->kid_fields[i] == c->f_alternative) == (known == 1))
            continue; /* `#if 0` or the alternative of `#if 1` */
        if (ts_holds_items(ts_kind(c, n))) {
            functions(c, n, model);
            continue;
        }
        switch (ts_kind(c, n)) {
        case TS_FUNCTION_DEFINITION:
            c->fn_total++;
            if (ts_node_end_byte(n) > c->cut) {
                c->fn_skipped++;
                break;
            }
            if (broken(c, n)) {
                /* Broken code right after it: where the function really ends is unsure. */
                bool cut_short = i + 1 < last && stray(c, c->kids[i + 1]);
                if (cut_short || ts_errors_hide(c, n, true, type_argument)) {
                    c->fn_skipped++;
                    break;
                }
                c->fn_around++;
            }
            if (model)
                ts_frags_function(c, n);
            break;
        default:
            /* Broken code outside any function tree-sitter could read (a
             * function whose block an #ifdef opens twice is one ERROR): it
             * may hide a whole function. */
            if (!c->outside_hides && ts_kind(c, n) != TS_ERROR && stray(c, n))
                c->outside_hides = true; /* the rest of a function cut short */
            else if (!c->outside_hides && ts_node_has_error(n) && ts_errors_hide(c, n, false, type_argument))
                c->outside_hides = true;
            break;
        }
    }
    ts_kids_pop(c, first);
}

bool ts_mentions(const char *src, size_t len, const char *needle)
{
    size_t k = strlen(needle);
    for (const char *p = src; (p = memchr(p, needle[0], len - (size_t)(p - src))) != NULL; p++)
        if ((size_t)(p - src) + k <= len && memcmp(p, needle, k) == 0)
            return true;
    return false;
}

/* Whether the file may reach the API: it names a tt_ name or an alias, or it
 * includes a project header (whose static inline wrappers, modeled with the
 * header, it may call). */
static bool may_use_api(const char *src, size_t len)
{
    return ts_mentions(src, len, "tt_") || ts_mentions(src, len, "TT_") || frontend_alias_in_text(src, len) ||
           ts_mentions(src, len, "include \"") || ts_mentions(src, len, "include\"");
}

/* Starts c on a new model of the file; ctx_release frees all but the model. */
static void ctx_init(ts_ctx *c, const char *path, const char *src, size_t len, TSNode root)
{
    memset(c, 0, sizeof *c);
    c->src = src;
    c->len = len;
    c->cut = unterminated_comment(src, len);
    c->lang = ts_tree_language(root.tree);
    c->arena = arena_new();
    c->tu = model_new(path);
    c->func = -1;
    c->cursor = ts_tree_cursor_new(root);
    ts_syms_init(c);
}

static void ctx_release(ts_ctx *c)
{
    ts_tree_cursor_delete(&c->cursor);
    free(c->kids);
    free(c->kid_fields);
    free(c->slots);
    free(c->arms);
    free(c->selvars);
    free(c->ginits);
    arena_free(c->arena);
}

/* The model of the file (in c->tu, finished later), with the functions
 * kept from its last build when re is given (an editor's typing). */
static void ctx_model(ts_ctx *c, const char *path, const char *src, size_t len, TSNode root, bool api,
                      ts_reparse *re)
{
    ctx_init(c, path, src, len, root);
    if (api)
        ts_scan_file(c, root);
    if (api && re)
        ts_frags_open(c, root, re);
    functions(c, root, api);
    if (api && !ts_frags_failed(c))
        ts_globals(c);
}

int frontend_treesitter_build(const frontend_input *in, model_tu **out, frontend_stats *stats,
                              char *err, size_t errsize)
{
    *out = NULL;
    frontend_alias_use(in->aliases, in->naliases);
    char *owned = NULL;
    const char *src = in->contents;
    size_t len = in->length;
    if (!src) {
        owned = read_file(in->path, &len, err, errsize);
        if (!owned)
            return -1;
        src = owned;
    }
    if (len > UINT32_MAX) {
        snprintf(err, errsize, "file too large");
        free(owned);
        return -1;
    }
    bool own_parser;
    TSParser *parser = ts_thread_parser(&own_parser);
    if (!parser) {
        snprintf(err, errsize, "tree-sitter-c grammar ABI does not match libtree-sitter");
        free(owned);
        return -1;
    }
    double t0 = now_ms();
    ts_reparse re = { 0 };
    TSTree *tree = in->reuse ? ts_reuse_parse(parser, in->path, src, (uint32_t)len, &re)
                             : ts_parser_parse_string(parser, NULL, src, (uint32_t)len);
    double t1 = now_ms();
    if (own_parser)
        ts_parser_delete(parser);
    if (!tree) {
        snprintf(err, errsize, "tree-sitter could not parse the file");
        ts_frags_free(re.frags);
        free(re.old_text);
        free(owned);
        return -1;
    }
    TSNode root = ts_tree_root_node(tree);
    unsigned deep_line = 0;
    /* Reparsed from a tree measured shallow: only what changed can go deeper. */
    unsigned depth = re.unchanged ? 0
                     : re.changed ? ts_tree_depth_in(root, re.changed, re.nchanged, FRONTEND_MAX_NESTING, &deep_line)
                                  : ts_tree_depth(root, FRONTEND_MAX_NESTING, &deep_line);
    free(re.changed);
    if (depth > FRONTEND_MAX_NESTING) {
        snprintf(err, errsize, "nesting deeper than %u levels at line %u: not analyzed", FRONTEND_MAX_NESTING,
                 deep_line);
        ts_frags_free(re.frags);
        free(re.old_text);
        ts_tree_delete(tree);
        free(owned);
        return -1;
    }
    if (in->reuse)
        ts_reuse_shallow(in->path, re.kept);

    ts_ctx c;
    /* A file that cannot reach the API has nothing to model (tree-sitter
     * sees no macro expansions, so the text is all there is); its functions
     * are still counted. */
    bool api = may_use_api(src, len);
    if (in->fresh_functions) {
        ctx_model(&c, in->path, src, len, root, api, NULL);
        if (!re.edited && re.old_text) /* the same text: what was kept still fits it */
            ts_reuse_keep_frags(in->path, re.kept, re.frags);
        else
            ts_frags_free(re.frags);
        re.frags = NULL;
    } else {
        ctx_model(&c, in->path, src, len, root, api, in->reuse ? &re : NULL);
    }
    bool kept_failed = ts_frags_failed(&c);
    if (kept_failed) { /* a kept function read the model otherwise: afresh */
        ts_frags_free(ts_frags_close(&c));
        ctx_release(&c);
        model_free(c.tu);
        ctx_model(&c, in->path, src, len, root, api, in->reuse ? &re : NULL);
    }
    ts_frags_free(re.frags); /* not taken: the file cannot reach the API */
    free(re.old_text);
    if (in->reuse)
        ts_reuse_keep_frags(in->path, re.kept, ts_frags_close(&c));
    unsigned error_line;
    if (first_broken(&c, root, &error_line)) { /* said, as clang's front end says it, so editors know */
        char msg[256];
        bool lost = c.fn_skipped || c.outside_hides;
        if (c.fn_skipped)
            snprintf(msg, sizeof msg, "syntax error; %zu of %zu functions skipped (their broken code may hide "
                     "what the analysis follows)", c.fn_skipped, c.fn_total);
        else if (c.outside_hides)
            snprintf(msg, sizeof msg, "syntax error outside the functions tree-sitter could read; it may hide "
                     "what the analysis follows");
        else
            snprintf(msg, sizeof msg, "syntax error; %zu of %zu functions modeled around it (their broken code "
                     "names nothing the analysis follows)", c.fn_around, c.fn_total);
        if (in->sink && in->sink->error) {
            frontend_error e = { in->path, { error_line, 1 }, msg, NULL, !lost };
            in->sink->error(in->sink->ctx, &e);
        } else {
            snprintf(err, errsize, "%s (line %u)", msg, error_line);
        }
    }
    model_finish(c.tu);
    double t2 = now_ms();

    ctx_release(&c);
    ts_tree_delete(tree);
    free(owned);
    if (stats) {
        stats->parse_ms = t1 - t0;
        stats->functions = c.fn_total;
        stats->functions_skipped = c.fn_skipped;
        stats->functions_around = c.fn_around;
        stats->functions_kept = c.fn_kept;
        stats->kept_failed = kept_failed;
        stats->model_ms = t2 - t1;
    }
    *out = c.tu;
    return 0;
}
