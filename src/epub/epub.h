/* epub.h - the EPUB3 writer (libzip).  Stage files: src/epub/epub*.c
 * (epub_impl.h says which does what).
 *
 * Layout of the container:
 *   mimetype                       (first, stored, no extra field)
 *   META-INF/container.xml
 *   OEBPS/content.opf  nav.xhtml  toc.ncx  style.css  cover.xhtml
 *   OEBPS/post-01.xhtml ...        (a post over 260 KB is split at headings:
 *                                   post-01.xhtml, post-01-2.xhtml, ...)
 *   OEBPS/images/001.png ...
 * Every entry's time is the book's modified time, so identical input gives a
 * byte-identical file.
 */
#ifndef DIGEST_EPUB_H
#define DIGEST_EPUB_H

#include "content/book.h"
#include "digest/diag.h"

/* Writes BOOK to PATH through a temporary file renamed into place.
 * 0, or -1 after reporting. */
int dg_epub_write(const dg_book *book, const char *path, dg_diag *d);

#endif
