/* Two wait groups copied from one initializer are two counters: each is
 * balanced on its own. */
#include <tether.h>

struct pool {
    tt_wg wg;
};

static void job(void *arg)
{
    struct pool *p = arg;
    tt_wg_done(&p->wg);
}

int main(void)
{
    static const struct pool init = { TT_WG_INIT };
    static struct pool a, b;
    a = init;
    b = init;
    tt_wg_add(&a.wg, 1);
    tt_spawn(job, &a);
    tt_wg_add(&b.wg, 2);
    tt_spawn(job, &b);
    tt_spawn(job, &b);
    tt_wg_wait(&a.wg);
    tt_wg_wait(&b.wg);
    return 0;
}
