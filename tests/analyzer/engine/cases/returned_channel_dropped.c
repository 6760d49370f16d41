/* A helper starts a task and returns the channel it answers on; the caller
 * drops the channel, so the answer is never taken. */
#include <tether.h>

static void answer(void *arg)
{
    int v = 42;
    tt_send(arg, &v); // engine: BLOCKED
}

static tt_chan *ask(void)
{
    tt_chan *ch = tt_chan_new(sizeof(int), 0);
    tt_spawn(answer, ch);
    return ch;
}

int main(void)
{
    tt_chan *kept = ask();
    int v;
    tt_recv(kept, &v);
    (void)ask();
    return 0;
}
