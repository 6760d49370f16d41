/* expressions.c — expression and declaration shapes both front ends must
 * model alike (golden test for --dump-model): chained assignments and
 * comma expressions as values, NULL tests of an assignment, designated
 * case arrays, `sizeof p->chs / sizeof p->chs[0]` loops, a function
 * returning a function pointer, va_arg with a pointer type, __typeof__,
 * C2x attributes. */
#include <tether.h>
#include <stdarg.h>
#include <stddef.h>

struct srv { tt_chan *in; tt_chan *out; tt_ticker *t; tt_chan *chs[4]; };

int chained(struct srv *s, tt_chan *x)
{
    tt_chan *c, *d;
    s->in = c = tt_chan_new(sizeof(int), 8);
    s->out = d = x;
    tt_chan *e = (d = c);
    tt_chan *f = (c, d);
    tt_close(f);
    tt_close(e);
    tt_close((c, x));
    return 0;
}

int null_assign(struct srv *s)
{
    tt_chan *ch;
    if ((ch = tt_chan_new(sizeof(int), 4)) == NULL)
        return -1;
    if (!(s->t = tt_ticker_new(50))) {
        tt_close(ch);
        return -1;
    }
    if ((s->in = ch))
        return 0;
    return 1;
}

int designated(tt_chan *a, tt_chan *b)
{
    int v, w;
    tt_case cs[] = { [1] = TT_RECV(b, &w), [0] = TT_RECV(a, &v) };
    return tt_select(cs, 2);
}

void fill(struct srv *s, tt_chan *ch)
{
    for (size_t i = 0; i < sizeof s->chs / sizeof s->chs[0]; i++)
        s->chs[i] = ch;
}

static void w1(void *arg) { tt_close(arg); }
static void w2(void *arg) { (void)arg; }

static void (*choose(int k))(void *)
{
    return k ? w1 : w2;
}

void run(tt_chan *ch, int k)
{
    tt_spawn(choose(k), ch);
}

static void send_all(int n, ...)
{
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        tt_chan *c = va_arg(ap, tt_chan *);
        tt_send(c, &i);
    }
    va_end(ap);
}

void typed(tt_chan *x, tt_chan *y)
{
    __typeof__(x) c2 = x;
    tt_close(c2);
    send_all(1, y);
    int v = 0;
    [[maybe_unused]] int r = tt_send(y, &v);
    tt_close(y);
}
