/* fe_reuse.h — a file's parse kept between runs, for an editor's saves
 * (frontend_input.reuse): the translation unit is kept with a precompiled
 * preamble (the headers its #includes at the top bring in, parsed once)
 * and reparsed with the new text, so headers that did not change are not
 * parsed again. libclang checks each header of the preamble (size and
 * modification time) and rebuilds it when one changed. */
#ifndef TETHER_FE_REUSE_H
#define TETHER_FE_REUSE_H

#include <stdbool.h>

#include "fe_libclang.h"

/* The translation unit of path parsed with argv and the unsaved text: the
 * kept one reparsed when path was parsed with the same arguments before,
 * else a new one (kept). *reused says which. The unit stays the caller's
 * (other callers wait) until fe_reuse_release. NULL when libclang could
 * not parse (*rc says why). */
CXTranslationUnit fe_reuse_acquire(const char *path, const char *const *argv, int argc,
                                   struct CXUnsavedFile *unsaved, unsigned nunsaved, unsigned options,
                                   bool *reused, enum CXErrorCode *rc);
void fe_reuse_release(CXTranslationUnit tu);

#endif /* TETHER_FE_REUSE_H */
