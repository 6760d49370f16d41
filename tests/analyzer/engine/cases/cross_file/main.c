/* main.c and pool.c are one program: the pool's task, started in the other
 * file, waits for work that main never sends. */
#include <tether.h>

tt_chan *pool_start(void);

int main(void)
{
    tt_chan *work = pool_start();
    (void)work;
    return 0;
}
