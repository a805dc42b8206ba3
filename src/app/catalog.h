/* catalog.h - the output folder as a library: OUT/index.html (a card per
 * book: cover, month or volume, posts or parts, links to the EPUB and the
 * PDF with their sizes; no script) and OUT/catalog.xml (an OPDS 1.2
 * acquisition feed that KOReader, Thorium, Moon+ Reader and Calibre browse
 * and download from).
 * Stage file: src/app/catalog.c.
 *
 * Kept in sync incrementally: when a book (a month or a volume) is built,
 * its card, its feed entry and its updated date are written as fragments
 * into OUT/.digest-state/ and its cover into OUT/covers/; after every build
 * the two files are put together from the fragments of the books whose
 * digests are in OUT, so a book's entry changes only when its digests do.
 * Everything is written atomically.
 */
#ifndef DIGEST_APP_CATALOG_H
#define DIGEST_APP_CATALOG_H

#include <stdbool.h>

#include "content/book.h"
#include "digest/diag.h"
#include "site/site.h"

/* Records the book B, whose digests were written to EPUB and PDF (NULL:
 * not written by this build): its fragments and its cover, named by KEY
 * ("YYYY-MM", or "YYYY" or "all" for a volume, with ".LANG" for a book of
 * one language: dg_book_key).  A month's card lists its posts, a volume's
 * its parts (months, or years) with their number of posts.  0, or -1 after
 * reporting. */
int dg_catalog_book(const char *out_dir, const dg_book *b, const char *key, const char *epub,
                    const char *pdf, dg_diag *d);

/* Whether OUT holds the catalog entry of the book KEY. */
bool dg_catalog_has(const char *out_dir, const char *key);

/* Writes OUT/index.html and OUT/catalog.xml from the fragments of SITE's
 * books that OUT holds (SPLIT: its books are by language): the volumes
 * first, in a group of their own when there are any (the complete volume,
 * then the years, newest first), then the months, newest first.  The
 * library is named by the site's title, in the site's language.  Under
 * the lock OUT/.digest-state/catalog.lock, so that of builds sharing OUT
 * the last one writes every book's entry.  0, or -1 after reporting. */
int dg_catalog_site(const char *out_dir, const dg_site *site, bool split, dg_diag *d);

/* Removes the fragments and the cover of KEY (a pruned month or volume):
 * the next dg_catalog_site leaves it out.  0, or -1 after reporting. */
int dg_catalog_forget(const char *out_dir, const char *key, dg_diag *d);

#endif
