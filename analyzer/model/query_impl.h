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
    /* query_trip.c: the file's text with comments and literals blanked */
    bool src_tried;
    char *src;
    size_t srclen;
    size_t *line_off;
    size_t nlines;
};

void *q_xcalloc(size_t n, size_t size);
void q_src_free(q_ctx *q);

#endif /* TETHER_QUERY_IMPL_H */
