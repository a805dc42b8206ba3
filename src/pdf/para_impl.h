/* para_impl.h - the paragraph engine's private state, shared by its three
 * steps (para.h is the stage's interface):
 *
 *   para_items.c  spans into boxes and gaps: character classes, CJK-Latin
 *                 spacing, punctuation compression, break kinds;
 *   para_break.c  where the lines end: total-fit (Knuth-Plass) and first-fit;
 *   para.c        the entry point, and each line justified into glyphs.
 *
 * The text is a row of boxes (one per visible character) separated by gaps
 * (Knuth and Plass's glue: a width that may stretch and shrink).  Gap K lies
 * between box K and box K + 1; the last gap is a forced break.
 */
#ifndef DIGEST_PDF_PARA_IMPL_H
#define DIGEST_PDF_PARA_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"
#include "pdf/fonts.h"
#include "pdf/para_model.h"

/* Box flags. */
enum {
    B_IDEO = 1u << 0,     /* ideograph, kana, Hangul, full-width letter */
    B_CJKPUNCT = 1u << 1, /* CJK punctuation (full-width marks, dashes) */
    B_CLOSE = 1u << 2,    /* full-width closing-type mark (ink in the left half) */
    B_OPEN = 1u << 3,     /* full-width opening-type mark (ink in the right half) */
    B_LATIN = 1u << 4,    /* Latin, Greek, Cyrillic letter or a digit */
    B_SPACE = 1u << 5,    /* a space kept as a box (code) */
    B_NL = 1u << 6,       /* a newline: zero width, forced break after it */
    B_CONTENT = 1u << 7,  /* counts as a character for the one-character last line rule */
    B_SQUEEZED = 1u << 8, /* already compressed */
    B_FULL = 1u << 9,     /* full width (an em or more) */
    B_HYPHENATED = 1u << 10, /* the first box of a token already hyphenated */
};

/* Gap break kinds, from the most to the least welcome:
 * ALLOW     a space, between CJK characters, after a typed hyphen;
 * HYPH      a hyphenation point inside a word (a hyphen is drawn);
 * EMERGENCY a conventional point inside a long unbreakable token (after / .
 *           _ :: @, before ? # & =, a camelCase hump);
 * LAST      anywhere else inside a token, only when the token is wider than
 *           the line (a prose word then gets a hyphen);
 * FORCED    a newline, the paragraph's end. */
enum {
    BRK_NONE = 0,
    BRK_ALLOW = 1,
    BRK_FORCED = 2,
    BRK_EMERGENCY = 3,
    BRK_HYPH = 4,
    BRK_LAST = 5,
};

typedef struct para_box {
    uint32_t cp;
    int font;
    float adv, xoff, size, rise;
    float eshr; /* shrink when the line ends here */
    unsigned style, flags;
    int link, tag, span;
    uint32_t off; /* byte offset of its character in span SPAN */
} para_box;

typedef struct para_gap {
    float w, st, sh;
    float hyw; /* a hyphen drawn when a line ends here: its width */
    int space_font;
    float space_size;
    int16_t pen; /* Knuth-Plass penalty; for BRK_LAST, 1 when it leaves fewer
                    than three characters on a side */
    int8_t brk;
    bool space;   /* a source space: drawn as a space glyph when inside a line */
    bool flagged; /* a break after a hyphen, typed or drawn (TeX's flagged
                     penalty: two in a row, or one before the last line, cost
                     extra demerits) */
} para_gap;

/* One paragraph being laid out. */
typedef struct para_ctx {
    dg_fonts *fonts;
    const dg_para_opts *o;
    const dg_span *spans;
    para_box *b;
    para_gap *g;
    size_t n;
    double *pb, *pg, *ps, *pk; /* prefix sums: boxes, gap widths, stretch, shrink */
    int *pc;                   /* prefix count of content characters */
    size_t nwords;             /* words hyphenation may split (para_hyphenate) */
    bool hyphenated;           /* their points are in the gaps */
    bool hyph_lazy;            /* first-fit hyphenates the word at a line's end only */
} para_ctx;

/* Beyond this stretch ratio (CJK gaps of 0.3 em, spaces at 2.5 times their
 * width) a line is left ragged rather than justified. */
#define JUSTIFY_MAX_RATIO 3.0
/* Width comparisons tolerate rounding of this many points. */
#define EPS 1e-6

/* The width available to line LINE (the first is indented). */
static inline double para_line_width(const para_ctx *c, size_t line)
{
    double w = c->o->width - (line == 0 ? c->o->first_indent : 0);
    return w > 0 ? w : 0;
}

/* Natural width, stretch and shrink of the line of boxes A..B (its width
 * counts the hyphen drawn when it ends inside a word). */
static inline double para_nat_w(const para_ctx *c, size_t a, size_t b)
{
    return c->pb[b + 1] - c->pb[a] + c->pg[b] - c->pg[a] + c->g[b].hyw;
}
static inline double para_st_w(const para_ctx *c, size_t a, size_t b)
{
    return c->ps[b] - c->ps[a];
}
static inline double para_sh_w(const para_ctx *c, size_t a, size_t b)
{
    return c->pk[b] - c->pk[a] + c->b[b].eshr;
}

/* True when a line must end after box K. */
static inline bool para_forced_after(const para_ctx *c, size_t k)
{
    return k + 1 == c->n || c->g[k].brk == BRK_FORCED;
}

/* para_items.c: fills C's boxes, gaps and prefix sums from SPANS (in A);
 * returns the number of boxes, 0 for a paragraph with nothing to draw. */
size_t para_items(para_ctx *c, const dg_span *spans, size_t nspans, dg_arena *a);

/* para_items.c: the hyphenation points of C's words (from the dictionary of
 * C->o->lang) into its gaps as BRK_HYPH; sets C->hyphenated. */
void para_hyphenate(para_ctx *c);
/* The same for the token holding box K only; false when it was already
 * done.  A first-fit paragraph (C->hyph_lazy) hyphenates the word that a
 * line's end falls in, the only one whose points first-fit can take, not
 * every word first (a 16 MiB paragraph has two million). */
bool para_hyphenate_at(para_ctx *c, size_t k);

/* para_break.c: chooses the line ends (the last box of each line, into ENDS,
 * room for C->n) and returns their number, at least 1. */
size_t para_break(para_ctx *c, size_t *ends);
/* para_break.c: TeX's first pass: total-fit without hyphenation, keeping only
 * lines no looser than PARA_PRETOLERANCE_RATIO and no split of a token (not
 * even at a conventional point).
 * Returns the number of lines, 0 when no such breaking exists (then the
 * caller hyphenates and calls para_break). */
size_t para_break_pretolerant(const para_ctx *c, size_t *ends);

/* Stretch ratio of TeX's \pretolerance (badness 100): a paragraph set with
 * no line looser than this needs no hyphen. */
#define PARA_PRETOLERANCE_RATIO 1.0

#endif
