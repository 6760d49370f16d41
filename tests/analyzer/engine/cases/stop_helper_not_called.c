/* start/stop helpers: the first worker is stopped, the second never is. */
#include <stdlib.h>
#include <tether.h>

struct worker {
    tt_chan *quit;
};

static void loop(void *arg)
{
    struct worker *w = arg;
    tt_recv(w->quit, NULL); // engine: BLOCKED
}

static struct worker *worker_start(void)
{
    struct worker *w = calloc(1, sizeof *w);
    w->quit = tt_chan_new(sizeof(int), 0);
    tt_spawn(loop, w);
    return w;
}

static void worker_stop(struct worker *w)
{
    tt_close(w->quit);
}

int main(void)
{
    struct worker *a = worker_start();
    struct worker *b = worker_start();
    worker_stop(a);
    (void)b;
    return 0;
}
