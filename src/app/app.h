/* app.h - what the commands of src/app/ share among themselves: build,
 * list and check open the site the same way. */
#ifndef DIGEST_APP_H
#define DIGEST_APP_H

#include "digest/digest.h"
#include "content/book.h"
#include "content/image.h"
#include "site/site.h"

/* The site options O asks for (borrowed pointers). */
void dg_options_site(const dg_options *o, dg_site_opts *so);

/* The site as build opens it: Markdown rendered only for the months built. */
int dg_build_open_site(const dg_options *o, dg_site **site, dg_diag *d);

/* OUT: -o, or SITE/_digests (in A). */
const char *dg_build_out_dir(dg_arena *a, const dg_options *o, const dg_site *site);

/* The remote images' cache of OUT_DIR: OUT/.digest-cache/images (fetch.h). */
const char *dg_build_image_cache(dg_arena *a, const char *out_dir);

/* Whether MONTH ("YYYY-MM") is one O selects: within --from / --to and, when
 * -m was given, one of those. */
bool dg_month_selected(const dg_options *o, const char *month);

/* The months of SITE that O selects, in calendar order (*N of them, in A).
 * Bad -m, --from or --to values are reported and set *USAGE_ERROR; a -m
 * month without posts or outside the range is a warning. */
const char **dg_select_months(const dg_options *o, const dg_site *site, dg_arena *a, size_t *n,
                              dg_diag *d, bool *usage_error);

/* The site opened (dg_build_open_site), its months selected
 * (dg_select_months) and, with --split-languages, each month made one book
 * per language it has posts in: *MONTHS[i] and *LANGS[i] (NULL: one book of
 * every post) for *N books.  0, or -1 after reporting a usage error. */
int dg_build_open_months(const dg_options *o, dg_site **site, dg_arena *a, const char ***months,
                         const char ***langs, size_t *n, dg_diag *d);

/* A volume of a dg_volume_set (--period year or all): KEY "YYYY" or
 * "all", LANG for a book of one language (else NULL), over the set's
 * months MONTHS[IDX[k]], k < N, in order. */
typedef struct dg_volume {
    const char *key;
    const char *lang;
    size_t *idx;
    size_t n;
} dg_volume;

/* The books of a build with volumes: every month (book of LANGS[i] when
 * split by language) that a volume holds, WRITE[i] whether that month's
 * own books are made (--period month and selected), and the volumes, the
 * complete volume first (the longest), then the years in order. */
typedef struct dg_volume_set {
    const char **months, **langs;
    size_t nmonths;
    bool *write;
    dg_volume *vols;
    size_t nvols;
} dg_volume_set;

/* The volume set of the N books SEL (of SEL_LANGS) that O selected
 * (dg_build_open_months): one volume per year and language with a selected
 * book (--period year), one per language of them all (--period all), each
 * of every month of its year (of the site), whatever the selection.  In A.
 * Build and plan alike. */
void dg_volumes_of(const dg_options *o, const dg_site *site, dg_arena *a, const char *const *sel,
                   const char *const *sel_langs, size_t nsel, dg_volume_set *vs);

/* V's fingerprint (dg_stamp_volume) from RUN and HASH, the fingerprints of
 * SET, its set's months (0: a month none of whose posts could be built);
 * *MONTHS (in A) gets V's months, in order, for its book.  Build and plan
 * alike. */
uint64_t dg_volume_hash(dg_arena *a, uint64_t run, const dg_volume *v, const char *const *set,
                        const uint64_t *hash, const char ***months);

/* The warning for MONTH when none of its posts could be made into a book
 * (build and plan alike). */
void dg_build_no_book(dg_diag *d, const char *month);

/* digest.yaml's cover_image loaded into *OUT (NULL when none is set): 0, or
 * -1 after reporting an image that cannot be used. */
int dg_build_cover_picture(const dg_options *o, dg_arena *a, const dg_image **out, dg_diag *d);
/* The picture at the top of B's cover image: CONFIGURED (cover_image), else
 * the first header image of the month.  Build and plan alike, so that both
 * fingerprint the same book. */
void dg_book_set_cover_picture(dg_book *b, const dg_image *configured);

/* --prune (prune.c): the months of OUT's state (.digest-state) that O
 * selects and SITE no longer has posts for lose their digests, record and
 * lock; without --prune a note names them.  Returns how many were removed,
 * or -1 after reporting an error. */
int dg_prune(const dg_options *o, const dg_site *site, const char *out_dir, dg_diag *d);

#endif
