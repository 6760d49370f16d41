/* ts_syms.c — node kinds by symbol id (no string compares while walking),
 * field ids, and child listing through one reused tree cursor. */
#include "ts_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static const struct { const char *name; ts_sym sym; } sym_names[] = {
    { "translation_unit", TS_TRANSLATION_UNIT },
    { "function_definition", TS_FUNCTION_DEFINITION },
    { "declaration", TS_DECLARATION },
    { "type_definition", TS_TYPE_DEFINITION },
    { "preproc_def", TS_PREPROC_DEF },
    { "preproc_if", TS_PREPROC_IF },
    { "preproc_ifdef", TS_PREPROC_IFDEF },
    { "preproc_else", TS_PREPROC_ELSE },
    { "preproc_elif", TS_PREPROC_ELIF },
    { "preproc_elifdef", TS_PREPROC_ELIFDEF },
    { "linkage_specification", TS_LINKAGE_SPEC },
    { "declaration_list", TS_DECLARATION_LIST },
    { "init_declarator", TS_INIT_DECLARATOR },
    { "pointer_declarator", TS_POINTER_DECLARATOR },
    { "array_declarator", TS_ARRAY_DECLARATOR },
    { "function_declarator", TS_FUNCTION_DECLARATOR },
    { "parenthesized_declarator", TS_PAREN_DECLARATOR },
    { "attributed_declarator", TS_ATTRIBUTED_DECLARATOR },
    { "abstract_pointer_declarator", TS_ABSTRACT_POINTER_DECLARATOR },
    { "abstract_array_declarator", TS_ABSTRACT_ARRAY_DECLARATOR },
    { "parameter_list", TS_PARAMETER_LIST },
    { "parameter_declaration", TS_PARAMETER_DECLARATION },
    { "storage_class_specifier", TS_STORAGE_CLASS },
    { "type_qualifier", TS_TYPE_QUALIFIER },
    { "type_identifier", TS_TYPE_IDENTIFIER },
    { "primitive_type", TS_PRIMITIVE_TYPE },
    { "sized_type_specifier", TS_SIZED_TYPE },
    { "struct_specifier", TS_STRUCT_SPECIFIER },
    { "union_specifier", TS_UNION_SPECIFIER },
    { "enum_specifier", TS_ENUM_SPECIFIER },
    { "macro_type_specifier", TS_MACRO_TYPE_SPEC },
    { "enumerator_list", TS_ENUMERATOR_LIST },
    { "enumerator", TS_ENUMERATOR },
    { "field_declaration_list", TS_FIELD_DECL_LIST },
    { "field_declaration", TS_FIELD_DECLARATION },
    { "field_identifier", TS_FIELD_IDENTIFIER },
    { "type_descriptor", TS_TYPE_DESCRIPTOR },
    { "compound_statement", TS_COMPOUND_STATEMENT },
    { "expression_statement", TS_EXPRESSION_STATEMENT },
    { "if_statement", TS_IF },
    { "else_clause", TS_ELSE },
    { "while_statement", TS_WHILE },
    { "for_statement", TS_FOR },
    { "do_statement", TS_DO },
    { "switch_statement", TS_SWITCH },
    { "case_statement", TS_CASE },
    { "break_statement", TS_BREAK },
    { "continue_statement", TS_CONTINUE },
    { "goto_statement", TS_GOTO },
    { "labeled_statement", TS_LABELED },
    { "return_statement", TS_RETURN },
    { "attributed_statement", TS_ATTRIBUTED_STATEMENT },
    { "identifier", TS_IDENTIFIER },
    { "number_literal", TS_NUMBER },
    { "char_literal", TS_CHAR_LITERAL },
    { "true", TS_TRUE },
    { "false", TS_FALSE },
    { "null", TS_NULL },
    { "call_expression", TS_CALL },
    { "argument_list", TS_ARGUMENT_LIST },
    { "field_expression", TS_FIELD_EXPR },
    { "pointer_expression", TS_POINTER_EXPR },
    { "cast_expression", TS_CAST },
    { "parenthesized_expression", TS_PAREN_EXPR },
    { "subscript_expression", TS_SUBSCRIPT },
    { "assignment_expression", TS_ASSIGNMENT },
    { "compound_literal_expression", TS_COMPOUND_LITERAL },
    { "initializer_list", TS_INITIALIZER_LIST },
    { "initializer_pair", TS_INITIALIZER_PAIR },
    { "subscript_designator", TS_SUBSCRIPT_DESIGNATOR },
    { "field_designator", TS_FIELD_DESIGNATOR },
    { "unary_expression", TS_UNARY },
    { "binary_expression", TS_BINARY },
    { "sizeof_expression", TS_SIZEOF },
    { "conditional_expression", TS_CONDITIONAL },
    { "comma_expression", TS_COMMA },
    { "update_expression", TS_UPDATE },
    { "comment", TS_COMMENT },
    { "string_literal", TS_STRING_LITERAL },
    { "concatenated_string", TS_CONCAT_STRING },
    { "alignof_expression", TS_ALIGNOF },
    { "offsetof_expression", TS_OFFSETOF },
};

static TSFieldId field(const TSLanguage *lang, const char *name)
{
    return ts_language_field_id_for_name(lang, name, (uint32_t)strlen(name));
}

/* The map and field ids depend only on the grammar: computed once per
 * process (threads may parse concurrently) and copied into each context. */
static ts_ctx cached;
static pthread_once_t cached_once = PTHREAD_ONCE_INIT;

static void syms_compute(ts_ctx *c)
{
    c->nsyms = ts_language_symbol_count(c->lang);
    c->symmap = xcalloc(c->nsyms ? c->nsyms : 1, 1);
    /* Aliased kinds (field_identifier, type_identifier, ...) may have
     * several symbol ids: map every id whose name matches. */
    for (uint32_t id = 0; id < c->nsyms; id++) {
        if (ts_language_symbol_type(c->lang, (TSSymbol)id) != TSSymbolTypeRegular)
            continue;
        const char *nm = ts_language_symbol_name(c->lang, (TSSymbol)id);
        for (size_t i = 0; i < sizeof sym_names / sizeof *sym_names; i++)
            if (strcmp(nm, sym_names[i].name) == 0)
                c->symmap[id] = (uint8_t)sym_names[i].sym;
    }
    c->f_type = field(c->lang, "type");
    c->f_declarator = field(c->lang, "declarator");
    c->f_value = field(c->lang, "value");
    c->f_name = field(c->lang, "name");
    c->f_body = field(c->lang, "body");
    c->f_condition = field(c->lang, "condition");
    c->f_consequence = field(c->lang, "consequence");
    c->f_alternative = field(c->lang, "alternative");
    c->f_initializer = field(c->lang, "initializer");
    c->f_update = field(c->lang, "update");
    c->f_function = field(c->lang, "function");
    c->f_arguments = field(c->lang, "arguments");
    c->f_argument = field(c->lang, "argument");
    c->f_field = field(c->lang, "field");
    c->f_operator = field(c->lang, "operator");
    c->f_left = field(c->lang, "left");
    c->f_right = field(c->lang, "right");
    c->f_index = field(c->lang, "index");
    c->f_label = field(c->lang, "label");
    c->f_parameters = field(c->lang, "parameters");
    c->f_designator = field(c->lang, "designator");
    c->f_size = field(c->lang, "size");
}

const TSLanguage *tree_sitter_c(void);

static void syms_once(void)
{
    cached.lang = tree_sitter_c();
    syms_compute(&cached);
}

void ts_syms_init(ts_ctx *c)
{
    pthread_once(&cached_once, syms_once);
    c->nsyms = cached.nsyms;
    c->symmap = cached.symmap;
#define COPY(f) c->f = cached.f
    COPY(f_type); COPY(f_declarator); COPY(f_value); COPY(f_name); COPY(f_body);
    COPY(f_condition); COPY(f_consequence); COPY(f_alternative); COPY(f_initializer);
    COPY(f_update); COPY(f_function); COPY(f_arguments); COPY(f_argument); COPY(f_field);
    COPY(f_operator); COPY(f_left); COPY(f_right); COPY(f_index); COPY(f_label);
    COPY(f_parameters); COPY(f_designator); COPY(f_size);
#undef COPY
}

size_t ts_kids(ts_ctx *c, TSNode n, bool named_only)
{
    size_t first = c->nkids;
    ts_tree_cursor_reset(&c->cursor, n);
    if (!ts_tree_cursor_goto_first_child(&c->cursor))
        return first;
    do {
        TSNode k = ts_tree_cursor_current_node(&c->cursor);
        if (named_only && !ts_node_is_named(k))
            continue;
        if (c->nkids == c->kidcap) {
            size_t cap = c->kidcap ? c->kidcap * 2 : 256;
            c->kids = xrealloc(c->kids, cap * sizeof *c->kids);
            c->kid_fields = xrealloc(c->kid_fields, cap * sizeof *c->kid_fields);
            c->kidcap = cap;
        }
        c->kid_fields[c->nkids] = ts_tree_cursor_current_field_id(&c->cursor);
        c->kids[c->nkids++] = k;
    } while (ts_tree_cursor_goto_next_sibling(&c->cursor));
    return first;
}

TSNode ts_field(ts_ctx *c, TSNode n, TSFieldId f)
{
    TSNode out = { 0 };
    if (ts_node_is_null(n) || !f)
        return out;
    ts_tree_cursor_reset(&c->cursor, n);
    if (!ts_tree_cursor_goto_first_child(&c->cursor))
        return out;
    do {
        if (ts_tree_cursor_current_field_id(&c->cursor) == f)
            return ts_tree_cursor_current_node(&c->cursor);
    } while (ts_tree_cursor_goto_next_sibling(&c->cursor));
    return out;
}

void ts_fields(ts_ctx *c, TSNode n, const TSFieldId *f, TSNode *out, size_t k)
{
    size_t left = 0;
    for (size_t i = 0; i < k; i++) {
        out[i] = (TSNode){ 0 };
        left += f[i] != 0;
    }
    if (ts_node_is_null(n) || !left)
        return;
    ts_tree_cursor_reset(&c->cursor, n);
    if (!ts_tree_cursor_goto_first_child(&c->cursor))
        return;
    do {
        TSFieldId id = ts_tree_cursor_current_field_id(&c->cursor);
        if (!id)
            continue;
        for (size_t i = 0; i < k; i++)
            if (f[i] == id && ts_node_is_null(out[i])) {
                out[i] = ts_tree_cursor_current_node(&c->cursor);
                if (--left == 0)
                    return;
                break;
            }
    } while (ts_tree_cursor_goto_next_sibling(&c->cursor));
}

bool ts_text_is(const ts_ctx *c, TSNode n, const char *s)
{
    uint32_t len;
    const char *t = ts_text(c, n, &len);
    return strlen(s) == len && memcmp(t, s, len) == 0;
}

const char *ts_dup(ts_ctx *c, TSNode n)
{
    uint32_t len;
    const char *t = ts_text(c, n, &len);
    return arena_strndup(c->arena, t, len);
}

const char *ts_tmp(ts_ctx *c, TSNode n)
{
    uint32_t len;
    const char *t = ts_text(c, n, &len);
    if (len >= sizeof c->tmp)
        len = sizeof c->tmp - 1;
    memcpy(c->tmp, t, len);
    c->tmp[len] = '\0';
    return c->tmp;
}
