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
 * same book, fonts and picture give the same PNG bytes (a character the
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
#include <libdeflate.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "base/deflate.h"
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
        cairo_glyph_t gl = {dg_fonts_glyph(c->fonts, g->font, g->cp), x0 + g->x + g->x_offset,
                            base - g->rise};
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

/* A PNG into an ARGB32 surface (premultiplied), through image.c's decoder. */
static cairo_surface_t *decode_png(const dg_image *img, dg_arena *a)
{
    dg_pixels px;
    if (dg_image_decode_png(&px, a, img, PICTURE_MAX) != 0)
        return NULL;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, px.width, px.height);
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

/* The picture scaled to cover the band at the top, centred, its lower part
 * fading into the background BG.  False when it cannot be decoded. */
static bool draw_picture(cover *c, const dg_image *img, const double bg[3])
{
    cairo_surface_t *s = NULL;
    if (img->type == DG_IMG_JPEG)
        s = decode_jpeg(img);
    else if (img->type == DG_IMG_PNG)
        s = decode_png(img, c->a);
    if (!s || cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        if (s)
            cairo_surface_destroy(s);
        return false;
    }
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
    return true;
}

/* ------------------------------------------------------------------ */

/* PNG: cairo's writer (libpng, zlib at its default level) took three
 * quarters of a month's build.  8-bit RGB, one IDAT, no other chunk: the
 * same pixels give the same bytes.  No filter and libdeflate's fastest
 * level: the cover is mostly flat colour, whose rows repeat a 3-byte pixel
 * that level 1 finds at once; the "up" filter at level 3 (before) made the
 * cover 14 % smaller with a picture and 23 % larger without, and took up to
 * twice as long (docs/BENCHMARKS.md, "The cover's cost"). */
#define COVER_PNG_LEVEL 1
/* The surface's rows: 4 bytes a pixel, as cairo wants them for RGB24. */
#define STRIDE ((size_t)4 * W)

static void png_chunk(dg_buf *out, const char *type, const unsigned char *data, size_t len)
{
    unsigned char be[4] = {(unsigned char)(len >> 24), (unsigned char)(len >> 16),
                           (unsigned char)(len >> 8), (unsigned char)len};
    dg_buf_put(out, be, 4);
    size_t at = out->len;
    dg_buf_put(out, type, 4);
    if (len)
        dg_buf_put(out, data, len);
    uint32_t crc = libdeflate_crc32(0, out->data + at, len + 4);
    unsigned char c[4] = {(unsigned char)(crc >> 24), (unsigned char)(crc >> 16),
                          (unsigned char)(crc >> 8), (unsigned char)crc};
    dg_buf_put(out, c, 4);
}

/* RAW: H rows of a filter byte (0, none) and 3W bytes of RGB.  Deflates
 * them and writes the PNG into OUT. */
static int png_encode(const unsigned char *raw, int w, int h, dg_buf *out)
{
    int rc = -1;
    size_t raw_len = ((size_t)w * 3 + 1) * (size_t)h;
    unsigned char *z = NULL;
    struct libdeflate_compressor *zc = libdeflate_alloc_compressor(COVER_PNG_LEVEL);
    if (!zc)
        goto out;
    size_t zlen = 0;
    if (dg_deflate(zc, DG_DEFLATE_ZLIB, raw, raw_len, &z, &zlen) != 0)
        goto out;
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    unsigned char ihdr[13] = {(unsigned char)(w >> 24),
                              (unsigned char)(w >> 16),
                              (unsigned char)(w >> 8),
                              (unsigned char)w,
                              (unsigned char)(h >> 24),
                              (unsigned char)(h >> 16),
                              (unsigned char)(h >> 8),
                              (unsigned char)h,
                              8,
                              2,
                              0,
                              0,
                              0}; /* 8-bit RGB, deflate, adaptive, no interlace */
    out->len = 0;
    dg_buf_put(out, sig, 8);
    png_chunk(out, "IHDR", ihdr, sizeof ihdr);
    png_chunk(out, "IDAT", z, zlen);
    png_chunk(out, "IEND", NULL, 0);
    rc = 0;
out:
    if (zc)
        libdeflate_free_compressor(zc);
    free(z);
    return rc;
}

/* Packs row Y of PX (STRIDE bytes a row, 4 a pixel) into a PNG row of 3W + 1
 * bytes at Y * (3W + 1) in PX's own memory: it never passes the row it is
 * read from, nor reaches a later row, so rows packed in order need no
 * second 12 MB buffer. */
static void pack_row(unsigned char *px, int y)
{
    size_t row = (size_t)W * 3 + 1;
    unsigned char *r = px + (size_t)y * row;
    const unsigned char *in = px + (size_t)y * STRIDE;
    uint32_t first;
    memcpy(&first, in, 4); /* r[0..3] may overlap in[0..3] (row 0) */
    unsigned char tmp[3] = {(unsigned char)(first >> 16), (unsigned char)(first >> 8),
                            (unsigned char)first};
    for (int x = 1; x < W; x++) {
        uint32_t v;
        memcpy(&v, in + 4 * x, 4);
        r[1 + 3 * x] = (unsigned char)(v >> 16);
        r[2 + 3 * x] = (unsigned char)(v >> 8);
        r[3 + 3 * x] = (unsigned char)v;
    }
    r[0] = 0; /* no filter */
    memcpy(r + 1, tmp, 3);
}

/* The thumbnail's scale: a whole number, so each of its pixels is the mean
 * of a THUMB_K x THUMB_K box of the cover's. */
#define THUMB_K (W / DG_COVER_THUMB_WIDTH)
_Static_assert(W % DG_COVER_THUMB_WIDTH == 0 && H % THUMB_K == 0 && THUMB_K * THUMB_K <= 257,
               "the thumbnail divides the cover into whole boxes of at most 257 pixels");

/* The cover's pixels PX (W x H, STRIDE bytes a row) as a PNG into OUT, and
 * scaled down THUMB_K times by a box filter (integer means, so
 * reproducible) as a PNG into THUMB: one pass over the 16 MB, each band of
 * THUMB_K rows summed for the thumbnail, then packed in place for the
 * cover (PX is spent afterwards). */
static int png_write(unsigned char *px, dg_buf *out, dg_buf *thumb)
{
    enum { TW = DG_COVER_THUMB_WIDTH, TH = H / THUMB_K };
    size_t row = (size_t)TW * 3 + 1;
    unsigned char *raw = malloc(row * TH);
    if (!raw)
        dg_oom();
    for (int ty = 0; ty < TH; ty++) {
        unsigned char *r = raw + (size_t)ty * row;
        r[0] = 0; /* no filter */
        for (int tx = 0; tx < TW; tx++) {
            /* red and blue side by side in 16-bit lanes: a box's sum of
             * THUMB_K^2 bytes stays below 65536 */
            uint32_t rb = 0, g = 0;
            for (int k = 0; k < THUMB_K; k++) {
                const unsigned char *in =
                    px + (size_t)(ty * THUMB_K + k) * STRIDE + 4 * (size_t)tx * THUMB_K;
                for (int j = 0; j < THUMB_K; j++) {
                    uint32_t v;
                    memcpy(&v, in + 4 * j, 4);
                    rb += v & 0x00ff00ffu;
                    g += v >> 8 & 0xffu;
                }
            }
            r[1 + 3 * tx] = (unsigned char)((rb >> 16) / (THUMB_K * THUMB_K));
            r[2 + 3 * tx] = (unsigned char)(g / (THUMB_K * THUMB_K));
            r[3 + 3 * tx] = (unsigned char)((rb & 0xffffu) / (THUMB_K * THUMB_K));
        }
        for (int k = 0; k < THUMB_K; k++)
            pack_row(px, ty * THUMB_K + k);
    }
    int rc = png_encode(raw, TW, TH, thumb) == 0 && png_encode(px, W, H, out) == 0 ? 0 : -1;
    free(raw);
    return rc;
}

#define HUGE_PAGE (2u << 20)

/* Memory for the cover's surface (16 MB, every byte painted before it is
 * read), asked for in huge pages where the kernel gives them on request:
 * eight page faults instead of four thousand. */
static unsigned char *surface_memory(void)
{
    size_t len = ((size_t)STRIDE * H + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
    void *p = NULL;
    if (posix_memalign(&p, HUGE_PAGE, len) != 0)
        dg_oom();
#ifdef MADV_HUGEPAGE
    madvise(p, len, MADV_HUGEPAGE); /* advice only: small pages do as well */
#endif
    return p;
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
    unsigned char *px = surface_memory();
    cairo_surface_t *s =
        cairo_image_surface_create_for_data(px, CAIRO_FORMAT_RGB24, W, H, (int)STRIDE);
    cairo_t *cr = cairo_create(s);
    cover c = {cr, fonts, a, d, b->lang ? b->lang : "zh-CN", 0, true};
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    cairo_set_font_options(cr, fo);
    cairo_font_options_destroy(fo);

    cairo_set_source_rgb(cr, pal[0], pal[1], pal[2]);
    cairo_paint(cr);
    bool pic = picture && draw_picture(&c, picture, pal);
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

    cairo_surface_flush(s);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS || png_write(px, out, thumb) != 0) {
        dg_report_file(d, DG_ERROR, NULL, "%s: the cover could not be drawn (cairo: %s)", b->month,
                       cairo_status_to_string(cairo_status(cr)));
        goto out;
    }
    rc = 0;
out:
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    free(px);
    dg_arena_free(a);
    return rc;
}

/* ------------------------------------------------------------------ */
/* The cache                                                           */

/* A cached cover is never larger than this (a 1600x2560 RGB PNG with no
 * compression at all is 12.3 MB). */
#define COVER_MAX_PNG (16u << 20)

/* Whether FILE is a cached cover or thumbnail of the book NAME: NAME, '-',
 * 16 hex digits, ".png" or ".thumb.png", nothing else (so that "2024" never
 * takes "2024-03"'s, nor "2024-03" "2024-03.en"'s). */
static bool cover_of(const char *file, const char *name)
{
    size_t nl = strlen(name);
    if (strlen(file) < nl + 21 || strncmp(file, name, nl) != 0 || file[nl] != '-' ||
        (strcmp(file + nl + 17, ".png") != 0 && strcmp(file + nl + 17, ".thumb.png") != 0))
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

/* Reads the cached PNG PATH into *PNG (emptied first); false when it is not
 * there or no PNG. */
static bool read_cached(const char *path, dg_buf *png)
{
    char *data = NULL;
    size_t len = 0;
    png->len = 0;
    if (dg_read_file_max(path, COVER_MAX_PNG, &data, &len) == 0 && len > 8 &&
        memcmp(data, "\x89PNG", 4) == 0)
        dg_buf_put(png, data, len);
    free(data);
    return png->len > 0;
}

static bool write_cached(const char *cache_dir, const char *path, const dg_buf *png, dg_diag *d)
{
    if (dg_mkdir_p(cache_dir) == 0 && dg_write_file_atomic(path, png->data, png->len) == 0)
        return true;
    dg_report_file(d, DG_WARNING, path, "the cover image could not be cached");
    return false;
}

int dg_cover_for_book(dg_book *b, dg_fonts *fonts, const char *cache_dir, const char *book,
                      uint64_t key, dg_diag *d)
{
    int rc = -1;
    const char *stem = dg_sprintf(b->arena, "%s-%016llx", book, (unsigned long long)key);
    const char *path = cache_dir ? dg_sprintf(b->arena, "%s/%s.png", cache_dir, stem) : NULL;
    const char *tpath = cache_dir ? dg_sprintf(b->arena, "%s/%s.thumb.png", cache_dir, stem) : NULL;
    dg_buf png = {0}, thumb = {0};
    if (!path || !read_cached(path, &png) || !read_cached(tpath, &thumb)) {
        if (dg_cover_draw(b, fonts, b->cover_picture, &png, &thumb, d) != 0)
            goto out;
        /* the thumbnail first: a cover without one is drawn again */
        if (path && write_cached(cache_dir, tpath, &thumb, d) &&
            write_cached(cache_dir, path, &png, d))
            drop_old(cache_dir, book, stem);
    }
    b->cover_png_len = png.len;
    b->cover_png = (const unsigned char *)dg_buf_to_arena(&png, b->arena);
    b->cover_thumb_png_len = thumb.len;
    b->cover_thumb_png = (const unsigned char *)dg_buf_to_arena(&thumb, b->arena);
    rc = 0;
out:
    dg_buf_free(&png);
    dg_buf_free(&thumb);
    return rc;
}
