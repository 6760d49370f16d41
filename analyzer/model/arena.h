/* arena.h — the model's one allocator: bump allocation in chunks, freed
 * all at once. Aborts on out-of-memory, so call sites never check NULL. */
#ifndef TETHER_ARENA_H
#define TETHER_ARENA_H

#include <stddef.h>

typedef struct model_arena model_arena;

model_arena *arena_new(void);
/* An arena whose chunks are chunk_size bytes (arena_new: 64 KiB), for the
 * many small ones a kept function each has (model_tape.h). */
model_arena *arena_new_sized(size_t chunk_size);
void arena_free(model_arena *a);
void *arena_alloc(model_arena *a, size_t size);          /* zeroed */
char *arena_strdup(model_arena *a, const char *s);       /* NULL stays NULL */
char *arena_strndup(model_arena *a, const char *s, size_t n);

/* malloc/realloc that abort on failure (for growable build-time arrays). */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
/* Grows *items (element size `size`) so that it holds at least need items. */
void grow_array(void **items, size_t *cap, size_t need, size_t size);

#endif /* TETHER_ARENA_H */
