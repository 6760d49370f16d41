/* test_baseline.c — unit tests of baselines and changed lines
 * (driver/baseline.h, driver/lines.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "driver/baseline.h"
#include "driver/lines.h"

static void test_write_then_load(void **state)
{
    (void)state;
    char path[] = "/tmp/tether-baseline-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    diag_list list = { 0 };
    diag *a = diag_new(&list, "r", "a.c", (model_loc){ 9, 1 }, "later");
    strcpy(a->fingerprint, "00000000000000aa");
    diag *b = diag_new(&list, "r", "a.c", (model_loc){ 2, 1 }, "earlier");
    strcpy(b->fingerprint, "00000000000000bb");
    baseline_writer *w = baseline_writer_new();
    baseline_writer_add(w, a, "src/a.c");
    baseline_writer_add(w, b, "src/a.c");
    char err[512];
    assert_int_equal(baseline_writer_save(w, path, err, sizeof err), 0);
    baseline_writer_free(w);
    diag_list_free(&list);
    FILE *f = fopen(path, "r");
    char text[2048] = "";
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    /* Sorted by file and line, readable, versioned. */
    assert_non_null(strstr(text, "\"version\":\t1"));
    assert_true(strstr(text, "earlier") < strstr(text, "later"));
    driver_baseline *bl = baseline_load(path, err, sizeof err);
    assert_non_null(bl);
    assert_true(baseline_has(bl, "00000000000000aa"));
    assert_true(baseline_has(bl, "00000000000000bb"));
    assert_false(baseline_has(bl, "00000000000000cc"));
    baseline_free(bl);
    f = fopen(path, "w");
    fputs("{\"version\": 1,\n \"findings\": [{\"rule\": \"r\"}]}", f);
    fclose(f);
    assert_null(baseline_load(path, err, sizeof err));
    assert_non_null(strstr(err, "needs a \"fingerprint\""));
    f = fopen(path, "w");
    fputs("{\"version\": 1,\n\n oops", f);
    fclose(f);
    assert_null(baseline_load(path, err, sizeof err));
    assert_non_null(strstr(err, ":3: not valid JSON"));
    unlink(path);
}

static void test_lines_from_diff(void **state)
{
    (void)state;
    const char diff[] = "diff --git a/src/a.c b/src/a.c\n"
                        "--- a/src/a.c\n"
                        "+++ b/src/a.c\n"
                        "@@ -3,0 +4,2 @@ int x;\n"
                        "+new\n"
                        "+new\n"
                        "@@ -10 +12 @@\n"
                        "-old\n"
                        "+changed\n"
                        "@@ -20,3 +21,0 @@\n"
                        "diff --git a/gone.c b/gone.c\n"
                        "--- a/gone.c\n"
                        "+++ /dev/null\n"
                        "@@ -1,2 +0,0 @@\n";
    driver_lines *l = lines_from_diff(diff, strlen(diff), "/repo");
    assert_false(lines_has(l, "/repo/src/a.c", 3));
    assert_true(lines_has(l, "/repo/src/a.c", 4));
    assert_true(lines_has(l, "/repo/src/a.c", 5));
    assert_false(lines_has(l, "/repo/src/a.c", 6));
    assert_true(lines_has(l, "/repo/src/a.c", 12));
    assert_false(lines_has(l, "/repo/src/a.c", 21));
    assert_false(lines_has(l, "/repo/src/b.c", 4));
    lines_add_file(l, "/repo/new.c");
    assert_true(lines_has(l, "/repo/new.c", 12345));
    lines_free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_then_load),
        cmocka_unit_test(test_lines_from_diff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
