// test_cplusplus.cpp — tether.h is usable from C++ (-pedantic): the select
// case macros, the site macros and a round trip through the runtime.
#include <tether.h>
#include <cstdio>
int main() {
    tt_chan *ch = tt_chan_new(sizeof(int), 1);
    int v = 7, out = 0;
    tt_send(ch, &v);
    tt_case cs[] = { TT_RECV(ch, &out), TT_RECV(tt_after(50), NULL) };
    int r = tt_select(cs, 2);
    std::printf("%d %d\n", r, out);
    tt_chan_free(ch);
    return r == 0 && out == 7 ? 0 : 1;
}
