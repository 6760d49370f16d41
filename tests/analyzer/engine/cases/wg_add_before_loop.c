/* tt_wg_add(&wg, n) before a loop that waits inside it: the first wait needs
 * all n done, but only one task is started per round. */
#include <tether.h>

static tt_wg wg = TT_WG_INIT;

static void job(void *arg)
{
    (void)arg;
    tt_wg_done(&wg);
}

int main(void)
{
    tt_wg_add(&wg, 3);
    for (int i = 0; i < 3; i++) {
        tt_spawn(job, NULL);
        tt_wg_wait(&wg); // engine: BLOCKED
    }
    return 0;
}
