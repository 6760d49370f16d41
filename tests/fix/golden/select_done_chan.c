/* select-no-exit: a router stores which input it got, but its select has no way out, though the owner closes the quit channel the router can see. The fix adds a case on that channel and returns when it runs. */
#include <stdio.h>
#include <tether.h>

struct router {
    tt_chan *a;
    tt_chan *b;
    tt_chan *quit;
};

static void route(void *arg)
{
    struct router *r = arg;
    int msg = 0;
    for (;;) {
        tt_case cases[] = { TT_RECV(r->a, &msg), TT_RECV(r->b, &msg) };
        int got = tt_select(cases, 2);
        printf("input %d: %d\n", got, msg);
    }
}

int main(void)
{
    static struct router r;
    r.a = tt_chan_new(sizeof(int), 0);
    r.b = tt_chan_new(sizeof(int), 0);
    r.quit = tt_chan_new(1, 0);
    tt_spawn(route, &r);
    int m = 7;
    tt_send(r.b, &m);
    tt_close(r.quit);
    tt_sleep_ms(50);
    return 0;
}
