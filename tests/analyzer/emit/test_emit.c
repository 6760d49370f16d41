/* test_emit.c — unit tests of the emitters (emit.h) on hand-made findings:
 * the exact GitHub workflow commands and their escaping, Code Climate's
 * fields, tether's JSON, SARIF's shape, and text for errors and notes in
 * other files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit/emit.h"
#include "emit/rulemeta.h"
#include "emit/text.h"

static model_loc L(unsigned line, unsigned col)
{
    return (model_loc){ line, col };
}

static diag_list list;

/* One finding in /r/src/a.c with a note in a header and a note fix-it. */
static int make(void **state)
{
    (void)state;
    memset(&list, 0, sizeof list);
    diag *d = diag_new(&list, "spawn-no-cancel", "/r/src/a.c", L(13, 5), "task 'w' leaks: 100%% sure, really");
    diag_set_end(d, L(13, 13));
    strcpy(d->fingerprint, "0123456789abcdef");
    diag_add_note_in(d, "/r/inc/h.h", L(7, 5), L(7, 12), "'w' blocks here");
    diag_add_note_in(d, NULL, L(10, 30), L(10, 31), "make it buffered");
    diag_add_fixit_in(d, NULL, L(10, 30), L(10, 31), "1", 2);
    diag_set_hint(d, "give it a done channel");
    return 0;
}

static int unmake(void **state)
{
    (void)state;
    diag_list_free(&list);
    return 0;
}

static char *run(emit_format f, bool with_problem)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    const char *argv[] = { "check", "src/a.c" };
    emit_opts o = { out, false, "/r", "1.2.3", argv, 2 };
    emitter *e = emit_new(f, &o);
    if (with_problem) {
        emit_problem p = { EMIT_ERROR, "/r/src/a.c", L(2, 10), "'cfg.h' file not found", "pass -Iinc", NULL };
        emit_problem_add(e, &p);
    }
    emit_file(e, "/r/src/a.c", NULL, list.items, list.n, NULL, NULL);
    assert_int_equal(emit_end(e, !with_problem), 0);
    emit_free(e);
    fclose(out);
    return buf;
}

static void test_github(void **state)
{
    (void)state;
    char *out = run(EMIT_GITHUB, true);
    assert_string_equal(out,
        "::error file=src/a.c,line=2,col=10,title=tether::'cfg.h' file not found%0Anote: pass -Iinc\n"
        "::warning file=src/a.c,line=13,col=5,endLine=13,endColumn=13,title=tether spawn-no-cancel::"
        "task 'w' leaks: 100%25 sure, really [spawn-no-cancel]"
        "%0Ainc/h.h:7:5: note: 'w' blocks here%0Asrc/a.c:10:30: note: make it buffered"
        "%0Anote: give it a done channel\n");
    free(out);
}

static void test_codeclimate(void **state)
{
    (void)state;
    char *out = run(EMIT_CODECLIMATE, true);
    cJSON *root = cJSON_Parse(out);
    assert_true(cJSON_IsArray(root));
    assert_int_equal(cJSON_GetArraySize(root), 1); /* problems are not issues */
    cJSON *i = cJSON_GetArrayItem(root, 0);
    assert_string_equal(cJSON_GetObjectItem(i, "type")->valuestring, "issue");
    assert_string_equal(cJSON_GetObjectItem(i, "check_name")->valuestring, "spawn-no-cancel");
    assert_string_equal(cJSON_GetObjectItem(i, "description")->valuestring, "task 'w' leaks: 100% sure, really");
    assert_string_equal(cJSON_GetObjectItem(i, "fingerprint")->valuestring, "0123456789abcdef");
    assert_string_equal(cJSON_GetObjectItem(i, "severity")->valuestring, "major");
    cJSON *loc = cJSON_GetObjectItem(i, "location");
    assert_string_equal(cJSON_GetObjectItem(loc, "path")->valuestring, "src/a.c");
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(loc, "lines"), "begin")->valueint, 13);
    cJSON_Delete(root);
    free(out);
}

static void test_json(void **state)
{
    (void)state;
    char *out = run(EMIT_JSON, true);
    cJSON *root = cJSON_Parse(out);
    assert_int_equal(cJSON_GetObjectItem(root, "version")->valueint, 1);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(root, "success")));
    cJSON *f = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "findings"), 0);
    assert_string_equal(cJSON_GetObjectItem(f, "file")->valuestring, "src/a.c");
    cJSON *range = cJSON_GetObjectItem(f, "range");
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(range, "end"), "column")->valueint, 13);
    cJSON *notes = cJSON_GetObjectItem(f, "notes");
    assert_int_equal(cJSON_GetArraySize(notes), 2);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(notes, 0), "file")->valuestring, "inc/h.h");
    cJSON *fix = cJSON_GetArrayItem(cJSON_GetObjectItem(f, "fixits"), 0);
    assert_int_equal(cJSON_GetObjectItem(fix, "note")->valueint, 1);
    assert_string_equal(cJSON_GetObjectItem(fix, "replacement")->valuestring, "1");
    cJSON *p = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "problems"), 0);
    assert_string_equal(cJSON_GetObjectItem(p, "level")->valuestring, "error");
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(p, "position"), "column")->valueint, 10);
    cJSON_Delete(root);
    free(out);
}

static void test_sarif(void **state)
{
    (void)state;
    char *out = run(EMIT_SARIF, true);
    cJSON *root = cJSON_Parse(out);
    assert_string_equal(cJSON_GetObjectItem(root, "version")->valuestring, "2.1.0");
    cJSON *r = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "runs"), 0);
    cJSON *drv = cJSON_GetObjectItem(cJSON_GetObjectItem(r, "tool"), "driver");
    size_t nrules;
    emit_rules(&nrules);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(drv, "rules")), (int)nrules);
    cJSON *res = cJSON_GetArrayItem(cJSON_GetObjectItem(r, "results"), 0);
    cJSON *rule = cJSON_GetArrayItem(cJSON_GetObjectItem(drv, "rules"),
                                     cJSON_GetObjectItem(res, "ruleIndex")->valueint);
    assert_string_equal(cJSON_GetObjectItem(rule, "id")->valuestring, "spawn-no-cancel");
    cJSON *phys = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(res, "locations"), 0),
                                      "physicalLocation");
    cJSON *art = cJSON_GetObjectItem(phys, "artifactLocation");
    assert_string_equal(cJSON_GetObjectItem(art, "uri")->valuestring, "src/a.c");
    assert_string_equal(cJSON_GetObjectItem(art, "uriBaseId")->valuestring, "SRCROOT");
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(phys, "region"), "endColumn")->valueint, 13);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(res, "relatedLocations")), 2);
    cJSON *flow = cJSON_GetArrayItem(cJSON_GetObjectItem(res, "codeFlows"), 0);
    cJSON *tf = cJSON_GetArrayItem(cJSON_GetObjectItem(flow, "threadFlows"), 0);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(tf, "locations")), 3);
    cJSON *fix = cJSON_GetArrayItem(cJSON_GetObjectItem(res, "fixes"), 0);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(fix, "description"), "text")->valuestring,
                        "make it buffered");
    assert_string_equal(
        cJSON_GetObjectItem(cJSON_GetObjectItem(res, "partialFingerprints"), "tether/v1")->valuestring,
        "0123456789abcdef");
    cJSON *base = cJSON_GetObjectItem(cJSON_GetObjectItem(r, "originalUriBaseIds"), "SRCROOT");
    assert_string_equal(cJSON_GetObjectItem(base, "uri")->valuestring, "file:///r/");
    cJSON *inv = cJSON_GetArrayItem(cJSON_GetObjectItem(r, "invocations"), 0);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(inv, "executionSuccessful")));
    cJSON *n = cJSON_GetArrayItem(cJSON_GetObjectItem(inv, "toolExecutionNotifications"), 0);
    assert_string_equal(cJSON_GetObjectItem(n, "level")->valuestring, "error");
    cJSON_Delete(root);
    free(out);
}

/* Rule metadata comes from the registry and the embedded docs. */
static void test_rule_metadata(void **state)
{
    (void)state;
    size_t n;
    const emit_rule *r = emit_rules(&n);
    size_t i = emit_rule_index("spawn-no-cancel");
    assert_true(i < n);
    assert_non_null(strstr(r[i].help, "## Why it leaks"));
    assert_true(strlen(r[i].full) > strlen(r[i].summary));
    assert_non_null(strstr(r[i].help_uri, "spawn-no-cancel.md"));
    assert_true(emit_rule_index("unused-suppression") < n);
    assert_int_equal(emit_rule_index("nope"), (size_t)-1);
}

static const src_file *other_file(const void *ctx, const char *path)
{
    return strcmp(path, "/r/inc/h.h") == 0 ? ctx : NULL;
}

static void test_text_error_and_other_file(void **state)
{
    (void)state;
    const char h[] = "1\n2\n3\n4\n5\n6\n    tt_recv(ch, &v);\n";
    src_file *hs = src_file_load("/r/inc/h.h", h, strlen(h));
    list.items[0].severity = DIAG_ERROR;
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    emit_text_diag_in(out, &list.items[0], NULL, other_file, hs, false);
    fclose(out);
    assert_non_null(strstr(buf, "/r/src/a.c:13:5: error: task 'w' leaks"));
    assert_non_null(strstr(buf, "/r/inc/h.h:7:5: note: 'w' blocks here\n"
                                "    7 |     tt_recv(ch, &v);\n"
                                "      |     ^\n"));
    free(buf);
    src_file_free(hs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_github, make, unmake),
        cmocka_unit_test_setup_teardown(test_codeclimate, make, unmake),
        cmocka_unit_test_setup_teardown(test_json, make, unmake),
        cmocka_unit_test_setup_teardown(test_sarif, make, unmake),
        cmocka_unit_test(test_rule_metadata),
        cmocka_unit_test_setup_teardown(test_text_error_and_other_file, make, unmake),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
