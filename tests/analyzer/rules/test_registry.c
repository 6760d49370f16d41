/* test_registry.c — the rule registry built from rules/list.h. */
#include "rule_test.h"

#include <stdio.h>

static void has_the_four_rules(void **state)
{
    (void)state;
    static const char *const ids[] = { "spawn-no-cancel", "unbuffered-send-no-fallback",
                                       "ticker-not-stopped", "wg-unbalanced" };
    assert_int_equal(rule_count, 4);
    for (size_t i = 0; i < 4; i++) {
        const rule *r = rule_find(ids[i]);
        assert_non_null(r);
        assert_string_equal(r->id, ids[i]);
        assert_non_null(r->run);
        assert_true(strlen(r->summary) > 10);
        assert_int_equal(r->summary[strlen(r->summary) - 1], '.');
        assert_ptr_equal(rule_registry[i], r);
    }
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

/* Every rule runs on an empty model and on a model with no concurrency. */
static void rules_run_on_empty_models(void **state)
{
    (void)state;
    rt_reset(NULL);
    rt_fn("main", 1);
    rt_end(2);
    model_finish(R.tu);
    for (size_t i = 0; i < rule_count; i++) {
        assert_int_equal(rule_registry[i]->run(R.tu, &R.out), 0);
        assert_int_equal(R.out.n, 0);
    }
    rt_free();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(has_the_four_rules),
        cmocka_unit_test(unknown_id),
        cmocka_unit_test(docs_start_with_the_summary),
        cmocka_unit_test(rules_run_on_empty_models),
    };
    return cmocka_run_group_tests_name("rule registry", tests, NULL, NULL);
}
