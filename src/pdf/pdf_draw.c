/* pdf_draw.c - the content of the PDF's pages (pdf_impl.h): the items of a
 * layout page drawn with libharu, y flipped to PDF's upward axis.  Text goes
 * in runs of one font, size and spacing inside as few text objects as the
 * page allows; glyphs no font has are drawn as boxes, glyphs drawn as images
 * (pdf_image.c) come after the text, each with an invisible stand-in so that
 * text extraction keeps the line whole.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <hpdf.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <stdio.h>
#include <unistd.h>

#include "pdf/pdf_impl.h"

/* Shear of slanted (italic) text: about 11 degrees. */
#define ITALIC_SHEAR 0.2

/* Glyph images are drawn after the page's text: an image between two text
 * runs makes text extractors (MuPDF) start a new line there. */
typedef struct deferred_img {
    HPDF_Image img;
    double x, y, w, h;
} deferred_img;

/* ---- text --------------------------------------------------------------------- */

static void set_colour(HPDF_Page page, unsigned tag)
{
    if (tag & DG_TAG_LINK)
        HPDF_Page_SetRGBFill(page, 0.10f, 0.27f, 0.60f);
    else if (tag & DG_TAG_GREY)
        HPDF_Page_SetGrayFill(page, 0.40f);
    else
        HPDF_Page_SetGrayFill(page, 0.0f);
}

/* Writes the operators S into PAGE's content as they are: libharu 2.3 has
 * no marked-content operators. */
static void raw_ops(HPDF_Page page, const char *s)
{
    HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
    HPDF_Stream_WriteStr(attr->stream, s);
}

/* An invisible U+FFFC (OBJECT REPLACEMENT CHARACTER) over a glyph drawn as
 * an image or a box: text extraction then sees one line with a placeholder
 * there, rather than a gap that splits the line (MuPDF) or nothing at all.
 * It is filled with alpha 0 (MuPDF leaves render mode 3 text out of its
 * lines), so it draws no ink whatever glyph the font maps it to.  Over a
 * glyph image (ACTUAL true) it is marked content whose ActualText is the
 * character itself (UTF-16BE, a surrogate pair beyond the BMP), which
 * poppler and MuPDF extract in its place: emoji and CJK Extension B copy
 * and search as themselves.  A box stays U+FFFC: no glyph is shown. */
static void invisible_space(pdf_ctx *c, HPDF_Page page, const dg_line *ln, size_t i, double gx,
                            double base, bool actual)
{
    HPDF_Font f = NULL;
    for (size_t k = i; k-- > 0 && !f;)
        f = pdf_hfont_of(c, ln->glyphs[k].font);
    for (size_t k = i + 1; k < ln->n && !f; k++)
        f = pdf_hfont_of(c, ln->glyphs[k].font);
    if (!f)
        f = pdf_any_hfont(c);
    if (!f)
        return;
    const dg_glyph *g = &ln->glyphs[i];
    double w = g->advance > 0 ? g->advance : g->size;
    double own = HPDF_Font_GetUnicodeWidth(f, 0xFFFC) * g->size / 1000.0;
    if (!c->clear) {
        c->clear = HPDF_CreateExtGState(c->pdf);
        HPDF_ExtGState_SetAlphaFill(c->clear, 0);
    }
    if (actual) {
        uint32_t cp = g->cp;
        char ops[64];
        if (cp > 0xFFFF)
            snprintf(ops, sizeof ops, "/Span <</ActualText <FEFF%04X%04X>>> BDC\n",
                     0xD800u + ((cp - 0x10000) >> 10), 0xDC00u + ((cp - 0x10000) & 0x3FF));
        else
            snprintf(ops, sizeof ops, "/Span <</ActualText <FEFF%04X>>> BDC\n", (unsigned)cp);
        raw_ops(page, ops);
    }
    HPDF_Page_GSave(page);
    HPDF_Page_SetExtGState(page, c->clear);
    HPDF_Page_BeginText(page);
    HPDF_Page_SetFontAndSize(page, f, (HPDF_REAL)g->size);
    HPDF_Page_SetCharSpace(page, (HPDF_REAL)(w - own));
    HPDF_Page_SetTextMatrix(page, 1, 0, 0, 1, (HPDF_REAL)gx, (HPDF_REAL)(base + g->rise));
    HPDF_Page_ShowText(page, "\xEF\xBF\xBC");
    HPDF_Page_SetCharSpace(page, 0);
    HPDF_Page_EndText(page);
    HPDF_Page_GRestore(page);
    if (actual)
        raw_ops(page, "EMC\n");
}

static bool same_run(const dg_glyph *a, const dg_glyph *b)
{
    return a->font == b->font && a->size == b->size && a->rise == b->rise &&
           (a->style & DG_ITALIC) == (b->style & DG_ITALIC) &&
           (a->tag & (DG_TAG_LINK | DG_TAG_GREY)) == (b->tag & (DG_TAG_LINK | DG_TAG_GREY)) &&
           a->cp <= 0xFFFF && b->cp <= 0xFFFF;
}

/* Run positions in the content stream to an eighth of a point (0.04 mm):
 * an eighth is exact in binary, so libharu prints "755.625" rather than
 * "755.71002", which compresses far better; the shift cannot be seen and
 * justification is untouched (Tc carries it inside each run). */
static double round2(double v)
{
    return floor(v * 8 + 0.5) / 8;
}

/* One text object (BT ... ET) for the lines of a page until something that
 * is not text (a rule, a box, an image) closes it: the font, size, character
 * spacing and colour are set only when they change (they are graphics state
 * and outlive ET), and runs move by Td from the one before (Tm only for
 * slanted runs). */
typedef struct text_state {
    bool open, plain; /* inside BT; the text matrix has no shear */
    double ox, oy;    /* origin of the last run (rounded) */
    HPDF_Font font;
    double size, tc;
    unsigned colour;
} text_state;

static void text_close(HPDF_Page page, text_state *ts)
{
    if (ts->open)
        HPDF_Page_EndText(page);
    ts->open = false;
}

/* The space after glyph I of LN beyond its advance: what Tc must add. */
static double run_gap(pdf_ctx *c, const dg_line *ln, size_t i)
{
    const dg_glyph *p = &ln->glyphs[i], *q = &ln->glyphs[i + 1];
    return (q->x + q->x_offset) - (p->x + p->x_offset) -
           dg_fonts_advance(c->fonts, p->font, p->cp) * p->size;
}

static void draw_line(pdf_ctx *c, HPDF_Page page, const dg_item *it, text_state *tsp)
{
    const dg_line *ln = it->line;
    double base = c->lay->page_h - it->y;
    size_t i = 0;
    char buf[4096];
    text_state ts = *tsp;
    while (i < ln->n) {
        const dg_glyph *g = &ln->glyphs[i];
        double gx = it->x + g->x + g->x_offset;
        /* a glyph image even when its font has text in this PDF (a character
         * beyond the BMP of LXGW WenKai or DejaVu Sans): libharu cannot
         * encode it, and the run would drop it */
        if (g->font < 0 || !pdf_hfont_of(c, g->font) || pdf_drawn_as_image(c, g->font, g->cp)) {
            text_close(page, &ts);
            if (pdf_drawn_as_image(c, g->font, g->cp)) {
                glyph_img *gi = pdf_glyph_image(c, g->font, g->cp, g->size);
                if (gi->img) {
                    deferred_img *di = dg_alloc(c->a, sizeof *di);
                    di->img = gi->img;
                    di->x = gx + gi->left;
                    di->y = base + g->rise + gi->top - gi->h;
                    di->w = gi->w;
                    di->h = gi->h;
                    dg_vec_push(&c->deferred, di);
                    invisible_space(c, page, ln, i, gx, base, true);
                    i++;
                    continue;
                }
            }
            if (g->cp != ' ' && g->cp != 0x3000) {
                if (g->font < 0 || g->cp <= 0xFFFF) {
                    /* once per digest (the key names the month), at the post
                     * that first shows it, with the character itself */
                    char u[5] = {0};
                    dg_utf8_encode(g->cp, u);
                    dg_report_once(
                        c->d, dg_sprintf(c->a, "nofont:%s:U+%04X", c->book->month, (unsigned)g->cp),
                        DG_WARNING, c->cur_post, 0, 0,
                        "no font has U+%04X (%s); it is drawn as a box in the %s PDF "
                        "(a font that has it can be added with fonts: in digest.yaml)",
                        (unsigned)g->cp, u, c->book->month);
                }
                double w = g->advance > 0 ? g->advance : g->size * 0.6;
                HPDF_Page_SetLineWidth(page, 0.5f);
                HPDF_Page_SetGrayStroke(page, 0.3f);
                HPDF_Page_Rectangle(page, (HPDF_REAL)(gx + w * 0.1),
                                    (HPDF_REAL)(base - g->size * 0.1), (HPDF_REAL)(w * 0.8),
                                    (HPDF_REAL)(g->size * 0.8));
                HPDF_Page_Stroke(page);
                invisible_space(c, page, ln, i, gx, base, false);
            }
            i++;
            continue;
        }
        /* A run: same font and style, with the same extra gap after every
         * glyph (justification spreads slack evenly), drawn with Tc. */
        /* A glyph whose gap to the next differs from the gap after that
         * (the space before a Latin word in a justified line) is a run of
         * its own: a single glyph needs no Tc, and the word then takes one
         * Tc rather than two. */
        size_t j = i + 1;
        double gap = ts.tc;
        if (j < ln->n && same_run(g, &ln->glyphs[j]) && pdf_hfont_of(c, ln->glyphs[j].font)) {
            double first = run_gap(c, ln, i);
            if (j + 1 >= ln->n || !same_run(g, &ln->glyphs[j + 1]) ||
                fabs(run_gap(c, ln, j) - first) <= 0.01) {
                gap = first;
                j++;
                while (j < ln->n && same_run(g, &ln->glyphs[j]) &&
                       fabs(run_gap(c, ln, j - 1) - gap) <= 0.01)
                    j++;
            }
        }
        size_t len = 0;
        for (size_t k = i; k < j; k++) {
            char u[4];
            int n = dg_utf8_encode(ln->glyphs[k].cp, u);
            if (len + (size_t)n + 1 >= sizeof buf) {
                j = k;
                break;
            }
            memcpy(buf + len, u, (size_t)n);
            len += (size_t)n;
        }
        buf[len] = 0;
        if (!ts.open) {
            HPDF_Page_BeginText(page);
            ts.open = ts.plain = true;
            ts.ox = ts.oy = 0;
        }
        unsigned colour = (unsigned)g->tag & (DG_TAG_LINK | DG_TAG_GREY);
        if (colour != ts.colour) {
            set_colour(page, colour);
            ts.colour = colour;
        }
        HPDF_Font hf = pdf_hfont_of(c, g->font);
        if (hf != ts.font || g->size != ts.size) {
            HPDF_Page_SetFontAndSize(page, hf, (HPDF_REAL)g->size);
            ts.font = hf;
            ts.size = g->size;
        }
        gap = floor(gap * 1000 + 0.5) / 1000;
        if (gap != ts.tc) {
            HPDF_Page_SetCharSpace(page, (HPDF_REAL)gap);
            ts.tc = gap;
        }
        double shear = (g->style & DG_ITALIC) ? ITALIC_SHEAR : 0;
        /* slanted glyphs lean right by shear * ascent at their top: start
         * them that much to the left so no ink passes the line's end */
        double lean = 0;
        if (shear > 0) {
            const dg_font *f = dg_fonts_get(c->fonts, g->font);
            lean = shear * (f && f->ascent > 0 ? f->ascent : 0.9) * g->size;
        }
        double x = round2(gx - lean), y = round2(base + g->rise);
        if (shear > 0 || !ts.plain) {
            HPDF_Page_SetTextMatrix(page, 1, 0, (HPDF_REAL)shear, 1, (HPDF_REAL)x, (HPDF_REAL)y);
            ts.plain = shear == 0;
        } else {
            HPDF_Page_MoveTextPos(page, (HPDF_REAL)round2(x - ts.ox), (HPDF_REAL)round2(y - ts.oy));
        }
        ts.ox = x;
        ts.oy = y;
        HPDF_Page_ShowText(page, buf);
        i = j;
    }
    /* strike-through */
    for (i = 0; i < ln->n; i++) {
        const dg_glyph *g = &ln->glyphs[i];
        if (!(g->tag & DG_TAG_STRIKE))
            continue;
        text_close(page, &ts);
        double y = base + g->rise + g->size * 0.3;
        HPDF_Page_SetLineWidth(page, (HPDF_REAL)(g->size * 0.06));
        HPDF_Page_SetGrayStroke(page, 0.2f);
        HPDF_Page_MoveTo(page, (HPDF_REAL)(it->x + g->x), (HPDF_REAL)y);
        HPDF_Page_LineTo(page, (HPDF_REAL)(it->x + g->x + g->advance), (HPDF_REAL)y);
        HPDF_Page_Stroke(page);
    }
    *tsp = ts;
}

/* ---- pages ------------------------------------------------------------------ */

void pdf_draw_page(pdf_ctx *c, size_t pi, const dg_lpage *pg)
{
    HPDF_Page page = c->pages[pi];
    double H = c->lay->page_h;
    c->cur_post = pg->chapter >= 0 && (size_t)pg->chapter < c->book->nchapters
                      ? c->book->chapters[pg->chapter].post->path
                      : NULL;
    /* backgrounds first */
    for (size_t k = 0; k < pg->n; k++) {
        const dg_item *it = &pg->items[k];
        if (it->kind != DG_ITEM_FILL)
            continue;
        HPDF_Page_SetGrayFill(page, (HPDF_REAL)it->gray);
        HPDF_Page_Rectangle(page, (HPDF_REAL)it->x, (HPDF_REAL)(H - it->y - it->h),
                            (HPDF_REAL)it->w, (HPDF_REAL)it->h);
        HPDF_Page_Fill(page);
    }
    /* grounds of inline code and highlights */
    for (size_t k = 0; k < pg->n; k++) {
        const dg_item *it = &pg->items[k];
        if (it->kind != DG_ITEM_TEXT)
            continue;
        const dg_line *ln = it->line;
        for (size_t i = 0; i < ln->n;) {
            unsigned t = (unsigned)ln->glyphs[i].tag & (DG_TAG_CODE | DG_TAG_MARK);
            size_t j = i + 1;
            while (j < ln->n && ((unsigned)ln->glyphs[j].tag & (DG_TAG_CODE | DG_TAG_MARK)) == t)
                j++;
            if (t) {
                const dg_glyph *a = &ln->glyphs[i], *b = &ln->glyphs[j - 1];
                double pad = a->size * 0.15;
                double x0 = it->x + a->x - pad, x1 = it->x + b->x + b->advance + pad;
                double y0 = H - it->y - a->size * 0.25, hh = a->size * 1.2;
                if (t & DG_TAG_MARK)
                    HPDF_Page_SetRGBFill(page, 1.0f, 0.95f, 0.6f);
                else
                    HPDF_Page_SetGrayFill(page, 0.93f);
                HPDF_Page_Rectangle(page, (HPDF_REAL)x0, (HPDF_REAL)y0, (HPDF_REAL)(x1 - x0),
                                    (HPDF_REAL)hh);
                HPDF_Page_Fill(page);
            }
            i = j;
        }
    }
    HPDF_Page_SetGrayFill(page, 0);
    text_state ts = {.tc = 0, .colour = 0};
    for (size_t k = 0; k < pg->n; k++) {
        const dg_item *it = &pg->items[k];
        if (it->kind == DG_ITEM_RECT || it->kind == DG_ITEM_RULE || it->kind == DG_ITEM_IMAGE)
            text_close(page, &ts);
        switch (it->kind) {
        case DG_ITEM_TEXT: draw_line(c, page, it, &ts); break;
        case DG_ITEM_RECT:
            HPDF_Page_SetLineWidth(page, (HPDF_REAL)(it->lw > 0 ? it->lw : 0.5));
            HPDF_Page_SetGrayStroke(page, (HPDF_REAL)it->gray);
            HPDF_Page_Rectangle(page, (HPDF_REAL)it->x, (HPDF_REAL)(H - it->y - it->h),
                                (HPDF_REAL)it->w, (HPDF_REAL)it->h);
            HPDF_Page_Stroke(page);
            break;
        case DG_ITEM_RULE:
            HPDF_Page_SetLineWidth(page, (HPDF_REAL)(it->lw > 0 ? it->lw : 0.5));
            HPDF_Page_SetGrayStroke(page, (HPDF_REAL)it->gray);
            HPDF_Page_MoveTo(page, (HPDF_REAL)it->x, (HPDF_REAL)(H - it->y));
            HPDF_Page_LineTo(page, (HPDF_REAL)(it->x + it->w), (HPDF_REAL)(H - it->y - it->h));
            HPDF_Page_Stroke(page);
            break;
        case DG_ITEM_IMAGE: {
            HPDF_Image img = pdf_asset_image(c, it->asset);
            if (img)
                HPDF_Page_DrawImage(page, img, (HPDF_REAL)it->x, (HPDF_REAL)(H - it->y - it->h),
                                    (HPDF_REAL)it->w, (HPDF_REAL)it->h);
            break;
        }
        default: break;
        }
    }
    text_close(page, &ts);
    for (size_t k = 0; k < c->deferred.len; k++) {
        const deferred_img *di = c->deferred.items[k];
        HPDF_Page_DrawImage(page, di->img, (HPDF_REAL)di->x, (HPDF_REAL)di->y, (HPDF_REAL)di->w,
                            (HPDF_REAL)di->h);
    }
    c->deferred.len = 0;
}

/* ---- parked content ---------------------------------------------------------- */

/* A page's content as libharu reads it back: LEN bytes at OFF of the scratch
 * file FD (a stream without a write function: libharu asks its size). */
typedef struct parked {
    int fd;
    uint64_t off;
    uint32_t len, pos;
} parked;

static HPDF_STATUS parked_read(HPDF_Stream s, HPDF_BYTE *ptr, HPDF_UINT *siz)
{
    parked *p = s->attr;
    uint32_t n = p->len - p->pos < *siz ? p->len - p->pos : *siz;
    uint32_t got = 0;
    while (got < n) {
        ssize_t r = pread(p->fd, ptr + got, n - got, (off_t)(p->off + p->pos + got));
        if (r <= 0)
            return HPDF_SetError(s->error, HPDF_FILE_IO_ERROR, r < 0 ? (HPDF_STATUS)errno : 0);
        got += (uint32_t)r;
    }
    p->pos += n;
    *siz = n;
    return p->pos == p->len ? HPDF_STREAM_EOF : HPDF_OK;
}

static HPDF_STATUS parked_seek(HPDF_Stream s, HPDF_INT pos, HPDF_WhenceMode mode)
{
    parked *p = s->attr;
    int64_t to = mode == HPDF_SEEK_SET   ? (int64_t)pos
                 : mode == HPDF_SEEK_CUR ? (int64_t)p->pos + pos
                                         : (int64_t)p->len + pos;
    if (to < 0 || to > p->len)
        return HPDF_SetError(s->error, HPDF_STREAM_EOF, 0);
    p->pos = (uint32_t)to;
    return HPDF_OK;
}

static HPDF_INT32 parked_tell(HPDF_Stream s)
{
    return (HPDF_INT32)((parked *)s->attr)->pos;
}

static HPDF_UINT32 parked_size(HPDF_Stream s)
{
    return ((parked *)s->attr)->len;
}

static void parked_free(HPDF_Stream s)
{
    HPDF_FreeMem(s->mmgr, s->attr);
    s->attr = NULL;
}

int pdf_park_page(pdf_ctx *c, size_t pi)
{
    HPDF_PageAttr attr = (HPDF_PageAttr)c->pages[pi]->attr;
    HPDF_Stream mem = attr->stream;
    if (c->park_errno || !mem || mem->type != HPDF_STREAM_MEMORY)
        return c->park_errno ? -1 : 0;
    if (c->park.fd < 0 && dg_scratch_open(&c->park, c->path) != 0) {
        c->park_errno = errno;
        return -1;
    }
    /* the memory stream's blocks, as they are */
    uint32_t len = mem->size;
    uint64_t off = c->park_end;
    for (HPDF_UINT i = 0, n = HPDF_MemStream_GetBufCount(mem), done = 0; i < n && done < len; i++) {
        HPDF_UINT blen = 0;
        HPDF_BYTE *b = HPDF_MemStream_GetBufPtr(mem, i, &blen);
        if (blen > len - done)
            blen = len - done;
        /* appended in order: the file's offset is OFF + DONE */
        if (dg_write_all(c->park.fd, b, blen) != 0) {
            c->park_errno = errno;
            return -1;
        }
        done += blen;
    }
    HPDF_MMgr mm = mem->mmgr;
    HPDF_Stream s = HPDF_GetMem(mm, sizeof *s);
    parked *p = HPDF_GetMem(mm, sizeof *p);
    if (!s || !p)
        return -1; /* libharu has said so (c->err) */
    memset(s, 0, sizeof *s);
    s->sig_bytes = HPDF_STREAM_SIG_BYTES;
    s->type = HPDF_STREAM_UNKNOWN;
    s->mmgr = mm;
    s->error = mem->error;
    s->read_fn = parked_read;
    s->seek_fn = parked_seek;
    s->tell_fn = parked_tell;
    s->size_fn = parked_size;
    s->free_fn = parked_free;
    *p = (parked){.fd = c->park.fd, .off = off, .len = len};
    s->attr = p;
    attr->contents->stream = s;
    attr->stream = s;
    HPDF_Stream_Free(mem);
    c->park_end = off + len;
    return 0;
}
