/* values.c — the values of the model (model.h, "Values"), one function per
 * lowering rule (golden test for --dump-model; both front ends must print
 * the same): identifiers and their scopes, constants and folding, places
 * (fields, indexes, derefs, addresses, arrays), calls and assignments as
 * events with RESULTs, branch conditions of every kind, the operands of
 * every tether event, select cases, initializers, returns, atomics as
 * memory operations, and the (globals) function of initialized globals and
 * function statics. */
#include <stdbool.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <tether.h>

#define N_WORKERS 4
#define MASK (N_WORKERS * 2 - 1)

enum color { RED, GREEN = 5, BLUE };

struct inner { int a; int b; };
struct job {
    tt_chan *ch;
    tt_wg wg;
    int n;
    struct inner in;
    tt_chan *chs[3];
    union {
        int code;
        void *ptr;
    };
};
struct ops { void (*run)(void *); void *env; };

int g_count = 3;
static int s_total;
static tt_chan *g_ch = NULL;
static struct ops g_ops = { .run = NULL, .env = &s_total };
static const int g_table[] = { 1, 2, RED, BLUE };

static void worker(void *arg)
{
    struct job *j = arg;
    tt_wg_done(&j->wg);
}

static int helper(int x) { return x + 1; }
static int takes_ptr(const void *p) { return p != NULL; }

/* Identifiers: locals, parameters (with their index), globals, file
 * statics, function statics, functions, enum and #define constants. */
int identifiers(int p0, int *p1)
{
    static int calls = 0;
    int local = p0;
    local = *p1;
    local = g_count + s_total + calls;
    local = RED + GREEN + BLUE + N_WORKERS + MASK;
    local = TT_OK + TT_CLOSED + TT_DEFAULT;
    void (*fp)(void *) = worker;
    fp = &worker;
    fp = *worker;
    calls++;
    return local;
}

/* Constants: folding, chars, true/false, strings, floats, sizeof, NULL. */
double constants(int x)
{
    int a = 1 + 2 * 3 - (8 >> 1);
    int b = (1 << 4) | 3;
    int c = 10 / 3 + 10 % 3 + -5 + ~0 + !0;
    int d = 'A' + '\n';
    int e = 1 < 2 && 3 >= 3 || 0;
    int f = true + false;
    int g = 1 ? 2 : 3;
    int h = x ? 2 : 3;
    int i = 5 / 0;
    int k = (int)42 + (char)1;
    const char *s = "hello" " world";
    double dd = 2.5 * x;
    size_t sz = sizeof(int) + sizeof x;
    int arr[6];
    size_t n = sizeof arr / sizeof arr[0];
    size_t m = sizeof(arr) / sizeof(*arr);
    int *np = NULL;
    np == 0 || zp != NULL)
        return dd;
    return a + b + c + d + e + f + g + h + i + k + (int)sz + (int)n + (int)m + (s != 0) + (vp == 0);
}

/* Places: fields with -> and ., nested fields, indexes, arrays, derefs,
 * addresses, anonymous union members, compound assignments, ++ and --. */
void places(struct job *j, struct job v, int idx)
{
    j->n = v.n;
    j->in.a = v.in.b;
    j->chs[idx] = j->chs[2];
    v.chs[0] = *&j->ch;
    j->code = 7;
    v.ptr = &j->in;
    int grid[2][3];
    grid[1][idx] = grid[0][1];
    int *p = &grid[0][0];
    *p = 1;
    p[1] = *(p + 2);
    j->n += 2;
    j->n -= idx;
    j->n *= 3;
    j->n <<= 1;
    j->n |= 4;
    idx++;
    idx--;
    ++idx;
    --j->n;
    int post = idx++;
    int pre = ++idx;
    int chain = post = pre = 9;
    *p += chain;
}

/* Calls: direct, through a field and a variable, nested, as values, as
 * arguments; a function pointer's deref; printf-like calls; noreturn. */
int calls(struct ops *o, int (*cb)(int), int x)
{
    o->run(o->env);
    int r = cb(helper(x));
    r = (*cb)(r) + helper(helper(2));
    (helper)(r);
    (&helper)(r);
    if (r < 0)
        abort();
    if (r > 100)
        exit(r - 100);
    fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, __func__);
    r += takes_ptr(0) + takes_ptr(NULL);
    return helper(r) * 2;
}

/* Conditions of if, while, for, do, switch (with default), and the blocks
 * that ?:, && and || build around events. */
int branches(int a, int b, tt_chan *ch)
{
    int v = 0;
    if (a > b)
        v = 1;
    else if (!a)
        v = 2;
    while (v < 10)
        v += a;
    for (int i = 0; i < b; i++)
        v -= i;
    do {
        v--;
    } while (v > a && v != 3);
    switch (v & 3) {
    case 0:
        v = 10;
        break;
    case GREEN:
        v = 11;
        /* fallthrough */
    default:
        v = 12;
    }
    if (a && tt_recv(ch, &v) == TT_OK)
        v++;
    if (b || helper(a))
        v++;
    int w = a ? helper(b) : b - 1;
    w = a ? b : helper(a);
    w = (a, b);
    w = a ?: b;
    w = a ?: helper(b);
    while (tt_recv(ch, &w) != TT_CLOSED && w)
        v += w;
    for (;;)
        if (v-- < 0)
            break;
    return v ? w : 0;
}

/* The operands of every tether event, and API values in expressions. */
void events(struct job *j, tt_ctx *parent, int n)
{
    tt_chan *ch = tt_chan_new(sizeof(int), N_WORKERS);
    jint *zp = 0;
    void *vp = (void *)0;
    if (np == 0 || zp != NULL)
        return dd;
    return a + b + c + d + e + f + g + h + i + k + (int)sz + (int)n + (int)m + (s != 0) + (vp == 0);
}

/* Places: fields with -> and ., nested fields, indexes, arrays, derefs,
 * addresses, anonymous union members, compound assignments, ++ and --. */
void places(struct job *j, struct job v, int idx)
{
    j->n = v.n;
    j->in.a = v.in.b;
    j->chs[idx] = j->chs[2];
    v.chs[0] = *&j->ch;
    j->code = 7;
    v.ptr = &j->in;
    int grid[2][3];
    grid[1][idx] = grid[0][1];
    int *p = &grid[0][0];
    *p = 1;
    p[1] = *(p + 2);
    j->n += 2;
    j->n -= idx;
    j->n *= 3;
    j->n <<= 1;
    j->n |= 4;
    idx++;
    idx--;
    ++idx;
    --j->n;
    int post = idx++;
    int pre = ++idx;
    int chain = post = pre = 9;
    *p += chain;
}

/* Calls: direct, through a field and a variable, nested, as values, as
 * arguments; a function pointer's deref; printf-like calls; noreturn. */
int calls(struct ops *o, int (*cb)(int), int x)
{
    o->run(o->env);
    int r = cb(helper(x));
    r = (*cb)(r) + helper(helper(2));
    (helper)(r);
    (&helper)(r);
    if (r < 0)
        abort();
    if (r > 100)
        exit(r - 100);
    fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, __func__);
    r += takes_ptr(0) + takes_ptr(NULL);
    return helper(r) * 2;
}

/* Conditions of if, while, for, do, switch (with default), and the blocks
 * that ?:, && and || build around events. */
int branches(int a, int b, tt_chan *ch)
{
    int v = 0;
    if (a > b)
        v = 1;
    else if (!a)
        v = 2;
    while (v < 10)
        v += a;
    for (int i = 0; i < b; i++)
        v -= i;
    do {
        v--;
    } while (v > a && v != 3);
    switch (v & 3) {
    case 0:
        v = 10;
        break;
    case GREEN:
        v = 11;
        /* fallthrough */
    default:
        v = 12;
    }
    if (a && tt_recv(ch, &v) == TT_OK)
        v++;
    if (b || helper(a))
        v++;
    int w = a ? helper(b) : b - 1;
    w = a ? b : helper(a);
    w = (a, b);
    w = a ?: b;
    w = a ?: helper(b);
    while (tt_recv(ch, &w) != TT_CLOSED && w)
        v += w;
    for (;;)
        if (v-- < 0)
            break;
    return v ? w : 0;
}

/* The operands of every tether event, and API values in expressions. */
void events(struct job *j, tt_ctx *parent, int n)
{
    tt_chan *ch = tt_chan_new(sizeof(int), N_WORKERS);
    j->ch = tt_chan_new(sizeof(int), 0);
    tt_wg_add(&j->wg, 2);
    tt_spawn(worker, j);
    tt_spawn((tt_fn)worker, (void *)j);
    int v = n;
    tt_send(ch, &v);
    int rc = tt_recv(j->ch, &v);
    size_t len = tt_chan_len(ch) + tt_chan_cap(j->ch);
    tt_ctx *ctx = tt_ctx_with_cancel(parent);
    tt_ctx *tctx = tt_ctx_with_timeout(tt_ctx_background(), 10 * n);
    tt_ticker *t = tt_ticker_new(5);
    tt_chan *done = tt_ctx_done(ctx);
    tt_chan *tick = tt_ticker_chan(t);
    tt_chan *late = tt_after(100);
    tt_sleep_ms(len + rc);
    tt_ticker_stop(t);
    int err = tt_ctx_err(tctx);
    tt_ctx_cancel(ctx);
    tt_ctx_cancel(tctx);
    tt_close(ch);
    tt_chan_free(ch);
    tt_wg_wait(&j->wg);
    tt_mutex mu = TT_MUTEX_INIT;
    tt_mutex_lock(&mu);
    tt_mutex_unlock(&mu);
    tt_verify_none(err);
    (void)done;
    (void)tick;
    (void)late;
}

/* Select: case arrays from initializers and element stores, compound
 * literals, tt_select_default, cases' channels and elements as values. */
int selects(struct job *j, tt_ctx *ctx)
{
    int v, w;
    tt_case cs[] = { TT_RECV(j->ch, &v), TT_SEND(j->chs[1], &w), TT_RECV(tt_ctx_done(ctx), NULL) };
    int r = tt_select(cs, 3);
    tt_case two[2];
    two[0] = TT_RECV(j->chs[0], &v);
    two[1] = TT_SEND(tt_after(5), &w);
    switch (tt_select_default(two, 2)) {
    case 0:
        r++;
        break;
    case TT_DEFAULT:
        r--;
        break;
    }
    r += tt_select((tt_case[]){ TT_RECV(j->ch, NULL) }, 1);
    return r;
}

/* Initializers: designated and positional, nested, arrays, compound
 * literals, {0}, {}, TT_WG_INIT. */
void inits(tt_chan *c, int k)
{
    struct job a = { .ch = c, .n = k, .in = { 1, 2 } };
    struct job b = { c, TT_WG_INIT, 3, { .b = 4 } };
    struct job z = { 0 };
    struct inner e = {};
    struct inner ins[] = { [1] = { .a = 1 }, { 2, 3 } };
    int nums[4] = { 1, [2] = k, 5 };
    struct ops o = { .run = worker, .env = &a };
    struct inner *ip = &(struct inner){ .b = k };
    tt_wg wg = TT_WG_INIT;
    struct job w = { .wg = TT_WG_INIT, .in.a = 9, .chs[1] = c };
    char name[] = "job";
    void *ptrs[2] = { NULL };
    bool flags[2] = { false };
    tt_spawn(worker, (&(struct job){ .ch = c, .n = 1 }));
    (void)b; (void)z; (void)e; (void)ins; (void)nums; (void)o; (void)ip; (void)wg; (void)w; (void)name; (void)ptrs; (void)flags;
}

/* Returns: a value, a creation, a RESULT of a call, nothing. */
tt_chan *returns(int k)
{
    if (k < 0)
        return 0;
    if (k == 0)
        return NULL;
    if (k == 1)
        return g_ch;
    if (k == 2)
        return tt_chan_new(sizeof(int), 1);
    return k > 3 ? g_c(!a)
        v = 2;
    while (v < 10)
        v += a;
    for (int i = 0; i < b; i++)
        v -= i;
    do {
        v--;
    } while (v > a && v != 3);
    switch (v & 3) {
    case 0:
        v = 10;
        break;
    case GREEN:
        v = 11;
        /* fallthrough */
    default:
        v = 12;
    }
    if (a && tt_recv(ch, &v) == TT_OK)
        v++;
    if (b || helper(a))
        v++;
    int w = a ? helper(b) : b - 1;
    w = a ? b : helper(a);
    w = (a, b);
    w = a ?: b;
    w = a ?: helper(b);
    while (tt_recv(ch, &w) != TT_CLOSED && w)
        v += w;
    for (;;)
        if (v-- < 0)
            break;
    return v ? w : 0;
}

/* The operands of every tether event, and API values in expressions. */
void events(structc_load_n(&c->plain, __ATOMIC_ACQUIRE);
}
