/* para.c - the paragraph engine: styled spans into justified lines.
 *
 * The text becomes a row of boxes (one per visible character, with its font
 * and advance) separated by gaps.  A gap has a natural width, a stretch and a
 * shrink (Knuth and Plass's glue), and says whether a line may break there
 * (clreq-tailored UAX #14), must (a newline), or may only as an emergency (a
 * word or URL longer than the line).  A box may also shrink when it ends a
 * line (the empty half of a closing mark).  Spaces are not boxes: they become
 * the gap they sit in, and vanish at a line edge.
 *
 * Spacing (W3C clreq and jlreq):
 * - a quarter em between an ideograph and a Latin letter or digit, in either
 *   order (a space in the source becomes that quarter em);
 * - between two CJK characters nothing, but it may stretch to justify;
 * - adjacent full-width marks are compressed: a closing mark followed by a
 *   mark loses its right half, an opening mark after an opening mark loses its
 *   left half (drawn with x_offset -0.5 em), so 。」 takes 1.5 em;
 * - a closing mark at a line end may lose its right half, which the breaker
 *   uses rather than pushing a character to the next line.
 *
 * Breaking is total-fit (Knuth-Plass: active nodes, badness from the
 * stretch/shrink ratio, four fitness classes) up to DG_PARA_TOTALFIT_MAX
 * boxes, first-fit beyond that and for code.  Every array is allocated once
 * per paragraph: no per-character malloc.
 */
#include "pdf/para.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

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
};

/* Gap break kinds. */
enum { BRK_NONE = 0, BRK_ALLOW = 1, BRK_FORCED = 2, BRK_EMERGENCY = 3 };

typedef struct box {
    uint32_t cp;
    int font;
    float adv, xoff, size, rise;
    float eshr; /* shrink when the line ends here */
    unsigned style, flags;
    int link, tag, span;
} box;

typedef struct gap {
    float w, st, sh;
    int8_t brk;
    bool space; /* a source space: drawn as a space glyph when inside a line */
    int16_t pen;
    int space_font;
    float space_size;
} gap;

/* Justification spacing, in em of the larger neighbour. */
#define QUARTER_EM      0.25
#define QUARTER_STRETCH 0.15
#define QUARTER_SHRINK  0.08
#define CJK_STRETCH     0.10
#define MARK_SHRINK     0.25 /* of a closing or opening mark inside a line */
/* Knuth-Plass constants (TeX's defaults scaled to Chinese text). */
#define LINE_PENALTY      10.0
#define ADJ_DEMERITS      3000.0
#define HYPHEN_PENALTY    50
#define EMERGENCY_PENALTY 20000.0
/* A break after a dash that opens a short paragraph end (an attribution:
 * "……平生。——苏轼") is avoided: the name stays with its dash. */
#define ATTRIBUTION_PENALTY 200
#define ATTRIBUTION_MAX     12 /* characters after the dash */
/* A paragraph whose last line holds a single character costs this much:
 * more than any reasonable respacing of the lines above, less than an
 * emergency break. */
#define ORPHAN_DEMERITS 1.0e6
#define BADNESS_INF     10000.0
/* The first pass considers only lines stretched by at most this ratio
 * (badness 1000): it keeps the active list short.  A paragraph with no
 * solution within it gets a second pass without the limit. */
#define FIRST_PASS_MAX_RATIO 2.15
/* Beyond this stretch ratio (CJK gaps of 0.3 em, spaces at 2.5 times their
 * width) a line is left ragged rather than justified. */
#define JUSTIFY_MAX_RATIO 3.0
/* Such a line costs more than an emergency break inside a long word. */
#define LOOSE_DEMERITS      1.0e9
#define UNSTRETCHABLE_SLACK 0.05
/* Width comparisons tolerate rounding of this many points. */
#define EPS 1e-6
/* Tab stops in code, in spaces. */
#define TAB_WIDTH 4

static bool is_ideo(uint32_t c)
{
    return dg_is_han(c) || (c >= 0x3040 && c <= 0x30FF && c != 0x30FB && c != 0x30A0) ||
           (c >= 0x3100 && c <= 0x312F) || (c >= 0xAC00 && c <= 0xD7AF) ||
           (c >= 0x1100 && c <= 0x11FF) || (c >= 0xFF10 && c <= 0xFF19) ||
           (c >= 0xFF21 && c <= 0xFF3A) || (c >= 0xFF41 && c <= 0xFF5A) || c == 0x3005;
}

static bool is_latin(uint32_t c)
{
    if (c < 0x80)
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    return (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) || (c >= 0x370 && c <= 0x3FF) ||
           (c >= 0x400 && c <= 0x4FF) || (c >= 0x1E00 && c <= 0x1EFF);
}

static bool is_close_mark(uint32_t c)
{
    switch (c) {
    case 0x3002:
    case 0xFF0C:
    case 0x3001:
    case 0xFF0E:
    case 0xFF1A:
    case 0xFF1B:
    case 0xFF01:
    case 0xFF1F:
    case 0xFF09:
    case 0x300D:
    case 0x300F:
    case 0x3011:
    case 0x300B:
    case 0x3009:
    case 0x201D:
    case 0x2019:
    case 0x3017:
    case 0x3015:
    case 0xFF3D:
    case 0xFF5D: return true;
    default: return false;
    }
}

static bool is_open_mark(uint32_t c)
{
    switch (c) {
    case 0xFF08:
    case 0x300C:
    case 0x300E:
    case 0x3010:
    case 0x300A:
    case 0x3008:
    case 0x201C:
    case 0x2018:
    case 0x3016:
    case 0x3014:
    case 0xFF3B:
    case 0xFF5B: return true;
    default: return false;
    }
}

/* Characters that take no box at all. */
static bool is_dropped(uint32_t c)
{
    return (c < 0x20 && c != '\n' && c != '\t') || c == 0x7F || c == 0x00AD ||
           (c >= 0x200C && c <= 0x200F) || (c >= 0xFE00 && c <= 0xFE0F) ||
           (c >= 0x202A && c <= 0x202E) || (c >= 0x2060 && c <= 0x2064) || c == 0xFEFF ||
           (c >= 0xE0100 && c <= 0xE01EF) || (c >= 0xFFF9 && c <= 0xFFFB);
}

/* Latin text: letters and digits, and the ASCII and Latin-1 signs around
 * them (@ # $ ( " ...). */
static bool is_western(const box *b)
{
    return (b->flags & B_LATIN) ||
           (b->cp > ' ' && b->cp < 0x2000 && !(b->flags & (B_IDEO | B_CJKPUNCT)));
}

/* A dash or ellipsis beside Latin text is Western punctuation, whatever
 * width the CJK font gives it: "— David" and "— @isis" keep their space. */
static bool latin_dash_pair(const box *l, const box *r)
{
    bool ldash = l->cp == 0x2014 || l->cp == 0x2013 || l->cp == 0x2026;
    bool rdash = r->cp == 0x2014 || r->cp == 0x2013 || r->cp == 0x2026;
    return (ldash && is_western(r)) || (rdash && is_western(l));
}

static bool is_space_cp(uint32_t c)
{
    return c == ' ' || c == '\t' || c == 0x00A0 || c == 0x200B || c == '\r' ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x205F;
}

typedef struct ctx {
    dg_fonts *fonts;
    const dg_para_opts *o;
    box *b;
    gap *g;
    size_t n;
    double *pb, *pg, *ps, *pk; /* prefix sums: boxes, gap widths, stretch, shrink */
    int *pc;                   /* prefix count of content characters */
} ctx;

static double line_width(const ctx *c, size_t line)
{
    double w = c->o->width - (line == 0 ? c->o->first_indent : 0);
    return w > 0 ? w : 0;
}

/* Natural width, stretch and shrink of the line of boxes A..B. */
static double nat_w(const ctx *c, size_t a, size_t b)
{
    return c->pb[b + 1] - c->pb[a] + c->pg[b] - c->pg[a];
}
static double st_w(const ctx *c, size_t a, size_t b)
{
    return c->ps[b] - c->ps[a];
}
static double sh_w(const ctx *c, size_t a, size_t b)
{
    return c->pk[b] - c->pk[a] + c->b[b].eshr;
}

static bool forced_after(const ctx *c, size_t k)
{
    return k + 1 == c->n || c->g[k].brk == BRK_FORCED;
}

/* Decodes the spans into code points with their span index, dropping
 * invisible characters and expanding tabs in code. */
static size_t decode(const dg_span *spans, size_t nspans, bool code, dg_arena *a,
                     uint32_t **cps_out, int **sp_out)
{
    size_t total = 0;
    for (size_t s = 0; s < nspans; s++)
        total += spans[s].len;
    /* A tab becomes at most TAB_WIDTH spaces. */
    uint32_t *cps = dg_allocn(a, total * TAB_WIDTH + 1, sizeof *cps);
    int *sp = dg_allocn(a, total * TAB_WIDTH + 1, sizeof *sp);
    size_t n = 0, col = 0;
    for (size_t s = 0; s < nspans; s++) {
        const char *t = spans[s].text;
        size_t len = spans[s].len, i = 0;
        while (t && i < len) {
            uint32_t cp;
            int k = dg_utf8_decode(t + i, len - i, &cp);
            if (k <= 0) {
                k = 1;
                cp = 0xFFFD;
            }
            i += (size_t)k;
            if (is_dropped(cp))
                continue;
            if ((cp & 0xFFFE) == 0xFFFE || (cp >= 0xFDD0 && cp <= 0xFDEF))
                cp = 0xFFFD; /* noncharacters */
            if (cp == '\t' && code) {
                size_t nsp = TAB_WIDTH - col % TAB_WIDTH;
                for (size_t j = 0; j < nsp; j++) {
                    cps[n] = ' ';
                    sp[n++] = (int)s;
                }
                col += nsp;
                continue;
            }
            if (cp == '\t' || cp == '\r')
                cp = ' ';
            col = cp == '\n' ? 0 : col + 1;
            cps[n] = cp;
            sp[n++] = (int)s;
        }
    }
    *cps_out = cps;
    *sp_out = sp;
    return n;
}

/* Chinese text sets curly quotes full-width, as every CJK face does; a font
 * that draws them Latin-narrow (LXGW WenKai: 0.35 em) gets a full em box
 * with the ink where a CJK quote has it: right half for an opening mark,
 * left half for a closing one.  They then compress like other marks. */
static void widen_cjk_quote(const ctx *c, box *bx, uint32_t cp)
{
    bool open = cp == 0x201C || cp == 0x2018, close = cp == 0x201D || cp == 0x2019;
    if ((!open && !close) || bx->font < 0 || c->o->code || !dg_lang_is_cjk(c->o->lang) ||
        (bx->style & DG_MONO) || bx->adv >= 0.9f * bx->size)
        return;
    if (open)
        bx->xoff = bx->size - bx->adv;
    bx->adv = bx->size;
}

static void set_box(ctx *c, box *bx, const dg_span *s, int span, uint32_t cp)
{
    bx->cp = cp;
    bx->size = (float)(s->size > 0 ? s->size : 10);
    bx->rise = (float)s->rise;
    bx->style = s->style;
    bx->link = s->link;
    bx->tag = s->tag;
    bx->span = span;
    if (cp == '\n') {
        bx->flags = B_NL;
        bx->font = dg_fonts_pick(c->fonts, s->style, ' ');
        return;
    }
    bx->font = dg_fonts_pick(c->fonts, s->style, cp);
    if (bx->font >= 0)
        bx->adv = (float)(dg_fonts_advance(c->fonts, bx->font, cp) * bx->size);
    else /* drawn as a box by the writer */
        bx->adv = (float)((dg_is_cjk(cp) || cp >= 0x2E80 ? 1.0 : 0.6) * bx->size);
    widen_cjk_quote(c, bx, cp);
    bool full = bx->adv >= 0.9f * bx->size;
    unsigned f = 0;
    if (is_ideo(cp))
        f |= B_IDEO | B_CONTENT;
    else if (is_latin(cp))
        f |= B_LATIN | B_CONTENT;
    else if (full && is_close_mark(cp))
        f |= B_CLOSE | B_CJKPUNCT;
    else if (full && is_open_mark(cp))
        f |= B_OPEN | B_CJKPUNCT;
    else if (dg_is_cjk(cp) || is_close_mark(cp) || is_open_mark(cp) ||
             (cp >= 0x2010 && cp <= 0x205E) || cp == 0x00B7 || cp == 0x2E3A)
        f |= B_CJKPUNCT; /* marks and dashes, full-width or not: never "content" */
    else if (cp == ' ')
        f |= B_SPACE;
    else if (cp > 0x7F)
        f |= B_CONTENT; /* symbols, emoji */
    if (full)
        f |= B_FULL;
    bx->flags = f;
}

/* Builds boxes and gaps; returns the number of boxes. */
static size_t build(ctx *c, const dg_span *spans, size_t nspans, dg_arena *a)
{
    const dg_para_opts *o = c->o;
    uint32_t *cps;
    int *sp;
    size_t ncp = decode(spans, nspans, o->code, a, &cps, &sp);
    if (ncp == 0)
        return 0;
    char *brks = dg_alloc(a, ncp);
    dg_linebreaks(cps, ncp, o->lang, brks);
    c->b = dg_allocn(a, ncp, sizeof *c->b);
    c->g = dg_allocn(a, ncp, sizeof *c->g);
    size_t n = 0;
    double pend_w = 0;
    int pend_font = -1;
    float pend_size = 0;
    bool pend = false;
    for (size_t i = 0; i < ncp; i++) {
        uint32_t cp = cps[i];
        const dg_span *s = &spans[sp[i]];
        if (!o->code && is_space_cp(cp)) {
            /* Spaces at the start of the paragraph or of a forced line vanish. */
            if (n == 0 || (c->b[n - 1].flags & B_NL))
                continue;
            if (cp == 0x200B)
                continue; /* a break opportunity only (brks has it) */
            int f = dg_fonts_pick(c->fonts, s->style, ' ');
            double size = s->size > 0 ? s->size : 10;
            double w = f >= 0 ? dg_fonts_advance(c->fonts, f, ' ') * size : 0.25 * size;
            if (cp >= 0x2000 && cp <= 0x200A && cp != 0x2007 && cp != 0x2008)
                w = size * (cp == 0x2000 || cp == 0x2002   ? 0.5
                            : cp == 0x2001 || cp == 0x2003 ? 1.0
                                                           : 0.2);
            pend_w += w;
            if (!pend) {
                pend_font = f;
                pend_size = (float)size;
            }
            pend = true;
            continue;
        }
        box *bx = &c->b[n];
        set_box(c, bx, s, sp[i], cp);
        if (n > 0) {
            gap *g = &c->g[n - 1];
            const box *l = &c->b[n - 1];
            g->brk = (int8_t)(i > 0 ? brks[i - 1] : 0);
            if (l->flags & B_NL)
                g->brk = BRK_FORCED;
            else if (bx->flags & B_NL)
                g->brk = BRK_NONE, pend = false, pend_w = 0;
            else if (g->brk == BRK_FORCED)
                g->brk = BRK_ALLOW; /* a forced break inside text that is not '\n' */
            g->space = pend;
            g->w = (float)pend_w;
            g->space_font = pend_font;
            g->space_size = pend_size;
            if (g->brk == BRK_ALLOW && i > 0 && (cps[i - 1] == '-' || cps[i - 1] == 0x2010))
                g->pen = HYPHEN_PENALTY;
        }
        pend = false;
        pend_w = 0;
        n++;
    }
    c->n = n;
    if (n == 0)
        return 0;
    for (size_t k = 1; k + 1 < n; k++)
        if (c->g[k].brk == BRK_ALLOW && c->b[k].cp == 0x2014 && c->b[k - 1].cp == 0x2014 &&
            n - (k + 1) <= ATTRIBUTION_MAX)
            c->g[k].pen = ATTRIBUTION_PENALTY;
    /* Punctuation compression (not in code: monospace keeps its grid). */
    if (!o->code) {
        for (size_t i = 0; i + 1 < n; i++) {
            box *l = &c->b[i], *r = &c->b[i + 1];
            if (c->g[i].space)
                continue;
            if ((l->flags & B_CLOSE) && !(l->flags & B_SQUEEZED) &&
                (r->flags & (B_CLOSE | B_OPEN))) {
                l->adv -= 0.5f * l->size;
                l->flags |= B_SQUEEZED;
            } else if ((l->flags & B_OPEN) && (r->flags & B_OPEN) && !(r->flags & B_SQUEEZED)) {
                r->adv -= 0.5f * r->size;
                r->xoff -= 0.5f * r->size;
                r->flags |= B_SQUEEZED;
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        box *l = &c->b[i];
        if (!o->code && (l->flags & B_CLOSE) && !(l->flags & B_SQUEEZED))
            l->eshr = 0.5f * l->size;
        /* A line ended by a newline may still shrink the mark before it. */
        if ((l->flags & B_NL) && i > 0 && !(c->b[i - 1].flags & B_NL))
            l->eshr = c->b[i - 1].eshr;
        if (i + 1 == n)
            break;
        box *r = &c->b[i + 1];
        gap *g = &c->g[i];
        double em = l->size > r->size ? l->size : r->size;
        if (o->code) {
            g->w = g->st = g->sh = 0;
            if (g->brk != BRK_FORCED)
                g->brk = (l->flags & B_SPACE) && !(r->flags & B_SPACE) ? BRK_ALLOW : BRK_EMERGENCY;
            continue;
        }
        if ((l->flags | r->flags) & B_NL) {
            g->w = g->st = g->sh = 0;
            g->space = false;
            continue;
        }
        /* A full-width mark brings its own space: a source space beside it
         * would only open a hole (and, stretched, split the line in two). */
        if (g->space && !latin_dash_pair(l, r) &&
            (((l->flags & B_CJKPUNCT) && (l->flags & B_FULL)) ||
             ((r->flags & B_CJKPUNCT) && (r->flags & B_FULL)))) {
            g->space = false;
            g->w = 0;
        }
        bool quarter = ((l->flags & B_IDEO) && (r->flags & B_LATIN)) ||
                       ((l->flags & B_LATIN) && (r->flags & B_IDEO));
        if (quarter) {
            g->w = (float)(QUARTER_EM * em);
            g->st = (float)(QUARTER_STRETCH * em);
            g->sh = (float)(QUARTER_SHRINK * em);
        } else if (g->space) {
            g->st = g->w * 0.5f;
            g->sh = g->w / 3.0f;
        } else if (((l->flags | r->flags) & B_IDEO) ||
                   ((l->flags & B_CJKPUNCT) && (l->flags & B_FULL)) ||
                   ((r->flags & B_CJKPUNCT) && (r->flags & B_FULL)) ||
                   ((l->flags & B_CJKPUNCT) && (r->flags & B_CJKPUNCT))) {
            /* Between CJK characters (not inside a Latin word or number). */
            g->w = 0;
            g->st = (float)(CJK_STRETCH * em);
            if ((l->flags & B_CLOSE) && !(l->flags & B_SQUEEZED))
                g->sh = (float)(MARK_SHRINK * l->size);
            else if ((r->flags & B_OPEN) && !(r->flags & B_SQUEEZED))
                g->sh = (float)(MARK_SHRINK * r->size);
        }
        if (g->brk == BRK_NONE && dg_linebreak_emergency_ok(l->cp, r->cp))
            g->brk = BRK_EMERGENCY;
    }
    c->g[n - 1].brk = BRK_FORCED;
    return n;
}

static void prefix_sums(ctx *c, dg_arena *a)
{
    size_t n = c->n;
    c->pb = dg_allocn(a, n + 1, sizeof(double));
    c->pg = dg_allocn(a, n + 1, sizeof(double));
    c->ps = dg_allocn(a, n + 1, sizeof(double));
    c->pk = dg_allocn(a, n + 1, sizeof(double));
    c->pc = dg_allocn(a, n + 1, sizeof(int));
    for (size_t i = 0; i < n; i++) {
        c->pb[i + 1] = c->pb[i] + c->b[i].adv;
        c->pg[i + 1] = c->pg[i] + c->g[i].w;
        c->ps[i + 1] = c->ps[i] + c->g[i].st;
        c->pk[i + 1] = c->pk[i] + c->g[i].sh;
        c->pc[i + 1] = c->pc[i] + ((c->b[i].flags & B_CONTENT) ? 1 : 0);
    }
}

/* First-fit: the longest line that fits, broken at the last opportunity
 * (an emergency one only when there is no other; any character when even
 * that fails).  Code prefers a break at a space unless it wastes more than
 * half the line.  Writes break positions (last box of each line) to ENDS;
 * returns their number. */
static size_t first_fit(const ctx *c, size_t *ends)
{
    size_t nl = 0, start = 0, n = c->n;
    bool code = c->o->code;
    while (start < n) {
        double L = line_width(c, nl);
        long last_brk = -1, last_emg = -1;
        long end = -1;
        size_t k;
        for (k = start; k < n; k++) {
            double w = nat_w(c, start, k) - (code ? 0 : sh_w(c, start, k));
            if (w > L + EPS)
                break;
            if (forced_after(c, k)) {
                end = (long)k;
                break;
            }
            if (c->g[k].brk == BRK_ALLOW)
                last_brk = (long)k;
            else if (c->g[k].brk == BRK_EMERGENCY)
                last_emg = (long)k;
        }
        if (end < 0) {
            long any = k > start ? (long)k - 1 : (long)start;
            if (code)
                end =
                    last_brk >= 0 && nat_w(c, start, (size_t)last_brk) >= 0.5 * L ? last_brk : any;
            else
                end = last_brk >= 0 ? last_brk : last_emg >= 0 ? last_emg : any;
        }
        ends[nl++] = (size_t)end;
        start = (size_t)end + 1;
    }
    return nl;
}

typedef struct kp_node {
    long pos; /* last box of the line ending here; -1 for the start */
    size_t line;
    int fit;
    int prev;
    double dem;
} kp_node;

typedef struct kp_vec {
    void *p;
    size_t len, cap, elt;
} kp_vec;

static void *kp_push(kp_vec *v)
{
    if (v->len == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 256;
        void *p = realloc(v->p, cap * v->elt);
        if (!p)
            abort();
        v->p = p;
        v->cap = cap;
    }
    return (char *)v->p + v->elt * v->len++;
}

/* Total-fit.  Returns the number of lines, or 0 when no feasible breaking
 * exists (then the caller falls back to first-fit). */
static size_t total_fit(const ctx *c, size_t *ends, double max_r)
{
    size_t n = c->n, result = 0;
    kp_vec nodes = {.elt = sizeof(kp_node)};
    kp_vec act = {.elt = sizeof(int)}, nact = {.elt = sizeof(int)};
    kp_node *start = kp_push(&nodes);
    *start = (kp_node){.pos = -1, .line = 0, .fit = 2, .prev = -1, .dem = 0};
    *(int *)kp_push(&act) = 0;
    for (size_t k = 0; k < n; k++) {
        int brk = k + 1 == n ? BRK_FORCED : c->g[k].brk;
        if (brk == BRK_NONE)
            continue;
        bool forced = brk == BRK_FORCED;
        double pen = brk == BRK_EMERGENCY ? EMERGENCY_PENALTY : c->g[k].pen;
        double best[4] = {DBL_MAX, DBL_MAX, DBL_MAX, DBL_MAX};
        int bestprev[4] = {-1, -1, -1, -1};
        int *av = act.p;
        size_t keep = 0;
        for (size_t j = 0; j < act.len; j++) {
            int id = av[j];
            const kp_node *nd = &((kp_node *)nodes.p)[id];
            size_t a = (size_t)(nd->pos + 1);
            double L = line_width(c, nd->line);
            double w = nat_w(c, a, k), r;
            if (w > L + EPS) {
                double sh = sh_w(c, a, k);
                r = sh > 0 ? (L - w) / sh : -DBL_MAX;
            } else if (forced) {
                r = 0;
            } else {
                /* A line with little or nothing to stretch (a piece of URL)
                 * is judged as if it had UNSTRETCHABLE_SLACK of the width:
                 * it will be set ragged, and filling it nearly is enough. */
                double st = st_w(c, a, k);
                if (st < UNSTRETCHABLE_SLACK * L)
                    st = UNSTRETCHABLE_SLACK * L;
                r = st > 0 ? (L - w) / st : DBL_MAX;
            }
            if (r < -1.0 - EPS)
                continue; /* overfull now, and for every later break: drop it */
            if (r > max_r && !forced && nd->line >= 1) {
                /* Too loose to consider (first pass).  Actives are in order
                 * of position, all later ones start later on a line of the
                 * same width: less width and less stretch, so a larger ratio.
                 * None of them can make a line here either. */
                while (j < act.len)
                    av[keep++] = av[j++];
                break;
            }
            av[keep++] = id;
            if (r > max_r)
                continue;
            double ar = fabs(r);
            double bad = ar > 4.6 ? BADNESS_INF : 100.0 * ar * ar * ar;
            int fit = r < -0.5 ? 3 : r <= 0.5 ? 2 : r <= 1.0 ? 1 : 0;
            double d = (LINE_PENALTY + bad) * (LINE_PENALTY + bad) + pen * pen;
            if (r > JUSTIFY_MAX_RATIO && !forced)
                d += LOOSE_DEMERITS;
            if (abs(fit - nd->fit) > 1)
                d += ADJ_DEMERITS;
            if (forced && nd->pos >= 0 && !(c->b[nd->pos].flags & B_NL) &&
                c->pc[k + 1] - c->pc[a] <= 1)
                d += ORPHAN_DEMERITS;
            double tot = nd->dem + d;
            if (tot < best[fit]) {
                best[fit] = tot;
                bestprev[fit] = id;
            }
        }
        act.len = keep;
        if (forced)
            act.len = 0;
        /* A class whose demerits exceed the best by more than ADJ_DEMERITS
         * can never win (fitness saves at most that): not worth a node. */
        double floor_d = DBL_MAX;
        for (int f = 0; f < 4; f++)
            if (best[f] < floor_d)
                floor_d = best[f];
        for (int f = 0; f < 4; f++) {
            if (bestprev[f] < 0 || best[f] > floor_d + ADJ_DEMERITS)
                continue;
            kp_node *p = &((kp_node *)nodes.p)[bestprev[f]];
            kp_node nn = {
                .pos = (long)k, .line = p->line + 1, .fit = f, .prev = bestprev[f], .dem = best[f]};
            *(kp_node *)kp_push(&nodes) = nn;
            *(int *)kp_push(&act) = (int)nodes.len - 1;
        }
        if (act.len == 0)
            goto out; /* nothing feasible */
        (void)nact;
    }
    {
        int bestid = -1;
        double bd = DBL_MAX;
        for (size_t j = 0; j < act.len; j++) {
            int id = ((int *)act.p)[j];
            kp_node *nd = &((kp_node *)nodes.p)[id];
            if (nd->pos == (long)n - 1 && nd->dem < bd) {
                bd = nd->dem;
                bestid = id;
            }
        }
        if (bestid < 0)
            goto out;
        size_t nl = 0;
        for (int id = bestid; id > 0; id = ((kp_node *)nodes.p)[id].prev)
            nl++;
        size_t i = nl;
        for (int id = bestid; id > 0; id = ((kp_node *)nodes.p)[id].prev)
            ends[--i] = (size_t)((kp_node *)nodes.p)[id].pos;
        result = nl;
    }
out:
    free(nodes.p);
    free(act.p);
    free(nact.p);
    return result;
}

static void emit_line(const ctx *c, dg_line *ln, size_t lineno, size_t a, size_t b, dg_arena *ar)
{
    const dg_para_opts *o = c->o;
    double L = line_width(c, lineno);
    double w = nat_w(c, a, b), st = st_w(c, a, b), sh = sh_w(c, a, b);
    bool fend = forced_after(c, b);
    double r = 0;
    if (w > L + EPS && sh > 0 && !o->code)
        r = (L - w) / sh < -1 ? -1 : (L - w) / sh;
    else if (o->justify && !o->code && !fend && w < L && st > 0)
        r = (L - w) / st;
    /* A line that could only be justified by opening holes (a few gaps
     * before a long unbreakable word or URL) stays ragged instead. */
    if (r > JUSTIFY_MAX_RATIO)
        r = 0;
    size_t ng = 0;
    for (size_t i = a; i <= b; i++) {
        if (!(c->b[i].flags & B_NL))
            ng++;
        if (i < b && c->g[i].space)
            ng++;
    }
    ln->glyphs = ng ? dg_allocn(ar, ng, sizeof *ln->glyphs) : NULL;
    double x = lineno == 0 ? o->first_indent : 0;
    double asc = 0, desc = 0;
    size_t gi = 0;
    /* Shrink of an opening mark's left half, taken from the gap before it. */
    double lshrink = 0;
    /* The box whose end shrinks: the last one, or the one before a newline. */
    size_t endbox = (c->b[b].flags & B_NL) && b > a ? b - 1 : b;
    for (size_t i = a; i <= b; i++) {
        const box *bx = &c->b[i];
        const dg_font *f = bx->font >= 0 ? dg_fonts_get(c->fonts, bx->font) : NULL;
        double fa = f ? f->ascent : 0.8, fd = f ? f->descent : -0.2;
        double ga = fa * bx->size + bx->rise, gd = fd * bx->size + bx->rise;
        if (i == a || ga > asc)
            asc = ga;
        if (i == a || gd < desc)
            desc = gd;
        if (bx->flags & B_NL)
            continue;
        double adv = bx->adv + lshrink, xoff = bx->xoff + lshrink;
        lshrink = 0;
        if (i == endbox && r < 0)
            adv += r * bx->eshr;
        /* A mark's shrink inside the line comes out of its own empty half, so
         * glyph boxes never overlap. */
        if (i < b && r < 0 && !c->g[i].space && c->g[i].sh > 0 && c->g[i].w == 0) {
            if (bx->flags & B_CLOSE)
                adv += r * c->g[i].sh;
            else
                lshrink = r * c->g[i].sh;
        }
        dg_glyph *gl = &ln->glyphs[gi++];
        gl->cp = bx->cp;
        gl->font = bx->font;
        gl->x = x;
        gl->advance = adv;
        gl->size = bx->size;
        gl->rise = bx->rise;
        gl->style = bx->style;
        gl->link = bx->link;
        gl->tag = bx->tag;
        gl->span = bx->span;
        gl->x_offset = xoff;
        x += adv;
        if (i < b) {
            const gap *g = &c->g[i];
            double gw = g->w + (r > 0 ? r * g->st : g->w > 0 ? r * g->sh : 0);
            if (g->space) {
                dg_glyph *sg = &ln->glyphs[gi++];
                *sg = *gl;
                sg->cp = ' ';
                sg->font = g->space_font;
                sg->x = x;
                sg->advance = gw;
                sg->size = g->space_size;
                sg->x_offset = 0;
                /* A space between two links belongs to neither. */
                if (c->b[i + 1].link != bx->link)
                    sg->link = -1;
            }
            x += gw;
        }
    }
    ln->n = gi;
    ln->width = x;
    if (o->justify && !o->code && !fend && r > 0 && st > 0)
        ln->width = o->width; /* exact, whatever the rounding */
    else if (r < 0 && w - sh <= L + EPS && r > -1)
        ln->width = o->width;
    ln->ascent = asc;
    ln->descent = desc;
    ln->last = b + 1 == c->n;
    ln->continued = o->code && !fend;
}

int dg_para_layout(dg_para *out, dg_fonts *fonts, const dg_span *spans, size_t nspans,
                   const dg_para_opts *opts, dg_arena *a)
{
    ctx c = {.fonts = fonts, .o = opts};
    out->lines = NULL;
    out->nlines = 0;
    if (!spans || nspans == 0 || !opts)
        return 0;
    if (build(&c, spans, nspans, a) == 0)
        return 0;
    prefix_sums(&c, a);
    size_t *ends = dg_allocn(a, c.n, sizeof *ends);
    size_t nl = 0;
    if (!opts->code && c.n <= DG_PARA_TOTALFIT_MAX)
        nl = total_fit(&c, ends, FIRST_PASS_MAX_RATIO);
    if (nl == 0 && !opts->code && c.n <= DG_PARA_TOTALFIT_MAX)
        nl = total_fit(&c, ends, DBL_MAX);
    if (nl == 0)
        nl = first_fit(&c, ends);
    out->lines = dg_allocn(a, nl, sizeof *out->lines);
    size_t start = 0;
    for (size_t i = 0; i < nl; i++) {
        emit_line(&c, &out->lines[i], i, start, ends[i], a);
        start = ends[i] + 1;
    }
    out->nlines = nl;
    return 0;
}
