/* wrappers.h — a project's own wrappers of the tether API, defined in
 * another file (the analyzer trusts them unless .tether.yml aliases them). */
#ifndef WRAPPERS_H
#define WRAPPERS_H
#include <tether.h>

typedef tt_chan chan;

int go(tt_fn fn, void *arg);
void nap_ms(int64_t ms);
chan *chan_make(size_t elem_size, size_t cap);
int chan_put(chan *ch, const void *elem);
int chan_get(chan *ch, void *out);
chan *timer_after(int64_t ms);
int choose(tt_case *cases, size_t n);

#endif
