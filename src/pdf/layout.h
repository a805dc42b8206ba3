/* layout.h - the layout's entry points: a book's content trees typeset into
 * the page model of pages.h (layout.c and its parts, whose builder state is
 * private in layout_impl.h).  Private to the PDF stage and its tests.
 */
#ifndef DIGEST_PDF_LAYOUT_H
#define DIGEST_PDF_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/base.h"
#include "content/book.h"
#include "digest/diag.h"
#include "digest/digest.h"
#include "pdf/fonts.h"
#include "pdf/pages.h"

/* The book is laid out in two passes, so that a book of thousands of pages
 * need not be held laid out at once:
 *
 *   dg_layout_run_new      sets the builder up for BOOK
 *   dg_layout_run_measure  pass one: the body, chapter by chapter (each
 *                          handed to SEEN, page by page), its anchors and
 *                          page counts; then the cover and contents, which
 *                          need the body's page numbers; then each page's
 *                          running head and number (to SEEN as pages of
 *                          their own).  SEEN has seen every glyph and image
 *                          the book draws.  A chapter's pages are kept while
 *                          all those kept fit in KEEP bytes; the others are
 *                          freed, and laid out again by
 *   dg_layout_run_pages    pass two: every page in order, complete, to FN.
 *
 * The layout is deterministic, so a chapter laid out again gives the same
 * pages: the PDF does not depend on KEEP (its warnings come twice, and the
 * diagnostics sink says each once). */
typedef struct dg_layout_run dg_layout_run;
/* A page handed over: PI its index in the book (pass two), or DG_PAGE_NONE
 * (pass one, before the front matter settles the numbering).  PG and what
 * it points to live until FN returns. */
#define DG_PAGE_NONE ((size_t)-1)
typedef void (*dg_page_fn)(void *ctx, size_t pi, const dg_lpage *pg);

dg_layout_run *dg_layout_run_new(const dg_book *book, dg_fonts *fonts, const dg_pdf_opts *opts,
                                 size_t keep, dg_arena *a, dg_diag *d);
/* Pass one.  0, or -1 after reporting. */
int dg_layout_run_measure(dg_layout_run *r, dg_page_fn seen, void *ctx);
/* Pass two.  RELEASE: a chapter's pages are freed once handed over (else
 * they stay, complete, in the layout).  0, or -1 after reporting. */
int dg_layout_run_pages(dg_layout_run *r, bool release, dg_page_fn fn, void *ctx);
/* The layout (after pass one): page size, page count, front pages, outline;
 * a body page has its items only while it is kept or being handed over. */
const dg_layout *dg_layout_run_layout(const dg_layout_run *r);
/* The anchors (after pass one): id -> dg_anchor_at, the page its index in
 * the book. */
const dg_map *dg_layout_run_anchors(const dg_layout_run *r);
/* Frees what the run holds outside its arena (the chapters kept). */
void dg_layout_run_free(dg_layout_run *r);

/* Lays out BOOK whole, every page complete and kept (both passes): for
 * tests.  Everything lives in A.  0, or -1 after reporting. */
int dg_layout_book(dg_layout **out, const dg_book *book, dg_fonts *fonts, const dg_pdf_opts *opts,
                   dg_arena *a, dg_diag *d);

/* Page geometry of OPTS (defaults filled in): width, height, margin, base size. */
void dg_layout_geometry(const dg_pdf_opts *opts, double *w, double *h, double *margin,
                        double *base);

/* Where an anchor is: its page (0-based) and its y. */
typedef struct dg_anchor_at {
    int page;
    double y;
} dg_anchor_at;
/* Puts every anchor of L into M (a dg_map of id -> dg_anchor_at, in A),
 * the first of an id winning: one pass, so that finding the anchors of a
 * book's thousands of links and headings is not a scan of every page each. */
void dg_layout_index_anchors(const dg_layout *l, dg_map *m, dg_arena *a);
/* The page (0-based) holding anchor ID, or -1 (an index made for one lookup:
 * for tests). */
int dg_layout_find_anchor(const dg_layout *l, const char *id, double *y);

/* Plain text of a TEXT item (UTF-8, in A), for tests. */
char *dg_layout_line_text(dg_arena *a, const dg_line *line);

#endif
