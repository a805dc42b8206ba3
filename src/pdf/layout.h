/* layout_internal.h - the page model shared by src/layout.c (which builds it)
 * and src/pdf.c (which draws it with libharu).  Private to the PDF stage and
 * its tests.
 *
 * A layout is a list of pages; a page is a list of items in drawing order.
 * Every coordinate is in points with y measured DOWN from the page's top edge
 * (the PDF writer flips it).  Destinations (anchors) and link rectangles are
 * items too, so that moving a heading to the next page moves its anchor.
 */
#ifndef DIGEST_LAYOUT_INTERNAL_H
#define DIGEST_LAYOUT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "content/book.h"
#include "digest/diag.h"
#include "pdf/fonts.h"
#include "pdf/para.h"
#include "pdf/pdf.h"
#include "base/base.h"

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
    const dg_line *line;     /* TEXT */
    const dg_asset *asset;   /* IMAGE */
    const char *uri;         /* LINK: external, ASCII (percent-encoded) */
    const char *dest;        /* LINK: internal target id; ANCHOR: its id */
} dg_item;

typedef enum dg_page_kind { DG_PAGE_COVER, DG_PAGE_CONTENTS, DG_PAGE_BODY } dg_page_kind;

typedef struct dg_lpage {
    dg_item *items;
    size_t n, cap;
    dg_page_kind kind;
    int chapter;             /* chapter index of a body page, -1 otherwise */
    bool chapter_start;      /* first page of a post: no running head */
} dg_lpage;

typedef struct dg_outline_entry {
    int level;               /* 1 = post, 2.. = its headings (h1 -> 2, h2 -> 3, ...) */
    const char *title;
    const char *dest;        /* anchor id */
} dg_outline_entry;

typedef struct dg_layout {
    dg_lpage *pages;
    size_t npages, cap;
    size_t ncontents;        /* contents pages (after the cover) */
    size_t body_start;       /* index of the first body page */
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

/* ---- between the layout's own files (src/layout.c, layout_table.c,
 * layout_front.c): defined by those files only, before including this. */
#ifdef DG_LAYOUT_INTERNALS
#include <libxml/tree.h>

/* Elements nested deeper than this are laid out as plain text of their
 * parent: the content stage already bounds nesting; this guards the
 * recursion of the block and inline walks. */
#define LAYOUT_MAX_DEPTH 48
/* Line height of body text, as a multiple of the font size (Chinese text
 * needs more leading than Latin). */
#define BODY_LEADING 1.7
#define CODE_LEADING 1.4
#define HEAD_LEADING 1.35
/* Passes to settle the number of contents pages (it changes at most a few times). */
#define CONTENTS_PASSES 6
/* Spans per paragraph are kept in a growable array; this caps one table's columns. */
#define TABLE_MAX_COLS 64
#define DECO_MAX 32
/* An image may shrink to this share of its size to fit the rest of a page. */
#define IMAGE_MIN_SHRINK 0.7
/* Footnotes set at the foot of one page; more are left for the next pages. */
#define FOOT_MAX 32

typedef struct link_ref {
    const char *uri;   /* external */
    const char *dest;  /* internal */
} link_ref;

typedef enum deco_kind { DECO_QUOTE, DECO_CODE } deco_kind;
typedef struct deco {
    deco_kind kind;
    double x, w, start;
} deco;

/* A footnote of the current post: laid out when first referenced and set at
 * the foot of that page. */
typedef struct fn_note {
    const char *id;
    const xmlNode *li;
    int num;
    dg_para p;
    double h;
    bool laid, placed;
} fn_note;

typedef struct lay {
    const dg_book *book;
    dg_fonts *fonts;
    dg_arena *a;
    dg_diag *d;
    dg_layout *L;         /* pages being filled */
    const char *lang;
    bool zh;
    double W, H, M, base;
    double band;          /* height of the head and foot bands: the margin, or
                           * more where it is too small for a running head */
    double top, bottom, left, right;
    bool indent, notes;
    int chapter;
    double y;             /* next free y on the current page */
    double x0, width;     /* current column */
    double scale;         /* size factor (footnotes, tables) */
    /* keep-with-next: items from keep_item on the current page move along */
    bool keep;
    size_t keep_page, keep_item;
    double keep_y;
    deco decos[DECO_MAX];
    int ndecos;
    /* a list marker waiting for the first line of its item */
    const dg_line *marker;
    double marker_x;
    /* spans of the paragraph being collected */
    dg_span *spans;
    size_t nspans, capspans;
    link_ref *links;
    size_t nlinks, caplinks;
    /* external links of the current post (link notes) */
    const char **urls;
    size_t nurls, capurls;
    bool in_pre;
    /* footnotes of the current post, and those waiting at the current page's foot */
    fn_note *notes_fn;
    size_t nnotes_fn;
    fn_note *foot[FOOT_MAX];
    size_t nfoot;
    double page_bottom;   /* bottom of the text block; bottom is above it when notes wait */
    int depth_fn;
} lay;

typedef struct istyle {
    unsigned style;
    double size, rise;
    int link, tag;
} istyle;

dg_lpage *lay_cur_page(lay *l);
dg_item *lay_add_item(lay *l, dg_lpage *pg, dg_item_kind kind);
void lay_new_page(lay *l, dg_page_kind kind);
void lay_break_page(lay *l);
bool lay_at_top(const lay *l);
void lay_ensure(lay *l, double h);
void lay_vspace(lay *l, double h);
void lay_placed(lay *l);
void lay_add_anchor(lay *l, const char *id);
int lay_add_link(lay *l, const char *uri, const char *dest);
void lay_push_span(lay *l, const char *text, size_t len, unsigned style, double size, int link, int tag, double rise);
void lay_push_text(lay *l, const char *s, const istyle *st, bool *prev_space);
void lay_inline_children(lay *l, const xmlNode *n, istyle st, int depth, bool *sp);
istyle lay_base_style(const lay *l, double size);
dg_para lay_layout_spans(lay *l, double width, double first_indent, bool justify, bool code);
const dg_line *lay_simple_line(lay *l, const char *text, unsigned style, double size, int tag);
void lay_place_line_at(lay *l, const dg_line *ln, double x, double base, double size);
void lay_put_line(lay *l, const dg_line *ln, double x, double lh, double size);
bool lay_name_is(const xmlNode *n, const char *name);
const char *lay_attr(lay *l, const xmlNode *n, const char *name);
bool lay_has_class(lay *l, const xmlNode *n, const char *cls);
void lay_text_block(lay *l, const char *text, unsigned style, double size, int tag, double lead, bool center);
void lay_layout_chapter(lay *l, size_t ci);
void lay_table_block(lay *l, const xmlNode *t, int depth);
double lay_body_size(const lay *l);

#endif /* DG_LAYOUT_INTERNALS */

#endif
