/* The loop that never ends sits in a callee: once the ticker is stopped its
 * channel never delivers again (stopping does not close it), and the task
 * waits there forever. */
#include <tether.h>

static void serve(tt_ticker *t)
{
    for (;;) {
        int64_t now;
        tt_recv(tt_ticker_chan(t), &now); // engine: BLOCKED
    }
}

static void run(void *arg)
{
    serve(arg);
}

int main(void)
{
    tt_ticker *t = tt_ticker_new(5);
    tt_spawn(run, t);
    tt_sleep_ms(20);
    tt_ticker_stop(t);
    return 0;
}
