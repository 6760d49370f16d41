/* select-no-exit: the worker's select has no way out, though the owner cancels the context the worker holds. The fix adds a case on the context's done channel and returns when it runs. */
#include <stdio.h>
#include <tether.h>

struct worker {
    tt_ctx *ctx;
    tt_chan *jobs;
};

static void work(void *arg)
{
    struct worker *w = arg;
    int job = 0;
    for (;;) {
        tt_case cases[] = {
            TT_RECV(w->jobs, &job),
        };
        tt_select(cases, 1);
        printf("job %d\n", job);
    }
}

int main(void)
{
    static struct worker w;
    w.ctx = tt_ctx_with_cancel(tt_ctx_background());
    w.jobs = tt_chan_new(sizeof(int), 0);
    tt_spawn(work, &w);
    int j = 1;
    tt_send(w.jobs, &j);
    tt_ctx_cancel(w.ctx);
    tt_sleep_ms(50);
    return 0;
}
