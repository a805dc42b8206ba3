/* para_model.h - what the paragraph engine (para.h) takes and gives: a run
 * of styled spans in, lines of positioned glyphs out.  On its own so that
 * the engine's entry (para.h) and its private state (para_impl.h) both use
 * the types without including each other.
 */
#ifndef DIGEST_PDF_PARA_MODEL_H
#define DIGEST_PDF_PARA_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct dg_span {
    const char *text;   /* UTF-8 */
    size_t len;
    unsigned style;     /* DG_BOLD | DG_ITALIC | DG_MONO */
    double size;        /* points */
    int link;           /* caller's link index, -1 for none */
    int tag;            /* caller's value carried to the glyphs (e.g. colour, sup) */
    double rise;        /* baseline shift in points (superscripts) */
    const void *src;    /* caller's: where the text came from, carried to the
                           lines (dg_line.src); NULL for none */
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
    bool hyphen;        /* ends inside a word, with a hyphen drawn (the last glyph) */
    const void *src;    /* the span src of its first character, and that */
    const char *src_at; /* character in the span's text */
} dg_line;

typedef struct dg_para {
    dg_line *lines;
    size_t nlines;
    /* Where the last line begins in the spans: span index and byte offset
     * (a paragraph laid out a window at a time starts the next window
     * there, and keeps all lines but that one) */
    size_t tail_span, tail_off;
} dg_para;

#endif
