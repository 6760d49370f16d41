/* list.h — every rule, once. Included with RULE(name) defined: to declare
 * the descriptors and to build the registry (rules/registry.c). */
RULE(spawn_no_cancel)
RULE(unbuffered_send_no_fallback)
RULE(ticker_not_stopped)
RULE(wg_unbalanced)
RULE(cancel_not_called)
RULE(chan_never_closed)
RULE(nil_chan_op)
RULE(select_no_exit)
RULE(lock_not_released)
RULE(double_lock)
RULE(lock_order_inversion)
