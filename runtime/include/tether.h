/* tether.h — the public libtether API (contract v1, see API.md).
 *
 * Go-style tasks, channels, select, contexts, tickers, wait groups and
 * mutexes on POSIX threads, with goleak-style leak reports and Go-style
 * deadlock detection.
 *
 * Every blocking or creating call is also a macro that passes the call site
 * (__FILE__, __LINE__) to an `_at` variant, so reports name source lines.
 * The plain functions exist too: `(tt_send)(ch, &v)` or `&tt_send` work. */
#ifndef TETHER_H
#define TETHER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes. */
enum {
    TT_OK = 0,
    TT_CLOSED = -1,
    TT_TIMEOUT = -2,
    TT_CANCELED = -3,
    TT_DEFAULT = -4, /* non-blocking select: no case ready */
    TT_ENOMEM = -5
};

/* ---- Tasks (goroutines) ---------------------------------------------- */
typedef void (*tt_fn)(void *arg);
int  tt_spawn(tt_fn fn, void *arg);   /* `go fn(arg)`; TT_OK or an error */
void tt_sleep_ms(int64_t ms);

/* ---- Channels ---------------------------------------------------------- */
typedef struct tt_chan tt_chan;
tt_chan *tt_chan_new(size_t elem_size, size_t cap); /* cap 0 = unbuffered */
int    tt_send(tt_chan *ch, const void *elem);
int    tt_recv(tt_chan *ch, void *out);
void   tt_close(tt_chan *ch);
void   tt_chan_free(tt_chan *ch);
size_t tt_chan_len(tt_chan *ch);
size_t tt_chan_cap(tt_chan *ch);

/* ---- Select ------------------------------------------------------------ */
enum { TT_OP_RECV = 1, TT_OP_SEND = 2 };
typedef struct { int op; tt_chan *ch; void *elem; bool ok; } tt_case;
#ifdef __cplusplus /* C++ has no compound literals: a braced temporary */
#define TT_RECV(ch, out) (tt_case{ TT_OP_RECV, (ch), (void *)(out), false })
#define TT_SEND(ch, in)  (tt_case{ TT_OP_SEND, (ch), (void *)(in), false })
#else
#define TT_RECV(ch, out) ((tt_case){ TT_OP_RECV, (ch), (void *)(out), false })
#define TT_SEND(ch, in)  ((tt_case){ TT_OP_SEND, (ch), (void *)(in), false })
#endif
int tt_select(tt_case *cases, size_t n);         /* index of the case that ran */
int tt_select_default(tt_case *cases, size_t n); /* or TT_DEFAULT */

/* ---- Contexts ---------------------------------------------------------- */
typedef struct tt_ctx tt_ctx;
tt_ctx  *tt_ctx_background(void);
tt_ctx  *tt_ctx_with_cancel(tt_ctx *parent);
tt_ctx  *tt_ctx_with_timeout(tt_ctx *parent, int64_t ms);
void     tt_ctx_cancel(tt_ctx *ctx);
tt_chan *tt_ctx_done(tt_ctx *ctx);  /* NULL for background */
int      tt_ctx_err(tt_ctx *ctx);   /* TT_OK, TT_CANCELED or TT_TIMEOUT */

/* ---- Time -------------------------------------------------------------- */
typedef struct tt_ticker tt_ticker;
tt_ticker *tt_ticker_new(int64_t period_ms);
tt_chan   *tt_ticker_chan(tt_ticker *t);  /* receives int64_t tick times (ms) */
void       tt_ticker_stop(tt_ticker *t);
tt_chan   *tt_after(int64_t ms);          /* one int64_t value after ms */

/* ---- Wait groups (usable by value) ------------------------------------- */
typedef struct tt_wg { int64_t _count; void *_impl[3]; } tt_wg;
#define TT_WG_INIT { 0, { 0, 0, 0 } }
void tt_wg_add(tt_wg *wg, int delta);
void tt_wg_done(tt_wg *wg);
void tt_wg_wait(tt_wg *wg);

/* ---- Mutexes (usable by value) ----------------------------------------- */
typedef struct tt_mutex { int _locked; void *_impl[3]; } tt_mutex;
#define TT_MUTEX_INIT { 0, { 0, 0, 0 } }
void tt_mutex_lock(tt_mutex *mu);
void tt_mutex_unlock(tt_mutex *mu);

/* ---- Leak and deadlock checking ---------------------------------------- */
int tt_verify_none(int64_t grace_ms);

/* ---- Call-site variants (what the macros below call) ------------------- */
int      tt_spawn_at(tt_fn fn, void *arg, const char *fn_name, const char *file, int line);
void     tt_sleep_ms_at(int64_t ms, const char *file, int line);
tt_chan *tt_chan_new_at(size_t elem_size, size_t cap, const char *file, int line);
int      tt_send_at(tt_chan *ch, const void *elem, const char *file, int line);
int      tt_recv_at(tt_chan *ch, void *out, const char *file, int line);
void     tt_close_at(tt_chan *ch, const char *file, int line);
int      tt_select_at(tt_case *cases, size_t n, const char *file, int line);
int      tt_select_default_at(tt_case *cases, size_t n, const char *file, int line);
tt_ctx  *tt_ctx_with_cancel_at(tt_ctx *parent, const char *file, int line);
tt_ctx  *tt_ctx_with_timeout_at(tt_ctx *parent, int64_t ms, const char *file, int line);
tt_ticker *tt_ticker_new_at(int64_t period_ms, const char *file, int line);
tt_chan *tt_after_at(int64_t ms, const char *file, int line);
void     tt_wg_add_at(tt_wg *wg, int delta, const char *file, int line);
void     tt_wg_done_at(tt_wg *wg, const char *file, int line);
void     tt_wg_wait_at(tt_wg *wg, const char *file, int line);
void     tt_mutex_lock_at(tt_mutex *mu, const char *file, int line);
void     tt_mutex_unlock_at(tt_mutex *mu, const char *file, int line); /* extension */

#ifndef TETHER_NO_SITE_MACROS
#define tt_spawn(fn, arg)            tt_spawn_at((fn), (arg), #fn, __FILE__, __LINE__)
#define tt_sleep_ms(ms)              tt_sleep_ms_at((ms), __FILE__, __LINE__)
#define tt_chan_new(sz, cap)         tt_chan_new_at((sz), (cap), __FILE__, __LINE__)
#define tt_send(ch, elem)            tt_send_at((ch), (elem), __FILE__, __LINE__)
#define tt_recv(ch, out)             tt_recv_at((ch), (out), __FILE__, __LINE__)
#define tt_close(ch)                 tt_close_at((ch), __FILE__, __LINE__)
#define tt_select(cases, n)          tt_select_at((cases), (n), __FILE__, __LINE__)
#define tt_select_default(cases, n)  tt_select_default_at((cases), (n), __FILE__, __LINE__)
#define tt_ctx_with_cancel(p)        tt_ctx_with_cancel_at((p), __FILE__, __LINE__)
#define tt_ctx_with_timeout(p, ms)   tt_ctx_with_timeout_at((p), (ms), __FILE__, __LINE__)
#define tt_ticker_new(ms)            tt_ticker_new_at((ms), __FILE__, __LINE__)
#define tt_after(ms)                 tt_after_at((ms), __FILE__, __LINE__)
#define tt_wg_add(wg, d)             tt_wg_add_at((wg), (d), __FILE__, __LINE__)
#define tt_wg_done(wg)               tt_wg_done_at((wg), __FILE__, __LINE__)
#define tt_wg_wait(wg)               tt_wg_wait_at((wg), __FILE__, __LINE__)
#define tt_mutex_lock(mu)            tt_mutex_lock_at((mu), __FILE__, __LINE__)
#define tt_mutex_unlock(mu)          tt_mutex_unlock_at((mu), __FILE__, __LINE__)
#endif

#ifdef __cplusplus
}
#endif
#endif /* TETHER_H */
