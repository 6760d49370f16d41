/* ts_reuse.c — a file's last tree kept for its next parse (frontend_input.
 * reuse: an editor sending the whole text again at each pause in typing).
 * The new text is compared with the kept one; the span where they differ
 * becomes one ts_tree_edit, and tree-sitter parses the new text with the
 * edited old tree, so only the part around the edit is parsed again. One
 * span for all the changes since the last parse is what tree-sitter needs:
 * the nodes inside it are parsed again, every other node is reused. */
#include "ts_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Files kept (an editor's open documents); the least recently used goes. */
enum { REUSE_FILES = 16 };

typedef struct reuse_entry {
    char *path;
    char *text;
    uint32_t len;
    TSTree *tree;
    bool shallow;              /* its nesting was measured within the limit */
    ts_frags *frags;           /* the functions of its model (ts_frags.c), or NULL */
    unsigned long used;
} reuse_entry;

static reuse_entry reuse__v[REUSE_FILES];
static unsigned long reuse__clock;
static bool reuse__atexit;
static pthread_mutex_t reuse__lock = PTHREAD_MUTEX_INITIALIZER;

static void reuse__entry_free(reuse_entry *e)
{
    free(e->path);
    free(e->text);
    if (e->tree)
        ts_tree_delete(e->tree);
    ts_frags_free(e->frags);
    memset(e, 0, sizeof *e);
}

static void reuse__free_all(void)
{
    pthread_mutex_lock(&reuse__lock);
    for (size_t i = 0; i < REUSE_FILES; i++)
        reuse__entry_free(&reuse__v[i]);
    pthread_mutex_unlock(&reuse__lock);
}

/* Takes path's entry out of the table (*out; zeroed when there is none),
 * so that no other thread edits its tree meanwhile. */
static void reuse__take(const char *path, reuse_entry *out)
{
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&reuse__lock);
    for (size_t i = 0; i < REUSE_FILES; i++)
        if (reuse__v[i].path && strcmp(reuse__v[i].path, path) == 0) {
            *out = reuse__v[i];
            memset(&reuse__v[i], 0, sizeof reuse__v[i]);
            break;
        }
    pthread_mutex_unlock(&reuse__lock);
}

/* Keeps a copy of (path, text, tree) for the next parse of path; returns
 * its stamp (entries are told apart by it). */
static unsigned long reuse__keep(const char *path, const char *text, uint32_t len, const TSTree *tree)
{
    reuse_entry e = { 0 };
    e.path = xmalloc(strlen(path) + 1);
    strcpy(e.path, path);
    e.text = xmalloc((size_t)len + 1);
    memcpy(e.text, text, len);
    e.len = len;
    e.tree = ts_tree_copy(tree);
    pthread_mutex_lock(&reuse__lock);
    if (!reuse__atexit) {
        reuse__atexit = true;
        atexit(reuse__free_all);
    }
    reuse_entry *slot = &reuse__v[0];
    for (size_t i = 0; i < REUSE_FILES; i++) {
        if (reuse__v[i].path && strcmp(reuse__v[i].path, path) == 0) {
            slot = &reuse__v[i]; /* kept by another thread meanwhile: replaced */
            break;
        }
        if (!reuse__v[i].path || (slot->path && reuse__v[i].used < slot->used))
            slot = &reuse__v[i];
    }
    reuse_entry old = *slot;
    unsigned long stamp = e.used = ++reuse__clock;
    *slot = e;
    pthread_mutex_unlock(&reuse__lock);
    reuse__entry_free(&old);
    return stamp;
}

/* The row and byte column of offset off in s. */
static TSPoint reuse__point(const char *s, uint32_t off)
{
    TSPoint p = { 0, 0 };
    uint32_t line_start = 0;
    for (const char *q = s, *end = s + off; (q = memchr(q, '\n', (size_t)(end - q))) != NULL; q++) {
        p.row++;
        line_start = (uint32_t)(q - s) + 1;
    }
    p.column = off - line_start;
    return p;
}

/* The one edit that turns old[0..oldlen) into now[0..len). */
static TSInputEdit reuse__edit(const char *old, uint32_t oldlen, const char *now, uint32_t len)
{
    uint32_t n = oldlen < len ? oldlen : len, pre = 0, suf = 0;
    while (pre < n && old[pre] == now[pre])
        pre++;
    while (suf < n - pre && old[oldlen - 1 - suf] == now[len - 1 - suf])
        suf++;
    TSInputEdit e;
    e.start_byte = pre;
    e.old_end_byte = oldlen - suf;
    e.new_end_byte = len - suf;
    e.start_point = reuse__point(now, pre);
    e.old_end_point = reuse__point(old, e.old_end_byte);
    e.new_end_point = reuse__point(now, e.new_end_byte);
    return e;
}

/* The byte ranges where tree differs from old (edited): tree-sitter's
 * changed ranges and the edit itself. */
static TSRange *reuse__changed(const TSTree *old, const TSTree *tree, const TSInputEdit *e, uint32_t *n)
{
    uint32_t k = 0;
    TSRange *r = ts_tree_get_changed_ranges(old, tree, &k);
    TSRange *out = xmalloc((k + 1) * sizeof *out);
    if (k)
        memcpy(out, r, k * sizeof *r);
    free(r);
    out[k].start_byte = e->start_byte;
    out[k].end_byte = e->new_end_byte;
    *n = k + 1;
    return out;
}

TSTree *ts_reuse_parse(TSParser *parser, const char *path, const char *src, uint32_t len, ts_reparse *out)
{
    reuse_entry last;
    reuse__take(path, &last);
    TSTree *tree;
    memset(out, 0, sizeof *out);
    out->reused = last.tree != NULL;
    if (last.tree) { /* the last text and its functions go to the model's build */
        out->old_text = last.text;
        out->frags = last.frags;
        last.text = NULL;
        last.frags = NULL;
    }
    if (last.tree && last.len == len && memcmp(out->old_text, src, len) == 0) {
        tree = last.tree; /* the same text: the same tree */
        last.tree = NULL;
        out->unchanged = last.shallow;
    } else if (last.tree) {
        TSInputEdit e = reuse__edit(out->old_text, last.len, src, len);
        out->edit = e;
        out->edited = true;
        ts_tree_edit(last.tree, &e);
        tree = ts_parser_parse_string(parser, last.tree, src, len);
        if (tree && last.shallow)
            out->changed = reuse__changed(last.tree, tree, &e, &out->nchanged);
    } else {
        tree = ts_parser_parse_string(parser, NULL, src, len);
    }
    reuse__entry_free(&last);
    if (tree)
        out->kept = reuse__keep(path, src, len, tree);
    return tree;
}

/* path's entry with stamp `kept`, or NULL (gone); reuse__lock held. */
static reuse_entry *reuse__stamped(const char *path, unsigned long kept)
{
    for (size_t i = 0; i < REUSE_FILES; i++)
        if (reuse__v[i].path && strcmp(reuse__v[i].path, path) == 0 && reuse__v[i].used == kept)
            return &reuse__v[i];
    return NULL;
}

void ts_reuse_keep_frags(const char *path, unsigned long kept, ts_frags *frags)
{
    pthread_mutex_lock(&reuse__lock);
    reuse_entry *e = frags ? reuse__stamped(path, kept) : NULL;
    if (e) {
        ts_frags_free(e->frags);
        e->frags = frags;
        frags = NULL;
    }
    pthread_mutex_unlock(&reuse__lock);
    ts_frags_free(frags);
}

void ts_reuse_shallow(const char *path, unsigned long kept)
{
    pthread_mutex_lock(&reuse__lock);
    reuse_entry *e = reuse__stamped(path, kept);
    if (e)
        e->shallow = true;
    pthread_mutex_unlock(&reuse__lock);
}
