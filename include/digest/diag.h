/* diag.h - the one diagnostics sink.
 *
 * Every stage reports problems here; nothing else prints to stderr.  Each
 * report is printed as
 *
 *     path:line:col: error: message
 *      12 | the offending source line
 *         |        ^
 *
 * (the excerpt when the caller passes the source text).  Identical reports
 * (same path, position and message) are printed once.  Reports made with
 * DG_ONCE set are printed once per (key) for the life of the sink, so "font
 * has no glyph for U+xxxx" appears once per digest, not per character.
 * The sink is thread-safe: months build in parallel and share it.
 */
#ifndef DIGEST_DIAG_H
#define DIGEST_DIAG_H

#include <stddef.h>
#include <stdio.h>

typedef enum dg_severity { DG_NOTE = 0, DG_WARNING = 1, DG_ERROR = 2 } dg_severity;

typedef struct dg_diag dg_diag;

/* OUT receives the formatted reports (stderr in the tool); NULL keeps them
 * only in memory (tests read them back with dg_diag_text). */
dg_diag *dg_diag_new(FILE *out);
void dg_diag_free(dg_diag *d);

/* Reports a problem.  PATH may be NULL (the report is then "digest: error:
 * message").  LINE and COL are 1-based; 0 means unknown.  SRC/SRCLEN, when
 * given, is the text the position refers to: the line is quoted under the
 * message with a caret at COL (COL counts characters, not bytes). */
void dg_report(dg_diag *d, dg_severity sev, const char *path, int line, int col,
               const char *src, size_t srclen, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));

/* A report about the whole of PATH (no position, no excerpt): the common
 * "cannot read", "cannot write" case.  PATH may be NULL. */
void dg_report_file(dg_diag *d, dg_severity sev, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Like dg_report, but printed only the first time KEY is seen by this sink. */
void dg_report_once(dg_diag *d, const char *key, dg_severity sev, const char *path, int line,
                    int col, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* A progress line ("[3/12] 2025-03: 5 posts, built epub+pdf"): printed as
 * is on the sink's stream, between whole reports, and neither counted nor
 * kept in dg_diag_text. */
void dg_progress(dg_diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

int dg_diag_errors(const dg_diag *d);
int dg_diag_warnings(const dg_diag *d);
/* Everything reported so far, formatted as printed (owned by the sink). */
const char *dg_diag_text(dg_diag *d);

/* Position of byte OFFSET in TEXT as 1-based line and column (characters). */
void dg_text_position(const char *text, size_t offset, int *line, int *col);

#endif
