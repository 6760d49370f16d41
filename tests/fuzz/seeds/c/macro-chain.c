#include <tether.h>
#define A0 tt_close(c)
#define A1 A0; A0
#define A2 A1; A1
#define A3 A2; A2
void f(tt_chan *c) { A3; }
