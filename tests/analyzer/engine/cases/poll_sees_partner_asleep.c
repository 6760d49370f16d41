/* A poll (a select with a default) can run while its partner is still
 * asleep before its send: the poller goes on to a blocking send of its own
 * while the partner, awake, blocks sending back (a circular wait). */
#include <tether.h>

static tt_chan *events, *callbacks;

static void store(void *arg)
{
    (void)arg;
    int e;
    tt_recv(events, &e);
    tt_sleep_ms(100);
    tt_send(callbacks, &e); // engine: BLOCKED
}

int main(void)
{
    events = tt_chan_new(sizeof(int), 0);
    callbacks = tt_chan_new(sizeof(int), 0);
    tt_spawn(store, NULL);
    for (int i = 0; i < 2; i++) {
        int cb;
        tt_case cs[] = { TT_RECV(callbacks, &cb) };
        if (tt_select_default(cs, 1) == 0)
            continue;
        tt_send(events, &i); // engine: BLOCKED
    }
    return 0;
}
