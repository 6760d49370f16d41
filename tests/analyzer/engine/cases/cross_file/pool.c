#include <tether.h>

static void pool_worker(void *arg)
{
    int job;
    tt_recv(arg, &job); // engine: BLOCKED
}

tt_chan *pool_start(void)
{
    tt_chan *work = tt_chan_new(sizeof(int), 0);
    tt_spawn(pool_worker, work);
    return work;
}
