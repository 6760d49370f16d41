/* The receiver's select has a quit case: closing quit makes it give up, and
 * the worker's send on the unbuffered result channel then blocks forever. */
#include <tether.h>

struct job {
    tt_chan *result;
    tt_chan *quit;
};

static void worker(void *arg)
{
    struct job *j = arg;
    tt_sleep_ms(10);
    int v = 1;
    tt_send(j->result, &v); // engine: BLOCKED
}

int main(void)
{
    static struct job j;
    j.result = tt_chan_new(sizeof(int), 0);
    j.quit = tt_chan_new(sizeof(int), 0);
    tt_spawn(worker, &j);
    tt_close(j.quit);
    int v;
    tt_case cs[] = { TT_RECV(j.result, &v), TT_RECV(j.quit, NULL) };
    tt_select(cs, 2);
    return 0;
}
