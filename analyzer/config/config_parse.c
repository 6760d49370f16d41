/* config_parse.c — one `.tether.yml` into a config (config.h): libyaml's
 * document API, then each key checked for its type and values. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "rule.h"

typedef struct cp {
    const char *path;
    yaml_document_t *doc;
    config *c;
    char *err;
    size_t errsize;
    const char *text;
    size_t len;
} cp;

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int cp__fail(cp *p, yaml_mark_t mark, const char *fmt, ...)
{
    int n = snprintf(p->err, p->errsize, "%s:%zu:%zu: ", p->path, mark.line + 1, mark.column + 1);
    if (n >= 0 && (size_t)n < p->errsize) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(p->err + n, p->errsize - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* Makes the message one line: a value quoted in it may span lines (a YAML
 * plain scalar folds blank lines into newlines) or hold control bytes. */
static void cp__one_line(char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            *s = *s == '\n' || *s == '\r' || *s == '\t' ? ' ' : '?';
}

static void *cp__alloc(size_t n)
{
    void *v = calloc(1, n ? n : 1);
    if (!v) {
        fputs("tether: error: out of memory\n", stderr);
        abort();
    }
    return v;
}

static char *cp__strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(cp__alloc(n), s, n);
}

static const char *cp__kind(const yaml_node_t *n)
{
    switch (n->type) {
    case YAML_SCALAR_NODE: return "a single value";
    case YAML_SEQUENCE_NODE: return "a list";
    case YAML_MAPPING_NODE: return "a mapping";
    default: return "nothing";
    }
}

static const char *cp__scalar(const yaml_node_t *n)
{
    return (const char *)n->data.scalar.value;
}

/* Levenshtein distance, for "did you mean" (short names only). */
static size_t cp__distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return 64;
    size_t row[64];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t corner = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = corner + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            corner = up;
        }
    }
    return row[lb];
}

/* buf = " (did you mean 'X'?)" for the closest of names (listed by the
 * callback until NULL), or "" when none is close. */
static void cp__suggest(char *buf, size_t size, const char *word,
                               const char *(*name)(size_t i))
{
    buf[0] = '\0';
    const char *best = NULL;
    size_t bestd = 3;
    for (size_t i = 0; name(i); i++) {
        size_t d = cp__distance(word, name(i));
        if (d < bestd) {
            bestd = d;
            best = name(i);
        }
    }
    if (best)
        snprintf(buf, size, " (did you mean '%s'?)", best);
}

static const char *const cp__keys[] = { "inherit", "frontend", "compile-database", "exclude",
                                        "rules", "aliases", NULL };
static const char *cp__key_name(size_t i) { return cp__keys[i]; }
static const char *cp__rule_name(size_t i) { return i < rule_count ? rule_registry[i]->id : NULL; }

/* YAML 1.1's booleans, as libyaml leaves them: plain text. */
static int cp__bool(const char *s)
{
    static const char *const yes[] = { "true", "yes", "on" }, *const no[] = { "false", "no", "off" };
    for (size_t i = 0; i < 3; i++) {
        if (strcasecmp(s, yes[i]) == 0)
            return 1;
        if (strcasecmp(s, no[i]) == 0)
            return 0;
    }
    return -1;
}

static int cp__want_scalar(cp *p, const yaml_node_t *v, const char *what)
{
    if (v->type == YAML_SCALAR_NODE && v->data.scalar.length > 0)
        return 0;
    if (v->type == YAML_SCALAR_NODE)
        return cp__fail(p, v->start_mark, "'%s' is empty", what);
    return cp__fail(p, v->start_mark, "'%s' must be a single value, not %s", what, cp__kind(v));
}

/* A path of the file, relative to its folder unless absolute. */
static char *cp__path_in(cp *p, const char *rel)
{
    if (rel[0] == '/')
        return config_abs_path(rel);
    size_t n = strlen(p->c->dir) + strlen(rel) + 2;
    char *joined = cp__alloc(n);
    snprintf(joined, n, "%s/%s", p->c->dir, rel);
    char *abs = config_abs_path(joined);
    free(joined);
    return abs;
}

/* Each scalar of v (one value or a list of them) through fn. */
static int cp__each(cp *p, const yaml_node_t *v, const char *what,
                    int (*fn)(cp *p, const yaml_node_t *item, const void *arg), const void *arg)
{
    if (v->type == YAML_SCALAR_NODE)
        return cp__want_scalar(p, v, what) ? -1 : fn(p, v, arg);
    if (v->type != YAML_SEQUENCE_NODE)
        return cp__fail(p, v->start_mark, "'%s' must be a list, not %s", what, cp__kind(v));
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
        const yaml_node_t *item = yaml_document_get_node(p->doc, *it);
        if (cp__want_scalar(p, item, what) || fn(p, item, arg))
            return -1;
    }
    return 0;
}

static int cp__exclude_one(cp *p, const yaml_node_t *item, const void *arg)
{
    (void)arg;
    config *c = p->c;
    const char *glob = cp__scalar(item);
    if (glob[0] == '/')
        return cp__fail(p, item->start_mark,
                        "exclude glob '%s' must be relative to the folder of %s", glob, p->path);
    c->exclude = realloc(c->exclude, (c->nexclude + 1) * sizeof *c->exclude);
    if (!c->exclude)
        abort();
    char *pat = cp__strdup(glob[0] == '.' && glob[1] == '/' ? glob + 2 : glob);
    size_t n = strlen(pat);
    while (n > 1 && pat[n - 1] == '/') /* `build/`: the folder */
        pat[--n] = '\0';
    c->exclude[c->nexclude++] = (config_glob){ c->dir, pat };
    return 0;
}

static bool cp__is_ident(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
        return false;
    for (s++; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_'))
            return false;
    return true;
}

static int cp__alias_one(cp *p, const yaml_node_t *item, const void *arg)
{
    const char *target = arg;
    config *c = p->c;
    const char *name = cp__scalar(item);
    if (!cp__is_ident(name))
        return cp__fail(p, item->start_mark, "alias '%s' is not a C function name", name);
    if (strncmp(name, "tt_", 3) == 0 || strncmp(name, "TT_", 3) == 0)
        return cp__fail(p, item->start_mark, "alias '%s' is a tether name: aliases are your own wrappers",
                        name);
    for (size_t i = 0; i < c->naliases; i++)
        if (strcmp(c->aliases[i].name, name) == 0)
            return cp__fail(p, item->start_mark, "alias '%s' already stands for '%s'", name,
                            c->aliases[i].target + 3);
    c->aliases = realloc(c->aliases, (c->naliases + 1) * sizeof *c->aliases);
    if (!c->aliases)
        abort();
    c->aliases[c->naliases++] = (frontend_alias){ cp__strdup(name), target };
    return 0;
}

static int cp__aliases(cp *p, const yaml_node_t *v)
{
    if (v->type != YAML_MAPPING_NODE)
        return cp__fail(p, v->start_mark,
                        "'aliases' must be a mapping (spawn: [my_go]), not %s", cp__kind(v));
    for (yaml_node_pair_t *kv = v->data.mapping.pairs.start; kv < v->data.mapping.pairs.top; kv++) {
        const yaml_node_t *k = yaml_document_get_node(p->doc, kv->key);
        const yaml_node_t *names = yaml_document_get_node(p->doc, kv->value);
        if (cp__want_scalar(p, k, "aliases' key"))
            return -1;
        const char *key = cp__scalar(k);
        const char *target = frontend_alias_api(key);
        if (!target) {
            char hint[96];
            const char *bare = strncmp(key, "tt_", 3) == 0 ? key + 3 : NULL;
            if (bare && frontend_alias_api(bare))
                snprintf(hint, sizeof hint, " (write '%s', without tt_)", bare);
            else
                cp__suggest(hint, sizeof hint, key, frontend_alias_key);
            return cp__fail(p, k->start_mark,
                            "unknown alias target '%s'%s: keys are tether.h functions without tt_ "
                            "(spawn, send, recv, chan_new, ...)",
                            key, hint);
        }
        if (cp__each(p, names, key, cp__alias_one, target))
            return -1;
    }
    return 0;
}

static int cp__rules(cp *p, const yaml_node_t *v)
{
    if (v->type != YAML_MAPPING_NODE)
        return cp__fail(p, v->start_mark,
                        "'rules' must be a mapping (rule-id: on|off|error|warning|note), not %s",
                        cp__kind(v));
    for (yaml_node_pair_t *kv = v->data.mapping.pairs.start; kv < v->data.mapping.pairs.top; kv++) {
        const yaml_node_t *k = yaml_document_get_node(p->doc, kv->key);
        const yaml_node_t *val = yaml_document_get_node(p->doc, kv->value);
        if (cp__want_scalar(p, k, "rules' key"))
            return -1;
        const char *id = cp__scalar(k);
        size_t r = 0;
        while (r < rule_count && strcmp(rule_registry[r]->id, id) != 0)
            r++;
        if (r == rule_count) {
            char hint[96];
            cp__suggest(hint, sizeof hint, id, cp__rule_name);
            return cp__fail(p, k->start_mark, "unknown rule '%s'%s (see `tether rules`)", id, hint);
        }
        if (cp__want_scalar(p, val, id))
            return -1;
        const char *s = cp__scalar(val);
        config_rule *cr = &p->c->rules[r];
        int b = cp__bool(s);
        if (b >= 0) {
            cr->enabled = (signed char)b;
        } else if (strcmp(s, "error") == 0 || strcmp(s, "warning") == 0 || strcmp(s, "note") == 0) {
            cr->enabled = 1;
            cr->severity = s[0] == 'e' ? CONFIG_SEV_ERROR : s[0] == 'w' ? CONFIG_SEV_WARNING : CONFIG_SEV_NOTE;
        } else {
            return cp__fail(p, val->start_mark, "rule '%s': '%s' is not on, off, error, warning or note",
                            id, s);
        }
    }
    return 0;
}

static int cp__key(cp *p, const char *key, const yaml_node_t *k, const yaml_node_t *v)
{
    config *c = p->c;
    if (strcmp(key, "inherit") == 0) {
        if (cp__want_scalar(p, v, key))
            return -1;
        int b = cp__bool(cp__scalar(v));
        if (b < 0)
            return cp__fail(p, v->start_mark, "'inherit' must be true or false, not '%s'", cp__scalar(v));
        c->inherit = b;
    } else if (strcmp(key, "frontend") == 0) {
        if (cp__want_scalar(p, v, key))
            return -1;
        const char *s = cp__scalar(v);
        if (strcmp(s, "clang") == 0)
            c->frontend = CONFIG_FE_CLANG;
        else if (strcmp(s, "tree-sitter") == 0)
            c->frontend = CONFIG_FE_TREESITTER;
        else
            return cp__fail(p, v->start_mark, "'frontend' must be clang or tree-sitter, not '%s'", s);
    } else if (strcmp(key, "compile-database") == 0) {
        if (cp__want_scalar(p, v, key))
            return -1;
        c->compdb = cp__path_in(p, cp__scalar(v));
    } else if (strcmp(key, "exclude") == 0) {
        return cp__each(p, v, key, cp__exclude_one, NULL);
    } else if (strcmp(key, "rules") == 0) {
        return cp__rules(p, v);
    } else if (strcmp(key, "aliases") == 0) {
        return cp__aliases(p, v);
    } else {
        char hint[96];
        cp__suggest(hint, sizeof hint, key, cp__key_name);
        return cp__fail(p, k->start_mark,
                        "unknown key '%s'%s (keys: inherit, frontend, compile-database, exclude, rules, aliases)",
                        key, hint);
    }
    return 0;
}

static int cp__document(cp *p)
{
    yaml_node_t *root = yaml_document_get_root_node(p->doc);
    if (!root) /* an empty file, or comments only */
        return 0;
    if (root->type == YAML_SCALAR_NODE && root->data.scalar.length == 0)
        return 0;
    if (root->type != YAML_MAPPING_NODE)
        return cp__fail(p, root->start_mark, "the file must be a mapping of keys (frontend: ..., rules: ...), not %s",
                        cp__kind(root));
    for (yaml_node_pair_t *kv = root->data.mapping.pairs.start; kv < root->data.mapping.pairs.top; kv++) {
        const yaml_node_t *k = yaml_document_get_node(p->doc, kv->key);
        const yaml_node_t *v = yaml_document_get_node(p->doc, kv->value);
        if (k->type != YAML_SCALAR_NODE)
            return cp__fail(p, k->start_mark, "a key must be a name, not %s", cp__kind(k));
        const char *key = cp__scalar(k);
        for (yaml_node_pair_t *prev = root->data.mapping.pairs.start; prev < kv; prev++) {
            const yaml_node_t *pk = yaml_document_get_node(p->doc, prev->key);
            if (strcmp(cp__scalar(pk), key) == 0)
                return cp__fail(p, k->start_mark, "duplicate key '%s' (first on line %zu)", key,
                                pk->start_mark.line + 1);
        }
        if (cp__key(p, key, k, v))
            return -1;
    }
    return 0;
}

/* libyaml's own error: where and what. */
static int cp__yaml_error(cp *p, const yaml_parser_t *parser)
{
    yaml_mark_t mark = parser->problem_mark;
    if (parser->error == YAML_READER_ERROR) { /* bad encoding: a byte offset only */
        mark.line = mark.column = 0;
        for (size_t i = 0; i < parser->problem_offset && i < p->len; i++) {
            if (p->text[i] == '\n') {
                mark.line++;
                mark.column = 0;
            } else {
                mark.column++;
            }
        }
    }
    const char *problem = parser->problem ? parser->problem : "cannot parse";
    if (parser->context)
        return cp__fail(p, mark, "invalid YAML: %s (%s)", problem, parser->context);
    return cp__fail(p, mark, "invalid YAML: %s", problem);
}

int config_parse(const char *path, const char *dir, const char *text, size_t len, config **out,
                 char *err, size_t errsize)
{
    *out = NULL;
    config *c = cp__alloc(sizeof *c);
    c->path = cp__strdup(path);
    c->dir = cp__strdup(dir);
    c->rules = cp__alloc(rule_count * sizeof *c->rules);
    for (size_t i = 0; i < rule_count; i++)
        c->rules[i].enabled = -1;
    cp p = { path, NULL, c, err, errsize, text, len };
    yaml_parser_t parser;
    yaml_document_t doc, extra;
    if (!yaml_parser_initialize(&parser)) {
        config_free(c);
        snprintf(err, errsize, "%s: cannot start the YAML parser", path);
        return -1;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    int rc = -1;
    if (!yaml_parser_load(&parser, &doc)) {
        cp__yaml_error(&p, &parser);
        cp__one_line(err);
        yaml_parser_delete(&parser);
        config_free(c);
        return -1;
    }
    p.doc = &doc;
    rc = cp__document(&p);
    if (rc == 0) {
        if (!yaml_parser_load(&parser, &extra)) {
            rc = cp__yaml_error(&p, &parser);
        } else {
            yaml_node_t *second = yaml_document_get_root_node(&extra);
            if (second)
                rc = cp__fail(&p, second->start_mark, "a second YAML document: one is allowed");
            yaml_document_delete(&extra);
        }
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    if (rc != 0) {
        cp__one_line(err);
        config_free(c);
        return -1;
    }
    *out = c;
    return 0;
}

int config_load(const char *path, config **out, char *err, size_t errsize)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errsize, "%s: %s", path, strerror(errno));
        return -1;
    }
    size_t cap = 4096, len = 0;
    char *text = cp__alloc(cap);
    size_t got;
    while ((got = fread(text + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) {
            cap *= 2;
            text = realloc(text, cap);
            if (!text)
                abort();
        }
    }
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        snprintf(err, errsize, "%s: cannot read the file", path);
        free(text);
        return -1;
    }
    char *abs = config_abs_path(path);
    char *slash = abs ? strrchr(abs, '/') : NULL;
    if (slash)
        *(slash == abs ? slash + 1 : slash) = '\0';
    int rc = abs ? config_parse(path, abs, text, len, out, err, errsize) : -1;
    free(abs);
    free(text);
    return rc;
}

void config_free(config *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nexclude; i++)
        free(c->exclude[i].pattern);
    for (size_t i = 0; i < c->naliases; i++)
        free((char *)c->aliases[i].name);
    free(c->exclude);
    free(c->aliases);
    free(c->rules);
    free(c->compdb);
    free(c->dir);
    free(c->path);
    free(c);
}
