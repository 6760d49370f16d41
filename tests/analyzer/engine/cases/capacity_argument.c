/* The capacity arrives as an argument: the channel made with 1 takes its one
 * value; the one made with 0 leaves its sender blocked once the owner is gone. */
#include <tether.h>

static void send_one(void *arg)
{
    int v = 1;
    tt_send(arg, &v); // engine: BLOCKED
}

static void fire_and_forget(size_t cap)
{
    tt_chan *ch = tt_chan_new(sizeof(int), cap);
    tt_spawn(send_one, ch);
}

int main(void)
{
    fire_and_forget(1);
    fire_and_forget(0);
    return 0;
}
