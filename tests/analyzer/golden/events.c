/* events.c — one of each model event (golden test for --dump-model). */
#include <stdlib.h>
#include <tether.h>

struct job {
    tt_chan *results;
    tt_ctx *ctx;
    tt_wg wg;
};

static tt_chan *g_chan;

static void worker(void *arg)
{
    struct job *j = arg;
    int v = 1;
    tt_send(j->results, &v);
    tt_wg_done(&j->wg);
}

static tt_chan *make(void)
{
    tt_chan *c = tt_chan_new(sizeof(int), 4);
    return c;
}

void keep(tt_chan *c, tt_chan **out)
{
    g_chan = c;
    *out = c;
}

int main(void)
{
    struct job j;
    tt_mutex mu = TT_MUTEX_INIT;
    int v = 0;
    j.results = tt_chan_new(sizeof(int), 0);
    tt_ctx *bg = tt_ctx_background();
    j.ctx = tt_ctx_with_timeout(bg, 250);
    tt_ctx *child = tt_ctx_with_cancel(j.ctx);
    tt_wg_add(&j.wg, 1);
    tt_spawn(worker, &j);
    tt_recv(j.results, &v);
    tt_ticker *t = tt_ticker_new(100);
    tt_chan *tick = tt_ticker_chan(t);
    tt_recv(tick, NULL);
    tt_ticker_stop(t);
    tt_mutex_lock(&mu);
    tt_mutex_unlock(&mu);
    tt_sleep_ms(5);
    if (tt_ctx_err(child) != TT_OK)
        tt_ctx_cancel(child);
    tt_wg_wait(&j.wg);
    tt_close(j.results);
    tt_chan *c2 = make();
    keep(c2, &c2);
    tt_chan_free(c2);
    tt_ctx_cancel(j.ctx);
    if (v > 10)
        exit(1);
    return 0;
}
