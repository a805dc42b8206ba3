/* layout.h - the layout's entry points: a book's content trees typeset into
 * the page model of pages.h (layout.c and its parts, whose builder state is
 * private in layout_impl.h).  Private to the PDF stage and its tests.
 */
#ifndef DIGEST_PDF_LAYOUT_H
#define DIGEST_PDF_LAYOUT_H

#include "base/base.h"
#include "content/book.h"
#include "digest/diag.h"
#include "digest/digest.h"
#include "pdf/fonts.h"
#include "pdf/pages.h"

/* Lays out BOOK: cover, contents and body, with running heads and page
 * numbers.  Everything lives in A.  0, or -1 after reporting. */
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
