/* rulemeta.c — rule metadata from the registry and the docs (rulemeta.h). */
#include "emit/rulemeta.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "diag/diag.h"
#include "emit/emit_impl.h"
#include "emit/rule_docs.h"
#include "rule.h"

/* Where the docs are published (CMake cache variables of the same names):
 * the rules docs (ID.md) under the first, the other docs under the second. */
#ifndef TETHER_RULE_DOCS_URL
#define TETHER_RULE_DOCS_URL "file:///usr/local/share/doc/tether/rules/"
#endif
#ifndef TETHER_DOCS_URL
#define TETHER_DOCS_URL "file:///usr/local/share/doc/tether/"
#endif

static const char meta__unused_help[] =
    "A suppression comment (`tether:ignore...`, or `NOLINT...` naming a `tether-` check) that "
    "suppressed no finding: the code it excused changed, or the rule name is wrong. Reported with "
    "`--warn-unused-suppressions`. Remove the comment.\n";

static emit_rule *meta__rules;
static size_t meta__n;
static pthread_once_t meta__once = PTHREAD_ONCE_INIT;

/* The first paragraph of markdown text starting at p, as one line. */
static char *meta__paragraph(const char *p)
{
    while (*p == '\n')
        p++;
    const char *end = strstr(p, "\n\n");
    size_t n = end ? (size_t)(end - p) : strlen(p);
    char *out = emit_xmalloc(n + 1);
    for (size_t i = 0; i < n; i++)
        out[i] = p[i] == '\n' ? ' ' : p[i];
    while (n > 0 && out[n - 1] == ' ')
        n--;
    out[n] = '\0';
    return out;
}

static const char *meta__doc(const char *id)
{
    for (size_t i = 0; i < rule_docs_count; i++)
        if (strcmp(rule_docs[i].id, id) == 0)
            return rule_docs[i].text;
    return NULL;
}

static char *meta__cat(const char *a, const char *b, const char *c)
{
    size_t n = strlen(a) + strlen(b) + strlen(c);
    char *s = emit_xmalloc(n + 1);
    strcpy(s, a);
    strcat(s, b);
    strcat(s, c);
    return s;
}

static void meta__build(void)
{
    meta__n = rule_count + 1;
    meta__rules = emit_xmalloc(meta__n * sizeof *meta__rules);
    for (size_t i = 0; i < rule_count; i++) {
        emit_rule *r = &meta__rules[i];
        r->id = rule_registry[i]->id;
        r->summary = rule_registry[i]->summary;
        r->level = "warning";
        r->help_uri = meta__cat(TETHER_RULE_DOCS_URL, r->id, ".md");
        const char *doc = meta__doc(r->id);
        if (!doc) {
            r->full = r->summary;
            r->help = r->summary;
            continue;
        }
        /* The doc's opening sentence, then the first paragraph of "Why". */
        char *first = meta__paragraph(doc);
        const char *why = strstr(doc, "\n## Why");
        const char *body = why ? strchr(why + 1, '\n') : NULL;
        char *second = body ? meta__paragraph(body) : NULL;
        r->full = second ? meta__cat(first, " ", second) : first;
        if (second) {
            free(first);
            free(second);
        }
        r->help = doc;
    }
    emit_rule *u = &meta__rules[rule_count];
    u->id = DIAG_RULE_UNUSED_SUPPRESSION;
    u->summary = "A suppression comment that suppressed nothing.";
    u->full = "A tether:ignore or NOLINT(tether-...) comment that suppressed no finding: the code it "
              "excused changed, or it names the wrong rule.";
    u->help = meta__unused_help;
    u->help_uri = meta__cat(TETHER_DOCS_URL, "suppressions", ".md");
    u->level = "warning";
}

const emit_rule *emit_rules(size_t *n)
{
    pthread_once(&meta__once, meta__build);
    *n = meta__n;
    return meta__rules;
}

size_t emit_rule_index(const char *id)
{
    size_t n;
    const emit_rule *r = emit_rules(&n);
    for (size_t i = 0; id && i < n; i++)
        if (strcmp(r[i].id, id) == 0)
            return i;
    return (size_t)-1;
}
