/* lsp_impl.h — what the language server's files share: the server, its
 * documents and their findings, settings, and the helpers that send
 * messages. Locking: `lock` guards documents, settings and the worker's
 * queue; `wlock` guards the output (taken inside `lock`, never around it). */
#ifndef TETHER_LSP_IMPL_H
#define TETHER_LSP_IMPL_H

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "diag/diag.h"
#include "lsp/lsp_reader.h"
#include "lsp/lsp_server.h"

/* JSON-RPC and LSP error codes. */
enum {
    LSP_PARSE_ERROR = -32700,
    LSP_INVALID_REQUEST = -32600,
    LSP_METHOD_NOT_FOUND = -32601,
    LSP_INVALID_PARAMS = -32602,
    LSP_SERVER_NOT_INITIALIZED = -32002,
    LSP_REQUEST_CANCELLED = -32800,
};

/* An LSP range: 0-based lines, UTF-16 characters. */
typedef struct lsp_range {
    uint32_t l0, c0, l1, c1;
} lsp_range;

/* One published diagnostic, kept for code actions and hover. */
typedef struct lsp_finding {
    lsp_range range;
    char *rule;
    cJSON *diagnostic;     /* as published */
    cJSON *fix_edits;      /* WorkspaceEdit "changes" of its fix-its, or NULL */
    char *fix_title;
} lsp_finding;

typedef struct lsp_findings {
    lsp_finding *v;
    size_t n;
} lsp_findings;

void lsp_findings_free(lsp_findings *f);

typedef struct lsp_doc {
    char *uri;
    char *path;            /* absolute; NULL for a URI that is no file */
    char *text;
    size_t len, cap;
    int64_t version;
    bool is_c;             /* languageId c (or a .c/.h path): analyzed */
    /* The queue: an analysis is due at `due` (ms, monotonic). */
    bool pending, pending_save;
    double due;
    /* What was published last, for code actions and hover. */
    bool published;
    int64_t published_version;
    lsp_findings findings;
} lsp_doc;

/* Settings (initializationOptions, workspace/didChangeConfiguration). */
typedef enum lsp_fe_choice {
    LSP_FE_AUTO = 0,       /* tree-sitter while typing, clang on open and save */
    LSP_FE_CLANG,          /* clang always */
    LSP_FE_TREESITTER,     /* tree-sitter always */
} lsp_fe_choice;

typedef struct lsp_settings {
    lsp_fe_choice frontend;
    char *config;          /* a .tether.yml for every file, or NULL: search */
    char *compdb;          /* compile_commands.json or its folder, or NULL: the
                              config's, else found above the file */
    signed char *rules;    /* per rule: -1 unset, 0 off, 1 on */
    diag_severity *severity; /* per rule, with rules[i] == 1 and sev_set[i] */
    bool *sev_set;
    int debounce_ms;
} lsp_settings;

void lsp_settings_init(lsp_settings *s);
void lsp_settings_free(lsp_settings *s);
void lsp_settings_copy(lsp_settings *dst, const lsp_settings *src);
/* Applies a settings object ({"tether": {...}} or {...}); unknown keys and
 * bad values are logged and ignored. Returns whether anything changed. */
bool lsp_settings_apply(lsp_settings *s, const cJSON *obj, FILE *log);

typedef struct lsp_worker lsp_worker;

struct lsp_server {
    lsp_server_opts o;
    lsp_reader *reader;
    pthread_mutex_t lock, wlock;
    pthread_cond_t wake;       /* the worker's: new work, or stop */
    pthread_cond_t idle;       /* nothing queued or running */
    enum { LSP_NEW, LSP_RUNNING, LSP_SHUTDOWN, LSP_EXITED } state;
    int exit_status;
    long client_pid;
    bool watch_dynamic;        /* the client registers file watchers for us */
    lsp_settings settings;
    unsigned settings_gen;     /* bumped when settings or watched files change */
    lsp_doc **docs;
    size_t ndocs;
    int next_id;               /* ids of our requests to the client */
    /* The worker. */
    pthread_t thread;
    bool thread_started, stop;
    char *running_uri;         /* the document being analyzed, or NULL */
    atomic_bool cancel;        /* set when that document changed or closed */
    lsp_worker *worker;        /* its caches (worker thread only) */
    unsigned worker_gen;       /* the settings_gen its caches were made with */
};

/* Output (lsp_server.c). Each takes ownership of the cJSON it is given. */
void lsp_send(lsp_server *self, cJSON *msg);
void lsp_respond(lsp_server *self, const cJSON *id, cJSON *result);
void lsp_respond_error(lsp_server *self, const cJSON *id, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void lsp_notify(lsp_server *self, const char *method, cJSON *params);
void lsp_log(lsp_server *self, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* window/logMessage (type 1 error .. 4 log). */
void lsp_log_message(lsp_server *self, int type, const char *msg);

/* JSON access: NULL / false when missing or of another type. */
const char *lsp_json_str(const cJSON *obj, const char *key);
bool lsp_json_int(const cJSON *obj, const char *key, int64_t *out);
const cJSON *lsp_json_obj(const cJSON *obj, const char *key);

/* Documents (lsp_sync.c); call with lock held. */
lsp_doc *lsp_doc_find(lsp_server *self, const char *uri);
/* The text document notifications. */
void lsp_did_open(lsp_server *self, const cJSON *params);
void lsp_did_change(lsp_server *self, const cJSON *params);
void lsp_did_save(lsp_server *self, const cJSON *params);
void lsp_did_close(lsp_server *self, const cJSON *params);
void lsp_close_all(lsp_server *self);

/* Requests on findings (lsp_lang.c). */
cJSON *lsp_code_action(lsp_server *self, const cJSON *params);
cJSON *lsp_hover(lsp_server *self, const cJSON *params);

/* The worker (lsp_worker.c). lsp_schedule: doc's analysis due after delay
 * ms (lock held); a newer change cancels the analysis of this document in
 * progress. lsp_reanalyze_all: settings or watched files changed. */
void lsp_worker_start(lsp_server *self);
void lsp_worker_stop(lsp_server *self);
void lsp_schedule(lsp_server *self, lsp_doc *doc, bool save, int delay_ms);
void lsp_reanalyze_all(lsp_server *self);
/* Inline mode: runs every queued analysis now (lock not held). */
void lsp_worker_run_inline(lsp_server *self);

/* One analysis (lsp_analyze.c): the findings of `text` as path's content,
 * as the diagnostics array to publish. Runs without the lock. */
typedef struct lsp_snapshot {
    char *uri, *path, *text;
    size_t len;
    int64_t version;
    bool save;
} lsp_snapshot;

/* frontend: lsp_server_opts.frontend (may be NULL). */
lsp_worker *lsp_worker_new(const char *frontend);
void lsp_worker_free(lsp_worker *w);
/* Settings changed: drops the drivers and configs made with the old ones. */
void lsp_worker_reset(lsp_worker *w, const lsp_settings *s);
/* Analyzes snap; fills out (findings with their JSON) and adds tool
 * problems as lines to *problems (malloc'd text, or NULL). */
void lsp_analyze(lsp_worker *w, const lsp_snapshot *snap, const atomic_bool *cancel, lsp_findings *out,
                 char **problems);

/* file:// URIs (lsp_uri.c): malloc'd, NULL when the URI is no file. */
char *lsp_uri_to_path(const char *uri);
char *lsp_path_to_uri(const char *path);

double lsp_now_ms(void);

#endif /* TETHER_LSP_IMPL_H */
