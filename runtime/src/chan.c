/* chan.c — channels: per-channel lock, FIFO ring buffer, queues of waiting
 * senders and receivers; unbuffered sends hand the value straight over. */
#include "rt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rt_q_push(rt_waitq *q, rt_waiter *w)
{
    w->next = NULL;
    w->prev = q->tail;
    if (q->tail)
        q->tail->next = w;
    else
        q->head = w;
    q->tail = w;
    w->linked = true;
}

void rt_q_unlink(rt_waitq *q, rt_waiter *w)
{
    if (!w->linked)
        return;
    if (w->prev)
        w->prev->next = w->next;
    else
        q->head = w->next;
    if (w->next)
        w->next->prev = w->prev;
    else
        q->tail = w->prev;
    w->prev = w->next = NULL;
    w->linked = false;
}

rt_waiter *rt_q_claim(rt_waitq *q)
{
    rt_waiter *w;
    while ((w = q->head) != NULL) {
        rt_q_unlink(q, w);
        /* A select waiter whose task already won elsewhere is dropped. */
        if (rt_claim(w->task))
            return w;
    }
    return NULL;
}

void rt_zero(void *out, size_t n)
{
    if (out && n)
        memset(out, 0, n);
}

void rt_chan_init(tt_chan *ch, size_t esz, size_t cap, unsigned char *buf, int kind,
                  const char *file, int line)
{
    pthread_mutex_init(&ch->mu, NULL);
    ch->esz = esz;
    ch->cap = cap;
    ch->buf = buf;
    ch->kind = kind;
    ch->file = file;
    ch->line = line;
    ch->tm.heap_idx = -1;
    atomic_init(&ch->timer_src, 0);
}

void rt_chan_destroy(tt_chan *ch)
{
    pthread_mutex_destroy(&ch->mu);
}

void rt_chan_reset(tt_chan *ch, const char *file, int line)
{
    pthread_mutex_lock(&ch->mu);
    ch->closed = false;
    ch->len = 0;
    ch->head = 0;
    ch->file = file;
    ch->line = line;
    pthread_mutex_unlock(&ch->mu);
}

bool rt_chan_has_waiters(tt_chan *ch)
{
    pthread_mutex_lock(&ch->mu);
    bool busy = ch->recvq.head || ch->sendq.head;
    pthread_mutex_unlock(&ch->mu);
    return busy;
}

/* Hand a woken waiter its result (channel lock held). */
static void finish(rt_waiter *w, bool ok, rt_wakelist *wl)
{
    w->ok = ok;
    w->task->winner = w->idx;
    rt_wake_defer(wl, w);
}

static void buf_put(tt_chan *ch, const void *elem)
{
    size_t at = (ch->head + ch->len) % ch->cap;
    if (ch->esz) {
        if (elem)
            memcpy(ch->buf + at * ch->esz, elem, ch->esz);
        else
            memset(ch->buf + at * ch->esz, 0, ch->esz);
    }
    ch->len++;
}

static void buf_take(tt_chan *ch, void *out)
{
    if (out && ch->esz)
        memcpy(out, ch->buf + ch->head * ch->esz, ch->esz);
    ch->head = (ch->head + 1) % ch->cap;
    ch->len--;
}

static void copy_elem(void *dst, const void *src, size_t n)
{
    if (!dst || !n)
        return;
    if (src)
        memcpy(dst, src, n);
    else
        memset(dst, 0, n);
}

bool rt_chan_try_send(tt_chan *ch, const void *elem, rt_wakelist *wl)
{
    rt_waiter *w = rt_q_claim(&ch->recvq);
    if (w) {
        copy_elem(w->elem, elem, ch->esz);
        finish(w, true, wl);
        return true;
    }
    if (ch->len < ch->cap) {
        buf_put(ch, elem);
        return true;
    }
    return false;
}

bool rt_chan_try_recv(tt_chan *ch, void *out, rt_wakelist *wl)
{
    rt_waiter *w = rt_q_claim(&ch->sendq);
    if (w) {
        if (ch->cap == 0) {
            copy_elem(out, w->elem, ch->esz);
        } else {
            /* Buffer full: take its head, the sender's value joins the tail. */
            buf_take(ch, out);
            buf_put(ch, w->elem);
        }
        finish(w, true, wl);
        return true;
    }
    if (ch->len > 0) {
        buf_take(ch, out);
        return true;
    }
    return false;
}

void rt_report_send_closed(const tt_chan *ch, const char *file, int line)
{
    char what[256], at[160];
    rt_chan_describe(ch, what, sizeof what);
    rt_report("send on closed channel at %s (%s)", rt_site(at, sizeof at, file, line), what);
}

tt_chan *tt_chan_new_at(size_t elem_size, size_t cap, const char *file, int line)
{
    (void)rt_self();
    if (cap && elem_size && cap > (SIZE_MAX - sizeof(tt_chan)) / elem_size)
        return NULL;
    tt_chan *ch = calloc(1, sizeof *ch + elem_size * cap);
    if (!ch)
        return NULL;
    rt_chan_init(ch, elem_size, cap, (unsigned char *)(ch + 1), RT_CH_USER, file, line);
    return ch;
}

tt_chan *(tt_chan_new)(size_t elem_size, size_t cap)
{
    return tt_chan_new_at(elem_size, cap, NULL, 0);
}

int tt_send_at(tt_chan *ch, const void *elem, const char *file, int line)
{
    rt_task *t = rt_self();
    if (!ch) {
        rt_block b = { RT_BLK_SEND, "tt_send", file, line, NULL, NULL, 0 };
        rt_block_set(t, &b);
        rt_block_forever(t);
    }
    rt_wakelist wl = { NULL };
    pthread_mutex_lock(&ch->mu);
    if (ch->closed) {
        pthread_mutex_unlock(&ch->mu);
        rt_report_send_closed(ch, file, line);
        return TT_CLOSED;
    }
    if (rt_chan_try_send(ch, elem, &wl)) {
        pthread_mutex_unlock(&ch->mu);
        rt_wake_flush(&wl);
        return TT_OK;
    }
    rt_waiter me = { .task = t, .ch = ch, .elem = (void *)elem };
    rt_park_prepare(t);
    rt_q_push(&ch->sendq, &me);
    rt_block b = { RT_BLK_SEND, "tt_send", file, line, ch, NULL, 0 };
    rt_block_set(t, &b);
    pthread_mutex_unlock(&ch->mu);
    rt_park(t);
    rt_block_clear(t);
    if (!me.ok) {
        rt_report_send_closed(ch, file, line);
        return TT_CLOSED;
    }
    return TT_OK;
}

int(tt_send)(tt_chan *ch, const void *elem)
{
    return tt_send_at(ch, elem, NULL, 0);
}

int tt_recv_at(tt_chan *ch, void *out, const char *file, int line)
{
    rt_task *t = rt_self();
    if (!ch) {
        rt_block b = { RT_BLK_RECV, "tt_recv", file, line, NULL, NULL, 0 };
        rt_block_set(t, &b);
        rt_block_forever(t);
    }
    rt_wakelist wl = { NULL };
    pthread_mutex_lock(&ch->mu);
    if (rt_chan_try_recv(ch, out, &wl)) {
        pthread_mutex_unlock(&ch->mu);
        rt_wake_flush(&wl);
        return TT_OK;
    }
    if (ch->closed) {
        pthread_mutex_unlock(&ch->mu);
        rt_zero(out, ch->esz);
        return TT_CLOSED;
    }
    rt_waiter me = { .task = t, .ch = ch, .elem = out, .esz = ch->esz };
    rt_park_prepare(t);
    rt_q_push(&ch->recvq, &me);
    rt_block b = { RT_BLK_RECV, "tt_recv", file, line, ch, NULL, 0 };
    rt_block_set(t, &b);
    pthread_mutex_unlock(&ch->mu);
    rt_park(t);
    rt_block_clear(t);
    if (!me.ok) {
        rt_zero(out, me.esz); /* ch may already be freed by its owner */
        return TT_CLOSED;
    }
    return TT_OK;
}

int(tt_recv)(tt_chan *ch, void *out)
{
    return tt_recv_at(ch, out, NULL, 0);
}

/* Close with the lock held; false if it was already closed. */
static bool close_locked(tt_chan *ch, rt_wakelist *wl)
{
    if (ch->closed)
        return false;
    ch->closed = true;
    rt_waiter *w;
    while ((w = rt_q_claim(&ch->recvq)) != NULL)
        finish(w, false, wl);
    while ((w = rt_q_claim(&ch->sendq)) != NULL)
        finish(w, false, wl);
    return true;
}

void tt_close_at(tt_chan *ch, const char *file, int line)
{
    char at[160];
    (void)rt_self();
    if (!ch) {
        rt_report("close of nil channel at %s", rt_site(at, sizeof at, file, line));
        return;
    }
    rt_wakelist wl = { NULL };
    pthread_mutex_lock(&ch->mu);
    bool first = close_locked(ch, &wl);
    pthread_mutex_unlock(&ch->mu);
    /* Describe the channel before the wake-ups: woken tasks may free it. */
    if (!first) {
        char what[256];
        rt_chan_describe(ch, what, sizeof what);
        rt_report("close of closed channel at %s (%s)", rt_site(at, sizeof at, file, line), what);
    }
    rt_wake_flush(&wl);
}

void(tt_close)(tt_chan *ch)
{
    tt_close_at(ch, NULL, 0);
}

void rt_chan_close_quiet(tt_chan *ch)
{
    rt_wakelist wl = { NULL };
    pthread_mutex_lock(&ch->mu);
    close_locked(ch, &wl);
    pthread_mutex_unlock(&ch->mu);
    rt_wake_flush(&wl);
}

void rt_chan_offer(tt_chan *ch, const void *elem)
{
    rt_wakelist wl = { NULL };
    pthread_mutex_lock(&ch->mu);
    if (!ch->closed)
        (void)rt_chan_try_send(ch, elem, &wl); /* full: the value is dropped */
    pthread_mutex_unlock(&ch->mu);
    rt_wake_flush(&wl);
}

void tt_chan_free(tt_chan *ch)
{
    if (!ch || ch->kind != RT_CH_USER)
        return; /* internal channels belong to the runtime */
    if (rt_chan_has_waiters(ch)) {
        char what[256];
        rt_chan_describe(ch, what, sizeof what);
        rt_report("tt_chan_free on a %s that tasks are blocked on: not freed", what);
        return;
    }
    rt_chan_destroy(ch);
    free(ch);
}

size_t tt_chan_len(tt_chan *ch)
{
    if (!ch)
        return 0;
    pthread_mutex_lock(&ch->mu);
    size_t n = ch->len;
    pthread_mutex_unlock(&ch->mu);
    return n;
}

size_t tt_chan_cap(tt_chan *ch)
{
    return ch ? ch->cap : 0;
}

void rt_chan_describe(const tt_chan *ch, char *buf, size_t n)
{
    char at[160];
    if (!ch) {
        snprintf(buf, n, "nil channel (blocks forever)");
        return;
    }
    switch (ch->kind) {
    case RT_CH_DONE: {
        char c[224];
        rt_ctx_describe(ch->owner, c, sizeof c);
        snprintf(buf, n, "done channel of %s", c);
        return;
    }
    case RT_CH_TICKER:
        rt_ticker_describe(ch->owner, buf, n);
        return;
    case RT_CH_AFTER:
        snprintf(buf, n, "channel of tt_after(%lld) created at %s", (long long)ch->after_ms,
                 rt_site(at, sizeof at, ch->file, ch->line));
        return;
    default:
        break;
    }
    if (ch->cap == 0)
        snprintf(buf, n, "channel created at %s (unbuffered)", rt_site(at, sizeof at, ch->file, ch->line));
    else
        snprintf(buf, n, "channel created at %s (buffered, cap %zu)", rt_site(at, sizeof at, ch->file, ch->line),
                 ch->cap);
}
