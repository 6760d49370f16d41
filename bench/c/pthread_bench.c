/* pthread_bench.c — the bench/runtime workloads as hand-written pthread
 * mutex + condition-variable code: the floor for a thread-per-task design
 * (the "pthread floor" column). Same usage and output as tether_bench. */
#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#include "bench_common.h"

/* Every thread gets libtether's task stack size. */
static pthread_attr_t joinable_attr, detached_attr;

static void init_attrs(void)
{
    if (pthread_attr_init(&joinable_attr) != 0 || pthread_attr_init(&detached_attr) != 0 ||
        pthread_attr_setstacksize(&joinable_attr, bench_task_stack) != 0 ||
        pthread_attr_setstacksize(&detached_attr, bench_task_stack) != 0 ||
        pthread_attr_setdetachstate(&detached_attr, PTHREAD_CREATE_DETACHED) != 0)
        bench_die("pthread_attr setup failed");
}

static pthread_t start(void *(*fn)(void *), void *arg)
{
    pthread_t t;
    if (pthread_create(&t, &joinable_attr, fn, arg) != 0)
        bench_die("pthread_create failed");
    return t;
}

static void start_detached(void *(*fn)(void *), void *arg)
{
    pthread_t t;
    if (pthread_create(&t, &detached_attr, fn, arg) != 0)
        bench_die("pthread_create (detached) failed");
}

/* ---- A one-slot mailbox: the floor for an unbuffered channel ------------ */
typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    bool full, closed;
    bench_elem val;
} mailbox;

static void mailbox_init(mailbox *m)
{
    memset(m, 0, sizeof *m);
    pthread_mutex_init(&m->mu, NULL);
    pthread_cond_init(&m->not_empty, NULL);
    pthread_cond_init(&m->not_full, NULL);
}

static void mailbox_send(mailbox *m, bench_elem v)
{
    pthread_mutex_lock(&m->mu);
    while (m->full)
        pthread_cond_wait(&m->not_full, &m->mu);
    m->val = v;
    m->full = true;
    pthread_cond_signal(&m->not_empty);
    pthread_mutex_unlock(&m->mu);
}

/* false once closed and empty */
static bool mailbox_recv(mailbox *m, bench_elem *out)
{
    pthread_mutex_lock(&m->mu);
    while (!m->full && !m->closed)
        pthread_cond_wait(&m->not_empty, &m->mu);
    bool ok = m->full;
    if (ok) {
        *out = m->val;
        m->full = false;
        pthread_cond_signal(&m->not_full);
    }
    pthread_mutex_unlock(&m->mu);
    return ok;
}

static void mailbox_close(mailbox *m)
{
    pthread_mutex_lock(&m->mu);
    m->closed = true;
    pthread_cond_broadcast(&m->not_empty);
    pthread_mutex_unlock(&m->mu);
}

/* ---- A ring buffer: the floor for a buffered channel -------------------- */
enum { ring_cap = 128 };

typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    size_t head, len;
    bool closed;
    bench_elem buf[ring_cap];
} ring;

static void ring_init(ring *r)
{
    memset(r, 0, sizeof *r);
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->not_empty, NULL);
    pthread_cond_init(&r->not_full, NULL);
}

static void ring_send(ring *r, bench_elem v)
{
    pthread_mutex_lock(&r->mu);
    while (r->len == ring_cap)
        pthread_cond_wait(&r->not_full, &r->mu);
    r->buf[(r->head + r->len) % ring_cap] = v;
    r->len++;
    pthread_cond_signal(&r->not_empty);
    pthread_mutex_unlock(&r->mu);
}

static bool ring_recv(ring *r, bench_elem *out)
{
    pthread_mutex_lock(&r->mu);
    while (r->len == 0 && !r->closed)
        pthread_cond_wait(&r->not_empty, &r->mu);
    bool ok = r->len > 0;
    if (ok) {
        *out = r->buf[r->head];
        r->head = (r->head + 1) % ring_cap;
        r->len--;
        pthread_cond_signal(&r->not_full);
    }
    pthread_mutex_unlock(&r->mu);
    return ok;
}

static void ring_close(ring *r)
{
    pthread_mutex_lock(&r->mu);
    r->closed = true;
    pthread_cond_broadcast(&r->not_empty);
    pthread_mutex_unlock(&r->mu);
}

/* ---- 1: ping-pong over two mailboxes ------------------------------------ */
typedef struct {
    mailbox ping, pong;
} pingpong_state;

static void *pingpong_echo(void *arg)
{
    pingpong_state *s = arg;
    bench_elem v;
    while (mailbox_recv(&s->ping, &v))
        mailbox_send(&s->pong, v + 1);
    return NULL;
}

static void run_pingpong(long n)
{
    static pingpong_state s;
    mailbox_init(&s.ping);
    mailbox_init(&s.pong);
    pthread_t echo = start(pingpong_echo, &s);
    bench_elem v = 0;
    uint64_t t0 = bench_now_ns();
    for (long i = 0; i < n; i++) {
        mailbox_send(&s.ping, v);
        mailbox_recv(&s.pong, &v);
    }
    uint64_t t1 = bench_now_ns();
    mailbox_close(&s.ping);
    pthread_join(echo, NULL);
    if (v != n)
        bench_die("pingpong: got %lld, want %ld", (long long)v, n);
    bench_report("ns_per_roundtrip", (double)(t1 - t0) / (double)n);
}

/* ---- 2: ring-buffer throughput, PAIRS producer/consumer pairs ---------- */
typedef struct {
    ring r;
    long n;
    int64_t sum;
} pair_state;

static void *pair_producer(void *arg)
{
    pair_state *s = arg;
    for (bench_elem i = 0; i < s->n; i++)
        ring_send(&s->r, i);
    ring_close(&s->r);
    return NULL;
}

static void *pair_consumer(void *arg)
{
    pair_state *s = arg;
    bench_elem v;
    while (ring_recv(&s->r, &v))
        s->sum += v;
    return NULL;
}

enum { max_pairs = 16 };

static void run_buffered(long pairs, long n)
{
    if (pairs > max_pairs)
        bench_die("at most %d pairs", max_pairs);
    static pair_state s[max_pairs];
    pthread_t th[2 * max_pairs];
    for (long p = 0; p < pairs; p++) {
        ring_init(&s[p].r);
        s[p].n = n;
        s[p].sum = 0;
    }
    uint64_t t0 = bench_now_ns();
    for (long p = 0; p < pairs; p++) {
        th[2 * p] = start(pair_consumer, &s[p]);
        th[2 * p + 1] = start(pair_producer, &s[p]);
    }
    for (long i = 0; i < 2 * pairs; i++)
        pthread_join(th[i], NULL);
    uint64_t t1 = bench_now_ns();
    for (long p = 0; p < pairs; p++)
        if (s[p].sum != bench_expected_sum(n))
            bench_die("buffered: pair %ld lost messages", p);
    bench_report("ns_per_msg", (double)(t1 - t0) / (double)(pairs * n));
}

/* ---- 3: 4 mailboxes under one mutex; the consumer waits on one condvar -- */
typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t any_ready;      /* the consumer's "some case is ready" */
    pthread_cond_t slot_free[4];   /* producer i's "my mailbox is empty" */
    bool full[4], closed[4];
    bench_elem val[4];
    long n;
} select_state;

typedef struct {
    select_state *s;
    int i;
} select_producer_args;

static void *select_producer(void *arg)
{
    select_producer_args *a = arg;
    select_state *s = a->s;
    int i = a->i;
    for (bench_elem v = 0; v < s->n; v++) {
        pthread_mutex_lock(&s->mu);
        while (s->full[i])
            pthread_cond_wait(&s->slot_free[i], &s->mu);
        s->val[i] = v;
        s->full[i] = true;
        pthread_cond_signal(&s->any_ready);
        pthread_mutex_unlock(&s->mu);
    }
    pthread_mutex_lock(&s->mu);
    s->closed[i] = true;
    pthread_cond_signal(&s->any_ready);
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

static void run_select(long n)
{
    static select_state s;
    pthread_mutex_init(&s.mu, NULL);
    pthread_cond_init(&s.any_ready, NULL);
    for (int i = 0; i < 4; i++) {
        pthread_cond_init(&s.slot_free[i], NULL);
        s.full[i] = s.closed[i] = false;
    }
    s.n = n;
    select_producer_args a[4];
    pthread_t th[4];
    bool seen_closed[4] = { false, false, false, false };
    int64_t sum = 0;
    long got = 0;
    int open = 4;
    unsigned start_at = 0; /* rotate the first case looked at, for fairness */
    uint64_t t0 = bench_now_ns();
    for (int i = 0; i < 4; i++) {
        a[i] = (select_producer_args){ &s, i };
        th[i] = start(select_producer, &a[i]);
    }
    while (open > 0) {
        pthread_mutex_lock(&s.mu);
        int k = -1;
        for (;;) {
            for (unsigned j = 0; j < 4 && k < 0; j++) {
                int c = (int)((start_at + j) % 4);
                if (s.full[c] || (s.closed[c] && !seen_closed[c]))
                    k = c;
            }
            if (k >= 0)
                break;
            pthread_cond_wait(&s.any_ready, &s.mu);
        }
        start_at++;
        bool ok = s.full[k];
        bench_elem v = s.val[k];
        if (ok) {
            s.full[k] = false;
            pthread_cond_signal(&s.slot_free[k]);
        }
        pthread_mutex_unlock(&s.mu);
        if (ok) {
            sum += v;
            got++;
        } else {
            seen_closed[k] = true;
            open--;
        }
    }
    uint64_t t1 = bench_now_ns();
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    if (got != 4 * n || sum != 4 * bench_expected_sum(n))
        bench_die("select: got %ld messages, want %ld", got, 4 * n);
    bench_report("ns_per_msg", (double)(t1 - t0) / (double)(4 * n));
}

/* ---- 4 and 5: detached threads and a shared completion count ----------- */
typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t main_cv; /* main waits here for a count to reach n */
    pthread_cond_t cancel_cv;
    long n, ready, exited;
    bool canceled;
} group;

static group g = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
                   PTHREAD_COND_INITIALIZER, 0, 0, 0, false };

static void group_wait(long *count)
{
    pthread_mutex_lock(&g.mu);
    while (*count < g.n)
        pthread_cond_wait(&g.main_cv, &g.mu);
    pthread_mutex_unlock(&g.mu);
}

static void *spawn_task(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&g.mu);
    if (++g.exited == g.n)
        pthread_cond_signal(&g.main_cv);
    pthread_mutex_unlock(&g.mu);
    return NULL;
}

static void run_spawn(long n)
{
    g.n = n;
    uint64_t t0 = bench_now_ns();
    for (long i = 0; i < n; i++)
        start_detached(spawn_task, NULL);
    group_wait(&g.exited);
    uint64_t t1 = bench_now_ns();
    bench_report("us_per_task", (double)(t1 - t0) / 1e3 / (double)n);
}

static void *ctx_task(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&g.mu);
    if (++g.ready == g.n)
        pthread_cond_signal(&g.main_cv);
    while (!g.canceled)
        pthread_cond_wait(&g.cancel_cv, &g.mu);
    if (++g.exited == g.n)
        pthread_cond_signal(&g.main_cv);
    pthread_mutex_unlock(&g.mu);
    return NULL;
}

static void run_ctxcancel(long n)
{
    g.n = n;
    uint64_t t0 = bench_now_ns();
    for (long i = 0; i < n; i++)
        start_detached(ctx_task, NULL);
    group_wait(&g.ready);
    uint64_t t1 = bench_now_ns();
    bench_sleep_ms(50); /* untimed, as in the other two versions */
    uint64_t t2 = bench_now_ns();
    pthread_mutex_lock(&g.mu);
    g.canceled = true;
    pthread_cond_broadcast(&g.cancel_cv);
    pthread_mutex_unlock(&g.mu);
    group_wait(&g.exited);
    uint64_t t3 = bench_now_ns();
    bench_report("setup_ms", (double)(t1 - t0) / 1e6);
    bench_report("cancel_ms", (double)(t3 - t2) / 1e6);
}

int main(int argc, char **argv)
{
    init_attrs();
    const char *w = argc > 1 ? argv[1] : "";
    if (strcmp(w, "pingpong") == 0)
        run_pingpong(bench_arg(argc, argv, 2, 20000));
    else if (strcmp(w, "buffered") == 0)
        run_buffered(bench_arg(argc, argv, 3, 1), bench_arg(argc, argv, 2, 200000));
    else if (strcmp(w, "select") == 0)
        run_select(bench_arg(argc, argv, 2, 50000));
    else if (strcmp(w, "spawn") == 0)
        run_spawn(bench_arg(argc, argv, 2, 2000));
    else if (strcmp(w, "ctxcancel") == 0)
        run_ctxcancel(bench_arg(argc, argv, 2, 10000));
    else
        bench_die("usage: %s pingpong|buffered|select|spawn|ctxcancel [N] [PAIRS]", argv[0]);
    return 0;
}
