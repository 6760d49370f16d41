/* select_cases.c — branches on which case a tt_select chose (golden test
 * for --dump-model): CASE_TEST events before an if or a switch that tests
 * the select's result, on the call or on a variable holding it, and the
 * labels of the switch's case blocks. Negative forms make no CASE_TEST. */
#include <stdio.h>
#include <tether.h>

enum { PICK_IN, PICK_QUIT };
#define PICK_OUT 1

/* ==, !=, !, reversed and bare tests written on the call */
void on_call(tt_chan *in, tt_chan *quit)
{
    int v = 0;
    tt_case cs[] = { TT_RECV(in, &v), TT_RECV(quit, NULL) };
    if (tt_select(cs, 2) == 1)
        return;
    if (tt_select(cs, 2) != 0)
        puts("not in");
    if (!tt_select(cs, 2))
        puts("in");
    if (PICK_QUIT == tt_select(cs, 2))
        puts("quit");
    if ((tt_select(cs, 2)))
        puts("not in, bare");
    if (!(tt_select(cs, 2) == PICK_OUT))
        puts("not quit");
}

/* a variable holding the result, tested later; other stores cancel it */
void on_var(tt_chan *in, tt_chan *quit)
{
    int v = 0;
    tt_case first[] = { TT_RECV(in, &v), TT_RECV(quit, NULL) };
    int r = tt_select(first, 2);
    puts("between");
    if (r == 0)
        puts("in");
    tt_case cs[2] = { TT_RECV(in, &v), TT_RECV(quit, NULL) };
    r = tt_select(cs, 2);
    if (r != PICK_IN)
        return;
    if (!r)
        puts("in again");
    r = v;
    if (r == 1) /* r was reassigned: no CASE_TEST */
        puts("v is 1");
    int s = tt_select(cs, 2);
    s++;
    if (s == 1) /* s was updated: no CASE_TEST */
        puts("s is 1");
    int t;
    if ((t = tt_select(cs, 2)) == 1)
        puts("assigned in the condition");
    if (t == 0)
        puts("t still holds it");
}

/* switch on the call and on a variable: default and fallthrough labels */
int on_switch(tt_chan *in, tt_chan *quit, tt_chan *out)
{
    int v = 0, n = 0;
    tt_case cs[3] = { TT_RECV(in, &v), TT_RECV(quit, NULL), TT_SEND(out, &v) };
    switch (tt_select(cs, 3)) {
    case PICK_IN:
        n++;
        break;
    case PICK_QUIT:
        return -1;
    default:
        break;
    }
    int r = tt_select(cs, 3);
    switch (r) {
    case 0:
    case 1:
        n += 2;
        /* fall through */
    case 2:
        tt_send(out, &n);
        break;
    }
    switch (n) { /* not a select: labels only */
    case 'a':
        n = 0;
        break;
    default:
        break;
    }
    return n;
}

/* tt_select_default compared with TT_DEFAULT */
int poll_once(tt_chan *in)
{
    int v = 0;
    tt_case cs[] = { TT_RECV(in, &v) };
    if (tt_select_default(cs, 1) == TT_DEFAULT)
        return 0;
    int r = tt_select_default(cs, 1);
    if (r != TT_DEFAULT)
        return v;
    switch (tt_select_default(cs, 1)) {
    case TT_DEFAULT:
        return -1;
    case 0:
        return v;
    }
    return 1;
}

/* selects inside loops */
int loops(tt_chan *work, tt_chan *done)
{
    int misses, v = 0;
    for (misses = 0; misses < 3;) {
        tt_case c[] = { TT_RECV(work, &v), TT_RECV(tt_after(10), NULL) };
        if (tt_select(c, 2) == 1)
            misses++;
        else
            break;
    }
    for (;;) {
        tt_case c[] = { TT_RECV(work, &v), TT_RECV(done, NULL) };
        int r = tt_select(c, 2);
        if (r == 1)
            break;
    }
    return misses;
}

/* negative cases: no CASE_TEST */
void negative(tt_chan *in, int k, int x)
{
    int v = 0;
    tt_case cs[] = { TT_RECV(in, &v) };
    if (tt_select(cs, 1) == k)
        puts("non-constant");
    if (tt_select(cs, 1) == 0 && x)
        puts("more than the comparison");
    if (tt_select(cs, 1) < 1)
        puts("not == or !=");
    if (tt_select(cs, 1) == -1)
        puts("no select returns -1");
    int r = tt_select(cs, 1);
    r += x;
    if (r == 0)
        puts("r was changed");
    switch (x) {
    case 0:
        tt_recv(in, &v);
        break;
    }
}
