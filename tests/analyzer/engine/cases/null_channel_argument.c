/* A NULL channel handed down through an argument: receiving from it blocks
 * forever; the non-NULL one is served. */
#include <stddef.h>
#include <tether.h>

static void drain_one(void *arg)
{
    int v;
    tt_recv(arg, &v); // engine: BLOCKED
}

static void start(tt_chan *ch)
{
    tt_spawn(drain_one, ch);
}

int main(void)
{
    tt_chan *ch = tt_chan_new(sizeof(int), 1);
    int v = 3;
    tt_send(ch, &v);
    start(ch);
    start(NULL);
    tt_sleep_ms(1);
    return 0;
}
