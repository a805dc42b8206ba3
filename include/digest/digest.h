/* digest.h - the library's front door: build and list digests of a site.
 * Stage file: src/digest.c (months, parallel workers, incremental builds,
 * progress).  src/main.c is only the command line over these calls.
 */
#ifndef DIGEST_DIGEST_H
#define DIGEST_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "digest/diag.h"
#include "digest/fonts.h"
#include "digest/pdf.h"

/* Exit statuses of the tool. */
enum { DG_EXIT_OK = 0, DG_EXIT_INPUT = 1, DG_EXIT_USAGE = 2 };

typedef struct dg_options {
    const char *site;         /* the site folder */
    const char *out_dir;      /* NULL: SITE/_digests */
    const char *posts_dir;    /* NULL: _posts (relative to site) */
    const char **months;      /* NULL/0: every month */
    size_t nmonths;
    bool epub, pdf;           /* formats to write */
    int jobs;                 /* parallel months; 0 = number of CPUs */
    bool force;               /* rebuild months whose inputs did not change */
    bool progress;            /* progress lines on stderr */
    const char *title_pattern;/* NULL: DG_DEFAULT_TITLE_PATTERN (book.h) */
    dg_pdf_opts pdf_opts;
    dg_font_config fonts;
} dg_options;

void dg_options_init(dg_options *o);

/* Builds the digests.  Returns DG_EXIT_OK, DG_EXIT_INPUT (some input had
 * errors; everything else was still built) or DG_EXIT_USAGE. */
int dg_build(const dg_options *o, dg_diag *d);

/* Prints each month and, under it, its posts with date and title. */
int dg_list(const dg_options *o, FILE *out, dg_diag *d);

#endif
