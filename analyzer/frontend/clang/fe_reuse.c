/* fe_reuse.c — translation units kept for reparsing (fe_reuse.h): a few,
 * the least recently used dropped first, all under one lock (the editor's
 * worker is the only caller that asks for reuse). */
#include "fe_reuse.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Units kept: each holds its headers' AST and preamble (megabytes). */
enum { REUSE_SLOTS = 8 };

typedef struct reuse_slot {
    char *key;                 /* path, NUL, the arguments joined by NUL */
    size_t keylen;
    CXTranslationUnit tu;
    unsigned long used;        /* last use, for eviction */
} reuse_slot;

static pthread_mutex_t reuse__lock = PTHREAD_MUTEX_INITIALIZER;
static reuse_slot reuse__slots[REUSE_SLOTS];
static unsigned long reuse__clock;
static CXIndex reuse__index;

static char *reuse__key(const char *path, const char *const *argv, int argc, size_t *len)
{
    size_t n = strlen(path) + 1;
    for (int i = 0; i < argc; i++)
        n += strlen(argv[i]) + 1;
    char *k = malloc(n), *p = k;
    if (!k)
        abort();
    p = stpcpy(p, path) + 1;
    for (int i = 0; i < argc; i++)
        p = stpcpy(p, argv[i]) + 1;
    *len = n;
    return k;
}

CXTranslationUnit fe_reuse_acquire(const char *path, const char *const *argv, int argc,
                                   struct CXUnsavedFile *unsaved, unsigned nunsaved, unsigned options,
                                   bool *reused, enum CXErrorCode *rc)
{
    pthread_mutex_lock(&reuse__lock);
    /* Kept to the end of the process and never disposed: at exit, libclang's
     * own statics (the preambles' temporary files) may be gone before an
     * atexit handler of ours runs, and disposing a unit then crashes. The
     * units stay reachable from reuse__slots; libclang's statics remove
     * the preambles' temporary files. */
    if (!reuse__index)
        reuse__index = clang_createIndex(0, 0);
    size_t klen;
    char *key = reuse__key(path, argv, argc, &klen);
    reuse_slot *slot = NULL, *oldest = &reuse__slots[0];
    for (size_t i = 0; i < REUSE_SLOTS; i++) {
        reuse_slot *s = &reuse__slots[i];
        if (s->tu && s->keylen == klen && memcmp(s->key, key, klen) == 0)
            slot = s;
        if (!s->tu || (oldest->tu && s->used < oldest->used))
            oldest = s;
    }
    *reused = false;
    *rc = CXError_Success;
    if (slot) {
        int r = clang_reparseTranslationUnit(slot->tu, nunsaved, unsaved, clang_defaultReparseOptions(slot->tu));
        if (r == 0) {
            free(key);
            slot->used = ++reuse__clock;
            *reused = true;
            return slot->tu; /* the lock is held until release */
        }
        clang_disposeTranslationUnit(slot->tu); /* libclang says: a failed reparse leaves it unusable */
        slot->tu = NULL;
    } else {
        slot = oldest;
        if (slot->tu)
            clang_disposeTranslationUnit(slot->tu);
        slot->tu = NULL;
    }
    free(slot->key);
    slot->key = key;
    slot->keylen = klen;
    *rc = clang_parseTranslationUnit2(reuse__index, path, argv, argc, unsaved, nunsaved,
                                      options | CXTranslationUnit_PrecompiledPreamble |
                                          CXTranslationUnit_CreatePreambleOnFirstParse,
                                      &slot->tu);
    if (*rc != CXError_Success || !slot->tu) {
        slot->tu = NULL;
        pthread_mutex_unlock(&reuse__lock);
        return NULL;
    }
    slot->used = ++reuse__clock;
    return slot->tu;
}

void fe_reuse_release(CXTranslationUnit tu)
{
    (void)tu;
    pthread_mutex_unlock(&reuse__lock);
}
