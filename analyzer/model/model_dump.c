/* model_dump.c — the model as text (tether check --dump-model). The format
 * is stable: golden tests of both front ends compare it line by line. */
#include "model/model_impl.h"

#include <inttypes.h>
#include <stdio.h>

void model_put_uint(FILE *out, uint64_t n)
{
    char buf[24], *p = buf + sizeof buf;
    *--p = '\0';
    do
        *--p = (char)('0' + n % 10);
    while ((n /= 10) != 0);
    fputs(p, out);
}

void model_put_int(FILE *out, int64_t n)
{
    if (n < 0) {
        fputc('-', out);
        model_put_uint(out, -(uint64_t)n);
    } else {
        model_put_uint(out, (uint64_t)n);
    }
}

void model_put_loc(FILE *out, const char *prefix, model_loc loc)
{
    fputs(prefix, out);
    model_put_uint(out, loc.line);
    fputc(':', out);
    model_put_uint(out, loc.col);
}

static const char *scope_name(model_scope s)
{
    switch (s) {
    case MODEL_SCOPE_LOCAL: return "local";
    case MODEL_SCOPE_PARAM: return "param";
    case MODEL_SCOPE_GLOBAL: return "global";
    case MODEL_SCOPE_FIELD: return "field";
    case MODEL_SCOPE_CTX_DONE: return "ctx-done";
    case MODEL_SCOPE_TICKER_CHAN: return "ticker-chan";
    case MODEL_SCOPE_AFTER: return "after";
    case MODEL_SCOPE_NULL: return "null";
    case MODEL_SCOPE_BACKGROUND: return "background";
    }
    return "?";
}

static void dump_obj_ref(const model_tu *tu, model_obj_id id, const char *text, FILE *out)
{
    if (id == MODEL_NO_OBJ) {
        fputs(" -", out);
    } else {
        fputs(" #", out);
        model_put_int(out, model_obj_canon(tu, id));
    }
    if (text) {
        fputs(" '", out);
        fputs(text, out);
        fputc('\'', out);
    }
}

/* The values of an event: ` fn=F` and ` vals(A, B)`. */
static void dump_vals(const model_event *ev, FILE *out)
{
    if (ev->fn) {
        fputs(" fn=", out);
        mv_print(ev->fn, out);
    }
    if (ev->nvals) {
        fputs(" vals(", out);
        for (size_t i = 0; i < ev->nvals; i++) {
            if (i)
                fputs(", ", out);
            mv_print(ev->vals[i], out);
        }
        fputc(')', out);
    }
}

static void dump_event(const model_tu *tu, const model_event *ev, FILE *out)
{
    fputs("    %", out);
    model_put_int(out, ev->id);
    model_put_loc(out, " ", ev->loc);
    fputc(' ', out);
    fputs(model_ev_kind_name(ev->kind), out);
    if (ev->kind != MODEL_EV_SELECT && ev->kind != MODEL_EV_SPAWN && ev->kind != MODEL_EV_CALL &&
        ev->kind != MODEL_EV_NORETURN && ev->kind != MODEL_EV_SLEEP && ev->kind != MODEL_EV_CASE_TEST &&
        ev->kind != MODEL_EV_ASSIGN)
        dump_obj_ref(tu, ev->obj, ev->text, out);
    if (ev->kind == MODEL_EV_CALL && ev->obj != MODEL_NO_OBJ) {
        fputs(" result", out);
        dump_obj_ref(tu, ev->obj, ev->text, out);
    }
    if (ev->kind == MODEL_EV_CTX_NEW) {
        fputs(" parent", out);
        dump_obj_ref(tu, ev->obj2, NULL, out);
    }
    if (ev->flags & MODEL_EVF_NUM_KNOWN) {
        fputs(" num=", out);
        model_put_int(out, ev->num);
    }
    if (ev->num_begin.line) {
        model_put_loc(out, " num@", ev->num_begin);
        model_put_loc(out, "-", ev->num_end);
    }
    if (ev->flags & MODEL_EVF_TIMEOUT)
        fputs(" [timeout]", out);
    if (ev->callee) {
        fprintf(out, " %s(", ev->callee);
        for (size_t i = 0; i < ev->nargs; i++) {
            if (i)
                fputs(",", out);
            dump_obj_ref(tu, ev->args[i], ev->arg_texts ? ev->arg_texts[i] : NULL, out);
        }
        fprintf(out, " )");
        if (ev->kind != MODEL_EV_NORETURN)
            fprintf(out, " -> %s", ev->callee_func >= 0 ? tu->funcs[ev->callee_func].name : "extern");
    }
    if (ev->kind == MODEL_EV_SELECT) {
        fputs(ev->has_default ? " default [" : " [", out);
        for (size_t i = 0; i < ev->ncases; i++) {
            const model_case *c = &ev->cases[i];
            fprintf(out, "%s%s", i ? ", " : "", c->op == 2 ? "send" : "recv");
            dump_obj_ref(tu, c->obj, c->text, out);
            model_put_loc(out, " @", c->loc);
            if (c->ch || c->elem) {
                fputs(" (", out);
                mv_print(c->ch, out);
                fputs(", ", out);
                mv_print(c->elem, out);
                fputc(')', out);
            }
        }
        fputs("]", out);
    }
    if (ev->kind == MODEL_EV_ESCAPE) {
        static const char *const to[] = { "none", "field", "global", "deref" };
        fprintf(out, " to=%s", to[ev->escape_to]);
    }
    if (ev->kind == MODEL_EV_CASE_TEST)
        fprintf(out, " select@%u:%u%s", ev->select_loc.line, ev->select_loc.col,
                ev->num == -1 ? " switch" : ev->case_then ? " then=case" : " then=not-case");
    if (ev->flags & MODEL_EVF_LOOP_COND)
        fputs(" [loop-cond]", out);
    if (ev->flags & MODEL_EVF_FALLTHROUGH_END)
        fputs(" [end]", out);
    dump_vals(ev, out);
    fputc('\n', out);
}

void model_dump(const model_tu *tu, FILE *out)
{
    fprintf(out, "file %s\n", tu->path);
    fputs("objects:\n", out);
    char buf[256];
    for (size_t i = 0; i < tu->nobjs; i++) {
        const model_obj *o = &tu->objs[i];
        model_obj_id c = model_obj_canon(tu, (model_obj_id)i);
        fprintf(out, "  #%zu %s %s %s", i, scope_name(o->scope), model_kind_name(o->kind),
                model_obj_describe(tu, (model_obj_id)i, buf, sizeof buf));
        if (o->func >= 0)
            fprintf(out, " in %s", tu->funcs[o->func].name);
        if (o->scope == MODEL_SCOPE_PARAM)
            fprintf(out, " index %d", (int)o->param_index);
        if (o->decl.line)
            fprintf(out, " at %u:%u", o->decl.line, o->decl.col);
        if (c != (model_obj_id)i)
            fprintf(out, " = #%d", (int)c);
        fputc('\n', out);
    }
    for (size_t f = 0; f < tu->nfuncs; f++) {
        const model_func *fn = &tu->funcs[f];
        fprintf(out, "func %s%s at %u:%u end %u:%u (", fn->name, fn->is_static ? " static" : "",
                fn->loc.line, fn->loc.col, fn->end.line, fn->end.col);
        for (size_t p = 0; p < fn->nparams; p++)
            fprintf(out, "%s%s #%d", p ? ", " : "", fn->params[p].name, (int)fn->params[p].obj);
        fprintf(out, ") entry b%u exit b%u\n", fn->entry, fn->exit);
        for (size_t b = 0; b < fn->nblocks; b++) {
            const model_block *bl = &fn->blocks[b];
            fputs("  b", out);
            model_put_uint(out, b);
            if (bl->loop_head)
                fputs(bl->infinite_loop_head ? " [loop-head infinite]" : " [loop-head]", out);
            if (bl->case_default)
                fputs(" [default]", out);
            if (bl->case_value_known)
                fprintf(out, " [case %" PRId64 "]", bl->case_value);
            if (bl->trips_known)
                fprintf(out, " [trips %" PRId64 "]", bl->trips);
            if (bl->loc.line)
                model_put_loc(out, " @", bl->loc);
            fputs(" ->", out);
            for (size_t s = 0; s < bl->nsucc; s++) {
                fputs(" b", out);
                model_put_uint(out, bl->succ[s]);
            }
            fputc('\n', out);
            for (size_t e = 0; e < bl->nevents; e++)
                dump_event(tu, &bl->events[e], out);
            if (bl->cond) {
                fputs("    cond ", out);
                mv_print(bl->cond, out);
                fputc('\n', out);
            }
        }
    }
}
