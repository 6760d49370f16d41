/* Channels kept in an array field of a struct that has no name (declared
 * with its variable, as a file's handler table often is): each element is
 * its own channel, with either front end. One handler is never sent to. */
#include <stdbool.h>
#include <tether.h>

static struct {
    tt_chan *chans[2];
    int n;
} handlers;

static void handler(void *arg)
{
    int v;
    tt_recv(arg, &v); // engine: BLOCKED
}

int main(void)
{
    for (int i = 0; i < 2; i++) {
        handlers.chans[i] = tt_chan_new(sizeof(int), 0);
        tt_spawn(handler, handlers.chans[i]);
        handlers.n++;
    }
    int v = 1;
    tt_send(handlers.chans[0], &v);
    return 0;
}
