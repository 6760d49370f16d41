/* tether_bench.c — the bench/runtime workloads written with libtether: the
 * "tether" column. Usage: tether_bench WORKLOAD [N] [PAIRS]; prints
 * key=value lines (see bench/README.md). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <tether.h>

#include "bench_common.h"

/* Every workload ends with this: all tasks it started must be gone, so the
 * time measured covered the whole job and nothing is left running. */
static void expect_no_leaks(void)
{
    int leaks = tt_verify_none(2000);
    if (leaks != 0)
        bench_die("%d leaked resources after the workload", leaks);
}

/* ---- 1: unbuffered ping-pong ------------------------------------------- */
typedef struct {
    tt_chan *ping, *pong;
    tt_wg *wg;
} pingpong_args;

static void pingpong_echo(void *arg)
{
    pingpong_args *a = arg;
    bench_elem v;
    while (tt_recv(a->ping, &v) == TT_OK) {
        v++;
        tt_send(a->pong, &v);
    }
    tt_wg_done(a->wg);
}

static void run_pingpong(long n)
{
    tt_wg wg = TT_WG_INIT;
    pingpong_args a = { tt_chan_new(sizeof(bench_elem), 0),
                        tt_chan_new(sizeof(bench_elem), 0), &wg };
    tt_wg_add(&wg, 1);
    tt_spawn(pingpong_echo, &a);
    bench_elem v = 0;
    uint64_t t0 = bench_now_ns();
    for (long i = 0; i < n; i++) {
        tt_send(a.ping, &v);
        tt_recv(a.pong, &v);
    }
    uint64_t t1 = bench_now_ns();
    tt_close(a.ping);
    tt_wg_wait(&wg);
    if (v != n)
        bench_die("pingpong: got %lld, want %ld", (long long)v, n);
    expect_no_leaks();
    tt_chan_free(a.ping);
    tt_chan_free(a.pong);
    bench_report("ns_per_roundtrip", (double)(t1 - t0) / (double)n);
}

/* ---- 2: buffered channel throughput, PAIRS producer/consumer pairs ----- */
typedef struct {
    tt_chan *ch;
    long n;
    int64_t sum;
    tt_wg *wg;
} pair_args;

static void pair_producer(void *arg)
{
    pair_args *a = arg;
    for (bench_elem i = 0; i < a->n; i++)
        tt_send(a->ch, &i);
    tt_close(a->ch);
    tt_wg_done(a->wg);
}

static void pair_consumer(void *arg)
{
    pair_args *a = arg;
    bench_elem v;
    while (tt_recv(a->ch, &v) == TT_OK)
        a->sum += v;
    tt_wg_done(a->wg);
}

enum { max_pairs = 16 };

static void run_buffered(long pairs, long n)
{
    if (pairs > max_pairs)
        bench_die("at most %d pairs", max_pairs);
    tt_wg wg = TT_WG_INIT;
    pair_args a[max_pairs];
    for (long p = 0; p < pairs; p++)
        a[p] = (pair_args){ tt_chan_new(sizeof(bench_elem), 128), n, 0, &wg };
    tt_wg_add(&wg, (int)(2 * pairs));
    uint64_t t0 = bench_now_ns();
    for (long p = 0; p < pairs; p++) {
        tt_spawn(pair_consumer, &a[p]);
        tt_spawn(pair_producer, &a[p]);
    }
    tt_wg_wait(&wg);
    uint64_t t1 = bench_now_ns();
    for (long p = 0; p < pairs; p++)
        if (a[p].sum != bench_expected_sum(n))
            bench_die("buffered: pair %ld lost messages", p);
    expect_no_leaks();
    for (long p = 0; p < pairs; p++)
        tt_chan_free(a[p].ch);
    bench_report("ns_per_msg", (double)(t1 - t0) / (double)(pairs * n));
}

/* ---- 3: one consumer selecting over 4 channels fed by 4 producers ------ */
typedef struct {
    tt_chan *ch;
    long n;
} select_producer_args;

static void select_producer(void *arg)
{
    select_producer_args *a = arg;
    for (bench_elem i = 0; i < a->n; i++)
        tt_send(a->ch, &i);
    tt_close(a->ch);
}

static void run_select(long n)
{
    select_producer_args a[4];
    tt_case cases[4];
    bench_elem v;
    for (int i = 0; i < 4; i++) {
        a[i] = (select_producer_args){ tt_chan_new(sizeof(bench_elem), 0), n };
        cases[i] = TT_RECV(a[i].ch, &v);
    }
    int64_t sum = 0;
    long got = 0;
    int open = 4;
    uint64_t t0 = bench_now_ns();
    for (int i = 0; i < 4; i++)
        tt_spawn(select_producer, &a[i]);
    while (open > 0) {
        int k = tt_select(cases, 4);
        if (k < 0 || k >= 4)
            bench_die("select returned %d", k);
        if (!cases[k].ok) {
            cases[k].ch = NULL; /* closed: never ready again, like a nil channel in Go */
            open--;
            continue;
        }
        sum += v;
        got++;
    }
    uint64_t t1 = bench_now_ns();
    if (got != 4 * n || sum != 4 * bench_expected_sum(n))
        bench_die("select: got %ld messages, want %ld", got, 4 * n);
    expect_no_leaks();
    for (int i = 0; i < 4; i++)
        tt_chan_free(a[i].ch);
    bench_report("ns_per_msg", (double)(t1 - t0) / (double)(4 * n));
}

/* ---- 4: spawn N tasks that finish at once, wait for all ----------------- */
static void spawn_task(void *arg)
{
    tt_wg_done(arg);
}

static void run_spawn(long n)
{
    tt_wg wg = TT_WG_INIT;
    tt_wg_add(&wg, (int)n);
    uint64_t t0 = bench_now_ns();
    for (long i = 0; i < n; i++)
        if (tt_spawn(spawn_task, &wg) != TT_OK)
            bench_die("spawn %ld failed", i);
    tt_wg_wait(&wg);
    uint64_t t1 = bench_now_ns();
    expect_no_leaks();
    bench_report("us_per_task", (double)(t1 - t0) / 1e3 / (double)n);
}

/* ---- 5: N tasks blocked on one context's done channel, then cancel ----- */
typedef struct {
    tt_ctx *ctx;
    tt_wg *ready, *exited;
} ctx_task_args;

static void ctx_task(void *arg)
{
    ctx_task_args *a = arg;
    tt_wg_done(a->ready);
    if (tt_recv(tt_ctx_done(a->ctx), NULL) != TT_CLOSED)
        bench_die("ctx task woke without cancel");
    tt_wg_done(a->exited);
}

static void run_ctxcancel(long n)
{
    tt_wg ready = TT_WG_INIT, exited = TT_WG_INIT;
    ctx_task_args a = { tt_ctx_with_cancel(tt_ctx_background()), &ready, &exited };
    tt_wg_add(&ready, (int)n);
    tt_wg_add(&exited, (int)n);
    uint64_t t0 = bench_now_ns();
    for (long i = 0; i < n; i++)
        if (tt_spawn(ctx_task, &a) != TT_OK)
            bench_die("spawn %ld of %ld failed", i, n);
    tt_wg_wait(&ready);
    uint64_t t1 = bench_now_ns();
    bench_sleep_ms(50); /* untimed: let the last tasks reach their receive */
    uint64_t t2 = bench_now_ns();
    tt_ctx_cancel(a.ctx);
    tt_wg_wait(&exited);
    uint64_t t3 = bench_now_ns();
    expect_no_leaks();
    bench_report("setup_ms", (double)(t1 - t0) / 1e6);
    bench_report("cancel_ms", (double)(t3 - t2) / 1e6);
}

/* ---- 6: tt_verify_none(0) with N live blocked tasks --------------------- */
typedef struct {
    tt_chan *block;
    tt_wg *ready, *exited;
} verify_task_args;

static void verify_task(void *arg)
{
    verify_task_args *a = arg;
    tt_wg_done(a->ready);
    tt_recv(a->block, NULL);
    tt_wg_done(a->exited);
}

static void run_verify(long n)
{
    tt_wg ready = TT_WG_INIT, exited = TT_WG_INIT;
    verify_task_args a = { tt_chan_new(sizeof(bench_elem), 0), &ready, &exited };
    tt_wg_add(&ready, (int)n);
    tt_wg_add(&exited, (int)n);
    for (long i = 0; i < n; i++)
        if (tt_spawn(verify_task, &a) != TT_OK)
            bench_die("spawn %ld of %ld failed", i, n);
    tt_wg_wait(&ready);
    bench_sleep_ms(50); /* let the last tasks reach their receive */

    /* The check prints one report per blocked task; send them to /dev/null
     * (the formatting and writing are still paid for). */
    fflush(stderr);
    int saved = dup(2), null = open("/dev/null", O_WRONLY);
    if (saved < 0 || null < 0 || dup2(null, 2) < 0)
        bench_die("cannot redirect stderr");
    uint64_t t0 = bench_now_ns();
    int leaks = tt_verify_none(0);
    uint64_t t1 = bench_now_ns();
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    close(null);
    if (leaks < n)
        bench_die("verify: reported %d leaks, want at least %ld", leaks, n);

    tt_close(a.block);
    tt_wg_wait(&exited);
    expect_no_leaks();
    tt_chan_free(a.block);
    bench_report("verify_us", (double)(t1 - t0) / 1e3);
    bench_report("us_per_task", (double)(t1 - t0) / 1e3 / (double)n);
}

int main(int argc, char **argv)
{
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
    else if (strcmp(w, "verify") == 0)
        run_verify(bench_arg(argc, argv, 2, 1000));
    else
        bench_die("usage: %s pingpong|buffered|select|spawn|ctxcancel|verify [N] [PAIRS]", argv[0]);
    return 0;
}
