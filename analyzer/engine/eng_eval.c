/* eng_eval.c — values: evaluating the model's values in a task's frame,
 * locations (a cell and a path in it), loads and stores.
 *
 * Memory is a set of cells (the globals, each frame's locals, each
 * allocation) holding entries at paths (`s` then `->ch`, `[3]`). A struct
 * is the entries under its path; a struct value on its own (a function's
 * result, a channel element) lives in a detached REC cell. Pointers into a
 * heap allocation point at its element [0], so `p->f`, `p[0].f` and
 * `(*p).f` meet. A store through an unknown index forgets the array. */
#include "engine/engine_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/arena.h"

eng_loc eng_ptr_loc(eng_val v)
{
    if (v.kind == EV_PTR)
        return (eng_loc){ v.a, v.b, true };
    return (eng_loc){ 0, 0, false };
}

static bool path_has_any(const eng_run_ctx *r, uint32_t p)
{
    for (; r->paths[p].depth > 0; p = r->paths[p].parent)
        if (r->paths[p].step == STEP_ANY_INDEX)
            return true;
    return false;
}

/* The path of the array that the first unknown index of p selects in. */
static uint32_t path_any_base(const eng_run_ctx *r, uint32_t p)
{
    uint32_t base = 0;
    for (; r->paths[p].depth > 0; p = r->paths[p].parent)
        if (r->paths[p].step == STEP_ANY_INDEX)
            base = r->paths[p].parent;
    return base;
}

static bool has_below(const eng_run_ctx *r, const eng_cell *c, uint32_t path)
{
    for (uint32_t i = 0; i < c->n; i++)
        if (c->e[i].path != path && eng_path_has_prefix(r, c->e[i].path, path))
            return true;
    return false;
}

/* The entry of the nearest strict ancestor of path, or NULL. */
static const eng_val *ancestor_entry(const eng_run_ctx *r, const eng_cell *c, uint32_t path)
{
    while (r->paths[path].depth > 0) {
        path = r->paths[path].parent;
        const eng_val *v = eng_cell_find(c, path);
        if (v)
            return v;
    }
    return NULL;
}

/* A detached copy of the struct at `path` of c. */
static eng_val materialize(eng_run_ctx *r, eng_state *s, uint32_t task, uint32_t cell, uint32_t path,
                           bool zero_default)
{
    uint32_t id = eng_fresh_id(r, s, ID_REC, task, 0);
    eng_cell *rec = eng_cell_add(s, id, CELL_REC, zero_default, ENG_NONE);
    const eng_cell *c = eng_cell_get(s, cell);
    for (uint32_t i = 0; i < c->n; i++) {
        if (c->e[i].path != path && eng_path_has_prefix(r, c->e[i].path, path)) {
            uint32_t p = eng_path_rebase(r, c->e[i].path, path, 0);
            eng_val v = c->e[i].v;
            eng_cell_set(rec, p, v);
            c = eng_cell_get(s, cell); /* rec's growth does not move c, but stay safe */
        }
    }
    return (eng_val){ EV_REC, 0, id, 0, 0 };
}

eng_val eng_load(eng_run_ctx *r, eng_state *s, uint32_t task, eng_loc l)
{
    if (!l.ok)
        return ev_unknown();
    const eng_cell *c = eng_cell_get(s, l.cell);
    if (!c)
        return ev_unknown();
    if (path_has_any(r, l.path)) {
        uint32_t base = path_any_base(r, l.path);
        const eng_val *a = eng_cell_find(c, base);
        if (!has_below(r, c, base) && (a ? a->kind == EV_INT && a->n == 0 : c->zeroed))
            return ev_int(0);
        return ev_unknown();
    }
    const eng_val *exact = eng_cell_find(c, l.path);
    if (has_below(r, c, l.path)) {
        const eng_val *anc = exact ? exact : ancestor_entry(r, c, l.path);
        bool zero = anc ? anc->kind == EV_INT && anc->n == 0 : c->zeroed;
        if (task == ENG_NONE) /* a pure evaluation: no new cell */
            return ev_unknown();
        return materialize(r, s, task, l.cell, l.path, zero);
    }
    if (exact)
        return *exact;
    const eng_val *anc = ancestor_entry(r, c, l.path);
    if (anc)
        return anc->kind == EV_INT && anc->n == 0 ? ev_int(0) : ev_unknown();
    return c->zeroed ? ev_int(0) : ev_unknown();
}

static void del_below(eng_run_ctx *r, eng_cell *c, uint32_t path, bool self)
{
    for (uint32_t i = c->n; i-- > 0;)
        if ((self || c->e[i].path != path) && eng_path_has_prefix(r, c->e[i].path, path))
            eng_cell_del(c, c->e[i].path);
}

void eng_store(eng_run_ctx *r, eng_state *s, eng_loc l, eng_val v)
{
    if (!l.ok || !eng_cell_get(s, l.cell))
        return;
    eng_cell *c = eng_cell_mut(s, l.cell);
    if (c->kind == CELL_REC)
        return; /* struct values are immutable */
    bool escaped = eng_loc_escaped(r, c, l.path);
    if (path_has_any(r, l.path)) { /* weak update: the whole array is now unknown */
        uint32_t base = path_any_base(r, l.path);
        del_below(r, c, base, true);
        eng_cell_set(c, base, ev_unknown());
    } else if (v.kind == EV_REC) {
        const eng_cell *rec = eng_cell_get(s, v.a);
        del_below(r, c, l.path, true);
        if (rec) {
            bool zero = rec->zeroed;
            uint32_t n = rec->n;
            eng_entry *copy = xmalloc((n ? n : 1) * sizeof *copy);
            if (n)
                memcpy(copy, rec->e, n * sizeof *copy);
            if (zero || n == 0)
                eng_cell_set(c, l.path, zero ? ev_int(0) : ev_unknown());
            for (uint32_t i = 0; i < n; i++)
                eng_cell_set(c, eng_path_rebase(r, copy[i].path, 0, l.path), copy[i].v);
            free(copy);
        }
    } else {
        del_below(r, c, l.path, false);
        eng_cell_set(c, l.path, v);
    }
    if (escaped)
        eng_escape(r, s, v);
}

eng_val eng_copy_value(eng_run_ctx *r, eng_state *s, uint32_t task, eng_val v)
{
    (void)r;
    (void)s;
    (void)task;
    return v; /* REC cells are never written after they are made */
}

int eng_truth(eng_val v)
{
    switch (v.kind) {
    case EV_INT: return v.n != 0;
    case EV_UNKNOWN: return v.nz ? 1 : -1;
    default: return 1;
    }
}

/* ---- evaluation ------------------------------------------------------------------ */

static eng_frame *cur_frame(eng_exec *x)
{
    eng_task *t = eng_task_get(x->s, x->task);
    if (t && x->pure && x->frame_at && x->frame_at <= t->nframes)
        return &t->frames[x->frame_at - 1];
    return t && t->nframes ? &t->frames[t->nframes - 1] : NULL;
}

static const eng_func *cur_func(eng_exec *x)
{
    eng_frame *f = cur_frame(x);
    return f ? &x->r->prog.funcs[f->fn] : NULL;
}

/* A global's location: file-static ones under their file's own prefix. */
static eng_loc global_loc(eng_exec *x, const model_val *v)
{
    uint32_t base = 0;
    if (v->is_static) {
        const eng_func *f = cur_func(x);
        base = eng_path_child(x->r, 0, STEP_INDEX(-1 - (f ? f->tu_index : 0)));
    }
    return (eng_loc){ x->r->global_cell, eng_path_child(x->r, base, STEP_VAR(eng_model_name(x->r, v->name))), true };
}

static int64_t index_of(eng_val i, bool *known)
{
    *known = i.kind == EV_INT && i.n > -ENG_INDEX_MAX && i.n < ENG_INDEX_MAX;
    return *known ? i.n : 0;
}

static eng_loc loc_child(eng_exec *x, eng_loc l, uint32_t step)
{
    if (!l.ok)
        return l;
    l.path = eng_path_child(x->r, l.path, step);
    return l;
}

/* p + i for a pointer location p. */
static eng_loc loc_add(eng_exec *x, eng_loc p, eng_val i)
{
    if (!p.ok)
        return p;
    bool known;
    int64_t k = index_of(i, &known);
    uint32_t last = x->r->paths[p.path].depth ? x->r->paths[p.path].step : 0;
    if (known && k == 0)
        return p;
    if (x->r->paths[p.path].depth && STEP_IS_INDEX(last)) {
        uint32_t parent = x->r->paths[p.path].parent;
        if (!known)
            return loc_child(x, (eng_loc){ p.cell, parent, true }, STEP_ANY_INDEX);
        int64_t n = STEP_INDEX_OF(last) + k;
        if (n <= -ENG_INDEX_MAX || n >= ENG_INDEX_MAX)
            return (eng_loc){ 0, 0, false };
        return loc_child(x, (eng_loc){ p.cell, parent, true }, STEP_INDEX(n));
    }
    if (x->r->paths[p.path].depth && last == STEP_ANY_INDEX)
        return p;
    return (eng_loc){ 0, 0, false };
}

/* Field `step` of the struct at base. C code reaches a struct through a
 * pointer to its first member (`(struct outer *)&o->inner`, its interfaces):
 * when base is a member and the field lives in an enclosing struct instead,
 * that is the field meant. */
static eng_loc field_of(eng_exec *x, eng_loc base, uint32_t step)
{
    eng_loc want = loc_child(x, base, step);
    if (!want.ok)
        return want;
    const eng_cell *c = eng_cell_get(x->s, base.cell);
    if (!c || eng_cell_find(c, want.path) || has_below(x->r, c, want.path))
        return want;
    for (uint32_t q = base.path; x->r->paths[q].depth > 0 && (x->r->paths[q].step & 3u) == 0;) {
        q = x->r->paths[q].parent;
        uint32_t alt = eng_path_child(x->r, q, step);
        if (eng_cell_find(c, alt) || has_below(x->r, c, alt))
            return (eng_loc){ base.cell, alt, true };
    }
    return want;
}

/* Whether v names a function (the program's, or a tether function taken
 * by address); cached per value, which belongs to one file. */
static bool is_func_name(eng_exec *x, const model_val *v, uint32_t *fn)
{
    uint32_t id;
    if (!eng_map_get(x->r->func_cache, (uint64_t)(uintptr_t)v, &id)) {
        const eng_func *f = cur_func(x);
        id = eng_prog_lookup(x->r, f ? f->tu : NULL, v->name);
        if (id == ENG_NONE)
            id = eng_api_fn(v->name);
        eng_map_put(x->r->func_cache, (uint64_t)(uintptr_t)v, id);
    }
    *fn = id;
    return id != ENG_NONE;
}

eng_loc eng_lval(eng_exec *x, const model_val *v)
{
    eng_loc bad = { 0, 0, false };
    if (!v)
        return bad;
    switch (v->kind) {
    case MODEL_VAL_VAR: {
        if (v->scope == MODEL_SCOPE_GLOBAL)
            return global_loc(x, v);
        eng_frame *f = cur_frame(x);
        if (!f)
            return bad;
        return (eng_loc){ f->cell, eng_path_child(x->r, 0, STEP_VAR(eng_model_name(x->r, v->name))), true };
    }
    case MODEL_VAL_FIELD: {
        eng_loc base = v->arrow ? eng_ptr_loc(eng_eval(x, v->sub[0])) : eng_lval(x, v->sub[0]);
        return field_of(x, base, STEP_FIELD(eng_model_name(x->r, v->name)));
    }
    case MODEL_VAL_INDEX: {
        if (v->sub[0]->is_array) {
            eng_loc base = eng_lval(x, v->sub[0]);
            bool known;
            int64_t k = index_of(eng_eval(x, v->sub[1]), &known);
            return loc_child(x, base, known ? STEP_INDEX(k) : STEP_ANY_INDEX);
        }
        eng_loc p = eng_ptr_loc(eng_eval(x, v->sub[0]));
        return loc_add(x, p, eng_eval(x, v->sub[1]));
    }
    case MODEL_VAL_DEREF:
        return eng_ptr_loc(eng_eval(x, v->sub[0]));
    case MODEL_VAL_INIT: { /* a compound literal whose address is taken: an object of its own */
        if (x->pure)
            return bad;
        eng_val init = eng_eval(x, v);
        uint32_t id = eng_fresh_id(x->r, x->s, ID_HEAP, x->task, x->r->cur_site);
        eng_cell_add(x->s, id, CELL_HEAP, false, x->r->cur_site);
        eng_loc l = { id, eng_path_child(x->r, 0, STEP_INDEX(0)), true };
        eng_store(x->r, x->s, l, init);
        return l;
    }
    default:
        return bad;
    }
}

static eng_val first_element(eng_exec *x, eng_loc l)
{
    if (!l.ok)
        return ev_unknown();
    return ev_ptr(l.cell, eng_path_child(x->r, l.path, STEP_INDEX(0)));
}

static bool arith_ok(int64_t n)
{
    return n > -((int64_t)1 << 40) && n < ((int64_t)1 << 40);
}

static eng_val binop(eng_exec *x, const model_val *v)
{
    model_op op = v->op;
    if (op == MODEL_OP_LAND || op == MODEL_OP_LOR) {
        int a = eng_truth(eng_eval(x, v->sub[0]));
        if (op == MODEL_OP_LAND && a == 0)
            return ev_int(0);
        if (op == MODEL_OP_LOR && a == 1)
            return ev_int(1);
        int b = eng_truth(eng_eval(x, v->sub[1]));
        if (a == -1 || b == -1) {
            if (op == MODEL_OP_LAND && b == 0)
                return ev_int(0);
            if (op == MODEL_OP_LOR && b == 1)
                return ev_int(1);
            return ev_unknown();
        }
        return ev_int(op == MODEL_OP_LAND ? (a && b) : (a || b));
    }
    eng_val a = eng_eval(x, v->sub[0]), b = eng_eval(x, v->sub[1]);
    if (op == MODEL_OP_EQ || op == MODEL_OP_NE) {
        int eq = -1;
        if (a.kind == EV_INT && b.kind == EV_INT)
            eq = a.n == b.n;
        else if ((a.kind == EV_INT && a.n == 0 && b.kind != EV_UNKNOWN && b.kind != EV_INT) ||
                 (b.kind == EV_INT && b.n == 0 && a.kind != EV_UNKNOWN && a.kind != EV_INT))
            eq = (a.kind == EV_CTX && a.a == ENG_BACKGROUND) || (b.kind == EV_CTX && b.a == ENG_BACKGROUND)
                     ? 0 : 0; /* a pointer, function or object is never NULL */
        else if (a.kind == EV_UNKNOWN && a.nz && b.kind == EV_INT && b.n == 0)
            eq = 0;
        else if (b.kind == EV_UNKNOWN && b.nz && a.kind == EV_INT && a.n == 0)
            eq = 0;
        else if (a.kind == b.kind && a.kind != EV_UNKNOWN && a.kind != EV_INT && a.kind != EV_STR &&
                 a.kind != EV_REC)
            eq = a.a == b.a && a.b == b.b;
        if (eq < 0)
            return ev_unknown();
        return ev_int(op == MODEL_OP_EQ ? eq : !eq);
    }
    if (a.kind == EV_PTR && b.kind == EV_INT && (op == MODEL_OP_ADD || op == MODEL_OP_SUB)) {
        eng_loc l = loc_add(x, eng_ptr_loc(a), ev_int(op == MODEL_OP_ADD ? b.n : -b.n));
        return l.ok ? ev_ptr(l.cell, l.path) : ev_unknown();
    }
    if (a.kind != EV_INT || b.kind != EV_INT)
        return ev_unknown();
    int64_t p = a.n, q = b.n, n = 0;
    switch (op) {
    case MODEL_OP_ADD: if (__builtin_add_overflow(p, q, &n)) return ev_unknown(); break;
    case MODEL_OP_SUB: if (__builtin_sub_overflow(p, q, &n)) return ev_unknown(); break;
    case MODEL_OP_MUL: if (__builtin_mul_overflow(p, q, &n)) return ev_unknown(); break;
    case MODEL_OP_DIV: if (q == 0 || (p == INT64_MIN && q == -1)) return ev_unknown(); n = p / q; break;
    case MODEL_OP_MOD: if (q == 0 || (p == INT64_MIN && q == -1)) return ev_unknown(); n = p % q; break;
    case MODEL_OP_SHL: if (q < 0 || q > 40 || p < 0) return ev_unknown(); n = p << q; break;
    case MODEL_OP_SHR: if (q < 0 || q > 62 || p < 0) return ev_unknown(); n = p >> q; break;
    case MODEL_OP_BITAND: n = p & q; break;
    case MODEL_OP_BITOR: n = p | q; break;
    case MODEL_OP_BITXOR: n = p ^ q; break;
    case MODEL_OP_LT: n = p < q; break;
    case MODEL_OP_LE: n = p <= q; break;
    case MODEL_OP_GT: n = p > q; break;
    case MODEL_OP_GE: n = p >= q; break;
    default: return ev_unknown();
    }
    return arith_ok(n) ? ev_int(n) : ev_unknown();
}

static eng_val new_chan(eng_exec *x, int64_t cap, uint32_t owner, bool after)
{
    uint32_t id = eng_fresh_id(x->r, x->s, ID_OBJ, x->task, x->r->cur_site);
    eng_obj *o = eng_obj_add(x->s, id, OBJ_CHAN, x->r->cur_site);
    o->cap = cap;
    o->owner = owner;
    o->after = after;
    return ev_obj(EV_CHAN, id);
}

static eng_val api_value(eng_exec *x, const model_val *v)
{
    const char *n = v->name;
    eng_val a = v->nsub ? eng_eval(x, v->sub[0]) : ev_unknown();
    if (strcmp(n, "tt_ctx_background") == 0)
        return ev_obj(EV_CTX, ENG_BACKGROUND);
    if (strcmp(n, "tt_ctx_done") == 0) {
        if (a.kind == EV_CTX && a.a == ENG_BACKGROUND)
            return ev_int(0); /* background's done channel is NULL */
        if (a.kind == EV_INT && a.n == 0)
            return ev_int(0);
        const eng_obj *c = a.kind == EV_CTX ? eng_obj_get(x->s, a.a) : NULL;
        return c && c->done != ENG_NONE ? ev_obj(EV_CHAN, c->done) : ev_unknown(); /* made with the context */
    }
    if (strcmp(n, "tt_ticker_chan") == 0) {
        eng_obj *t = a.kind == EV_TICKER ? eng_obj_get(x->s, a.a) : NULL;
        return t && t->chan != ENG_NONE ? ev_obj(EV_CHAN, t->chan) : ev_unknown();
    }
    if (strcmp(n, "tt_after") == 0)
        return x->pure ? ev_obj(EV_CHAN, ENG_AFTER_FRESH) : new_chan(x, 1, ENG_NONE, true);
    if (strcmp(n, "tt_chan_len") == 0 || strcmp(n, "tt_chan_cap") == 0) {
        eng_obj *c = a.kind == EV_CHAN ? eng_obj_get(x->s, a.a) : NULL;
        if (!c || c->escaped || c->cap < 0)
            return ev_unknown();
        return ev_int(n[8] == 'l' ? (int64_t)c->nbuf : c->cap);
    }
    return ev_unknown();
}

static eng_val init_value(eng_exec *x, const model_val *v)
{
    if (x->pure)
        return ev_unknown();
    uint32_t id = eng_fresh_id(x->r, x->s, ID_REC, x->task, 0);
    eng_cell_add(x->s, id, CELL_REC, true, ENG_NONE);
    for (size_t i = 0; i < v->nsub; i++) {
        const char *d = v->names[i];
        uint32_t step;
        if (d && d[0] == '.')
            step = STEP_FIELD(eng_name(x->r, d + 1));
        else if (d && d[0] == '[')
            step = STEP_INDEX(strtoll(d + 1, NULL, 10));
        else
            continue; /* an element we cannot place */
        eng_val e = eng_eval(x, v->sub[i]);
        uint32_t p = eng_path_child(x->r, 0, step);
        eng_cell *c = eng_cell_mut(x->s, id);
        if (e.kind == EV_REC) {
            const eng_cell *rec = eng_cell_get(x->s, e.a);
            for (uint32_t k = 0; rec && k < rec->n; k++) {
                eng_entry en = rec->e[k];
                c = eng_cell_mut(x->s, id);
                eng_cell_set(c, eng_path_rebase(x->r, en.path, 0, p), en.v);
                rec = eng_cell_get(x->s, e.a);
            }
        } else {
            eng_cell_set(c, p, e);
        }
    }
    return (eng_val){ EV_REC, 0, id, 0, 0 };
}

eng_val eng_eval(eng_exec *x, const model_val *v)
{
    if (!v)
        return ev_unknown();
    switch (v->kind) {
    case MODEL_VAL_UNKNOWN: return ev_unknown();
    case MODEL_VAL_INT: return ev_int(v->num);
    case MODEL_VAL_NULL: return ev_int(0);
    case MODEL_VAL_STRING: /* literals with the same text compare equal (strcmp) */
        return (eng_val){ EV_STR, 1, v->name ? eng_model_name(x->r, v->name) + 1 : 0, 0, 0 };
    case MODEL_VAL_FUNC: {
        uint32_t fn;
        return is_func_name(x, v, &fn) ? ev_obj(EV_FUNC, fn) : (eng_val){ EV_UNKNOWN, 1, 0, 0, 0 };
    }
    case MODEL_VAL_VAR: {
        uint32_t fn;
        if (v->scope == MODEL_SCOPE_GLOBAL && is_func_name(x, v, &fn))
            return ev_obj(EV_FUNC, fn);
        eng_loc l = eng_lval(x, v);
        return v->is_array ? first_element(x, l) : eng_load(x->r, x->s, x->pure ? ENG_NONE : x->task, l);
    }
    case MODEL_VAL_FIELD: case MODEL_VAL_INDEX: {
        eng_loc l = eng_lval(x, v);
        return v->is_array ? first_element(x, l) : eng_load(x->r, x->s, x->pure ? ENG_NONE : x->task, l);
    }
    case MODEL_VAL_DEREF: {
        eng_val p = eng_eval(x, v->sub[0]);
        if (p.kind == EV_FUNC)
            return p;
        return eng_load(x->r, x->s, x->pure ? ENG_NONE : x->task, eng_ptr_loc(p));
    }
    case MODEL_VAL_ADDR: {
        const model_val *s = v->sub[0];
        if (s->kind == MODEL_VAL_FUNC || s->kind == MODEL_VAL_VAR) {
            uint32_t fn;
            if ((s->kind == MODEL_VAL_FUNC || s->scope == MODEL_SCOPE_GLOBAL) && is_func_name(x, s, &fn))
                return ev_obj(EV_FUNC, fn);
        }
        eng_loc l = eng_lval(x, s);
        return l.ok ? ev_ptr(l.cell, l.path) : (eng_val){ EV_UNKNOWN, 1, 0, 0, 0 };
    }
    case MODEL_VAL_UNOP: {
        eng_val a = eng_eval(x, v->sub[0]);
        if (v->op == MODEL_OP_NOT) {
            int t = eng_truth(a);
            return t < 0 ? ev_unknown() : ev_int(!t);
        }
        if (a.kind != EV_INT)
            return ev_unknown();
        if (v->op == MODEL_OP_NEG)
            return a.n == INT64_MIN ? ev_unknown() : ev_int(-a.n);
        return ev_int(~a.n);
    }
    case MODEL_VAL_BINOP: return binop(x, v);
    case MODEL_VAL_COND: {
        int t = eng_truth(eng_eval(x, v->sub[0]));
        if (t < 0) {
            eng_val a = eng_eval(x, v->sub[1]), b = eng_eval(x, v->sub[2]);
            if (a.kind == b.kind && a.a == b.a && a.b == b.b && a.n == b.n)
                return a;
            return ev_unknown();
        }
        return eng_eval(x, v->sub[t ? 1 : 2]);
    }
    case MODEL_VAL_RESULT: {
        eng_frame *f = cur_frame(x);
        const eng_func *fn = cur_func(x);
        if (!f || v->num < 0 || v->num >= fn->fn->nids)
            return ev_unknown();
        return f->temps[v->num];
    }
    case MODEL_VAL_INIT: return init_value(x, v);
    case MODEL_VAL_API: return api_value(x, v);
    }
    return ev_unknown();
}
