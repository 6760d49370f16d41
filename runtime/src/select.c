/* select.c — tt_select: lock every channel in address order (as Go does),
 * poll the cases in a random order, else queue a waiter on each and park. */
#include "rt.h"

#include <stdlib.h>

enum { SMALL = 16 };

static uint64_t rng_next(rt_task *t)
{
    /* xorshift64*: per task, so no shared state on the hot path. */
    uint64_t x = t->rng ? t->rng : UINT64_C(0x2545F4914F6CDD1D);
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    t->rng = x;
    return x * UINT64_C(0x2545F4914F6CDD1D);
}

static _Thread_local tt_case *sort_cases; /* set around the qsort call below */

static int by_chan(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)sort_cases[*(const size_t *)a].ch;
    uintptr_t y = (uintptr_t)sort_cases[*(const size_t *)b].ch;
    return x < y ? -1 : x > y;
}

/* Sort the non-nil case indices by channel address; returns their count. */
static size_t lock_order(tt_case *cases, size_t n, size_t *lo)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (cases[i].ch)
            lo[m++] = i;
    if (m <= SMALL) {
        for (size_t i = 1; i < m; i++) {
            size_t v = lo[i], j = i;
            while (j > 0 && (uintptr_t)cases[lo[j - 1]].ch > (uintptr_t)cases[v].ch) {
                lo[j] = lo[j - 1];
                j--;
            }
            lo[j] = v;
        }
    } else {
        /* qsort has no context argument: pass the cases thread-locally. */
        sort_cases = cases;
        qsort(lo, m, sizeof *lo, by_chan);
        sort_cases = NULL;
    }
    return m;
}

/* Lock each distinct channel once, in address order, except skip. */
static void lock_all(tt_case *cases, const size_t *lo, size_t m, const tt_chan *skip)
{
    for (size_t i = 0; i < m; i++)
        if ((i == 0 || cases[lo[i]].ch != cases[lo[i - 1]].ch) && cases[lo[i]].ch != skip)
            pthread_mutex_lock(&cases[lo[i]].ch->mu);
}

static void unlock_all(tt_case *cases, const size_t *lo, size_t m, const tt_chan *skip)
{
    for (size_t i = m; i-- > 0;)
        if ((i == 0 || cases[lo[i]].ch != cases[lo[i - 1]].ch) && cases[lo[i]].ch != skip)
            pthread_mutex_unlock(&cases[lo[i]].ch->mu);
}

static int select_impl(tt_case *cases, size_t n, bool block, const char *file, int line)
{
    rt_task *t = rt_self();
    rt_block blk = { RT_BLK_SELECT, block ? "tt_select" : "tt_select_default", file, line, NULL, cases, n };
    size_t small_lo[SMALL], small_po[SMALL];
    rt_waiter small_w[SMALL];
    size_t *lo = small_lo, *po = small_po;
    rt_waiter *ws = small_w;
    if (n > SMALL) {
        lo = rt_xcalloc(n, sizeof *lo);
        po = rt_xcalloc(n, sizeof *po);
        ws = rt_xcalloc(n, sizeof *ws);
    }
    for (size_t i = 0; i < n; i++)
        cases[i].ok = false;

    size_t m = lock_order(cases, n, lo);
    int chosen = TT_DEFAULT;
    bool send_closed = false;
    if (m == 0) {
        if (!block)
            goto out;
        rt_block_set(t, &blk);
        rt_block_forever(t);
    }
    /* Random poll order: a Fisher-Yates shuffle of the non-nil cases. */
    for (size_t i = 0; i < m; i++)
        po[i] = lo[i];
    for (size_t i = m - 1; i > 0; i--) {
        size_t j = (size_t)(rng_next(t) % (i + 1));
        size_t tmp = po[i];
        po[i] = po[j];
        po[j] = tmp;
    }

    rt_wakelist wl = { NULL };
    lock_all(cases, lo, m, NULL);
    for (size_t k = 0; k < m && chosen < 0; k++) {
        size_t i = po[k];
        tt_case *c = &cases[i];
        if (c->op == TT_OP_SEND) {
            if (c->ch->closed) {
                send_closed = true;
                chosen = (int)i;
            } else if (rt_chan_try_send(c->ch, c->elem, &wl)) {
                c->ok = true;
                chosen = (int)i;
            }
        } else if (rt_chan_try_recv(c->ch, c->elem, &wl)) {
            c->ok = true;
            chosen = (int)i;
        } else if (c->ch->closed) {
            rt_zero(c->elem, c->ch->esz);
            chosen = (int)i;
        }
    }
    if (chosen >= 0 || !block) {
        unlock_all(cases, lo, m, NULL);
        rt_wake_flush(&wl);
        goto out;
    }

    /* Nothing ready: wait on every case; the first waker claims the task. */
    rt_park_prepare(t);
    for (size_t k = 0; k < m; k++) {
        size_t i = lo[k];
        rt_waiter *w = &ws[i];
        *w = (rt_waiter){ .task = t, .ch = cases[i].ch, .elem = cases[i].elem, .esz = cases[i].ch->esz, .idx = (int)i };
        rt_q_push(cases[i].op == TT_OP_SEND ? &cases[i].ch->sendq : &cases[i].ch->recvq, w);
    }
    rt_block_set(t, &blk);
    unlock_all(cases, lo, m, NULL);
    rt_park(t);
    rt_block_clear(t);

    chosen = t->winner;
    /* Dequeue the losing waiters. The waker already dequeued the winner; if
     * its channel is in no other case, leave it alone: its owner may have
     * freed it right after the send or close that woke us. */
    const tt_chan *skip = cases[chosen].ch;
    for (size_t k = 0; k < m; k++)
        if ((int)lo[k] != chosen && cases[lo[k]].ch == skip)
            skip = NULL;
    lock_all(cases, lo, m, skip);
    for (size_t k = 0; k < m; k++) {
        size_t i = lo[k];
        if ((int)i != chosen)
            rt_q_unlink(cases[i].op == TT_OP_SEND ? &cases[i].ch->sendq : &cases[i].ch->recvq, &ws[i]);
    }
    unlock_all(cases, lo, m, skip);
    if (ws[chosen].ok) {
        cases[chosen].ok = true;
    } else if (cases[chosen].op == TT_OP_SEND) {
        send_closed = true;
    } else {
        rt_zero(cases[chosen].elem, ws[chosen].esz);
    }

out:
    if (send_closed)
        rt_report_send_closed(cases[chosen].ch, file, line);
    if (n > SMALL) {
        free(lo);
        free(po);
        free(ws);
    }
    return chosen;
}

int tt_select_at(tt_case *cases, size_t n, const char *file, int line)
{
    return select_impl(cases, n, true, file, line);
}

int tt_select_default_at(tt_case *cases, size_t n, const char *file, int line)
{
    return select_impl(cases, n, false, file, line);
}

int(tt_select)(tt_case *cases, size_t n)
{
    return select_impl(cases, n, true, NULL, 0);
}

int(tt_select_default)(tt_case *cases, size_t n)
{
    return select_impl(cases, n, false, NULL, 0);
}
