/* test_report.c — leak reports (tt_verify_none, TETHER_VERIFY=1) and the
 * deadlock detector, checked on child processes built from rt_helper.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rt_util.h"
#include "tether.h"

/* Assert that text contains the formatted string. */
__attribute__((format(printf, 2, 3))) static void assert_has(const char *text, const char *fmt, ...)
{
    char want[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(want, sizeof want, fmt, ap);
    va_end(ap);
    if (!strstr(text, want))
        fail_msg("missing \"%s\" in:\n%s", want, text);
}

static size_t count_of(const char *text, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void test_leak_report_names_lines(void **state)
{
    (void)state;
    helper_run r = run_helper("leaks", NULL);
    assert_true(exited_with(&r, 0));
    const char *o = r.out, *e = r.err;
    assert_int_equal(field(o, "count"), 8);
    /* Task blocked in tt_recv: function, spawn line, blocked line, channel. */
    assert_has(e, "tether: leaked task %d: leak_recv, spawned at ", 2);
    assert_has(e, RT_HELPER_SRC ":%ld\n    blocked in tt_recv at ", field(o, "spawn_recv"));
    assert_has(e, RT_HELPER_SRC ":%ld\n        on channel created at ", field(o, "recv"));
    assert_has(e, RT_HELPER_SRC ":%ld (unbuffered)\n", field(o, "chan"));
    /* Task blocked in tt_select, one line per case. */
    assert_has(e, RT_HELPER_SRC ":%ld\n    blocked in tt_select at ", field(o, "spawn_select"));
    assert_has(e, RT_HELPER_SRC ":%ld\n        case 0: receive from channel created at ", field(o, "select"));
    assert_has(e, RT_HELPER_SRC ":%ld (buffered, cap 4)\n        case 1: receive from nil channel", field(o, "bchan"));
    /* Wait group: the blocked task and the wait group itself. */
    assert_has(e, "blocked in tt_wg_wait at %s:%ld", RT_HELPER_SRC, field(o, "wg_wait"));
    assert_has(e, "tether: leaked wait group: wait group ");
    assert_has(e, "(counter 1, last tt_wg_add at %s:%ld), waited on forever by task", RT_HELPER_SRC, field(o, "wg_add"));
    /* The ticker never stopped, and the task left on a stopped ticker. */
    assert_has(e, "tether: leaked ticker: created at %s:%ld (period 1000 ms), never stopped", RT_HELPER_SRC,
               field(o, "ticker"));
    assert_int_equal(count_of(e, "tether: leaked ticker:"), 1);
    assert_has(e, "stopped: it will never tick again");
    /* Contexts never canceled, the expired one included (lostcancel). */
    assert_has(e, "tether: leaked context: context created by tt_ctx_with_cancel at %s:%ld, never canceled\n",
               RT_HELPER_SRC, field(o, "ctx"));
    assert_has(e, "tether: leaked context: context created by tt_ctx_with_timeout(1) at %s:%ld, never canceled (it "
                  "expired on its own",
               RT_HELPER_SRC, field(o, "tctx"));
    assert_int_equal(count_of(e, "tether: leaked context:"), 2);
    assert_has(e, "tether: tt_verify_none: 8 leaks found");
    helper_free(&r);
}

static void test_clean_program_reports_nothing(void **state)
{
    (void)state;
    helper_run r = run_helper("clean", NULL);
    assert_true(exited_with(&r, 0));
    assert_int_equal(field(r.out, "count"), 0);
    assert_string_equal(r.err, "");
    helper_free(&r);
}

static void test_verify_env_exit_status(void **state)
{
    (void)state;
    const char *env[] = { "TETHER_VERIFY=1", "TETHER_VERIFY_GRACE_MS=50", NULL };
    helper_run r = run_helper("verify-leak", env);
    assert_true(exited_with(&r, 3));
    assert_has(r.err, "blocked in tt_recv at %s:%ld", RT_HELPER_SRC, field(r.out, "recv"));
    helper_free(&r);
    /* Without the variable the same program exits normally and silently. */
    r = run_helper("verify-leak", NULL);
    assert_true(exited_with(&r, 0));
    assert_string_equal(r.err, "");
    helper_free(&r);
    /* A clean program still exits 0 with the check on. */
    r = run_helper("clean", env);
    assert_true(exited_with(&r, 0));
    assert_string_equal(r.err, "");
    helper_free(&r);
}

static void test_deadlock_two_tasks(void **state)
{
    (void)state;
    helper_run r = run_helper("deadlock-two", NULL);
    assert_true(exited_with(&r, 2));
    assert_has(r.err, "all tasks are asleep - deadlock!\n");
    assert_has(r.err, "tether: task 1: main\n    blocked in tt_recv at %s:%ld", RT_HELPER_SRC, field(r.out, "main"));
    assert_has(r.err, "dl_worker, spawned at %s:%ld\n    blocked in tt_send at %s:%ld", RT_HELPER_SRC,
               field(r.out, "spawn"), RT_HELPER_SRC, field(r.out, "worker"));
    helper_free(&r);
}

static void test_deadlock_wait_group(void **state)
{
    (void)state;
    helper_run r = run_helper("deadlock-wg", NULL);
    assert_true(exited_with(&r, 2));
    assert_has(r.err, "all tasks are asleep - deadlock!");
    assert_has(r.err, "blocked in tt_wg_wait at %s:%ld", RT_HELPER_SRC, field(r.out, "wait"));
    helper_free(&r);
}

static void test_deadlock_empty_select(void **state)
{
    (void)state;
    helper_run r = run_helper("deadlock-select-nil", NULL);
    assert_true(exited_with(&r, 2));
    assert_has(r.err, "blocked in tt_select at %s:%ld\n        on an empty select", RT_HELPER_SRC,
               field(r.out, "select"));
    helper_free(&r);
}

static void test_deadlock_mutex(void **state)
{
    (void)state;
    helper_run r = run_helper("deadlock-mutex", NULL);
    assert_true(exited_with(&r, 2));
    assert_has(r.err, "blocked in tt_mutex_lock at %s:%ld\n        on mutex ", RT_HELPER_SRC, field(r.out, "lock"));
    assert_has(r.err, "held by task 1 (main)");
    helper_free(&r);
}

static void test_no_deadlock_while_a_timer_can_wake(void **state)
{
    (void)state;
    helper_run r = run_helper("quiet-timers", NULL);
    assert_true(exited_with(&r, 0));
    assert_string_equal(r.err, "");
    assert_int_equal(field(r.out, "after"), 1);
    assert_int_equal(field(r.out, "ctx"), TT_CLOSED);
    assert_int_equal(field(r.out, "slept"), TT_OK);
    assert_int_equal(field(r.out, "tick"), 1);
    helper_free(&r);
}

/* stdout is fully buffered in a pipe or a file, stderr is not: the runtime
 * flushes stdout before it reports, so that `prog 2>&1 | less` shows the
 * program's output and the reports in the order a terminal shows them. */
static void test_reports_follow_earlier_stdout_in_a_pipe(void **state)
{
    (void)state;
    static const char *const env[] = { "TETHER_VERIFY=1", NULL };
    helper_run r = run_helper_merged("output-order", env);
    assert_true(exited_with(&r, 3));
    const char *want[] = { "program: before the program-error report\n", "tether: close of nil channel at ",
                           "program: before the leak report\n", "program: last line, without a newline",
                           "tether: leaked task 2: leak_recv", "tether: tt_verify_none: 1 leak found\n" };
    const char *at = r.out;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const char *p = strstr(at, want[i]);
        if (!p)
            fail_msg("\"%s\" missing or out of order in:\n%s", want[i], r.out);
        at = p + strlen(want[i]);
    }
    helper_free(&r);
}

static void test_verify_none_in_process(void **state)
{
    (void)state;
    assert_int_equal(tt_verify_none(0), 0);
    tt_ticker *tk = tt_ticker_new(1000); int line = __LINE__;
    capture_begin();
    int n = tt_verify_none(0);
    char *err = capture_end();
    tt_ticker_stop(tk);
    assert_int_equal(n, 1);
    assert_has(err, "tether: leaked ticker: created at %s:%d", __FILE__, line);
    free(err);
    assert_int_equal(tt_verify_none(0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_leak_report_names_lines),
        cmocka_unit_test(test_clean_program_reports_nothing),
        cmocka_unit_test(test_verify_env_exit_status),
        cmocka_unit_test(test_deadlock_two_tasks),
        cmocka_unit_test(test_deadlock_wait_group),
        cmocka_unit_test(test_deadlock_empty_select),
        cmocka_unit_test(test_deadlock_mutex),
        cmocka_unit_test(test_no_deadlock_while_a_timer_can_wake),
        cmocka_unit_test(test_reports_follow_earlier_stdout_in_a_pipe),
        cmocka_unit_test(test_verify_none_in_process),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
