/* inits.c — struct initializers store into fields as assignments do, and
 * globals declared in headers (stderr) are no objects (golden test for
 * --dump-model). */
#include <stdio.h>
#include <tether.h>

struct job { tt_chan *ch; tt_wg *wg; int n; };
struct pair { struct job a; tt_chan *extra; };

static void worker(void *arg)
{
    struct job *j = arg;
    tt_send(j->ch, &j->n);
    tt_wg_done(j->wg);
}

void run(tt_chan *c, tt_chan *d, int x)
{
    tt_wg wg;
    struct job j = { .ch = c, .wg = &wg };          /* designated */
    struct job k = { c, &wg, 3 };                   /* positional */
    struct job made = { .n = 1, .ch = tt_chan_new(sizeof(int), 0) };
    struct pair p = { { c, &wg, 0 }, .extra = c };  /* nested */
    struct job js[2] = { { c, &wg, 1 }, [1] = { .ch = c } };
    j = (struct job){ .wg = &wg, .ch = c };         /* compound literal */
    tt_spawn(worker, (&(struct job){ .ch = c, .wg = &wg }));
    tt_case cs[2] = { TT_RECV(c, &x), TT_RECV(d, &x) }; /* c and d stay apart */
    tt_select(cs, 2);
    fprintf(stderr, "%d\n", k.n + made.n + p.a.n + js[0].n);
}

/* Unnamed records are named after the field holding them ("ev.sync");
 * an anonymous member's fields are the outer record's ("ev.ch"). */
struct ev { int kind; union { tt_chan *ch; tt_ctx *ctx; }; struct { tt_wg *wg; } sync; };

void nested(struct ev *e, tt_chan *c, tt_wg *wg)
{
    e->ch = c;
    struct ev a = { .kind = 1, .ch = c, .sync = { wg } };
    struct ev b = { .sync.wg = wg };
    tt_close(a.ch);
    tt_wg_wait(b.sync.wg);
}
