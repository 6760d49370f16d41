/* model.c — the model's objects: creation, lookup, aliases, kinds, and the
 * finishing pass that links calls to functions and fills predecessors. */
#include "model/model_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

model_tu *model_new(const char *path)
{
    model_tu_impl *impl = xcalloc(1, sizeof *impl);
    impl->pub.arena = arena_new();
    impl->pub.path = arena_strdup(impl->pub.arena, path);
    return &impl->pub;
}

void model_free(model_tu *tu)
{
    if (!tu)
        return;
    model_tu_impl *impl = tu_impl(tu);
    arena_free(tu->arena);
    free(tu->objs);
    free(tu->funcs);
    free(impl->slots);
    free(impl);
}

const char *model_strdup(model_tu *tu, const char *s)
{
    return arena_strdup(tu->arena, s);
}

int32_t model_add_func(model_tu *tu)
{
    model_tu_impl *impl = tu_impl(tu);
    grow_array((void **)&tu->funcs, &impl->funccap, tu->nfuncs + 1, sizeof *tu->funcs);
    memset(&tu->funcs[tu->nfuncs], 0, sizeof *tu->funcs);
    return (int32_t)tu->nfuncs++;
}

/* ---- get-or-create by key --------------------------------------------- */

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static obj_slot *slot_find(model_tu_impl *impl, const char *key)
{
    size_t mask = impl->nslots - 1;
    for (size_t i = hash_str(key) & mask;; i = (i + 1) & mask) {
        obj_slot *s = &impl->slots[i];
        if (!s->key || strcmp(s->key, key) == 0)
            return s;
    }
}

static void slots_grow(model_tu_impl *impl)
{
    obj_slot *old = impl->slots;
    size_t n = impl->nslots;
    impl->nslots = n ? n * 2 : 64;
    impl->slots = xcalloc(impl->nslots, sizeof *impl->slots);
    for (size_t i = 0; i < n; i++)
        if (old[i].key)
            *slot_find(impl, old[i].key) = old[i];
    free(old);
}

static model_obj_id obj_get(model_tu *tu, const char *key, model_obj init)
{
    model_tu_impl *impl = tu_impl(tu);
    if ((impl->used + 1) * 4 >= impl->nslots * 3)
        slots_grow(impl);
    obj_slot *s = slot_find(impl, key);
    if (s->key) {
        if (init.kind != MODEL_KIND_NONE)
            model_obj_set_kind(tu, s->id, init.kind);
        return s->id;
    }
    grow_array((void **)&tu->objs, &impl->objcap, tu->nobjs + 1, sizeof *tu->objs);
    model_obj_id id = (model_obj_id)tu->nobjs++;
    init.parent = id;
    tu->objs[id] = init;
    s->key = arena_strdup(tu->arena, key);
    s->id = id;
    impl->used++;
    return id;
}

static model_obj obj_init(model_scope scope, model_kind kind)
{
    return (model_obj){ .scope = scope, .kind = kind, .func = -1, .param_index = -1,
                        .base = MODEL_NO_OBJ, .parent = MODEL_NO_OBJ };
}

/* Keys are "<scope letter>:<parts>"; a NUL can't occur inside a part. */
model_obj_id model_obj_local(model_tu *tu, int32_t func, const char *name, model_kind kind, model_loc decl)
{
    char key[512];
    snprintf(key, sizeof key, "L:%d:%s", func, name);
    model_obj o = obj_init(MODEL_SCOPE_LOCAL, kind);
    o.name = arena_strdup(tu->arena, name);
    o.func = func;
    o.decl = decl;
    model_obj_id id = obj_get(tu, key, o);
    TAPE_NOTE(tu, id, .op = TAPE_LOCAL, .kind = kind, .name = name, .func = func, .decl = decl);
    return id;
}

model_obj_id model_obj_param_new(model_tu *tu, int32_t func, int32_t index, const char *name,
                                 model_kind kind, model_loc decl)
{
    char key[512];
    if (name && *name)
        snprintf(key, sizeof key, "L:%d:%s", func, name);
    else
        snprintf(key, sizeof key, "P:%d:%d", func, index);
    model_obj o = obj_init(MODEL_SCOPE_PARAM, kind);
    o.name = arena_strdup(tu->arena, name ? name : "");
    o.func = func;
    o.param_index = index;
    o.decl = decl;
    model_obj_id id = obj_get(tu, key, o);
    TAPE_NOTE(tu, id, .op = TAPE_PARAM, .kind = kind, .name = name, .func = func, .index = index, .decl = decl);
    return id;
}

model_obj_id model_obj_global(model_tu *tu, const char *name, model_kind kind, model_loc decl)
{
    char key[512];
    snprintf(key, sizeof key, "G:%s", name);
    model_obj o = obj_init(MODEL_SCOPE_GLOBAL, kind);
    o.name = arena_strdup(tu->arena, name);
    o.decl = decl;
    model_obj_id id = obj_get(tu, key, o);
    TAPE_NOTE(tu, id, .op = TAPE_GLOBAL, .kind = kind, .name = name, .decl = decl);
    return id;
}

model_obj_id model_obj_field(model_tu *tu, const char *tag, const char *field, model_kind kind)
{
    char key[512];
    snprintf(key, sizeof key, "F:%s.%s", tag ? tag : "", field);
    model_obj o = obj_init(MODEL_SCOPE_FIELD, kind);
    o.name = arena_strdup(tu->arena, field);
    o.tag = arena_strdup(tu->arena, tag ? tag : "");
    model_obj_id id = obj_get(tu, key, o);
    TAPE_NOTE(tu, id, .op = TAPE_FIELD, .kind = kind, .name = field, .tag = tag);
    return id;
}

static model_obj_id derived(model_tu *tu, char letter, model_scope scope, model_kind kind, model_obj_id base)
{
    char key[64];
    snprintf(key, sizeof key, "%c:%d", letter, (int)base);
    model_obj o = obj_init(scope, kind);
    o.base = base;
    return obj_get(tu, key, o);
}

model_obj_id model_obj_ctx_done(model_tu *tu, model_obj_id ctx)
{
    model_obj_set_kind(tu, ctx, MODEL_KIND_CTX);
    model_obj_id id = derived(tu, 'D', MODEL_SCOPE_CTX_DONE, MODEL_KIND_CHAN, ctx);
    TAPE_NOTE(tu, id, .op = TAPE_CTX_DONE, .a = ctx);
    return id;
}

model_obj_id model_obj_ticker_chan(model_tu *tu, model_obj_id ticker)
{
    model_obj_set_kind(tu, ticker, MODEL_KIND_TICKER);
    model_obj_id id = derived(tu, 'T', MODEL_SCOPE_TICKER_CHAN, MODEL_KIND_CHAN, ticker);
    TAPE_NOTE(tu, id, .op = TAPE_TICKER_CHAN, .a = ticker);
    return id;
}

model_obj_id model_obj_after(model_tu *tu, model_loc call)
{
    char key[64];
    snprintf(key, sizeof key, "A:%u:%u", call.line, call.col);
    model_obj o = obj_init(MODEL_SCOPE_AFTER, MODEL_KIND_CHAN);
    o.decl = call;
    model_obj_id id = obj_get(tu, key, o);
    TAPE_NOTE(tu, id, .op = TAPE_AFTER, .decl = call);
    return id;
}

model_obj_id model_obj_null(model_tu *tu)
{
    model_obj_id id = obj_get(tu, "N:", obj_init(MODEL_SCOPE_NULL, MODEL_KIND_NONE));
    TAPE_NOTE(tu, id, .op = TAPE_NULL);
    return id;
}

model_obj_id model_obj_background(model_tu *tu)
{
    model_obj_id id = obj_get(tu, "B:", obj_init(MODEL_SCOPE_BACKGROUND, MODEL_KIND_CTX));
    TAPE_NOTE(tu, id, .op = TAPE_BACKGROUND);
    return id;
}

model_obj_id model_obj_lookup(const model_tu *tu, int32_t func, const char *name)
{
    model_tu_impl *impl = tu_impl((model_tu *)tu);
    if (!impl->nslots)
        return MODEL_NO_OBJ;
    char key[512];
    snprintf(key, sizeof key, "L:%d:%s", func, name);
    obj_slot *s = slot_find(impl, key);
    return s->key ? s->id : MODEL_NO_OBJ;
}

/* ---- aliases and kinds ------------------------------------------------ */

model_obj_id model_obj_canon(const model_tu *tu, model_obj_id id)
{
    if (id < 0 || (size_t)id >= tu->nobjs)
        return MODEL_NO_OBJ;
    while (tu->objs[id].parent != id)
        id = tu->objs[id].parent;
    return id;
}

model_kind model_obj_kind(const model_tu *tu, model_obj_id id)
{
    model_obj_id c = model_obj_canon(tu, id);
    model_kind k = c == MODEL_NO_OBJ ? MODEL_KIND_NONE : tu->objs[c].kind;
    /* a read the front end's choices may depend on (model_tape.h) */
    TAPE_NOTE((model_tu *)tu, MODEL_NO_OBJ, .op = TAPE_KIND, .kind = k, .a = id);
    return k;
}

void model_obj_set_kind(model_tu *tu, model_obj_id id, model_kind kind)
{
    if (id == MODEL_NO_OBJ || kind == MODEL_KIND_NONE || (size_t)id >= tu->nobjs)
        return;
    if (tu->objs[id].kind == MODEL_KIND_NONE)
        tu->objs[id].kind = kind;
    model_obj_id c = model_obj_canon(tu, id);
    if (tu->objs[c].kind == MODEL_KIND_NONE)
        tu->objs[c].kind = kind;
}

/* Which member of a merged class names it: the longest-lived place wins,
 * then the first created, so the choice never depends on merge order. */
static int scope_rank(model_scope s)
{
    switch (s) {
    case MODEL_SCOPE_FIELD: return 0;
    case MODEL_SCOPE_GLOBAL: return 1;
    case MODEL_SCOPE_BACKGROUND: return 2;
    case MODEL_SCOPE_NULL: return 3;
    case MODEL_SCOPE_CTX_DONE: return 4;
    case MODEL_SCOPE_TICKER_CHAN: return 5;
    case MODEL_SCOPE_AFTER: return 6;
    case MODEL_SCOPE_PARAM: return 7;
    case MODEL_SCOPE_LOCAL: return 8;
    }
    return 9;
}

void model_obj_alias(model_tu *tu, model_obj_id a, model_obj_id b)
{
    TAPE_NOTE(tu, MODEL_NO_OBJ, .op = TAPE_ALIAS, .a = a, .b = b);
    a = model_obj_canon(tu, a);
    b = model_obj_canon(tu, b);
    if (a == MODEL_NO_OBJ || b == MODEL_NO_OBJ || a == b)
        return;
    int ra = scope_rank(tu->objs[a].scope), rb = scope_rank(tu->objs[b].scope);
    if (rb < ra || (rb == ra && b < a)) {
        model_obj_id t = a;
        a = b;
        b = t;
    }
    tu->objs[b].parent = a; /* a represents the class */
    if (tu->objs[a].kind == MODEL_KIND_NONE)
        tu->objs[a].kind = tu->objs[b].kind;
}

const char *model_obj_describe(const model_tu *tu, model_obj_id id, char *buf, size_t size)
{
    if (id == MODEL_NO_OBJ || (size_t)id >= tu->nobjs) {
        snprintf(buf, size, "?");
        return buf;
    }
    const model_obj *o = &tu->objs[id];
    char inner[256];
    switch (o->scope) {
    case MODEL_SCOPE_LOCAL:
    case MODEL_SCOPE_PARAM:
    case MODEL_SCOPE_GLOBAL:
        snprintf(buf, size, "%s", o->name);
        break;
    case MODEL_SCOPE_FIELD:
        snprintf(buf, size, "%s.%s", o->tag, o->name);
        break;
    case MODEL_SCOPE_CTX_DONE:
        snprintf(buf, size, "tt_ctx_done(%s)", model_obj_describe(tu, o->base, inner, sizeof inner));
        break;
    case MODEL_SCOPE_TICKER_CHAN:
        snprintf(buf, size, "tt_ticker_chan(%s)", model_obj_describe(tu, o->base, inner, sizeof inner));
        break;
    case MODEL_SCOPE_AFTER:
        snprintf(buf, size, "tt_after@%u:%u", o->decl.line, o->decl.col);
        break;
    case MODEL_SCOPE_NULL:
        snprintf(buf, size, "NULL");
        break;
    case MODEL_SCOPE_BACKGROUND:
        snprintf(buf, size, "tt_ctx_background()");
        break;
    }
    return buf;
}

/* ---- finishing -------------------------------------------------------- */

int32_t model_func_find(const model_tu *tu, const char *name)
{
    for (size_t i = 0; i < tu->nfuncs; i++)
        if (tu->funcs[i].name && strcmp(tu->funcs[i].name, name) == 0)
            return (int32_t)i;
    return -1;
}

static model_kind kind_of_event(model_ev_kind k)
{
    switch (k) {
    case MODEL_EV_CHAN_NEW: case MODEL_EV_SEND: case MODEL_EV_RECV:
    case MODEL_EV_CLOSE: case MODEL_EV_CHAN_FREE:
        return MODEL_KIND_CHAN;
    case MODEL_EV_CTX_NEW: case MODEL_EV_CTX_CANCEL: case MODEL_EV_CTX_ERR:
        return MODEL_KIND_CTX;
    case MODEL_EV_TICKER_NEW: case MODEL_EV_TICKER_STOP:
        return MODEL_KIND_TICKER;
    case MODEL_EV_WG_ADD: case MODEL_EV_WG_DONE: case MODEL_EV_WG_WAIT:
        return MODEL_KIND_WG;
    case MODEL_EV_LOCK: case MODEL_EV_UNLOCK:
        return MODEL_KIND_MUTEX;
    default:
        return MODEL_KIND_NONE;
    }
}

typedef struct func_name {
    const char *name;
    int32_t index;
} func_name;

static int cmp_func_name(const void *a, const void *b)
{
    const func_name *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->index > y->index) - (x->index < y->index);
}

/* Like model_func_find over a sorted index (the first definition wins). */
static int32_t find_sorted(const func_name *byname, size_t n, const char *name)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(byname[mid].name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && strcmp(byname[lo].name, name) == 0 ? byname[lo].index : -1;
}

void model_finish(model_tu *tu)
{
    func_name *byname = xcalloc(tu->nfuncs ? tu->nfuncs : 1, sizeof *byname);
    size_t nnamed = 0;
    for (size_t f = 0; f < tu->nfuncs; f++)
        if (tu->funcs[f].name)
            byname[nnamed++] = (func_name){ tu->funcs[f].name, (int32_t)f };
    qsort(byname, nnamed, sizeof *byname, cmp_func_name);
    for (size_t f = 0; f < tu->nfuncs; f++) {
        model_func *fn = &tu->funcs[f];
        for (size_t b = 0; b < fn->nblocks; b++) {
            model_block *bl = &fn->blocks[b];
            for (size_t e = 0; e < bl->nevents; e++) {
                model_event *ev = &bl->events[e];
                model_obj_set_kind(tu, ev->obj, kind_of_event(ev->kind));
                if (ev->kind == MODEL_EV_CTX_NEW)
                    model_obj_set_kind(tu, ev->obj2, MODEL_KIND_CTX);
                for (size_t c = 0; c < ev->ncases; c++)
                    model_obj_set_kind(tu, ev->cases[c].obj, MODEL_KIND_CHAN);
                if ((ev->kind == MODEL_EV_SPAWN || ev->kind == MODEL_EV_CALL) && ev->callee)
                    ev->callee_func = find_sorted(byname, nnamed, ev->callee);
            }
        }
        /* predecessors */
        size_t *count = xcalloc(fn->nblocks ? fn->nblocks : 1, sizeof *count);
        for (size_t b = 0; b < fn->nblocks; b++)
            for (size_t s = 0; s < fn->blocks[b].nsucc; s++)
                count[fn->blocks[b].succ[s]]++;
        for (size_t b = 0; b < fn->nblocks; b++) {
            fn->blocks[b].pred = arena_alloc(tu->arena, (count[b] ? count[b] : 1) * sizeof(uint32_t));
            fn->blocks[b].npred = 0;
        }
        for (size_t b = 0; b < fn->nblocks; b++)
            for (size_t s = 0; s < fn->blocks[b].nsucc; s++) {
                model_block *t = &fn->blocks[fn->blocks[b].succ[s]];
                t->pred[t->npred++] = (uint32_t)b;
            }
        free(count);
    }
    free(byname);
    /* every class's representative carries the kind any member has */
    for (size_t i = 0; i < tu->nobjs; i++)
        model_obj_set_kind(tu, (model_obj_id)i, tu->objs[i].kind);
}

const char *model_kind_name(model_kind k)
{
    static const char *const names[] = { "none", "chan", "ctx", "ticker", "wg", "mutex" };
    return (unsigned)k < sizeof names / sizeof *names ? names[k] : "?";
}

const char *model_ev_kind_name(model_ev_kind k)
{
    static const char *const names[] = {
        "SPAWN", "CHAN_NEW", "SEND", "RECV", "SELECT", "CLOSE", "CHAN_FREE",
        "CTX_NEW", "CTX_CANCEL", "CTX_ERR", "TICKER_NEW", "TICKER_STOP",
        "WG_ADD", "WG_DONE", "WG_WAIT", "LOCK", "UNLOCK", "SLEEP",
        "CALL", "ESCAPE", "RETURN", "NORETURN", "NULL_TEST", "ASSIGN", "CASE_TEST",
    };
    return (unsigned)k < sizeof names / sizeof *names ? names[k] : "?";
}
