/* conditionals.c — `?:` and GNU `?:` as values (golden test for
 * --dump-model): stored into variables and fields (the destination aliased
 * with each arm but NULL, one ESCAPE per arm object), returned (the RETURN
 * carries the first arm's object, the arms aliased), passed to calls and
 * tasks, creations in arms made on the destination; and compound literals
 * and cast chains as task arguments. */
#include <tether.h>
#include <stddef.h>
#include <stdint.h>

struct conn { tt_ctx *ctx; tt_chan *out; };
struct job { tt_chan *ch; int n; };

void set_ctx(struct conn *c, struct conn *o)
{
    c->ctx = (o && o->ctx) ? o->ctx : tt_ctx_background();
}

void pick(tt_chan *a, tt_chan *b, int use_a)
{
    int v = 1;
    tt_chan *ch = use_a ? a : b;
    tt_send(ch, &v);
}

tt_chan *choose(tt_chan *t1, tt_chan *t2, int x)
{
    return x ? t1 : t2;
}

tt_chan *choose_null(tt_chan *t1, int x)
{
    return x ? NULL : t1;
}

static void worker(void *arg)
{
    struct job *j = arg;
    int v = j->n;
    tt_send(j->ch, &v);
}

static int helper(tt_chan *c) { return c != NULL; }

void pass(tt_chan *a, tt_chan *b, int x)
{
    tt_spawn(worker, x ? a : b);
    helper(x ? b : a);
    tt_close(x ? a : b);
}

tt_chan *g_ch;

void elvis(tt_chan *a, tt_chan *b)
{
    tt_chan *c = a ?: b;
    g_ch = a ? a : NULL;
    tt_close(c);
}

tt_chan *make_or(int x, tt_chan *c)
{
    return x ? tt_chan_new(sizeof(int), 1) : c;
}

tt_ticker *make_ticker(int fast)
{
    tt_ticker *t = fast ? tt_ticker_new(10) : tt_ticker_new(100);
    return t;
}

void nested(struct conn *c, tt_chan *a, tt_chan *b, tt_chan *d, int x, int y)
{
    c->out = x ? a : y ? b : d;
    c->out = x ? (tt_chan *)a : a;
}

void spawn_shapes(tt_chan *c, struct job *j, int n)
{
    tt_spawn(worker, &(struct job){ .ch = c });
    tt_spawn((tt_fn)worker, (void *)(intptr_t)j);
    tt_spawn((tt_fn)worker, (void *)(intptr_t)n);
    tt_spawn(&worker, (void *)j);
    tt_spawn((void (*)(void *))worker, (struct job *)(void *)j);
}
