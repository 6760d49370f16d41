#include <tether.h>
#define SEND(c, v) tt_send(c, v)
static inline int put(tt_chan *c, int v) { return tt_send(c, &v); }
void f(tt_chan *c) { SEND(c, &(int){1}); put(c, 2); }
