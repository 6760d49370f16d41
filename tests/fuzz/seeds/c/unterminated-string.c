#include <tether.h>
void f(tt_chan *c) { const char *s = "abc;
 tt_close(c); }
