/* cfg.c — the control-flow shapes (golden test for --dump-model). */
#include <stdbool.h>
#include <tether.h>

_Noreturn void fatal(const char *msg);

void loops(tt_chan *ch, tt_chan *done, int n)
{
    int v;
    while (tt_recv(ch, &v) == TT_OK) {
        if (v < 0)
            break;
        if (v == 0)
            continue;
    }
    for (int i = 0; i < n; i++)
        tt_send(ch, &i);
    for (;;) {
        tt_case cs[2];
        cs[0] = TT_RECV(ch, &v);
        cs[1] = TT_RECV(done, NULL);
        if (tt_select(cs, 2) == 1)
            return;
    }
}

void more(tt_chan *ch, int n)
{
    int v = 0;
    do {
        tt_send(ch, &v);
    } while (1);
    while (true)
        tt_sleep_ms(1);
    for (; n > 0;)
        n--;
}

int sw(tt_chan *ch, int n)
{
    int v = 0;
    switch (n) {
    case 0:
        tt_close(ch);
        break;
    case 1:
    case 2:
        tt_send(ch, &v);
        /* fall through */
    default:
        tt_recv(ch, &v);
    }
    if (n > 3)
        goto out;
    else if (n < -3)
        fatal("negative");
    int r = tt_select_default(((tt_case[]){ TT_SEND(ch, &v), TT_RECV(tt_after(5), NULL) }), 2);
    (void)r;
out:
    return v;
}
