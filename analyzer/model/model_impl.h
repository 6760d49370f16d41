/* model_impl.h — the model's private state, shared by model.c,
 * model_build.c and model_dump.c only. */
#ifndef TETHER_MODEL_IMPL_H
#define TETHER_MODEL_IMPL_H

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
} model_tu_impl;

static inline model_tu_impl *tu_impl(model_tu *tu) { return (model_tu_impl *)tu; }

/* Appends a zeroed function and returns its index. */
int32_t model_add_func(model_tu *tu);

/* Makes parameter `index` of func (used by mb_param): same namespace as
 * locals, one object per name. */
model_obj_id model_obj_param_new(model_tu *tu, int32_t func, int32_t index, const char *name,
                                 model_kind kind, model_loc decl);

#endif /* TETHER_MODEL_IMPL_H */
