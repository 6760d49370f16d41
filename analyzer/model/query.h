/* query.h — path and summary queries over a model that several rules share:
 * object classes across spawns and calls, who sends/receives/closes what in
 * the whole file, reachability, "on every path to exit", loops that cannot
 * exit, per-function release summaries for same-file helpers.
 *
 * A q_ctx is built once per file (q_new) and only reads the model. Classes
 * extend model_obj_canon(): a spawned task's parameter joins the spawn's
 * argument, a same-file callee's parameters join the call's arguments, and
 * tt_ctx_done()/tt_ticker_chan() of joined bases join too. Joining every call
 * site of a helper over-approximates who touches an object; rules use it only
 * for "does anything ever ..." questions, where a merge can hide a finding
 * but never invent one. */
#ifndef TETHER_QUERY_H
#define TETHER_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/model.h"

/* One event of the file: function, block, index in the block. */
typedef struct q_pos {
    int32_t func;
    uint32_t block, idx;
} q_pos;

typedef struct q_ctx q_ctx;

/* What the whole file does to one class (counts over every function). */
typedef struct q_facts {
    unsigned chan_news, cap_zero_news; /* tt_chan_new; those with a constant 0 capacity */
    unsigned fresh_args;   /* passed `tt_chan_new(...)` directly as a same-file call argument */
    unsigned sends, recvs, closes;     /* select cases included */
    unsigned ctx_news, ctx_timeouts, cancels, ctx_errs;
    unsigned ticker_news, ticker_stops;
    unsigned wg_adds, wg_dones, wg_waits;
    bool has_null, has_background, has_field_or_global;
    bool is_ctx_done, is_ticker_chan, is_after;
    /* code this file does not show may use it: passed to a function defined
     * elsewhere, stored through a pointer, or returned */
    bool escapes;
    bool returned;         /* returned by a function (its caller may use it) */
    model_obj_id base;     /* is_ctx_done / is_ticker_chan: the context / ticker */
} q_facts;

q_ctx *q_new(const model_tu *tu);
void q_free(q_ctx *q);
const model_tu *q_tu(const q_ctx *q);
/* calloc that aborts on out of memory (never NULL; n == 0 is fine). */
void *q_xcalloc(size_t n, size_t size);

/* The whole run of a rule that judges events one by one: builds the file's
 * q_ctx, calls check on every event of `kind` in event order, frees it. */
typedef void (*q_event_check)(q_ctx *q, q_pos at, void *user);
void q_check_each(const model_tu *tu, model_ev_kind kind, q_event_check check, void *user);

/* ---- Events --------------------------------------------------------------- */
size_t q_nevents(const q_ctx *q);           /* every event of the file */
q_pos q_event_pos(const q_ctx *q, size_t i); /* in function, block, index order */
const model_event *q_ev(const q_ctx *q, q_pos p);
/* true when a is before b in the source */
bool q_loc_before(model_loc a, model_loc b);

/* ---- Classes ------------------------------------------------------------ */
model_obj_id q_class(const q_ctx *q, model_obj_id id); /* MODEL_NO_OBJ stays so */
const q_facts *q_facts_of(const q_ctx *q, model_obj_id cls); /* NULL for MODEL_NO_OBJ */
/* Every tt_chan_new of the class has a constant 0 capacity (and there is one). */
bool q_chan_unbuffered(const q_ctx *q, model_obj_id cls);
/* The first CHAN_NEW on the class, or false. */
bool q_chan_new_of(const q_ctx *q, model_obj_id cls, q_pos *out);
/* Can anything ever cancel this context (cancel, timeout, an ancestor's, or
 * code outside the file)? False for tt_ctx_background(). */
bool q_ctx_cancelable(const q_ctx *q, model_obj_id ctx_cls);
/* Can a receive from the channel ever complete? until_closed: the receive
 * loop idiom, which only ends once the channel is closed. */
bool q_recv_can_ready(const q_ctx *q, model_obj_id chan, bool until_closed);
/* Can this blocking select ever return (some case can become ready)? */
bool q_select_can_ready(q_ctx *q, const model_event *sel);
/* The select's case that lets it give up: a tt_after timeout, a context's
 * done channel, or -2 for tt_select_default; -1 if none. */
int q_select_fallback(const q_ctx *q, const model_event *sel);
/* Is the channel the done channel of a context (tt_ctx_done)? */
bool q_is_ctx_done(const q_ctx *q, model_obj_id chan);
/* The event names a same-file function defined elsewhere as `callee`. */
bool q_call_unknown(const model_event *ev);

/* The local a call's result initializes (`T *x = f(...);`, f in this file). */
bool q_call_result(const q_ctx *q, q_pos call, model_obj_id *local);

/* ---- Control flow ----------------------------------------------------- */
bool q_block_in_cycle(const q_ctx *q, int32_t func, uint32_t block);
/* Two blocks in the same strongly connected component (the same loop nest). */
bool q_same_cycle(const q_ctx *q, int32_t func, uint32_t a, uint32_t b);
/* Can control get from the block to a return, an exit() or similar? */
bool q_block_can_end(q_ctx *q, int32_t func, uint32_t block);
/* Does the function ever return to its caller? (Recursion: assumed yes.) */
bool q_func_returns(q_ctx *q, int32_t func);
/* Can control get from the event `at` (not itself) to a return of its
 * function, not past exit() or a same-file call that never returns?
 * *ret (may be NULL): that RETURN event. */
bool q_returns_after(q_ctx *q, q_pos at, q_pos *ret);
/* The blocks of func control can reach from its entry, not past a call to
 * a same-file function that never returns (nblocks entries; caller frees). */
bool *q_live_blocks(q_ctx *q, int32_t func);

/* The natural loop whose head is `head`: body[] (nblocks entries) marks its
 * blocks. Returns false if head is no loop head. Caller frees *body. */
bool q_loop_body(const q_ctx *q, int32_t func, uint32_t head, bool **body);
/* Can control get from the block to a return of its function (not only to
 * exit() and the like)? */
bool q_block_can_return(q_ctx *q, int32_t func, uint32_t block);
/* The innermost loop head whose natural loop holds the block, or -1. */
int64_t q_loop_of(const q_ctx *q, int32_t func, uint32_t block);
/* Is the block in the natural loop whose head is `head` (false if none)? */
bool q_loop_contains(const q_ctx *q, int32_t func, uint32_t head, uint32_t block);

/* ---- One loop (query_loop.c) --------------------------------------------- */
/* Can control leave the loop other than through its condition (break,
 * return, goto) toward a return? Exits decided by cond_block's condition do
 * not count (UINT32_MAX: none). */
bool q_loop_jump_exit(q_ctx *q, int32_t func, uint32_t head, uint32_t cond_block);
/* The earliest such break/goto/return statement the model places. */
bool q_loop_jump_loc_except(q_ctx *q, int32_t func, uint32_t head, uint32_t cond_block, model_loc *out);
/* How many times the body of the counted loop at `head` runs, when the
 * model knows (model_block.trips: `for (i = A; i < B; i++)` and its kin
 * with constant bounds). */
bool q_loop_trip_count(const q_ctx *q, int32_t func, uint32_t head, long long *count);
/* Does that counted loop run at least once? */
bool q_loop_runs(const q_ctx *q, int32_t func, uint32_t head);
/* Is there a path from the loop head around its loop back to the head
 * that enters no block marked in avoid[]? (A head marked in avoid[]: no.) */
bool q_cycle_avoiding(const q_ctx *q, int32_t func, uint32_t head, const bool *avoid);

/* A loop's exits that only a cancellation signal which can never fire would
 * take: every exit of the loop whose head is `head` is decided right after a
 * select whose cases are such dead signals (a never-canceled context's done
 * channel, a channel nothing sends to or closes) and data channels nothing
 * closes, or by tt_ctx_err() on a never-canceled context. *signal is the
 * object of one dead signal (a context, or a channel). False when the loop
 * has no exit at all, or a live one. */
bool q_loop_exits_dead(q_ctx *q, int32_t func, uint32_t head, model_obj_id *signal);

/* Walks forward over one function's CFG from `from` (the event itself
 * included or not), each event at most once per entry into its block. */
typedef enum {
    Q_GO,        /* go on */
    Q_CUT,       /* this path ends here */
    Q_FOUND,     /* stop the walk: found */
    Q_ONLY_SUCC0, /* go on, but leave the block by its first successor only */
    Q_ONLY_SUCC1, /* ... by its second successor only (MODEL_EV_NULL_TEST branches) */
} q_verdict;
typedef q_verdict (*q_visit_fn)(q_ctx *q, q_pos at, const model_event *ev, void *user);
bool q_walk(q_ctx *q, q_pos from, bool include_from, q_visit_fn visit, void *user, q_pos *found);
/* The same, never entering the blocks marked in cut_blocks (may be NULL). */
bool q_walk_cut(q_ctx *q, q_pos from, bool include_from, q_visit_fn visit, void *user,
                const bool *cut_blocks, q_pos *found);
/* Does `from` reach `target` through same-file calls (itself included)? */
bool q_calls_into(const model_tu *tu, int32_t from, int32_t target);
/* Is every path from the function's entry to `b` through `a`? */
bool q_must_precede(q_ctx *q, q_pos a, q_pos b);
/* Does `b` come after `a` on some path (b reachable from a)? */
bool q_reaches(q_ctx *q, q_pos a, q_pos b);

/* ---- Release summaries -------------------------------------------------- */
typedef enum q_release {
    Q_REL_TICKER_STOP, /* tt_ticker_stop; returning, storing or handing the ticker on moves it */
    Q_REL_WG_DONE,     /* tt_wg_done */
    Q_REL_CLOSE,       /* tt_close */
    Q_REL_CANCEL,      /* tt_ctx_cancel */
    Q_REL_SEND,        /* tt_send (a later send on the channel: a terminator message) */
} q_release;

/* Does this event release the class (directly, by moving it, or through a
 * same-file callee that releases it on all its paths)? */
bool q_event_releases(q_ctx *q, const model_event *ev, model_obj_id cls, q_release rel);
/* For a walk that follows an object: the branch of a MODEL_EV_NULL_TEST on
 * its class where it is not NULL (Q_ONLY_SUCC0/1), or Q_GO for other events. */
q_verdict q_non_null_branch(const q_ctx *q, const model_event *ev, model_obj_id cls);
/* A path from `from` to a return of its function on which the class is not
 * released (nor NULL: `if (!t) return;` leaks nothing); *ret is the RETURN event. Paths that never return (endless
 * loops, exit(), callees that never return) are not leaks, and a counted
 * loop that releases it (`for (i = 0; i < N; i++) tt_ticker_stop(t[i]);`)
 * is taken to run. */
bool q_leak_path(q_ctx *q, q_pos from, bool include_from, model_obj_id cls, q_release rel,
                 q_pos *ret);
/* On a leaking path from `from` to `ret` (see q_leak_path), the last
 * break/continue/goto/return statement before `ret`: the exit the user must
 * change. False when the path has none the model places. */
bool q_leak_exit_loc(q_ctx *q, q_pos from, bool include_from, model_obj_id cls, q_release rel, q_pos ret,
                     model_loc *out);
/* Does the function release the class on every path to its return? */
bool q_func_releases(q_ctx *q, int32_t func, model_obj_id cls, q_release rel);
/* Does the function, or a same-file function it calls, have an event of
 * this kind on the class? */
bool q_func_touches(q_ctx *q, int32_t func, model_obj_id cls, model_ev_kind kind);

/* ---- Unbuffered sends that can block forever (query_send.c) ------------- */
typedef enum q_send_why {
    Q_SEND_OK,        /* no finding */
    Q_SEND_CIRCULAR,  /* its only receivers are blocked sending first */
    Q_SEND_RETURNS,   /* the owner returns without receiving (loc, text) */
    Q_SEND_STOPS,     /* the receiver stops receiving first (loc) */
    Q_SEND_GIVES_UP,  /* the receiver gives up on a timeout or cancel case (loc) */
} q_send_why;

typedef struct q_send_verdict {
    q_send_why why;
    model_loc loc;        /* where the receiver stops (not for CIRCULAR) */
    const char *text;     /* RETURNS: the channel as the owner writes it */
    int32_t other;        /* CIRCULAR: the receiving task's function */
    q_pos other_send;     /* CIRCULAR: the send that receiver is blocked in */
    bool sender_repeats;  /* the send runs more than once */
} q_send_verdict;

/* The spawns of tasks that run `func` (directly or through calls), up to cap. */
size_t q_task_spawns(const q_ctx *q, int32_t func, q_pos *out, size_t cap);
/* Is the event a receive from the class (plain, or a select case)? */
bool q_receives(const q_ctx *q, const model_event *ev, model_obj_id cls);
/* Can this plain tt_send on an unbuffered channel block forever because its
 * receiver stops receiving first, or waits in a circle? (The finding of
 * unbuffered-send-no-fallback.) */
bool q_send_blocks_forever(q_ctx *q, q_pos send, q_send_verdict *v);

/* Is every run of the send followed, on every path, by another plain send
 * on its channel (in its own function, or after the call in each same-file
 * caller): the owner always ends with a terminator message? Runs that are
 * not followed must happen at most once (they are the terminator itself). */
bool q_send_terminated(q_ctx *q, q_pos send);

/* ---- More senders than receives (query_count.c) ------------------------ */
typedef struct q_count_verdict {
    long long senders;   /* tasks spawned that each send once */
    long long receives;  /* values the owner receives on that path */
    model_loc loc;       /* the owner's last receive on it, or its return */
    int32_t owner;       /* the function that spawns and receives */
} q_count_verdict;
/* Is the send in a task that sends on its unbuffered channel once, spawned
 * by one owner that, on some path, receives fewer values than the number of
 * such tasks it spawned (straight-line spawns, counted loops with constant
 * trips)? Every count must be exact; otherwise false. */
bool q_send_outnumbered(q_ctx *q, q_pos send, q_count_verdict *v);

/* ---- The branch on a spawn's own result (query_spawn.c) -------------------- */
/* `if (tt_spawn(task, arg) != TT_OK) { ...; return 1; }` (or `== TT_OK`): the
 * SPAWN ends an if's condition block. The model does not say which branch
 * is the failure: it is read as the one that leaves without using the task
 * (no event `uses` finds, walking from it to a return) while the other
 * branch uses it. Returns that successor index, or -1 (no branch on the
 * spawn's result, or no way to tell). */
int q_spawn_failure_branch(q_ctx *q, q_pos spawn, q_visit_fn uses, void *user);
/* q_walk_cut from a spawn (not itself) that never takes its failure branch
 * (q_spawn_failure_branch with the same `uses`; NULL: the visitor's own
 * Q_FOUND/Q_CUT decide nothing about use, so no branch is skipped). */
bool q_walk_from_spawn(q_ctx *q, q_pos spawn, q_visit_fn visit, void *user, q_visit_fn uses, void *uses_user,
                       const bool *cut_blocks, q_pos *found);

/* Does the event use the channel: send, receive, close, select on it,
 * store or return it, pass it to a call or a spawn? (tt_chan_free does not:
 * it is what the failure branch of a spawn does.) */
bool q_uses_chan(const q_ctx *q, const model_event *ev, model_obj_id cls);
/* From the spawn (on its success branch, see q_spawn_failure_branch with
 * q_uses_chan), a path to a return of the owner on which the channel is not
 * closed (directly or by a same-file helper), stored where it outlives the
 * call, returned, or NULL. *ret: that RETURN. */
bool q_spawn_left_open(q_ctx *q, q_pos spawn, model_obj_id chan, q_pos *ret);

/* ---- Which select case a branch follows (query_case.c) -------------------- */
/* The SELECT of func at select_loc (a CASE_TEST's), or NULL. */
const model_event *q_case_select(const q_ctx *q, int32_t func, model_loc select_loc);
/* When block ends in a CASE_TEST: *cases (bit i: case i; bit ncases: the
 * default of tt_select_default) holds the cases of the tested select (*sel)
 * that can have run when control leaves the block by successor s. False
 * when the block ends in no CASE_TEST whose select is known. */
bool q_case_edge(const q_ctx *q, int32_t func, uint32_t block, size_t s, const model_event **sel,
                 uint64_t *cases);
/* Is select case c a receive that can never complete? */
bool q_case_never_fires(const q_ctx *q, const model_event *sel, size_t c);
/* Is leaving block by successor s possible only after a case that can never
 * fire ran? *signal (may be NULL): that case's channel, or its context. */
bool q_case_edge_dead(const q_ctx *q, int32_t func, uint32_t block, size_t s, model_obj_id *signal);
/* Walks forward from `from` (not itself) like q_walk, but leaves a block
 * that ends in a CASE_TEST on `sel` only by branches taken when one of the
 * cases in `want` (bits as in q_case_edge) ran. */
bool q_walk_case(q_ctx *q, q_pos from, const model_event *sel, uint64_t want, q_visit_fn visit, void *user,
                 q_pos *found);

/* ---- Positions, from the model (query_pos.c) ------------------------------ */
/* The `for`/`while`/`do` keyword of the loop whose head is `head`. */
bool q_loop_loc(q_ctx *q, int32_t func, uint32_t head, model_loc *out);
/* The range of a CHAN_NEW's capacity argument when it is the constant 0. */
bool q_zero_capacity_range(q_ctx *q, const model_event *chan_new, model_loc *begin, model_loc *end);


#endif /* TETHER_QUERY_H */
