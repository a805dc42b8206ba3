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
#include "content/pagemap.h"
#include "digest/diag.h"

/* Writes BOOK to PATH through a temporary file renamed into place.
 * 0, or -1 after reporting. */
int dg_epub_write(const dg_book *book, const char *path, dg_diag *d);
/* The same, with the page numbers of the PDF of the same run (PAGES, from
 * dg_pdf_write_mapped; NULL or empty: none): a page-break marker where each
 * of its body pages begins, a page-list in the nav, and the accessibility
 * metadata that says so. */
int dg_epub_write_mapped(const dg_book *book, const char *path, const dg_page_map *pages,
                         dg_diag *d);

#endif
