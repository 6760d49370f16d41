/* test_lsp_text.c — UTF-16 columns and byte offsets (lsp_text.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "lsp/lsp_text.h"

/* é is 2 bytes and 1 unit, 😀 4 bytes and 2 units, € 3 bytes and 1 unit. */
static const char text[] = "int a;\n/* \xc3\xa9\xf0\x9f\x98\x80\xe2\x82\xac */ x;\r\nlast";

static void test_offsets(void **state)
{
    (void)state;
    size_t n = strlen(text);
    assert_int_equal(lsp_text_offset(text, n, 0, 0), 0);
    assert_int_equal(lsp_text_offset(text, n, 0, 3), 3);
    assert_int_equal(lsp_text_offset(text, n, 0, 99), 6);          /* past the line: its end */
    assert_int_equal(lsp_text_offset(text, n, 1, 3), 7 + 3);       /* the comment opener, then é */
    assert_int_equal(lsp_text_offset(text, n, 1, 4), 7 + 5);       /* after é */
    assert_int_equal(lsp_text_offset(text, n, 1, 5), 7 + 5);       /* inside 😀: its start */
    assert_int_equal(lsp_text_offset(text, n, 1, 6), 7 + 9);       /* after 😀 */
    assert_int_equal(lsp_text_offset(text, n, 1, 7), 7 + 12);      /* after € */
    assert_int_equal(lsp_text_offset(text, n, 1, 99), 7 + 18);     /* before \r\n */
    assert_int_equal(lsp_text_offset(text, n, 2, 2), n - 2);
    assert_int_equal(lsp_text_offset(text, n, 9, 0), n);           /* past the last line */
}

static void test_columns(void **state)
{
    (void)state;
    size_t n = strlen(text);
    /* byte column 1-based -> UTF-16 0-based */
    assert_int_equal(lsp_text_utf16_col(text, n, 1, 1), 0);
    assert_int_equal(lsp_text_utf16_col(text, n, 2, 4), 3);
    assert_int_equal(lsp_text_utf16_col(text, n, 2, 6), 4);        /* after é */
    assert_int_equal(lsp_text_utf16_col(text, n, 2, 10), 6);       /* after 😀 */
    assert_int_equal(lsp_text_utf16_col(text, n, 2, 13), 7);       /* after € */
    assert_int_equal(lsp_text_utf16_col(text, n, 2, 17), 11);      /* x */
    size_t len;
    const char *l = lsp_text_line(text, n, 2, &len);
    assert_non_null(l);
    assert_int_equal(len, 18); /* without \r */
    assert_null(lsp_text_line(text, n, 4, &len));
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    /* a lone continuation byte and a truncated sequence count 1 unit each */
    static const char bad[] = "a\x80\xe2\x82z";
    assert_int_equal(lsp_text_utf16_len(bad, 5, 5), 5);
    assert_int_equal(lsp_text_offset(bad, 5, 0, 2), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_offsets),
        cmocka_unit_test(test_columns),
        cmocka_unit_test(test_invalid_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
