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
#include "digest/site.h"

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
    bool fetch_images;        /* fetch remote images into OUT/.digest-cache (fetch.h) */
    const char *title_pattern;/* NULL: DG_DEFAULT_TITLE_PATTERN (book.h) */
    dg_pdf_opts pdf_opts;
    dg_font_config fonts;

    /* Which posts, and where their dates come from (see dg_site_opts). */
    const char **include;     size_t ninclude;
    const char **exclude;     size_t nexclude;
    const char *dates_file;   /* --dates FILE (relative to SITE, or absolute) */
    const dg_date_row *dates; size_t ndates; /* dates: mapping in digest.yaml */
    const char *dates_origin; /* digest.yaml's path, for the rows' diagnostics */
    dg_date_from date_from;
    const char *site_title;   /* NULL: _config.yml / hugo.toml / the folder name */
    const char *author, *lang;/* NULL: from the site's own configuration */
    const char *templates_dir;/* NULL: SITE/_digest/templates */
    /* Output file names without extension: {yyyy} {mm} {m} {month} (YYYY-MM);
     * NULL: "{yyyy}-{mm}". */
    const char *out_pattern;
} dg_options;

void dg_options_init(dg_options *o);

/* The site options O asks for (borrowed pointers). */
void dg_options_site(const dg_options *o, dg_site_opts *so);

/* Builds the digests.  Returns DG_EXIT_OK, DG_EXIT_INPUT (some input had
 * errors; everything else was still built) or DG_EXIT_USAGE. */
int dg_build(const dg_options *o, dg_diag *d);

/* Prints each month and, under it, its posts with date and title. */
int dg_list(const dg_options *o, FILE *out, dg_diag *d);

/* digest check (src/check.c): reads every post as build would, builds
 * nothing, and reports every problem (bad metadata, no date, missing or
 * refused local images, invalid UTF-8, control characters, unreadable files,
 * duplicate dates) through D.  Prints a one-line summary on OUT.  Returns
 * DG_EXIT_INPUT when there was an error, DG_EXIT_USAGE when the site cannot
 * be read, else DG_EXIT_OK. */
int dg_check(const dg_options *o, FILE *out, dg_diag *d);

/* The output file name (no extension) of MONTH ("YYYY-MM") by PATTERN (NULL:
 * "{yyyy}-{mm}"), into A. */
const char *dg_output_name(dg_arena *a, const char *pattern, const char *month);

#endif
