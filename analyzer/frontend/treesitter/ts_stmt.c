/* ts_stmt.c — a function definition's statements, walked once in source
 * order and described to the model's structured builder (mb_*), which
 * lowers them to the control-flow graph. */
#include "ts_internal.h"

#include <stdlib.h>
#include <string.h>

static void stmt(ts_ctx *c, TSNode n);

/* A condition of if/switch: its events carry MODEL_EVF_IN_COND (the
 * builder marks loop conditions itself). Returns its value. */
static model_val *cond_expr(ts_ctx *c, TSNode cond)
{
    unsigned save = c->cond_flags;
    c->cond_flags |= MODEL_EVF_IN_COND;
    model_val *v = ts_expr(c, cond);
    c->cond_flags = save;
    return v;
}

/* A loop condition: the builder flags its events itself, but a branch
 * inside it (`while (w ? tt_recv(...) : 0)`) resets the builder's flags,
 * so they are carried here too (as clang's fe__cond). */
static model_val *loop_cond_expr(ts_ctx *c, TSNode cond)
{
    unsigned save = c->cond_flags;
    c->cond_flags |= MODEL_EVF_IN_COND | MODEL_EVF_LOOP_COND;
    model_val *v = ts_expr(c, cond);
    c->cond_flags = save;
    return v;
}

/* A loop condition with a non-zero constant value (or none at all). */
static bool infinite(ts_ctx *c, TSNode cond)
{
    int64_t v;
    if (ts_node_is_null(cond))
        return true;
    return ts_eval(c, cond, &v) && v != 0;
}

/* The initializer init of local v (type t, declared as `name`): its events
 * and stores; returns its value. */
static model_val *declarator_init(ts_ctx *c, ts_entry *v, ts_type t, TSNode name, TSNode init)
{
    if (t.is_case && t.is_array) {
        model_val *iv = ts_kind(c, init) == TS_INITIALIZER_LIST ? ts_init_list(c, init, t, "")
                                                                 : ts_expr(c, init);
        ts_record_case_init(c, v, init, iv);
        return iv;
    }
    /* as clang's fe__vardecl: the variable's object, then the store */
    model_obj_id dest = ts_obj_of(c, name, false);
    if (ts_kind(c, init) == TS_INITIALIZER_LIST) {
        /* `struct job j = { .ch = c }`: stores into j's fields */
        return ts_init_list(c, init, t, model_strdup(c->tu, ts_tmp(c, name)));
    }
    const char *text = dest != MODEL_NO_OBJ ? model_strdup(c->tu, ts_tmp(c, name)) : NULL;
    model_val *iv = ts_store(c, (TSNode){ 0 }, dest, text, t.is_pointer || t.kind != MODEL_KIND_NONE,
                             init, ts_loc(name));
    return t.is_pointer ? ts_val_ptr(c, iv) : iv;
}

static void local_declaration(ts_ctx *c, TSNode decl)
{
    TSNode spec = ts_field(c, decl, c->f_type);
    ts_scan_spec(c, spec);
    ts_type base = ts_type_of_spec(c, spec);
    base.is_const = ts_has_const(c, decl);
    ts_name_anon_struct(c, spec, &base);
    bool is_extern = ts_has_storage(c, decl, "extern");
    bool is_static = ts_has_storage(c, decl, "static") || is_extern;
    size_t first = ts_kids(c, decl, true);
    size_t last = c->nkids;
    for (size_t i = first; i < last; i++) {
        if (c->kid_fields[i] != c->f_declarator)
            continue;
        TSNode name, init;
        ts_type t = ts_declarator(c, c->kids[i], base, &name, &init);
        if (ts_node_is_null(name))
            continue;
        uint32_t len;
        const char *s = ts_text(c, name, &len);
        if (t.is_function) { /* a prototype in a body: the name is a function's */
            ts_add(c, NS_PROTO, s, len, NULL, 0);
            continue;
        }
        ts_entry *v = ts_add(c, NS_LOCAL, s, len, NULL, 0);
        v->type = t;
        v->decl = ts_loc(name);
        v->is_static_local = is_static;
        v->is_extern_local = is_extern;
        v->param_index = -1;
        v->obj = MODEL_NO_OBJ;
        v->cases = NULL;
        v->ncases = 0;
        if (t.is_const && t.is_integer && !ts_node_is_null(init))
            v->value_known = ts_eval(c, init, &v->value);
        v->array_len_known = t.is_array && ts_array_len(c, c->kids[i], init, &v->array_len);
        if (!ts_node_is_null(init)) {
            model_val *iv = declarator_init(c, v, t, name, init);
            /* a static's initializer runs once, before the program: its
             * ASSIGN is in (globals) */
            if (!is_static) {
                ts_assign_event(c, ts_loc(name), ts_val_ident(c, name), iv);
            } else if (!is_extern) {
                model_val *lhs = ts_val_ident(c, name);
                ts_ginit *g = ts_ginit_add(c, name);
                g->lhs = lhs;
                g->rhs = iv;
            }
        }
        ts_sel_store(c, name, init);
    }
    ts_kids_pop(c, first);
}

static void statements(ts_ctx *c, TSNode n)
{
    size_t first = ts_kids(c, n, true);
    size_t last = c->nkids;
    for (size_t i = first; i < last; i++)
        stmt(c, c->kids[i]);
    ts_kids_pop(c, first);
}

/* The statements of a preprocessor conditional the preprocessor keeps:
 * not those under `#if 0`, nor the `#else` of `#if 1`; both sides when the
 * condition is not written with literals (ts_preproc_known). */
static void preproc(ts_ctx *c, TSNode n)
{
    int known = ts_preproc_known(c, n);
    size_t first = ts_kids(c, n, true);
    size_t last = c->nkids;
    for (size_t i = first; i < last; i++) {
        TSFieldId f = c->kid_fields[i];
        if (f == c->f_condition || f == c->f_name)
            continue;
        if (f == c->f_alternative ? known != 1 : known != 0)
            stmt(c, c->kids[i]);
    }
    ts_kids_pop(c, first);
}

model_val *ts_stmt_expr(ts_ctx *c, TSNode compound)
{
    if (c->probe) {
        c->probe_hit = true; /* statements are not probed: assume events */
        return NULL;
    }
    statements(c, compound);
    /* the value: the last statement's, when it is an expression statement */
    for (uint32_t i = ts_node_named_child_count(compound); i-- > 0;) {
        TSNode last = ts_node_named_child(compound, i);
        if (ts_kind(c, last) == TS_COMMENT)
            continue;
        if (ts_kind(c, last) == TS_EXPRESSION_STATEMENT && c->last_stmt_val)
            return c->last_stmt_val;
        break;
    }
    return mv_unknown(c->tu);
}

/* An if condition that tests one object against NULL: a NULL_TEST, the
 * last event before mb_if (model.h). Its position is the object's. */
static void null_test(ts_ctx *c, TSNode cond)
{
    TSNode o;
    bool nonnull;
    if (!ts_null_test(c, cond, &o, &nonnull))
        return;
    model_obj_id obj = ts_obj_of(c, o, false);
    if (obj == MODEL_NO_OBJ)
        return;
    model_event *ev = mb_event(c->b, MODEL_EV_NULL_TEST, ts_loc(o));
    ev->flags = MODEL_EVF_NUM_KNOWN;
    ev->obj = obj;
    ev->text = ts_obj_text(c, o);
    ev->num = nonnull ? 1 : 0;
}

static void if_stmt(ts_ctx *c, TSNode n)
{
    TSNode cond = ts_field(c, n, c->f_condition);
    model_val *v = cond_expr(c, cond);
    null_test(c, cond);
    ts_case_test(c, cond, false);
    mb_cond(c->b, v);
    mb_if(c->b);
    stmt(c, ts_field(c, n, c->f_consequence));
    TSNode alt = ts_field(c, n, c->f_alternative);
    if (!ts_node_is_null(alt)) {
        mb_else(c->b);
        statements(c, alt); /* else_clause holds the statement */
    }
    mb_end_if(c->b);
}

static void for_stmt(ts_ctx *c, TSNode n)
{
    TSNode init = ts_field(c, n, c->f_initializer);
    if (ts_kind(c, init) == TS_DECLARATION)
        local_declaration(c, init);
    else
        ts_expr(c, init);
    TSNode cond = ts_field(c, n, c->f_condition);
    mb_loop(c->b);
    mb_mark(c->b, ts_loc(n));
    model_val *v = loop_cond_expr(c, cond);
    bool inf = infinite(c, cond);
    if (v)
        mb_cond(c->b, v);
    mb_loop_body(c->b, inf);
    TSNode body = ts_field(c, n, c->f_body), update = ts_field(c, n, c->f_update);
    int64_t trips;
    if (!inf && ts_loop_trips(c, init, cond, update, body, &trips))
        mb_loop_trips(c->b, trips);
    stmt(c, body);
    if (!ts_node_is_null(update)) {
        mb_loop_step(c->b);
        ts_expr(c, update);
    }
    mb_end_loop(c->b);
}

static void switch_stmt(ts_ctx *c, TSNode n)
{
    TSNode cond = ts_field(c, n, c->f_condition);
    model_val *v = cond_expr(c, cond);
    ts_case_test(c, cond, true);
    mb_cond(c->b, v);
    mb_switch(c->b);
    stmt(c, ts_field(c, n, c->f_body));
    mb_end_switch(c->b);
}

static void case_stmt(ts_ctx *c, TSNode n)
{
    TSNode value = ts_field(c, n, c->f_value);
    mb_case(c->b, ts_node_is_null(value));
    int64_t k;
    if (!ts_node_is_null(value) && ts_eval(c, value, &k))
        mb_case_value(c->b, k);
    size_t first = ts_kids(c, n, true);
    size_t last = c->nkids;
    for (size_t i = first; i < last; i++)
        if (c->kid_fields[i] != c->f_value)
            stmt(c, c->kids[i]);
    ts_kids_pop(c, first);
}

static void return_stmt(ts_ctx *c, TSNode n)
{
    /* the value: the first named child that is not a comment (one may come first) */
    TSNode e = { 0 };
    for (uint32_t i = 0, k = ts_node_named_child_count(n); i < k && ts_node_is_null(e); i++)
        if (ts_kind(c, ts_node_named_child(n, i)) != TS_COMMENT)
            e = ts_node_named_child(n, i);
    model_obj_id obj = MODEL_NO_OBJ;
    const char *text = NULL;
    model_val *v = NULL;
    if (!ts_node_is_null(e)) {
        model_obj_id made = ts_return_obj(c, e); /* "(return)": see ts_expr.c */
        if (made != MODEL_NO_OBJ) {
            v = ts_expr_target(c, e, made, "(return)");
            ts_return_arms(c, e, made, ts_loc(n));
            obj = made;
            text = "(return)";
        } else {
            /* `return x ? a : b;`: a RETURN carries one object, the first
             * arm's other than NULL, the arms aliased together (ts_obj.c) */
            v = ts_expr(c, e);
            obj = ts_obj_of(c, e, c->returns_pointer);
            if (obj != MODEL_NO_OBJ)
                text = ts_obj_text(c, e);
        }
        if (c->returns_pointer)
            v = ts_val_ptr(c, v);
    }
    model_event *ev = mb_return(c->b, ts_loc(n), obj, text);
    if (v) {
        ev->vals = mv_array(c->tu, 1);
        ev->vals[0] = v;
        ev->nvals = 1;
    }
    mb_mark(c->b, ts_loc(n));
}

static void stmt(ts_ctx *c, TSNode n)
{
    if (ts_node_is_null(n))
        return;
    switch (ts_kind(c, n)) {
    case TS_COMPOUND_STATEMENT:
        statements(c, n);
        break;
    case TS_PREPROC_IF: case TS_PREPROC_IFDEF: case TS_PREPROC_ELSE:
    case TS_PREPROC_ELIF: case TS_PREPROC_ELIFDEF:
        preproc(c, n);
        break;
    case TS_PREPROC_DEF:
        ts_add_macro(c, n);
        break;
    case TS_DECLARATION:
        local_declaration(c, n);
        break;
    case TS_TYPE_DEFINITION:
        break;
    case TS_STRUCT_SPECIFIER: case TS_UNION_SPECIFIER: case TS_ENUM_SPECIFIER:
        ts_scan_spec(c, n);
        break;
    case TS_EXPRESSION_STATEMENT: {
        TSNode e = ts_node_named_child(n, 0);
        c->last_stmt_val = ts_kind(c, e) == TS_COMMENT ? NULL : ts_expr(c, e);
        break;
    }
    case TS_IF:
        if_stmt(c, n);
        break;
    case TS_WHILE: {
        TSNode cond = ts_field(c, n, c->f_condition);
        mb_loop(c->b);
        mb_mark(c->b, ts_loc(n));
        model_val *v = loop_cond_expr(c, cond);
        mb_cond(c->b, v);
        mb_loop_body(c->b, infinite(c, cond));
        stmt(c, ts_field(c, n, c->f_body));
        mb_end_loop(c->b);
        break;
    }
    case TS_FOR:
        for_stmt(c, n);
        break;
    case TS_DO: {
        mb_do(c->b);
        mb_mark(c->b, ts_loc(n));
        stmt(c, ts_field(c, n, c->f_body));
        TSNode cond = ts_field(c, n, c->f_condition);
        mb_do_cond(c->b);
        model_val *v = loop_cond_expr(c, cond);
        mb_cond(c->b, v);
        mb_end_do(c->b, infinite(c, cond));
        break;
    }
    case TS_SWITCH:
        switch_stmt(c, n);
        break;
    case TS_CASE:
        case_stmt(c, n);
        break;
    case TS_BREAK:
        mb_break(c->b);
        mb_mark(c->b, ts_loc(n));
        break;
    case TS_CONTINUE:
        mb_continue(c->b);
        mb_mark(c->b, ts_loc(n));
        break;
    case TS_GOTO:
        mb_goto(c->b, ts_tmp(c, ts_field(c, n, c->f_label)));
        mb_mark(c->b, ts_loc(n));
        break;
    case TS_LABELED: {
        mb_label(c->b, ts_tmp(c, ts_field(c, n, c->f_label)));
        size_t first = ts_kids(c, n, true);
        size_t last = c->nkids;
        for (size_t i = first; i < last; i++)
            if (c->kid_fields[i] != c->f_label)
                stmt(c, c->kids[i]);
        ts_kids_pop(c, first);
        break;
    }
    case TS_RETURN:
        return_stmt(c, n);
        break;
    case TS_ATTRIBUTED_STATEMENT:
        statements(c, n);
        break;
    default:
        break;
    }
}

/* A K&R parameter `a` of `int f(a, b) tt_chan *a; int b; { ... }`: its
 * declarator among the declarations before the body (type in *spec_out). */
static TSNode kr_param(ts_ctx *c, TSNode def, TSNode ident, TSNode *spec_out)
{
    TSNode found = { 0 };
    uint32_t n = ts_node_named_child_count(def);
    for (uint32_t i = 0; i < n && ts_node_is_null(found); i++) {
        TSNode decl = ts_node_named_child(def, i);
        if (ts_kind(c, decl) != TS_DECLARATION)
            continue;
        size_t first = ts_kids(c, decl, true);
        for (size_t j = first; j < c->nkids; j++) {
            TSNode name;
            if (c->kid_fields[j] != c->f_declarator)
                continue;
            ts_declarator(c, c->kids[j], (ts_type){ 0 }, &name, NULL);
            uint32_t a, b;
            const char *sa = ts_text(c, name, &a), *sb = ts_text(c, ident, &b);
            if (!ts_node_is_null(name) && a == b && memcmp(sa, sb, a) == 0) {
                found = c->kids[j];
                *spec_out = ts_field(c, decl, c->f_type);
                break;
            }
        }
        ts_kids_pop(c, first);
    }
    return found;
}

static void params(ts_ctx *c, TSNode def, TSNode fdecl)
{
    TSNode plist = ts_field(c, fdecl, c->f_parameters);
    size_t first = ts_kids(c, plist, true);
    size_t last = c->nkids;
    for (size_t i = first; i < last; i++) {
        TSNode p = c->kids[i];
        TSNode spec, name, d;
        if (ts_kind(c, p) == TS_IDENTIFIER) {
            /* K&R: an undeclared one is an int */
            spec = (TSNode){ 0 };
            d = kr_param(c, def, p, &spec);
            if (ts_node_is_null(d))
                d = p;
        } else if (ts_kind(c, p) == TS_PARAMETER_DECLARATION) {
            spec = ts_field(c, p, c->f_type);
            d = ts_field(c, p, c->f_declarator);
        } else {
            continue;
        }
        ts_type base = ts_type_of_spec(c, spec);
        if (ts_node_is_null(d) && ts_text_is(c, spec, "void"))
            continue; /* f(void) */
        ts_type t = ts_declarator(c, d, base, &name, NULL);
        if (t.is_array) /* parameters of array type are pointers */
            t.is_array = false, t.is_pointer = true, t.array_depth = 0;
        model_loc loc = ts_loc(ts_node_is_null(name) ? p : name);
        const char *nm = ts_node_is_null(name) ? "" : ts_tmp(c, name);
        model_obj_id obj = mb_param(c->b, nm, t.kind, loc);
        if (ts_node_is_null(name))
            continue;
        uint32_t len;
        const char *s = ts_text(c, name, &len);
        ts_entry *v = ts_add(c, NS_LOCAL, s, len, NULL, 0);
        v->type = t;
        v->decl = loc;
        v->obj = obj;
        v->param_index = (int32_t)(c->b ? c->tu->funcs[c->func].nparams - 1 : 0);
    }
    ts_kids_pop(c, first);
}

/* The function_declarator under a definition's declarator (which may be
 * wrapped in pointer declarators for a pointer-returning function, and is
 * itself inside another function declarator for a function returning a
 * function pointer: `void (*choose(int k))(void *)`). *returns_pointer:
 * whether such a wrapper makes the result a pointer. */
static TSNode func_declarator(ts_ctx *c, TSNode d, bool *returns_pointer)
{
    *returns_pointer = false;
    while (!ts_node_is_null(d)) {
        ts_sym k = ts_kind(c, d);
        if (k == TS_FUNCTION_DECLARATOR) {
            TSNode in = ts_field(c, d, c->f_declarator);
            if (ts_kind(c, in) == TS_IDENTIFIER)
                return d;
            d = in; /* returns a function pointer: the name is further in */
        } else if (k == TS_POINTER_DECLARATOR) {
            *returns_pointer = true;
            d = ts_field(c, d, c->f_declarator);
        } else if (k == TS_PAREN_DECLARATOR || k == TS_ATTRIBUTED_DECLARATOR) {
            d = ts_node_named_child(d, 0);
        } else {
            return (TSNode){ 0 };
        }
    }
    return d;
}

void ts_function(ts_ctx *c, TSNode def)
{
    bool wrapped_pointer;
    TSNode fdecl = func_declarator(c, ts_field(c, def, c->f_declarator), &wrapped_pointer);
    TSNode body = ts_field(c, def, c->f_body);
    if (ts_node_is_null(fdecl) || ts_node_is_null(body))
        return;
    TSNode name = ts_field(c, fdecl, c->f_declarator);
    if (ts_kind(c, name) != TS_IDENTIFIER)
        return;
    c->gen++;
    c->narms = 0;
    c->nselvars = 0;
    /* a pointer declarator around the function declarator: returns a pointer */
    ts_type rt = ts_type_of_spec(c, ts_field(c, def, c->f_type));
    c->returns_pointer = rt.is_pointer || wrapped_pointer;
    c->ret_kind = rt.kind;
    c->ret_object = rt.kind != MODEL_KIND_NONE || c->returns_pointer || rt.is_record;
    c->b = mb_begin(c->tu, ts_tmp(c, name), ts_loc(name), ts_has_storage(c, def, "static"));
    c->func = mb_func_index(c->b);
    c->cond_flags = 0;
    params(c, def, fdecl);
    statements(c, body);
    uint32_t n = ts_node_child_count(body);
    TSNode close = n ? ts_node_child(body, n - 1) : body;
    mb_end(c->b, ts_loc(close));
    c->b = NULL;
    c->func = -1;
}

ts_ginit *ts_ginit_add(ts_ctx *c, TSNode name)
{
    if (c->nginits == c->capginits) {
        c->capginits = c->capginits ? c->capginits * 2 : 16;
        c->ginits = xrealloc(c->ginits, c->capginits * sizeof *c->ginits);
    }
    ts_ginit *g = &c->ginits[c->nginits++];
    memset(g, 0, sizeof *g);
    g->pos = ts_node_start_byte(name);
    g->loc = ts_loc(name);
    g->name = name;
    return g;
}

static int ginit_cmp(const void *a, const void *b)
{
    uint32_t x = ((const ts_ginit *)a)->pos, y = ((const ts_ginit *)b)->pos;
    return x < y ? -1 : x > y;
}

void ts_globals(ts_ctx *c)
{
    if (!c->nginits)
        return;
    qsort(c->ginits, c->nginits, sizeof *c->ginits, ginit_cmp);
    c->gen++; /* no function's locals are in scope */
    c->narms = 0;
    c->nselvars = 0;
    c->b = mb_begin(c->tu, "(globals)", (model_loc){ 0, 0 }, true);
    c->func = mb_func_index(c->b);
    c->cond_flags = 0;
    c->returns_pointer = false;
    c->values_only = true;
    for (size_t i = 0; i < c->nginits; i++) {
        ts_ginit *g = &c->ginits[i];
        model_val *lhs = g->lhs, *rhs = g->rhs;
        if (!lhs) { /* file scope: its value now */
            lhs = ts_val_ident(c, g->name);
            if (ts_kind(c, g->init) == TS_INITIALIZER_LIST)
                rhs = ts_init_list(c, g->init, g->type, "");
            else
                rhs = ts_expr(c, g->init);
            if (g->type.is_pointer)
                rhs = ts_val_ptr(c, rhs);
        }
        mb_assign(c->b, g->loc, lhs, rhs);
    }
    c->values_only = false;
    mb_end(c->b, (model_loc){ 0, 0 });
    c->b = NULL;
    c->func = -1;
}
