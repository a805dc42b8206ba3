/* cover.c - a month's cover image: cairo draws it, with FreeType faces of
 * the PDF's font chain, and the glyphs are placed by digest's own paragraph
 * engine (dg_para_layout), so the cover breaks lines by the same clreq rules
 * as the PDF.
 *
 * The page: a picture across the top when there is one (scaled to cover
 * the band, centred, fading into the background), else a plain field with
 * an accent rule; then the site's title, the month, a rule, the posts'
 * titles as many as fit (then "and N more"), and the author at the foot.
 * Colours come from a hash of the site's title, so every month of a site
 * looks like one series.  Nothing depends on the time or the locale: the
 * same book, fonts and picture give the same JPEG bytes (a character the
 * font chain lacks comes from the system font fonts.c finds for it, the
 * same for every month of a machine).
 *
 * cairo reads the font files through FreeType faces of its own (one per
 * face file, made once per run and shared under a lock: cairo serialises
 * its use of each face itself), not the font chain's faces, which other
 * months' threads use through fonts.c.
 */
#include "cover/cover.h"

#include <cairo-ft.h>
#include <cairo.h>
#include <dirent.h>
#include <ft2build.h>
#include <unistd.h>
#include FT_FREETYPE_H
#include <jpeglib.h>
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf/para.h"

#define W         DG_COVER_WIDTH
#define H         DG_COVER_HEIGHT
#define MARGIN    130.0
#define PICTURE_H 1180.0 /* the picture's band at the top */
/* A picture is decoded at most this many pixels wide or high (libjpeg
 * scales down while decoding): the band is 1600 wide. */
#define PICTURE_MAX 3200
/* Face files cairo may hold: the chain's text, bold and fallbacks. */
#define COVER_MAX_FACES 16

/* ------------------------------------------------------------------ */
/* Faces, shared by every cover of the run                             */

static pthread_mutex_t faces_lock = PTHREAD_MUTEX_INITIALIZER;
static FT_Library faces_ft;
static struct {
    char *path;
    int index;
    cairo_font_face_t *face;
} faces[COVER_MAX_FACES];
static size_t nfaces;
static const cairo_user_data_key_t face_key;

static void done_face(void *face)
{
    FT_Done_Face((FT_Face)face);
}

/* cairo's face for FONT of the chain, or NULL (reported once). */
static cairo_font_face_t *face_for(const dg_font *font, dg_diag *d)
{
    cairo_font_face_t *cf = NULL;
    pthread_mutex_lock(&faces_lock);
    for (size_t i = 0; i < nfaces; i++)
        if (faces[i].index == font->index && strcmp(faces[i].path, font->path) == 0) {
            cf = faces[i].face;
            goto out;
        }
    if (nfaces == COVER_MAX_FACES || (!faces_ft && FT_Init_FreeType(&faces_ft) != 0))
        goto out;
    FT_Face ft;
    if (FT_New_Face(faces_ft, font->path, font->index, &ft) != 0) {
        dg_report_once(d, "cover: a font file cairo cannot open", DG_WARNING, font->path, 0, 0,
                       "the cover cannot use this font file");
        goto out;
    }
    cf = cairo_ft_font_face_create_for_ft_face(ft, 0);
    if (cairo_font_face_set_user_data(cf, &face_key, ft, done_face) != CAIRO_STATUS_SUCCESS) {
        cairo_font_face_destroy(cf);
        FT_Done_Face(ft);
        cf = NULL;
        goto out;
    }
    faces[nfaces].path = strdup(font->path);
    if (!faces[nfaces].path)
        dg_oom();
    faces[nfaces].index = font->index;
    faces[nfaces].face = cf;
    nfaces++;
out:
    pthread_mutex_unlock(&faces_lock);
    return cf;
}

/* ------------------------------------------------------------------ */
/* Text                                                                */

typedef struct cover {
    cairo_t *cr;
    dg_fonts *fonts;
    dg_arena *a;
    dg_diag *d;
    const char *lang;
    double y;  /* top of the next line */
    bool draw; /* false: only measuring (the cursor moves, nothing is drawn) */
} cover;

static dg_para layout(cover *c, const char *text, unsigned style, double size)
{
    dg_span sp = {text, strlen(text), style, size, -1, 0, 0, NULL};
    dg_para_opts o = {.width = W - 2 * MARGIN, .justify = false, .lang = c->lang};
    dg_para p = {0};
    dg_para_layout(&p, c->fonts, &sp, 1, &o, c->a);
    return p;
}

/* Draws LN centred with its baseline at BASE. */
static void draw_line(cover *c, const dg_line *ln, double base)
{
    double x0 = (W - ln->width) / 2;
    for (size_t i = 0; i < ln->n; i++) {
        const dg_glyph *g = &ln->glyphs[i];
        if (g->font < 0 || g->cp == ' ')
            continue;
        const dg_font *f = dg_fonts_get(c->fonts, g->font);
        if (!f || f->color)
            continue; /* colour emoji: cairo 1.16 cannot draw their bitmaps here */
        cairo_font_face_t *cf = face_for(f, c->d);
        if (!cf)
            continue;
        cairo_set_font_face(c->cr, cf);
        cairo_set_font_size(c->cr, g->size);
        /* at whole pixels, as cairo's image backend sets glyphs anyway:
         * then the strips the cover is played in (cover_encode), each
         * moved by a whole number of rows, set every glyph alike */
        cairo_glyph_t gl = {dg_fonts_glyph(c->fonts, g->font, g->cp),
                            round(x0 + g->x + g->x_offset), round(base - g->rise)};
        cairo_show_glyphs(c->cr, &gl, 1);
    }
}

/* Lines of TEXT, centred, LEAD times SIZE apart, from c->y; with DRAW false
 * only measured.  Returns the height. */
/* The height of TEXT's lines at SIZE, LEAD times SIZE apart. */
static double measure(cover *c, const char *text, unsigned style, double size, double lead)
{
    return text && *text ? size * lead * (double)layout(c, text, style, size).nlines : 0;
}

/* Lines of TEXT, centred, LEAD times SIZE apart, from c->y, which moves
 * below them (drawn unless c->draw is false). */
static void text_block(cover *c, const char *text, unsigned style, double size, double lead,
                       double grey)
{
    if (!text || !*text)
        return;
    dg_para p = layout(c, text, style, size);
    double lh = size * lead;
    if (c->draw) {
        cairo_set_source_rgb(c->cr, grey, grey, grey);
        for (size_t i = 0; i < p.nlines; i++)
            draw_line(c, &p.lines[i], c->y + i * lh + (lh + size * 0.7) / 2);
    }
    c->y += lh * (double)p.nlines;
}

static void rule(cover *c, const double *rgb, double x, double y, double w, double h)
{
    if (!c->draw)
        return;
    cairo_set_source_rgb(c->cr, rgb[0], rgb[1], rgb[2]);
    cairo_rectangle(c->cr, x, y, w, h);
    cairo_fill(c->cr);
}

/* Site title, month, rule and as many post titles as fit above LIMIT (then
 * "and N more", keeping a line for it while titles remain), from c->y.
 * Returns the room left above LIMIT. */
static double cover_text(cover *c, const dg_book *b, const char *site, const double *pal,
                         double limit)
{
    text_block(c, site, DG_BOLD, 132, 1.3, 1.0);
    c->y += 24;
    text_block(c, b->month_label ? b->month_label : b->month, 0, 96, 1.4, 0.92);
    c->y += 56;
    rule(c, pal + 3, (W - 240) / 2.0, c->y, 240, 8);
    c->y += 90;
    double size = 54, lead = 1.45;
    size_t shown = 0;
    for (size_t i = 0; i < b->nchapters; i++) {
        const char *t = dg_post_display_title(c->a, b->chapters[i].post, c->lang);
        double need = measure(c, t, 0, size, lead) + (i + 1 < b->nchapters ? size * lead : 0);
        if (c->y + need > limit)
            break;
        text_block(c, t, 0, size, lead, 0.86);
        c->y += 18;
        shown++;
    }
    if (shown < b->nchapters && c->y + size * lead <= limit) {
        size_t more = b->nchapters - shown;
        text_block(c,
                   dg_lang_is_cjk(c->lang) ? dg_sprintf(c->a, "另有 %zu 篇", more)
                                           : dg_sprintf(c->a, "and %zu more", more),
                   0, size, lead, 0.62);
    }
    return limit - c->y;
}

/* ------------------------------------------------------------------ */
/* The picture                                                         */

typedef struct jerr {
    struct jpeg_error_mgr mgr;
    jmp_buf jmp;
} jerr;

static void jpeg_fail(j_common_ptr cinfo)
{
    longjmp(((jerr *)cinfo->err)->jmp, 1);
}

static void jpeg_quiet(j_common_ptr cinfo, int level)
{
    (void)cinfo;
    (void)level;
}

/* A JPEG into an RGB24 surface (NULL when libjpeg cannot decode it). */
static cairo_surface_t *decode_jpeg(const dg_image *img)
{
    struct jpeg_decompress_struct ci;
    jerr je;
    cairo_surface_t *volatile s = NULL;
    unsigned char *volatile row = NULL;
    ci.err = jpeg_std_error(&je.mgr);
    je.mgr.error_exit = jpeg_fail;
    je.mgr.emit_message = jpeg_quiet;
    if (setjmp(je.jmp)) {
        jpeg_destroy_decompress(&ci);
        free(row);
        if (s)
            cairo_surface_destroy(s);
        return NULL;
    }
    jpeg_create_decompress(&ci);
    jpeg_mem_src(&ci, img->data, (unsigned long)img->len);
    jpeg_read_header(&ci, TRUE);
    if (ci.jpeg_color_space == JCS_CMYK || ci.jpeg_color_space == JCS_YCCK)
        longjmp(je.jmp, 1);
    ci.out_color_space = JCS_RGB;
    ci.scale_num = 1;
    ci.scale_denom = 1;
    while (ci.scale_denom < 8 && (ci.image_width / (ci.scale_denom * 2) >= W ||
                                  ci.image_width / ci.scale_denom > PICTURE_MAX ||
                                  ci.image_height / ci.scale_denom > PICTURE_MAX))
        ci.scale_denom *= 2;
    jpeg_start_decompress(&ci);
    s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)ci.output_width, (int)ci.output_height);
    row = malloc((size_t)ci.output_width * 3);
    if (!row)
        dg_oom();
    unsigned char *px = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    while (ci.output_scanline < ci.output_height) {
        JSAMPROW r = row;
        unsigned y = ci.output_scanline;
        jpeg_read_scanlines(&ci, &r, 1);
        uint32_t *out = (uint32_t *)(px + (size_t)y * (size_t)stride);
        for (unsigned x = 0; x < ci.output_width; x++)
            out[x] = 0xff000000u | (uint32_t)row[3 * x] << 16 | (uint32_t)row[3 * x + 1] << 8 |
                     row[3 * x + 2];
    }
    jpeg_finish_decompress(&ci);
    jpeg_destroy_decompress(&ci);
    free(row);
    cairo_surface_mark_dirty(s);
    return s;
}

/* A PNG into an ARGB32 surface (premultiplied), or RGB24 when it has no
 * alpha, through image.c's decoder. */
static cairo_surface_t *decode_png(const dg_image *img, dg_arena *a)
{
    dg_pixels px;
    if (dg_image_decode_png(&px, a, img, PICTURE_MAX) != 0)
        return NULL;
    cairo_surface_t *s = cairo_image_surface_create(
        px.alpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24, px.width, px.height);
    unsigned char *data = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    for (int y = 0; y < px.height; y++) {
        uint32_t *out = (uint32_t *)(data + (size_t)y * (size_t)stride);
        for (int x = 0; x < px.width; x++) {
            size_t k = (size_t)y * (size_t)px.width + (size_t)x;
            uint32_t al = px.alpha ? px.alpha[k] : 255;
            uint32_t r = px.rgb[3 * k] * al / 255, g = px.rgb[3 * k + 1] * al / 255,
                     b = px.rgb[3 * k + 2] * al / 255;
            out[x] = al << 24 | r << 16 | g << 8 | b;
        }
    }
    cairo_surface_mark_dirty(s);
    return s;
}

/* IMG decoded into a surface, or NULL when it cannot be. */
static cairo_surface_t *picture_surface(const dg_image *img, dg_arena *a)
{
    cairo_surface_t *s = NULL;
    if (img->type == DG_IMG_JPEG)
        s = decode_jpeg(img);
    else if (img->type == DG_IMG_PNG)
        s = decode_png(img, a);
    if (s && cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        s = NULL;
    }
    return s;
}

/* The picture S scaled to cover the band at the top, centred, its lower
 * part fading into the background BG; S is spent. */
static void draw_picture(cover *c, cairo_surface_t *s, const double bg[3])
{
    double iw = cairo_image_surface_get_width(s), ih = cairo_image_surface_get_height(s);
    double k = W / iw > PICTURE_H / ih ? W / iw : PICTURE_H / ih;
    cairo_t *cr = c->cr;
    cairo_save(cr);
    cairo_rectangle(cr, 0, 0, W, PICTURE_H);
    cairo_clip(cr);
    cairo_translate(cr, (W - iw * k) / 2, (PICTURE_H - ih * k) / 2);
    cairo_scale(cr, k, k);
    cairo_set_source_surface(cr, s, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
    /* padded, not transparent, past its edges: pixman's fast path for a
     * scaled image (2 ms against 17-28 ms on examples' 600x200 header
     * scaled 5.9 times), and no dark seam where the picture's first row
     * used to blend with nothing */
    cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_PAD);
    cairo_paint(cr);
    cairo_restore(cr);
    cairo_pattern_t *fade = cairo_pattern_create_linear(0, PICTURE_H * 0.55, 0, PICTURE_H);
    cairo_pattern_add_color_stop_rgba(fade, 0, bg[0], bg[1], bg[2], 0);
    cairo_pattern_add_color_stop_rgba(fade, 1, bg[0], bg[1], bg[2], 1);
    /* above the fade's start it is transparent: only the part below */
    cairo_rectangle(cr, 0, PICTURE_H * 0.55, W, PICTURE_H * 0.45);
    cairo_set_source(cr, fade);
    cairo_fill(cr);
    cairo_pattern_destroy(fade);
    cairo_surface_destroy(s);
}

/* ------------------------------------------------------------------ */

/* JPEG, by libjpeg-turbo: baseline, 4:2:0, quality COVER_JPEG_QUALITY,
 * the standard Huffman tables, no marker but JFIF's (no time, no name): the
 * same pixels give the same bytes.  E-reader stores ask for JPEG covers,
 * and it is half the cost of a PNG of the same 12.3 MB of pixels at
 * libdeflate's fastest level (7 against 14-20 ms; tables fitted to the
 * image, optimize_coding, would save a fifth of the bytes for 4-11 ms
 * more: docs/BENCHMARKS.md, "The cover's cost"). */
#define COVER_JPEG_QUALITY 90
/* The surface's rows: 4 bytes a pixel, as cairo wants them for RGB24. */
#define STRIDE ((size_t)4 * W)
/* cairo's RGB24 pixel is a native-endian 0x00RRGGBB, which libjpeg-turbo
 * reads as it is. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SURFACE_JCS JCS_EXT_BGRX
#define SURFACE_LE  1
#else
#define SURFACE_JCS JCS_EXT_XRGB
#define SURFACE_LE  0
#endif
/* Rows handed to libjpeg at a time: one row of 4:2:0 MCUs. */
#define JPEG_BAND 16
/* Rows of the cover drawn at a time (a whole number of bands): 400 KB of
 * pixels, which stay in the cache while they are encoded and summed. */
#define STRIP 64

/* An image handed to libjpeg a band at a time: ROWS_AT gives the address
 * of row Y, the first of a band, the band's rows STRIDE bytes apart; BAND
 * (NULL: none) sees the band right after libjpeg has read it, while it is
 * in the cache. */
typedef struct rows_src {
    const unsigned char *(*rows_at)(struct rows_src *src, int y);
    void (*band)(struct rows_src *src, const unsigned char *row, int y, int n);
    size_t stride;
} rows_src;

/* SRC's image, W x H pixels in colour space CS (COMPS bytes a pixel), as a
 * JPEG into OUT. */
static int jpeg_encode(rows_src *src, int w, int h, J_COLOR_SPACE cs, int comps, dg_buf *out)
{
    struct jpeg_compress_struct cj;
    jerr je;
    unsigned char *volatile mem = NULL;
    unsigned long len = 0;
    cj.err = jpeg_std_error(&je.mgr);
    je.mgr.error_exit = jpeg_fail;
    je.mgr.emit_message = jpeg_quiet;
    if (setjmp(je.jmp)) {
        jpeg_destroy_compress(&cj);
        free(mem);
        return -1;
    }
    jpeg_create_compress(&cj);
    unsigned char *m = NULL;
    jpeg_mem_dest(&cj, &m, &len);
    cj.image_width = (JDIMENSION)w;
    cj.image_height = (JDIMENSION)h;
    cj.input_components = comps;
    cj.in_color_space = cs;
    jpeg_set_defaults(&cj);
    jpeg_set_quality(&cj, COVER_JPEG_QUALITY, TRUE);
    jpeg_start_compress(&cj, TRUE);
    JSAMPROW rows[JPEG_BAND];
    while (cj.next_scanline < cj.image_height) {
        int y = (int)cj.next_scanline, n = h - y < JPEG_BAND ? h - y : JPEG_BAND;
        const unsigned char *row = src->rows_at(src, y);
        for (int i = 0; i < n; i++)
            rows[i] = (JSAMPROW)(row + (size_t)i * src->stride);
        jpeg_write_scanlines(&cj, rows, (JDIMENSION)n);
        if (src->band)
            src->band(src, row, y, n);
    }
    jpeg_finish_compress(&cj);
    mem = m;
    jpeg_destroy_compress(&cj);
    out->len = 0;
    dg_buf_put(out, mem, len);
    free(mem);
    return 0;
}

/* The thumbnail's scale: a whole number, so each of its pixels is the mean
 * of a THUMB_K x THUMB_K box of the cover's. */
#define THUMB_K (W / DG_COVER_THUMB_WIDTH)
#define THUMB_H (H / THUMB_K)
_Static_assert(W % DG_COVER_THUMB_WIDTH == 0 && H % THUMB_K == 0 && THUMB_K * THUMB_K <= 257 &&
                   JPEG_BAND % THUMB_K == 0 && STRIP % JPEG_BAND == 0 && H % STRIP == 0,
               "the thumbnail divides the cover into whole boxes of at most 257 pixels, "
               "whole in each band of rows, bands whole in each strip");

/* The cover drawn a strip at a time for the encoder: the recorded drawing
 * REC played onto STRIP rows of PX, the thumbnail summed into SMALL. */
typedef struct strips {
    rows_src src;
    cairo_surface_t *rec, *surface;
    cairo_t *cr; /* on SURFACE, its operator SOURCE */
    unsigned char *px;
    int y0; /* the strip held: rows Y0 to Y0 + STRIP - 1 (-1: none) */
    unsigned char *small;
    bool failed;
} strips;

static const unsigned char *strip_rows(rows_src *src, int y)
{
    strips *s = (strips *)src;
    if (s->y0 < 0 || y < s->y0 || y >= s->y0 + STRIP) {
        s->y0 = y - y % STRIP;
        cairo_set_source_surface(s->cr, s->rec, 0, -s->y0);
        cairo_paint(s->cr);
        s->failed = s->failed || cairo_status(s->cr) != CAIRO_STATUS_SUCCESS;
        cairo_surface_flush(s->surface);
    }
    return s->px + (size_t)(y - s->y0) * STRIDE;
}

/* The thumbnail's rows (DG_COVER_THUMB_WIDTH x THUMB_H RGB) of the cover's
 * rows Y to Y + N - 1 at ROW, each pixel the integer mean of its box (so
 * reproducible).  Each byte of THUMB_K rows is summed down first, a loop
 * the compiler turns into vector adds, then THUMB_K pixels across. */
static void thumb_band(rows_src *src, const unsigned char *row, int y, int n)
{
    enum { TW = DG_COVER_THUMB_WIDTH };
    uint16_t col[STRIDE];
    for (int ty = y / THUMB_K; ty < (y + n) / THUMB_K; ty++) {
        const unsigned char *in = row + (size_t)(ty * THUMB_K - y) * STRIDE;
        for (size_t i = 0; i < STRIDE; i++)
            col[i] = in[i];
        for (int k = 1; k < THUMB_K; k++)
            for (size_t i = 0; i < STRIDE; i++)
                col[i] = (uint16_t)(col[i] + in[k * STRIDE + i]);
        unsigned char *r = ((strips *)src)->small + (size_t)ty * TW * 3;
        for (int tx = 0; tx < TW; tx++)
            for (int ch = 0; ch < 3; ch++) {
                /* the surface's pixel in memory order, blue first on a
                 * little-endian machine (SURFACE_JCS) */
                int at = SURFACE_LE ? 2 - ch : 1 + ch;
                unsigned sum = 0;
                for (int j = 0; j < THUMB_K; j++)
                    sum += col[(size_t)(tx * THUMB_K + j) * 4 + at];
                r[3 * tx + ch] = (unsigned char)(sum / (THUMB_K * THUMB_K));
            }
    }
}

/* The thumbnail, held whole. */
typedef struct plain_rows {
    rows_src src;
    const unsigned char *px;
} plain_rows;

static const unsigned char *plain_rows_at(rows_src *src, int y)
{
    return ((plain_rows *)src)->px + (size_t)y * src->stride;
}

/* The cover REC (W x H) as a JPEG into OUT, and scaled down THUMB_K times
 * by a box filter as a JPEG into THUMB.  The cover is played a strip at a
 * time into 400 KB that the cache holds, each strip encoded and summed for
 * the thumbnail before the next is drawn over it: drawn whole, 16 MB of
 * fresh memory cost the kernel 4,000 page faults (8 in huge pages) and
 * every pass over it a trip to main memory. */
static int cover_encode(cairo_surface_t *rec, dg_buf *out, dg_buf *thumb)
{
    enum { TW = DG_COVER_THUMB_WIDTH };
    strips s = {{strip_rows, thumb_band, STRIDE}, rec, NULL, NULL, NULL, -1, NULL, false};
    s.px = malloc(STRIDE * STRIP);
    s.small = malloc((size_t)TW * 3 * THUMB_H);
    if (!s.px || !s.small)
        dg_oom();
    s.surface = cairo_image_surface_create_for_data(s.px, CAIRO_FORMAT_RGB24, W, STRIP,
                                                    (int)STRIDE);
    s.cr = cairo_create(s.surface);
    cairo_set_operator(s.cr, CAIRO_OPERATOR_SOURCE);
    plain_rows t = {{plain_rows_at, NULL, (size_t)TW * 3}, s.small};
    int rc = jpeg_encode(&s.src, W, H, SURFACE_JCS, 4, out) == 0 && !s.failed &&
                     jpeg_encode(&t.src, TW, THUMB_H, JCS_RGB, 3, thumb) == 0
                 ? 0
                 : -1;
    cairo_destroy(s.cr);
    cairo_surface_destroy(s.surface);
    free(s.px);
    free(s.small);
    return rc;
}

/* Deep background colours with a light accent each, picked by the site. */
static const double palette[][6] = {
    {0.11, 0.16, 0.27, 0.93, 0.71, 0.38}, {0.16, 0.22, 0.18, 0.91, 0.80, 0.55},
    {0.27, 0.12, 0.14, 0.95, 0.78, 0.62}, {0.13, 0.13, 0.16, 0.55, 0.78, 0.93},
    {0.20, 0.15, 0.26, 0.95, 0.73, 0.80}, {0.08, 0.22, 0.24, 0.96, 0.84, 0.56},
};

int dg_cover_draw(const dg_book *b, dg_fonts *fonts, const dg_image *picture, dg_buf *out,
                  dg_buf *thumb, dg_diag *d)
{
    int rc = -1;
    out->len = 0;
    thumb->len = 0;
    const char *site = b->site && b->site->title ? b->site->title : b->title;
    const double *pal =
        palette[dg_hash64(site, strlen(site), 0) % (sizeof palette / sizeof *palette)];
    dg_arena *a = dg_arena_new();
    /* recorded, then played a strip at a time (cover_encode) */
    cairo_rectangle_t all = {0, 0, W, H};
    cairo_surface_t *s = cairo_recording_surface_create(CAIRO_CONTENT_COLOR, &all);
    cairo_t *cr = cairo_create(s);
    cover c = {cr, fonts, a, d, b->lang ? b->lang : "zh-CN", 0, true};
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    cairo_set_font_options(cr, fo);
    cairo_font_options_destroy(fo);

    cairo_surface_t *ps = picture ? picture_surface(picture, a) : NULL;
    bool pic = ps != NULL;
    /* the background; not under an opaque picture, which covers its band */
    cairo_set_source_rgb(cr, pal[0], pal[1], pal[2]);
    if (pic && cairo_surface_get_content(ps) == CAIRO_CONTENT_COLOR) {
        cairo_rectangle(cr, 0, PICTURE_H, W, H - PICTURE_H);
        cairo_fill(cr);
    } else {
        cairo_paint(cr);
    }
    if (pic)
        draw_picture(&c, ps, pal);
    const char *author =
        b->author && !(b->site && b->site->title && !strcmp(b->author, b->site->title)) ? b->author
                                                                                        : NULL;
    double limit = H - (author ? 330 : 200);
    double y0 = pic ? PICTURE_H - 60 : 420;
    if (!pic) {
        /* no picture: the text stands in the middle of the free field */
        c.draw = false;
        c.y = y0;
        double spare = cover_text(&c, b, site, pal, limit);
        if (spare > 0)
            y0 += spare / 2;
        c.draw = true;
        rule(&c, pal + 3, (W - 220) / 2.0, y0 - 120, 220, 14); /* an accent above */
    }
    c.y = y0;
    cover_text(&c, b, site, pal, limit);
    if (author) {
        c.y = H - 250;
        text_block(&c, author, 0, 60, 1.4, 0.75);
    }

    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
        dg_report_file(d, DG_ERROR, NULL, "%s: the cover could not be drawn (cairo: %s)", b->month,
                       cairo_status_to_string(cairo_status(cr)));
        goto out;
    }
    if (cover_encode(s, out, thumb) != 0) {
        dg_report_file(d, DG_ERROR, NULL,
                       "%s: the cover could not be made into a JPEG (cairo or libjpeg failed)",
                       b->month);
        goto out;
    }
    rc = 0;
out:
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    dg_arena_free(a);
    return rc;
}

/* ------------------------------------------------------------------ */
/* The cache                                                           */

/* A cached cover is never larger than this (a 1600x2560 JPEG at quality
 * 100 of noise is about 9 MB). */
#define COVER_MAX_BYTES (16u << 20)

/* Whether FILE is a cached cover or thumbnail of the book NAME: NAME, '-',
 * 16 hex digits, then DG_COVER_EXT or ".thumb" DG_COVER_EXT (or ".png" or
 * ".thumb.png", as digest cached them before its covers were JPEGs, so that
 * they are removed too), nothing else (so that "2024" never takes
 * "2024-03"'s, nor "2024-03" "2024-03.en"'s). */
static bool cover_of(const char *file, const char *name)
{
    static const char *const ends[] = {DG_COVER_EXT, ".thumb" DG_COVER_EXT, ".png", ".thumb.png"};
    size_t nl = strlen(name);
    if (strlen(file) < nl + 21 || strncmp(file, name, nl) != 0 || file[nl] != '-')
        return false;
    bool end = false;
    for (size_t i = 0; i < sizeof ends / sizeof *ends; i++)
        end = end || !strcmp(file + nl + 17, ends[i]);
    if (!end)
        return false;
    for (size_t i = nl + 1; i < nl + 17; i++)
        if (!strchr("0123456789abcdef", file[i]))
            return false;
    return true;
}

/* Removes CACHE_DIR's covers and thumbnails of the book NAME but those of
 * STEM (NAME, '-', the key; "": none kept). */
static void drop_old(const char *cache_dir, const char *name, const char *stem)
{
    DIR *dir = opendir(cache_dir);
    if (!dir)
        return;
    size_t sl = strlen(stem);
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (cover_of(e->d_name, name) && (!sl || strncmp(e->d_name, stem, sl) != 0)) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", cache_dir, e->d_name);
            unlink(path);
        }
    }
    closedir(dir);
}

void dg_cover_forget(const char *cache_dir, const char *book)
{
    if (cache_dir)
        drop_old(cache_dir, book, "");
}

/* Reads the cached JPEG PATH into *JPEG (emptied first); false when it is
 * not there or no JPEG. */
static bool read_cached(const char *path, dg_buf *jpeg)
{
    char *data = NULL;
    size_t len = 0;
    jpeg->len = 0;
    if (dg_read_file_max(path, COVER_MAX_BYTES, &data, &len) == 0 && len > 4 &&
        memcmp(data, "\xff\xd8\xff", 3) == 0 && memcmp(data + len - 2, "\xff\xd9", 2) == 0)
        dg_buf_put(jpeg, data, len);
    free(data);
    return jpeg->len > 0;
}

static bool write_cached(const char *cache_dir, const char *path, const dg_buf *jpeg, dg_diag *d)
{
    if (dg_mkdir_p(cache_dir) == 0 && dg_write_file_atomic(path, jpeg->data, jpeg->len) == 0)
        return true;
    dg_report_file(d, DG_WARNING, path, "the cover image could not be cached");
    return false;
}

/* A cover being made: read from the cache or drawn (and cached), on a
 * thread of its own or the caller's.  It never touches the book's arena,
 * which the writers allocate from meanwhile, but its own (the job, its
 * names, the thread's fonts log); dg_cover_finish hands the bytes to the
 * book. */
struct dg_cover_job {
    dg_arena *a;
    const dg_book *b;
    dg_fonts *fonts;
    dg_diag *d;
    const char *path, *tpath; /* the cache's files (NULL: no cache) */
    const char *cache_dir, *book, *stem;
    dg_buf jpeg, thumb;
    int rc;
    bool threaded;
    pthread_t thread;
    dg_fonts_log log;
};

/* Draws J's cover and caches it. */
static void cover_make(dg_cover_job *j)
{
    if (dg_cover_draw(j->b, j->fonts, j->b->cover_picture, &j->jpeg, &j->thumb, j->d) != 0) {
        j->rc = -1;
        return;
    }
    /* the thumbnail first: a cover without one is drawn again */
    if (j->path && write_cached(j->cache_dir, j->tpath, &j->thumb, j->d) &&
        write_cached(j->cache_dir, j->path, &j->jpeg, j->d))
        drop_old(j->cache_dir, j->book, j->stem);
}

static void *cover_thread(void *arg)
{
    dg_cover_job *j = arg;
    dg_fonts_log_begin(&j->log, j->a);
    cover_make(j);
    dg_fonts_log_end();
    return NULL;
}

dg_cover_job *dg_cover_start(const dg_book *b, dg_fonts *fonts, const char *cache_dir,
                             const char *book, uint64_t key, bool beside, dg_diag *d)
{
    dg_arena *a = dg_arena_new();
    dg_cover_job *j = dg_alloc(a, sizeof *j);
    j->a = a;
    j->b = b;
    j->fonts = fonts;
    j->d = d;
    j->cache_dir = dg_strdup(a, cache_dir);
    j->book = dg_strdup(a, book);
    j->stem = dg_sprintf(a, "%s-%016llx", book, (unsigned long long)key);
    if (cache_dir) {
        j->path = dg_sprintf(a, "%s/%s" DG_COVER_EXT, cache_dir, j->stem);
        j->tpath = dg_sprintf(a, "%s/%s.thumb" DG_COVER_EXT, cache_dir, j->stem);
    }
    /* a cached cover is read at once: a thread would cost more */
    if (j->path && read_cached(j->path, &j->jpeg) && read_cached(j->tpath, &j->thumb))
        return j;
    if (beside) {
        j->threaded = pthread_create(&j->thread, NULL, cover_thread, j) == 0;
        if (j->threaded)
            return j;
    }
    cover_make(j); /* here, in the caller's fonts log */
    return j;
}

int dg_cover_finish(dg_cover_job *j, dg_book *b, dg_fonts_log *log)
{
    if (j->threaded) {
        pthread_join(j->thread, NULL);
        for (size_t i = 0; log && i < j->log.n; i++)
            dg_fonts_log_add(log, j->log.cp[i]);
    }
    int rc = j->rc;
    if (rc == 0) {
        b->cover_jpeg_len = j->jpeg.len;
        b->cover_jpeg = (const unsigned char *)dg_buf_to_arena(&j->jpeg, b->arena);
        b->cover_thumb_jpeg_len = j->thumb.len;
        b->cover_thumb_jpeg = (const unsigned char *)dg_buf_to_arena(&j->thumb, b->arena);
    }
    dg_buf_free(&j->jpeg);
    dg_buf_free(&j->thumb);
    dg_arena_free(j->a);
    return rc;
}

int dg_cover_for_book(dg_book *b, dg_fonts *fonts, const char *cache_dir, const char *book,
                      uint64_t key, dg_diag *d)
{
    return dg_cover_finish(dg_cover_start(b, fonts, cache_dir, book, key, false, d), b, NULL);
}
