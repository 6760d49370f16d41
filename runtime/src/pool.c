/* pool.c — type-stable object pools with a quarantine: a released object is
 * reused only once it has been released long enough (or the quarantine is
 * full) and nothing waits on it, so stale pointers stay memory-safe. */
#include "rt.h"

static const int64_t QUARANTINE_MS = 1000;
static const size_t QUARANTINE_MAX = 8192;

rt_pooled *rt_pool_get(rt_pool *p)
{
    pthread_mutex_lock(&p->mu);
    rt_pooled *o = p->head;
    int64_t now = rt_now_ms();
    if (!o || (now - o->released_ms < QUARANTINE_MS && p->n <= QUARANTINE_MAX)) {
        pthread_mutex_unlock(&p->mu);
        return NULL;
    }
    p->head = o->pool_next;
    if (!p->head)
        p->tail = NULL;
    p->n--;
    pthread_mutex_unlock(&p->mu);
    if (p->busy && p->busy(o)) {
        /* A task still waits on it (a stopped ticker's channel): keep it. */
        rt_pool_put(p, o);
        return NULL;
    }
    return o;
}

void rt_pool_put(rt_pool *p, rt_pooled *o)
{
    o->pool_next = NULL;
    o->released_ms = rt_now_ms();
    pthread_mutex_lock(&p->mu);
    if (p->tail)
        p->tail->pool_next = o;
    else
        p->head = o;
    p->tail = o;
    p->n++;
    pthread_mutex_unlock(&p->mu);
}

void *rt_handle_alloc(size_t size)
{
    void *p = rt_xcalloc(1, size);
#if UINTPTR_MAX > 0xFFFFFFFFu
    if ((uintptr_t)p & ~RT_ADDR_MASK)
        rt_fatal("object at %p: addresses beyond 48 bits are not supported", p);
#endif
    return p;
}
