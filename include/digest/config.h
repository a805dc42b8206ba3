/* config.h - SITE/digest.yaml: the documented configuration (see
 * digest.yaml.example at the top of the source tree for every key and its
 * default).  Stage file: src/app/config.c.
 *
 * The command line overrides the file: main.c parses the command line into
 * its own dg_options with a mask of what was given, loads the file into the
 * options, then lays the given options on top (dg_config_overlay).
 */
#ifndef DIGEST_CONFIG_H
#define DIGEST_CONFIG_H

#include <stdbool.h>

#include "digest/diag.h"
#include "digest/digest.h"

/* One bit per option the command line can set. */
enum {
    DG_SET_OUT = 1u << 0, DG_SET_POSTS = 1u << 1, DG_SET_FORMAT = 1u << 2,
    DG_SET_JOBS = 1u << 3, DG_SET_TITLE = 1u << 4, DG_SET_PAGE = 1u << 5,
    DG_SET_MARGIN = 1u << 6, DG_SET_FONTSIZE = 1u << 7, DG_SET_INDENT = 1u << 8,
    DG_SET_NOTES = 1u << 9, DG_SET_FONT = 1u << 10, DG_SET_BOLD = 1u << 11,
    DG_SET_MONO = 1u << 12, DG_SET_INCLUDE = 1u << 13, DG_SET_EXCLUDE = 1u << 14,
    DG_SET_DATES = 1u << 15, DG_SET_DATE_FROM = 1u << 16, DG_SET_FALLBACK = 1u << 17,
    DG_SET_FETCH = 1u << 18, DG_SET_CACHE_MAX = 1u << 19, DG_SET_SPLIT = 1u << 20,
    DG_SET_PDF_COVER = 1u << 21, DG_SET_PERIOD = 1u << 22
};

/* Reads PATH (a digest.yaml) into O; strings live in A.  An absent file is
 * fine (0).  An unknown key is a warning, a wrong type or value an error,
 * both with path:line:col; a key in error keeps its default.  Returns 0, or
 * -1 when there was an error (reported). */
int dg_config_load(dg_options *o, const char *path, dg_arena *a, dg_diag *d);

/* The words the command line and digest.yaml share: "a4" "a5" "letter"
 * "ereader" for a page size, "git" "mtime" "none" for a date source.
 * Return 0 and set *OUT, or -1 for any other word. */
int dg_parse_page_size(const char *s, dg_page_size *out);
int dg_parse_date_from(const char *s, dg_date_from *out);
/* A size in bytes: a number with an optional unit, B, KB MB GB (powers of
 * 1000), KiB MiB GiB or K M G (powers of 1024), a space allowed before it:
 * "2 GiB", "500MB".  0 and *OUT set, or -1. */
int dg_parse_size(const char *s, unsigned long long *out);

/* The books to make, for --period and period: month, year and all,
 * separated by commas ("month,year").  0 and *OUT (DG_PERIOD_ bits), or -1. */
int dg_parse_periods(const char *s, unsigned *out);

/* Copies into O every option of CLI whose DG_SET_ bit is in SET. */
void dg_config_overlay(dg_options *o, const dg_options *cli, unsigned set);

/* The options of one run: O is initialized, SITE/digest.yaml (SITE being
 * CLI->site) read into it, and the options of CLI whose DG_SET_ bit is in
 * SET laid on top.  The strings of O live in the returned handle: free it
 * after O's last use.  Errors in the file are reported to D and the keys in
 * error keep their defaults. */
typedef struct dg_config dg_config;
dg_config *dg_config_resolve(dg_options *o, const dg_options *cli, unsigned set, dg_diag *d);
void dg_config_free(dg_config *c);

#endif
