/* reuse_util.c — see reuse_util.h. */
#include "reuse_util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

static void reuse__on_file(void *ctx, const driver_file *f)
{
    seen *s = ctx;
    for (size_t i = 0; i < f->ndiags; i++) {
        const diag *d = &f->diags[i];
        size_t k = strlen(s->text);
        k += (size_t)snprintf(s->text + k, sizeof s->text - k, "%s %u:%u-%u:%u %s\n", d->rule, d->loc.line,
                              d->loc.col, d->end.line, d->end.col, d->msg);
        for (size_t j = 0; j < d->nnotes; j++)
            k += (size_t)snprintf(s->text + k, sizeof s->text - k, "  note %u:%u-%u:%u %s\n", d->notes[j].loc.line,
                                  d->notes[j].loc.col, d->notes[j].end.line, d->notes[j].end.col, d->notes[j].msg);
        for (size_t j = 0; j < d->nfixits; j++)
            k += (size_t)snprintf(s->text + k, sizeof s->text - k, "  fix %u:%u-%u:%u '%s'\n", d->fixits[j].begin.line,
                                  d->fixits[j].begin.col, d->fixits[j].end.line, d->fixits[j].end.col,
                                  d->fixits[j].text);
        s->n++;
    }
}

driver *reuse_driver(bool reuse)
{
    driver_opts o = { 0 };
    o.frontend = "tree-sitter";
    o.tether_include = TETHER_INCLUDE_DIR;
    o.jobs = 1;
    o.reuse_analysis = reuse;
    driver *d = driver_new(&o, NULL);
    assert_non_null(d);
    return d;
}

driver_stats reuse_run(driver *d, const char *path, const char *text, seen *s)
{
    memset(s, 0, sizeof *s);
    driver_input in = { 0 };
    in.path = path;
    in.text = text;
    in.length = strlen(text);
    driver_sink sink = { s, NULL, reuse__on_file, NULL };
    driver_summary sum;
    driver_run(d, &in, 1, &sink, NULL, &sum);
    return sum.stats;
}

const char *reuse_edit(const char *text, const char *from, const char *to)
{
    static char buf[2][8192];
    static int which;
    char *out = buf[which ^= 1];
    const char *at = strstr(text, from);
    assert_non_null(at);
    snprintf(out, sizeof buf[0], "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    return out;
}
