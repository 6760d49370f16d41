/* ticker-not-stopped: an early return in a one-statement if body skips the stop. The fix stops the ticker there, in braces it adds. */
#include <stdio.h>
#include <tether.h>

static int sample(int n)
{
    tt_ticker *t = tt_ticker_new(5);
    if (n <= 0) {
        tt_ticker_stop(t);
        return -1; /* bad count */
    }
    for (int i = 0; i < n; i++)
        tt_recv(tt_ticker_chan(t), NULL);
    tt_ticker_stop(t);
    return 0;
}

int main(void)
{
    printf("%d\n", sample(0));
    return 0;
}
