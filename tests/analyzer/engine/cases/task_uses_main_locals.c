/* A task receives on a channel kept in a struct that is a local variable of
 * main: main returning ends the process with the task still blocked there
 * (main's locals are not gone for the engine when main returns). */
#include <tether.h>

struct stream {
    tt_chan *samples;
};

static void consume(void *arg)
{
    struct stream *st = arg;
    int v;
    while (tt_recv(st->samples, &v) == TT_OK) // engine: BLOCKED
        ;
}

int main(void)
{
    struct stream st;
    st.samples = tt_chan_new(sizeof(int), 0);
    tt_spawn(consume, &st);
    int v = 1;
    tt_send(st.samples, &v);
    return 0;
}
