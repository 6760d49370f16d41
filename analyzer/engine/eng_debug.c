/* eng_debug.c — the engine's result as text, for developers
 * (TETHER_ENGINE_DEBUG=1 tether check ...): every root's search figures and
 * every finding with its tasks, objects and steps. */
#include "engine/engine.h"

#include <inttypes.h>
#include <stdio.h>

static const char *kind_name(eng_finding_kind k)
{
    static const char *const n[] = { "BLOCKED", "LOOPING", "TICKER_LEAK", "CTX_LEAK", "WG_NEGATIVE" };
    return (unsigned)k < sizeof n / sizeof *n ? n[k] : "?";
}

static void site(eng_site s, FILE *out)
{
    const model_event *ev = eng_site_event(s);
    const model_func *fn = eng_site_func(s);
    if (!fn) {
        fputs("-", out);
        return;
    }
    if (ev)
        fprintf(out, "%s:%u:%u %s", fn->name, ev->loc.line, ev->loc.col, model_ev_kind_name(ev->kind));
    else
        fprintf(out, "%s:b%u@%u:%u", fn->name, s.block, fn->blocks[s.block].loc.line, fn->blocks[s.block].loc.col);
}

void eng_debug_print(const eng_result *r, FILE *out);
void eng_debug_print(const eng_result *r, FILE *out)
{
    for (size_t i = 0; i < r->nroots; i++)
        fprintf(out, "root %s: %zu states, %zu edges, %.2f ms%s\n", r->roots[i].tu->funcs[r->roots[i].func].name,
                r->roots[i].states, r->roots[i].edges, r->roots[i].ms, r->roots[i].budget_hit ? " (budget hit)" : "");
    static const char *const steps[] = { "op", "call", "return", "noreturn", "block", "timer" };
    for (size_t i = 0; i < r->nfindings; i++) {
        const eng_finding *f = &r->findings[i];
        fprintf(out, "finding %zu: %s task %d obj %d%s at ", i, kind_name(f->kind), (int)f->task, (int)f->obj,
                f->deadlock ? " (deadlock)" : "");
        site(f->site, out);
        fputc('\n', out);
        for (size_t t = 0; t < f->ntasks; t++) {
            const eng_task_info *ti = &f->tasks[t];
            fprintf(out, "  task %zu %s%s spawned ", t, ti->tu && ti->func >= 0 ? ti->tu->funcs[ti->func].name : "?",
                    ti->done ? " (done)" : "");
            site(ti->spawned, out);
            fputs(" at ", out);
            site(ti->at, out);
            fprintf(out, " waits %d\n", (int)ti->wait_obj);
        }
        for (size_t o = 0; o < f->nobjs; o++) {
            const eng_obj_info *oi = &f->objs[o];
            fprintf(out, "  obj %zu kind %d made ", o, (int)oi->kind);
            site(oi->made, out);
            fprintf(out, " cap %" PRId64 " closed %d canceled %d stopped %d count %" PRId64 " holder %d\n", oi->cap,
                    oi->closed, oi->canceled, oi->stopped, oi->count, (int)oi->holder);
        }
        for (size_t s = 0; s < f->nsteps; s++) {
            const eng_step *st = &f->steps[s];
            fprintf(out, "    %s task %d ", steps[st->kind], (int)st->task);
            site(st->site, out);
            if (st->detail != -1)
                fprintf(out, " case %d", st->detail);
            if (st->obj != UINT32_MAX)
                fprintf(out, " obj %d", (int)st->obj);
            if (st->loc_obj != UINT32_MAX)
                fprintf(out, " loc %d", (int)st->loc_obj);
            fputc('\n', out);
        }
    }
}

#include "engine/engine_impl.h"

/* A state in one line per task, cell and object (TETHER_ENGINE_STATES=N
 * prints every Nth new state of the search). */
static void path_str(eng_run_ctx *r, uint32_t p, FILE *out)
{
    if (p == 0)
        return;
    path_str(r, r->paths[p].parent, out);
    uint32_t st = r->paths[p].step;
    if ((st & 3u) == 0)
        fprintf(out, ".%s", eng_name_str(r, st >> 2));
    else if ((st & 3u) == 3)
        fprintf(out, "%s", eng_name_str(r, st >> 2));
    else if (st == STEP_ANY_INDEX)
        fputs("[*]", out);
    else
        fprintf(out, "[%lld]", (long long)STEP_INDEX_OF(st));
}

void eng_debug_state(eng_run_ctx *r, const eng_state *s, FILE *out);
void eng_debug_state(eng_run_ctx *r, const eng_state *s, FILE *out)
{
    fprintf(out, "state root_done=%d exited=%d\n", s->root_done, s->exited);
    for (uint32_t i = 0; i < s->ntasks; i++) {
        const eng_task *t = s->tasks[i];
        fprintf(out, "  task %u:", t->id);
        for (uint32_t k = 0; k < t->nframes; k++) {
            const eng_frame *f = &t->frames[k];
            const model_func *fn = r->prog.funcs[f->fn].fn;
            const model_block *bl = &fn->blocks[f->block];
            fprintf(out, " %s@b%u.%u", fn->name, f->block, f->ev);
            if (f->ev < bl->nevents)
                fprintf(out, "(%u:%u)", bl->events[f->ev].loc.line, bl->events[f->ev].loc.col);
            fputs(" v[", out);
            for (uint32_t b = 0; b < f->nblocks; b++)
                if (f->visits[b])
                    fprintf(out, "%u:%u ", b, f->visits[b]);
            fputs("]", out);
        }
        fputc('\n', out);
    }
    for (uint32_t i = 0; i < s->ncells; i++) {
        const eng_cell *c = s->cells[i];
        fprintf(out, "  cell %u kind %d%s:", c->id, c->kind, c->escaped ? " esc" : "");
        for (uint32_t k = 0; k < c->n; k++) {
            fputc(' ', out);
            path_str(r, c->e[k].path, out);
            fprintf(out, "=%d/%u/%u/%lld", c->e[k].v.kind, c->e[k].v.a, c->e[k].v.b, (long long)c->e[k].v.n);
        }
        fputc('\n', out);
    }
    for (uint32_t i = 0; i < s->nobjs; i++) {
        const eng_obj *o = s->objs[i];
        fprintf(out, "  obj %u kind %d nbuf %u closed %d canceled %d stopped %d fired %d\n", o->id, o->kind, o->nbuf,
                o->closed, o->canceled, o->stopped, o->fired);
    }
}
