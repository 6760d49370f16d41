/* model.h — what the analyzer knows about one C file: per function, a
 * control-flow graph of concurrency events over abstract objects.
 *
 * Front ends (frontend/clang, frontend/treesitter) build it with the
 * model_obj_* and mb_* calls below; rules only read it. Neither side knows
 * about the other: this header is the seam.
 *
 * Objects are abstract places that hold channels, contexts, tickers, wait
 * groups and mutexes. Struct fields are field-based: every `struct job`
 * instance's field `done` is one object, so the owner's `j->done` and the
 * task's `((struct job *)arg)->done` meet without alias analysis. Plain
 * assignments between places (`tt_chan *c = j->ch;`, `tt_chan *c = arg;`)
 * merge the two objects (model_obj_alias); rules read model_obj_canon().
 *
 * Ownership: the model owns every string and array reachable from it (one
 * arena); model_free releases all of it. */
#ifndef TETHER_MODEL_H
#define TETHER_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A source position in the modeled file: 1-based line and column (column in
 * bytes). 0 means unknown. */
typedef struct model_loc { uint32_t line, col; } model_loc;

typedef enum model_kind {
    MODEL_KIND_NONE = 0, /* not (yet) known to hold a concurrency object */
    MODEL_KIND_CHAN,
    MODEL_KIND_CTX,
    MODEL_KIND_TICKER,
    MODEL_KIND_WG,
    MODEL_KIND_MUTEX,
} model_kind;

typedef enum model_scope {
    MODEL_SCOPE_LOCAL,       /* a local variable of `func` */
    MODEL_SCOPE_PARAM,       /* parameter `param_index` of `func` */
    MODEL_SCOPE_GLOBAL,      /* a file-scope or function-static variable */
    MODEL_SCOPE_FIELD,       /* field `name` of every `struct tag` */
    MODEL_SCOPE_CTX_DONE,    /* tt_ctx_done(base) */
    MODEL_SCOPE_TICKER_CHAN, /* tt_ticker_chan(base) */
    MODEL_SCOPE_AFTER,       /* the channel of one tt_after(ms) call, at `decl` */
    MODEL_SCOPE_NULL,        /* a NULL channel/context (literal NULL or 0) */
    MODEL_SCOPE_BACKGROUND,  /* tt_ctx_background(): never canceled */
} model_scope;

typedef int32_t model_obj_id; /* index into model_tu.objs; MODEL_NO_OBJ = none */
#define MODEL_NO_OBJ ((model_obj_id)-1)

typedef struct model_obj {
    model_scope scope;
    model_kind kind;
    const char *name;      /* LOCAL/PARAM/GLOBAL: identifier; FIELD: field name */
    const char *tag;       /* FIELD: struct tag or typedef name; else NULL */
    int32_t func;          /* LOCAL/PARAM: index into model_tu.funcs; else -1 */
    int32_t param_index;   /* PARAM: 0-based; else -1 */
    model_obj_id base;     /* CTX_DONE/TICKER_CHAN: the context/ticker; else MODEL_NO_OBJ */
    model_loc decl;        /* declaration, or the tt_after call */
    model_obj_id parent;   /* union-find link; use model_obj_canon() */
} model_obj;

typedef enum model_ev_kind {
    MODEL_EV_SPAWN,       /* tt_spawn(callee, args[0]). A creation passed directly
                             (`tt_spawn(f, tt_chan_new(4, 0))`) is made on the local
                             object named "(spawn arg@L:C)" (L:C = the tt_spawn's
                             loc), which args[0] then carries */
    MODEL_EV_CHAN_NEW,    /* obj = tt_chan_new(_, num) ; num = capacity */
    MODEL_EV_SEND,        /* tt_send(obj, _) */
    MODEL_EV_RECV,        /* tt_recv(obj, _) */
    MODEL_EV_SELECT,      /* tt_select / tt_select_default (has_default) over cases;
                             num = the count argument when it is a constant */
    MODEL_EV_CLOSE,       /* tt_close(obj) */
    MODEL_EV_CHAN_FREE,   /* tt_chan_free(obj) */
    MODEL_EV_CTX_NEW,     /* obj = tt_ctx_with_cancel/with_timeout(obj2) ; num = timeout ms (with_timeout) */
    MODEL_EV_CTX_CANCEL,  /* tt_ctx_cancel(obj) */
    MODEL_EV_CTX_ERR,     /* tt_ctx_err(obj): polling for cancellation */
    MODEL_EV_TICKER_NEW,  /* obj = tt_ticker_new(num) */
    MODEL_EV_TICKER_STOP, /* tt_ticker_stop(obj) */
    MODEL_EV_WG_ADD,      /* tt_wg_add(obj, num) */
    MODEL_EV_WG_DONE,     /* tt_wg_done(obj) */
    MODEL_EV_WG_WAIT,     /* tt_wg_wait(obj) */
    MODEL_EV_LOCK,        /* tt_mutex_lock(obj) */
    MODEL_EV_UNLOCK,      /* tt_mutex_unlock(obj) */
    MODEL_EV_SLEEP,       /* tt_sleep_ms(num) */
    MODEL_EV_CALL,        /* callee(args...): any other call that passes an object,
                             and every call to a function defined in this file;
                             obj = the object its result is assigned to
                             (`tt_ticker *t = make_ticker();`), if any */
    MODEL_EV_ESCAPE,      /* obj is stored where it outlives the call (escape_to) */
    MODEL_EV_RETURN,      /* leaves the function; obj = the returned object if any.
                             A creation returned directly (`return tt_ticker_new(9);`)
                             is made on the local object named "(return)" of
                             the function, which the RETURN then carries */
    MODEL_EV_NORETURN,    /* exit(), abort(), _Exit(), pthread_exit(): ends the path */
    MODEL_EV_NULL_TEST,   /* an if condition that tests obj against NULL: `if (t)`,
                             `if (!t)`, `if (t == NULL)`, `if (NULL != t)`. It is the
                             last event of its block, whose succ[0] is the then
                             branch and succ[1] the else branch (or what follows
                             the if). num = 1: the then branch means obj != NULL;
                             num = 0: the then branch means obj == NULL. */
    MODEL_EV_ASSIGN,      /* vals[0] = vals[1]: every assignment (=, op=, ++, --) and
                             initialized declaration, after the events of its right-hand
                             side. Its RESULT is the value stored */
    MODEL_EV_CASE_TEST,   /* a branch on which case a tt_select chose, written on the
                             call (`if (tt_select(cs, 2) == 1)`, `switch (tt_select(..))`)
                             or on a variable that holds its result (`int r =
                             tt_select(..); ... if (r != 0)`). It is the last event of
                             its block. obj2 is unused; `select_loc` is the loc of
                             the SELECT event it tests. For an if: num = the case
                             index compared with, and succ[0] (then) is taken when
                             that case ran if `case_then`, else when it did not
                             (`!=`); num may be TT_DEFAULT (-4). For a switch:
                             num = -1 exactly (no select returns -1); each case
                             block carries its label in model_block.case_value. */
} model_ev_kind;

/* Flags on events. */
enum {
    MODEL_EVF_LOOP_COND = 1u << 0, /* evaluated in a loop condition: its result
                                      decides whether the loop goes on
                                      (`while (tt_recv(ch, &v) == TT_OK)`) */
    MODEL_EVF_IN_COND = 1u << 1,   /* evaluated in a condition (if, switch, loop) */
    MODEL_EVF_NUM_KNOWN = 1u << 2, /* `num` is a compile-time constant */
    MODEL_EVF_FALLTHROUGH_END = 1u << 3, /* RETURN: falling off the end at `}` */
    MODEL_EVF_TIMEOUT = 1u << 4,   /* CTX_NEW: tt_ctx_with_timeout (num is its ms if known) */
};

typedef enum model_escape {
    MODEL_ESCAPE_NONE = 0,
    MODEL_ESCAPE_FIELD,   /* stored into a struct field */
    MODEL_ESCAPE_GLOBAL,  /* stored into a global */
    MODEL_ESCAPE_DEREF,   /* stored through a pointer (*out = t) */
} model_escape;

/* ---- Values: expressions the exploration engine evaluates ----------------- *
 * Every event carries its operands as values (model_event.vals), every
 * assignment is an ASSIGN event, and every branching block its condition
 * (model_block.cond), so the engine can run a function: follow pointers
 * through struct fields, call through function pointers, decide branches on
 * flags and counters. Values are trees in the model's arena, built with the
 * mv_* calls below; both front ends must build the same tree for the same
 * source (the parity test compares --dump-model).
 *
 * Lowering rules (the front ends' contract):
 * - Casts and parentheses are transparent. `sizeof` is UNKNOWN except in
 *   `sizeof a / sizeof a[0]` over an array of known length (INT). Integer
 *   constant expressions made of literals, enum constants, `#define`d
 *   constants, `true`/`false` and the TT_* status codes are folded to INT;
 *   floating-point values are UNKNOWN; a string literal is STRING; NULL,
 *   `(void *)0` and a 0 converted to a pointer are NULL.
 * - An identifier is VAR (a local, parameter or global of the program),
 *   FUNC (a function designator; `&f` and `*f` are FUNC too) or INT (an
 *   enum or #define constant). An identifier the file does not declare is
 *   VAR with scope GLOBAL (the engine resolves it to a function by name if
 *   the program defines one).
 * - Function-static locals are GLOBAL with `is_static` and the name
 *   "NAME@FUNC"; file-static globals are GLOBAL with `is_static`.
 * - `p->f` is FIELD(p, "f") with `arrow`; `s.f` FIELD(s, "f") without.
 *   `a[i]` is INDEX(a, i). `*p` DEREF, `&x` ADDR. `is_array` is set on a
 *   VAR, FIELD or INDEX whose C type is an array: read as a value, it
 *   decays to the address of its first element; INDEX on it selects an
 *   element (INDEX on a pointer reads through the pointer).
 * - Calls, tether API calls and assignments inside an expression are events,
 *   emitted in evaluation order before the expression's value is used; the
 *   expression refers to their results as RESULT(id of the event). The value
 *   of an assignment expression is RESULT of its ASSIGN event (the value
 *   stored); `x++` as a value is BINOP(SUB, RESULT(assign), 1), `++x` is
 *   RESULT(assign).
 * - `a ? b : c`, `a && b`, `a || b`: COND / BINOP(LAND/LOR) over the
 *   operands; when an operand contains an event the front end also builds
 *   the branch blocks (as today), with their conditions.
 * - The side-effect-free tether calls are API values: tt_ctx_done(x),
 *   tt_ticker_chan(x), tt_after(ms), tt_ctx_background(), tt_chan_len(c),
 *   tt_chan_cap(c) (name as in the API, `_at` suffix dropped).
 * - Brace initializers and compound literals are INIT: one element per
 *   initializer with its designator in `names` (".f" for a field, "[3]" for
 *   an index). Positional elements are given the designator the front end
 *   can infer (".f" for the n-th field of a struct it knows, "[n]" in an
 *   array), else NULL. `{0}` and `{}` are INIT with no elements (all zero).
 *   TT_WG_INIT and TT_MUTEX_INIT are INIT with no elements. */
typedef enum model_val_kind {
    MODEL_VAL_UNKNOWN = 0, /* not tracked */
    MODEL_VAL_INT,         /* num */
    MODEL_VAL_NULL,
    MODEL_VAL_STRING,      /* a string literal: some non-NULL pointer; name = its source text */
    MODEL_VAL_VAR,         /* name, scope (LOCAL, PARAM with num = index, GLOBAL), is_static */
    MODEL_VAL_FUNC,        /* name */
    MODEL_VAL_FIELD,       /* sub[0] -> name (arrow) or sub[0] . name */
    MODEL_VAL_INDEX,       /* sub[0] [ sub[1] ] */
    MODEL_VAL_DEREF,       /* * sub[0] */
    MODEL_VAL_ADDR,        /* & sub[0] */
    MODEL_VAL_UNOP,        /* op sub[0] */
    MODEL_VAL_BINOP,       /* sub[0] op sub[1] */
    MODEL_VAL_COND,        /* sub[0] ? sub[1] : sub[2] */
    MODEL_VAL_RESULT,      /* the result of event `num` (model_event.id) of this function */
    MODEL_VAL_INIT,        /* { sub[i] designated by names[i] } */
    MODEL_VAL_API,         /* name ( sub... ): a side-effect-free tether call */
} model_val_kind;

typedef enum model_op {
    MODEL_OP_NONE = 0,
    MODEL_OP_NOT, MODEL_OP_NEG, MODEL_OP_BITNOT,                      /* unary */
    MODEL_OP_ADD, MODEL_OP_SUB, MODEL_OP_MUL, MODEL_OP_DIV, MODEL_OP_MOD,
    MODEL_OP_SHL, MODEL_OP_SHR, MODEL_OP_BITAND, MODEL_OP_BITOR, MODEL_OP_BITXOR,
    MODEL_OP_LT, MODEL_OP_LE, MODEL_OP_GT, MODEL_OP_GE, MODEL_OP_EQ, MODEL_OP_NE,
    MODEL_OP_LAND, MODEL_OP_LOR,
} model_op;

typedef struct model_val {
    model_val_kind kind;
    model_op op;              /* UNOP, BINOP */
    bool arrow;               /* FIELD: written with -> */
    bool is_array;            /* VAR, FIELD, INDEX: an array (decays to a pointer) */
    bool is_static;           /* VAR GLOBAL: internal linkage */
    model_scope scope;        /* VAR: MODEL_SCOPE_LOCAL, _PARAM or _GLOBAL */
    int64_t num;              /* INT: the value; RESULT: the event id; VAR PARAM: index */
    const char *name;         /* VAR, FUNC, FIELD, API */
    struct model_val **sub;   /* operands */
    const char **names;       /* INIT: designators, one per element (entries may be NULL) */
    size_t nsub;
} model_val;

typedef struct model_case {
    int op;               /* 1 = receive (TT_OP_RECV), 2 = send (TT_OP_SEND) */
    model_obj_id obj;     /* the channel */
    const char *text;     /* the channel expression as written */
    model_loc loc;
    model_val *ch;        /* the channel as a value (evaluated when the select runs) */
    model_val *elem;      /* the element pointer (TT_RECV's out, TT_SEND's in) */
} model_case;

typedef struct model_event {
    model_ev_kind kind;
    int32_t id;               /* unique in its function, in creation order (mb_event) */
    unsigned flags;           /* MODEL_EVF_* */
    model_loc loc;            /* the call's name token (or `return`, or `}`) */
    model_obj_id obj;         /* the object operated on, or MODEL_NO_OBJ */
    const char *text;         /* obj as written: "ch", "j->results", "&w.wg" -> "w.wg" */
    model_obj_id obj2;        /* CTX_NEW: the parent context */
    int64_t num;              /* see the kinds; valid if MODEL_EVF_NUM_KNOWN */
    model_loc num_begin, num_end; /* the source range [begin, end) of the argument
                                     num comes from (capacity, delta, ms), for
                                     fix-its; {0,0} when unknown */
    const char *callee;       /* SPAWN: task function; CALL/NORETURN: callee name */
    int32_t callee_func;      /* SPAWN/CALL: index into model_tu.funcs, or -1
                                 (filled in by model_finish) */
    model_obj_id *args;       /* SPAWN: 1 (the task argument); CALL: one per argument */
    const char **arg_texts;
    size_t nargs;
    model_case *cases;        /* SELECT */
    size_t ncases;
    bool has_default;         /* SELECT: tt_select_default */
    model_escape escape_to;   /* ESCAPE */
    model_loc select_loc;     /* CASE_TEST: the SELECT whose result is tested */
    bool case_then;           /* CASE_TEST on an if: then branch = case `num` ran */
    /* Values (the engine's view; see "Values" above). */
    model_val *fn;            /* CALL: the callee (FUNC for a direct call, else the
                                 expression: `a->f`); SPAWN: the task function */
    model_val **vals;         /* API events and CALL: every argument, in order
                                 (tt_send(ch, &v): {ch, &v}; tt_select(cs, n): {cs, n});
                                 ASSIGN: {lhs, rhs}; RETURN: {the value} or none;
                                 NORETURN: the arguments */
    size_t nvals;
} model_event;

typedef struct model_block {
    model_event *events;      /* in execution order */
    size_t nevents;
    uint32_t *succ;           /* successor block indexes */
    size_t nsucc;
    uint32_t *pred;           /* predecessor block indexes (filled in by model_finish) */
    size_t npred;
    model_loc loc;            /* set by mb_mark: a loop head's `for`/`while`/`do`
                                 keyword; a block ended by break, continue, goto
                                 or return: that statement. {0,0} otherwise */
    bool loop_head;           /* the condition block of a loop */
    bool infinite_loop_head;  /* ... of a loop without a condition or with a
                                 constant true one: no edge leaves it but the body */
    bool case_value_known;    /* the first block of a `case K:` label: case_value = K */
    int64_t case_value;       /* (set by mb_case_value; default: labels have none) */
    bool trips_known;         /* loop head: the body runs exactly `trips` times */
    int64_t trips;            /* (set by mb_loop_trips) */
    bool case_default;        /* the first block of the `default:` label */
    model_val *cond;          /* a block with two successors: succ[0] is taken when
                                 cond != 0 (if: then; loop: body; do: loop again);
                                 a switch head: the controlling value, its case
                                 blocks carry case_value / case_default. NULL when
                                 the condition is not known */
} model_block;

typedef struct model_param {
    const char *name;
    model_obj_id obj;         /* the PARAM object */
} model_param;

typedef struct model_func {
    const char *name;
    model_loc loc;            /* the name in the definition */
    model_loc end;            /* the closing brace */
    bool is_static;
    model_param *params;
    size_t nparams;
    model_block *blocks;      /* blocks[entry] first; blocks[exit] has no events
                                 and no successors; a block ending in NORETURN has
                                 no successors either */
    size_t nblocks;
    uint32_t entry, exit;
    int32_t nids;             /* event ids are 0 .. nids-1 */
} model_func;

typedef struct model_tu {
    const char *path;         /* the modeled file */
    model_obj *objs;
    size_t nobjs;
    model_func *funcs;        /* functions defined in this file, in source order */
    size_t nfuncs;
    struct model_arena *arena;
} model_tu;

/* ---- Life cycle ---------------------------------------------------------- */
model_tu *model_new(const char *path);
void model_free(model_tu *tu);
/* Call once after the front end is done: resolves callee_func, fills pred,
 * propagates kinds through aliases. */
void model_finish(model_tu *tu);
/* Copies s into the model's arena (NULL stays NULL). */
const char *model_strdup(model_tu *tu, const char *s);

/* ---- Objects (get-or-create: the same arguments give the same object) ----- */
model_obj_id model_obj_local(model_tu *tu, int32_t func, const char *name, model_kind kind, model_loc decl);
model_obj_id model_obj_global(model_tu *tu, const char *name, model_kind kind, model_loc decl);
model_obj_id model_obj_field(model_tu *tu, const char *tag, const char *field, model_kind kind);
model_obj_id model_obj_ctx_done(model_tu *tu, model_obj_id ctx);
model_obj_id model_obj_ticker_chan(model_tu *tu, model_obj_id ticker);
model_obj_id model_obj_after(model_tu *tu, model_loc call);
model_obj_id model_obj_null(model_tu *tu);
model_obj_id model_obj_background(model_tu *tu);
/* Parameters are made by mb_param. Looks up a local or parameter of func by
 * name (innermost wins is not modeled: one object per name per function). */
model_obj_id model_obj_lookup(const model_tu *tu, int32_t func, const char *name);
/* Sets the kind if it was NONE. */
void model_obj_set_kind(model_tu *tu, model_obj_id id, model_kind kind);
/* Merges two objects (assignment between places). Either may be MODEL_NO_OBJ. */
void model_obj_alias(model_tu *tu, model_obj_id a, model_obj_id b);
/* The representative of id's alias class (MODEL_NO_OBJ stays so). */
model_obj_id model_obj_canon(const model_tu *tu, model_obj_id id);
/* The kind of id's alias class. */
model_kind model_obj_kind(const model_tu *tu, model_obj_id id);
/* A readable name for messages: "ch", "job.done", "tt_ctx_done(ctx)". */
const char *model_obj_describe(const model_tu *tu, model_obj_id id, char *buf, size_t size);

/* ---- Building a function: structured statements, lowered to a CFG ------- *
 * A front end walks each function body once, in source order, and calls:
 *   mb_begin(...)                          at the function
 *   mb_param(...)                          for each parameter
 *   mb_event(...)                          for each API call / call / escape
 *   mb_if(b)  [then...]  mb_else(b)  [else...]  mb_end_if(b)
 *       (condition events are emitted before mb_if; mb_else is optional)
 *   mb_loop(b)  [condition events]  mb_loop_body(b, infinite)  [body]
 *       [mb_loop_step(b)  [for's increment events]]  mb_end_loop(b)
 *   mb_do(b)  [body]  mb_do_cond(b)  [condition events]  mb_end_do(b, infinite)
 *   mb_switch(b) (condition events before)  mb_case(b, is_default)...  mb_end_switch(b)
 *   mb_break(b), mb_continue(b), mb_goto(b, label), mb_label(b, label)
 *   mb_return(b, loc, obj, text), mb_noreturn(b, loc, callee)
 *   mb_end(b, closing_brace_loc)           at the function's end
 * `infinite` is true for `for (;;)`, `while (1)`, `while (true)`, `do ... while (1)`.
 * Code after break/continue/return/goto is unreachable but still recorded. */
typedef struct model_builder model_builder;

model_builder *mb_begin(model_tu *tu, const char *name, model_loc loc, bool is_static);
int32_t mb_func_index(const model_builder *b);
model_obj_id mb_param(model_builder *b, const char *name, model_kind kind, model_loc decl);
/* Appends an event to the current block and returns it for the caller to
 * fill (kind, loc and flags are set; obj/obj2 are MODEL_NO_OBJ; callee_func
 * -1). Strings and arrays put into it must come from the model's arena:
 * use model_strdup and mb_alloc. */
model_event *mb_event(model_builder *b, model_ev_kind kind, model_loc loc);
void *mb_alloc(model_builder *b, size_t size); /* zeroed, arena-owned */

void mb_if(model_builder *b);
void mb_else(model_builder *b);
void mb_end_if(model_builder *b);
void mb_loop(model_builder *b);
void mb_loop_body(model_builder *b, bool infinite);
void mb_loop_step(model_builder *b);
/* After mb_loop_body of a counted loop whose bounds are constants
 * (`for (i = A; i < B; i++)`, `<=`, `i--` down to a bound, ...): how many
 * times the body runs. */
void mb_loop_trips(model_builder *b, int64_t trips);
void mb_end_loop(model_builder *b);
void mb_do(model_builder *b);
void mb_do_cond(model_builder *b);
void mb_end_do(model_builder *b, bool infinite);
void mb_switch(model_builder *b);
void mb_case(model_builder *b, bool is_default);
/* After mb_case of a `case K:` label whose K is a constant: records K. */
void mb_case_value(model_builder *b, int64_t value);
void mb_end_switch(model_builder *b);
void mb_break(model_builder *b);
void mb_continue(model_builder *b);
void mb_goto(model_builder *b, const char *label);
void mb_label(model_builder *b, const char *label);
/* Both return the event they append (to fill in its vals). */
model_event *mb_return(model_builder *b, model_loc loc, model_obj_id obj, const char *text);
model_event *mb_noreturn(model_builder *b, model_loc loc, const char *callee);
/* Records the source position of what was just built, in block.loc: after
 * mb_loop or mb_do, the loop keyword; after mb_break, mb_continue, mb_goto
 * or mb_return, the statement. Optional, but rules name these places in
 * their notes. */
void mb_mark(model_builder *b, model_loc loc);
/* Ends the function: adds the fall-off-the-end RETURN (flag
 * MODEL_EVF_FALLTHROUGH_END) at `end`, resolves gotos, frees the builder. */
void mb_end(model_builder *b, model_loc end);

/* ---- Values (arena-owned; the mv_* calls never fail) -------------------- */
model_val *mv_unknown(model_tu *tu);
model_val *mv_int(model_tu *tu, int64_t n);
model_val *mv_null(model_tu *tu);
/* A string literal; text = its source text, quotes included (NULL: unknown). */
model_val *mv_string(model_tu *tu, const char *text);
/* scope: MODEL_SCOPE_LOCAL, _PARAM (index = the parameter's) or _GLOBAL. */
model_val *mv_var(model_tu *tu, model_scope scope, const char *name, int32_t index, bool is_static);
model_val *mv_func(model_tu *tu, const char *name);
model_val *mv_field(model_tu *tu, model_val *base, const char *name, bool arrow);
model_val *mv_index(model_tu *tu, model_val *base, model_val *index);
model_val *mv_deref(model_tu *tu, model_val *p);
model_val *mv_addr(model_tu *tu, model_val *lv);
model_val *mv_unop(model_tu *tu, model_op op, model_val *a);
model_val *mv_binop(model_tu *tu, model_op op, model_val *a, model_val *b);
/* The constant folding both front ends share (notes/values.md 10 and 17):
 * int64, + - * wrapping, no division by 0; false when op does not fold. */
bool model_fold_binop(model_op op, int64_t a, int64_t b, int64_t *out);
model_val *mv_cond(model_tu *tu, model_val *c, model_val *a, model_val *b);
model_val *mv_result(model_tu *tu, int32_t event_id);
/* An INIT with room for n elements; fill with mv_init_set. */
model_val *mv_init(model_tu *tu, size_t n);
void mv_init_set(model_tu *tu, model_val *init, size_t i, const char *designator, model_val *v);
/* An API value with n arguments (fill sub[0..n) directly). */
model_val *mv_api(model_tu *tu, const char *name, size_t n);
/* Arena array of n value pointers (for model_event.vals). */
model_val **mv_array(model_tu *tu, size_t n);
/* Prints v in the dump's notation (C-like; see model_dump.c). */
void mv_print(const model_val *v, FILE *out);
const char *model_op_spelling(model_op op);

/* The branch condition of the block being built (call it right before
 * mb_if, mb_loop_body, mb_end_do, or mb_switch with the controlling value). */
void mb_cond(model_builder *b, model_val *cond);
/* Appends an ASSIGN event lhs = rhs at loc and returns it. */
model_event *mb_assign(model_builder *b, model_loc loc, model_val *lhs, model_val *rhs);

/* ---- Reading --------------------------------------------------------------- */
int32_t model_func_find(const model_tu *tu, const char *name); /* -1 if absent */
const char *model_kind_name(model_kind k);
const char *model_ev_kind_name(model_ev_kind k);

/* Prints the model as text (tether check --dump-model); stable for golden tests. */
#include <stdio.h>
void model_dump(const model_tu *tu, FILE *out);

#endif /* TETHER_MODEL_H */
