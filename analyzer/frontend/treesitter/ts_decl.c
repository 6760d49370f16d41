/* ts_decl.c — what declarations say: types of variables and fields (struct
 * tag, concurrency kind), and the file-scope scan that records macros, enum
 * constants, structs, typedefs, globals and defined functions. */
#include "ts_internal.h"

#include <string.h>

static const char *const integer_typedefs[] = {
    "int8_t", "int16_t", "int32_t", "int64_t", "uint8_t", "uint16_t", "uint32_t", "uint64_t",
    "size_t", "ssize_t", "intptr_t", "uintptr_t", "ptrdiff_t", "intmax_t", "uintmax_t",
};

/* Typedefs of the C library that name structs or unions (glibc): a field
 * or variable of such a type gets an object as clang gives one to every
 * struct (`pthread_mutex_t lock;` in a struct). */
static const char *const record_typedefs[] = {
    "pthread_mutex_t", "pthread_cond_t", "pthread_rwlock_t", "pthread_attr_t",
    "pthread_barrier_t", "pthread_mutexattr_t", "pthread_condattr_t", "sem_t", "mtx_t", "cnd_t",
    "FILE", "fd_set", "sigset_t", "mbstate_t", "div_t", "ldiv_t", "regex_t", "regmatch_t",
    "glob_t", "fpos_t", "atomic_flag",
};

static bool text_in(const char *t, uint32_t len, const char *s)
{
    return strlen(s) == len && memcmp(t, s, len) == 0;
}

/* The kind a tether type name stands for (pointers or values alike). */
static model_kind tether_kind(const char *t, uint32_t len, bool *is_case)
{
    *is_case = text_in(t, len, "tt_case");
    if (text_in(t, len, "tt_chan")) return MODEL_KIND_CHAN;
    if (text_in(t, len, "tt_ctx")) return MODEL_KIND_CTX;
    if (text_in(t, len, "tt_ticker")) return MODEL_KIND_TICKER;
    if (text_in(t, len, "tt_wg")) return MODEL_KIND_WG;
    if (text_in(t, len, "tt_mutex")) return MODEL_KIND_MUTEX;
    return MODEL_KIND_NONE;
}

static void scan_struct(ts_ctx *c, TSNode spec, const char *tag, bool positions);
static void scan_enum(ts_ctx *c, TSNode spec);

ts_type ts_type_of_spec(ts_ctx *c, TSNode spec)
{
    ts_type t = { 0 };
    if (ts_node_is_null(spec))
        return t;
    uint32_t len;
    const char *s;
    switch (ts_kind(c, spec)) {
    case TS_TYPE_IDENTIFIER: {
        s = ts_text(c, spec, &len);
        t.kind = tether_kind(s, len, &t.is_case);
        if (t.kind != MODEL_KIND_NONE || t.is_case) {
            /* tt_case, tt_wg and tt_mutex are structs; tt_chan & co. only
             * ever appear behind pointers */
            t.is_record = true;
            return t;
        }
        ts_entry *e = ts_find(c, NS_TYPEDEF, s, len, NULL, 0);
        if (e)
            return e->type;
        if (text_in(s, len, "va_list") || text_in(s, len, "__builtin_va_list") ||
            text_in(s, len, "__gnuc_va_list")) {
            t.is_array = true; /* x86-64: struct __va_list_tag[1], as clang sees it */
            t.array_depth = 1;
            return t;
        }
        if (text_in(s, len, "tt_fn")) {
            t.is_pointer = true; /* tether.h: typedef void (*tt_fn)(void *) */
            return t;
        }
        for (size_t i = 0; i < sizeof integer_typedefs / sizeof *integer_typedefs; i++)
            if (text_in(s, len, integer_typedefs[i]))
                t.is_integer = true;
        for (size_t i = 0; i < sizeof record_typedefs / sizeof *record_typedefs; i++)
            if (text_in(s, len, record_typedefs[i]))
                t.is_record = true;
        return t;
    }
    case TS_STRUCT_SPECIFIER:
    case TS_UNION_SPECIFIER: {
        TSNode name = ts_field(c, spec, c->f_name);
        if (!ts_node_is_null(name)) {
            s = ts_text(c, name, &len);
            t.kind = tether_kind(s, len, &t.is_case);
            t.tag = ts_dup(c, name);
        }
        t.is_record = true;
        return t;
    }
    case TS_PRIMITIVE_TYPE:
        t.is_integer = !ts_text_is(c, spec, "float") && !ts_text_is(c, spec, "double") &&
                       !ts_text_is(c, spec, "void");
        return t;
    case TS_SIZED_TYPE:
    case TS_ENUM_SPECIFIER:
        t.is_integer = true;
        return t;
    case TS_MACRO_TYPE_SPEC: {
        /* GNU `__typeof__(x) c = x;` (`typeof`): x's type, or the type written */
        TSNode name = ts_field(c, spec, c->f_name), desc = ts_field(c, spec, c->f_type);
        if (!ts_text_is(c, name, "typeof") && !ts_text_is(c, name, "__typeof__") &&
            !ts_text_is(c, name, "__typeof"))
            return t;
        TSNode inner = ts_field(c, desc, c->f_type), dname;
        ts_entry *v = ts_kind(c, inner) == TS_TYPE_IDENTIFIER && ts_node_is_null(ts_field(c, desc, c->f_declarator))
                          ? ts_find_var(c, inner)
                          : NULL;
        if (v)
            return v->type;
        return ts_declarator(c, ts_field(c, desc, c->f_declarator), ts_type_of_spec(c, inner), &dname, NULL);
    }
    default:
        return t;
    }
}

void ts_scan_spec(ts_ctx *c, TSNode spec)
{
    if (ts_node_is_null(spec))
        return;
    ts_sym k = ts_kind(c, spec);
    if (k == TS_ENUM_SPECIFIER) {
        scan_enum(c, spec);
    } else if (k == TS_STRUCT_SPECIFIER || k == TS_UNION_SPECIFIER) {
        TSNode name = ts_field(c, spec, c->f_name);
        if (!ts_node_is_null(name))
            scan_struct(c, spec, ts_dup(c, name), true);
    }
}

ts_type ts_declarator(ts_ctx *c, TSNode d, ts_type base, TSNode *name_out, TSNode *init_out)
{
    TSNode none = { 0 };
    *name_out = none;
    if (init_out)
        *init_out = none;
    /* The declarator nearest the name is the outermost type constructor:
     * `tt_chan *chs[4]` is an array (of pointers), `char (*p)[4]` a pointer. */
    ts_sym last = TS_OTHER, prev = TS_OTHER;
    unsigned run = 0, total = 0; /* array declarators right around the name; all */
    while (!ts_node_is_null(d)) {
        ts_sym k = ts_kind(c, d);
        switch (k) {
        case TS_IDENTIFIER:
        case TS_FIELD_IDENTIFIER:
        case TS_TYPE_IDENTIFIER:
            *name_out = d;
            goto done;
        case TS_INIT_DECLARATOR:
            if (init_out)
                *init_out = ts_field(c, d, c->f_value);
            d = ts_field(c, d, c->f_declarator);
            break;
        case TS_POINTER_DECLARATOR:
        case TS_ARRAY_DECLARATOR:
        case TS_ABSTRACT_POINTER_DECLARATOR:
        case TS_ABSTRACT_ARRAY_DECLARATOR:
        case TS_FUNCTION_DECLARATOR:
            prev = last;
            last = k;
            run = k == TS_ARRAY_DECLARATOR || k == TS_ABSTRACT_ARRAY_DECLARATOR ? run + 1 : 0;
            total++;
            d = ts_field(c, d, c->f_declarator);
            break;
        case TS_PAREN_DECLARATOR:
        case TS_ATTRIBUTED_DECLARATOR:
            d = ts_node_named_child(d, 0);
            break;
        default:
            goto done;
        }
    }
done:
    if (last != TS_OTHER) {
        bool elem_pointer = prev == TS_POINTER_DECLARATOR || prev == TS_ABSTRACT_POINTER_DECLARATOR ||
                            (prev == TS_OTHER && base.is_pointer);
        bool array = last == TS_ARRAY_DECLARATOR || last == TS_ABSTRACT_ARRAY_DECLARATOR;
        base.elem_pointer = elem_pointer && array;
        /* an array of a typedef'd array has its dimensions too */
        unsigned depth = array ? run + (run == total && base.is_array ? base.array_depth : 0) : 0;
        base.array_depth = (unsigned char)(depth > 255 ? 255 : depth);
        if (depth >= 2)
            c->multidim = true;
        base.is_pointer = last == TS_POINTER_DECLARATOR || last == TS_ABSTRACT_POINTER_DECLARATOR;
        base.is_array = last == TS_ARRAY_DECLARATOR || last == TS_ABSTRACT_ARRAY_DECLARATOR;
        base.is_integer = false;
        base.is_record = false;
        base.is_function = last == TS_FUNCTION_DECLARATOR;
        if (last == TS_FUNCTION_DECLARATOR)
            base.is_case = false;
    }
    return base;
}

static bool has_word(ts_ctx *c, TSNode decl, ts_sym kind, const char *word)
{
    size_t first = ts_kids(c, decl, true);
    bool found = false;
    for (size_t i = first; i < c->nkids && !found; i++)
        found = ts_kind(c, c->kids[i]) == kind && ts_text_is(c, c->kids[i], word);
    ts_kids_pop(c, first);
    return found;
}

bool ts_has_storage(ts_ctx *c, TSNode decl, const char *word)
{
    return has_word(c, decl, TS_STORAGE_CLASS, word);
}

bool ts_has_const(ts_ctx *c, TSNode decl)
{
    return has_word(c, decl, TS_TYPE_QUALIFIER, "const");
}

/* `_Noreturn void die(void)`, `noreturn void die(void)`, or the word
 * `noreturn` in an attribute among the first tokens, as clang's front end
 * reads them. */
static bool declared_noreturn(ts_ctx *c, TSNode decl)
{
    uint32_t start = ts_node_start_byte(decl);
    TSNode d = ts_field(c, decl, c->f_declarator);
    uint32_t end = ts_node_is_null(d) ? ts_node_end_byte(decl) : ts_node_start_byte(d);
    for (uint32_t i = start; i + 8 <= end; i++)
        if (memcmp(c->src + i, "noreturn", 8) == 0 || memcmp(c->src + i, "Noreturn", 8) == 0)
            return true;
    return false;
}

/* The function_declarator of a function's declarator (under pointer,
 * parenthesized and attributed declarators), or a null node. */
static TSNode function_declarator(ts_ctx *c, TSNode d)
{
    while (!ts_node_is_null(d)) {
        ts_sym k = ts_kind(c, d);
        if (k == TS_FUNCTION_DECLARATOR) {
            TSNode in = ts_field(c, d, c->f_declarator);
            ts_sym ik = ts_kind(c, in);
            if (ik == TS_IDENTIFIER || ik == TS_ATTRIBUTED_DECLARATOR)
                return d;
            d = in; /* returns a function pointer: the name is further in */
        } else if (k == TS_POINTER_DECLARATOR || k == TS_INIT_DECLARATOR) {
            d = ts_field(c, d, c->f_declarator);
        } else if (k == TS_PAREN_DECLARATOR || k == TS_ATTRIBUTED_DECLARATOR) {
            d = ts_node_named_child(d, 0);
        } else {
            return (TSNode){ 0 };
        }
    }
    return d;
}

/* A function declared (or defined) in this file: its name resolves to a
 * function, and which of its parameters are pointers. */
static void note_proto(ts_ctx *c, TSNode declarator, TSNode name)
{
    TSNode fd = function_declarator(c, declarator);
    uint32_t len;
    const char *s = ts_text(c, name, &len);
    ts_entry *e = ts_add(c, NS_PROTO, s, len, NULL, 0);
    if (!ts_node_is_null(fd) && e->state != 2) {
        e->node = fd; /* its pointer parameters: when a call needs them */
        e->state = 0;
    }
}

static void note_noreturn(ts_ctx *c, TSNode decl, TSNode name)
{
    if (ts_node_is_null(name) || !declared_noreturn(c, decl))
        return;
    uint32_t len;
    const char *s = ts_text(c, name, &len);
    ts_add(c, NS_NORETURN, s, len, NULL, 0);
}

/* An unnamed struct or union nested in struct `tag`: named after the field
 * holding it ("job.u"), as clang's front end names it (fe__nested_name). */
static bool unnamed_record(ts_ctx *c, TSNode spec)
{
    ts_sym k = ts_kind(c, spec);
    return (k == TS_STRUCT_SPECIFIER || k == TS_UNION_SPECIFIER) &&
           ts_node_is_null(ts_field(c, spec, c->f_name)) && !ts_node_is_null(ts_field(c, spec, c->f_body));
}

/* positions: record the fields' positions (not for the members of an
 * anonymous member, which share the outer record's tag). */
static void scan_struct(ts_ctx *c, TSNode spec, const char *tag, bool positions)
{
    TSNode body = ts_field(c, spec, c->f_body);
    if (ts_node_is_null(body))
        return;
    size_t first = ts_kids(c, body, true);
    uint32_t index = 0;
    for (size_t i = first; i < c->nkids; i++) {
        TSNode fd = c->kids[i];
        if (ts_kind(c, fd) != TS_FIELD_DECLARATION || ts_node_has_error(fd))
            continue;
        TSNode spec2 = ts_field(c, fd, c->f_type);
        ts_scan_spec(c, spec2);
        ts_type base = ts_type_of_spec(c, spec2);
        bool nested = unnamed_record(c, spec2);
        if (nested && ts_node_is_null(ts_field(c, fd, c->f_declarator))) {
            /* C11 anonymous member: its fields are the outer record's */
            size_t save = c->nkids;
            scan_struct(c, spec2, tag, false);
            c->nkids = save;
            continue;
        }
        size_t f2 = ts_kids(c, fd, true);
        for (size_t j = f2; j < c->nkids; j++) {
            if (c->kid_fields[j] != c->f_declarator)
                continue;
            TSNode name;
            ts_type t = ts_declarator(c, c->kids[j], base, &name, NULL);
            if (ts_node_is_null(name))
                continue;
            uint32_t len;
            const char *s = ts_text(c, name, &len);
            if (nested) {
                /* `union { ... } u;` in struct job: the union is "job.u" */
                size_t tl = strlen(tag);
                char *sub = arena_alloc(c->arena, tl + len + 2);
                memcpy(sub, tag, tl);
                sub[tl] = '.';
                memcpy(sub + tl + 1, s, len);
                t.tag = sub;
                size_t save = c->nkids;
                scan_struct(c, spec2, sub, true);
                c->nkids = save;
            }
            ts_entry *e = ts_add(c, NS_STRUCT_FIELD, tag, (uint32_t)strlen(tag), s, len);
            e->type = t;
            if (t.is_array)
                ts_add(c, NS_ARRAY_FIELD, s, len, NULL, 0);
            e->decl = ts_loc(name);
            /* `tt_chan *chs[4];`: for `sizeof p->chs / sizeof p->chs[0]` */
            e->array_len_known = t.is_array && ts_array_len(c, c->kids[j], (TSNode){ 0 }, &e->array_len);
            /* its position, for `{ c, &wg }` */
            e->value = index;
            if (positions) {
                uint32_t *at = arena_alloc(c->arena, sizeof *at);
                *at = index;
                ts_add(c, NS_FIELD_AT, tag, (uint32_t)strlen(tag), (const char *)at, sizeof *at)->field = e;
            }
            index++;
            /* the field's one owner, for bases whose type is unknown here */
            ts_entry *o = ts_find(c, NS_FIELD_OWNER, s, len, NULL, 0);
            if (!o) {
                o = ts_add(c, NS_FIELD_OWNER, s, len, NULL, 0);
                o->type.tag = tag;
            } else if (o->type.tag && strcmp(o->type.tag, tag) != 0) {
                o->type.tag = NULL;
            }
        }
        ts_kids_pop(c, f2);
    }
    ts_kids_pop(c, first);
}

static void scan_enum(ts_ctx *c, TSNode spec)
{
    TSNode body = ts_field(c, spec, c->f_body);
    if (ts_node_is_null(body))
        return;
    int64_t next = 0;
    bool known = true;
    size_t first = ts_kids(c, body, true);
    for (size_t i = first; i < c->nkids; i++) {
        TSNode en = c->kids[i];
        if (ts_kind(c, en) != TS_ENUMERATOR || ts_node_has_error(en))
            continue;
        TSNode name = ts_field(c, en, c->f_name), value = ts_field(c, en, c->f_value);
        if (ts_node_is_null(name))
            continue;
        if (!ts_node_is_null(value)) {
            size_t save = c->nkids;
            known = ts_eval(c, value, &next);
            c->nkids = save;
        }
        uint32_t len;
        const char *s = ts_text(c, name, &len);
        ts_entry *e = ts_add(c, NS_ENUM, s, len, NULL, 0);
        e->value = next;
        e->value_known = known;
        e->decl = ts_loc(name);
        next++;
    }
    ts_kids_pop(c, first);
}

static void scan_typedef(ts_ctx *c, TSNode td)
{
    TSNode spec = ts_field(c, td, c->f_type);
    ts_scan_spec(c, spec);
    ts_type base = ts_type_of_spec(c, spec);
    ts_sym sk = ts_kind(c, spec);
    bool anon_struct = (sk == TS_STRUCT_SPECIFIER || sk == TS_UNION_SPECIFIER) &&
                       ts_node_is_null(ts_field(c, spec, c->f_name));
    size_t first = ts_kids(c, td, true);
    for (size_t i = first; i < c->nkids; i++) {
        if (c->kid_fields[i] != c->f_declarator)
            continue;
        TSNode name;
        ts_type t = ts_declarator(c, c->kids[i], base, &name, NULL);
        if (ts_node_is_null(name))
            continue;
        if (anon_struct && !base.tag) {
            /* `typedef struct { ... } job_t;`: the struct is known by the
             * typedef name, as clang names an anonymous record. */
            base.tag = ts_dup(c, name);
            t.tag = base.tag;
            size_t save = c->nkids;
            scan_struct(c, spec, base.tag, true);
            c->nkids = save;
        }
        uint32_t len;
        const char *s = ts_text(c, name, &len);
        ts_entry *e = ts_add(c, NS_TYPEDEF, s, len, NULL, 0);
        e->type = t;
        e->decl = ts_loc(name);
    }
    ts_kids_pop(c, first);
}

void ts_name_anon_struct(ts_ctx *c, TSNode spec, ts_type *base)
{
    ts_sym sk = ts_kind(c, spec);
    if ((sk != TS_STRUCT_SPECIFIER && sk != TS_UNION_SPECIFIER) || base->tag ||
        !ts_node_is_null(ts_field(c, spec, c->f_name)))
        return;
    TSPoint at = ts_node_start_point(spec);
    char tag[48];
    snprintf(tag, sizeof tag, "(anonymous at %u:%u)", at.row + 1, at.column + 1);
    base->tag = arena_strdup(c->arena, tag);
    size_t save = c->nkids;
    scan_struct(c, spec, base->tag, true);
    c->nkids = save;
}

static void scan_declaration(ts_ctx *c, TSNode decl)
{
    TSNode spec = ts_field(c, decl, c->f_type);
    ts_scan_spec(c, spec);
    ts_type base = ts_type_of_spec(c, spec);
    base.is_const = ts_has_const(c, decl);
    ts_name_anon_struct(c, spec, &base);
    size_t first = ts_kids(c, decl, true);
    size_t last = c->nkids;
    for (size_t i = first; i < last; i++) {
        if (c->kid_fields[i] != c->f_declarator)
            continue;
        TSNode name, init;
        ts_type t = ts_declarator(c, c->kids[i], base, &name, &init);
        if (ts_node_is_null(name))
            continue;
        if (t.is_function) {
            note_noreturn(c, decl, name);
            note_proto(c, c->kids[i], name);
            continue;
        }
        uint32_t len;
        const char *s = ts_text(c, name, &len);
        ts_entry *e = ts_add(c, NS_GLOBAL, s, len, NULL, 0);
        e->type = t;
        e->is_static |= ts_has_storage(c, decl, "static");
        if (!e->decl.line)
            e->decl = ts_loc(name);
        if (t.is_const && t.is_integer && !ts_node_is_null(init))
            e->value_known = ts_eval(c, init, &e->value);
        e->array_len_known = t.is_array && ts_array_len(c, c->kids[i], init, &e->array_len);
        if (!ts_node_is_null(init)) {
            ts_ginit *g = ts_ginit_add(c, name);
            g->init = init;
            g->type = t;
        }
    }
    ts_kids_pop(c, first);
}

static void scan_function(ts_ctx *c, TSNode def)
{
    TSNode name;
    ts_declarator(c, ts_field(c, def, c->f_declarator), (ts_type){ 0 }, &name, NULL);
    if (ts_node_is_null(name))
        return;
    uint32_t len;
    const char *s = ts_text(c, name, &len);
    ts_entry *e = ts_add(c, NS_FUNC, s, len, NULL, 0);
    e->decl = ts_loc(name);
    note_noreturn(c, def, name);
    note_proto(c, ts_field(c, def, c->f_declarator), name);
}

void ts_add_macro(ts_ctx *c, TSNode def)
{
    TSNode name = ts_field(c, def, c->f_name);
    if (ts_node_is_null(name))
        return;
    uint32_t len;
    const char *s = ts_text(c, name, &len);
    ts_entry *e = ts_add(c, NS_MACRO, s, len, NULL, 0);
    e->node = ts_field(c, def, c->f_value);
    e->state = 0;
    e->decl = ts_loc(name);
}

/* The top level in source order; preprocessor conditionals are entered on
 * every branch the preprocessor may keep (tree-sitter does not preprocess:
 * only `#if 0` / `#if 1` and the like are known, ts_preproc_known). */
static void scan_items(ts_ctx *c, TSNode parent)
{
    int known = ts_preproc_known(c, parent); /* -1 but for #if/#elif/#else */
    size_t first = ts_kids(c, parent, true);
    for (size_t i = first; i < c->nkids; i++) {
        TSNode n = c->kids[i];
        if (known >= 0 && (c->kid_fields[i] == c->f_alternative) == (known == 1))
            continue; /* `#if 0` or the alternative of `#if 1` */
        if (ts_node_start_byte(n) >= c->cut)
            break;
        if (ts_holds_items(ts_kind(c, n))) {
            scan_items(c, n);
            continue;
        }
        switch (ts_kind(c, n)) {
        case TS_PREPROC_DEF: ts_add_macro(c, n); break;
        case TS_DECLARATION: scan_declaration(c, n); break;
        case TS_TYPE_DEFINITION: scan_typedef(c, n); break;
        case TS_FUNCTION_DEFINITION: scan_function(c, n); break;
        case TS_STRUCT_SPECIFIER: case TS_UNION_SPECIFIER: case TS_ENUM_SPECIFIER:
            ts_scan_spec(c, n); /* `struct job { ... };` */
            break;
        default: break;
        }
    }
    ts_kids_pop(c, first);
}

/* tether.h's enum constants: clang reads them from the header. */
static void tether_constants(ts_ctx *c)
{
    static const struct { const char *name; int64_t value; } consts[] = {
        { "TT_OK", 0 }, { "TT_CLOSED", -1 }, { "TT_TIMEOUT", -2 }, { "TT_CANCELED", -3 },
        { "TT_DEFAULT", -4 }, { "TT_ENOMEM", -5 }, { "TT_OP_RECV", 1 }, { "TT_OP_SEND", 2 },
    };
    for (size_t i = 0; i < sizeof consts / sizeof *consts; i++) {
        ts_entry *e = ts_add(c, NS_ENUM, consts[i].name, (uint32_t)strlen(consts[i].name), NULL, 0);
        e->value = consts[i].value;
        e->value_known = true;
    }
}

void ts_scan_file(ts_ctx *c, TSNode root)
{
    tether_constants(c);
    scan_items(c, root);
}
