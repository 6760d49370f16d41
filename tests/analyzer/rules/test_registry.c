/* test_registry.c — the rule registry built from rules/list.h, and the
 * rules' contract on an empty program. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "engine/engine.h"
#include "rule.h"

static void has_the_eleven_rules(void **state)
{
    (void)state;
    static const char *const ids[] = {
        "spawn-no-cancel", "unbuffered-send-no-fallback", "ticker-not-stopped", "wg-unbalanced",
        "cancel-not-called", "chan-never-closed", "nil-chan-op", "select-no-exit",
        "lock-not-released", "double-lock", "lock-order-inversion",
    };
    assert_int_equal(rule_count, 11);
    for (size_t i = 0; i < 11; i++) {
        const rule *r = rule_find(ids[i]);
        assert_non_null(r);
        assert_string_equal(r->id, ids[i]);
        assert_non_null(r->run);
        assert_true(strlen(r->summary) > 10);
        assert_int_equal(r->summary[strlen(r->summary) - 1], '.');
        assert_ptr_equal(rule_registry[i], r);
    }
}

/* Ranks order the rules from the most specific: no two share one. */
static void ranks_are_distinct(void **state)
{
    (void)state;
    for (size_t i = 0; i < rule_count; i++)
        for (size_t k = i + 1; k < rule_count; k++)
            assert_int_not_equal(rule_registry[i]->rank, rule_registry[k]->rank);
}

static void unknown_id(void **state)
{
    (void)state;
    assert_null(rule_find("no-such-rule"));
    assert_null(rule_find(NULL));
}

/* rules/<id>.md starts with the rule's summary, word for word. */
static void docs_start_with_the_summary(void **state)
{
    (void)state;
    for (size_t i = 0; i < rule_count; i++) {
        char path[512], line[512];
        snprintf(path, sizeof path, "%s/%s.md", TETHER_RULES_DIR, rule_registry[i]->id);
        FILE *f = fopen(path, "r");
        assert_non_null(f);
        assert_non_null(fgets(line, sizeof line, f));
        fclose(f);
        line[strcspn(line, "\n")] = '\0';
        assert_string_equal(line, rule_registry[i]->summary);
    }
}

/* Every rule runs on an empty program and reports nothing. */
static void rules_run_on_an_empty_program(void **state)
{
    (void)state;
    model_tu *tu = model_new("empty.c");
    model_finish(tu);
    const model_tu *tus[1] = { tu };
    eng_result *er = eng_run(tus, 1, NULL);
    assert_int_equal(er->nfindings, 0);
    rule_input in = { tus, 1, er };
    diag_list out = { 0 };
    for (size_t i = 0; i < rule_count; i++) {
        assert_int_equal(rule_registry[i]->run(&in, &out), 0);
        assert_int_equal(out.n, 0);
    }
    diag_list_free(&out);
    eng_result_free(er);
    model_free(tu);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(has_the_eleven_rules),
        cmocka_unit_test(ranks_are_distinct),
        cmocka_unit_test(unknown_id),
        cmocka_unit_test(docs_start_with_the_summary),
        cmocka_unit_test(rules_run_on_an_empty_program),
    };
    return cmocka_run_group_tests_name("rule registry", tests, NULL, NULL);
}
