/* fe_clang.h — internals of the libclang front end, shared by its files:
 * the walker state, child collection, objects and text of expressions. */
#ifndef TETHER_FE_CLANG_H
#define TETHER_FE_CLANG_H

#include "fe_libclang.h"
#include <stdbool.h>
#include <stddef.h>

#include "frontend/alias.h"
#include "model/model.h"

/* The cases of a local `tt_case` array, collected from its initializer and
 * from element assignments, for the tt_select that uses it. */
typedef struct fe_case_array {
    CXCursor decl;
    model_case *cases;   /* arena-owned */
    size_t ncases;
} fe_case_array;

/* Whether a callee never returns, by its canonical declaration: open
 * addressing, size a power of two (a file calls thousands of functions). */
typedef struct fe_noreturn_memo {
    CXCursor decl;
    unsigned hash;
    bool used, noreturn;
} fe_noreturn_memo;

/* Which arms of a conditional expression (`?:`, `&&`, `||`) emit events:
 * bit 0 the `?` arm, bit 1 the `:` arm (or the right of && / ||). One
 * table per file, entries of other functions told apart by `gen`. */
typedef struct fe_arm_memo {
    CXCursor expr;
    unsigned hash, gen;
    unsigned char mask;
} fe_arm_memo;

/* A variable whose last assignment was the result of a tt_select (or
 * tt_select_default) at `loc`, in the function being walked (fe_select.c). */
typedef struct fe_selvar {
    char *name;          /* malloc'd */
    model_loc loc;
} fe_selvar;

/* The value of a declaration in the function being walked (fe_val.c):
 * open addressing, size a power of two, other functions' told apart by
 * `gen`. */
typedef struct fe_val_memo {
    CXCursor decl;
    unsigned hash, gen;
    model_val *v;
} fe_val_memo;

/* A global or function-static variable with an initializer, for the
 * (globals) function (fe_walk.c). */
typedef struct fe_global_init {
    CXCursor var, init;
    long offset;          /* of its name in the main file: the source order */
} fe_global_init;

/* The state of walking one translation unit. */
/* The deepest the walk goes (clang's AST can nest deeper than tree-sitter's
 * tree measured by FRONTEND_MAX_NESTING: consecutive case labels, each the
 * statement of the one before). The driver's worker stack holds it. */
enum { FE_MAX_WALK_DEPTH = 20000 };

typedef struct fe_state {
    CXTranslationUnit tu;
    CXFile main_file;
    const char *buf;        /* the main file's text as libclang read it */
    size_t buflen;
    model_tu *m;
    model_builder *b;       /* the function being built */
    int32_t func;
    unsigned cond_flags;    /* MODEL_EVF_IN_COND / _LOOP_COND while in a condition */
    fe_case_array *arrays;  /* per function */
    size_t narrays, caparrays;
    fe_noreturn_memo *memo; /* per file */
    char **defined;         /* names of the functions defined in the file, sorted */
    size_t ndefined;
    size_t nmemo, capmemo;
    /* Probing (fe_walk.c): while `probe` is set, expressions are walked
     * only to learn whether they would emit an event (`probe_hit`); no
     * event is added. */
    bool probe, probe_hit;
    /* How deep the walk is in statements and expressions; past
     * FE_MAX_WALK_DEPTH it stops descending and deep_line says where. */
    unsigned depth, deep_line;
    model_event probe_ev;   /* what fe__event hands out while probing */
    fe_arm_memo *arms;      /* open addressing, size a power of two */
    size_t narms, caparms;
    unsigned gen;           /* the function being built, for `arms` */
    model_kind ret_kind;    /* the function's return type: its kind ... */
    bool ret_object;        /* ... and whether it can carry an object */
    struct {                /* fe_cond.c: the last macros searched for `==` / `!=` */
        const char *name;
        size_t len;
        int op;
    } eq_macro[8];
    unsigned eq_macro_next;
    struct {                /* fe_cond.c: this file's function-like macros */
        size_t at, len;     /* the name's offset and length */
    } *fdefs;
    size_t nfdefs, capfdefs;
    bool fdefs_built;
    fe_selvar *selvars;     /* fe_select.c: per function */
    size_t nselvars, capselvars;
    fe_val_memo *vmemo;     /* fe_val.c: values of declarations, per function */
    size_t nvmemo, capvmemo;
    fe_global_init *globals; /* initialized globals and function statics */
    size_t nglobals, capglobals;
} fe_state;

/* A small growable list of children of a cursor. */
typedef struct fe_kids {
    CXCursor *v;
    size_t n, cap;
    CXCursor small[8];
} fe_kids;

void fe_kids_get(CXCursor c, fe_kids *k);  /* expressions and statements only */
void fe_kids_free(fe_kids *k);
/* Children (fe_kids_get) and extents (fe_extent, as clang_getCursorExtent)
 * are memoized per thread between these two calls, around the walk of one
 * translation unit (fe_expr.c). */
void fe_memo_begin(void);
void fe_memo_end(void);
CXSourceRange fe_extent(CXCursor c);

/* Positions. */
model_loc fe_loc(CXSourceLocation l);
model_loc fe_cursor_loc(CXCursor c);
/* The byte offset of l in the main file, or -1. */
long fe_offset(const fe_state *st, CXSourceLocation l);

/* Expressions. */
CXCursor fe_strip(CXCursor e);              /* parens, casts, & and * */
CXCursor fe_strip_parens(CXCursor e);       /* parens and casts only */
model_kind fe_kind_of_type(CXType t);
bool fe_eval_int(CXCursor e, int64_t *out);
const char *fe_text(fe_state *st, CXCursor e); /* arena string, never NULL */
model_obj_id fe_obj(fe_state *st, CXCursor e);
/* GNU `x ?: y` (libclang: an unexposed expression over x, two opaque
 * copies of x, and y): its operands. */
bool fe_elvis(CXCursor e, CXCursor *x, CXCursor *y);
/* The value arms of conditional e (`c ? a : b`, `x ?: y`; parens, casts
 * and nested conditionals looked through), at most max, in source order;
 * 0 if e is no conditional. fe_obj of a conditional is its first arm with
 * an object other than NULL, the arms aliased together (fe_expr.c). */
#define FE_MAX_ARMS 16
size_t fe_cond_arms(CXCursor e, CXCursor *arms, size_t max);
/* The object of a declared variable or parameter (MODEL_NO_OBJ if it cannot
 * hold a concurrency object). */
model_obj_id fe_decl_obj(fe_state *st, CXCursor decl);
/* The object of a struct field (MODEL_NO_OBJ if it cannot hold one). */
model_obj_id fe_field_obj(fe_state *st, CXCursor field);
bool fe_is_global_var(CXCursor decl);
/* The callee's name of a call (a function, not a pointer), or NULL. Returned
 * string is freed by the caller (free()). */
char *fe_callee_name(CXCursor call, CXCursor *decl);
/* "tt_send_at" -> "tt_send"; other names unchanged (in place). */
void fe_api_name(char *name);

/* The operator written between binary operands l and r ("&&", "==", ...),
 * read from the source; NULL inside macros or past comments (fe_walk.c). */
const char *fe_binop(fe_state *st, CXCursor l, CXCursor r);

/* Conditions and arguments (fe_cond.c). */
/* Whether an if condition tests exactly one object against NULL (`t`, `!t`,
 * `t == NULL`, `0 != t`, parens and casts allowed); *obj is the object's
 * expression, *nonnull whether the then branch means obj != NULL. */
bool fe_null_test(fe_state *st, CXCursor cond, CXCursor *obj, bool *nonnull);
/* Whether unary operator e (operand in) is `!`; the comparison binary
 * operator e (operands l, r) is: 1 `==`, 2 `!=`, 0 another one. */
bool fe_is_not(fe_state *st, CXCursor e, CXCursor in);
int fe_eq_op(fe_state *st, CXCursor e, CXCursor l, CXCursor r);
/* The source range [begin, end) of argument idx of a call written in the
 * main file (a macro wrapping the call: false). */
bool fe_arg_range(fe_state *st, CXCursor call, const char *name, int idx, model_loc *begin,
                  model_loc *end);

/* The trip count of a counted for loop (fe_loop.c); part: init, cond,
 * step, body (fe_walk.c's fe__for_parts). */
bool fe_loop_trips(fe_state *st, const CXCursor part[4], int64_t *trips);

/* Which tt_select a branch tests (fe_select.c). Stores into variables
 * while walking a function: `r = e` / `int r = e` (rhs / init e; a null
 * cursor for `r += ...`), `r++` (fe_sel_update, any unary operator). */
void fe_sel_reset(fe_state *st);
void fe_sel_store(fe_state *st, CXCursor lhs, CXCursor rhs);
void fe_sel_decl(fe_state *st, CXCursor var, CXCursor init);
void fe_sel_update(fe_state *st, CXCursor unary);
/* An if (is_switch false) or switch condition that branches on a select's
 * result: a CASE_TEST, the last event before mb_if / mb_switch. */
void fe_case_test(fe_state *st, CXCursor cond, bool is_switch);

/* ---- Values (fe_val.c) --------------------------------------------------- *
 * Each returns NULL while st->probe (nothing is recorded then). */

/* A designated initializer's parts: the fields named (MemberRef) and the
 * value (the last expression); `parts` the designator as written, in order:
 * a field (part_index false: the FieldDecl) or an index expression. */
#define FE_DESIG_PARTS 8
typedef struct fe_desig {
    CXCursor fields[4];
    size_t nfields, nindex;
    CXCursor index, value;
    CXSourceLocation first; /* the first field's name */
    CXCursor parts[FE_DESIG_PARTS];
    bool part_index[FE_DESIG_PARTS];
    size_t nparts;
    bool value_is_part;
} fe_desig;
/* Whether item is a designated initializer (`.f = v`, `[i] = v`). */
bool fe_designated(CXCursor item, fe_desig *d);

/* The named fields of a record type. */
typedef struct fe_fields {
    CXCursor *v;
    size_t n, cap;
    CXCursor small[16];
} fe_fields;
void fe_fields_get(CXType t, fe_fields *f);
void fe_fields_free(fe_fields *f);

/* Whether l (at offset off of the main file) is where it is written, not
 * inside a macro's expansion (its body or its arguments). */
bool fe_plain_loc(const fe_state *st, CXSourceLocation l, long off);
/* Binary operators: a model_op, or one of these. */
enum { FE_OP_UNKNOWN = -1, FE_OP_ASSIGN = 100, FE_OP_COMMA = 101, FE_OP_COMPOUND = 0x1000 };
/* The operator of binary operator e (operands l, r): for a compound
 * assignment (compound true) the arithmetic op of `op=`. */
int fe_binop_of(fe_state *st, CXCursor e, CXCursor l, CXCursor r, bool compound);
/* Unary operators. */
enum {
    FE_U_UNKNOWN, FE_U_PLUS, FE_U_NEG, FE_U_NOT, FE_U_BITNOT, FE_U_ADDR, FE_U_DEREF,
    FE_U_PREINC, FE_U_PREDEC, FE_U_POSTINC, FE_U_POSTDEC,
};
int fe_unop_of(fe_state *st, CXCursor e, CXCursor in);

model_val *fe_val_decl(fe_state *st, CXCursor decl);    /* VAR, FUNC or INT */
model_val *fe_val_ref(fe_state *st, CXCursor e);        /* a DeclRefExpr */
model_val *fe_val_literal(fe_state *st, CXCursor e, enum CXCursorKind k);
model_val *fe_fold_unop(model_tu *m, model_op op, model_val *a);
model_val *fe_fold_binop(model_tu *m, model_op op, model_val *a, model_val *b);
model_val *fe_fold_cond(model_tu *m, model_val *c, model_val *a, model_val *b);
/* A unary operator other than ++ / --, over sub. */
model_val *fe_val_unary(fe_state *st, CXCursor e, int op, model_val *sub);
/* A binary operator other than an assignment (op from fe_binop_of). */
model_val *fe_val_binary(fe_state *st, CXCursor e, CXCursor l, CXCursor r, int op, model_val *lv,
                         model_val *rv);
/* Whether unexposed expression e over kid is an implicit conversion. */
bool fe_val_transparent(CXCursor e, CXCursor kid);
/* A conversion to e's type of inner: a 0 made a pointer is NULL. */
model_val *fe_val_cast(fe_state *st, CXCursor e, model_val *inner);
model_val *fe_val_member(fe_state *st, CXCursor e, CXCursor base, model_val *bv);
model_val *fe_val_index(fe_state *st, CXCursor e, model_val *base, model_val *index);
/* The designators (arena strings, NULL when unknown) and value cursors of
 * the items k of an initializer list of type t. */
void fe_init_desig(fe_state *st, CXType t, const fe_kids *k, const char **names, CXCursor *values);
/* `{}`, `{0}`, TT_WG_INIT, TT_MUTEX_INIT: an INIT with no elements. */
bool fe_init_empty(fe_state *st, CXCursor list, const fe_kids *k);
/* The value of e without walking it (no events, no objects): for the
 * initializers of globals. */
model_val *fe_value(fe_state *st, CXCursor e);

/* Atomic operations (the lead's note in notes/values.md), by the name as
 * written: which one (FE_AT_*), *op the arithmetic of fetch / op_fetch,
 * *k the constant stored by test_and_set (1) / clear (0). */
enum {
    FE_AT_NONE, FE_AT_FENCE, FE_AT_LOAD, FE_AT_LOAD_GEN, FE_AT_STORE, FE_AT_STORE_GEN,
    FE_AT_STORE_K, FE_AT_FETCH, FE_AT_OP_FETCH, FE_AT_EXCHANGE, FE_AT_CAS,
};
int fe_atomic_of(const char *name, size_t len, model_op *op, int *k);
/* An unexposed expression that is an atomic builtin written `NAME(...)` in
 * the main file (clang's AtomicExpr): its kind, and the offsets of its `(`
 * and of the end of its `)`. */
int fe_atomic_expr(fe_state *st, CXCursor e, model_op *op, int *k, long *open, long *close);

/* Statements (fe_walk.c). */
void fe_walk_function(fe_state *st, CXCursor fn);
/* Remembers a file-scope variable for the (globals) function if it has an
 * initializer; fe_walk_globals builds that function (after the others). */
void fe_note_global(fe_state *st, CXCursor var);
void fe_walk_globals(fe_state *st);
/* Takes the names of the functions defined in the file (sorts them). */
void fe_set_defined(fe_state *st, char **names, size_t n);

#endif /* TETHER_FE_CLANG_H */
