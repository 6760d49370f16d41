#define tt_send(c, v) my_send(c, v)
int my_send(void *c, void *v);
struct tt_chan { int x; };
int tt_recv(void *c, void *v) { (void)c; (void)v; return 0; }
void f(void *c) { int v; tt_send(c, &v); tt_recv(c, &v); }
