/* engine_impl.h — the engine's private types, shared by its files:
 *   eng_prog.c    the program: functions and globals of all models, roots
 *   eng_intern.c  per-run tables: names, paths, canonical ids, sites
 *   eng_state.c   states: tasks, memory cells, objects (copy-on-write), hashing, GC
 *   eng_eval.c    values: evaluating model values, loads and stores
 *   eng_exec.c    running a task between two operations (calls, branches)
 *   eng_ops.c     the operations: which can run, and what they do
 *   eng_explore.c the eng_search: schedules, visited states, end states, findings
 *   eng_trace.c   replaying a finding's path into its steps
 *
 * Vocabulary: a *state* is every task's position and stack, all memory and
 * every object. Tasks only ever pause in front of an *operation* (a tether
 * call other tasks can see, or tt_sleep_ms); a *move* runs one operation
 * (two for a channel handoff) and then the task(s) on to their next
 * operation. Unknown branches fork a move into several successor states. */
#ifndef TETHER_ENGINE_IMPL_H
#define TETHER_ENGINE_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"
#include "model/model.h"

#define ENG_NONE UINT32_MAX

/* ---- values ---------------------------------------------------------------- */
typedef enum eng_vkind {
    EV_UNKNOWN = 0, /* anything (nz: known not to be zero) */
    EV_INT,         /* n (NULL is INT 0) */
    EV_PTR,         /* cell a, path b */
    EV_FUNC,        /* function a (index into prog.funcs) */
    EV_CHAN,        /* object a */
    EV_CTX,         /* object a; a == ENG_BACKGROUND: the background context */
    EV_TICKER,      /* object a */
    EV_REC,         /* a struct or array value held in detached cell a */
    EV_STR,         /* a string literal: non-NULL, nothing tracked */
    EV_MUTEX,       /* a locked mutex: held by task n - 1, locked at site a (free: INT 0) */
} eng_vkind;

#define ENG_BACKGROUND (ENG_NONE - 1)
#define ENG_AFTER_FRESH (ENG_NONE - 2) /* a tt_after evaluated without making it (pure) */

typedef struct eng_val {
    uint8_t kind;
    uint8_t nz;       /* UNKNOWN: known non-zero */
    uint32_t a, b;
    int64_t n;
} eng_val;

static inline bool ev_same(eng_val x, eng_val y)
{
    return x.kind == y.kind && x.nz == y.nz && x.a == y.a && x.b == y.b && x.n == y.n;
}
static inline eng_val ev_unknown(void) { return (eng_val){ EV_UNKNOWN, 0, 0, 0, 0 }; }
static inline eng_val ev_int(int64_t n) { return (eng_val){ EV_INT, 0, 0, 0, n }; }
static inline eng_val ev_ptr(uint32_t cell, uint32_t path) { return (eng_val){ EV_PTR, 0, cell, path, 0 }; }
static inline eng_val ev_obj(eng_vkind k, uint32_t id) { return (eng_val){ (uint8_t)k, 0, id, 0, 0 }; }

/* ---- per-run tables ---------------------------------------------------------- */
typedef struct eng_map eng_map; /* (u64 key) -> u32, open addressing */

/* Path steps: how a location goes down from a cell. */
#define STEP_FIELD(name) ((uint32_t)(name) * 4u + 0u)
#define STEP_VAR(name) ((uint32_t)(name) * 4u + 3u)
#define STEP_INDEX(k) ((uint32_t)((int64_t)(k) + (1 << 27)) * 4u + 1u)
#define STEP_ANY_INDEX 2u
#define STEP_IS_INDEX(s) (((s) & 3u) == 1u)
#define STEP_INDEX_OF(s) ((int64_t)((s) >> 2) - (1 << 27))
#define ENG_INDEX_MAX ((int64_t)1 << 26)

typedef struct eng_path { uint32_t parent, step, depth; } eng_path;

/* What a function's frame still needs (eng_live.c). */
typedef struct eng_fninfo {
    uint32_t *vars;           /* its locals and parameters (interned names) */
    uint8_t *addr_taken;      /* per var: reachable through a pointer: always live */
    uint32_t nvars, varcap, words;
    uint64_t **live;          /* per block: per event (and the block's end) the live vars */
    int32_t *def_block;       /* per event id: the block of the event */
    uint8_t *long_lived;      /* per event id: its result is read in another block */
    uint8_t *loop_plain;      /* per loop head: its body only computes, locks, unlocks
                                 or sleeps (how many rounds it runs changes nothing
                                 anyone counts) */
} eng_fninfo;

typedef struct eng_func {
    const model_tu *tu;
    int32_t tu_index;
    int32_t func;
    const model_func *fn;
    uint32_t name;            /* interned */
    eng_fninfo *info;         /* built on first use */
} eng_func;

typedef struct eng_site_rec { eng_site s; const model_event *ev; } eng_site_rec;

typedef struct eng_prog {
    const model_tu *const *tus;
    size_t ntus;
    eng_func *funcs;
    size_t nfuncs;
    eng_map *func_by_name;    /* key: name (non-static) or tu<<32|name (static) */
    bool closed;              /* the program has main: globals are its own */
} eng_prog;

/* Everything that lives for one eng_run. */
typedef struct eng_run_ctx {
    eng_prog prog;
    /* interned strings */
    char **names;
    size_t nnames, namecap;
    eng_map *name_map;
    eng_map *name_ptr_map;    /* model string address -> name */
    eng_map *func_cache;      /* model value address -> the function it names */
    /* interned paths: path 0 is the empty path */
    eng_path *paths;
    size_t npaths, pathcap;
    eng_map *path_map;
    /* canonical ids (tasks, cells, objects): (kind, a, b, k) -> id */
    eng_map *id_map;
    uint32_t (*id_tuples)[4]; /* id -> its (kind, a, b, k) */
    size_t id_tuplecap;
    uint32_t next_id;
    /* sites: id -> event */
    eng_site_rec *sites;
    size_t nsites, sitecap;
    eng_map *site_map;
    /* options */
    size_t max_states;
    int max_depth;
    double deadline_ms;
    uint32_t global_cell;     /* the cell of every global variable */
    uint32_t cur_site;        /* the site of the event being run (for tt_after) */
} eng_run_ctx;

uint32_t eng_name(eng_run_ctx *r, const char *s);
/* The same for a string of the models (cached by its address). */
uint32_t eng_model_name(eng_run_ctx *r, const char *s);
const char *eng_name_str(const eng_run_ctx *r, uint32_t id);
uint32_t eng_path_child(eng_run_ctx *r, uint32_t parent, uint32_t step);
static inline uint32_t eng_path_parent(const eng_run_ctx *r, uint32_t p) { return r->paths[p].parent; }
static inline uint32_t eng_path_step(const eng_run_ctx *r, uint32_t p) { return r->paths[p].step; }
static inline uint32_t eng_path_depth(const eng_run_ctx *r, uint32_t p) { return r->paths[p].depth; }
bool eng_path_has_prefix(const eng_run_ctx *r, uint32_t p, uint32_t prefix);
/* p with its prefix `from` replaced by `to` (p must have prefix from). */
uint32_t eng_path_rebase(eng_run_ctx *r, uint32_t p, uint32_t from, uint32_t to);
uint32_t eng_intern_id(eng_run_ctx *r, uint32_t kind, uint32_t a, uint32_t b, uint32_t k);
uint32_t eng_site_id(eng_run_ctx *r, const model_tu *tu, int32_t func, uint32_t block, uint32_t index);
static inline const eng_site_rec *eng_site_get(const eng_run_ctx *r, uint32_t id) { return &r->sites[id]; }

eng_map *eng_map_new(void);
void eng_map_free(eng_map *m);
bool eng_map_get(const eng_map *m, uint64_t key, uint32_t *val);
void eng_map_put(eng_map *m, uint64_t key, uint32_t val);

const eng_fninfo *eng_fninfo_of(eng_run_ctx *r, uint32_t fn);
/* Whether local `name` may still be read at event `ev` of `block`. */
bool eng_var_live(const eng_fninfo *fi, uint32_t block, uint32_t ev, uint32_t name);
void eng_fninfo_free(eng_fninfo *fi, size_t nblocks);

void eng_prog_init(eng_run_ctx *r, const model_tu *const *tus, size_t ntus);
void eng_prog_free(eng_prog *p);
/* The function named `name` as seen from tu (its static functions first), or ENG_NONE. */
uint32_t eng_prog_lookup(eng_run_ctx *r, const model_tu *tu, const char *name);
/* The roots: main, then each external function nothing calls or names. */
size_t eng_prog_roots(eng_run_ctx *r, uint32_t **out);

/* ---- states ------------------------------------------------------------------ */
typedef enum { CELL_GLOBAL, CELL_FRAME, CELL_HEAP, CELL_REC, CELL_ENV } eng_cell_kind;

typedef struct eng_entry { uint32_t path; eng_val v; } eng_entry;

typedef struct eng_cell {
    uint32_t refs, id;
    uint8_t kind;             /* eng_cell_kind */
    bool zeroed;              /* missing entries read as 0 (calloc, globals, {0}) */
    bool escaped;             /* some part is reachable from code the program does not
                                 define: the parts under esc[0..nesc) (path 0: all) */
    uint32_t *esc;
    uint32_t nesc;
    uint32_t site;            /* allocation site (heap), or ENG_NONE */
    uint32_t n, cap;
    eng_entry *e;             /* sorted by path */
    uint64_t hash;
    bool hashed;
} eng_cell;

typedef struct eng_frame {
    uint32_t fn;              /* prog.funcs index */
    uint32_t block, ev;       /* the next event to run */
    uint32_t cell;            /* the locals' cell */
    int32_t ret_id;           /* the caller's CALL event id its result goes to (-1 none) */
    eng_val *temps;           /* nids results */
    uint8_t *visits;          /* per block (nblocks): loop-head visits (saturating) */
    int32_t nids;
    uint32_t nblocks;
} eng_frame;

typedef struct eng_task {
    uint32_t refs, id;
    uint32_t spawn_site;      /* ENG_NONE for the root */
    uint32_t fn;              /* the task function */
    uint32_t nframes, framecap;
    eng_frame *frames;
    bool yield;               /* paused by the step limit (not at an operation) */
    uint32_t allocs;          /* next allocation index hint */
    uint64_t hash;
    bool hashed;
} eng_task;

typedef enum { OBJ_CHAN, OBJ_CTX, OBJ_TICKER } eng_okind;

typedef struct eng_vrun { eng_val v; uint32_t n; } eng_vrun;

typedef struct eng_obj {
    uint32_t refs, id;
    uint8_t kind;             /* eng_okind */
    uint32_t site;            /* creation site (CTX of a done chan: the ctx's) */
    bool escaped;
    /* chan */
    int64_t cap;              /* -1: unknown (behaves as the environment's) */
    bool closed, after, fired;
    uint32_t owner;           /* done chan: its ctx; ticker chan: its ticker */
    uint32_t nbuf;            /* values buffered, held as runs of equal ones (a
                                 loop filling a big buffer with one value costs a
                                 run, not a copy of every value, in each state) */
    uint32_t nruns, runcap;
    eng_vrun *runs;
    /* ctx */
    uint32_t parent;          /* ENG_NONE: a root (background parent) */
    bool canceled, timeout, timed_out, cancel_called;
    uint32_t done;            /* its done channel, or ENG_NONE */
    /* ticker */
    bool stopped;
    uint32_t chan;
    uint64_t hash;
    bool hashed;
} eng_obj;

typedef struct eng_state {
    eng_task **tasks;         /* sorted by id */
    uint32_t ntasks;
    eng_cell **cells;         /* sorted by id */
    uint32_t ncells;
    eng_obj **objs;           /* sorted by id */
    uint32_t nobjs;
    bool root_done;           /* the root returned */
    bool exited;              /* exit()/abort(): the process ended */
    uint32_t root_id;
    uint32_t panic_site;      /* a wait group went below zero here (the process
                                 aborted), or ENG_NONE */
} eng_state;

eng_state *eng_state_new(void);
eng_state *eng_state_copy(const eng_state *s);
void eng_state_free(eng_state *s);
uint64_t eng_state_hash(eng_state *s);

eng_task *eng_task_get(const eng_state *s, uint32_t id);
eng_task *eng_task_mut(eng_state *s, uint32_t id);
void eng_task_add(eng_state *s, eng_task *t);   /* takes ownership */
void eng_task_remove(eng_state *s, uint32_t id);
eng_task *eng_task_new(uint32_t id);
eng_frame *eng_task_push(eng_task *t, const eng_func *f);
void eng_task_pop(eng_task *t);

eng_cell *eng_cell_get(const eng_state *s, uint32_t id);
eng_cell *eng_cell_mut(eng_state *s, uint32_t id);
eng_cell *eng_cell_add(eng_state *s, uint32_t id, eng_cell_kind kind, bool zeroed, uint32_t site);
void eng_cell_remove(eng_state *s, uint32_t id);
/* Entries (exact path): NULL if absent. */
const eng_val *eng_cell_find(const eng_cell *c, uint32_t path);
void eng_cell_set(eng_cell *c, uint32_t path, eng_val v);
void eng_cell_del(eng_cell *c, uint32_t path);

eng_obj *eng_obj_get(const eng_state *s, uint32_t id);
eng_obj *eng_obj_mut(eng_state *s, uint32_t id);
eng_obj *eng_obj_add(eng_state *s, uint32_t id, eng_okind kind, uint32_t site);

/* A fresh canonical id not live in s: (kind, a, b, k) for the smallest k. */
enum { ID_TASK = 1, ID_FRAME, ID_HEAP, ID_REC, ID_OBJ, ID_ENV };
uint32_t eng_fresh_id(eng_run_ctx *r, const eng_state *s, uint32_t kind, uint32_t a, uint32_t b);

/* Whether the location (cell, path) is the environment's, or holds a part
 * that is (stores there are visible to unknown code). */
bool eng_loc_escaped(const eng_run_ctx *r, const eng_cell *c, uint32_t path);
/* Marks the part of cell at path (and what it reaches) as escaped. */
void eng_escape_loc(eng_run_ctx *r, eng_state *s, uint32_t cell, uint32_t path);

/* Drops unreachable cells and finished unreachable objects. */
void eng_state_gc(eng_run_ctx *r, eng_state *s);
/* Frees this thread's collector buffers (kept from one collection to the
 * next); eng_run calls it when it ends, before its thread may end. */
void eng_state_gc_release(void);
/* Marks everything reachable from v as escaped. */
void eng_escape(eng_run_ctx *r, eng_state *s, eng_val v);

/* ---- evaluation (eng_eval.c) --------------------------------------------------- */
typedef struct eng_loc { uint32_t cell, path; bool ok; } eng_loc;

typedef struct eng_exec eng_exec; /* one task's run (eng_exec.c) */

eng_val eng_eval(eng_exec *x, const model_val *v);
eng_loc eng_lval(eng_exec *x, const model_val *v);
eng_val eng_load(eng_run_ctx *r, eng_state *s, uint32_t task, eng_loc l);
void eng_store(eng_run_ctx *r, eng_state *s, eng_loc l, eng_val v);
/* A pointer's location (ok false when v is not a pointer). */
eng_loc eng_ptr_loc(eng_val v);
/* Materializes the value at l as a detached record if it is a struct. */
eng_val eng_copy_value(eng_run_ctx *r, eng_state *s, uint32_t task, eng_val v);
/* Truth of v: 1, 0, or -1 unknown. */
int eng_truth(eng_val v);

/* ---- running a task (eng_exec.c) ----------------------------------------------- */
/* The trace recorder (replay only). */
typedef struct eng_rec {
    eng_step *steps;
    size_t n, cap;
    bool on;
    uint32_t null_cases;      /* for the select being recorded */
    uint32_t case_objs[ENG_STEP_CASES]; /* ... and its cases' channels */
} eng_rec;

/* A fork choice sequence, for replay. */
typedef struct eng_forks {
    uint8_t *bits;
    size_t n, cap;
} eng_forks;

typedef struct eng_succ {       /* one successor state of a move */
    eng_state *s;
    eng_forks forks;
} eng_succ;

typedef struct eng_succs {
    eng_succ *v;
    size_t n, cap;
} eng_succs;

struct eng_exec {
    eng_run_ctx *r;
    eng_state *s;
    uint32_t task;
    eng_succs *out;           /* forked states go here */
    eng_forks forks;          /* the choices taken so far */
    const uint8_t *replay;    /* replay: the choices to take */
    size_t nreplay, replay_at;
    eng_rec *rec;
    bool pure;                /* evaluate without changing the state: no new objects or
                                 cells (tt_after gives ENG_AFTER_FRESH, struct values
                                 and compound literals are unknown) */
    uint32_t frame_at;        /* pure: evaluate in frame frame_at - 1 (0: the top one) */
    uint32_t budget;          /* events left before a yield */
    size_t *forks_left;       /* per move */
    bool joined;              /* this path met a state another path of the move
                                 reached first: it is dropped */
};

/* Runs task `task` of s from its position to its next operation (or its
 * end), forking on unknown branches. Each finished run is appended to out.
 * `s` is consumed. */
void eng_run_task(eng_run_ctx *r, eng_state *s, uint32_t task, eng_forks *prefix,
                  const uint8_t *replay, size_t nreplay, size_t *replay_at, eng_rec *rec, eng_succs *out);
/* The operation event the task is paused at (NULL: at a yield or done). */
const model_event *eng_task_op(eng_run_ctx *r, const eng_task *t);
/* Advances past the current event (after an operation ran). */
void eng_task_advance(eng_run_ctx *r, eng_state *s, uint32_t task);
/* Sets the current frame's result for event `id`. */
void eng_task_set_result(eng_state *s, uint32_t task, int32_t id, eng_val v);
/* The site of the task's current event. */
uint32_t eng_task_site(eng_run_ctx *r, const eng_task *t);
/* Whether the task has gone round some loop (forever: a loop with no
 * condition) more than a few times. */
bool eng_task_looping(eng_run_ctx *r, const eng_state *s, uint32_t task, bool forever);
/* Starts a new task running function fn with argument arg. Returns its id. */
uint32_t eng_spawn(eng_run_ctx *r, eng_state *s, uint32_t parent, uint32_t site, uint32_t fn, eng_val arg);
void eng_succs_free(eng_succs *v);
void eng_forks_push(eng_forks *f, uint8_t bit);
eng_step eng_step_init(eng_step_kind kind, uint32_t task);
void eng_rec_step(eng_rec *rec, eng_step st);

/* ---- operations (eng_ops.c) ------------------------------------------------------ */
typedef struct eng_move {
    uint32_t task;            /* the task whose operation runs */
    int32_t choice;           /* select: the case; -2 a context's timer; TT_DEFAULT */
    uint32_t partner;         /* a handoff's other task, or ENG_NONE */
    int32_t pchoice;          /* its case (select) or -1 */
    uint32_t timer_ctx;       /* choice -2: the context whose timer fires */
} eng_move;

typedef struct eng_moves { eng_move *v; size_t n, cap; } eng_moves;
enum { ENG_CHOICE_DEFAULT = -4 }; /* a poll's default (TT_DEFAULT) */

/* Every move possible in s. */
void eng_moves_of(eng_run_ctx *r, eng_state *s, eng_moves *out);
/* Applies a move to a copy of s; the successors go to out. */
void eng_apply(eng_run_ctx *r, const eng_state *s, const eng_move *m, const uint8_t *replay,
               size_t nreplay, eng_rec *rec, eng_succs *out);
/* Partial-order reduction (eng_por.c): the tasks (up to max, in task order)
 * whose every move touches only objects they alone reach. */
size_t eng_private_tasks(eng_run_ctx *r, eng_state *s, const eng_moves *moves, uint32_t *out, size_t max);
/* Whether move m fires a timer (tt_after, a context's timeout): it waits
 * until no task can go on without time passing. */
bool eng_move_is_timer(eng_run_ctx *r, eng_state *s, const eng_move *m);
/* Cancels context id and its descendants (closing their done channels). */
void eng_cancel_ctx(eng_state *s, uint32_t id, bool timed_out);
/* The tether functions a program may take the address of and call through
 * a pointer (`s->cancel = tt_ctx_cancel;`): FUNC values ENG_API_FN | k. */
#define ENG_API_FN 0x80000000u
uint32_t eng_api_fn(const char *name);

/* Why task t cannot move (for findings): the object it waits on. */
uint32_t eng_wait_obj(eng_run_ctx *r, eng_state *s, const eng_task *t, eng_obj_kind *kind);

/* ---- the eng_search (eng_explore.c) and its findings (eng_trace.c) --------------------- */
typedef struct eng_node {
    uint64_t hash;
    uint32_t parent;          /* ENG_NONE: an initial state */
    eng_move move;
    uint32_t forks_off, forks_len;
    uint32_t depth;
    uint32_t edge_off, nedges;
    uint32_t tasks_off, ntasks; /* the tasks alive (ids) */
    uint32_t self_task[2];    /* the tasks of a move that leads back to this very
                                 state (its task and partner), or ENG_NONE */
    bool expanded, root_done;
} eng_node;
/* A finding found during the eng_search: its key and the eng_node that shows it. */
typedef struct eng_cand {
    eng_finding_kind kind;
    uint32_t k1, k2, k3;      /* the key */
    uint32_t node;
    uint32_t task;            /* task id in the state */
    uint32_t obj;             /* object id in the state */
    bool deadlock;
} eng_cand;
typedef struct eng_search {
    eng_run_ctx *r;
    eng_node *nodes;
    size_t nnodes, nodecap;
    eng_map *visited;
    uint8_t *forks;
    size_t nforks, forkcap;
    uint32_t *edges;
    size_t nedges, edgecap;
    uint32_t *alive;
    size_t nalive, alivecap;
    eng_cand *cands;
    size_t ncands, candcap;
    bool budget_hit;
    uint32_t debug_every;     /* TETHER_ENGINE_STATES: print every Nth new state */
} eng_search;

/* The state before the root runs (globals initialized, the root's frame). */
eng_state *eng_initial_state(eng_run_ctx *r, uint32_t root_fn);
/* Replays each candidate of S and appends the findings to res. */
void eng_trace_findings(eng_run_ctx *r, uint32_t root_fn, eng_search *S, eng_result *res);

#endif /* TETHER_ENGINE_IMPL_H */
