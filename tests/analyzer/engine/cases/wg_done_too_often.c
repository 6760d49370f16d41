/* Two tasks are counted, three call done: the counter goes below zero. */
#include <tether.h>

static tt_wg wg = TT_WG_INIT;

static void job(void *arg)
{
    (void)arg;
    tt_wg_done(&wg); // engine: WG_NEGATIVE
}

int main(void)
{
    tt_wg_add(&wg, 2);
    for (int i = 0; i < 3; i++)
        tt_spawn(job, NULL);
    tt_wg_wait(&wg);
    return 0;
}
