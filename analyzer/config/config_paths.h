/* config_paths.h — where the running tether finds tether.h. */
#ifndef TETHER_CONFIG_PATHS_H
#define TETHER_CONFIG_PATHS_H

/* The folder holding tether.h, for the clang front end's -I:
 *   1. $TETHER_INCLUDE, when set;
 *   2. the include folder of the installed tree the program runs from
 *      (<bin>/../include, the install layout, wherever the tree was moved);
 *   3. for the program in its build tree, the source tree's runtime/include.
 * NULL when none holds tether.h (the clang front end then reports the
 * missing header). Computed once; the string is static. */
const char *config_tether_include(void);

/* How the answer was found, for --help and --version: "TETHER_INCLUDE",
 * "installed", "build tree" or "none". */
const char *config_tether_include_origin(void);

#endif /* TETHER_CONFIG_PATHS_H */
