#include <tether.h>
static void *w(void *a)
{
    tt_chan *c = a;
    int v;    tt_recv(c, &v);
    return 0;
}
int main(void) { tt_chan *c = tt_chan_new(sizeof(int), 0); tt_spawn(w, c); return 0; }
