/* dates.h - dates from outside a post: the dates table (digest.yaml's
 * dates: rows and a CSV file) and the file's modification time.  Stage file:
 * src/site/dates.c; git history is gitdates.h. */
#ifndef DIGEST_SITE_DATES_H
#define DIGEST_SITE_DATES_H

#include <stddef.h>

#include "digest/diag.h"
#include "digest/digest.h"
#include "site/date.h"
#include "base/base.h"

typedef struct dg_date_entry dg_date_entry;

/* A dates table: one row per path (the last given for it), sorted. */
typedef struct dg_dates {
    dg_date_entry *rows;
    size_t n;
} dg_dates;

/* Parses a dates table (CSV "path,YYYY-MM-DD" rows; blank lines, '#'
 * comments, a header row and a third column allowed) from memory, for the
 * --dates option and the fuzzer.  Each good row is pushed to ROWS (private
 * entries, in A); a bad row is an error at SHOWN:line:col and is skipped.
 * Returns the number of rows added. */
size_t dg_dates_parse(dg_arena *a, const char *data, size_t len, const char *shown, dg_vec *rows,
                      dg_diag *d);

/* Builds the table *T (in A) from the configuration's NROWS ROWS (a row
 * whose date is not one is an error naming ORIGIN, and is skipped), then the
 * CSV FILE when not NULL or empty (relative to the current folder when it is
 * there, else to ROOT); a later row for the same path wins.  Returns 0, or
 * -1 after reporting that FILE cannot be read. */
int dg_dates_load(dg_dates *t, dg_arena *a, const dg_date_row *rows, size_t nrows,
                  const char *origin, const char *file, const char *root, dg_diag *d);

/* The table's date of the post at RELPATH (relative to the site root): its
 * file's row, else its folder's (dated folders, page bundles); failing both,
 * the same by the path relative to the posts folder, whose path in the site
 * is PREFIX ("" when it is the root).  NULL when the table has none.  A
 * (scratch) may receive a folder name. */
const dg_datetime *dg_dates_find(const dg_dates *t, dg_arena *a, const char *relpath,
                                 const char *prefix);

/* The modification time of the file at PATH, in the local time zone.
 * Returns 0, or -1 when the file cannot be looked at. */
int dg_date_from_mtime(const char *path, dg_datetime *out);

#endif
