/* A comment between `return` and its value: the spawn in the returned
 * expression still runs (either front end). */
#include <tether.h>

static void worker(void *arg)
{
    int v;
    tt_recv(arg, &v); // engine: BLOCKED
}

int start(void)
{
    tt_chan *ch = tt_chan_new(sizeof(int), 0);
    return /* the task's id */ tt_spawn(worker, ch);
}
