/* rule_test.h — a tiny DSL over the mb_* builder for the rules' unit tests:
 * build a model by hand, run one rule, look at its findings. */
#ifndef TETHER_RULE_TEST_H
#define TETHER_RULE_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "diag/diag.h"
#include "model/model.h"
#include "model/query.h"
#include "rule.h"

typedef struct rt {
    model_tu *tu;
    model_builder *b;
    int32_t fn;
    diag_list out;
} rt;

extern rt R;

static inline model_loc L(uint32_t line) { return (model_loc){ line, 5 }; }

void rt_reset(const char *path);
void rt_fn(const char *name, uint32_t line);
model_obj_id rt_param(const char *name);
model_obj_id rt_local(const char *name);
model_obj_id rt_field(const char *tag, const char *field);
model_obj_id rt_global(const char *name);
model_event *rt_ev(model_ev_kind kind, uint32_t line, model_obj_id obj, const char *text);
model_event *rt_num(model_event *e, int64_t n);
model_event *rt_new_chan(uint32_t line, model_obj_id obj, const char *text, int64_t cap);
model_event *rt_spawn(uint32_t line, const char *task, model_obj_id arg, const char *arg_text);
model_event *rt_call(uint32_t line, const char *callee, size_t nargs, const model_obj_id *args);
model_event *rt_select(uint32_t line, bool has_default, size_t n, const model_obj_id *objs,
                       const char *const *texts, const int *ops);
void rt_ret(uint32_t line);
void rt_end(uint32_t line);
/* model_finish, then runs the rule into R.out (sorted). */
void rt_run(const char *rule_id);
/* The i-th finding's line / message / note count / note line and message. */
size_t rt_count(void);
bool rt_has(uint32_t line, const char *msg_part);
bool rt_has_note(uint32_t line, const char *msg_part);
void rt_free(void);

#endif /* TETHER_RULE_TEST_H */
