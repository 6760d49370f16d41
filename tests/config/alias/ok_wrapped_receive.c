/* The fixed shape of leak_wrapped_no_tt.c: the owner receives the value. */
#include "wrappers.h"

static void send_answer(void *arg)
{
    chan *ch = arg;
    int v = 42;
    chan_put(ch, &v);
}

static int fixed(void)
{
    chan *ch = chan_make(sizeof(int), 0);
    go(send_answer, ch);
    int v = 0;
    chan_get(ch, &v);
    return v;
}

int main(void)
{
    return fixed() != 42;
}
