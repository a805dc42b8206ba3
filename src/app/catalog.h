/* catalog.h - the output folder as a library: OUT/index.html (a card per
 * month: cover, month, posts, links to the EPUB and the PDF with their
 * sizes; no script) and OUT/catalog.xml (an OPDS 1.2 acquisition feed that
 * KOReader, Thorium, Moon+ Reader and Calibre browse and download from).
 * Stage file: src/app/catalog.c.
 *
 * Kept in sync incrementally: when a month is built, its card, its feed
 * entry and its updated date are written as fragments into
 * OUT/.digest-state/ and its cover into OUT/covers/; after every build the
 * two files are put together from the fragments of the months whose
 * digests are in OUT, so a month's entry changes only when its digests do.
 * Everything is written atomically.
 */
#ifndef DIGEST_APP_CATALOG_H
#define DIGEST_APP_CATALOG_H

#include <stdbool.h>

#include "content/book.h"
#include "digest/diag.h"

/* Records the book B, whose digests were written to EPUB and PDF (NULL:
 * not written by this build): its fragments and its cover, named by KEY
 * ("YYYY-MM", or "YYYY-MM.LANG" for a book of one language).  0, or -1
 * after reporting. */
int dg_catalog_month(const char *out_dir, const dg_book *b, const char *key, const char *epub,
                     const char *pdf, dg_diag *d);

/* Whether OUT holds the catalog entry of the book KEY. */
bool dg_catalog_has(const char *out_dir, const char *key);

/* Writes OUT/index.html and OUT/catalog.xml from the fragments of MONTHS
 * (the books' keys, ascending) whose fragments exist; SITE_TITLE names the
 * library, LANG (BCP 47, may be NULL) is its language.  0, or -1 after
 * reporting. */
int dg_catalog_write(const char *out_dir, const char *site_title, const char *lang,
                     const char *const *months, size_t nmonths, dg_diag *d);

/* Removes the fragments and the cover of KEY (a pruned month): the next
 * dg_catalog_write leaves it out.  0, or -1 after reporting. */
int dg_catalog_forget(const char *out_dir, const char *key, dg_diag *d);

#endif
