/* wg-unbalanced: a worker returns early without tt_wg_done, so the owner waits forever. The fix calls tt_wg_done before that return. */
#include <stdio.h>
#include <tether.h>

struct job {
    tt_wg *wg;
    int input;
    int output;
};

static void worker(void *arg)
{
    struct job *j = arg;
    if (j->input < 0) {
        fprintf(stderr, "bad input\n");
        return;
    }
    j->output = j->input * 2;
    tt_wg_done(j->wg);
}

int main(void)
{
    static tt_wg wg = TT_WG_INIT;
    static struct job jobs[2] = { { &wg, 1, 0 }, { &wg, -1, 0 } };
    tt_wg_add(&wg, 2);
    tt_spawn(worker, &jobs[0]);
    tt_spawn(worker, &jobs[1]);
    tt_wg_wait(&wg);
    printf("%d\n", jobs[0].output);
    return 0;
}
