#include <tether.h>
__attribute__((unused)) static int old(a, b) int a; char *b; { return a; }
[[maybe_unused]] static void f(tt_chan *c) { tt_close(c); }
