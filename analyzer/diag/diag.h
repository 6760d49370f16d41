/* diag.h — findings: what rules report and emitters print.
 *
 * A rule fills a diag (position or range, rule id, message, notes that walk
 * the path, optional fix-its) with the calls below. Every note and fix-it
 * names its file (by default the finding's). Failures of the tool itself
 * are not diags: the driver reports them as errors (exit status 2). */
#ifndef TETHER_DIAG_H
#define TETHER_DIAG_H

#include <stddef.h>
#include <stdio.h>
#include "model/model.h"

#if defined(__GNUC__)
#define DIAG_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define DIAG_PRINTF(fmt, args)
#endif

typedef enum diag_severity {
    DIAG_WARNING = 0,     /* the default */
    DIAG_ERROR,           /* --warnings-as-errors, or a severity from config */
    DIAG_NOTE,            /* informational */
} diag_severity;

typedef struct diag_note {
    model_loc loc;
    char *msg;
    char *file;           /* never NULL: the finding's file unless given */
    model_loc end;        /* end of the range (column exclusive); {0,0}: unknown */
} diag_note;

/* What a fix-it does. Rules see no source text (a rule never includes a
 * parser), so the edits that depend on it (indentation, where a statement
 * ends, braces around a one-statement body) are said by kind and rendered
 * into plain replacements by the driver, which has the text
 * (driver/fixit_render.h), before any emitter sees them. A fix-it the
 * driver cannot render safely is dropped with every other fix-it of its
 * finding: all the fix-its of one finding are one fix. */
typedef enum diag_fixit_kind {
    DIAG_FIXIT_REPLACE = 0,  /* replace [begin, end) with text (begin == end inserts) */
    DIAG_FIXIT_BEFORE_STMT,  /* insert the statement `text` before the statement whose first
                                token is at begin (a `return`, or a function's closing `}`):
                                a line of its own with that line's indentation, braces added
                                when that statement is the whole body of an if, else or loop */
    DIAG_FIXIT_AFTER_STMT,   /* insert the statement `text` after the statement (at block
                                level) containing begin, on a line of its own */
    DIAG_FIXIT_STMT_END,     /* replace the `;` ending the statement containing begin with text */
    DIAG_FIXIT_APPEND_INIT,  /* append `text` as a new element after the brace initializer's
                                element that starts at begin (its last) */
} diag_fixit_kind;

/* Replace the bytes [begin, end) of `file` with `text` (begin == end
 * inserts). Positions are line/column, as everywhere. In the text of the
 * statement kinds, "\n" starts a new line indented one level deeper than
 * the statement. */
typedef struct diag_fixit {
    model_loc begin, end;
    char *text;
    size_t note;          /* 0: shown with the warning; i: with note i - 1 */
    char *file;           /* never NULL: the finding's file unless given */
    diag_fixit_kind kind;
    model_loc scope;      /* a place a name of `text` is declared or assigned at: the fix
                             is kept only when begin lies in the innermost block that
                             encloses it (the name is in scope there); {0,0}: no check */
    model_loc void_fn;    /* a function's name: the fix is kept only when that function is
                             declared to return void (its text has `return;`); {0,0}: none */
} diag_fixit;

/* The rule-like id of the warnings tether makes about its own suppression
 * comments (--warn-unused-suppressions); not a rule of rules/. */
#define DIAG_RULE_UNUSED_SUPPRESSION "unused-suppression"

/* 16 lowercase hex digits and a NUL (diag/fingerprint.h). */
#define DIAG_FINGERPRINT_SIZE 17

typedef struct diag {
    const char *rule;     /* "spawn-no-cancel" (static storage) */
    char *file;           /* the reported file */
    model_loc loc;        /* start of the reported range */
    model_loc end;        /* its end (column exclusive); {0,0}: unknown, the
                             driver then takes the token at loc */
    diag_severity severity;
    char *msg;
    diag_note *notes;
    size_t nnotes;
    diag_fixit *fixits;
    size_t nfixits;
    char *fix_hint;       /* a short sentence on how to fix, or NULL */
    int group;            /* the engine finding it reports (analysis_run lets one
                             rule speak per finding), or -1 */
    int rank;             /* its rule's rank (lower speaks first), set by analysis_run */
    char fingerprint[DIAG_FINGERPRINT_SIZE]; /* "" until computed */
} diag;

typedef struct diag_list {
    diag *items;
    size_t n, cap;
} diag_list;

/* Building one diagnostic (all strings are copied). */
diag *diag_new(diag_list *list, const char *rule, const char *file, model_loc loc,
               const char *fmt, ...) DIAG_PRINTF(5, 6);
void diag_add_note(diag *d, model_loc loc, const char *fmt, ...) DIAG_PRINTF(3, 4);
void diag_add_fixit(diag *d, model_loc begin, model_loc end, const char *text);
/* The same, shown with the last note added: for a fix on another line than
 * the warning's, give it a note at that place ("make 'ch' buffered ...")
 * and attach the fix-it to it, as clang does. */
void diag_add_note_fixit(diag *d, model_loc begin, model_loc end, const char *text);
void diag_set_hint(diag *d, const char *fmt, ...) DIAG_PRINTF(2, 3);

/* The same with everything said: ranges, and a file for notes and fix-its
 * that lie in another file than the finding (NULL: the finding's). */
void diag_set_end(diag *d, model_loc end);
void diag_add_note_in(diag *d, const char *file, model_loc begin, model_loc end, const char *fmt, ...)
    DIAG_PRINTF(5, 6);
/* note: 0 shows the fix-it with the finding, i with note i - 1. */
void diag_add_fixit_in(diag *d, const char *file, model_loc begin, model_loc end, const char *text,
                       size_t note);

/* A fix-it of a kind the driver renders (see diag_fixit_kind), shown with
 * note `note` (0: the warning); returns it for the caller to set scope and
 * void_fn. */
diag_fixit *diag_add_stmt_fixit(diag *d, diag_fixit_kind kind, model_loc at, const char *text, size_t note);

/* Appends a deep copy of d to list; returns the copy. */
diag *diag_copy(diag_list *list, const diag *d);
/* Moves every item of src to the end of dst (src is left empty). */
void diag_list_move(diag_list *dst, diag_list *src);

/* Sorts by file, line, column, rule, message and drops exact duplicates:
 * output is deterministic whatever order rules ran in. */
void diag_list_sort(diag_list *list);
void diag_list_free(diag_list *list);
/* Frees what one diag owns (not the diag itself: it lives in a list). */
void diag_free_fields(diag *d);

#endif /* TETHER_DIAG_H */
