/* driver_impl.h — what the driver's files share: the driver object, one
 * input's job (job.c), and the run's delivery state (deliver.c). */
#ifndef TETHER_DRIVER_IMPL_H
#define TETHER_DRIVER_IMPL_H

#include <stdbool.h>
#include <stddef.h>

#include "driver/compdb.h"
#include "driver/driver.h"
#include "driver/memo.h"
#include "driver/roots.h"
#include "driver/suppress.h"
#include "emit/source.h"
#include "frontend/frontend.h"

struct driver {
    driver_opts o;                     /* the caller's, pointers re-aimed at the copies below */
    const driver_frontend *fe;
    const driver_frontend *fallback;   /* tree-sitter when built in and o.fallback, else NULL */
    compdb *db;
    char *include;                     /* the folder of tether.h */
    char *root;                        /* real path of the root */
    bool *enabled;                     /* per rule, copied */
    diag_severity *severity;           /* per rule, copied */
    char **before, **extra;            /* copies of the extra arguments */
    bool setup_error;
    double setup_ms;
    driver_memo *memo;                 /* o.reuse_analysis: the last findings per file */
    driver_roots *roots;               /* o.reuse_analysis: the last findings per root per file */
};

/* An error found while building a job, delivered later in input order. */
typedef struct job_error {
    driver_error_kind kind;
    driver_level level;
    char *file, *msg, *hint;
    model_loc loc;
} job_error;

/* A project header's model built for a job. */
typedef struct job_header {
    model_tu *tu;                      /* tu->path is `report` */
    char *real;                        /* real path: the header's identity */
    char *report;                      /* relative to the cwd when under it */
} job_header;

typedef struct job {
    const driver_input *in;
    src_file *src;                     /* the buffer read once */
    model_tu *tu;                      /* NULL when the input failed */
    job_header *headers;
    size_t nheaders;
    const char *fe_name;
    job_error *errors;
    size_t nerrors;
    bool failed;                       /* an input error: not analyzed */
    frontend_stats st;
    double read_ms;
    bool done;                         /* set under the run's lock */
} job;

/* job.c: reads, finds the arguments, builds the models (with the fallback)
 * and the header models. Thread-safe. */
void job_build(const driver *d, job *j);
void job_free(job *j);
void job_add_error(job *j, driver_error_kind kind, const char *file, model_loc loc, driver_level level,
                   const char *hint, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* The real path of path, relative to the cwd when under it (malloc'd). */
char *driver_report_path(const char *path);
/* path relative to root (both real), for fingerprints and structured
 * output; absolute when outside. malloc'd. */
char *driver_root_relative(const char *root, const char *path);

/* hint.c: how to find a missing header (malloc'd). */
char *driver_missing_header_hint(const driver *d, const char *header, const char *file);
/* The project headers a file includes with "" (tree-sitter front end):
 * resolved against the file's folder, then -iquote and -I folders in args.
 * Returns malloc'd paths, *n of them. */
char **driver_quoted_includes(const char *path, const char *text, size_t len, const char *const *args,
                              size_t nargs, size_t *n);

/* deliver.c: the run's delivery of errors and findings. */
typedef struct deliver_state deliver_state;
deliver_state *deliver_new(const driver *d, const driver_sink *sink, driver_summary *sum);
void deliver_free(deliver_state *self);
void deliver_errors(deliver_state *self, job *j);
/* Delivers the findings of `diags` that belong to job j: its file first,
 * then the headers j reached (each header once per run). Takes the diags
 * it delivers out of `diags`. */
void deliver_job(deliver_state *self, job *j, diag_list *diags);
/* Delivers what is left in `diags`: findings in files that are neither an
 * input nor a header (a rule may report where a call leads), grouped by
 * file, each finding once per run. */
void deliver_rest(deliver_state *self, job *j, diag_list *diags);

#endif /* TETHER_DRIVER_IMPL_H */
