/* test_driver.c — the driver's API as an editor uses it (driver.h): an
 * unsaved buffer analyzed repeatedly, from several threads at once, and a
 * run canceled before it starts and while it runs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "driver/driver.h"

static const char leak[] = "#include <tether.h>\n"
                           "static void worker(void *arg)\n"
                           "{\n"
                           "    tt_chan *ch = arg;\n"
                           "    int v;\n"
                           "    tt_recv(ch, &v);\n"
                           "}\n"
                           "int main(void)\n"
                           "{\n"
                           "    tt_chan *ch = tt_chan_new(sizeof(int), 0);\n"
                           "    tt_spawn(worker, ch); // tether:ignore(wg-unbalanced)\n"
                           "    return 0;\n"
                           "}\n";

typedef struct seen {
    size_t files, findings, errors;
    char first[256];
    unsigned line;
    char fingerprint[DIAG_FINGERPRINT_SIZE];
    bool src_is_buffer;
} seen;

static void on_error(void *ctx, const driver_error *e)
{
    seen *s = ctx;
    if (e->level == DRIVER_LEVEL_ERROR)
        s->errors++;
}

static void on_file(void *ctx, const driver_file *f)
{
    seen *s = ctx;
    s->files++;
    s->findings += f->ndiags;
    s->src_is_buffer = f->src && f->src->length == sizeof leak - 1;
    if (f->ndiags && !s->first[0]) {
        snprintf(s->first, sizeof s->first, "%s [%s]", f->diags[0].msg, f->diags[0].rule);
        s->line = f->diags[0].loc.line;
        memcpy(s->fingerprint, f->diags[0].fingerprint, sizeof s->fingerprint);
    }
}

static driver *make(const char *frontend, bool unused)
{
    driver_opts o = { 0 };
    o.frontend = frontend;
    o.tether_include = TETHER_INCLUDE_DIR;
    o.warn_unused_suppressions = unused;
    o.fallback = true;
    o.jobs = 1;
    return driver_new(&o, NULL);
}

/* The file does not exist: the text is all there is, as in an editor. */
static void test_unsaved_buffer(void **state)
{
    (void)state;
    for (int fe = 0; fe < 2; fe++) {
        driver *d = make(fe ? "tree-sitter" : "clang", true);
        assert_non_null(d);
        driver_input in = { "/nonexistent/editor/buffer.c", leak, sizeof leak - 1, NULL, 0 };
        for (int round = 0; round < 3; round++) { /* repeatedly, same answer */
            seen s = { 0 };
            driver_sink sink = { &s, on_error, on_file, NULL };
            driver_summary sum;
            assert_int_equal(driver_run(d, &in, 1, &sink, NULL, &sum), 0);
            assert_int_equal(s.files, 1);
            assert_true(s.src_is_buffer);
            /* the leak, and the ignore comment that suppressed nothing */
            assert_int_equal(s.findings, 2);
            assert_int_equal(sum.warnings, 2);
            assert_int_equal(s.line, 11);
            assert_non_null(strstr(s.first, "[spawn-no-cancel]"));
            assert_int_equal(strlen(s.fingerprint), 16);
            assert_int_equal(s.errors, 0);
        }
        driver_free(d);
    }
}

typedef struct thread_arg {
    const driver *d;
    seen s;
} thread_arg;

static void *analyze(void *p)
{
    thread_arg *t = p;
    driver_input in = { "/nonexistent/t.c", leak, sizeof leak - 1, NULL, 0 };
    driver_sink sink = { &t->s, on_error, on_file, NULL };
    for (int i = 0; i < 5; i++)
        driver_run(t->d, &in, 1, &sink, NULL, NULL);
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    driver *d = make("clang", false);
    thread_arg a[3];
    pthread_t th[3];
    for (int i = 0; i < 3; i++) {
        memset(&a[i], 0, sizeof a[i]);
        a[i].d = d;
        assert_int_equal(pthread_create(&th[i], NULL, analyze, &a[i]), 0);
    }
    for (int i = 0; i < 3; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(a[i].s.files, 5);
        assert_int_equal(a[i].s.findings, 5);
        assert_string_equal(a[i].s.fingerprint, a[0].s.fingerprint);
    }
    driver_free(d);
}

/* Canceled before it starts: no file is analyzed or delivered. */
static void test_cancel(void **state)
{
    (void)state;
    driver *d = make("tree-sitter", false);
    driver_input in[4];
    for (int i = 0; i < 4; i++)
        in[i] = (driver_input){ "/nonexistent/c.c", leak, sizeof leak - 1, NULL, 0 };
    atomic_bool cancel = true;
    seen s = { 0 };
    driver_sink sink = { &s, on_error, on_file, NULL };
    driver_summary sum;
    driver_run(d, in, 4, &sink, &cancel, &sum);
    assert_true(sum.canceled);
    assert_int_equal(s.files, 0);
    atomic_store(&cancel, false);
    driver_run(d, in, 4, &sink, &cancel, &sum);
    assert_false(sum.canceled);
    assert_int_equal(s.files, 4);
    driver_free(d);
}

typedef struct canceler {
    atomic_bool *cancel;
    long delay_ns;
} canceler;

static void *cancel_later(void *arg)
{
    canceler *c = arg;
    struct timespec ts = { 0, c->delay_ns };
    nanosleep(&ts, NULL);
    atomic_store(c->cancel, true);
    return NULL;
}

static void on_alarm(int sig)
{
    (void)sig;
    static const char msg[] = "test_driver: driver_run did not return after a cancel (hung)\n";
    if (write(2, msg, sizeof msg - 1) < 0)
        _exit(1);
    _exit(1);
}

/* Canceled while it runs, at delays that fall anywhere from before the
 * worker thread takes the file to after it is analyzed: every run returns
 * (a cancel that came while the caller waited for a file the worker then
 * never took used to leave the caller waiting for ever). */
static void test_cancel_while_running(void **state)
{
    (void)state;
    driver *d = make("tree-sitter", false);
    driver_input in = { "/nonexistent/c.c", leak, sizeof leak - 1, NULL, 0 };
    signal(SIGALRM, on_alarm);
    alarm(60);
    size_t canceled = 0, finished = 0;
    for (int k = 0; k < 400; k++) {
        atomic_bool cancel = false;
        canceler c = { &cancel, (k % 100) * 500L };
        pthread_t th;
        assert_int_equal(pthread_create(&th, NULL, cancel_later, &c), 0);
        seen s = { 0 };
        driver_sink sink = { &s, on_error, on_file, NULL };
        driver_summary sum;
        driver_run(d, &in, 1, &sink, &cancel, &sum);
        pthread_join(th, NULL);
        /* canceled before the file was delivered, or delivered whole */
        assert_int_equal(s.files, sum.canceled ? 0 : 1);
        canceled += sum.canceled;
        finished += !sum.canceled;
    }
    alarm(0);
    print_message("%zu runs canceled, %zu finished\n", canceled, finished);
    driver_free(d);
}

static void test_frontend_table(void **state)
{
    (void)state;
    size_t n;
    const driver_frontend *fe = driver_frontends(&n);
    assert_true(n >= 1);
    assert_string_equal(fe[0].name, "clang");
    assert_true(fe[0].uses_args);
    char why[256];
    assert_true(fe[0].available(why, sizeof why));
    assert_non_null(strstr(fe[0].version(), "clang version"));
    assert_ptr_equal(driver_frontend_find("treesitter"), driver_frontend_find("tree-sitter"));
    assert_null(driver_frontend_find("gcc"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unsaved_buffer),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_cancel_while_running),
        cmocka_unit_test(test_frontend_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
