/* positions.c — what the rules name and link (golden test for --dump-model):
 * loop keywords and jumps (block positions), argument ranges, timeout
 * contexts, NULL tests, call results, objects returned directly, and the
 * code preprocessor conditionals leave out. */
#include <stddef.h>
#include <stdint.h>
#include <tether.h>

#define CAP 8

struct worker {
    tt_ticker *t;
    tt_chan *chs[2];
    int n;
};

tt_chan *lookup(tt_chan *c); /* defined elsewhere */

static tt_ticker *make_ticker(void)
{
    return tt_ticker_new(9);
}

static tt_chan *make_chan(int cap)
{
    return (tt_chan *)tt_chan_new(sizeof(int), cap);
}

static tt_ctx *make_ctx(tt_ctx *parent)
{
    return (tt_ctx_with_cancel(parent));
}

static tt_ctx *make_deadline(tt_ctx *parent, int64_t ms)
{
    return tt_ctx_with_timeout(parent, ms);
}

static tt_ticker *again(void)
{
    return make_ticker();
}

static int count(void)
{
    return 3;
}

static tt_chan *passthrough(tt_chan *c)
{
    return lookup(c);
}

void jumps(tt_chan *ch, int n)
{
    int v;
    while (tt_recv(ch, &v) == TT_OK) {
        if (v < 0)
            break;
        if (v == 0)
            continue;
    }
    for (int i = 0; i < n; i++)
        if (i == 3)
            goto out;
    do {
        n--;
    } while (n > 0);
    for (;;)
        return;
out:
    return;
}

void nums(tt_ctx *parent, tt_wg *wg, int n, int64_t ms)
{
    tt_chan *a = tt_chan_new(sizeof(int), 0);
    tt_chan *b = tt_chan_new(sizeof(int), n * 2);
    tt_chan *c = tt_chan_new(sizeof(int), /* cap */ CAP /* items */);
    tt_chan *d = tt_chan_new_at(sizeof(int), (1), __FILE__, __LINE__);
    tt_ticker *t = tt_ticker_new(ms);
    tt_ctx *x = tt_ctx_with_timeout(parent, ms);
    tt_ctx *y = tt_ctx_with_timeout(parent, 50);
    tt_ctx *z = tt_ctx_with_cancel(parent);
    tt_wg_add(wg, n);
    tt_wg_add(wg, -1);
    tt_sleep_ms(ms + 1);
    tt_sleep_ms(
        10);
    tt_close(a);
    tt_close(b);
    tt_close(c);
    tt_close(d);
    tt_ticker_stop(t);
    tt_ctx_cancel(x);
    tt_ctx_cancel(y);
    tt_ctx_cancel(z);
}

int null_tests(struct worker *w, tt_ticker *t, tt_chan *c, int x)
{
    if (t)
        tt_ticker_stop(t);
    if (!t)
        x++;
    if (t == NULL)
        x++;
    if (t != NULL)
        x++;
    else
        x--;
    if (NULL == t)
        x++;
    if (t == 0)
        x++;
    if (!(t))
        x++;
    if ((void *)t != 0)
        x++;
    if (!(t == NULL))
        x++;
    if (w->t)
        x++;
    if (w->chs[1] == NULL)
        x++;
    if (!(c))
        return x;
    /* none of these is a NULL test */
    if (t && x)
        x++;
    if (x)
        x++;
    if (w->n)
        x++;
    if ((tt_chan *)t == c)
        x++;
    while (t)
        break;
    x = t ? 1 : 0;
    if ((t = make_ticker()) != NULL)
        x++;
    if (make_ticker())
        x++;
    if (t = NULL, c)
        x++;
    return x;
}

void results(struct worker *w)
{
    tt_ticker *t = make_ticker();
    w->t = make_ticker();
    tt_chan *c;
    c = make_chan(count());
    int n = count();
    tt_chan *d = lookup(c);
    tt_ctx *x = make_deadline(tt_ctx_background(), n);
    tt_ticker_stop(t);
    tt_ticker_stop(w->t);
    tt_close(d);
    tt_ctx_cancel(x);
}

void preproc(tt_chan *ch)
{
    int v = 0;
#if 0
    tt_send(ch, &v);
#endif
#if 1
    tt_close(ch);
#else
    tt_chan_free(ch);
#endif
#if 0
    tt_recv(ch, &v);
#elif 1
    tt_send(ch, &v);
#else
    tt_recv(ch, &v);
#endif
#if (0)
    tt_recv(ch, &v);
#else
    tt_chan_free(ch);
#endif
}

#if 0
void dead(tt_chan *ch)
{
    tt_close(ch);
}
#else
void alive(tt_chan *ch)
{
    tt_chan_free(ch);
}
#endif

/* counted loops: trips when the bounds and the step are constants and the
 * body leaves the counter alone; select counts */
void counted(tt_chan *ch, int n, tt_case *cs)
{
    int v = 0, i;
    for (i = 0; i < 3; i++)
        tt_send(ch, &v);
    for (int j = 10; j >= 0; j -= 2)
        v++;
    for (int j = CAP; 0 < j; --j)
        v++;
    for (int j = 0; j != 7; j += 2)
        break;
    for (int j = 0; j < n; j++)
        v++;
    for (int j = 0; j < 3; j++)
        j++;
    for (int j = 5; j < 3; j++)
        v++;
    tt_select(cs, 2);
    tt_select_default(cs, n);
}
