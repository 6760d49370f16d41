/* A ticker made inside an expression and never stored still ticks: nobody
 * can stop it. */
#include <tether.h>

int main(void)
{
    int64_t t;
    tt_recv(tt_ticker_chan(tt_ticker_new(1)), &t); // engine: TICKER_LEAK
    return 0;
}
