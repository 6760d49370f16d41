/* shapes.c — shapes users write that both front ends must model alike
 * (golden test for --dump-model): K&R parameters, static prototypes,
 * spawning through function pointers and in loops, case arrays filled
 * after their declaration, sizeof-counted selects, GNU `?:` and
 * statement expressions. */
#include <tether.h>

#define N 4

static void worker(void *arg);
static int helper();

int kr(a, b)
    tt_chan *a;
    int b;
{
    return tt_send(a, &b);
}

static void worker(void *arg)
{
    tt_chan *ch = arg;
    int v = 0;
    tt_send(ch, &v);
}

void spawner(tt_chan *ch)
{
    for (int i = 0; i < N; i++)
        tt_spawn(worker, ch);
    void (*fp)(void *) = worker;
    tt_spawn(fp, ch);
    tt_fn f2 = worker;
    tt_spawn(f2, ch);
    helper();
}

int sel(tt_chan *a, tt_chan *b)
{
    int v;
    tt_case cases[2];
    cases[0] = TT_RECV(a, &v);
    cases[1] = TT_RECV(b, &v);
    return tt_select(cases, sizeof cases / sizeof cases[0]);
}

int gnu(tt_chan *a, int x)
{
    int v;
    int r = x ?: tt_recv(a, &v);
    int s = ({ int q = x; q ? tt_recv(a, &v) : 0; });
    return r + s;
}

static int helper() { return 0; }
