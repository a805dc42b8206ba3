/* para.h - the paragraph engine: Chinese and Latin text into justified lines.
 * Stage files: src/linebreak.c (break opportunities: libunibreak UAX #14 with
 * a clreq strict-level tailoring), src/para.c (items, CJK-Latin spacing,
 * punctuation compression, total-fit breaking, justification).
 *
 * Input is a run of styled spans; output is lines of positioned glyphs.  The
 * engine knows nothing of pages or PDF.
 */
#ifndef DIGEST_PARA_H
#define DIGEST_PARA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pdf/fonts.h"
#include "base/base.h"

typedef struct dg_span {
    const char *text;   /* UTF-8 */
    size_t len;
    unsigned style;     /* DG_BOLD | DG_ITALIC | DG_MONO */
    double size;        /* points */
    int link;           /* caller's link index, -1 for none */
    int tag;            /* caller's value carried to the glyphs (e.g. colour, sup) */
    double rise;        /* baseline shift in points (superscripts) */
} dg_span;

typedef struct dg_para_opts {
    double width;           /* line width in points */
    double first_indent;    /* extra indent of the first line (points) */
    double line_gap;        /* unused by the breaker; kept for the caller */
    bool justify;           /* false: ragged right (headings, code) */
    bool code;              /* code: break at any character when a line is too
                               long, marking continued lines; keep spaces */
    const char *lang;       /* "zh-CN" etc. (tailoring) */
} dg_para_opts;

typedef struct dg_glyph {
    uint32_t cp;        /* the character (also when font < 0: the caller names it
                           and draws a box); ' ' for a space inside the line,
                           whose advance is the justified space */
    int font;           /* index in dg_fonts, -1 when no font has cp (draw a box) */
    double x;           /* left edge from the line start, justification applied
                           (the first line's glyphs start at first_indent) */
    double advance;     /* width drawn (after punctuation compression) */
    double size;        /* points */
    double rise;
    unsigned style;
    int link, tag, span;/* from the span it came from */
    double x_offset;    /* shift of the ink inside its advance (compressed opening
                           punctuation draws shifted left) */
} dg_glyph;

typedef struct dg_line {
    dg_glyph *glyphs;   /* spaces that ended up at the line edge are removed;
                           newlines ('\n' in a span: a forced break) are not
                           glyphs, and an empty line has n == 0 */
    size_t n;
    double width;       /* natural width after justification (== opts.width when justified) */
    double ascent, descent; /* in points, largest of its glyphs (descent negative) */
    bool last;          /* last line of the paragraph */
    bool continued;     /* code: the line was broken inside, a mark should show */
} dg_line;

typedef struct dg_para {
    dg_line *lines;
    size_t nlines;
} dg_para;

/* Lays out SPANS into lines of OPTS->width.  Uses total-fit breaking (first-fit
 * beyond DG_PARA_TOTALFIT_MAX characters).  Never overflows: a word longer
 * than the line is broken anywhere.  Everything lives in A.  Returns 0. */
int dg_para_layout(dg_para *out, dg_fonts *fonts, const dg_span *spans, size_t nspans,
                   const dg_para_opts *opts, dg_arena *a);

/* Characters beyond which a paragraph is broken first-fit (cost guard). */
#define DG_PARA_TOTALFIT_MAX 20000

/* Break classes after clreq tailoring (src/linebreak.c), for tests:
 * for each character of TEXT (NCP code points), BREAKS[i] is 1 when a line
 * may break after character i, 2 when it must, 0 when not. */
void dg_linebreaks(const uint32_t *text, size_t ncp, const char *lang, char *breaks);
/* True when an emergency break (a word longer than the line) may fall between
 * LEFT and RIGHT without breaking a clreq rule (no forbidden line start or end,
 * no split of a dash or ellipsis pair, no base separated from its mark). */
bool dg_linebreak_emergency_ok(uint32_t left, uint32_t right);

#endif
