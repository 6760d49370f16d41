/* A task that spins forever on its own ticker beside four requests, each
 * with a lookup task that sleeps and then sends to a handler that may have
 * timed out: the spinner's steps touch nothing anyone else sees, so they do
 * not multiply the interleavings of the others (the whole search stays
 * small), and each abandoned lookup is blocked at its send. */
#include <stdlib.h>
#include <tether.h>

static void spin(void *arg)
{
    tt_ticker *t = arg;
    int64_t now;
    for (;;)
        tt_recv(tt_ticker_chan(t), &now);
}

static void lookup(void *arg)
{
    tt_chan *result = arg;
    int v = 1;
    tt_sleep_ms(5);
    tt_send(result, &v); // engine: BLOCKED
}

static void request(void)
{
    tt_chan *result = tt_chan_new(sizeof(int), 0);
    tt_spawn(lookup, result);
    int v;
    tt_case cs[] = { TT_RECV(result, &v), TT_RECV(tt_after(20), NULL) };
    tt_select(cs, 2);
}

int main(void)
{
    tt_spawn(spin, tt_ticker_new(10)); // engine: LOOPING TICKER_LEAK
    for (int i = 0; i < 4; i++)
        request();
    return 0;
}
