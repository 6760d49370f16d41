/* One send on a stop channel two tasks wait on wakes only one of them (a
 * close would wake both). */
#include <tether.h>

static void wait_stop(void *arg)
{
    tt_recv(arg, NULL); // engine: BLOCKED
}

int main(void)
{
    tt_chan *stop = tt_chan_new(sizeof(int), 1);
    tt_spawn(wait_stop, stop);
    tt_spawn(wait_stop, stop);
    int one = 1;
    tt_send(stop, &one);
    tt_sleep_ms(5);
    return 0;
}
