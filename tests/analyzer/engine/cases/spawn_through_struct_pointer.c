/* Tasks started through function pointers stored in a struct: the ops table
 * picks the body, and its receive is never served. */
#include <tether.h>

struct ops {
    void (*run)(void *);
    void (*stop)(void *);
};

static void serve(void *arg)
{
    tt_recv(arg, NULL); // engine: BLOCKED
}

static void halt(void *arg)
{
    (void)arg;
}

static const struct ops server_ops = { serve, halt };

static void launch(const struct ops *o, tt_chan *ch)
{
    tt_spawn(o->run, ch);
}

int main(void)
{
    tt_chan *ch = tt_chan_new(sizeof(int), 0);
    launch(&server_ops, ch);
    server_ops.stop(ch);
    return 0;
}
