/* test_cmdline.c — unit tests of compile command handling and the compile
 * database (driver/cmdline.h, driver/compdb.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driver/cmdline.h"
#include "driver/compdb.h"

/* The words of v joined by '|'. */
static char *joined(char **v, size_t n)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(v[i]) + 1;
    char *s = calloc(len, 1);
    for (size_t i = 0; i < n; i++) {
        if (i)
            strcat(s, "|");
        strcat(s, v[i]);
    }
    return s;
}

static void test_split(void **state)
{
    (void)state;
    size_t n;
    char **v = cmdline_split("cc  -DX='a b' \"-DY=\\\"q\\\"\" -I\\ sp\\ ace a.c\n", &n);
    char *s = joined(v, n);
    assert_string_equal(s, "cc|-DX=a b|-DY=\"q\"|-I sp ace|a.c");
    free(s);
    cmdline_free(v, n);
}

/* CMake's exact clang-tidy command (3.25, Ninja): the compiler, the
 * dependency-file options, -o, -c and the source go; the rest stays. */
static void test_flags_of_cmake_command(void **state)
{
    (void)state;
    const char *cmd[] = { "/usr/bin/cc", "-DFOO=1", "-I/p/inc", "-I", "rel", "-isystem", "sys", "-MD", "-MT",
                          "CMakeFiles/x.dir/a.c.o", "-MF", "CMakeFiles/x.dir/a.c.o.d", "-o",
                          "CMakeFiles/x.dir/a.c.o", "-c", "/p/a.c", "-std=gnu11", "-x", "c" };
    size_t n;
    char **v = cmdline_flags(cmd, sizeof cmd / sizeof *cmd, NULL, &n);
    char *s = joined(v, n);
    assert_string_equal(s, "-DFOO=1|-I/p/inc|-I|rel|-isystem|sys|-std=gnu11|-x|c");
    free(s);
    cmdline_free(v, n);
    /* From a database: relative path operands made absolute. */
    v = cmdline_flags(cmd, sizeof cmd / sizeof *cmd, "/build", &n);
    s = joined(v, n);
    assert_string_equal(s, "-DFOO=1|-I/p/inc|-I|/build/rel|-isystem|/build/sys|-std=gnu11|-x|c");
    free(s);
    cmdline_free(v, n);
    v = cmdline_positional(cmd, sizeof cmd / sizeof *cmd, &n);
    s = joined(v, n);
    assert_string_equal(s, "/usr/bin/cc|/p/a.c");
    free(s);
    cmdline_free(v, n);
    /* Extra flags alone have no positional word. */
    const char *extra[] = { "-DFOO", "-I", "inc", "--driver-mode=gcc" };
    v = cmdline_positional(extra, 4, &n);
    assert_int_equal(n, 0);
    cmdline_free(v, n);
    v = cmdline_flags(extra, 4, NULL, &n);
    s = joined(v, n);
    assert_string_equal(s, "-DFOO|-I|inc");
    free(s);
    cmdline_free(v, n);
}

static char tmp[PATH_MAX];

static void write_file(const char *rel, const char *text)
{
    char path[PATH_MAX * 2];
    snprintf(path, sizeof path, "%s/%s", tmp, rel);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup_tmp(void **state)
{
    (void)state;
    snprintf(tmp, sizeof tmp, "/tmp/tether-compdb-XXXXXX");
    if (!mkdtemp(tmp))
        return -1;
    char p[PATH_MAX * 2];
    snprintf(p, sizeof p, "%s/build", tmp);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/build/sub", tmp);
    mkdir(p, 0755);
    write_file("a.c", "int a;\n");
    write_file("b.c", "int b;\n");
    return 0;
}

static int teardown_tmp(void **state)
{
    (void)state;
    char cmd[PATH_MAX + 16];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_compdb(void **state)
{
    (void)state;
    char json[PATH_MAX * 5], where[PATH_MAX * 2], file[PATH_MAX * 2], err[512];
    snprintf(json, sizeof json,
             "[{\"directory\": \"%s/build\", \"file\": \"../a.c\", \"arguments\": [\"cc\", \"-DFIRST\", \"-Iinc\","
             " \"-c\", \"../a.c\", \"-o\", \"a.o\"]},"
             " {\"directory\": \"%s/build\", \"file\": \"../a.c\", \"command\": \"cc -DSECOND -c ../a.c\"},"
             " {\"directory\": \"%s\", \"file\": \"b.c\", \"command\": \"cc '-DQ=x y' -c b.c\"},"
             " {\"directory\": \"%s\", \"file\": \"gone.c\", \"command\": \"cc -c gone.c\"}]",
             tmp, tmp, tmp, tmp);
    write_file("build/compile_commands.json", json);
    /* A folder under the database's: found upward, as clang-tidy does. */
    snprintf(where, sizeof where, "%s/build/sub", tmp);
    compdb *db = compdb_open(where, err, sizeof err);
    assert_non_null(db);
    snprintf(file, sizeof file, "%s/a.c", tmp);
    size_t n;
    char **v = compdb_args(db, file, &n);
    char *s = joined(v, n);
    char want[PATH_MAX * 3];
    snprintf(want, sizeof want, "-DFIRST|-I%s/build/inc", tmp); /* the first entry wins */
    assert_string_equal(s, want);
    free(s);
    cmdline_free(v, n);
    snprintf(file, sizeof file, "%s/b.c", tmp);
    v = compdb_args(db, file, &n);
    s = joined(v, n);
    assert_string_equal(s, "-DQ=x y");
    free(s);
    cmdline_free(v, n);
    const char *const *files = compdb_files(db, &n);
    /* a.c once, b.c, and gone.c: it does not exist, but stays listed so the
     * run reports it (a stale database is not silently half checked). */
    assert_int_equal(n, 3);
    snprintf(file, sizeof file, "%s/gone.c", tmp);
    bool listed = false;
    for (size_t i = 0; i < n; i++)
        listed |= strcmp(files[i], file) == 0;
    assert_true(listed);
    compdb_close(db);
    /* The file itself. */
    snprintf(where, sizeof where, "%s/build/compile_commands.json", tmp);
    db = compdb_open(where, err, sizeof err);
    assert_non_null(db);
    assert_string_equal(compdb_path(db), where);
    (void)files;
    compdb_close(db);
}

static void test_compdb_errors(void **state)
{
    (void)state;
    char where[PATH_MAX * 2], err[512];
    write_file("build/compile_commands.json", "[\n{\"directory\": \"/\",\n");
    snprintf(where, sizeof where, "%s/build", tmp);
    assert_null(compdb_open(where, err, sizeof err));
    assert_non_null(strstr(err, "compile_commands.json:")); /* and the line */
    assert_non_null(strstr(err, ": not valid JSON"));
    write_file("build/compile_commands.json", "[{\"directory\": \"/\", \"file\": \"a.c\"}]");
    assert_null(compdb_open(where, err, sizeof err));
    assert_non_null(strstr(err, "needs \"arguments\""));
    snprintf(where, sizeof where, "%s/nowhere", tmp);
    assert_null(compdb_open(where, err, sizeof err));
    assert_non_null(strstr(err, "nowhere: No such file or directory"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_flags_of_cmake_command),
        cmocka_unit_test_setup_teardown(test_compdb, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_compdb_errors, setup_tmp, teardown_tmp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
