/* A helper waits on the context its caller passes; one caller passes the
 * background context, which is never done: that task waits forever. */
#include <tether.h>

static void watch(void *arg)
{
    tt_ctx *ctx = arg;
    tt_case cs[] = { TT_RECV(tt_ctx_done(ctx), NULL) };
    tt_select(cs, 1); // engine: BLOCKED
}

static void start_watch(tt_ctx *ctx)
{
    tt_spawn(watch, ctx);
}

int main(void)
{
    tt_ctx *ctx = tt_ctx_with_cancel(tt_ctx_background());
    start_watch(ctx);
    start_watch(tt_ctx_background());
    tt_ctx_cancel(ctx);
    return 0;
}
