/* objects.c — how expressions map to model objects (golden test for
 * --dump-model): fields, aliases, arrays, contexts, tickers, NULL, casts,
 * the three ways to give tt_select its cases, and spellings of API calls. */
#include <stddef.h>
#include <tether.h>

typedef struct {
    tt_chan *in;
} pipe_t;

struct inner {
    tt_chan *ch;
};

struct outer {
    struct inner *b;
    struct inner i;
};

#define SEND_ONE(c) do { int one_ = 1; tt_send((c), &one_); } while (0)

static void task(void *arg)
{
    pipe_t *p = (pipe_t *)arg;
    tt_chan *in = (tt_chan *)p->in;
    int v;
    tt_case cs[] = { TT_RECV(in, &v), TT_RECV(tt_after(10), NULL) };
    tt_select(cs, 2);
}

void fields(struct outer *a, pipe_t *p, tt_chan *c)
{
    int v = 0;
    tt_send(a->b->ch, &v);
    tt_send((*a).i.ch, &v);
    tt_send(a->i.ch, &v);
    p->in = c;
    SEND_ONE(p->in);
    (tt_send)(c, &v);
    tt_send_at(c, &v, __FILE__, __LINE__);
    tt_spawn((tt_fn)task, (void *)p);
}

void contexts(tt_ctx *parent, long ms)
{
    tt_ctx *ctx = tt_ctx_with_timeout(parent, ms);
    tt_chan *done = tt_ctx_done(ctx);
    tt_recv(done, NULL);
    tt_recv(tt_ctx_done(tt_ctx_background()), NULL);
    tt_ctx_cancel(ctx);
    tt_ticker *t = tt_ticker_new(ms);
    tt_recv(tt_ticker_chan(t), NULL);
    tt_ticker_stop(t);
}

void arrays(int n)
{
    tt_chan *chs[3];
    for (int i = 0; i < 3; i++)
        chs[i] = tt_chan_new(sizeof(int), (size_t)n);
    tt_chan *nil = NULL;
    tt_recv(nil, NULL);
    tt_send(NULL, &n);
    int k = tt_select_default(NULL, 0);
    (void)k;
    tt_close(chs[1]);
}
