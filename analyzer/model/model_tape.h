/* model_tape.h — a function's model kept for the next build of its file.
 *
 * An editor rebuilds the model of a file at each pause in typing, and most
 * of its functions have not changed. A function's model depends on its own
 * text, on the file's declarations, and on what the functions built before
 * it did to the model's objects (an alias they made can give an object the
 * kind the front end then reads). So while a front end builds a function, a
 * tape records every call it makes on the objects: the get-or-create calls
 * (with their arguments), the aliases, and the kinds it reads. Replaying
 * the tape into the next model makes the same calls in the same order,
 * hence the same objects under the same ids a fresh build makes, and checks
 * that every kind read gives what it gave before; the function's blocks are
 * then copied over with model_func_copy. A replay that reads a different
 * kind fails: the front end then builds the whole file afresh.
 *
 * Object ids in a kept copy of a function are the tape's slots (one per
 * distinct object the tape met, in order). Not recorded, hence not to be
 * called by a walk that is taped: model_obj_set_kind and model_obj_lookup
 * (the tree-sitter front end, the one user, calls neither). */
#ifndef TETHER_MODEL_TAPE_H
#define TETHER_MODEL_TAPE_H

#include "model/model.h"

typedef struct model_tape model_tape;

/* Starts recording the calls on tu's objects (one tape at a time). */
void model_tape_start(model_tu *tu);
/* Stops recording. Returns the tape of function `func`, or NULL when it
 * cannot be replayed (an object it used came from outside the tape, or a
 * local of another function). */
model_tape *model_tape_stop(model_tu *tu, int32_t func);
void model_tape_free(model_tape *t);
/* The number of slots, and the id each slot had in the model recorded. */
size_t model_tape_slots(const model_tape *t);
const model_obj_id *model_tape_ids(const model_tape *t);

/* Where a location recorded in the last model lies in the next one: false
 * when it cannot be told (the replay then fails). */
typedef bool (*model_loc_map)(void *ctx, model_loc *loc);
/* Makes the tape's calls on tu for function `func` (the index the copy of
 * the function will have), locations and names moved through map. ids
 * (model_tape_slots entries) receives the new id of each slot. On success
 * the tape's own locations become the moved ones (the tape describes the
 * new text); on failure the tape is left half moved and tu must be
 * dropped. */
bool model_tape_replay(model_tu *tu, model_tape *t, int32_t func, model_loc_map map, void *ctx, model_obj_id *ids);

/* Appends a copy of src to dst's functions, object ids through map (ids
 * outside [0, nmap) or mapped to a negative id make the copy fail, and it
 * is dropped), every line moved by line_delta. Predecessors are left for
 * model_finish. */
bool model_func_copy(model_tu *dst, const model_func *src, const model_obj_id *map, size_t nmap,
                     int32_t line_delta);
model_val *model_val_copy(model_tu *dst, const model_val *v, int32_t line_delta);
/* A model to hold one function kept for the next build (small chunks: a
 * file's kept functions each have one, freed when it is dropped). */
model_tu *model_holder_new(void);
/* s copied into dst's arena; a name that holds a place ("(spawn arg@L:C)")
 * with L moved by delta. */
const char *model_name_moved(model_tu *dst, const char *s, int32_t delta);

#endif /* TETHER_MODEL_TAPE_H */
