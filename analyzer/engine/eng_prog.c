/* eng_prog.c — the program the engine runs: every function of every model,
 * found by name the way the linker would (a file's static functions first),
 * and the roots of the call graph. */
#include "engine/engine_impl.h"

#include <stdlib.h>
#include <string.h>

#include "model/arena.h"

static uint64_t prog__key(uint32_t tu_index, bool is_static, uint32_t name)
{
    return is_static ? (((uint64_t)tu_index + 1) << 32) | name : name;
}

void eng_prog_init(eng_run_ctx *r, const model_tu *const *tus, size_t ntus)
{
    eng_prog *p = &r->prog;
    p->tus = tus;
    p->ntus = ntus;
    p->func_by_name = eng_map_new();
    size_t total = 0;
    for (size_t t = 0; t < ntus; t++)
        total += tus[t]->nfuncs;
    p->funcs = xcalloc(total ? total : 1, sizeof *p->funcs);
    for (size_t t = 0; t < ntus; t++) {
        for (size_t f = 0; f < tus[t]->nfuncs; f++) {
            const model_func *fn = &tus[t]->funcs[f];
            eng_func *ef = &p->funcs[p->nfuncs];
            ef->tu = tus[t];
            ef->tu_index = (int32_t)t;
            ef->func = (int32_t)f;
            ef->fn = fn;
            ef->name = eng_name(r, fn->name);
            uint64_t key = prog__key((uint32_t)t, fn->is_static, ef->name);
            uint32_t old;
            if (!eng_map_get(p->func_by_name, key, &old))
                eng_map_put(p->func_by_name, key, (uint32_t)p->nfuncs);
            if (!fn->is_static && strcmp(fn->name, "main") == 0)
                p->closed = true;
            p->nfuncs++;
        }
    }
}

void eng_prog_free(eng_prog *p)
{
    for (size_t f = 0; f < p->nfuncs; f++)
        eng_fninfo_free(p->funcs[f].info, p->funcs[f].fn->nblocks);
    free(p->funcs);
    eng_map_free(p->func_by_name);
}

uint32_t eng_prog_lookup(eng_run_ctx *r, const model_tu *tu, const char *name)
{
    if (!name)
        return ENG_NONE;
    uint32_t n = eng_name(r, name), id;
    for (size_t t = 0; t < r->prog.ntus; t++)
        if (r->prog.tus[t] == tu && eng_map_get(r->prog.func_by_name, prog__key((uint32_t)t, true, n), &id))
            return id;
    if (eng_map_get(r->prog.func_by_name, prog__key(0, false, n), &id))
        return id;
    /* a static function of a header the file includes (the driver models a
     * project header on its own) */
    for (size_t t = 0; t < r->prog.ntus; t++) {
        const char *p = r->prog.tus[t]->path;
        size_t len = p ? strlen(p) : 0;
        if (r->prog.tus[t] != tu && len > 2 && strcmp(p + len - 2, ".h") == 0 &&
            eng_map_get(r->prog.func_by_name, prog__key((uint32_t)t, true, n), &id))
            return id;
    }
    return ENG_NONE;
}

/* ---- the call graph ------------------------------------------------------------ */

typedef struct prog_refs {
    uint32_t *v;
    size_t n, cap;
} prog_refs;

static void refs_add(prog_refs *r, uint32_t id)
{
    grow_array((void **)&r->v, &r->cap, r->n + 1, sizeof *r->v);
    r->v[r->n++] = id;
}

static void prog__val_refs(eng_run_ctx *r, const model_tu *tu, const model_val *v, prog_refs *out)
{
    if (!v)
        return;
    if (v->kind == MODEL_VAL_FUNC || (v->kind == MODEL_VAL_VAR && v->scope == MODEL_SCOPE_GLOBAL)) {
        uint32_t id = eng_prog_lookup(r, tu, v->name);
        if (id != ENG_NONE)
            refs_add(out, id);
    }
    for (size_t i = 0; i < v->nsub; i++)
        prog__val_refs(r, tu, v->sub[i], out);
}

/* The functions fn calls, spawns or names. */
static void prog__func_refs(eng_run_ctx *r, const eng_func *ef, prog_refs *out)
{
    const model_func *fn = ef->fn;
    for (size_t b = 0; b < fn->nblocks; b++) {
        const model_block *bl = &fn->blocks[b];
        prog__val_refs(r, ef->tu, bl->cond, out);
        for (size_t e = 0; e < bl->nevents; e++) {
            const model_event *ev = &bl->events[e];
            if ((ev->kind == MODEL_EV_CALL || ev->kind == MODEL_EV_SPAWN) && ev->callee) {
                uint32_t id = eng_prog_lookup(r, ef->tu, ev->callee);
                if (id != ENG_NONE)
                    refs_add(out, id);
            }
            prog__val_refs(r, ef->tu, ev->fn, out);
            for (size_t i = 0; i < ev->nvals; i++)
                prog__val_refs(r, ef->tu, ev->vals[i], out);
            for (size_t c = 0; c < ev->ncases; c++) {
                prog__val_refs(r, ef->tu, ev->cases[c].ch, out);
                prog__val_refs(r, ef->tu, ev->cases[c].elem, out);
            }
        }
    }
}

static bool prog__has_api(const model_func *fn)
{
    for (size_t b = 0; b < fn->nblocks; b++)
        for (size_t e = 0; e < fn->blocks[b].nevents; e++) {
            model_ev_kind k = fn->blocks[b].events[e].kind;
            if (k != MODEL_EV_CALL && k != MODEL_EV_ASSIGN && k != MODEL_EV_RETURN &&
                k != MODEL_EV_NORETURN && k != MODEL_EV_ESCAPE && k != MODEL_EV_NULL_TEST &&
                k != MODEL_EV_CASE_TEST && k != MODEL_EV_SLEEP)
                return true;
        }
    return false;
}

size_t eng_prog_roots(eng_run_ctx *r, uint32_t **out)
{
    eng_prog *p = &r->prog;
    size_t n = p->nfuncs;
    prog_refs *refs = xcalloc(n ? n : 1, sizeof *refs);
    bool *named = xcalloc(n ? n : 1, 1), *api = xcalloc(n ? n : 1, 1);
    for (size_t f = 0; f < n; f++) {
        prog__func_refs(r, &p->funcs[f], &refs[f]);
        for (size_t i = 0; i < refs[f].n; i++)
            if (refs[f].v[i] != f)
                named[refs[f].v[i]] = true;
        api[f] = prog__has_api(p->funcs[f].fn);
    }
    /* api[f]: f reaches a tether operation (fixpoint over the call graph) */
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t f = 0; f < n; f++)
            for (size_t i = 0; !api[f] && i < refs[f].n; i++)
                if (api[refs[f].v[i]])
                    api[f] = changed = true;
    }
    uint32_t *roots = xcalloc(n ? n : 1, sizeof *roots);
    size_t nroots = 0;
    for (int pass = 0; pass < 2; pass++) /* main first */
        for (size_t f = 0; f < n; f++) {
            const model_func *fn = p->funcs[f].fn;
            bool is_main = strcmp(fn->name, "main") == 0;
            if (fn->is_static || (pass == 0) != is_main || !api[f] || fn->name[0] == '(')
                continue;
            if (is_main || !named[f])
                roots[nroots++] = (uint32_t)f;
        }
    for (size_t f = 0; f < n; f++)
        free(refs[f].v);
    free(refs);
    free(named);
    free(api);
    *out = roots;
    return nroots;
}
