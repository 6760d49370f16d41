/* ts_internal.h — the tree-sitter front end's private state, shared by its
 * files: node kinds, the file-scope tables (macros, enums, structs,
 * typedefs, globals, functions) and the per-function walker.
 *
 * Names are never copied while walking: table keys point into the source
 * buffer (pointer + length). Everything the front end allocates lives in one
 * scratch arena freed when the model is built. */
#ifndef TETHER_TS_INTERNAL_H
#define TETHER_TS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#include "frontend/alias.h"
#include "model/arena.h"
#include "model/model.h"

/* The node kinds the front end looks at; everything else is TS_OTHER. */
typedef enum ts_sym {
    TS_OTHER = 0,
    TS_ERROR,
    TS_TRANSLATION_UNIT, TS_FUNCTION_DEFINITION, TS_DECLARATION, TS_TYPE_DEFINITION,
    TS_PREPROC_DEF, TS_PREPROC_IF, TS_PREPROC_IFDEF, TS_PREPROC_ELSE, TS_PREPROC_ELIF,
    TS_PREPROC_ELIFDEF, TS_LINKAGE_SPEC, TS_DECLARATION_LIST,
    TS_INIT_DECLARATOR, TS_POINTER_DECLARATOR, TS_ARRAY_DECLARATOR, TS_FUNCTION_DECLARATOR,
    TS_PAREN_DECLARATOR, TS_ATTRIBUTED_DECLARATOR, TS_ABSTRACT_POINTER_DECLARATOR,
    TS_ABSTRACT_ARRAY_DECLARATOR, TS_PARAMETER_LIST, TS_PARAMETER_DECLARATION,
    TS_STORAGE_CLASS, TS_TYPE_QUALIFIER, TS_TYPE_IDENTIFIER, TS_PRIMITIVE_TYPE,
    TS_SIZED_TYPE, TS_STRUCT_SPECIFIER, TS_UNION_SPECIFIER, TS_ENUM_SPECIFIER,
    TS_ENUMERATOR_LIST, TS_ENUMERATOR, TS_FIELD_DECL_LIST, TS_FIELD_DECLARATION,
    TS_FIELD_IDENTIFIER, TS_TYPE_DESCRIPTOR, TS_MACRO_TYPE_SPEC,
    TS_COMPOUND_STATEMENT, TS_EXPRESSION_STATEMENT, TS_IF, TS_ELSE, TS_WHILE, TS_FOR, TS_DO,
    TS_SWITCH, TS_CASE, TS_BREAK, TS_CONTINUE, TS_GOTO, TS_LABELED, TS_RETURN,
    TS_ATTRIBUTED_STATEMENT,
    TS_IDENTIFIER, TS_NUMBER, TS_CHAR_LITERAL, TS_TRUE, TS_FALSE, TS_NULL, TS_CALL,
    TS_ARGUMENT_LIST, TS_FIELD_EXPR, TS_POINTER_EXPR, TS_CAST, TS_PAREN_EXPR, TS_SUBSCRIPT,
    TS_ASSIGNMENT, TS_COMPOUND_LITERAL, TS_INITIALIZER_LIST, TS_INITIALIZER_PAIR,
    TS_SUBSCRIPT_DESIGNATOR, TS_FIELD_DESIGNATOR, TS_UNARY, TS_BINARY, TS_SIZEOF,
    TS_CONDITIONAL, TS_COMMA, TS_UPDATE, TS_COMMENT, TS_STRING_LITERAL, TS_CONCAT_STRING,
    TS_ALIGNOF, TS_OFFSETOF,
    TS_SYM_COUNT
} ts_sym;

/* What a declaration says about a variable, field or expression. */
typedef struct ts_type {
    const char *tag;   /* struct tag (or typedef name of an anonymous struct), NUL-terminated, arena */
    model_kind kind;   /* from tt_chan *, tt_ctx *, tt_wg, ... */
    bool is_case;      /* tt_case or an array of them */
    bool is_pointer;   /* its type is a pointer (what clang calls pointerish) */
    bool is_array;     /* its type is an array */
    bool elem_pointer; /* ... of pointers */
    unsigned char array_depth; /* ... of this many dimensions (`int g[2][3]`: 2) */
    bool is_record;    /* its type is a struct or union (by value) */
    bool is_function;  /* the declarator declares a function */
    bool is_integer;   /* a plain integer type (for casts in constants) */
    bool is_const;     /* const-qualified (clang folds const integer variables) */
} ts_type;

typedef enum ts_ns {
    NS_MACRO, NS_ENUM, NS_TYPEDEF, NS_STRUCT_FIELD, NS_GLOBAL, NS_FUNC, NS_LOCAL,
    NS_FIELD_OWNER, /* field name -> the one struct tag declaring it (NULL tag: several) */
    NS_NORETURN,    /* a function declared _Noreturn / noreturn in this file */
    NS_FIELD_AT,    /* (struct tag, 4-byte field index) -> `field`: positional initializers */
    NS_PROTO,       /* a function declared (not necessarily defined) in this file */
    NS_ARRAY_FIELD, /* a field name some struct of the file declares as an array */
} ts_ns;

typedef struct ts_entry {
    ts_ns ns;
    const char *key, *key2;     /* key2: the field name of NS_STRUCT_FIELD */
    uint32_t len, len2;
    uint32_t gen;               /* NS_LOCAL: the function generation it belongs to */
    ts_type type;
    model_loc decl;
    int64_t value;              /* NS_ENUM, NS_MACRO once evaluated, const integer variables */
    bool value_known;
    int64_t array_len;          /* NS_LOCAL / NS_GLOBAL arrays: the first dimension ... */
    bool array_len_known;       /* ... when written (`[4]`, `[] = { a, b }`) */
    int state;                  /* NS_MACRO: 0 unevaluated, 1 evaluating, 2 done */
    TSNode node;                /* NS_MACRO: the preproc_arg (or null node) */
    bool is_static_local;       /* NS_LOCAL: a function-static variable (a global object) */
    bool is_extern_local;       /* NS_LOCAL: ... declared `extern` (the file-scope name) */
    bool is_static;             /* NS_GLOBAL: file-static */
    int32_t param_index;        /* NS_LOCAL: the parameter's index, or -1 */
    uint64_t ptr_params;        /* NS_PROTO: bit i = parameter i is a pointer (state 2: known;
                                   from the function declarator `node`) */
    model_obj_id obj;           /* NS_LOCAL: its object */
    model_case *cases;          /* NS_LOCAL tt_case array: cases by index (op 0 = none) */
    size_t ncases;
    struct ts_entry *field;     /* NS_FIELD_AT: the NS_STRUCT_FIELD entry */
} ts_entry;

/* Which arms of a conditional expression (`?:`, `&&`, `||`) emit events:
 * bit 0 the `?` arm (or the right of && / ||), bit 1 the `:` arm. */
typedef struct ts_arm_memo {
    const void *id;             /* the node's id */
    uint32_t gen;
    unsigned char mask;
} ts_arm_memo;

/* A variable whose last assignment was the result of a tt_select (or
 * tt_select_default) at `loc`, in the function being walked (ts_select.c). */
typedef struct ts_selvar {
    const char *name;           /* into the source */
    uint32_t len;
    model_loc loc;
} ts_selvar;

/* An initialized file-scope variable or function-static local, for the
 * (globals) function (ts_stmt.c): statics come with their values (built in
 * their function's walk), file-scope ones with their nodes. */
typedef struct ts_ginit {
    uint32_t pos;               /* the declared name's byte offset: source order */
    model_loc loc;
    TSNode name, init;          /* file scope */
    ts_type type;
    model_val *lhs, *rhs;       /* function statics */
} ts_ginit;

typedef struct ts_ctx {
    const char *src;
    size_t len;
    size_t cut;                 /* an unterminated block comment starts here (else len) */
    const TSLanguage *lang;
    uint8_t *symmap;            /* public symbol id -> ts_sym */
    uint32_t nsyms;
    TSFieldId f_type, f_declarator, f_value, f_name, f_body, f_condition, f_consequence,
        f_alternative, f_initializer, f_update, f_function, f_arguments, f_argument, f_field,
        f_operator, f_left, f_right, f_index, f_label, f_parameters, f_designator, f_size;
    TSTreeCursor cursor;        /* one cursor, reset for every child listing */
    model_arena *arena;         /* scratch: tables, kids stack */
    model_tu *tu;
    /* hash table of entries */
    ts_entry **slots;
    size_t nslots, used;
    uint32_t gen;               /* current function generation */
    /* the kids stack: children of the nodes being visited */
    TSNode *kids;
    TSFieldId *kid_fields;
    size_t nkids, kidcap;
    /* the function being built */
    model_builder *b;
    int32_t func;
    unsigned cond_flags;        /* extra flags for events (IN_COND in if/switch) */
    bool returns_pointer;       /* the function returns a pointer: `return 0` is NULL */
    model_kind ret_kind;        /* the kind of the function's return type ... */
    bool ret_object;            /* ... and whether it can carry an object */
    char tmp[512];              /* NUL-terminating short names */
    /* Probing (ts_expr.c): while `probe` is set, expressions are walked
     * only to learn whether they would emit an event (`probe_hit`). */
    bool probe, probe_hit;
    model_event probe_ev;
    ts_arm_memo *arms;          /* open addressing, size a power of two */
    size_t narms, caparms;
    ts_selvar *selvars;         /* ts_select.c: per function */
    size_t nselvars, capselvars;
    model_val *last_stmt_val;   /* the value of the last expression statement walked */
    ts_ginit *ginits;           /* for (globals), in the order found */
    size_t nginits, capginits;
    bool values_only;           /* walking a global's initializer: values, no events
                                   nor objects */
    bool multidim;              /* some declarator declared an array of arrays */
    /* Function definitions met (ts_frontend.c): all, those with syntax
     * errors modeled around them, those skipped for their errors. */
    size_t fn_total, fn_around, fn_skipped, fn_kept;
    bool outside_hides;         /* broken code outside the functions may hide something */
    struct ts_frag_build *frags; /* ts_frags.c: kept functions (reuse), or NULL */
    size_t table_writes;        /* ts_add calls but for locals: a function walk that
                                   makes some (a struct defined inside it) changes
                                   what the functions after it read */
} ts_ctx;

/* ts_syms.c */
void ts_syms_init(ts_ctx *c);
/* This thread's parser (ts_frontend.c); *own: a one-off the caller deletes.
 * NULL if the grammar does not load. */
TSParser *ts_thread_parser(bool *own);
/* What ts_reuse_parse found besides the tree. */
typedef struct ts_reparse {
    bool reused;               /* the last tree of the file was reused */
    bool unchanged;            /* the same text as that tree's, measured shallow */
    TSRange *changed;          /* where the new tree differs from that one,
                                  when that one was measured shallow; malloc'd */
    uint32_t nchanged;
    unsigned long kept;        /* the stamp of the copy kept for the next parse */
    char *old_text;            /* the text of the tree reused (malloc'd), or NULL */
    TSInputEdit edit;          /* from old_text to the new text ... */
    bool edited;               /* ... when they differ */
    struct ts_frags *frags;    /* the functions kept with that tree (ts_frags.c), or NULL */
} ts_reparse;
/* src parsed as path's new text (ts_reuse.c): with path's last tree,
 * edited where the texts differ, when one was kept; the result is kept for
 * the next call. The caller owns the tree (NULL: no parse) and out->changed. */
TSTree *ts_reuse_parse(TSParser *parser, const char *path, const char *src, uint32_t len, ts_reparse *out);
/* The tree kept for path with stamp `kept` (ts_reparse.kept) nests within
 * FRONTEND_MAX_NESTING (measured): the next parse's depth need only be
 * measured where it changed. */
void ts_reuse_shallow(const char *path, unsigned long kept);
/* Keeps the functions of the model built from the tree kept with stamp
 * `kept` for the next build of path (frees them if that tree is gone). */
void ts_reuse_keep_frags(const char *path, unsigned long kept, struct ts_frags *frags);

/* ts_frags.c: the models of the functions kept from the file's last build.
 * ts_frags_open (after ts_scan_file) takes re->frags (re: the last parse);
 * ts_frags_function builds one function definition, from its kept model
 * when it can; ts_frags_close gives the functions to keep (NULL when a
 * replay failed: ts_frags_failed; the model must then be built afresh). */
typedef struct ts_frags ts_frags;
void ts_frags_open(ts_ctx *c, TSNode root, ts_reparse *re);
void ts_frags_function(ts_ctx *c, TSNode def);
bool ts_frags_failed(const ts_ctx *c);
ts_frags *ts_frags_close(ts_ctx *c);
void ts_frags_free(ts_frags *s);
/* ts_tree_depth over the top-level items of root that meet one of the
 * ranges (the rest did not change since a tree measured shallow). */
unsigned ts_tree_depth_in(TSNode root, const TSRange *ranges, uint32_t n, unsigned limit, unsigned *line);
/* The depth of the tree under root, counting up to limit + 1 (ts_depth.c);
 * *line: where it first went deeper than limit. */
unsigned ts_tree_depth(TSNode root, unsigned limit, unsigned *line);
/* Whether the syntax errors under n (a function definition when
 * in_function, else an item at file scope) may hide something the analysis
 * follows (ts_broken.c); ERROR nodes for which ignore() is true are no
 * errors. */
bool ts_errors_hide(ts_ctx *c, TSNode n, bool in_function, bool (*ignore)(ts_ctx *c, TSNode error));
/* Whether the named children of a node of kind k are items of file scope
 * (preprocessor conditionals, `extern "C" { }`): the walkers of the file
 * scope (ts_scan_file, the functions, ts_frags.c's declarations) go into
 * them. */
static inline bool ts_holds_items(ts_sym k)
{
    return k == TS_PREPROC_IF || k == TS_PREPROC_IFDEF || k == TS_PREPROC_ELSE || k == TS_PREPROC_ELIF ||
           k == TS_PREPROC_ELIFDEF || k == TS_LINKAGE_SPEC || k == TS_DECLARATION_LIST;
}
/* Whether src[0, len) contains `needle` (ts_frontend.c). */
bool ts_mentions(const char *src, size_t len, const char *needle);
static inline ts_sym ts_kind(const ts_ctx *c, TSNode n)
{
    if (ts_node_is_null(n))
        return TS_OTHER;
    TSSymbol s = ts_node_symbol(n);
    if (s < c->nsyms)
        return (ts_sym)c->symmap[s];
    return s == (TSSymbol)-1 ? TS_ERROR : TS_OTHER; /* ts_builtin_sym_error */
}
/* Pushes the children of n on the kids stack (named only if named_only);
 * returns the index of the first. Pop them with ts_kids_pop(c, first). */
size_t ts_kids(ts_ctx *c, TSNode n, bool named_only);
static inline void ts_kids_pop(ts_ctx *c, size_t first) { c->nkids = first; }
/* The first child of n with this field, or a null node. */
TSNode ts_field(ts_ctx *c, TSNode n, TSFieldId f);
/* The first children of n with fields f[0..k) into out[0..k) (null nodes
 * where absent), in one pass over the children. */
void ts_fields(ts_ctx *c, TSNode n, const TSFieldId *f, TSNode *out, size_t k);
static inline model_loc ts_loc(TSNode n)
{
    TSPoint p = ts_node_start_point(n);
    return (model_loc){ p.row + 1, p.column + 1 };
}
static inline const char *ts_text(const ts_ctx *c, TSNode n, uint32_t *len)
{
    uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
    *len = e - s;
    return c->src + s;
}
bool ts_text_is(const ts_ctx *c, TSNode n, const char *s);
/* A NUL-terminated copy of n's text in the scratch arena. */
const char *ts_dup(ts_ctx *c, TSNode n);
/* `static struct { tt_chan *chans[8]; } handlers;`: a struct with no name
 * declared with variables gets a tag made from its place (base->tag), so
 * its fields' types (arrays, objects) are looked up like a named one's. */
void ts_name_anon_struct(ts_ctx *c, TSNode spec, ts_type *base);
/* n's text NUL-terminated in c->tmp (valid until the next call). */
const char *ts_tmp(ts_ctx *c, TSNode n);

/* ts_table.c */
ts_entry *ts_find(ts_ctx *c, ts_ns ns, const char *key, uint32_t len, const char *key2, uint32_t len2);
ts_entry *ts_add(ts_ctx *c, ts_ns ns, const char *key, uint32_t len, const char *key2, uint32_t len2);
ts_entry *ts_find_node(ts_ctx *c, ts_ns ns, TSNode n);
/* A variable in scope: a local of the current function, else a global. */
ts_entry *ts_find_var(ts_ctx *c, TSNode ident);

/* ts_decl.c: types from declarations, the file-scope scan */
ts_type ts_type_of_spec(ts_ctx *c, TSNode spec);
/* Applies a declarator to a base type; *name_out is the declared identifier
 * (null node for abstract declarators); *init_out the init_declarator value. */
ts_type ts_declarator(ts_ctx *c, TSNode decl, ts_type base, TSNode *name_out, TSNode *init_out);
bool ts_has_storage(ts_ctx *c, TSNode decl, const char *word);
bool ts_has_const(ts_ctx *c, TSNode decl);
void ts_add_macro(ts_ctx *c, TSNode def);
void ts_scan_file(ts_ctx *c, TSNode root);
/* Records struct/union/enum definitions nested in a type specifier. */
void ts_scan_spec(ts_ctx *c, TSNode spec);

/* ts_const.c: compile-time integer constants */
bool ts_eval(ts_ctx *c, TSNode expr, int64_t *out);
/* The first dimension of an array declared by declarator d (initializer
 * init or a null node), for `sizeof a / sizeof a[0]`. */
bool ts_array_len(ts_ctx *c, TSNode d, TSNode init, int64_t *len);
/* Which parts of preprocessor conditional n (#if, #elif, #else, #ifdef)
 * the preprocessor keeps, as far as the text tells: 1 its own branch only
 * (`#if 1`, `#else`), 0 its alternative only (`#if 0`), -1 both (macros,
 * defined(), #ifdef: unknown without a build). */
int ts_preproc_known(ts_ctx *c, TSNode n);

/* ts_loop.c: the trip count of `for (init; cond; step) body` when it is
 * a counted loop with constant bounds (for mb_loop_trips). */
bool ts_loop_trips(ts_ctx *c, TSNode init, TSNode cond, TSNode step, TSNode body, int64_t *trips);

/* ts_cond.c: an if condition testing one object against NULL (`t`, `!t`,
 * `t == NULL`, `0 != t`, parens and casts allowed): *obj the object's
 * expression, *nonnull whether the then branch means obj != NULL. */
bool ts_null_test(ts_ctx *c, TSNode cond, TSNode *obj, bool *nonnull);

/* ts_select.c: which tt_select a branch tests (as clang's fe_select.c).
 * Stores into variables while walking a function: `r = e` (rhs e; a null
 * node for `r += ...` and `r++`), `int r = e` (the declared name, init e
 * or a null node). */
void ts_sel_store(ts_ctx *c, TSNode lhs, TSNode rhs);
/* An if (is_switch false) or switch condition that branches on a select's
 * result: a CASE_TEST, the last event before mb_if / mb_switch. */
void ts_case_test(ts_ctx *c, TSNode cond, bool is_switch);

/* ts_obj.c: expressions -> objects, types and text */
TSNode ts_strip(ts_ctx *c, TSNode n); /* parens, casts, & and * */
/* pointer_context: a literal 0 here is a null pointer (NULL always is). */
model_obj_id ts_obj_of(ts_ctx *c, TSNode expr, bool pointer_context);
ts_type ts_type_of_expr(ts_ctx *c, TSNode expr);
/* The NS_STRUCT_FIELD entry of field expression e (`p->chs`), or NULL. */
ts_entry *ts_field_entry(ts_ctx *c, TSNode e);
/* The value arms of conditional e (`c ? a : b`, `x ?: y`; parens, casts and
 * nested conditionals looked through), at most max, in source order; 0 if
 * e is no conditional. ts_obj_of a conditional is its first arm with an
 * object other than NULL, the arms aliased together (as clang's). */
#define TS_MAX_ARMS 16
size_t ts_cond_arms(ts_ctx *c, TSNode e, TSNode *arms, size_t max);
/* The object of field f (an NS_STRUCT_FIELD entry) of struct `tag`. */
model_obj_id ts_field_obj(ts_ctx *c, const char *tag, const ts_entry *f);
const char *ts_obj_text(ts_ctx *c, TSNode expr); /* model-owned */

/* ts_expr.c: expressions -> events */
/* Walks an expression in evaluation order, emitting events; returns its
 * value (model.h, "Values"), or NULL while probing. */
model_val *ts_expr(ts_ctx *c, TSNode expr);
/* The same, where the value is stored into `target` (written as
 * target_text): a creation call (tt_chan_new, ...) names it as its object. */
model_val *ts_expr_target(ts_ctx *c, TSNode expr, model_obj_id target, const char *target_text);
/* A store of rhs into dest (lhs: the place written, or a null node for a
 * declaration's initializer): rhs's events, the alias, the escape; returns
 * rhs's value. */
model_val *ts_store(ts_ctx *c, TSNode lhs, model_obj_id dest, const char *dest_text, bool pointer_dest,
                    TSNode rhs, model_loc loc);
/* An initializer list for a variable or compound literal of type t whose
 * place is written `prefix` ("j", or "" for a compound literal): stores
 * into struct fields as assignments to them do (clang's fe__init); returns
 * its INIT value. */
model_val *ts_init_list(ts_ctx *c, TSNode list, ts_type t, const char *prefix);
/* An ASSIGN event lhs = rhs at loc (with the condition flags of the walk);
 * returns its RESULT value (NULL while probing: it only notes the event). */
model_val *ts_assign_event(ts_ctx *c, model_loc loc, model_val *lhs, model_val *rhs);
/* Records `cs[i] = TT_RECV(...)` into a local case array (rhs_val: the
 * value rhs was walked to); true if it was one. */
bool ts_record_case_store(ts_ctx *c, TSNode lhs, TSNode rhs, model_val *rhs_val);
/* The cases of local tt_case array var's initializer value (walked to
 * init_val). */
void ts_record_case_init(ts_ctx *c, ts_entry *var, TSNode value, model_val *init_val);
/* The object "(return)" of the function when `return e;` returns a
 * creation or a same-file call directly (made here), else MODEL_NO_OBJ. */
model_obj_id ts_return_obj(ts_ctx *c, TSNode e);
/* The arms of `return x ? tt_chan_new(0, 1) : c;` other than creations,
 * stored into the "(return)" object made (clang's ReturnStmt). */
void ts_return_arms(ts_ctx *c, TSNode e, model_obj_id made, model_loc loc);

/* Whether name is a function of tether.h (its `_at` variants too). */
bool ts_tether_function(const char *name, uint32_t len);

/* ts_stmt.c: statements -> mb_* */
void ts_function(ts_ctx *c, TSNode def);
/* Appends an initialized global (or function static) for ts_globals. */
ts_ginit *ts_ginit_add(ts_ctx *c, TSNode name);
/* After the functions: the synthetic function "(globals)" with one ASSIGN
 * per initialized file-scope variable and function-static local, in source
 * order (none if there is none). */
void ts_globals(ts_ctx *c);
/* A GNU statement expression `({ ... })`: its statements (as clang walks
 * them); its value is its last statement's when that is an expression. */
model_val *ts_stmt_expr(ts_ctx *c, TSNode compound);

/* ts_val.c: values of leaves, operators folded over constants */
model_val *ts_val_ident(ts_ctx *c, TSNode ident);
/* identifiers, literals (numbers, chars, strings, true/false, NULL) */
model_val *ts_val_leaf(ts_ctx *c, TSNode n);
/* The operator of a binary or compound assignment expression (`+=`: ADD). */
model_op ts_val_binop_of(ts_ctx *c, TSNode op);
model_val *ts_val_binop(ts_ctx *c, model_op op, model_val *a, model_val *b);
model_val *ts_val_unop(ts_ctx *c, model_op op, model_val *a);
model_val *ts_val_cond(ts_ctx *c, model_val *cond, model_val *a, model_val *b);
/* v where a pointer is expected: a constant 0 is NULL (also a `?:` arm). */
model_val *ts_val_ptr(ts_ctx *c, model_val *v);
/* Which parameters of an NS_PROTO function are pointers (bit i). */
uint64_t ts_val_ptr_params(ts_ctx *c, ts_entry *proto);

#endif /* TETHER_TS_INTERNAL_H */
