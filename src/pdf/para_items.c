/* para_items.c - the paragraph engine's items (para_impl.h): styled spans
 * into a row of boxes and gaps.
 *
 * Each visible character becomes a box with its font and advance; spaces are
 * not boxes but the gap they sit in, which vanishes at a line edge.  A gap
 * says whether a line may break there (clreq-tailored UAX #14, linebreak.c),
 * must (a newline), or may only as an emergency (a word or URL longer than
 * the line).  A box may also shrink when it ends a line (the empty half of a
 * closing mark).
 *
 * Spacing (W3C clreq and jlreq):
 * - a quarter em between an ideograph and a Latin letter or digit, in either
 *   order (a space in the source becomes that quarter em);
 * - between two CJK characters nothing, but it may stretch to justify;
 * - adjacent full-width marks are compressed: a closing mark followed by a
 *   mark loses its right half, an opening mark after an opening mark loses its
 *   left half (drawn with x_offset -0.5 em), so 。」 takes 1.5 em;
 * - a closing mark at a line end may lose its right half, which the breaker
 *   uses rather than pushing a character to the next line;
 * - curly quotes and apostrophes take the width of their context: the Latin
 *   font's own between or next to Latin letters ("It’s"), full-width beside
 *   Chinese (W3C clreq, mixed Chinese and Western text).
 *
 * Words (para_impl.h's break kinds): a Latin word is split only at a
 * hyphenation point (pdf/hyphen.h, found by para_hyphenate when the
 * paragraph cannot be set well without), never inside a URL, code, an
 * address, a word with digits or in capitals.  A token with no space in it
 * that is wider than the line (a URL, an identifier) is split at a
 * conventional point (after / . _ :: @, before ? # & =, at a camelCase hump),
 * and only when it has none anywhere, with a hyphen in prose.
 *
 * Every array is allocated once per paragraph: no per-character malloc.
 */
#include <string.h>

#include "pdf/hyphen.h"
#include "pdf/para.h"
#include "pdf/para_impl.h"

/* Justification spacing, in em of the larger neighbour. */
#define QUARTER_EM      0.25
#define QUARTER_STRETCH 0.15
#define QUARTER_SHRINK  0.08
#define CJK_STRETCH     0.10
#define MARK_SHRINK     0.25 /* of a closing or opening mark inside a line */
/* A break after a hyphen costs this much (Knuth-Plass penalty). */
#define HYPHEN_PENALTY 50
/* A break after a dash that opens a short paragraph end (an attribution:
 * "……平生。——苏轼") is avoided: the name stays with its dash. */
#define ATTRIBUTION_PENALTY 200
#define ATTRIBUTION_MAX     12 /* characters after the dash */
/* The part of a space kept after a word-final apostrophe. */
#define APOSTROPHE_SPACE 0.6f
/* Tab stops in code, in spaces. */
#define TAB_WIDTH 4
/* The fewest characters a split of a token leaves on either side. */
#define TOKEN_MIN_SIDE 3
/* A camelCase word of prose this long (in characters) is an identifier
 * written without backticks: its humps are conventional break points, and
 * a hyphen is never drawn in it. */
#define CAMEL_IDENT_MIN 12

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
static bool is_western(const para_box *b)
{
    return (b->flags & B_LATIN) ||
           (b->cp > ' ' && b->cp < 0x2000 && !(b->flags & (B_IDEO | B_CJKPUNCT)));
}

/* A dash or ellipsis beside Latin text is Western punctuation, whatever
 * width the CJK font gives it: "— David" and "— @isis" keep their space. */
static bool latin_dash_pair(const para_box *l, const para_box *r)
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

/* Decodes the spans into code points with their span index and byte
 * offset in it, dropping invisible characters and expanding tabs in code. */
static size_t decode(const dg_span *spans, size_t nspans, bool code, dg_arena *a,
                     uint32_t **cps_out, int **sp_out, uint32_t **off_out)
{
    size_t total = 0;
    for (size_t s = 0; s < nspans; s++)
        total += spans[s].len;
    /* A tab becomes at most TAB_WIDTH spaces. */
    uint32_t *cps = dg_allocn(a, total * TAB_WIDTH + 1, sizeof *cps);
    int *sp = dg_allocn(a, total * TAB_WIDTH + 1, sizeof *sp);
    uint32_t *off = dg_allocn(a, total * TAB_WIDTH + 1, sizeof *off);
    size_t n = 0, col = 0;
    for (size_t s = 0; s < nspans; s++) {
        const char *t = spans[s].text;
        size_t len = spans[s].len, i = 0;
        while (t && i < len) {
            uint32_t cp;
            uint32_t at = (uint32_t)i;
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
                    off[n] = at;
                    sp[n++] = (int)s;
                }
                col += nsp;
                continue;
            }
            if (cp == '\t' || cp == '\r')
                cp = ' ';
            col = cp == '\n' ? 0 : col + 1;
            cps[n] = cp;
            off[n] = at;
            sp[n++] = (int)s;
        }
    }
    *cps_out = cps;
    *sp_out = sp;
    *off_out = off;
    return n;
}

/* True when a curly quote or apostrophe CP between PREV and NEXT (0 at the
 * paragraph's edges) belongs to Latin text: an apostrophe or closing quote
 * after a Latin letter, digit or ASCII sign ("It’s", "said.”"), an apostrophe
 * before a letter ("’90s", "rock ’n’ roll"), an opening quote before one. */
static bool latin_quote(uint32_t cp, uint32_t prev, uint32_t next)
{
    bool lprev = is_latin(prev) || (prev > ' ' && prev < 0x80);
    bool lnext = is_latin(next) || (next > ' ' && next < 0x80);
    if (cp == 0x2019)
        return lprev || is_latin(next);
    if (cp == 0x201D)
        return lprev;
    return lnext; /* “ ‘ */
}

/* Chinese text sets curly quotes full-width, as every CJK face does; a font
 * that draws them Latin-narrow (LXGW WenKai: 0.35 em) gets a full em box
 * with the ink where a CJK quote has it: right half for an opening mark,
 * left half for a closing one.  They then compress like other marks.  A
 * quote of Latin text keeps the font's own width (latin_quote). */
static void widen_cjk_quote(const para_ctx *c, para_box *bx, uint32_t cp, uint32_t prev,
                            uint32_t next)
{
    bool open = cp == 0x201C || cp == 0x2018, close = cp == 0x201D || cp == 0x2019;
    if ((!open && !close) || bx->font < 0 || c->o->code || !dg_lang_is_cjk(c->o->lang) ||
        (bx->style & DG_MONO) || bx->adv >= 0.9f * bx->size || latin_quote(cp, prev, next))
        return;
    if (open)
        bx->xoff = bx->size - bx->adv;
    bx->adv = bx->size;
}

/* Box BX of character CP (from span S, number SPAN) between PREV and NEXT. */
static void set_box(para_ctx *c, para_box *bx, const dg_span *s, int span, uint32_t cp,
                    uint32_t prev, uint32_t next)
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
    widen_cjk_quote(c, bx, cp, prev, next);
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

/* Boxes and gaps from the text: one box per visible character, the spaces
 * before it folded into the gap before it, the break kinds of dg_linebreaks.
 * Sets C->n (0 when nothing is visible). */
static void make_boxes(para_ctx *c, const dg_span *spans, size_t nspans, dg_arena *a)
{
    const dg_para_opts *o = c->o;
    uint32_t *cps, *offs;
    int *sp;
    size_t ncp = decode(spans, nspans, o->code, a, &cps, &sp, &offs);
    if (ncp == 0)
        return;
    c->spans = spans;
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
        para_box *bx = &c->b[n];
        set_box(c, bx, s, sp[i], cp, i > 0 ? cps[i - 1] : 0, i + 1 < ncp ? cps[i + 1] : 0);
        bx->off = offs[i];
        if (n > 0) {
            para_gap *g = &c->g[n - 1];
            const para_box *l = &c->b[n - 1];
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
            if (g->brk == BRK_ALLOW && i > 0 && (cps[i - 1] == '-' || cps[i - 1] == 0x2010)) {
                g->pen = HYPHEN_PENALTY;
                g->flagged = true;
            }
        }
        pend = false;
        pend_w = 0;
        n++;
    }
    c->n = n;
}

/* A break after a dash that opens a short paragraph end is penalised. */
static void mark_attributions(para_ctx *c)
{
    size_t n = c->n;
    for (size_t k = 1; k + 1 < n; k++)
        if (c->g[k].brk == BRK_ALLOW && c->b[k].cp == 0x2014 && c->b[k - 1].cp == 0x2014 &&
            n - (k + 1) <= ATTRIBUTION_MAX)
            c->g[k].pen = ATTRIBUTION_PENALTY;
}

/* Compresses adjacent full-width marks (not in code: monospace keeps its
 * grid). */
static void compress_marks(para_ctx *c)
{
    size_t n = c->n;
    for (size_t i = 0; i + 1 < n; i++) {
        para_box *l = &c->b[i], *r = &c->b[i + 1];
        if (c->g[i].space)
            continue;
        if ((l->flags & B_CLOSE) && !(l->flags & B_SQUEEZED) && (r->flags & (B_CLOSE | B_OPEN))) {
            l->adv -= 0.5f * l->size;
            l->flags |= B_SQUEEZED;
        } else if ((l->flags & B_OPEN) && (r->flags & B_OPEN) && !(r->flags & B_SQUEEZED)) {
            r->adv -= 0.5f * r->size;
            r->xoff -= 0.5f * r->size;
            r->flags |= B_SQUEEZED;
        }
    }
}

/* The width, stretch and shrink of every gap, the end shrink of closing
 * marks, and the gaps where an emergency break may fall. */
static void set_spacing(para_ctx *c)
{
    const dg_para_opts *o = c->o;
    size_t n = c->n;
    for (size_t i = 0; i < n; i++) {
        para_box *l = &c->b[i];
        if (!o->code && (l->flags & B_CLOSE) && !(l->flags & B_SQUEEZED))
            l->eshr = 0.5f * l->size;
        /* A line ended by a newline may still shrink the mark before it. */
        if ((l->flags & B_NL) && i > 0 && !(c->b[i - 1].flags & B_NL))
            l->eshr = c->b[i - 1].eshr;
        if (i + 1 == n)
            break;
        para_box *r = &c->b[i + 1];
        para_gap *g = &c->g[i];
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
            /* a space after a word's closing apostrophe ("JetBrains’ IDE")
             * keeps 0.6 of its width and does not stretch: the mark's
             * advance already carries white on its right, and the two
             * together would read as a gap inside an "It’ s" */
            bool apos = l->cp == 0x2019 && !(l->flags & B_FULL);
            if (apos)
                g->w *= APOSTROPHE_SPACE;
            g->st = apos ? 0 : g->w * 0.5f;
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
        /* a candidate: mark_tokens decides what kind of split it is (not a
         * space the tailoring glued: "Rust 🦀 ?") */
        if (g->brk == BRK_NONE && !g->space && dg_linebreak_emergency_ok(l->cp, r->cp))
            g->brk = BRK_EMERGENCY;
    }
    c->g[n - 1].brk = BRK_FORCED;
}

/* ---- words and tokens ------------------------------------------------------ */

static bool is_letter(const para_box *b)
{
    return (b->flags & B_LATIN) && !(b->cp >= '0' && b->cp <= '9');
}

static bool is_upper(uint32_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7) ||
           (c >= 0x391 && c <= 0x3AB) || (c >= 0x400 && c <= 0x42F);
}

/* True when gap I separates two tokens (runs of characters with no space
 * and no CJK character in them), or a word from its superscript. */
static bool token_edge(const para_ctx *c, size_t i)
{
    const para_gap *g = &c->g[i];
    const para_box *l = &c->b[i], *r = &c->b[i + 1];
    unsigned f = l->flags | r->flags;
    return g->space || g->brk == BRK_FORCED || (f & (B_IDEO | B_NL | B_SPACE)) ||
           ((l->flags & B_CJKPUNCT) && (l->flags & B_FULL)) ||
           ((r->flags & B_CJKPUNCT) && (r->flags & B_FULL)) || l->rise != r->rise;
}

/* The last box of the token that starts at box S. */
static size_t token_end(const para_ctx *c, size_t s)
{
    size_t e = s;
    while (e + 1 < c->n && !token_edge(c, e))
        e++;
    return e;
}

/* True for a token of prose (boxes S..E): letters, with only apostrophes and
 * hyphens between them (and any marks around them); not code, no digit, not
 * a URL, an address, a path or an identifier. */
static bool token_is_prose(const para_ctx *c, size_t s, size_t e)
{
    size_t first = SIZE_MAX, last = 0;
    for (size_t k = s; k <= e; k++) {
        const para_box *b = &c->b[k];
        uint32_t cp = b->cp;
        if ((b->style & DG_MONO) || (cp >= '0' && cp <= '9') ||
            (cp > 0 && cp < 0x80 && strchr("@/\\_#<>=&~|{}$%^*+", (int)cp)))
            return false;
        if (is_letter(b)) {
            if (first == SIZE_MAX)
                first = k;
            last = k;
        }
    }
    if (first == SIZE_MAX)
        return false;
    for (size_t k = first + 1; k < last; k++) {
        uint32_t cp = c->b[k].cp;
        if (!is_letter(&c->b[k]) && cp != 0x2019 && cp != '\'' && cp != '-' && cp != 0x2010)
            return false;
    }
    return true;
}

/* True for a camelCase identifier written in prose (boxes S..E): a hump, and
 * at least CAMEL_IDENT_MIN characters ("JavaScript" is a word). */
static bool camel_ident(const para_ctx *c, size_t s, size_t e)
{
    if (e - s + 1 < CAMEL_IDENT_MIN)
        return false;
    for (size_t k = s; k < e; k++)
        if (is_letter(&c->b[k]) && !is_upper(c->b[k].cp) && is_upper(c->b[k + 1].cp) &&
            is_letter(&c->b[k + 1]))
            return true;
    return false;
}

/* True when a long token (boxes S..E) may be split at gap K by convention:
 * after / // . - _ :: @, before ? # & =, at a camelCase hump (CAMEL). */
static bool conventional(const para_ctx *c, size_t k, size_t s, bool camel)
{
    uint32_t l = c->b[k].cp, r = c->b[k + 1].cp, ll = k > s ? c->b[k - 1].cp : 0;
    if ((l == '/' || l == '.' || l == '-' || l == '_') && r != l)
        return true;
    if ((l == ':' && ll == ':' && r != ':') || l == '@')
        return true;
    if ((r == '?' || r == '#' || r == '&' || r == '=') && l != r)
        return true;
    return camel && is_letter(&c->b[k]) && !is_upper(l) && is_upper(r);
}

/* The words of prose token S..E that hyphenation may split (letters only,
 * DG_HYPHEN_MIN_WORD to DG_HYPHEN_MAX_WORD of them, not in capitals, not
 * camelCase); with a dictionary D, their points become BRK_HYPH gaps.
 * Returns their number. */
static size_t token_words(para_ctx *c, size_t s, size_t e, const dg_hyph_dict *d)
{
    size_t count = 0, k = s;
    while (k <= e) {
        if (!is_letter(&c->b[k])) {
            k++;
            continue;
        }
        size_t a = k;
        bool lower = false, camel = false;
        for (; k <= e && is_letter(&c->b[k]); k++) {
            bool up = is_upper(c->b[k].cp);
            if (!up)
                lower = true;
            else if (k > a && !is_upper(c->b[k - 1].cp))
                camel = true;
        }
        size_t len = k - a;
        if (len < DG_HYPHEN_MIN_WORD || len > DG_HYPHEN_MAX_WORD || !lower || camel)
            continue;
        count++;
        if (!d)
            continue;
        uint32_t w[DG_HYPHEN_MAX_WORD];
        char pts[DG_HYPHEN_MAX_WORD];
        for (size_t j = 0; j < len; j++)
            w[j] = c->b[a + j].cp;
        if (dg_hyphen_points(d, w, len, pts) == 0)
            continue;
        for (size_t j = 0; j + 1 < len; j++) {
            para_gap *g = &c->g[a + j];
            if (pts[j] && g->brk == BRK_LAST) {
                g->brk = BRK_HYPH;
                g->pen = HYPHEN_PENALTY;
            }
        }
    }
    return count;
}

/* The width of a hyphen after box B (a one-entry cache in *STYLE, *SIZE, *W). */
static float hyphen_width(const para_ctx *c, const para_box *b, unsigned *style, float *size,
                          float *w)
{
    if (*size != b->size || *style != b->style) {
        int f = dg_fonts_pick(c->fonts, b->style, '-');
        *w = (float)(f >= 0 ? dg_fonts_advance(c->fonts, f, '-') * b->size : 0.33 * b->size);
        *size = b->size;
        *style = b->style;
    }
    return *w;
}

/* Decides what kind of split each candidate gap inside a token is (see
 * para_impl.h): a conventional point of a long token, a last resort (with a
 * hyphen drawn in a prose word) or none; counts the words to hyphenate. */
static void mark_tokens(para_ctx *c)
{
    unsigned hstyle = 0;
    float hsize = -1, hw = 0;
    for (size_t s = 0; s < c->n;) {
        size_t e = token_end(c, s);
        bool prose = token_is_prose(c, s, e) && !camel_ident(c, s, e);
        bool camel = !prose; /* humps are split points of identifiers */
        for (size_t k = s; k < e; k++) {
            para_gap *g = &c->g[k];
            bool far = k - s + 1 >= TOKEN_MIN_SIDE && e - k >= TOKEN_MIN_SIDE;
            /* UAX #14 breaks inside a URL or identifier that are not its
             * conventional points ("?" / "tab=") are demoted */
            if (g->brk == BRK_ALLOW && !prose && !(far && conventional(c, k, s, camel)))
                g->brk = BRK_EMERGENCY;
            else if (g->brk != BRK_EMERGENCY)
                continue;
            const para_box *l = &c->b[k], *r = &c->b[k + 1];
            if (l->rise != r->rise) {
                g->brk = BRK_NONE; /* a note number stays with its word */
                continue;
            }
            if (far && conventional(c, k, s, camel))
                continue;
            if (prose && !(is_letter(l) && is_letter(r))) {
                g->brk = BRK_NONE; /* "Don’" / "t" */
                continue;
            }
            g->brk = BRK_LAST;
            g->pen = far ? 0 : 1;
            if (prose) {
                g->hyw = hyphen_width(c, l, &hstyle, &hsize, &hw);
                g->flagged = true;
            }
        }
        /* the gap after the token: a note number stays with its word too */
        if (e + 1 < c->n && c->g[e].brk == BRK_EMERGENCY && !c->g[e].space &&
            c->b[e].rise != c->b[e + 1].rise)
            c->g[e].brk = BRK_NONE;
        if (prose)
            c->nwords += token_words(c, s, e, NULL);
        s = e + 1;
    }
}

bool para_hyphenate_at(para_ctx *c, size_t k)
{
    size_t s = k;
    while (s > 0 && !token_edge(c, s - 1))
        s--;
    if (c->b[s].flags & B_HYPHENATED)
        return false;
    c->b[s].flags |= B_HYPHENATED;
    const dg_hyph_dict *d = c->nwords ? dg_hyphen_dict(c->o->lang) : NULL;
    size_t e = token_end(c, s);
    if (!d || !token_is_prose(c, s, e))
        return false;
    token_words(c, s, e, d);
    return true;
}

void para_hyphenate(para_ctx *c)
{
    c->hyphenated = true;
    if (!c->nwords)
        return;
    const dg_hyph_dict *d = dg_hyphen_dict(c->o->lang);
    if (!d)
        return;
    for (size_t s = 0; s < c->n;) {
        size_t e = token_end(c, s);
        if (token_is_prose(c, s, e))
            token_words(c, s, e, d);
        s = e + 1;
    }
}

static void prefix_sums(para_ctx *c, dg_arena *a)
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

size_t para_items(para_ctx *c, const dg_span *spans, size_t nspans, dg_arena *a)
{
    make_boxes(c, spans, nspans, a);
    if (c->n == 0)
        return 0;
    mark_attributions(c);
    if (!c->o->code)
        compress_marks(c);
    set_spacing(c);
    if (!c->o->code)
        mark_tokens(c);
    prefix_sums(c, a);
    return c->n;
}
