#include <tether.h>
int f(tt_chan *a, tt_ctx *ctx) { int v; tt_case cs[] = { TT_RECV(a, &v), TT_RECV(tt_ctx_done(ctx), NULL) }; return tt_select(cs, 2, -1); }
