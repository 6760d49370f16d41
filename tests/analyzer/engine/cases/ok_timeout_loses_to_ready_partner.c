/* A select with a timeout whose partner is already waiting: time does not
 * pass while a task can go on at once, so the timeout does not win and the
 * partner is not left behind (a sleeping partner does lose: see
 * private_spinner_beside_requests.c). */
#include <tether.h>

static void reply(void *arg)
{
    int v = 1;
    tt_send(arg, &v);
}

int main(void)
{
    tt_chan *ch = tt_chan_new(sizeof(int), 0);
    tt_spawn(reply, ch);
    int v;
    tt_case cs[] = { TT_RECV(ch, &v), TT_RECV(tt_after(100), NULL) };
    tt_select(cs, 2);
    return 0;
}
