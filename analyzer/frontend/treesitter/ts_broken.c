/* ts_broken.c — whether a function's syntax errors may hide something the
 * analysis follows (ts_errors_hide, ts_internal.h).
 *
 * Real code is full of what tree-sitter cannot read without the
 * preprocessor: attribute-like macros (`UNITTEST int f(...)`), an `else`
 * left dangling by an #ifdef, a macro used as a statement without `;`. A
 * function holding such an error used to be skipped whole. Now it is
 * modeled around the error (the broken part is no statement and no event)
 * unless the broken text names something whose loss could change what the
 * rules see (outside functions: only the API, aliases and braces, which
 * could hide a whole function or an API object's declaration):
 *   - an API name (tt_, TT_) or an alias of one;
 *   - a function or prototype of this file (the engine follows those);
 *   - a parameter or local variable of the function, of any type (a
 *     hidden assignment, call or store could change a value or an escape);
 *   - a file-scope variable that can hold an API object (pointer, struct,
 *     API type);
 *   - a jump: return, goto, break, continue (the paths would change);
 *   - a brace (where the blocks, or the function, end is then unsure: an
 *     #ifdef that opens a block twice, once per branch).
 * Every leaf of the broken region is read, whatever tree-sitter made of it:
 * the whole expression or declarator an error sits in, so a half-read call
 * counts with its name. No recursion: tree-sitter's cursor walks the
 * function. */
#include <stdlib.h>
#include <string.h>

#include "ts_internal.h"

typedef struct tb_names {
    const char **s;
    uint32_t *len;
    size_t n, cap;
} tb_names;

static void tb__add(tb_names *v, const char *s, uint32_t len)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 32;
        v->s = xrealloc(v->s, v->cap * sizeof *v->s);
        v->len = xrealloc(v->len, v->cap * sizeof *v->len);
    }
    v->s[v->n] = s;
    v->len[v->n++] = len;
}

static bool tb__has(const tb_names *v, const char *s, uint32_t len)
{
    for (size_t i = 0; i < v->n; i++)
        if (v->len[i] == len && memcmp(v->s[i], s, len) == 0)
            return true;
    return false;
}

static bool tb__word(const char *s, uint32_t len)
{
    if (len == 0 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '_'))
        return false;
    for (uint32_t i = 1; i < len; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
              s[i] == '_'))
            return false;
    return true;
}

static bool tb__is(const char *s, uint32_t len, const char *word)
{
    return strlen(word) == len && memcmp(s, word, len) == 0;
}

/* Moves cur to the next node in pre-order, into the current node's children
 * when descend is set; false at the end of the walk. */
static bool tb__next(TSTreeCursor *cur, bool descend)
{
    if (descend && ts_tree_cursor_goto_first_child(cur))
        return true;
    while (!ts_tree_cursor_goto_next_sibling(cur))
        if (!ts_tree_cursor_goto_parent(cur))
            return false;
    return true;
}

/* Whether leaf text s names something the analysis follows; locals NULL:
 * broken code outside any function, where only the API and braces count
 * (it can hide a function, or an API object's declaration). */
static bool tb__follows(ts_ctx *c, const tb_names *locals, const char *s, uint32_t len)
{
    if (len == 1 && (s[0] == '{' || s[0] == '}'))
        return true; /* a brace in broken code: where blocks end is unsure */
    if (!tb__word(s, len))
        return false;
    if ((len >= 3 && (memcmp(s, "tt_", 3) == 0 || memcmp(s, "TT_", 3) == 0)) || frontend_alias_of(s, len))
        return true;
    if (!locals)
        return false;
    if (tb__is(s, len, "return") || tb__is(s, len, "goto") || tb__is(s, len, "break") ||
        tb__is(s, len, "continue"))
        return true;
    if (tb__has(locals, s, len))
        return true;
    if (ts_find(c, NS_FUNC, s, len, NULL, 0) || ts_find(c, NS_PROTO, s, len, NULL, 0))
        return true;
    ts_entry *g = ts_find(c, NS_GLOBAL, s, len, NULL, 0);
    return g && (g->type.kind != MODEL_KIND_NONE || g->type.is_case || g->type.is_pointer || g->type.tag ||
                 g->type.is_record);
}

/* Adds the name declarator d declares (not the words of its initializer). */
static void tb__declared(ts_ctx *c, TSNode d, tb_names *out)
{
    TSNode name;
    ts_declarator(c, d, (ts_type){ 0 }, &name, NULL);
    uint32_t len;
    const char *s = ts_node_is_null(name) ? NULL : ts_text(c, name, &len);
    if (s && tb__word(s, len))
        tb__add(out, s, len);
}

/* Whether n holds statements or declarations (an error's region stops
 * below it) rather than being part of one expression or declarator. */
static bool tb__container(ts_ctx *c, TSNode n)
{
    switch (ts_kind(c, n)) {
    case TS_EXPRESSION_STATEMENT: case TS_DECLARATION: case TS_RETURN: case TS_COMPOUND_STATEMENT:
    case TS_FUNCTION_DEFINITION: case TS_IF: case TS_ELSE: case TS_WHILE: case TS_FOR: case TS_DO:
    case TS_SWITCH: case TS_CASE: case TS_LABELED: case TS_ATTRIBUTED_STATEMENT: case TS_TRANSLATION_UNIT:
    case TS_PREPROC_IF: case TS_PREPROC_IFDEF: case TS_PREPROC_ELSE: case TS_PREPROC_ELIF:
    case TS_PREPROC_ELIFDEF: case TS_LINKAGE_SPEC: case TS_DECLARATION_LIST: case TS_FIELD_DECL_LIST:
        return true;
    default:
        return false;
    }
}

/* Whether n can stand alone among statements (or file-scope items); what
 * cannot (a bare word tree-sitter set beside an ERROR) belongs to it. */
static bool tb__whole(ts_ctx *c, TSNode n)
{
    switch (ts_kind(c, n)) {
    case TS_EXPRESSION_STATEMENT: case TS_DECLARATION: case TS_RETURN: case TS_COMPOUND_STATEMENT: case TS_IF:
    case TS_WHILE: case TS_FOR: case TS_DO: case TS_SWITCH: case TS_CASE: case TS_LABELED: case TS_BREAK:
    case TS_CONTINUE: case TS_GOTO: case TS_ATTRIBUTED_STATEMENT: case TS_PREPROC_IF: case TS_PREPROC_IFDEF:
    case TS_PREPROC_DEF: case TS_TYPE_DEFINITION: case TS_FUNCTION_DEFINITION: case TS_COMMENT: case TS_ERROR:
        return true;
    default:
        return false;
    }
}

/* Whether a leaf under n names something followed. */
static bool tb__leaves_follow(ts_ctx *c, const tb_names *locals, TSNode n)
{
    TSTreeCursor cur = ts_tree_cursor_new(n);
    bool hit = false;
    do {
        TSNode x = ts_tree_cursor_current_node(&cur);
        uint32_t len;
        const char *s = ts_text(c, x, &len);
        hit = ts_node_child_count(x) == 0 && tb__follows(c, locals, s, len);
    } while (!hit && tb__next(&cur, true));
    ts_tree_cursor_delete(&cur);
    return hit;
}

/* Whether the region of the ERROR node e names something followed. The
 * region is the whole expression or declarator the error sits in (an error
 * inside `tt_send(ch, &;` makes the call half read: its name counts); among
 * statements, the error with the pieces tree-sitter left beside it
 * (`ch = ) ;` reads as a bare word `ch`, then an ERROR). */
static bool tb__region_follows(ts_ctx *c, const tb_names *locals, TSNode e)
{
    for (TSNode up = ts_node_parent(e); !ts_node_is_null(up) && !tb__container(c, up); up = ts_node_parent(up))
        e = up;
    if (tb__leaves_follow(c, locals, e))
        return true;
    switch (ts_kind(c, ts_node_parent(e))) { /* a list of statements or file-scope items */
    case TS_COMPOUND_STATEMENT: case TS_TRANSLATION_UNIT: case TS_CASE: case TS_PREPROC_IF: case TS_PREPROC_IFDEF:
    case TS_PREPROC_ELSE: case TS_PREPROC_ELIF: case TS_PREPROC_ELIFDEF: case TS_DECLARATION_LIST:
        break;
    default:
        return false;
    }
    for (TSNode x = ts_node_prev_named_sibling(e); !ts_node_is_null(x) && !tb__whole(c, x);
         x = ts_node_prev_named_sibling(x))
        if (tb__leaves_follow(c, locals, x))
            return true;
    for (TSNode x = ts_node_next_named_sibling(e); !ts_node_is_null(x) && !tb__whole(c, x);
         x = ts_node_next_named_sibling(x))
        if (tb__leaves_follow(c, locals, x))
            return true;
    return false;
}

bool ts_errors_hide(ts_ctx *c, TSNode def, bool in_function, bool (*ignore)(ts_ctx *c, TSNode error))
{
    /* Pass 1: the names the function declares (parameters and locals). */
    tb_names locals = { 0 };
    TSTreeCursor cur = ts_tree_cursor_new(def);
    if (in_function) do {
        TSNode x = ts_tree_cursor_current_node(&cur);
        ts_sym k = ts_kind(c, x);
        if (k == TS_DECLARATION || k == TS_PARAMETER_DECLARATION) {
            size_t first = ts_kids(c, x, true);
            for (size_t i = first; i < c->nkids; i++)
                if (c->kid_fields[i] == c->f_declarator)
                    tb__declared(c, c->kids[i], &locals);
            ts_kids_pop(c, first);
        }
    } while (tb__next(&cur, true));
    /* Pass 2: every ERROR region (read by tb__region_follows, not entered). */
    bool hides = false;
    ts_tree_cursor_reset(&cur, def);
    for (bool more = true; more && !hides;) {
        TSNode x = ts_tree_cursor_current_node(&cur);
        bool error = ts_kind(c, x) == TS_ERROR;
        hides = error && !ignore(c, x) && tb__region_follows(c, in_function ? &locals : NULL, x);
        more = tb__next(&cur, !error && ts_node_has_error(x));
    }
    ts_tree_cursor_delete(&cur);
    free(locals.s);
    free(locals.len);
    return hides;
}
