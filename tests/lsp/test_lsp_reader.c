/* test_lsp_reader.c — the language server's framing (lsp_reader.h): split
 * and joined messages, and every kind of bad framing skipped with reading
 * resumed at the next message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "lsp/lsp_reader.h"

static const char m1[] = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"a\"}";
static const char m2[] = "{\"jsonrpc\":\"2.0\",\"method\":\"b\",\"params\":{\"t\":\"x\\u00e9\"}}";

static size_t framed(char *out, const char *body)
{
    return (size_t)sprintf(out, "Content-Length: %zu\r\n\r\n%s", strlen(body), body);
}

/* Reads what the reader has: each body appended to got (one per line),
 * each error counted. */
static int drain(lsp_reader *r, char *got, size_t size)
{
    int errors = 0;
    got[0] = '\0';
    for (;;) {
        const char *b;
        size_t n;
        char err[128];
        lsp_read_status st = lsp_reader_next(r, &b, &n, err, sizeof err);
        if (st == LSP_READ_NONE)
            return errors;
        if (st == LSP_READ_ERROR) {
            errors++;
            continue;
        }
        assert_int_equal(strlen(b), n); /* NUL-terminated, no NUL inside */
        strncat(got, b, size - strlen(got) - 2);
        strcat(got, "\n");
    }
}

static void test_one_byte_at_a_time(void **state)
{
    (void)state;
    char buf[512], got[1024];
    size_t n = framed(buf, m1);
    n += framed(buf + n, m2);
    lsp_reader *r = lsp_reader_new(0);
    int errors = 0;
    char all[1024] = "";
    for (size_t i = 0; i < n; i++) {
        lsp_reader_feed(r, buf + i, 1);
        errors += drain(r, got, sizeof got);
        strcat(all, got);
    }
    char want[512];
    snprintf(want, sizeof want, "%s\n%s\n", m1, m2);
    assert_string_equal(all, want);
    assert_int_equal(errors, 0);
    assert_int_equal(lsp_reader_pending(r), 0);
    lsp_reader_free(r);
}

static void test_joined_with_content_type(void **state)
{
    (void)state;
    char buf[1024], got[1024];
    size_t n = (size_t)sprintf(buf, "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n"
                                    "content-length: %zu\r\n\r\n%s",
                               strlen(m1), m1);
    n += framed(buf + n, m2);
    lsp_reader *r = lsp_reader_new(0);
    lsp_reader_feed(r, buf, n);
    assert_int_equal(drain(r, got, sizeof got), 0);
    char want[512];
    snprintf(want, sizeof want, "%s\n%s\n", m1, m2);
    assert_string_equal(got, want);
    lsp_reader_free(r);
}

/* Each bad prefix is one error, then the good message after it is read. */
static void check_recovers(const char *bad)
{
    char buf[2048], got[1024];
    size_t n = (size_t)sprintf(buf, "%s", bad);
    n += framed(buf + n, m2);
    lsp_reader *r = lsp_reader_new(1000);
    lsp_reader_feed(r, buf, n);
    int errors = drain(r, got, sizeof got);
    assert_true(errors >= 1);
    char want[512];
    snprintf(want, sizeof want, "%s\n", m2);
    assert_string_equal(got, want);
    lsp_reader_free(r);
}

static void test_missing_content_length(void **state)
{
    (void)state;
    check_recovers("Content-Type: x\r\n\r\n{\"id\":1}");
}

static void test_bad_content_length(void **state)
{
    (void)state;
    check_recovers("Content-Length: -5\r\n\r\n{}");
    check_recovers("Content-Length: 12abc\r\n\r\n{}");
    check_recovers("Content-Length: 99999999999999999999999999\r\n\r\n{}");
    check_recovers("Content-Length: 5\r\nContent-Length: 5\r\n\r\n{}");
}

static void test_garbage_header(void **state)
{
    (void)state;
    check_recovers("hello there\r\n\r\n");
    check_recovers("\"id\":1}}");
}

/* Feeds a Content-Length that is not the body's, then m2: reads `errors`
 * errors and the bodies in want. */
static void check_wrong_length(size_t length, int errors, const char *want)
{
    char buf[1024], got[1024];
    size_t n = (size_t)sprintf(buf, "Content-Length: %zu\r\n\r\n%s", length, m1);
    n += framed(buf + n, m2);
    lsp_reader *r = lsp_reader_new(0);
    lsp_reader_feed(r, buf, n);
    assert_int_equal(drain(r, got, sizeof got), errors);
    assert_string_equal(got, want);
    lsp_reader_free(r);
}

static void test_too_short_length(void **state)
{
    (void)state;
    /* 5 bytes of a longer body: a broken body (handed out; the JSON parser
     * rejects it), then the rest is garbage up to the next header. */
    char want[512];
    snprintf(want, sizeof want, "%.5s\n%s\n", m1, m2);
    check_wrong_length(5, 1, want);
}

static void test_too_long_length(void **state)
{
    (void)state;
    /* The length claims more than the message: the next header follows a
     * complete JSON value, so the message is skipped and the next read. */
    char want[512];
    snprintf(want, sizeof want, "%s\n", m2);
    check_wrong_length(500, 1, want);
}

static void test_header_word_inside_a_string(void **state)
{
    (void)state;
    /* A document whose text says Content-Length: not a new header. */
    static const char body[] = "{\"text\":\"}Content-Length: 3\\r\\n\"}";
    char buf[512], got[512];
    size_t n = framed(buf, body);
    lsp_reader *r = lsp_reader_new(0);
    /* in two parts, so the search runs on a partial body */
    lsp_reader_feed(r, buf, n - 4);
    assert_int_equal(drain(r, got, sizeof got), 0);
    assert_string_equal(got, "");
    lsp_reader_feed(r, buf + n - 4, 4);
    assert_int_equal(drain(r, got, sizeof got), 0);
    char want[512];
    snprintf(want, sizeof want, "%s\n", body);
    assert_string_equal(got, want);
    lsp_reader_free(r);
}

static void test_oversized_body_skipped(void **state)
{
    (void)state;
    char big[3000];
    memset(big, 'x', sizeof big);
    char head[64], got[512];
    int k = sprintf(head, "Content-Length: %zu\r\n\r\n", sizeof big);
    lsp_reader *r = lsp_reader_new(1000);
    lsp_reader_feed(r, head, (size_t)k);
    lsp_reader_feed(r, big, 1000);
    assert_int_equal(drain(r, got, sizeof got), 1);
    lsp_reader_feed(r, big, sizeof big - 1000);
    char buf[512];
    size_t n = framed(buf, m1);
    lsp_reader_feed(r, buf, n);
    /* the rest of the body is garbage before the next header: said once */
    assert_int_equal(drain(r, got, sizeof got), 1);
    char want[512];
    snprintf(want, sizeof want, "%s\n", m1);
    assert_string_equal(got, want);
    lsp_reader_free(r);
}

static void test_endless_header(void **state)
{
    (void)state;
    char junk[9000];
    memset(junk, 'a', sizeof junk);
    lsp_reader *r = lsp_reader_new(0);
    lsp_reader_feed(r, junk, sizeof junk);
    char got[512];
    assert_true(drain(r, got, sizeof got) >= 1);
    assert_true(lsp_reader_pending(r) < 100); /* the junk is not kept */
    lsp_reader_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_byte_at_a_time),
        cmocka_unit_test(test_joined_with_content_type),
        cmocka_unit_test(test_missing_content_length),
        cmocka_unit_test(test_bad_content_length),
        cmocka_unit_test(test_garbage_header),
        cmocka_unit_test(test_too_short_length),
        cmocka_unit_test(test_too_long_length),
        cmocka_unit_test(test_header_word_inside_a_string),
        cmocka_unit_test(test_oversized_body_skipped),
        cmocka_unit_test(test_endless_header),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
