/* A task going round forever keeps ring buffer indexes that wrap: they stay
 * exact, so the buffer's emptiness is known and no impossible path (the
 * buffer empty right after a write) is explored. */
#include <stdbool.h>
#include <tether.h>

struct ring {
    int buf[2];
    int r, w, n;
};

static bool ring_empty(struct ring *q) { return q->n == 0; }

static void ring_put(struct ring *q, int v)
{
    q->buf[q->w] = v;
    q->w = (q->w + 1) % 2;
    q->n++;
}

static int ring_get(struct ring *q)
{
    int v = q->buf[q->r];
    q->r = (q->r + 1) % 2;
    q->n--;
    return v;
}

struct relay {
    tt_chan *in, *out;
    struct ring q;
};

static void relay(void *arg)
{
    struct relay *p = arg;
    int v;
    for (;;) {
        if (tt_recv(p->in, &v) != TT_OK)
            break;
        ring_put(&p->q, v);
        while (!ring_empty(&p->q)) {
            int head = ring_get(&p->q);
            tt_send(p->out, &head);
        }
    }
    tt_close(p->out);
}

int main(void)
{
    static struct relay p;
    p.in = tt_chan_new(sizeof(int), 0);
    p.out = tt_chan_new(sizeof(int), 0);
    tt_spawn(relay, &p);
    for (int i = 0; i < 3; i++) {
        int v;
        tt_send(p.in, &i);
        tt_recv(p.out, &v);
    }
    tt_close(p.in);
    int v;
    while (tt_recv(p.out, &v) == TT_OK)
        ;
    return 0;
}
