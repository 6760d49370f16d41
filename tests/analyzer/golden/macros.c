/* macros.c — what only the clang front end sees, inside function-like
 * macros (golden test for --dump-model): NULL tests, loops and creations
 * written in a macro's body. tree-sitter does not expand macros, so this
 * golden is clang's alone. */
// parity: clang-only "tether calls, NULL tests and loops inside function-like macros: only clang expands macros"
#include <stddef.h>
#include <tether.h>

#define RELEASE_TICKER(t) do { if (t) { tt_ticker_stop(t); (t) = NULL; } } while (0)
#define CLOSE_IF_SET(c) do { if ((c) != NULL) tt_close(c); } while (0)
#define BAIL_IF_NULL(p) if (!(p)) return -1
#define IS_NULL(p) ((p) == NULL)
#define MAKE_CHAN(n) tt_chan_new(sizeof(int), (n))

int release(tt_ticker *tick, tt_chan *ch)
{
    BAIL_IF_NULL(tick);
    RELEASE_TICKER(tick);
    CLOSE_IF_SET(ch);
    if (IS_NULL(ch))
        return 1;
    if (!IS_NULL(ch))
        tt_chan_free(ch);
    tt_chan *c = MAKE_CHAN(2);
    tt_close(c);
    return 0;
}
