/* model_impl.h — the model's private state, shared by model.c,
 * model_build.c and model_dump.c only. */
#ifndef TETHER_MODEL_IMPL_H
#define TETHER_MODEL_IMPL_H

#include <stdio.h>

#include "model/arena.h"
#include "model/model.h"

typedef struct obj_slot {
    const char *key;   /* NULL = empty */
    model_obj_id id;
} obj_slot;

/* model_tu plus what only the implementation sees; model_new allocates
 * this and hands out &impl->pub. */
typedef struct model_tu_impl {
    model_tu pub;
    size_t objcap, funccap;
    obj_slot *slots;   /* open addressing, keys in the arena */
    size_t nslots, used;
    struct model_tape *tape; /* recording (model_tape.h), or NULL */
} model_tu_impl;

static inline model_tu_impl *tu_impl(model_tu *tu) { return (model_tu_impl *)tu; }

/* Appends a zeroed function and returns its index. */
int32_t model_add_func(model_tu *tu);

/* Makes parameter `index` of func (used by mb_param): same namespace as
 * locals, one object per name. */
model_obj_id model_obj_param_new(model_tu *tu, int32_t func, int32_t index, const char *name,
                                 model_kind kind, model_loc decl);

/* Numbers printed without printf's format parsing (model_dump.c): the
 * dump is the language server's key for a model, made at every edit. */
void model_put_uint(FILE *out, uint64_t n);
void model_put_int(FILE *out, int64_t n);
/* " L:C" (prefix, then the place). */
void model_put_loc(FILE *out, const char *prefix, model_loc loc);

/* A name that holds a place: "(spawn arg@L:C)" (the local a creation
 * passed to tt_spawn is made on) or "(anonymous at L:C)..." (an unnamed
 * struct's tag). Returns the length of the text before L (0: a name
 * without a place); *at the place, *rest what follows it (model_copy.c). */
size_t model_name_place(const char *name, model_loc *at, const char **rest);
/* name with its place (model_name_place) at `at`, in a malloc'd string. */
char *model_name_at(const char *name, size_t prefix, model_loc at, const char *rest);

/* The calls on objects a tape records (model_tape.c). */
typedef enum tape_op {
    TAPE_LOCAL, TAPE_PARAM, TAPE_GLOBAL, TAPE_FIELD, TAPE_CTX_DONE, TAPE_TICKER_CHAN,
    TAPE_AFTER, TAPE_NULL, TAPE_BACKGROUND, TAPE_ALIAS, TAPE_KIND,
} tape_op;

typedef struct tape_call {
    tape_op op;
    model_kind kind;      /* the kind asked for; TAPE_KIND: the kind read */
    const char *name, *tag;
    int32_t func, index;  /* LOCAL, PARAM: the function; PARAM: the index */
    model_loc decl;       /* LOCAL, PARAM, GLOBAL: the declaration; AFTER: the call */
    model_obj_id a, b;    /* CTX_DONE, TICKER_CHAN, KIND: a; ALIAS: a and b */
} tape_call;

/* Notes a call and its result (MODEL_NO_OBJ for ALIAS and KIND) when tu
 * records a tape. */
void tape_note(model_tu *tu, const tape_call *call, model_obj_id result);
#define TAPE_NOTE(tu, result, ...)                                         \
    do {                                                                   \
        if (tu_impl(tu)->tape)                                             \
            tape_note((tu), &(tape_call){ __VA_ARGS__ }, (result));        \
    } while (0)

#endif /* TETHER_MODEL_IMPL_H */
