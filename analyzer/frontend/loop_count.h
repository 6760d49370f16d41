/* loop_count.h — what both front ends need to give a counted loop its trip
 * count (mb_loop_trips): the arithmetic, and whether the body's text may
 * change the counter. One copy, so the two front ends cannot disagree. */
#ifndef TETHER_LOOP_COUNT_H
#define TETHER_LOOP_COUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How many times `for (i = a; i OP b; i += k)` runs its body; OP is "<",
 * "<=", ">", ">=" or "!=". False when it is not a count (the step walks
 * away from the bound, or the values are out of range). */
bool loop_count_trips(int64_t a, const char *op, int64_t b, int64_t k, int64_t *out);

/* Whether the text b[from, to) may change the variable name[0, n): assigns
 * it, increments or decrements it, or takes its address. */
bool loop_count_body_changes(const char *b, size_t from, size_t to, const char *name, size_t n);

#endif /* TETHER_LOOP_COUNT_H */
