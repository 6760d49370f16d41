/* leak_handler_timeout.c's leak behind the project's wrappers: the handler
 * gives up after a timeout; the worker's send then blocks forever. */
#include "wrappers.h"

struct query {
    chan *result;
};

static void query_database(void *arg)
{
    struct query *q = arg;
    int data = 7;
    nap_ms(100);
    chan_put(q->result, &data);
}

static int handler(void)
{
    static struct query q;
    int data = 0;
    q.result = chan_make(sizeof(int), 0);
    go(query_database, &q);
    tt_case cases[] = {
        TT_RECV(q.result, &data),
        TT_RECV(timer_after(10), NULL),
    };
    if (choose(cases, 2) == 0)
        return data;
    return -1;
}

int main(void)
{
    return handler() < 0;
}
