/* alias.h — a project's own wrappers of the API (`.tether.yml`:
 * `aliases: { spawn: [my_go] }`). Both front ends model a call of an alias
 * exactly as a call of the API function it stands for, with the same
 * arguments in the same positions: `my_go(fn, arg)` is `tt_spawn(fn, arg)`.
 *
 * The front ends call frontend_alias_use() on entry with the aliases of
 * frontend_input, and look every callee name up where they recognize API
 * names; the table is per thread (files are built on worker threads). */
#ifndef TETHER_FRONTEND_ALIAS_H
#define TETHER_FRONTEND_ALIAS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct frontend_alias {
    const char *name;   /* the wrapper, "my_go" (a C identifier) */
    const char *target; /* the API function it stands for, "tt_spawn" */
} frontend_alias;

/* The API functions an alias can stand for: "spawn" -> "tt_spawn" (the names
 * of tether.h without tt_, the keys of a config's aliases); NULL for any
 * other key. frontend_alias_key(i) lists them, NULL past the end. */
const char *frontend_alias_api(const char *key);
const char *frontend_alias_key(size_t i);

/* This thread's aliases until the next call (the array is borrowed: it must
 * outlive the front end's run); n == 0 for none. */
void frontend_alias_use(const frontend_alias *v, size_t n);

/* The API name that name[0..len) stands for under the current aliases, or
 * NULL when it is no alias. */
const char *frontend_alias_of(const char *name, size_t len);

/* Whether name[0..len) is an alias of the API function api ("tt_send"). */
bool frontend_alias_stands_for(const char *name, size_t len, const char *api);

/* In place, for the front ends' name lookups: when (*name, *len) is an
 * alias, make it the API name it stands for. */
void frontend_alias_apply(const char **name, uint32_t *len);

/* The same for a malloc'd name (the clang front end's callee names): the
 * name itself, or, for an alias, a malloc'd copy of its target (the name is
 * freed). NULL stays NULL; NULL when out of memory. */
char *frontend_alias_apply_owned(char *name);

/* Whether the text mentions any current alias name (a file that calls only
 * wrappers and never writes `tt_` still has something to model). */
bool frontend_alias_in_text(const char *text, size_t len);

#endif /* TETHER_FRONTEND_ALIAS_H */
