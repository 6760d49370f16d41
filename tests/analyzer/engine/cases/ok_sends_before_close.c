/* The owner's sends all happen before the later call that closes: the
 * ranging task always sees the close. */
#include <tether.h>

static void consume(void *arg)
{
    int v;
    while (tt_recv(arg, &v) == TT_OK)
        ;
}

static void produce(tt_chan *ch, int n)
{
    for (int i = 0; i < n; i++)
        tt_send(ch, &i);
}

static void finish(tt_chan *ch)
{
    tt_close(ch);
}

int main(void)
{
    tt_chan *ch = tt_chan_new(sizeof(int), 0);
    tt_spawn(consume, ch);
    produce(ch, 3);
    finish(ch);
    tt_sleep_ms(1);
    return 0;
}
