/* A task returns with the mutex locked (a lock leak); a task started later
 * (which may be given the same id) then waits for it forever: blocked, not
 * locking twice. */
#include <tether.h>

static tt_mutex mu = TT_MUTEX_INIT;

static void careless(void *arg)
{
    (void)arg;
    tt_mutex_lock(&mu); // engine: LOCK_LEAK
}

static void careful(void *arg)
{
    (void)arg;
    tt_mutex_lock(&mu); // engine: BLOCKED
    tt_mutex_unlock(&mu);
}

int main(void)
{
    tt_spawn(careless, NULL);
    tt_sleep_ms(5);
    tt_spawn(careful, NULL);
    tt_sleep_ms(5);
    return 0;
}
