/* roots.h — the engine's findings kept per root across runs of one file
 * (driver_opts.reuse_analysis: an editor analyzing the text again at each
 * pause in typing, after memo.h found that the models changed). The engine
 * explores from each root of the call graph on its own; a root whose
 * reachable code is what it was in the file's last run is not explored
 * again: its findings of that run are re-aimed at the new models (the
 * same functions, found by name, may sit at other indexes and positions).
 *
 * "What it was": each function the root can reach (by the names its calls,
 * spawns and values use; the global initializers always) has the same
 * text in the model's dump, with its positions taken relative to the
 * function's first line and each object written as what it is (its dump
 * line) instead of its number. The rules run on every finding as usual, so
 * words and places come from the new models. Thread-safe. */
#ifndef TETHER_DRIVER_ROOTS_H
#define TETHER_DRIVER_ROOTS_H

#include <stddef.h>

#include "driver/util.h"
#include "engine/engine.h"
#include "model/model.h"

typedef struct driver_roots driver_roots;

driver_roots *roots_new(void);
void roots_free(driver_roots *self);

/* What eng_run(tus, n) returns, with the roots of path's last run whose
 * code did not change taken from it (*reused counts them), and this run
 * kept for the next. */
eng_result *roots_run(driver_roots *self, const char *path, const model_tu *const *tus, size_t n,
                      const driver_dump *dumps, size_t *reused);

/* ---- roots_key.c: the functions of a program and what each root reaches. */

/* A function of the program: tus[tu].funcs[func]. */
typedef struct roots_fn {
    unsigned tu;
    int32_t func;
    char *id;                  /* "TU/NAME/K": the K-th function NAME of tus[tu] */
    char *text;                /* its dump, normalized as said above */
    bool pseudo;               /* "(globals)": reached by every root */
} roots_fn;

typedef struct roots_prog {
    roots_fn *fns;             /* in tus order, then funcs order */
    size_t nfns;
    size_t *first;             /* per tu: the index of its first function in fns */
    size_t *by_name;           /* indexes into fns, sorted by function name */
    size_t ntus;
    bool closed;               /* the program has a main */
} roots_prog;

/* dumps: the models' text (driver_dump_model), or NULL. */
void roots_prog_build(roots_prog *p, const model_tu *const *tus, size_t n, const driver_dump *dumps);
void roots_prog_free(roots_prog *p);
/* The indexes into p->fns of what fns[root] reaches (itself and the
 * pseudo-functions included), sorted by id; *n of them. malloc'd. */
size_t *roots_reach(const roots_prog *p, const model_tu *const *tus, size_t root, size_t *n);

#endif /* TETHER_DRIVER_ROOTS_H */
