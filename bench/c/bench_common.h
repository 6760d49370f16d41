/* bench_common.h — clock, argument parsing and result printing shared by the
 * C benchmark programs (tether_bench.c and pthread_bench.c). */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Stack size of one task thread. Must equal libtether's default task stack
 * (runtime/README.md) so the pthread floor pays the same per-thread cost. */
static const size_t bench_task_stack = 256 * 1024;

/* The element type of every channel in every workload, in C and in Go. */
typedef int64_t bench_elem;

static inline uint64_t bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline void bench_sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0) {
    }
}

__attribute__((format(printf, 1, 2), noreturn))
static inline void bench_die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("bench: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

/* One result line, `key=value`, read by the bench/runtime driver. */
static inline void bench_report(const char *key, double value)
{
    printf("%s=%.3f\n", key, value);
    fflush(stdout);
}

/* argv[i] as a positive count, or `dflt` when absent. */
static inline long bench_arg(int argc, char **argv, int i, long dflt)
{
    if (i >= argc)
        return dflt;
    char *end;
    long v = strtol(argv[i], &end, 10);
    if (*end != '\0' || v <= 0)
        bench_die("bad count '%s'", argv[i]);
    return v;
}

/* Sum of 0..n-1: what a consumer of one producer must have seen. */
static inline int64_t bench_expected_sum(long n)
{
    return (int64_t)n * (int64_t)(n - 1) / 2;
}

#endif /* BENCH_COMMON_H */
