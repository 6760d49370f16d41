#include <tether.h>
/* ÿşÃ( café */
void f(tt_chan *c) { const char *s = "â‚"; int v = 1; (void)s; tt_send(c, &v); }
