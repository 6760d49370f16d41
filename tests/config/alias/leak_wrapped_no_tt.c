/* A file that calls only wrappers and never writes tt_: the owner returns
 * without receiving, the task's send blocks forever. */
#include "wrappers.h"

static void send_answer(void *arg)
{
    chan *ch = arg;
    int v = 42;
    chan_put(ch, &v);
}

static void leaky(void)
{
    chan *ch = chan_make(sizeof(int), 0);
    go(send_answer, ch);
}

int main(void)
{
    leaky();
    return 0;
}
