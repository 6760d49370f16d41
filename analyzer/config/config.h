/* config.h — `.tether.yml`, a project's settings for `tether check`.
 *
 * Found like `.clang-tidy`: the nearest `.tether.yml` in the analyzed file's
 * folder or above it applies (`--config FILE` forces one for every file).
 * The nearest file wins as a whole, unless it says `inherit: true` (as
 * clang-tidy's InheritParentConfig): then the nearest `.tether.yml` above
 * its folder applies first and this one overrides it key by key (rules one
 * by one, aliases and exclude globs added). Every path in a file is relative
 * to that file's folder.
 *
 *     inherit: false            # default: this file alone
 *     frontend: tree-sitter     # or clang
 *     compile-database: build   # the folder of compile_commands.json
 *     exclude: [third_party, generated]   # globs; `**` spans folders
 *     rules:
 *       spawn-no-cancel: off    # on | off | error | warning | note
 *       wg-unbalanced: error    # a severity turns the rule on
 *     aliases:                  # tether.h function without tt_: wrappers
 *       spawn: [my_go]
 *       send: [chan_put, chan_put_logged]
 *
 * A bad file (YAML syntax, an unknown key, a wrong type, an unknown rule or
 * alias target) is one error, "PATH:LINE:COL: problem". */
#ifndef TETHER_CONFIG_H
#define TETHER_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "frontend/alias.h"

#define CONFIG_FILE_NAME ".tether.yml"

typedef enum config_severity {
    CONFIG_SEV_UNSET,   /* the rule's own (warning) */
    CONFIG_SEV_ERROR,
    CONFIG_SEV_WARNING,
    CONFIG_SEV_NOTE,
} config_severity;

typedef enum config_frontend {
    CONFIG_FE_UNSET,
    CONFIG_FE_CLANG,
    CONFIG_FE_TREESITTER,
} config_frontend;

typedef struct config_rule {
    signed char enabled;      /* -1 unset, 0 off, 1 on */
    config_severity severity;
} config_rule;

typedef struct config_glob {
    const char *dir;          /* the folder it is relative to (absolute) */
    char *pattern;            /* `*`, `?`, `[...]` within a name, `**` across */
} config_glob;

typedef struct config {
    char *path;               /* the file, as shown in messages */
    char *dir;                /* its folder, absolute */
    bool inherit;
    config_frontend frontend;
    char *compdb;             /* compile-database folder, absolute; NULL unset */
    config_glob *exclude;
    size_t nexclude;
    config_rule *rules;       /* rule_count entries, rule_registry's order */
    frontend_alias *aliases;  /* name -> "tt_..." */
    size_t naliases;
} config;

/* Parses one file's text (no inheritance). path: as shown in messages; dir:
 * the absolute folder its paths are relative to. 0 with *out set (free it
 * with config_free), or -1 with "PATH:LINE:COL: problem" in err. */
int config_parse(const char *path, const char *dir, const char *text, size_t len, config **out,
                 char *err, size_t errsize);
/* Reads and parses a file; -1 also for an unreadable one ("PATH: ..."). */
int config_load(const char *path, config **out, char *err, size_t errsize);
void config_free(config *c);

/* Whether an exclude glob matches the file (absolute path) or a folder
 * holding it: `third_party` excludes third_party/x/y.c. */
bool config_excludes(const config *c, const char *abs_path);
/* The glob matcher on its own: `*` and `?` stop at `/`, `**` spans folders,
 * `[a-z]`, `[!x]`, `\` escapes. */
bool config_glob_match(const char *pattern, const char *path);

/* The configs of a run, each file parsed once, per folder. */
typedef struct config_cache config_cache;
/* forced: `--config FILE` (used for every file) or NULL (search). */
config_cache *config_cache_new(const char *forced);
void config_cache_free(config_cache *cc);
/* The config in effect for a file (which need not exist yet: an editor's
 * buffer): 0 with *out set, NULL when no .tether.yml applies; -1 with one
 * line in err for a bad or unreadable config. The config lives as long as
 * the cache. */
int config_for_file(config_cache *cc, const char *path, const config **out, char *err,
                    size_t errsize);

/* The absolute, lexically normalized form of path (against the working
 * directory); malloc'd, NULL when out of memory. */
char *config_abs_path(const char *path);

#endif /* TETHER_CONFIG_H */
