/* ts_frags.c — the models of a file's functions kept from its last build
 * (frontend_input.reuse: an editor's typing), so that a function whose text
 * did not change is not walked again (model/model_tape.h).
 *
 * A kept function is used again when its text is the same, byte for byte,
 * from the same column, and the file's declarations (everything but the
 * functions' bodies, their comments and spacing) are the same: its
 * model then depends only on the calls its tape replays, which check that
 * what the function read of the model is unchanged. Its locations move with
 * it; the locations it took from the declarations (a global's) move by the
 * one edit between the two texts (ts_reuse.c). When a replay fails, the
 * file is built again without any kept function (ts_frags_failed). A
 * function with a syntax error is never kept: tree-sitter's incremental
 * parse may read the same broken text otherwise the next time. */
#include "ts_internal.h"

#include <stdlib.h>
#include <string.h>

#include "model/model_tape.h"

/* A function-static's initializer (ts_ginit), kept with its function. */
typedef struct frag_ginit {
    uint32_t pos;             /* from the function's first byte */
    model_loc loc;            /* in the copy's lines */
    model_val *lhs, *rhs;     /* in the holder */
} frag_ginit;

typedef struct ts_frag {
    uint64_t hash;
    uint32_t start, len;      /* the definition's bytes in the text last built */
    TSPoint from, to;         /* ... and its start and end there */
    uint32_t base;            /* the first line in the copy's lines */
    model_tape *tape;         /* in the text last built */
    model_tu *holder;         /* its one function: the copy (object ids are the tape's slots) */
    frag_ginit *ginits;
    size_t nginits;
    bool multi_in, multi_out; /* ts_ctx.multidim before and after its walk */
    bool used;                /* in the build going on */
} ts_frag;

struct ts_frags {
    ts_frag *v;
    size_t n, cap;
    uint64_t context;         /* the declarations' hash */
    bool sound;               /* built without an unterminated comment or
                                 broken declarations */
};

/* One build's use of the kept functions (ts_ctx.frags). */
struct ts_frag_build {
    ts_frags *set;            /* kept from the last build, then this one's */
    bool lookup;              /* the kept functions may be used */
    const char *old_text;     /* the text last built */
    TSInputEdit edit;         /* from it to this one */
    bool edited;
    uint32_t *index;          /* open addressing over set->v (1 + index; 0 empty) */
    size_t nindex;
    model_obj_id *scratch;    /* object id -> slot while storing; all -1 between */
    size_t nscratch;
    bool failed;
    bool wrote;               /* a walk wrote the tables: nothing more is kept or taken */
    const ts_frag *moving;    /* the replay going on: its old place */
    int32_t shift;            /* ... and how far its lines move */
};

static uint64_t hash_bytes(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

static const uint64_t HASH0 = 1469598103934665603ull;

/* The text of src[from, to) added to h as the compiler reads it: comments
 * and runs of blanks count as one space (one newline when they hold one,
 * for the preprocessor), string and character literals as written. */
static uint64_t tokens_hash(const char *src, uint32_t from, uint32_t to, uint64_t h, bool *line_macro)
{
    char gap = 0; /* a blank run being skipped: ' ' or '\n' */
    for (uint32_t i = from; i < to;) {
        char ch = src[i];
        if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v' || ch == '\n') {
            if (ch == '\n' || !gap)
                gap = ch == '\n' ? '\n' : ' ';
            i++;
            continue;
        }
        if (ch == '/' && i + 1 < to && (src[i + 1] == '*' || src[i + 1] == '/')) {
            bool line = src[i + 1] == '/';
            for (i += 2; i < to && (line ? src[i] != '\n' : !(src[i] == '*' && i + 1 < to && src[i + 1] == '/')); i++)
                ;
            i += line ? 0 : 2;
            if (!gap)
                gap = ' ';
            continue;
        }
        if (gap) {
            h = hash_bytes(h, &gap, 1);
            gap = 0;
        }
        uint32_t start = i++;
        if (ch == '"' || ch == '\'') {
            for (; i < to && src[i] != ch && src[i] != '\n'; i++)
                if (src[i] == '\\')
                    i++;
            i = i < to ? i + 1 : to;
        }
        h = hash_bytes(h, src + start, i - start);
        if (ch == '_' && i - start == 8 && memcmp(src + start, "__LINE__", 8) == 0)
            *line_macro = true;
    }
    return h;
}

/* Whether a part of function definition n other than its body holds a
 * syntax error. */
static bool signature_broken(ts_ctx *c, TSNode n)
{
    bool broken = false;
    size_t at = ts_kids(c, n, false);
    for (size_t j = at; j < c->nkids && !broken; j++)
        broken = c->kid_fields[j] != c->f_body && ts_node_has_error(c->kids[j]);
    ts_kids_pop(c, at);
    return broken;
}

/* The declarations' hash: the tokens of every item at file scope (and
 * inside the preprocessor's conditionals), of function definitions all but
 * their bodies; and the line of an item that says `__LINE__` (a macro's
 * value then depends on where it is). *broken: some declaration holds a
 * syntax error (what it declares may be read otherwise at the next,
 * incremental, parse of the same text). */
static uint64_t context_hash(ts_ctx *c, TSNode parent, uint64_t h, bool *broken)
{
    size_t first = ts_kids(c, parent, true);
    size_t last = c->nkids;
    for (size_t i = first; i < last; i++) {
        TSNode n = c->kids[i];
        ts_sym k = ts_kind(c, n);
        bool line_macro = false;
        if (k == TS_COMMENT)
            continue;
        unsigned char tag[2] = { (unsigned char)k, (unsigned char)c->kid_fields[i] };
        h = hash_bytes(h, (const char *)tag, sizeof tag);
        uint32_t from = ts_node_start_byte(n), to = ts_node_end_byte(n);
        switch (k) {
        case TS_FUNCTION_DEFINITION: {
            TSNode body = ts_field(c, n, c->f_body);
            if (!ts_node_is_null(body))
                to = ts_node_start_byte(body);
            h = tokens_hash(c->src, from, to, h, &line_macro);
            if (ts_node_has_error(n) && signature_broken(c, n))
                *broken = true;
            break;
        }
        default:
            if (ts_holds_items(k)) {
                h = context_hash(c, n, h, broken);
                break;
            }
            h = tokens_hash(c->src, from, to, h, &line_macro);
            /* (an ERROR item declares nothing: its kind and tokens are enough) */
            if (k != TS_ERROR && ts_node_has_error(n))
                *broken = true;
            break;
        }
        if (line_macro) {
            uint32_t row = ts_node_start_point(n).row;
            h = hash_bytes(h, (const char *)&row, sizeof row);
        }
    }
    ts_kids_pop(c, first);
    return h;
}

static void frag_release(ts_frag *f)
{
    model_tape_free(f->tape);
    model_free(f->holder);
    free(f->ginits);
}

void ts_frags_free(ts_frags *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        frag_release(&s->v[i]);
    free(s->v);
    free(s);
}

void ts_frags_open(ts_ctx *c, TSNode root, ts_reparse *re)
{
    ts_frags *last = re->frags;
    re->frags = NULL;
    struct ts_frag_build *b = xcalloc(1, sizeof *b);
    c->frags = b;
    bool broken = false;
    uint64_t context = context_hash(c, root, HASH0, &broken);
    bool sound = c->cut == c->len && !broken;
    b->lookup = last && re->old_text && last->context == context && last->sound && sound;
    if (!b->lookup) {
        ts_frags_free(last);
        last = xcalloc(1, sizeof *last);
    }
    last->context = context;
    last->sound = sound;
    b->set = last;
    b->old_text = re->old_text;
    b->edit = re->edit;
    b->edited = re->edited;
    if (!b->lookup)
        return;
    for (b->nindex = 16; b->nindex < 2 * last->n; b->nindex *= 2)
        ;
    b->index = xcalloc(b->nindex, sizeof *b->index);
    for (size_t i = 0; i < last->n; i++) {
        size_t j = last->v[i].hash & (b->nindex - 1);
        while (b->index[j])
            j = (j + 1) & (b->nindex - 1);
        b->index[j] = (uint32_t)i + 1;
    }
}

static bool point_lt(TSPoint a, TSPoint b)
{
    return a.row < b.row || (a.row == b.row && a.column < b.column);
}

/* model_loc_map for a replay: inside the function, its own move; outside,
 * the edit's (a declaration the edit touched cannot be placed). */
static bool move_loc(void *ctx, model_loc *loc)
{
    struct ts_frag_build *b = ctx;
    TSPoint p = { loc->line - 1, loc->col - 1 };
    if (!point_lt(p, b->moving->from) && point_lt(p, b->moving->to)) {
        loc->line = (uint32_t)((int32_t)loc->line + b->shift);
        return true;
    }
    if (!b->edited || point_lt(p, b->edit.start_point))
        return true;
    if (point_lt(p, b->edit.old_end_point))
        return false;
    if (p.row == b->edit.old_end_point.row)
        loc->col = loc->col - b->edit.old_end_point.column + b->edit.new_end_point.column;
    loc->line = loc->line - b->edit.old_end_point.row + b->edit.new_end_point.row;
    return true;
}

static ts_frag *frag_find(ts_ctx *c, uint64_t h, uint32_t start, uint32_t len, TSPoint from)
{
    struct ts_frag_build *b = c->frags;
    if (!b->lookup || b->wrote)
        return NULL;
    for (size_t j = h & (b->nindex - 1); b->index[j]; j = (j + 1) & (b->nindex - 1)) {
        ts_frag *f = &b->set->v[b->index[j] - 1];
        if (f->hash == h && f->len == len && f->from.column == from.column && !f->used &&
            memcmp(b->old_text + f->start, c->src + start, len) == 0)
            return f;
    }
    return NULL;
}

/* b->scratch holds at least n entries (all -1 between uses). */
static void scratch_reserve(struct ts_frag_build *b, size_t n)
{
    if (b->nscratch >= n)
        return;
    b->scratch = xrealloc(b->scratch, (n + 64) * sizeof *b->scratch);
    for (size_t i = b->nscratch; i < n + 64; i++)
        b->scratch[i] = -1;
    b->nscratch = n + 64;
}

/* Builds the function from its kept model; false when the replay fails. */
static bool frag_replay(ts_ctx *c, ts_frag *f, uint32_t start, TSPoint from, TSPoint to)
{
    struct ts_frag_build *b = c->frags;
    if (c->multidim != f->multi_in)
        return false;
    size_t nslots = model_tape_slots(f->tape);
    scratch_reserve(b, nslots);
    b->moving = f;
    b->shift = (int32_t)from.row - (int32_t)f->from.row;
    int32_t func = (int32_t)c->tu->nfuncs;
    bool ok = model_tape_replay(c->tu, f->tape, func, move_loc, b, b->scratch);
    int32_t delta = (int32_t)from.row + 1 - (int32_t)f->base;
    ok = ok && model_func_copy(c->tu, &f->holder->funcs[0], b->scratch, nslots, delta);
    for (size_t i = 0; i < nslots; i++)
        b->scratch[i] = -1;
    if (!ok)
        return false;
    for (size_t i = 0; i < f->nginits; i++) {
        ts_ginit *g = ts_ginit_add(c, (TSNode){ 0 });
        g->pos = start + f->ginits[i].pos;
        g->loc = f->ginits[i].loc;
        g->loc.line = (uint32_t)((int32_t)g->loc.line + delta);
        g->lhs = model_val_copy(c->tu, f->ginits[i].lhs, delta);
        g->rhs = model_val_copy(c->tu, f->ginits[i].rhs, delta);
    }
    c->multidim = f->multi_out;
    f->start = start;
    f->from = from;
    f->to = to;
    f->used = true;
    c->fn_kept++;
    return true;
}

/* Builds the function with ts_function and keeps its model. */
static void frag_build(ts_ctx *c, TSNode def, uint64_t h, uint32_t start, uint32_t len, TSPoint from, TSPoint to)
{
    struct ts_frag_build *b = c->frags;
    size_t nfuncs = c->tu->nfuncs, nginits = c->nginits, writes = c->table_writes;
    bool multi_in = c->multidim;
    model_tape_start(c->tu);
    ts_function(c, def);
    /* A walk that wrote the file's tables (a struct defined inside the
     * function, or so broken code reads) changes what the functions after
     * it read: none of them is taken from the last build or kept for the
     * next (where that walk may not write the same). */
    if (c->table_writes != writes)
        b->wrote = true;
    /* `__LINE__` in it: its model is not the same elsewhere */
    bool made = c->tu->nfuncs == nfuncs + 1 && !b->wrote && !ts_mentions(c->src + start, len, "__LINE__") &&
                !ts_node_has_error(def);
    model_tape *tape = model_tape_stop(c->tu, (int32_t)nfuncs);
    if (!made || !tape) {
        model_tape_free(tape);
        return;
    }
    size_t nobjs = c->tu->nobjs, nslots = model_tape_slots(tape);
    const model_obj_id *ids = model_tape_ids(tape);
    scratch_reserve(b, nobjs);
    for (size_t s = 0; s < nslots; s++)
        b->scratch[ids[s]] = (model_obj_id)s;
    model_tu *holder = model_holder_new();
    bool ok = model_func_copy(holder, &c->tu->funcs[nfuncs], b->scratch, nobjs, 0);
    for (size_t s = 0; s < nslots; s++)
        b->scratch[ids[s]] = -1;
    if (!ok) {
        model_tape_free(tape);
        model_free(holder);
        return;
    }
    ts_frags *set = b->set;
    grow_array((void **)&set->v, &set->cap, set->n + 1, sizeof *set->v);
    ts_frag *f = &set->v[set->n++];
    memset(f, 0, sizeof *f);
    f->hash = h;
    f->start = start;
    f->len = len;
    f->from = from;
    f->to = to;
    f->base = from.row + 1;
    f->tape = tape;
    f->holder = holder;
    f->multi_in = multi_in;
    f->multi_out = c->multidim;
    f->used = true;
    f->nginits = c->nginits - nginits;
    if (f->nginits) {
        f->ginits = xmalloc(f->nginits * sizeof *f->ginits);
        for (size_t i = 0; i < f->nginits; i++) {
            const ts_ginit *g = &c->ginits[nginits + i];
            f->ginits[i] = (frag_ginit){ g->pos - start, g->loc, model_val_copy(holder, g->lhs, 0),
                                         model_val_copy(holder, g->rhs, 0) };
        }
    }
}

void ts_frags_function(ts_ctx *c, TSNode def)
{
    struct ts_frag_build *b = c->frags;
    if (!b) {
        ts_function(c, def);
        return;
    }
    if (b->failed)
        return;
    uint32_t start = ts_node_start_byte(def), end = ts_node_end_byte(def);
    TSPoint from = ts_node_start_point(def), to = ts_node_end_point(def);
    uint64_t h = hash_bytes(HASH0, c->src + start, end - start);
    /* Broken code is parsed again, incrementally, as tree-sitter's error
     * recovery sees fit: the same text need not give the same tree twice.
     * A function with a syntax error is walked each time. */
    ts_frag *f = ts_node_has_error(def) ? NULL : frag_find(c, h, start, end - start, from);
    if (f) {
        if (!frag_replay(c, f, start, from, to))
            b->failed = true;
        return;
    }
    frag_build(c, def, h, start, end - start, from, to);
}

bool ts_frags_failed(const ts_ctx *c)
{
    return c->frags && c->frags->failed;
}

ts_frags *ts_frags_close(ts_ctx *c)
{
    struct ts_frag_build *b = c->frags;
    if (!b)
        return NULL;
    c->frags = NULL;
    ts_frags *s = b->set;
    free(b->index);
    free(b->scratch);
    bool failed = b->failed;
    free(b);
    if (failed) {
        ts_frags_free(s);
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (s->v[i].used) {
            s->v[i].used = false;
            s->v[k++] = s->v[i];
        } else {
            frag_release(&s->v[i]);
        }
    }
    s->n = k;
    return s;
}
