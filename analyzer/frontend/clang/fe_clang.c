/* fe_clang.c — the libclang front end's entry point (frontend.h): parses one
 * file with a per-thread CXIndex and walks its function definitions. */
#include "fe_clang.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "frontend/frontend.h"
#include "fe_reuse.h"

#if defined(__SANITIZE_ADDRESS__)
/* Under AddressSanitizer: LLVM gives the threads it parses on an alternate
 * signal stack of its own, which ASan then fails to unmap as if it were
 * its own when the thread ends ("unable to unmap"); ASan keeps none. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "use_sigaltstack=0";
}
#endif

/* One index per thread, reused for every file it parses; all are disposed
 * at exit (and stay reachable until then). */
static _Thread_local CXIndex fe__index;
static CXIndex fe__all[64];
static size_t fe__nall;
static pthread_mutex_t fe__lock = PTHREAD_MUTEX_INITIALIZER;

static void fe__dispose_all(void)
{
    pthread_mutex_lock(&fe__lock);
    for (size_t i = 0; i < fe__nall; i++)
        clang_disposeIndex(fe__all[i]);
    fe__nall = 0;
    pthread_mutex_unlock(&fe__lock);
}

static CXIndex fe__get_index(void)
{
    if (fe__index)
        return fe__index;
    pthread_mutex_lock(&fe__lock);
    if (fe__nall < sizeof fe__all / sizeof fe__all[0]) {
        fe__index = clang_createIndex(0, 0);
        if (fe__nall == 0)
            atexit(fe__dispose_all);
        fe__all[fe__nall++] = fe__index;
    }
    pthread_mutex_unlock(&fe__lock);
    /* More threads than slots: a private index per call (see build). */
    return fe__index;
}

static double fe__now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void fe__err(char *err, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fe__err(char *err, size_t size, const char *fmt, ...)
{
    if (!err || size == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, size, fmt, ap);
    va_end(ap);
}

typedef struct fe_fn_list {
    CXCursor *v;
    char **names;
    size_t n, cap;
    CXFile file;          /* the modeled file: NULL for the main file */
    CXCursor *vars;       /* its file-scope variables */
    size_t nvars, capvars;
} fe_fn_list;

/* Whether cursor c lies in file (NULL: the main file). */
static bool fe__in_file(CXCursor c, CXFile file)
{
    CXSourceLocation l = clang_getCursorLocation(c);
    if (!file)
        return clang_Location_isFromMainFile(l);
    CXFile f = NULL;
    clang_getFileLocation(l, &f, NULL, NULL, NULL);
    return f && clang_File_isEqual(f, file);
}

static enum CXChildVisitResult fe__top(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    fe_fn_list *l = data;
    enum CXCursorKind k = clang_getCursorKind(c);
    if (k == CXCursor_VarDecl && fe__in_file(c, l->file)) {
        if (l->nvars == l->capvars) {
            l->capvars = l->capvars ? l->capvars * 2 : 16;
            CXCursor *v = realloc(l->vars, l->capvars * sizeof *v);
            if (!v) {
                fputs("tether: error: out of memory\n", stderr);
                abort();
            }
            l->vars = v;
        }
        l->vars[l->nvars++] = c;
        return CXChildVisit_Continue;
    }
    if (k != CXCursor_FunctionDecl || !clang_isCursorDefinition(c) || !fe__in_file(c, l->file))
        return CXChildVisit_Continue;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        CXCursor *v = realloc(l->v, l->cap * sizeof *v);
        char **names = realloc(l->names, l->cap * sizeof *names);
        if (!v || !names) {
            fputs("tether: error: out of memory\n", stderr);
            abort();
        }
        l->v = v;
        l->names = names;
    }
    CXString s = clang_getCursorSpelling(c);
    l->names[l->n] = strdup(clang_getCString(s));
    clang_disposeString(s);
    l->v[l->n++] = c;
    return CXChildVisit_Continue;
}

/* "'cfg.h' file not found" -> "cfg.h" (in buf), else NULL. */
static const char *fe__missing_header(const char *msg, char *buf, size_t size)
{
    static const char tail[] = "' file not found";
    size_t n = strlen(msg), t = sizeof tail - 1;
    if (n <= t + 1 || msg[0] != '\'' || strcmp(msg + n - t, tail) != 0 || n - t - 1 >= size)
        return NULL;
    memcpy(buf, msg + 1, n - t - 1);
    buf[n - t - 1] = '\0';
    return buf;
}

/* Each error (and fatal error) libclang reported, to the sink. */
static void fe__report_errors(CXTranslationUnit tu, const frontend_sink *sink)
{
    unsigned n = clang_getNumDiagnostics(tu);
    for (unsigned i = 0; i < n; i++) {
        CXDiagnostic d = clang_getDiagnostic(tu, i);
        if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error) {
            CXFile f = NULL;
            unsigned line = 0, col = 0;
            clang_getFileLocation(clang_getDiagnosticLocation(d), &f, &line, &col, NULL);
            CXString msg = clang_getDiagnosticSpelling(d);
            CXString fn = clang_getFileName(f);
            char header[512];
            frontend_error e = { 0 };
            e.file = f ? clang_getCString(fn) : NULL;
            e.loc = (model_loc){ line, col };
            e.msg = clang_getCString(msg);
            e.missing_header = fe__missing_header(e.msg ? e.msg : "", header, sizeof header);
            sink->error(sink->ctx, &e);
            clang_disposeString(fn);
            clang_disposeString(msg);
        }
        clang_disposeDiagnostic(d);
    }
}

/* The first error in the main file, as a one-line note for the caller. */
static void fe__syntax_note(CXTranslationUnit tu, char *err, size_t errsize)
{
    unsigned n = clang_getNumDiagnostics(tu), errors = 0;
    char first[256] = "";
    for (unsigned i = 0; i < n; i++) {
        CXDiagnostic d = clang_getDiagnostic(tu, i);
        enum CXDiagnosticSeverity sev = clang_getDiagnosticSeverity(d);
        if (sev >= CXDiagnostic_Error) {
            if (errors++ == 0) {
                CXFile f;
                unsigned line, col;
                clang_getFileLocation(clang_getDiagnosticLocation(d), &f, &line, &col, NULL);
                CXString msg = clang_getDiagnosticSpelling(d);
                CXString fn = clang_getFileName(f);
                const char *fname = clang_getCString(fn);
                snprintf(first, sizeof first, "%s%s%u:%u: %s", fname ? fname : "", fname ? ":" : "",
                         line, col, clang_getCString(msg));
                clang_disposeString(fn);
                clang_disposeString(msg);
            }
        }
        clang_disposeDiagnostic(d);
    }
    if (errors)
        fe__err(err, errsize, "%u compile error%s (first: %s); analysis may be incomplete", errors,
                errors == 1 ? "" : "s", first);
}

/* clang_getInclusions visitor: sets *data when the unit includes tether.h. */
static void fe__find_tether_h(CXFile file, CXSourceLocation *stack, unsigned depth, CXClientData data)
{
    (void)stack;
    (void)depth;
    CXString name = clang_getFileName(file);
    const char *path = clang_getCString(name);
    size_t n = path ? strlen(path) : 0;
    if (n >= 8 && strcmp(path + n - 8, "tether.h") == 0 && (n == 8 || path[n - 9] == '/'))
        *(bool *)data = true;
    clang_disposeString(name);
}

/* Whether the translation unit read a file named tether.h. Listing all
 * inclusions costs a tenth of the walk, so the tether.h of the tether
 * include directory is looked up first (clang_getFileContents is NULL for
 * a file the translation unit did not read); the list only if it is not. */
static bool fe__uses_tether(CXTranslationUnit tu, const char *dir)
{
    bool found = false;
    size_t n = dir ? strlen(dir) : 0;
    char *path = n ? malloc(n + sizeof "/tether.h") : NULL;
    if (path) {
        snprintf(path, n + sizeof "/tether.h", "%s/tether.h", dir);
        CXFile f = clang_getFile(tu, path);
        size_t size = 0;
        found = f && clang_getFileContents(tu, f, &size) != NULL;
        free(path);
    }
    if (!found)
        clang_getInclusions(tu, fe__find_tether_h, &found);
    return found;
}

/* The model of `file` (the main file when `which` is NULL), named `path`:
 * its function definitions walked (none when `walk` is false). */
/* The model of file; *deep_line (when the walk went too deep, else 0):
 * where it stopped. */
static model_tu *fe__model(CXTranslationUnit tu, CXFile file, CXFile which, const char *path, bool walk,
                           unsigned *deep_line)
{
    fe_state st;
    memset(&st, 0, sizeof st);
    fe_fn_list fns = { NULL, NULL, 0, 0, which, NULL, 0, 0 };
    st.tu = tu;
    st.main_file = file;
    st.buf = clang_getFileContents(tu, file, &st.buflen);
    if (!st.buf) {
        st.buf = "";
        st.buflen = 0;
    }
    st.m = model_new(path);
    if (walk) {
        clang_visitChildren(clang_getTranslationUnitCursor(tu), fe__top, &fns);
        fe_set_defined(&st, fns.names, fns.n);
        fe_memo_begin();
        for (size_t i = 0; i < fns.n; i++)
            fe_walk_function(&st, fns.v[i]);
        for (size_t i = 0; i < fns.nvars; i++)
            fe_note_global(&st, fns.vars[i]);
        fe_walk_globals(&st); /* after the others: their indexes stay */
        fe_memo_end();
    }
    model_finish(st.m);
    *deep_line = st.deep_line;
    for (size_t i = 0; i < fns.n; i++)
        free(fns.names[i]);
    free(fns.names);
    free(fns.v);
    free(fns.vars);
    free(st.vmemo);
    free(st.fdefs);
    free(st.globals);
    free(st.arrays);
    free(st.memo);
    free(st.arms);
    fe_sel_reset(&st);
    free(st.selvars);
    return st.m;
}

/* The project headers that define functions, in order of first definition. */
typedef struct fe_header_list {
    CXFile *v;
    size_t n, cap;
    const char *skip_dir;  /* the tether.h folder */
} fe_header_list;

static enum CXChildVisitResult fe__header_top(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    fe_header_list *l = data;
    if (clang_getCursorKind(c) != CXCursor_FunctionDecl || !clang_isCursorDefinition(c))
        return CXChildVisit_Continue;
    CXSourceLocation loc = clang_getCursorLocation(c);
    if (clang_Location_isFromMainFile(loc) || clang_Location_isInSystemHeader(loc))
        return CXChildVisit_Continue;
    CXFile f = NULL;
    clang_getFileLocation(loc, &f, NULL, NULL, NULL);
    if (!f)
        return CXChildVisit_Continue;
    for (size_t i = 0; i < l->n; i++)
        if (clang_File_isEqual(l->v[i], f))
            return CXChildVisit_Continue;
    CXString name = clang_getFileName(f);
    const char *path = clang_getCString(name);
    size_t k = l->skip_dir ? strlen(l->skip_dir) : 0;
    bool skip = !path || (k && strncmp(path, l->skip_dir, k) == 0 && path[k] == '/');
    clang_disposeString(name);
    if (skip)
        return CXChildVisit_Continue;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 4;
        CXFile *v = realloc(l->v, l->cap * sizeof *v);
        if (!v) {
            fputs("tether: error: out of memory\n", stderr);
            abort();
        }
        l->v = v;
    }
    l->v[l->n++] = f;
    return CXChildVisit_Continue;
}

/* One model per project header that defines functions, to the sink. */
static void fe__headers(CXTranslationUnit tu, const frontend_input *in)
{
    fe_header_list l = { NULL, 0, 0, in->tether_include_dir };
    clang_visitChildren(clang_getTranslationUnitCursor(tu), fe__header_top, &l);
    for (size_t i = 0; i < l.n; i++) {
        CXString name = clang_getFileName(l.v[i]);
        unsigned deep = 0;
        model_tu *m = fe__model(tu, l.v[i], l.v[i], clang_getCString(name), true, &deep);
        clang_disposeString(name);
        if (deep) /* a header too deep to walk: not modeled (its includer was) */
            model_free(m);
        else
            in->sink->header(in->sink->ctx, m);
    }
    free(l.v);
}

int frontend_clang_build(const frontend_input *in, model_tu **out, frontend_stats *stats, char *err,
                         size_t errsize)
{
    *out = NULL;
    frontend_alias_use(in->aliases, in->naliases);
    if (err && errsize)
        err[0] = '\0';
    char why[512];
    if (fe_libclang_load(why, sizeof why) != 0) {
        fe__err(err, errsize, "cannot load libclang (%s)", why);
        return -1;
    }
    if (!in->contents) {
        FILE *f = fopen(in->path, "rb");
        if (!f) {
            fe__err(err, errsize, "%s", strerror(errno));
            return -1;
        }
        fclose(f);
    }
    /* Arguments: the caller's (or defaults), then the directory of tether.h. */
    size_t cap = in->argc + 6, argc = 0;
    const char **argv = calloc(cap, sizeof *argv);
    char *dir = NULL;
    if (!argv) {
        fe__err(err, errsize, "out of memory");
        return -1;
    }
    if (in->argv) {
        for (size_t i = 0; i < in->argc; i++)
            argv[argc++] = in->argv[i];
    } else {
        argv[argc++] = "-std=c11";
        const char *slash = strrchr(in->path, '/');
        size_t n = slash ? (size_t)(slash - in->path) : 1;
        dir = malloc(n + 3);
        if (dir) {
            snprintf(dir, n + 3, "-I%.*s", (int)n, slash ? in->path : ".");
            argv[argc++] = dir;
        }
    }
    if (in->tether_include_dir) {
        argv[argc++] = "-I";
        argv[argc++] = in->tether_include_dir;
    }
    /* C2x attributes (`[[maybe_unused]] int x = f(c);`) under any -std:
     * without it clang drops the whole statement, tree-sitter reads it. */
    argv[argc++] = "-fdouble-square-bracket-attributes";

    CXIndex index = fe__get_index();
    bool own_index = false;
    if (!index) {
        index = clang_createIndex(0, 0);
        own_index = true;
    }
    struct CXUnsavedFile unsaved = { in->path, in->contents, (unsigned long)in->length };
    unsigned opts = CXTranslationUnit_KeepGoing | CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles;
    CXTranslationUnit tu = NULL;
    double t0 = fe__now_ms();
    enum CXErrorCode rc;
    bool reused = false;
    if (in->reuse)
        tu = fe_reuse_acquire(in->path, argv, (int)argc, in->contents ? &unsaved : NULL, in->contents ? 1 : 0, opts,
                              &reused, &rc);
    else
        rc = clang_parseTranslationUnit2(index, in->path, argv, (int)argc, in->contents ? &unsaved : NULL,
                                         in->contents ? 1 : 0, opts, &tu);
    double t1 = fe__now_ms();
    free(argv);
    free(dir);
    int result = -1;
    if (rc != CXError_Success || !tu) {
        fe__err(err, errsize, "libclang could not parse the file (error %d)", (int)rc);
        goto out;
    }
    CXFile main_file = clang_getFile(tu, in->path);
    if (!main_file) {
        fe__err(err, errsize, "libclang did not read the file");
        goto out;
    }
    /* else no tether call can occur: nothing to model */
    bool uses = fe__uses_tether(tu, in->tether_include_dir);
    unsigned deep = 0;
    *out = fe__model(tu, main_file, NULL, in->path, uses, &deep);
    if (deep) {
        model_free(*out);
        *out = NULL;
        fe__err(err, errsize, "nesting deeper than %d levels at line %u: not analyzed", FE_MAX_WALK_DEPTH, deep);
        goto out;
    }
    if (uses && in->sink && in->sink->header)
        fe__headers(tu, in);
    if (in->sink && in->sink->error)
        fe__report_errors(tu, in->sink);
    else
        fe__syntax_note(tu, err, errsize);
    result = 0;
out:;
    double t2 = fe__now_ms();
    if (stats) {
        stats->parse_ms = t1 - t0;
        stats->model_ms = result == 0 ? t2 - t1 : 0;
    }
    if (tu && in->reuse)
        fe_reuse_release(tu);
    else if (tu)
        clang_disposeTranslationUnit(tu);
    if (own_index)
        clang_disposeIndex(index);
    return result;
}
