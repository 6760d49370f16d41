/* The task could leave through the done channel, but only after a receive
 * that never completes: the exit does not rescue it. */
#include <tether.h>

struct conn {
    tt_chan *in;
    tt_chan *done;
};

static void reader(void *arg)
{
    struct conn *c = arg;
    int v;
    tt_recv(c->in, &v); // engine: BLOCKED
    tt_case cs[] = { TT_RECV(c->done, NULL) };
    tt_select(cs, 1);
}

int main(void)
{
    static struct conn c;
    c.in = tt_chan_new(sizeof(int), 0);
    c.done = tt_chan_new(sizeof(int), 0);
    tt_spawn(reader, &c);
    tt_close(c.done);
    return 0;
}
