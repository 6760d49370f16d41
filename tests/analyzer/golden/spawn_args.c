/* spawn_args.c — creations passed directly as a task's argument (golden test
 * for --dump-model): each is made on the object "(spawn arg@L:C)" of its
 * tt_spawn, through casts and parens; other arguments keep their objects. */
#include <stddef.h>
#include <tether.h>

static void drain(void *arg)
{
    tt_recv(arg, NULL);
}

static void watch(void *arg)
{
    while (!tt_ctx_err(arg))
        tt_sleep_ms(10);
}

static void tick(void *arg)
{
    tt_recv(tt_ticker_chan(arg), NULL);
}

void direct(tt_ctx *parent)
{
    tt_spawn(drain, tt_chan_new(1, 0));
    tt_spawn(watch, tt_ctx_with_cancel(parent));
    tt_spawn(watch, tt_ctx_with_timeout(parent, 50));
    tt_spawn(tick, tt_ticker_new(5));
}

void wrapped(void)
{
    tt_spawn(drain, (void *)tt_chan_new(1, 4));
    tt_spawn(drain, ((tt_chan_new(1, 0))));
    tt_spawn(drain, tt_chan_new(1, 0)); tt_spawn(drain, tt_chan_new(1, 0));
}

void not_direct(void)
{
    tt_chan *ch = tt_chan_new(1, 0);
    tt_spawn(drain, ch);
    tt_spawn(drain, NULL);
    tt_spawn(watch, tt_ctx_background());
}
