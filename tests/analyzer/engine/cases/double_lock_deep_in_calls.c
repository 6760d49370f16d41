/* A task locks a mutex, then reaches the same lock again sixteen calls
 * deeper (real code layers helpers, callbacks and once-guards this deep):
 * the engine follows calls that far. */
#include <tether.h>

static tt_mutex mu = TT_MUTEX_INIT;

static void f16(void)
{
    tt_mutex_lock(&mu); // engine: BLOCKED
    tt_mutex_unlock(&mu);
}

static void f15(void)
{
    f16();
}

static void f14(void)
{
    f15();
}

static void f13(void)
{
    f14();
}

static void f12(void)
{
    f13();
}

static void f11(void)
{
    f12();
}

static void f10(void)
{
    f11();
}

static void f9(void)
{
    f10();
}

static void f8(void)
{
    f9();
}

static void f7(void)
{
    f8();
}

static void f6(void)
{
    f7();
}

static void f5(void)
{
    f6();
}

static void f4(void)
{
    f5();
}

static void f3(void)
{
    f4();
}

static void f2(void)
{
    f3();
}

static void f1(void)
{
    f2();
}

static void task(void *arg)
{
    (void)arg;
    tt_mutex_lock(&mu);
    f1();
    tt_mutex_unlock(&mu);
}

int main(void)
{
    tt_spawn(task, NULL);
    tt_sleep_ms(10);
    return 0;
}
