/* A callee spawns its task only when asked to: the caller that asks waits
 * for the result; the one that does not is fine. The spawn on the error
 * path is never waited for. */
#include <stdbool.h>
#include <tether.h>

static void compute(void *arg)
{
    int v = 7;
    tt_send(arg, &v); // engine: BLOCKED
}

static int maybe_start(tt_chan *out, bool go, bool fail)
{
    if (!go)
        return 0;
    tt_spawn(compute, out);
    if (fail)
        return -1;
    return 1;
}

int main(void)
{
    tt_chan *a = tt_chan_new(sizeof(int), 0);
    if (maybe_start(a, true, false) == 1) {
        int v;
        tt_recv(a, &v);
    }
    tt_chan *b = tt_chan_new(sizeof(int), 0);
    if (maybe_start(b, true, true) == 1) {
        int v;
        tt_recv(b, &v);
    }
    tt_chan *c = tt_chan_new(sizeof(int), 0);
    maybe_start(c, false, false);
    return 0;
}
