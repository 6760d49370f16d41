/* No main: a library's entry point is run with unknown arguments. Its
 * context is canceled on one path only. */
#include <tether.h>

int lib_query(int fast)
{
    tt_ctx *ctx = tt_ctx_with_timeout(tt_ctx_background(), 100); // engine: CTX_LEAK
    if (fast)
        return 0;
    tt_ctx_cancel(ctx);
    return 1;
}
