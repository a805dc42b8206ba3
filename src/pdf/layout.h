/* layout.h - the page model: what the layout (layout.c and its parts, whose
 * builder state is private in layout_impl.h) hands the PDF writer (pdf*.c),
 * which draws it with libharu.  Private to the PDF stage and its tests.
 *
 * A layout is a list of pages; a page is a list of items in drawing order.
 * Every coordinate is in points with y measured DOWN from the page's top edge
 * (the PDF writer flips it).  Destinations (anchors) and link rectangles are
 * items too, so that moving a heading to the next page moves its anchor.
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
#include "pdf/para.h"

typedef enum dg_item_kind {
    DG_ITEM_TEXT,   /* a line of glyphs; x = line start, y = baseline */
    DG_ITEM_FILL,   /* filled rectangle (x, y top, w, h), grey level GRAY; drawn first */
    DG_ITEM_RECT,   /* stroked rectangle, line width LW, grey GRAY */
    DG_ITEM_RULE,   /* straight line from (x, y) to (x + w, y + h), width LW */
    DG_ITEM_IMAGE,  /* ASSET drawn into (x, y top, w, h) */
    DG_ITEM_LINK,   /* clickable rectangle to URI (external) or DEST (an anchor id) */
    DG_ITEM_ANCHOR, /* destination DEST at (x, y) */
} dg_item_kind;

/* Glyph tags (dg_span.tag) understood by the writer. */
enum {
    DG_TAG_LINK = 1u << 0,   /* drawn in the link colour */
    DG_TAG_STRIKE = 1u << 1, /* struck through */
    DG_TAG_GREY = 1u << 2,   /* secondary text (meta lines, running heads) */
    DG_TAG_MARK = 1u << 3,   /* highlighted */
    DG_TAG_CODE = 1u << 4,   /* inline code: a light ground behind it */
};

typedef struct dg_item {
    dg_item_kind kind;
    double x, y, w, h;
    double gray, lw;
    const dg_line *line;   /* TEXT */
    const dg_asset *asset; /* IMAGE */
    const char *uri;       /* LINK: external, ASCII (percent-encoded) */
    const char *dest;      /* LINK: internal target id; ANCHOR: its id */
} dg_item;

typedef enum dg_page_kind { DG_PAGE_COVER, DG_PAGE_CONTENTS, DG_PAGE_BODY } dg_page_kind;

typedef struct dg_lpage {
    dg_item *items;
    size_t n;
    dg_page_kind kind;
    int chapter;        /* chapter index of a body page, -1 otherwise */
    bool chapter_start; /* first page of a post: no running head */
} dg_lpage;

typedef struct dg_outline_entry {
    int level; /* 1 = post, 2.. = its headings (h1 -> 2, h2 -> 3, ...) */
    const char *title;
    const char *dest; /* anchor id */
} dg_outline_entry;

typedef struct dg_layout {
    dg_lpage *pages;
    size_t npages;
    size_t ncontents;  /* contents pages (after the cover) */
    size_t body_start; /* index of the first body page */
    double page_w, page_h, margin, base;
    dg_outline_entry *outline;
    size_t noutline;
} dg_layout;

/* Lays out BOOK: cover, contents and body, with running heads and page
 * numbers.  Everything lives in A.  0, or -1 after reporting. */
int dg_layout_book(dg_layout **out, const dg_book *book, dg_fonts *fonts, const dg_pdf_opts *opts,
                   dg_arena *a, dg_diag *d);

/* Page geometry of OPTS (defaults filled in): width, height, margin, base size. */
void dg_layout_geometry(const dg_pdf_opts *opts, double *w, double *h, double *margin,
                        double *base);

/* The page (0-based) holding anchor ID, or -1. For tests and the writer. */
int dg_layout_find_anchor(const dg_layout *l, const char *id, double *y);

/* Plain text of a TEXT item (UTF-8, in A), for tests. */
char *dg_layout_line_text(dg_arena *a, const dg_line *line);

#endif
