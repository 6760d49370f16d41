#include <tether.h>
void f(tt_chan *c) { tt_close(c); }
/* never ends
void g(void) {}
