/* query_impl.h — the private state of a q_ctx, shared by query.c and
 * the query_*.c files only. */
#ifndef TETHER_QUERY_IMPL_H
#define TETHER_QUERY_IMPL_H

#include "model/query.h"

typedef struct q_finfo {
    uint32_t *scc;   /* strongly connected component per block */
    bool *cyclic;    /* the block is on a cycle */
    int8_t returns;  /* 0 unknown, 1 computing, 2 yes, 3 no */
    int64_t *loop_of; /* innermost loop head per block (lazy; see q_loop_of) */
} q_finfo;

typedef struct q_memo {
    int32_t func;
    model_obj_id cls;
    int kind;
    int8_t state;    /* 0 unknown, 1 computing, 2 yes, 3 no */
} q_memo;

typedef struct q_link {
    q_pos call;           /* a CALL to a same-file function returning an object */
    model_obj_id local;   /* the local its result initializes */
} q_link;

struct q_ctx {
    const model_tu *tu;
    model_obj_id *uf;      /* class of every object (flattened) */
    q_facts *facts;        /* indexed by class representative */
    q_pos *all;
    size_t nall;
    q_finfo *fi;
    q_link *links;
    size_t nlinks;
    bool *fully_linked;    /* per function: every in-file call's result is linked */
    q_memo *memo;
    size_t nmemo, capmemo;
};

/* q_walk visitors shared by the query files. q_visit_return: finds a
 * return of the function, not past exit() or a same-file call that never
 * returns. q_visit_leak (user: a q_leak): the same on paths where the class
 * is neither released nor NULL. */
typedef struct q_leak { model_obj_id cls; q_release rel; } q_leak;
q_verdict q_visit_return(q_ctx *q, q_pos at, const model_event *ev, void *user);
q_verdict q_visit_leak(q_ctx *q, q_pos at, const model_event *ev, void *user);

/* Heads of the counted loops of func that run at least once and release
 * the class (nblocks entries; caller frees): a leak walk need not go past them. */
bool *q_releasing_loops(q_ctx *q, int32_t func, model_obj_id cls, q_release rel);

/* Depth-first over fn's blocks along successor edges from `start`, each
 * block once: visit says go past the block (Q_GO), not past it (Q_CUT), or
 * stop (Q_FOUND: returns true). seen_out (nblocks entries, may be NULL)
 * receives every block visited. */
typedef q_verdict (*q_block_fn)(uint32_t block, void *user);
bool q_blocks_from(const model_func *fn, uint32_t start, q_block_fn visit, void *user, bool *seen_out);

#endif /* TETHER_QUERY_IMPL_H */
