/* One tt_wg_add of a count larger than the engine's exact range for counters
 * a loop keeps raising (here no loop raises it): one task is done, the wait
 * needs nine. */
#include <tether.h>

static void worker(void *arg)
{
    tt_wg_done(arg);
}

int main(void)
{
    tt_wg wg = TT_WG_INIT;
    tt_wg_add(&wg, 9);
    tt_spawn(worker, &wg);
    tt_wg_wait(&wg); // engine: BLOCKED
    return 0;
}
