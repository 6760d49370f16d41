/* rule_test.h — a small DSL over the mb_* builder for the rules' unit tests:
 * build by hand the model of a C program, statement by statement and line by
 * line, run one rule (or the queries) on it, look at the findings.
 *
 *     rt_fn("task", 1);                     // void *task(void *arg) {   line 1
 *     model_obj_id arg = rt_param("arg");
 *     rt_recv(3, arg, "arg");               //     tt_recv(arg, &v);      line 3
 *     rt_end(4);                            // }                          line 4
 *
 * Events are placed at column 5 of their line (L(line)). Everything built
 * belongs to R and is released by rt_free() (rt_teardown after each test). */
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
    q_ctx *q;          /* rt_query() */
} rt;

extern rt R;

static inline model_loc L(uint32_t line) { return (model_loc){ line, 5 }; }

/* ---- The file and its functions -------------------------------------------- */
void rt_reset(const char *path);          /* a new model (path NULL: a file that does not exist) */
void rt_fn(const char *name, uint32_t line);          /* name(...) {  */
void rt_end(uint32_t line);                           /* }            */
model_obj_id rt_param(const char *name);
model_obj_id rt_local(const char *name);
model_obj_id rt_field(const char *tag, const char *field);
model_obj_id rt_global(const char *name);
model_obj_id rt_ctx_done(model_obj_id ctx);           /* tt_ctx_done(ctx) */
model_obj_id rt_ticker_chan(model_obj_id ticker);     /* tt_ticker_chan(t) */
model_obj_id rt_after(uint32_t line);                 /* tt_after(ms) at line */
model_obj_id rt_null(void);                           /* NULL */
model_obj_id rt_background(void);                     /* tt_ctx_background() */
void rt_alias(model_obj_id a, model_obj_id b);        /* a = b */

/* ---- API calls and other events: (line, object, the object as written) ---- */
model_event *rt_ev(model_ev_kind kind, uint32_t line, model_obj_id obj, const char *text);
model_event *rt_num(model_event *e, int64_t n);       /* its constant argument */
model_event *rt_chan_new(uint32_t line, model_obj_id obj, const char *text, int64_t cap);
/* The event's one-character constant argument (a capacity `0`) stands at col of its line. */
model_event *rt_arg_at(model_event *e, uint32_t col);
model_event *rt_send(uint32_t line, model_obj_id ch, const char *text);
model_event *rt_recv(uint32_t line, model_obj_id ch, const char *text);
model_event *rt_close(uint32_t line, model_obj_id ch, const char *text);
/* obj = tt_ctx_with_cancel(parent) */
model_event *rt_ctx_with_cancel(uint32_t line, model_obj_id obj, const char *text, model_obj_id parent);
model_event *rt_ctx_cancel(uint32_t line, model_obj_id ctx, const char *text);
model_event *rt_ctx_err(uint32_t line, model_obj_id ctx, const char *text);
model_event *rt_ticker_new(uint32_t line, model_obj_id obj, const char *text, int64_t ms);
model_event *rt_ticker_stop(uint32_t line, model_obj_id t, const char *text);
model_event *rt_wg_add(uint32_t line, model_obj_id wg, const char *text, int64_t n);
model_event *rt_wg_done(uint32_t line, model_obj_id wg, const char *text);
model_event *rt_wg_wait(uint32_t line, model_obj_id wg, const char *text);
model_event *rt_sleep(uint32_t line, int64_t ms);
model_event *rt_spawn(uint32_t line, const char *task, model_obj_id arg, const char *arg_text);
model_event *rt_call(uint32_t line, const char *callee, size_t nargs, const model_obj_id *args);
/* result = callee(); */
model_event *rt_call_result(uint32_t line, model_obj_id result, const char *callee);
/* tt_select over n receive cases (ops NULL) or the given ops; case i is on line + 1 + i */
model_event *rt_select(uint32_t line, bool has_default, size_t n, const model_obj_id *objs,
                       const char *const *texts, const int *ops);

/* if (tt_select(..) == num) {  (case_then) or `!= num` (!case_then): the
 * CASE_TEST on the select at select_line, ending the current block, then
 * mb_if. num -1: `switch (tt_select(..)) {` (then mb_switch). */
void rt_if_case(uint32_t line, uint32_t select_line, int64_t num, bool case_then);
void rt_switch_case(uint32_t line, uint32_t select_line);
void rt_case_label(int64_t value);                                /* case value: */
/* if (tt_spawn(task, arg) != TT_OK) {  — a spawn that decides an if */
model_event *rt_if_spawn(uint32_t line, const char *task, model_obj_id arg, const char *arg_text);

/* ---- Statements ---------------------------------------------------------- */
void rt_ret(uint32_t line);                                       /* return; */
void rt_return(uint32_t line, model_obj_id obj, const char *text); /* return obj; */
void rt_exit(uint32_t line);                                      /* exit(1); */
void rt_if(void);                                                 /* if (...) { */
void rt_end_if(void);                                             /* } */
void rt_if_null(uint32_t line, model_obj_id obj, const char *text);     /* if (!obj) { */
void rt_if_not_null(uint32_t line, model_obj_id obj, const char *text); /* if (obj) { */
void rt_if_return(uint32_t line);                                 /* if (...) return; */
/* Loops start at `line` (0: the model places no keyword). */
void rt_for(uint32_t line);                                       /* for (...; ...; ...) { */
void rt_for_n(uint32_t line, int64_t trips);                      /* for (i = 0; i < trips; i++) { */
void rt_for_ever(uint32_t line);                                  /* for (;;) { */
void rt_while_recv(uint32_t line, model_obj_id ch, const char *text); /* while (tt_recv(ch, &v) == TT_OK) { */
void rt_end_loop(void);                                           /* } */
void rt_do(uint32_t line);                                        /* do { */
void rt_do_while(void);                                           /* } while (...); */
/* break; at line:col (line 0: the model places no statement) */
void rt_break(uint32_t line, uint32_t col);
void rt_if_break(uint32_t line, uint32_t col);                    /* if (...) break; */
void rt_switch(void);                                             /* switch (...) { */
void rt_case(void);                                               /* case ...: */
void rt_end_switch(void);                                         /* } */

/* ---- Running ------------------------------------------------------------- */
/* model_finish, then runs the rule into R.out (sorted, printed); returns the
 * number of findings. */
size_t rt_run(const char *rule_id);
size_t rt_count(void);
bool rt_has(uint32_t line, const char *msg_part);
bool rt_has_note(uint32_t line, const char *msg_part);
/* model_finish, then the file's q_ctx (freed by rt_free). */
q_ctx *rt_query(void);
/* The first event on the line, in event order (after rt_query). */
q_pos rt_pos(uint32_t line);
void rt_free(void);
int rt_teardown(void **state); /* cmocka teardown: rt_free */

#endif /* TETHER_RULE_TEST_H */
