/* lock-not-released: a `case` returns with the mutex held and the next locker blocks forever. The fix unlocks before that return. */
#include <stdio.h>
#include <tether.h>

static tt_mutex mu = TT_MUTEX_INIT;
static int balance;

static void apply(int op)
{
    tt_mutex_lock(&mu);
    switch (op) {
    case 0:
        balance++;
        break;
    default:
        tt_mutex_unlock(&mu);
        return;
    }
    tt_mutex_unlock(&mu);
}

static void task(void *arg)
{
    apply((int)(intptr_t)arg);
}

int main(void)
{
    tt_spawn(task, (void *)(intptr_t)1);
    tt_sleep_ms(20);
    tt_mutex_lock(&mu);
    printf("%d\n", balance);
    tt_mutex_unlock(&mu);
    return 0;
}
