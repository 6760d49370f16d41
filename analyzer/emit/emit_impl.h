/* emit_impl.h — what each format implements (emit.h), and helpers the
 * formats share. */
#ifndef TETHER_EMIT_IMPL_H
#define TETHER_EMIT_IMPL_H

#include "emit/emit.h"

typedef struct emit_ops {
    void (*file)(emitter *self, const char *path, const src_file *src, const diag *diags, size_t n,
                 emit_source_fn source, const void *ctx);
    void (*problem)(emitter *self, const emit_problem *p);
    int (*end)(emitter *self, bool ok);
    void (*free)(emitter *self);
} emit_ops;

struct emitter {
    const emit_ops *ops;
    emit_opts o;
    void *state;                /* the format's own */
};

void emit_text_init(emitter *self);
void emit_sarif_init(emitter *self);
void emit_json_init(emitter *self);
void emit_github_init(emitter *self);
void emit_codeclimate_init(emitter *self);

/* "warning", "error", "note" */
const char *emit_severity_name(diag_severity s);
void *emit_xmalloc(size_t n);   /* zeroed; aborts on out of memory */

#endif /* TETHER_EMIT_IMPL_H */
