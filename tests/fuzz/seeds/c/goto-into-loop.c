#include <tether.h>
void f(tt_chan *c, int n) {
  int v;
  goto inside;
  while (n--) {
  inside:
    if (tt_recv(c, &v) < 0) break;
  }
  tt_close(c);
}
