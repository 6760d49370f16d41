/* Five sends into a buffer of two, and the receiver takes two: the fifth
 * send stays blocked. */
#include <tether.h>

static void producer(void *arg)
{
    for (int i = 0; i < 5; i++)
        tt_send(arg, &i); // engine: BLOCKED
}

int main(void)
{
    tt_chan *ch = tt_chan_new(sizeof(int), 2);
    tt_spawn(producer, ch);
    int v;
    tt_recv(ch, &v);
    tt_recv(ch, &v);
    return 0;
}
