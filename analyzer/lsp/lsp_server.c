/* lsp_server.c — the language server's message loop (lsp_server.h):
 * framing in, JSON-RPC dispatch, lifecycle (initialize, shutdown, exit),
 * cancellation of queued requests, and the output helpers. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver/util.h"
#include "lsp/lsp_impl.h"

#ifndef TETHER_VERSION
#define TETHER_VERSION "0.0.0"
#endif

/* ---- Output ----------------------------------------------------------------- */

void lsp_send(lsp_server *self, cJSON *msg)
{
    cJSON_AddStringToObject(msg, "jsonrpc", "2.0");
    char *body = cJSON_PrintUnformatted(msg);
    cJSON_Delete(msg);
    if (!body)
        abort();
    size_t n = strlen(body);
    char head[64];
    int k = snprintf(head, sizeof head, "Content-Length: %zu\r\n\r\n", n);
    char *all = driver_xmalloc((size_t)k + n + 1);
    memcpy(all, head, (size_t)k);
    memcpy(all + k, body, n);
    pthread_mutex_lock(&self->wlock);
    if (self->o.write)
        self->o.write(self->o.ctx, all, (size_t)k + n);
    pthread_mutex_unlock(&self->wlock);
    free(all);
    cJSON_free(body);
}

static cJSON *server__message(const cJSON *id)
{
    cJSON *m = cJSON_CreateObject();
    cJSON_AddItemToObject(m, "id", id ? cJSON_Duplicate(id, 1) : cJSON_CreateNull());
    return m;
}

void lsp_respond(lsp_server *self, const cJSON *id, cJSON *result)
{
    cJSON *m = server__message(id);
    cJSON_AddItemToObject(m, "result", result ? result : cJSON_CreateNull());
    lsp_send(self, m);
}

void lsp_respond_error(lsp_server *self, const cJSON *id, int code, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cJSON *m = server__message(id);
    cJSON *e = cJSON_AddObjectToObject(m, "error");
    cJSON_AddNumberToObject(e, "code", code);
    cJSON_AddStringToObject(e, "message", msg);
    lsp_send(self, m);
}

void lsp_notify(lsp_server *self, const char *method, cJSON *params)
{
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "method", method);
    cJSON_AddItemToObject(m, "params", params ? params : cJSON_CreateObject());
    lsp_send(self, m);
}

void lsp_log(lsp_server *self, const char *fmt, ...)
{
    if (!self->o.log)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("tether lsp: ", self->o.log);
    vfprintf(self->o.log, fmt, ap);
    fputc('\n', self->o.log);
    fflush(self->o.log);
    va_end(ap);
}

void lsp_log_message(lsp_server *self, int type, const char *msg)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddNumberToObject(p, "type", type);
    cJSON_AddStringToObject(p, "message", msg);
    lsp_notify(self, "window/logMessage", p);
}

/* ---- JSON access -------------------------------------------------------------- */

const char *lsp_json_str(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

bool lsp_json_int(const cJSON *obj, const char *key, int64_t *out)
{
    const cJSON *v = cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
    if (!cJSON_IsNumber(v) || v->valuedouble != v->valuedouble || v->valuedouble < -9.0e15 ||
        v->valuedouble > 9.0e15)
        return false;
    *out = (int64_t)v->valuedouble;
    return true;
}

const cJSON *lsp_json_obj(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
    return cJSON_IsObject(v) ? v : NULL;
}

/* ---- Lifecycle ------------------------------------------------------------------ */

static cJSON *server__capabilities(void)
{
    cJSON *caps = cJSON_CreateObject();
    cJSON *sync = cJSON_AddObjectToObject(caps, "textDocumentSync");
    cJSON_AddBoolToObject(sync, "openClose", 1);
    cJSON_AddNumberToObject(sync, "change", 2); /* incremental */
    cJSON *save = cJSON_AddObjectToObject(sync, "save");
    cJSON_AddBoolToObject(save, "includeText", 0);
    cJSON *ca = cJSON_AddObjectToObject(caps, "codeActionProvider");
    cJSON *kinds = cJSON_AddArrayToObject(ca, "codeActionKinds");
    cJSON_AddItemToArray(kinds, cJSON_CreateString("quickfix"));
    cJSON_AddBoolToObject(caps, "hoverProvider", 1);
    cJSON_AddStringToObject(caps, "positionEncoding", "utf-16");
    return caps;
}

static void server__initialize(lsp_server *self, const cJSON *id, const cJSON *params)
{
    int64_t pid = 0;
    if (lsp_json_int(params, "processId", &pid) && pid > 0)
        self->client_pid = (long)pid;
    const cJSON *watch = lsp_json_obj(lsp_json_obj(lsp_json_obj(params, "capabilities"), "workspace"),
                                      "didChangeWatchedFiles");
    self->watch_dynamic = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(watch, "dynamicRegistration"));
    const cJSON *init = cJSON_GetObjectItemCaseSensitive(params, "initializationOptions");
    pthread_mutex_lock(&self->lock);
    if (cJSON_IsObject(init))
        lsp_settings_apply(&self->settings, init, self->o.log);
    self->settings_gen++;
    self->state = LSP_RUNNING;
    pthread_mutex_unlock(&self->lock);
    cJSON *r = cJSON_CreateObject();
    cJSON_AddItemToObject(r, "capabilities", server__capabilities());
    cJSON *info = cJSON_AddObjectToObject(r, "serverInfo");
    cJSON_AddStringToObject(info, "name", "tether");
    cJSON_AddStringToObject(info, "version", TETHER_VERSION);
    lsp_respond(self, id, r);
}

/* Asks the client to watch the files whose change alters findings. */
static void server__register_watchers(lsp_server *self)
{
    if (!self->watch_dynamic)
        return;
    cJSON *m = cJSON_CreateObject();
    cJSON_AddNumberToObject(m, "id", ++self->next_id);
    cJSON_AddStringToObject(m, "method", "client/registerCapability");
    cJSON *regs = cJSON_AddArrayToObject(cJSON_AddObjectToObject(m, "params"), "registrations");
    cJSON *reg = cJSON_CreateObject();
    cJSON_AddItemToArray(regs, reg);
    cJSON_AddStringToObject(reg, "id", "tether-watch");
    cJSON_AddStringToObject(reg, "method", "workspace/didChangeWatchedFiles");
    cJSON *w = cJSON_AddArrayToObject(cJSON_AddObjectToObject(reg, "registerOptions"), "watchers");
    static const char *const globs[] = { "**/.tether.yml", "**/compile_commands.json" };
    for (size_t i = 0; i < 2; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "globPattern", globs[i]);
        cJSON_AddItemToArray(w, o);
    }
    lsp_send(self, m);
}

static void server__did_change_configuration(lsp_server *self, const cJSON *params)
{
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(params, "settings");
    pthread_mutex_lock(&self->lock);
    bool changed = cJSON_IsObject(s) && lsp_settings_apply(&self->settings, s, self->o.log);
    pthread_mutex_unlock(&self->lock);
    if (changed)
        lsp_reanalyze_all(self);
}

static bool server__ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n >= k && strcmp(s + n - k, tail) == 0 && (n == k || s[n - k - 1] == '/');
}

static void server__did_change_watched(lsp_server *self, const cJSON *params)
{
    const cJSON *changes = cJSON_GetObjectItemCaseSensitive(params, "changes"), *c;
    bool relevant = false;
    cJSON_ArrayForEach(c, changes)
    {
        const char *uri = lsp_json_str(c, "uri");
        if (uri && (server__ends_with(uri, ".tether.yml") || server__ends_with(uri, "compile_commands.json")))
            relevant = true;
    }
    if (relevant)
        lsp_reanalyze_all(self);
}

/* ---- Dispatch --------------------------------------------------------------------- */

typedef struct server_method {
    const char *name;
    cJSON *(*request)(lsp_server *self, const cJSON *params);   /* returns the result */
    void (*notification)(lsp_server *self, const cJSON *params);
} server_method;

static const server_method server__methods[] = {
    { "textDocument/didOpen", NULL, lsp_did_open },
    { "textDocument/didChange", NULL, lsp_did_change },
    { "textDocument/didSave", NULL, lsp_did_save },
    { "textDocument/didClose", NULL, lsp_did_close },
    { "workspace/didChangeConfiguration", NULL, server__did_change_configuration },
    { "workspace/didChangeWatchedFiles", NULL, server__did_change_watched },
    { "textDocument/codeAction", lsp_code_action, NULL },
    { "textDocument/hover", lsp_hover, NULL },
};

static const server_method *server__find(const char *name)
{
    for (size_t i = 0; i < sizeof server__methods / sizeof server__methods[0]; i++)
        if (strcmp(server__methods[i].name, name) == 0)
            return &server__methods[i];
    return NULL;
}

static bool server__valid_id(const cJSON *id)
{
    return cJSON_IsNumber(id) || cJSON_IsString(id);
}

/* Whether id is among the canceled ids. */
static bool server__canceled(const cJSON *id, const cJSON *canceled)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, canceled)
    {
        if (cJSON_Compare(c, id, 1))
            return true;
    }
    return false;
}

static void server__request(lsp_server *self, const char *method, const cJSON *id, const cJSON *params,
                            const cJSON *canceled)
{
    if (self->state == LSP_NEW && strcmp(method, "initialize") != 0) {
        lsp_respond_error(self, id, LSP_SERVER_NOT_INITIALIZED, "%s before initialize", method);
        return;
    }
    if (self->state == LSP_SHUTDOWN) {
        lsp_respond_error(self, id, LSP_INVALID_REQUEST, "%s after shutdown", method);
        return;
    }
    if (strcmp(method, "initialize") == 0) {
        if (self->state != LSP_NEW)
            lsp_respond_error(self, id, LSP_INVALID_REQUEST, "initialize sent twice");
        else
            server__initialize(self, id, params);
        return;
    }
    if (server__canceled(id, canceled)) {
        lsp_respond_error(self, id, LSP_REQUEST_CANCELLED, "%s canceled", method);
        return;
    }
    if (strcmp(method, "shutdown") == 0) {
        pthread_mutex_lock(&self->lock);
        self->state = LSP_SHUTDOWN;
        pthread_mutex_unlock(&self->lock);
        lsp_respond(self, id, NULL);
        return;
    }
    const server_method *m = server__find(method);
    if (!m || !m->request) {
        lsp_respond_error(self, id, LSP_METHOD_NOT_FOUND, "unsupported request %s", method);
        return;
    }
    if (!cJSON_IsObject(params)) {
        lsp_respond_error(self, id, LSP_INVALID_PARAMS, "%s needs params", method);
        return;
    }
    lsp_respond(self, id, m->request(self, params));
}

static void server__notification(lsp_server *self, const char *method, const cJSON *params)
{
    if (strcmp(method, "exit") == 0) {
        pthread_mutex_lock(&self->lock);
        self->exit_status = self->state == LSP_SHUTDOWN ? 0 : 1;
        self->state = LSP_EXITED;
        pthread_mutex_unlock(&self->lock);
        return;
    }
    if (self->state != LSP_RUNNING) /* before initialize, after shutdown: dropped */
        return;
    if (strcmp(method, "initialized") == 0) {
        server__register_watchers(self);
        return;
    }
    const server_method *m = server__find(method);
    if (m && m->notification) {
        if (cJSON_IsObject(params))
            m->notification(self, params);
        else
            lsp_log(self, "%s without params, ignored", method);
    } else if (strncmp(method, "$/", 2) != 0) {
        lsp_log(self, "unsupported notification %s, ignored", method);
    }
}

/* One parsed message. */
static void server__dispatch(lsp_server *self, const cJSON *msg, const cJSON *canceled)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(msg, "id");
    const cJSON *method = cJSON_GetObjectItemCaseSensitive(msg, "method");
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(msg, "params");
    if (!cJSON_IsObject(msg)) {
        lsp_log(self, "a message that is not a JSON object, ignored");
        return;
    }
    if (!method) {
        /* A response to one of our requests (client/registerCapability). */
        if (!cJSON_GetObjectItemCaseSensitive(msg, "result") && !cJSON_GetObjectItemCaseSensitive(msg, "error"))
            lsp_log(self, "a message with neither method nor result, ignored");
        return;
    }
    if (!cJSON_IsString(method)) {
        lsp_log(self, "a message whose method is not a string, ignored");
        if (server__valid_id(id))
            lsp_respond_error(self, id, LSP_INVALID_REQUEST, "method must be a string");
        return;
    }
    if (id && !server__valid_id(id)) {
        lsp_log(self, "%s with an id that is neither number nor string, ignored", method->valuestring);
        return;
    }
    if (id)
        server__request(self, method->valuestring, id, params, canceled);
    else
        server__notification(self, method->valuestring, params);
}

/* The ids of $/cancelRequest among msgs (cancellation of requests that
 * came in the same read). */
static cJSON *server__cancels(cJSON *const *msgs, size_t n)
{
    cJSON *ids = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++) {
        const char *m = lsp_json_str(msgs[i], "method");
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(lsp_json_obj(msgs[i], "params"), "id");
        if (m && strcmp(m, "$/cancelRequest") == 0 && server__valid_id(id))
            cJSON_AddItemToArray(ids, cJSON_Duplicate(id, 1));
    }
    return ids;
}

void lsp_server_feed(lsp_server *self, const char *data, size_t n)
{
    lsp_reader_feed(self->reader, data, n);
    cJSON **msgs = NULL;
    size_t nmsgs = 0, cap = 0;
    for (;;) {
        const char *body;
        size_t len;
        char err[256];
        lsp_read_status st = lsp_reader_next(self->reader, &body, &len, err, sizeof err);
        if (st == LSP_READ_NONE)
            break;
        if (st == LSP_READ_ERROR) {
            lsp_log(self, "%s", err);
            continue;
        }
        cJSON *msg = cJSON_ParseWithLength(body, len);
        if (!msg) {
            lsp_log(self, "a message that is not valid JSON (%zu bytes), skipped", len);
            continue;
        }
        if (nmsgs == cap)
            msgs = driver_xrealloc(msgs, (cap = cap ? cap * 2 : 8) * sizeof *msgs);
        msgs[nmsgs++] = msg;
    }
    cJSON *canceled = server__cancels(msgs, nmsgs);
    for (size_t i = 0; i < nmsgs; i++) {
        if (self->state != LSP_EXITED)
            server__dispatch(self, msgs[i], canceled);
        cJSON_Delete(msgs[i]);
    }
    cJSON_Delete(canceled);
    free(msgs);
    if (!self->o.threads && self->o.analyze)
        lsp_worker_run_inline(self);
}

/* ---- The object ------------------------------------------------------------------- */

lsp_server *lsp_server_new(const lsp_server_opts *opts)
{
    lsp_server *self = driver_xmalloc(sizeof *self);
    self->o = *opts;
    self->reader = lsp_reader_new(0);
    pthread_mutex_init(&self->lock, NULL);
    pthread_mutex_init(&self->wlock, NULL);
    pthread_cond_init(&self->wake, NULL);
    pthread_cond_init(&self->idle, NULL);
    atomic_init(&self->cancel, false);
    lsp_settings_init(&self->settings);
    self->worker = lsp_worker_new(opts->frontend);
    self->worker_gen = (unsigned)-1;
    if (self->o.threads && self->o.analyze)
        lsp_worker_start(self);
    return self;
}

void lsp_server_free(lsp_server *self)
{
    if (!self)
        return;
    lsp_worker_stop(self);
    lsp_close_all(self);
    lsp_worker_free(self->worker);
    lsp_settings_free(&self->settings);
    lsp_reader_free(self->reader);
    free(self->docs);
    pthread_mutex_destroy(&self->lock);
    pthread_mutex_destroy(&self->wlock);
    pthread_cond_destroy(&self->wake);
    pthread_cond_destroy(&self->idle);
    free(self);
}

bool lsp_server_exited(const lsp_server *self, int *status)
{
    if (self->state != LSP_EXITED)
        return false;
    if (status)
        *status = self->exit_status;
    return true;
}

long lsp_server_client_pid(const lsp_server *self)
{
    return self->client_pid;
}
