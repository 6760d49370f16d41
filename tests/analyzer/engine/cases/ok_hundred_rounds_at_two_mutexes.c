/* Two tasks take the same two mutexes in the same order a hundred times
 * each: no deadlock, and the rounds past the first few are all alike (the
 * loops' counters are let go of, so the search ends well inside its budget). */
#include <tether.h>

static tt_mutex a = TT_MUTEX_INIT;
static tt_mutex b = TT_MUTEX_INIT;
static int total;

static void worker(void *arg)
{
    tt_wg *wg = arg;
    for (int i = 0; i < 100; i++) {
        tt_mutex_lock(&a);
        tt_mutex_lock(&b);
        total++;
        tt_mutex_unlock(&b);
        tt_mutex_unlock(&a);
    }
    tt_wg_done(wg);
}

int main(void)
{
    static tt_wg wg = TT_WG_INIT;
    tt_wg_add(&wg, 1);
    tt_spawn(worker, &wg);
    for (int i = 0; i < 100; i++) {
        tt_mutex_lock(&a);
        tt_mutex_lock(&b);
        total++;
        tt_mutex_unlock(&b);
        tt_mutex_unlock(&a);
    }
    tt_wg_wait(&wg);
    return 0;
}
