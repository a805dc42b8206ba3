/* pdf_image.c - the images of the PDF writer (pdf_impl.h): the PNGs of the
 * book, decoded by libpng and deflated on threads of their own while the
 * pages are drawn (pdf_pack.c puts the pixels into libharu's placeholders);
 * JPEGs, passed through libharu; and glyphs drawn as images (beyond the BMP,
 * or of colour fonts), rendered with FreeType.
 */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include <hpdf.h>
#include <libdeflate.h>

#include "base/deflate.h"
#include "base/fs.h"
#include "pdf/pdf_impl.h"

/* Oversampling of glyph images drawn for characters beyond the BMP: 4 pixels
 * per point (288 dpi) looks sharp in print and stays small. */
#define GLYPH_IMAGE_SCALE 4.0

/* ---- PNG threads ---------------------------------------------------------- */

/* Widest PNG embedded, in pixels: about 300 dpi across an A4 text block
 * (larger screenshots are scaled down; print gains nothing from more). */
#define DG_PDF_IMAGE_MAX_WIDTH 2000

/* Decodes and deflates PNGs of the book until none is left (one of
 * pdf_start_images' threads; each image is the work of one thread, so the
 * output does not depend on which). */
static void *image_worker(void *arg)
{
    pdf_ctx *c = arg;
    struct libdeflate_compressor *zc = libdeflate_alloc_compressor(6);
    for (;;) {
        size_t i = atomic_fetch_add(&c->img_next, 1);
        if (i >= c->npimgs)
            break;
        pdf_image *pi = &c->pimgs[i];
        dg_arena *a = dg_arena_new();
        dg_pixels px;
        pi->failed = true;
        if (zc && dg_image_decode_png(&px, a, &pi->as->image, DG_PDF_IMAGE_MAX_WIDTH) == 0 &&
            dg_deflate(zc, DG_DEFLATE_ZLIB, px.rgb, (size_t)px.width * (size_t)px.height * 3,
                       &pi->z, &pi->zlen) == 0 &&
            (!px.alpha ||
             dg_deflate(zc, DG_DEFLATE_ZLIB, px.alpha, (size_t)px.width * (size_t)px.height,
                        &pi->az, &pi->azlen) == 0)) {
            pi->width = px.width;
            pi->height = px.height;
            pi->failed = false;
        }
        dg_arena_free(a);
    }
    libdeflate_free_compressor(zc);
    return NULL;
}

void pdf_note_images(pdf_ctx *c, const dg_lpage *pg)
{
    for (size_t k = 0; k < pg->n; k++) {
        const dg_item *it = &pg->items[k];
        if (it->kind != DG_ITEM_IMAGE || !it->asset || it->asset->image.type != DG_IMG_PNG)
            continue;
        size_t j = 0;
        while (j < c->npimgs && c->pimgs[j].as != it->asset)
            j++;
        if (j < c->npimgs)
            continue;
        dg_arena_grow(c->a, &c->pimgs, c->npimgs, &c->cappimgs, sizeof *c->pimgs, 16);
        c->pimgs[c->npimgs++] =
            (pdf_image){.as = it->asset, .key = dg_strdup(c->a, it->asset->key)};
    }
}

/* Starts image_worker threads on the PNGs noted (up to one a core). */
void pdf_start_images(pdf_ctx *c)
{
    atomic_init(&c->img_next, 0);
    if (c->npimgs == 0)
        return;
    size_t want = (size_t)dg_cores();
    if (want > PDF_IMAGE_THREADS)
        want = PDF_IMAGE_THREADS;
    if (want > c->npimgs)
        want = c->npimgs;
    for (size_t i = 0; i < want; i++)
        if (pthread_create(&c->img_th[c->img_threads], NULL, image_worker, c) == 0)
            c->img_threads++;
    if (c->img_threads == 0)
        image_worker(c);
}

void pdf_join_images(pdf_ctx *c)
{
    for (int i = 0; i < c->img_threads; i++)
        pthread_join(c->img_th[i], NULL);
    c->img_threads = 0;
}

void pdf_free_images(pdf_ctx *c)
{
    pdf_join_images(c);
    for (size_t i = 0; i < c->npimgs; i++) {
        free(c->pimgs[i].z);
        free(c->pimgs[i].az);
    }
}

/* ---- image objects --------------------------------------------------------- */

HPDF_Image pdf_asset_image(pdf_ctx *c, const dg_asset *as)
{
    for (size_t i = 0; i < c->nimgs; i++)
        if (c->imgs[i].as == as)
            return c->imgs[i].img;
    HPDF_Image img = NULL;
    if (as->image.type == DG_IMG_PNG) {
        /* Decoded by libpng, not libharu: libharu 2.3 refuses some ordinary
         * RGBA files (HPDF_LIBPNG_ERROR), leaves alpha uncompressed, embeds
         * screenshots at full size, and copies the pixels byte by byte. */
        static const HPDF_BYTE white[3] = {255, 255, 255};
        for (size_t k = 0; k < c->npimgs; k++)
            if (c->pimgs[k].as == as) {
                img = HPDF_LoadRawImageFromMem(c->pdf, white, 1, 1, HPDF_CS_DEVICE_RGB, 8);
                if (img && !c->err) {
                    /* marks the image for put_images, which takes the mark out */
                    HPDF_Dict_AddNumber((HPDF_Dict)img, "DGImage", (HPDF_INT32)k);
                    c->pimgs[k].placeholder = img;
                }
                break;
            }
    } else if (as->image.type == DG_IMG_JPEG) {
        img = HPDF_LoadJpegImageFromMem(c->pdf, as->image.data, (HPDF_UINT)as->image.len);
    }
    if (c->err || !img) {
        dg_report_file(c->d, DG_WARNING, as->key,
                       "libharu cannot embed this image (error 0x%04lX); it is left out of the PDF",
                       c->err);
        c->err = 0;
        HPDF_ResetError(c->pdf);
        img = NULL;
    }
    dg_arena_grow(c->a, &c->imgs, c->nimgs, &c->capimgs, sizeof *c->imgs, 16);
    c->imgs[c->nimgs].as = as;
    c->imgs[c->nimgs++].img = img;
    return img;
}

/* The face of FONT for glyph images, opened once per PDF (a month of
 * Extension B may draw thousands from one 30 MiB font) in the writer's own
 * FreeType library, which frees it; NULL when it cannot be opened. */
static FT_Face glyph_face(pdf_ctx *c, int font, const dg_font *f)
{
    if (!c->ft && FT_Init_FreeType(&c->ft) != 0)
        return NULL;
    if ((size_t)font >= c->ngfaces) {
        size_t n = dg_fonts_count(c->fonts);
        FT_Face *faces = dg_allocn(c->a, n, sizeof *faces);
        if (c->ngfaces)
            memcpy(faces, c->gfaces, c->ngfaces * sizeof *faces);
        c->gfaces = faces;
        c->ngfaces = n;
    }
    if (!c->gfaces[font] && FT_New_Face(c->ft, f->path, f->index, &c->gfaces[font]) != 0)
        c->gfaces[font] = NULL;
    return c->gfaces[font];
}

/* A glyph beyond the BMP as an image: black ink with the coverage as soft
 * mask (or the colour bitmap of a colour font).  Uses a FreeType library of
 * its own: the shared faces of dg_fonts must not change size under others. */
glyph_img *pdf_glyph_image(pdf_ctx *c, int font, uint32_t cp, double size)
{
    for (size_t i = 0; i < c->ngimgs; i++)
        if (c->gimgs[i].font == font && c->gimgs[i].cp == cp && c->gimgs[i].size == size)
            return &c->gimgs[i];
    dg_arena_grow(c->a, &c->gimgs, c->ngimgs, &c->capgimgs, sizeof *c->gimgs, 16);
    glyph_img *g = &c->gimgs[c->ngimgs++];
    memset(g, 0, sizeof *g);
    g->font = font;
    g->cp = cp;
    g->size = size;
    const dg_font *f = dg_fonts_get(c->fonts, font);
    FT_Face face = f ? glyph_face(c, font, f) : NULL;
    if (!face)
        goto out;
    unsigned px = (unsigned)lround(size * GLYPH_IMAGE_SCALE);
    if (FT_HAS_FIXED_SIZES(face) && !FT_IS_SCALABLE(face)) {
        FT_Select_Size(face, 0);
    } else if (FT_Set_Pixel_Sizes(face, 0, px) != 0) {
        goto out;
    }
    if (FT_Load_Char(face, cp, FT_LOAD_RENDER | FT_LOAD_COLOR) != 0)
        goto out;
    FT_GlyphSlot s = face->glyph;
    FT_Bitmap *bm = &s->bitmap;
    unsigned w = bm->width, h = bm->rows;
    if (!w || !h)
        goto out;
    double scale = size / (double)(face->size->metrics.y_ppem ? face->size->metrics.y_ppem : px);
    unsigned char *ink = dg_allocn(c->a, (size_t)w * h, 3);
    unsigned char *alpha = dg_allocn(c->a, (size_t)w * h, 1);
    for (unsigned y = 0; y < h; y++) {
        const unsigned char *row = bm->buffer + (long)y * bm->pitch;
        for (unsigned x = 0; x < w; x++) {
            size_t o = (size_t)y * w + x;
            if (bm->pixel_mode == FT_PIXEL_MODE_BGRA) {
                unsigned b = row[4 * x], gg = row[4 * x + 1], r = row[4 * x + 2],
                         al = row[4 * x + 3];
                /* premultiplied: undo it */
                ink[3 * o] = (unsigned char)(al ? r * 255 / al : 0);
                ink[3 * o + 1] = (unsigned char)(al ? gg * 255 / al : 0);
                ink[3 * o + 2] = (unsigned char)(al ? b * 255 / al : 0);
                alpha[o] = (unsigned char)al;
            } else if (bm->pixel_mode == FT_PIXEL_MODE_GRAY) {
                alpha[o] = row[x];
            } else if (bm->pixel_mode == FT_PIXEL_MODE_MONO) {
                alpha[o] = (row[x >> 3] & (0x80 >> (x & 7))) ? 255 : 0;
            }
        }
    }
    HPDF_Image im = HPDF_LoadRawImageFromMem(c->pdf, ink, w, h, HPDF_CS_DEVICE_RGB, 8);
    HPDF_Image mask = HPDF_LoadRawImageFromMem(c->pdf, alpha, w, h, HPDF_CS_DEVICE_GRAY, 8);
    if (!im || !mask || HPDF_Image_AddSMask(im, mask) != HPDF_OK) {
        c->err = 0;
        HPDF_ResetError(c->pdf);
        goto out;
    }
    g->img = im;
    g->left = s->bitmap_left * scale;
    g->top = s->bitmap_top * scale;
    g->w = w * scale;
    g->h = h * scale;
out:
    return g;
}
