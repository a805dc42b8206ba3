/* pages.h - the page model: pages of positioned items, in points, and the
 * outline.  The layout (layout*.c) builds it; the PDF writer (pdf*.c) draws
 * it with libharu.  Types only: the layout's entry points are in layout.h,
 * its builder state in layout_impl.h.  Private to the PDF stage and its tests.
 *
 * A layout is a list of pages; a page is a list of items in drawing order.
 * Every coordinate is in points with y measured DOWN from the page's top edge
 * (the PDF writer flips it).  Destinations (anchors) and link rectangles are
 * items too, so that moving a heading to the next page moves its anchor.
 */
#ifndef DIGEST_PDF_PAGES_H
#define DIGEST_PDF_PAGES_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

#include "content/book.h"
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

/* Where the text of a span came from (dg_span.src, and so dg_line.src): a
 * text node of the content tree, whose white space the span's TEXT
 * collapsed, or (VERBATIM) an element whose text TEXT holds as it is (a code
 * block's).  A span cut from it (a window of a long paragraph) points into
 * the same TEXT.  The PDF writer traces the top line of a page back to the
 * content tree with it (pdf_pagemap.c). */
typedef struct dg_line_src {
    const xmlNode *node;
    const char *text;
    bool verbatim;
} dg_line_src;

/* The white space the layout collapses to one space in running text. */
static inline bool dg_collapsed_space(char c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

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
    size_t n, cap; /* cap: of items, the builder's */
    dg_page_kind kind;
    int chapter;        /* chapter index of a body page, -1 otherwise */
    bool chapter_start; /* first page of a post: no running head */
} dg_lpage;

/* The number printed on page I (0-based): the cover counts as page 1. */
static inline size_t dg_page_number(size_t i)
{
    return i + 1;
}

typedef struct dg_outline_entry {
    int level; /* 1 = post, 2.. = its headings (h1 -> 2, h2 -> 3, ...); a volume's
                  groups come first (book.h group_depth) and shift the rest down */
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

#endif
