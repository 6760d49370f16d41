/* unbuffered-send-no-fallback: the owner gives up after a timeout and the worker's single send blocks forever. The fix makes the channel buffered with capacity 1. */
#include <stdio.h>
#include <tether.h>

static void lookup(void *arg)
{
    tt_chan *result = arg;
    tt_sleep_ms(100);
    int v = 42;
    tt_send(result, &v);
}

int main(void)
{
    tt_chan *result = tt_chan_new(sizeof(int), 1);
    tt_spawn(lookup, result);
    int v = 0;
    tt_case cases[] = {
        TT_RECV(result, &v),
        TT_RECV(tt_after(10), NULL),
    };
    if (tt_select(cases, 2) == 1)
        printf("timeout\n");
    tt_sleep_ms(200);
    return 0;
}
