/* Wrappers defined in the file itself: their calls are the API's; their
 * bodies (a spawn of a parameter, a send on one) are no leak of their own. */
#include <tether.h>

static int go(tt_fn fn, void *arg)
{
    return tt_spawn(fn, arg);
}

static int chan_put(tt_chan *ch, const void *v)
{
    return tt_send(ch, v);
}

static void send_answer(void *arg)
{
    tt_chan *ch = arg;
    int v = 42;
    chan_put(ch, &v);
}

int main(void)
{
    tt_chan *ch = tt_chan_new(sizeof(int), 0);
    go(send_answer, ch);
    return 0;
}
