/* branches.c — conditional evaluation inside expressions (golden test for
 * --dump-model): `?:`, `&&` and `||` become branches only when an arm
 * holds an event; assert(x) models x alone, never its failure arm. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <tether.h>

int pick(tt_chan *a, tt_chan *b, int which)
{
    int v = 0;
    assert(a != NULL);
    assert(which >= 0 && tt_recv(b, &v) == TT_OK);
    int r = which ? tt_recv(a, &v) : 0;
    if (which > 1 && tt_send(a, &v) == TT_OK)
        return r;
    (void)(which || tt_send(b, &v) == TT_OK);
    int plain = which > 2 ? which : -which; /* no event: no blocks */
    which > 5 ? exit(1) : (void)0;
    printf("%d %d\n", plain, which ? 1 : 2);
    return which ? tt_recv(a, &v) : tt_recv(b, &v);
}

void drain(tt_chan *a, int w)
{
    int v;
    while (w ? tt_recv(a, &v) == TT_OK : w < 0 && tt_recv(a, &v) == TT_OK)
        w--;
}
