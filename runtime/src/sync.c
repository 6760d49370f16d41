/* sync.c — wait groups and mutexes usable by value: their fields are guarded
 * by a lock chosen by address from a small striped table. */
#include "rt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { NSTRIPES = 64 };
static pthread_mutex_t stripes[NSTRIPES];
static pthread_once_t stripes_once = PTHREAD_ONCE_INIT;

static void stripes_init(void)
{
    for (int i = 0; i < NSTRIPES; i++)
        pthread_mutex_init(&stripes[i], NULL);
}

static pthread_mutex_t *stripe(const void *p)
{
    pthread_once(&stripes_once, stripes_init);
    uintptr_t a = (uintptr_t)p;
    return &stripes[(a >> 4 ^ a >> 10) % NSTRIPES];
}

/* The by-value structs keep pointers in void* slots; these read and write
 * them atomically so reports may peek without the stripe lock. */
static void *slot_get(void *const *s) { return __atomic_load_n(s, __ATOMIC_RELAXED); }
static void slot_set(void **s, void *v) { __atomic_store_n(s, v, __ATOMIC_RELAXED); }

/* ---- wait groups: _impl = { waiters (a stack), last add file, line } ------ */
static void wg_add(tt_wg *wg, int delta, const char *op, const char *file, int line)
{
    (void)rt_self();
    pthread_mutex_t *mu = stripe(wg);
    pthread_mutex_lock(mu);
    int64_t v = wg->_count + delta;
    if (v < 0) {
        pthread_mutex_unlock(mu);
        char at[160];
        char call[48];
        if (strcmp(op, "tt_wg_done") == 0)
            snprintf(call, sizeof call, "%s", op);
        else
            snprintf(call, sizeof call, "%s(%d)", op, delta);
        rt_report("negative wait group counter at %s (%s made it %lld)", rt_site(at, sizeof at, file, line), call,
                  (long long)v);
        abort();
    }
    __atomic_store_n(&wg->_count, v, __ATOMIC_RELAXED);
    if (delta > 0) {
        slot_set(&wg->_impl[1], (void *)file);
        slot_set(&wg->_impl[2], (void *)(intptr_t)line);
    }
    if (v == 0) {
        rt_waiter *w = slot_get(&wg->_impl[0]);
        slot_set(&wg->_impl[0], NULL);
        while (w) {
            rt_waiter *next = w->next;
            rt_claim(w->task);
            w->ok = true;
            rt_wake(w->task);
            w = next;
        }
    }
    pthread_mutex_unlock(mu);
}

void tt_wg_add_at(tt_wg *wg, int delta, const char *file, int line)
{
    wg_add(wg, delta, "tt_wg_add", file, line);
}

void tt_wg_done_at(tt_wg *wg, const char *file, int line)
{
    wg_add(wg, -1, "tt_wg_done", file, line);
}

void tt_wg_wait_at(tt_wg *wg, const char *file, int line)
{
    rt_task *t = rt_self();
    pthread_mutex_t *mu = stripe(wg);
    pthread_mutex_lock(mu);
    if (wg->_count == 0) {
        pthread_mutex_unlock(mu);
        return;
    }
    rt_waiter me = { .task = t };
    rt_park_prepare(t);
    me.next = slot_get(&wg->_impl[0]);
    slot_set(&wg->_impl[0], &me);
    rt_block b = { RT_BLK_WG, "tt_wg_wait", file, line, wg, NULL, 0 };
    rt_block_set(t, &b);
    pthread_mutex_unlock(mu);
    rt_park(t);
    rt_block_clear(t);
}

void(tt_wg_add)(tt_wg *wg, int delta) { tt_wg_add_at(wg, delta, NULL, 0); }
void(tt_wg_done)(tt_wg *wg) { tt_wg_done_at(wg, NULL, 0); }
void(tt_wg_wait)(tt_wg *wg) { tt_wg_wait_at(wg, NULL, 0); }

void rt_wg_describe(const tt_wg *wg, char *buf, size_t n)
{
    char at[160];
    const char *file = slot_get(&wg->_impl[1]);
    int line = (int)(intptr_t)slot_get(&wg->_impl[2]);
    snprintf(buf, n, "wait group %p (counter %lld, last tt_wg_add at %s)", (const void *)wg,
             (long long)__atomic_load_n(&wg->_count, __ATOMIC_RELAXED),
             file || line ? rt_site(at, sizeof at, file, line) : "none");
}

/* ---- mutexes: _impl = { first waiter, last waiter, holder task } --------- */
void tt_mutex_lock_at(tt_mutex *mu, const char *file, int line)
{
    rt_task *t = rt_self();
    pthread_mutex_t *s = stripe(mu);
    pthread_mutex_lock(s);
    if (!mu->_locked) {
        mu->_locked = 1;
        slot_set(&mu->_impl[2], t);
        pthread_mutex_unlock(s);
        return;
    }
    rt_waiter me = { .task = t };
    rt_park_prepare(t);
    rt_waiter *tail = slot_get(&mu->_impl[1]);
    if (tail)
        tail->next = &me;
    else
        slot_set(&mu->_impl[0], &me);
    slot_set(&mu->_impl[1], &me);
    rt_block b = { RT_BLK_MUTEX, "tt_mutex_lock", file, line, mu, NULL, 0 };
    rt_block_set(t, &b);
    pthread_mutex_unlock(s);
    rt_park(t); /* ownership is handed to us by the unlocker */
    rt_block_clear(t);
}

void(tt_mutex_lock)(tt_mutex *mu) { tt_mutex_lock_at(mu, NULL, 0); }
void(tt_mutex_unlock)(tt_mutex *mu) { tt_mutex_unlock_at(mu, NULL, 0); }

void tt_mutex_unlock_at(tt_mutex *mu, const char *file, int line)
{
    pthread_mutex_t *s = stripe(mu);
    pthread_mutex_lock(s);
    if (!mu->_locked) {
        pthread_mutex_unlock(s);
        char at[256];
        rt_fatal("tt_mutex_unlock of an unlocked mutex %p at %s", (void *)mu,
                 rt_site(at, sizeof at, file, line));
    }
    rt_waiter *w = slot_get(&mu->_impl[0]);
    if (w) {
        slot_set(&mu->_impl[0], w->next);
        if (!w->next)
            slot_set(&mu->_impl[1], NULL);
        slot_set(&mu->_impl[2], w->task);
        rt_claim(w->task);
        rt_wake(w->task);
    } else {
        mu->_locked = 0;
        slot_set(&mu->_impl[2], NULL);
    }
    pthread_mutex_unlock(s);
}

void rt_mutex_describe(const tt_mutex *mu, char *buf, size_t n)
{
    const rt_task *h = slot_get(&mu->_impl[2]);
    if (h)
        snprintf(buf, n, "mutex %p held by task %llu (%s)", (const void *)mu, (unsigned long long)h->id, h->fn_name);
    else
        snprintf(buf, n, "mutex %p", (const void *)mu);
}
