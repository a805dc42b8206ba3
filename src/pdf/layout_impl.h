/* layout_impl.h - the layout's builder: its state and the operations its
 * parts build pages with.  Private to the layout's files; the PDF writer sees
 * only the result (layout.h).
 *
 * The files call one way, from the top down:
 *
 *   layout.c         entry points: sets the builder up, runs the parts, joins
 *                    front matter and body
 *   layout_front.c   cover, contents, running heads and page numbers
 *   layout_block.c   the body: a post's blocks, lists, quotes, notes
 *   layout_table.c   GFM tables (called by layout_block.c)
 *   layout_page.c    the builder: pages, items, the cursor, page breaks with
 *                    keep-with-next, lines placed with widow and orphan
 *                    control, footnotes at the foot of the page
 *   layout_inline.c  inline content into spans, spans into lines (para.h)
 *
 * Each part sees the operations below and the builder state; the part's own
 * entry points are in its header (layout_front.h, layout_block.h,
 * layout_table.h), included only by the file above it.
 */
#ifndef DIGEST_PDF_LAYOUT_IMPL_H
#define DIGEST_PDF_LAYOUT_IMPL_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

#include "base/base.h"
#include "content/book.h"
#include "digest/diag.h"
#include "pdf/fonts.h"
#include "pdf/pages.h"
#include "pdf/para.h"

/* Elements nested deeper than this are laid out as plain text of their
 * parent: the content stage already bounds nesting; this guards the
 * recursion of the block and inline walks. */
#define LAYOUT_MAX_DEPTH 48
/* Indentation (quotes, lists, definitions) stops growing where the column
 * would become narrower than this share of the text block: narrower still, a
 * word of a deep quote no longer fits and breaks mid-word, then lines run off
 * the page and text is lost (a 28-deep quote at A4, 16-deep at e-reader
 * size).  Half the block keeps a long word, a table or a code block usable;
 * deeper levels are set at the last indent that fits. */
#define NEST_MIN_WIDTH 0.5
/* A paragraph longer than this (bytes of text) is laid out and placed a
 * window at a time, so that its lines are never all held: a 16 MiB
 * one-line post took 3.6 GB laid out whole.  Each window's last line is
 * laid out again at the start of the next, so that no window's end leaves
 * a short line inside the paragraph (a window of this size is broken
 * first-fit, beyond DG_PARA_TOTALFIT_MAX characters, like the whole). */
#define PARA_WINDOW (64 * 1024)
/* Windows' arenas waiting for the pages that hold their lines. */
#define WINDOWS_MAX 16

/* Open decorations (quote bars, code grounds) at one time. */
#define DECO_MAX 32
/* Footnotes set at the foot of one page; more are left for the next pages. */
#define FOOT_MAX 32
/* Size and line height of footnotes, relative to the text. */
#define FOOT_SCALE   0.8
#define FOOT_LEADING 1.45
/* Size of running heads and page numbers, relative to the text. */
#define HEAD_SCALE 0.8

typedef struct link_ref {
    const char *uri;  /* external */
    const char *dest; /* internal */
} link_ref;

/* A decoration drawn beside or behind blocks as they go down the page, and
 * again on the next page after a break. */
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
    /* The book and the page frame: set up by layout.c, read by every part. */
    const dg_book *book;
    dg_fonts *fonts;
    dg_arena *a;
    dg_diag *d;
    const char *lang;
    bool zh;
    bool indent, notes; /* first-line indents; numbered link notes */
    bool cover_image;   /* --pdf-cover image and the book has one: it is the cover */
    double W, H, M, base;
    double band; /* height of the head and foot bands: the margin, or
                  * more where it is too small for a running head */
    double left, right, top;
    double page_bottom; /* bottom of the text block */

    /* The pages being filled and the cursor: layout_page.c adds pages and
     * moves the cursor; the parts read it and step y down. */
    dg_layout *L;      /* pages being filled (lay_begin) */
    size_t pages_cap;  /* of L->pages */
    int chapter;       /* of the body pages being added, -1 before the body */
    double y;          /* next free y on the current page */
    double bottom;     /* lowest y for text: above page_bottom when notes wait */
    double x0, width;  /* current column */
    double scale;      /* size factor (footnotes, captions) */
    int nest;          /* indents applied to the column (lay_indent) */
    bool nest_capped;  /* the current post's indentation was capped, reported */

    /* Between layout_block.c, which opens them, and layout_page.c, which
     * carries them over page breaks. */
    /* keep-with-next: items from keep_item on the current page move along */
    bool keep;
    size_t keep_page, keep_item;
    double keep_y;
    deco decos[DECO_MAX];
    int ndecos;
    /* a list marker waiting for the first line of its item */
    const dg_line *marker;
    double marker_x;
    /* footnotes of the current post, and those waiting at the current page's foot */
    fn_note *notes_fn;
    size_t nnotes_fn;
    fn_note *foot[FOOT_MAX];
    size_t nfoot;

    /* Pages handed over as they are done (layout.c): PAGE_DONE(l, k) when
     * page K of l->L will not change again.  The lines of a long
     * paragraph's windows (PARA_WINDOW) live in arenas of their own, freed
     * once their pages are handed over, when FREE_WINDOWS; WINDOWED tells
     * that it happened (the chapter's pages then point to freed lines). */
    void (*page_done)(struct lay *l, size_t k);
    void *page_ctx;
    bool free_windows, windowed;
    dg_arena *win[WINDOWS_MAX];
    size_t win_page[WINDOWS_MAX]; /* the last page holding the window's lines */
    int nwin;

    /* layout_inline.c's: the spans of the paragraph being collected, link
     * targets (layout_page.c draws their rectangles) and the external links
     * of the current post (layout_block.c lists them as link notes). */
    dg_span *spans;
    size_t nspans, capspans;
    link_ref *links;
    size_t nlinks, caplinks;
    const char **urls;
    size_t nurls, capurls;
} lay;

/* Style of inline content being collected. */
typedef struct istyle {
    unsigned style;
    double size, rise;
    int link, tag;
} istyle;

/* ---- layout_inline.c: spans and lines */

bool lay_name_is(const xmlNode *n, const char *name);
/* Attribute NAME of N (in the arena), or NULL. */
const char *lay_attr(lay *l, const xmlNode *n, const char *name);
bool lay_has_class(lay *l, const xmlNode *n, const char *cls);
/* An address the reader's browser opens (http, https, mailto, ftp). */
bool lay_is_external(const char *href);
/* Size of body text where the cursor is (footnotes and captions are smaller). */
double lay_body_size(const lay *l);
istyle lay_base_style(const lay *l, double size);
/* The index of a new link target, for dg_span.link. */
int lay_add_link(lay *l, const char *uri, const char *dest);
/* Starts collecting the spans of a new paragraph. */
void lay_clear_spans(lay *l);
bool lay_has_spans(const lay *l);
/* Width of the widest unbreakable piece of the spans (dg_para_min_width:
 * words after hyphenation; ideographs stand alone); *SPLIT gets the same
 * with URLs and identifiers split at their conventional points. */
double lay_spans_min_width(const lay *l, double *split);
void lay_push_span(lay *l, const char *text, size_t len, unsigned style, double size, int link,
                   int tag, double rise);
void lay_push_text(lay *l, const char *s, const istyle *st, bool *prev_space);
/* The spans pushed since there were FROM came from N (dg_line_src): a text
 * node whose text lay_push_text collapsed, or, VERBATIM, an element whose
 * text they hold as it is. */
void lay_span_source(lay *l, size_t from, const xmlNode *n, bool verbatim);
/* The inline content of N's children, or of [FIRST, END), as spans. */
void lay_inline_children(lay *l, const xmlNode *n, istyle st, int depth, bool *sp);
void lay_collect_range(lay *l, const xmlNode *first, const xmlNode *end, istyle st, int depth);
/* The spans collected, broken into lines of WIDTH. */
dg_para lay_layout_spans(lay *l, double width, double first_indent, bool justify, bool code);
/* One line of TEXT (no page logic), for heads, numbers and markers. */
const dg_line *lay_simple_line(lay *l, const char *text, unsigned style, double size, int tag);

/* ---- layout_page.c: pages, the cursor, lines on pages */

/* Makes L the layout pages are added to; its arrays are taken as full. */
void lay_begin(lay *l, dg_layout *L);
dg_lpage *lay_cur_page(lay *l);
/* A new item of KIND (zeroed but for the kind) at the end of page PG of l->L. */
dg_item *lay_add_item(lay *l, dg_lpage *pg, dg_item_kind kind);
/* A new page of KIND, the cursor at its top. */
void lay_new_page(lay *l, dg_page_kind kind);
/* A new body page: open decorations close here and reopen there, a pending
 * keep moves along, waiting footnotes are set at the old page's foot. */
void lay_break_page(lay *l);
/* Nothing placed on the page yet. */
bool lay_at_top(const lay *l);
/* Room for H more points, else a new page (unless the page is still empty). */
void lay_ensure(lay *l, double h);
/* H points of space, none at the top of a page. */
void lay_vspace(lay *l, double h);
/* Ends a keep-with-next: something was placed after the heading. */
void lay_placed(lay *l);
/* A destination ID at the cursor (none for NULL or ""). */
void lay_add_anchor(lay *l, const char *id);
/* Moves the column's left edge IND points right for a nested block (quote,
 * list, definition) and gives the indent applied: 0 where the column would
 * become narrower than NEST_MIN_WIDTH of the text block (reported once per
 * post).  lay_outdent(l, the indent given) undoes it. */
double lay_indent(lay *l, double ind);
void lay_outdent(lay *l, double applied);
/* Draws decoration DC from FROM to TO on the current page, inside the text
 * block (never into the bands of running heads and page numbers). */
void lay_deco_segment(lay *l, const deco *dc, double from, double to);
/* Baseline of a line of SIZE in a line box of height LH whose top is TOP. */
double lay_baseline(double top, double lh, double size);
/* LN at (X, baseline BASE) on the current page, with its link rectangles. */
void lay_place_line_at(lay *l, const dg_line *ln, double x, double base, double size);
/* LN at the cursor, left edge X, in a line box of height LH (after a
 * waiting list marker). */
void lay_put_line(lay *l, const dg_line *ln, double x, double lh, double size);
/* The lines of P with widow and orphan control and their footnotes; CODE:
 * continued lines get a mark at XR. */
void lay_put_lines(lay *l, const dg_para *p, double x, double lh, double size, double xr,
                   bool code);
/* The first NLINES lines of P, a window of a paragraph: CONT, lines of it
 * came before; MORE, lines follow (widow and orphan rules at its ends only). */
void lay_put_lines_part(lay *l, const dg_para *p, size_t nlines, double x, double lh, double size,
                        double xr, bool code, bool cont, bool more);
/* TEXT in one style, broken into lines of the column (centred: CENTER). */
void lay_text_block(lay *l, const char *text, unsigned style, double size, int tag, double lead,
                    bool center);
/* Page K of l->L is done: handed over (l->page_done), and the windows'
 * arenas whose lines are on it or before freed. */
void lay_page_done(lay *l, size_t k);
/* The arena a window of a long paragraph is laid out in. */
dg_arena *lay_window_arena(lay *l);
/* Window arena WA has placed its lines (up to the current page). */
void lay_window_placed(lay *l, dg_arena *wa);
/* Lays footnote FN out (fn->p, fn->h). */
void lay_out_note(lay *l, fn_note *fn);
/* Sets NOTES at the foot of page PG. */
void lay_flush_footnotes(lay *l, dg_lpage *pg, fn_note *const *notes, size_t n);

#endif
