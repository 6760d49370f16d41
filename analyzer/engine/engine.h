/* engine.h — the exploration engine: runs a program's tasks together,
 * abstractly, from each root of its call graph, and reports the reachable
 * end states where something is lost: a task blocked forever, a task that
 * runs forever after its owner is gone, a ticker never stopped, a context
 * never canceled.
 *
 * It reads the model only (model/model.h, values included). Rules read its
 * result (eng_result) and decide what each finding is called; they never
 * run the engine themselves (analysis/analysis.c runs it once per program).
 *
 * What it does, in the user's terms:
 * - Calls are followed into every function the program defines (to a depth
 *   bound), with the arguments of each call site: constants, NULL, the
 *   background context, capacities, function pointers, struct values.
 * - Objects belong to their creation and its call context: a channel made by
 *   a helper called twice is two channels; a struct field belongs to its
 *   instance; an array element to its index when the index is known.
 * - Tasks interleave at tether operations (and tt_sleep_ms); everything
 *   between two operations of a task runs as one step. Every schedule is
 *   explored (visited states are remembered), timeouts may fire at any time,
 *   sleeps order nothing.
 * - Branches on values the engine knows are decided; branches on unknown
 *   values are explored both ways (and the value is known inside each arm).
 * - Objects that reach code the program does not define (an unknown
 *   function, a library root's caller) are assumed handled there: nothing is
 *   reported about them.
 * - A finding comes only from a complete path: a state with no possible
 *   move, or (for a task that runs forever) a fully explored cycle. A root
 *   whose exploration hits the budget says so in eng_result.budget_hit and
 *   reports only what complete paths showed. */
#ifndef TETHER_ENGINE_H
#define TETHER_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/model.h"

/* A place in the program: an event of a function of one of the models. */
typedef struct eng_site {
    const model_tu *tu;       /* NULL: no site */
    int32_t func;             /* index into tu->funcs */
    uint32_t block, index;    /* the event: tu->funcs[func].blocks[block].events[index] */
} eng_site;

/* The event at a site (NULL for no site). */
const model_event *eng_site_event(eng_site s);
const model_func *eng_site_func(eng_site s);

typedef enum eng_step_kind {
    ENG_STEP_OP,       /* a tether operation ran (site = the event; detail: a select's case) */
    ENG_STEP_CALL,     /* entered function `callee` (site = the CALL) */
    ENG_STEP_RETURN,   /* left a function through a RETURN (site = it) */
    ENG_STEP_NORETURN, /* exit(), abort() ... (site = it) */
    ENG_STEP_BLOCK,    /* entered a block that has a position (break, continue,
                          goto, return statements, loop heads): site.block is
                          the block, site.index is UINT32_MAX */
    ENG_STEP_TIMER,    /* a context's timeout fired (obj = the context) */
} eng_step_kind;

enum { ENG_STEP_CASES = 8 }; /* a select's cases whose channels a step keeps */
typedef struct eng_step {
    eng_step_kind kind;
    uint32_t task;            /* index into eng_finding.tasks */
    eng_site site;
    int32_t detail;           /* OP: the select case that ran (-1 none, TT_DEFAULT -4);
                                 CALL: the callee's function index in site.tu's program
                                 (see callee_tu/callee_func) */
    const model_tu *callee_tu;
    int32_t callee_func;
    uint32_t obj;             /* the object the step operated on (index into
                                 eng_finding.objs), or UINT32_MAX */
    int64_t num;              /* OP: a value it used (wg delta, ...) */
    uint32_t loc_obj;         /* LOCK/UNLOCK/WG ops: the wait group or mutex (index into
                                 eng_finding.objs), or UINT32_MAX */
    uint32_t raw_cell, raw_path; /* (the engine's own: the location behind loc_obj) */
    uint32_t null_cases;      /* OP on a select: bit k set when case k's channel was NULL */
    uint32_t case_objs[ENG_STEP_CASES]; /* OP on a select: case k's channel (index into
                                 eng_finding.objs when the trace names it), or UINT32_MAX */
} eng_step;

typedef enum eng_obj_kind { ENG_OBJ_CHAN, ENG_OBJ_CTX, ENG_OBJ_TICKER, ENG_OBJ_WG, ENG_OBJ_MUTEX } eng_obj_kind;

/* An object as the finding's trace saw it. */
typedef struct eng_obj_info {
    eng_obj_kind kind;
    eng_site made;            /* the creation (CHAN_NEW, CTX_NEW, TICKER_NEW), or for a
                                 channel of a context/ticker/tt_after: that object's */
    uint32_t owner;           /* CHAN of a context's done / a ticker: the index of that
                                 object, else UINT32_MAX */
    bool ctx_done, ticker_chan, after; /* what kind of channel it is */
    int64_t cap;              /* CHAN: capacity (-1 unknown) */
    bool closed, canceled, stopped, timeout; /* at the end state */
    int64_t count;            /* WG: counter at the end; CHAN: buffered values */
    uint32_t holder;          /* MUTEX: task index holding it at the end, or UINT32_MAX */
    eng_site held_at;         /* MUTEX: where the holder locked it */
} eng_obj_info;

typedef struct eng_task_info {
    eng_site spawned;         /* the SPAWN (no site: the root) */
    const model_tu *tu;       /* the task's function */
    int32_t func;
    bool done;                /* it finished before the end state */
    eng_site at;              /* where it is at the end state (a blocking operation) */
    int32_t at_case;          /* -1, or for a select: unused */
    uint32_t wait_obj;        /* the object it waits on at the end (UINT32_MAX: none/several) */
    eng_site frames[16];      /* its call stack at the end: frames[0] is where it
                                 stands, then each caller's CALL, outward */
    uint32_t nframes;
    /* the channels of the operation it is blocked at (a send or receive: one;
     * a select: one per case): an object index, or UINT32_MAX when NULL or not
     * an object the program made; chan_null[i] when it is NULL */
    uint32_t chan[16];
    bool chan_null[16];
    bool chan_background[16]; /* ... NULL because it is tt_ctx_done of the background context */
    uint32_t nchan;
    /* what it would do next if it got past that operation: the operations its
     * code can reach from there (its function, then its callers' rest), with
     * their object where its frame tells (else UINT32_MAX) */
    struct { model_ev_kind kind; uint32_t obj; } next[32];
    uint32_t nnext;
} eng_task_info;

typedef enum eng_finding_kind {
    ENG_BLOCKED,     /* `task` is blocked forever at tasks[task].at */
    ENG_LOOPING,     /* `task` runs forever: its owner returned and it never ends */
    ENG_TICKER_LEAK, /* objs[obj] (a ticker) is never stopped */
    ENG_CTX_LEAK,    /* objs[obj] (a context) is never canceled */
    ENG_WG_NEGATIVE, /* tt_wg_done/add took objs[obj] below zero at `site` */
    ENG_LOCK_LEAK,   /* objs[obj] (a mutex) is still locked when every task is done: locked at
                        `site` by tasks[task], which ended without unlocking it */
} eng_finding_kind;

typedef struct eng_finding {
    eng_finding_kind kind;
    uint32_t task;            /* BLOCKED, LOOPING: the task */
    uint32_t obj;             /* the object involved, or UINT32_MAX */
    eng_site site;            /* the operation (BLOCKED), the creation (leaks) */
    bool deadlock;            /* BLOCKED: every task is blocked, the root too */
    eng_task_info *tasks;     /* every task of the trace; tasks[0] is the root */
    size_t ntasks;
    eng_obj_info *objs;
    size_t nobjs;
    eng_step *steps;          /* the path from the root's start to the end state */
    size_t nsteps;
} eng_finding;

typedef struct eng_opts {
    size_t max_states;        /* per root; 0 = default */
    double max_ms;            /* per program; 0 = default */
    int max_depth;            /* call depth; 0 = default */
    /* Asked for each root before it is explored (may be NULL): true skips
     * it, for a caller that has its findings from an earlier run of the
     * same code (the language server); its eng_root_stats says `skipped`. */
    bool (*skip_root)(void *ctx, const model_tu *tu, int32_t func);
    void *skip_ctx;
} eng_opts;

typedef struct eng_root_stats {
    const model_tu *tu;
    int32_t func;
    size_t states, edges;
    double ms;
    bool budget_hit;
    bool skipped;             /* eng_opts.skip_root said so: not explored */
    size_t first_finding, nfindings; /* its findings: findings[first_finding ..] */
} eng_root_stats;

typedef struct eng_result {
    eng_finding *findings;    /* distinct findings, in a deterministic order */
    size_t nfindings;
    eng_root_stats *roots;
    size_t nroots;
    bool budget_hit;          /* some root's exploration was cut short */
    size_t states;            /* total over roots */
    double ms;
} eng_result;

/* Explores the program made of tus[0..ntus). Never fails (a program it
 * cannot run yields no findings). Free the result with eng_result_free. */
eng_result *eng_run(const model_tu *const *tus, size_t ntus, const eng_opts *opts);
void eng_result_free(eng_result *r);

#endif /* TETHER_ENGINE_H */
