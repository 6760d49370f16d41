/* cancel-not-called: the context is canceled on the error path but the function falls off its end without canceling it. The fix cancels it last. */
#include <stdio.h>
#include <tether.h>

static void request(int id)
{
    tt_ctx *ctx = tt_ctx_with_timeout(tt_ctx_background(), 1000);
    if (id < 0) {
        tt_ctx_cancel(ctx);
        return;
    }
    printf("request %d: %d\n", id, tt_ctx_err(ctx));
    tt_ctx_cancel(ctx);
}

int main(void)
{
    request(1);
    return 0;
}
