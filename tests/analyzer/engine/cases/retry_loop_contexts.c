/* A retry loop makes a fresh timeout context each round and cancels it; the
 * contexts it is done with are forgotten, so the search ends. The loop's
 * own parent context is never canceled: the task retries forever. */
#include <stdlib.h>
#include <tether.h>

struct conn {
    tt_ctx *ctx;
};

static int dial(tt_ctx *ctx)
{
    (void)ctx;
    return -1;
}

static void reconnect(void *arg)
{
    struct conn *c = arg;
    for (int tries = 1;; tries++) {
        tt_ctx *attempt = tt_ctx_with_timeout(c->ctx, 10);
        int err = dial(attempt);
        tt_ctx_cancel(attempt);
        if (err == 0)
            return;
        tt_case cs[] = { TT_RECV(tt_after(2 * tries), NULL), TT_RECV(tt_ctx_done(c->ctx), NULL) };
        if (tt_select(cs, 2) == 1)
            return;
    }
}

int main(void)
{
    struct conn *c = calloc(1, sizeof *c);
    c->ctx = tt_ctx_with_cancel(tt_ctx_background()); // engine: CTX_LEAK
    tt_spawn(reconnect, c); // engine: LOOPING
    return 0;
}
