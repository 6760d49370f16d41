/* pool_server.c — the bundled example: a tiny request server written in
 * tether's Go style, with the leaks such code typically has. `./dev.sh
 * example` runs `tether check` on it, then runs it with TETHER_VERIFY=1 so
 * the runtime confirms every leak the analyzer predicted. */
#include <stdio.h>
#include <stdlib.h>
#include <tether.h>

enum { NWORKERS = 3, NREQUESTS = 4 };

/* ---- A lookup with a deadline ------------------------------------------ */

struct lookup {
    int key;
    tt_chan *result;    /* int, unbuffered */
};

static void lookup_task(void *arg)
{
    struct lookup *l = arg;
    tt_sleep_ms(l->key % 2 ? 50 : 1); /* odd keys are slow */
    int value = l->key * 10;
    tt_send(l->result, &value);       /* blocks forever once the handler gave up */
}

static int handle_request(int key)
{
    struct lookup *l = malloc(sizeof *l);
    l->key = key;
    l->result = tt_chan_new(sizeof(int), 0);
    tt_spawn(lookup_task, l);

    int value = -1;
    tt_case cases[] = { TT_RECV(l->result, &value), TT_RECV(tt_after(20), NULL) };
    if (tt_select(cases, 2) == 1) {
        printf("request %d: timed out\n", key);
        return -1;                    /* the lookup task is left behind */
    }
    printf("request %d: %d\n", key, value);
    return value;
}

/* ---- A cache refresher driven by a ticker -------------------------------- */

static void refresh_loop(void *arg)
{
    tt_ticker *t = arg;
    int64_t now;
    for (;;) {                        /* nothing ever tells it to stop */
        tt_recv(tt_ticker_chan(t), &now);
    }
}

static void start_refresher(void)
{
    tt_ticker *t = tt_ticker_new(10);
    tt_spawn(refresh_loop, t);
}

/* ---- A worker pool ------------------------------------------------------- */

struct pool {
    tt_chan *jobs;      /* int, buffered */
    tt_wg wg;
};

static void pool_worker(void *arg)
{
    struct pool *p = arg;
    int job;
    while (tt_recv(p->jobs, &job) == TT_OK) {
        if (job < 0)
            return;                   /* bad job: returns without tt_wg_done */
    }
    tt_wg_done(&p->wg);
}

static void run_pool(void)
{
    static struct pool p = { NULL, TT_WG_INIT };
    p.jobs = tt_chan_new(sizeof(int), NREQUESTS);
    for (int i = 0; i < NWORKERS; i++) {
        tt_wg_add(&p.wg, 1);
        tt_spawn(pool_worker, &p);
    }
    int jobs[NREQUESTS] = { 1, 2, -1, 3 };
    for (int i = 0; i < NREQUESTS; i++)
        tt_send(p.jobs, &jobs[i]);
    tt_close(p.jobs);
    tt_wg_wait(&p.wg);                /* never returns: one worker quit early */
}

/* Runs the pool on its own task so that main can give up after a deadline. */
static void pool_task(void *arg)
{
    tt_chan *finished = arg;
    run_pool();
    tt_close(finished);
}

int main(void)
{
    start_refresher();
    for (int key = 1; key <= NREQUESTS; key++)
        handle_request(key);

    tt_chan *finished = tt_chan_new(1, 0);
    tt_spawn(pool_task, finished);
    tt_case cases[] = { TT_RECV(finished, NULL), TT_RECV(tt_after(100), NULL) };
    if (tt_select(cases, 2) == 1)
        puts("pool: did not finish in time");
    return 0;
}
