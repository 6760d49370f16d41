/* The owner holds the mutex while it waits for the worker's value; the
 * worker needs the mutex before it sends. */
#include <tether.h>

static tt_mutex mu = TT_MUTEX_INIT;

static void worker(void *arg)
{
    tt_mutex_lock(&mu); // engine: BLOCKED
    int v = 1;
    tt_send(arg, &v);
    tt_mutex_unlock(&mu);
}

int main(void)
{
    tt_chan *ch = tt_chan_new(sizeof(int), 0);
    tt_mutex_lock(&mu);
    tt_spawn(worker, ch);
    int v;
    tt_recv(ch, &v); // engine: BLOCKED
    tt_mutex_unlock(&mu);
    return 0;
}
