/* cover.h - the cover image of a month, drawn by digest itself.
 * Stage file: src/cover/cover.c (cairo with FreeType faces).
 *
 * The stage sits between the writers and the app: it takes a book and the
 * PDF stage's font chain and paragraph engine (so the CJK line-breaking rules
 * hold on the cover too) and gives JPEG bytes, which the app hands to both
 * writers through the book (dg_book.cover_jpeg).
 */
#ifndef DIGEST_COVER_H
#define DIGEST_COVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"
#include "content/book.h"
#include "content/image.h"
#include "digest/diag.h"
#include "pdf/fonts.h"

/* The size e-reader stores recommend (1:1.6). */
#define DG_COVER_WIDTH  1600
#define DG_COVER_HEIGHT 2560
/* The width of a cover's thumbnail (the catalog's list, OPDS's
 * image/thumbnail): a quarter of the cover's, the height in proportion. */
#define DG_COVER_THUMB_WIDTH 400

/* Draws the cover of B: the site's title, the month, as many of the posts'
 * titles as fit (then "and N more"), the author, and PICTURE (NULL: none; a
 * PNG or JPEG that cannot be decoded is left out) across the top.  The
 * same book, fonts and picture give the same bytes.  Writes a JPEG of
 * DG_COVER_WIDTH x DG_COVER_HEIGHT into *OUT and its thumbnail, the same
 * pixels scaled down to DG_COVER_THUMB_WIDTH wide by a box filter, into
 * *THUMB (both emptied first).  Returns 0, or -1 after reporting. */
int dg_cover_draw(const dg_book *b, dg_fonts *fonts, const dg_image *picture, dg_buf *out,
                  dg_buf *thumb, dg_diag *d);

/* Sets B's cover_jpeg and cover_thumb_jpeg: read from CACHE_DIR/BOOK-KEY.jpg
 * and BOOK-KEY.thumb.jpg when both are there (BOOK: the book's name in
 * OUT's state, "YYYY-MM", "YYYY" or "all", with ".LANG" for a book of one
 * language; KEY: its stamp, stamp.h, which covers everything the cover
 * shows, as 16 hex digits), else drawn from B->cover_picture and written
 * there atomically, that book's older covers removed (those named BOOK,
 * '-', 16 hex digits, ".jpg" or ".thumb.jpg", or ".png" as earlier
 * versions named them: never another book's).  CACHE_DIR NULL: no cache.
 * A cache that cannot be written costs a warning, not the cover.  Returns
 * 0, or -1 after reporting. */
int dg_cover_for_book(dg_book *b, dg_fonts *fonts, const char *cache_dir, const char *book,
                      uint64_t key, dg_diag *d);

/* dg_cover_for_book in two halves, so that a cover can be drawn while a
 * writer that does not show it (the PDF with its typeset cover) runs:
 * dg_cover_start reads the cache at once; when the cover must be drawn and
 * BESIDE is set, it is drawn on a thread of its own (on the caller's when
 * none can be started), which reads B and never allocates in B's arena, so
 * B must not change until dg_cover_finish.  dg_cover_finish waits for it,
 * adds the characters the drawing asked the system's fonts for to LOG (NULL:
 * none; drawn on the caller's thread they went to its open log already),
 * sets B's cover as dg_cover_for_book does and frees JOB: 0, or -1 when the
 * cover could not be drawn (reported). */
typedef struct dg_cover_job dg_cover_job;
dg_cover_job *dg_cover_start(const dg_book *b, dg_fonts *fonts, const char *cache_dir,
                             const char *book, uint64_t key, bool beside, dg_diag *d);
int dg_cover_finish(dg_cover_job *job, dg_book *b, dg_fonts_log *log);

/* Removes CACHE_DIR's covers of the book BOOK (as dg_cover_for_book names
 * them): drawn while the system's fonts gave other answers for characters
 * no font of the chain has (stamp.h), they are drawn again.  CACHE_DIR
 * NULL: nothing. */
void dg_cover_forget(const char *cache_dir, const char *book);

#endif
