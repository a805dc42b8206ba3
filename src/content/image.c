/* image.c - local images: sniffed by their bytes, measured, and WebP turned
 * into PNG (EPUB 3.2 readers and epubcheck 4.2 lack WebP).
 *
 * Every reader here treats its input as hostile: lengths are checked before
 * each read, and decoded sizes are capped before anything is allocated.
 */
#include "content/image.h"

#include <png.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <webp/decode.h>

/* Largest image file read (a weekly post's photos are a few MiB; anything
 * bigger is a mistake that would bloat every digest). */
#define DG_IMAGE_MAX_FILE (64u * 1024u * 1024u)
/* Largest WebP decoded (pixels): 8192 x 8192 RGBA is 256 MiB of memory. */
#define DG_IMAGE_MAX_PIXELS (8192u * 8192u)
/* How far into an SVG file its <svg> tag may start (XML prolog, comments). */
#define DG_SVG_SNIFF 4096

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int png_size(const unsigned char *d, size_t n, int *w, int *h)
{
    static const unsigned char magic[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    int rc = -1;
    if (n < 24 || memcmp(d, magic, 8) != 0 || memcmp(d + 12, "IHDR", 4) != 0)
        goto out;
    uint32_t ww = be32(d + 16), hh = be32(d + 20);
    if (ww == 0 || hh == 0 || ww > 0x7fffffffu || hh > 0x7fffffffu)
        goto out;
    *w = (int)ww;
    *h = (int)hh;
    rc = 0;
out:
    return rc;
}

/* Walks the JPEG markers up to the first SOFn (start of frame). */
static int jpeg_size(const unsigned char *d, size_t n, int *w, int *h)
{
    int rc = -1;
    if (n < 4 || d[0] != 0xff || d[1] != 0xd8 || d[2] != 0xff)
        goto out;
    size_t i = 2;
    while (i + 4 <= n) {
        if (d[i] != 0xff)
            goto out;
        unsigned char m = d[i + 1];
        if (m == 0xff) { /* fill byte */
            i++;
            continue;
        }
        if (m == 0xd8 || m == 0x01 || (m >= 0xd0 && m <= 0xd7)) { /* no length */
            i += 2;
            continue;
        }
        if (m == 0xd9 || m == 0xda) /* end of image or start of scan before a frame */
            goto out;
        size_t len = (size_t)d[i + 2] << 8 | d[i + 3];
        if (len < 2)
            goto out;
        bool sof = m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc;
        if (sof) {
            if (len < 7 || i + 2 + 7 > n)
                goto out;
            int hh = d[i + 5] << 8 | d[i + 6];
            int ww = d[i + 7] << 8 | d[i + 8];
            if (ww == 0 || hh == 0)
                goto out;
            *w = ww;
            *h = hh;
            rc = 0;
            goto out;
        }
        i += 2 + len;
    }
out:
    return rc;
}

static int gif_size(const unsigned char *d, size_t n, int *w, int *h)
{
    int rc = -1;
    if (n < 10 || (memcmp(d, "GIF87a", 6) != 0 && memcmp(d, "GIF89a", 6) != 0))
        goto out;
    *w = d[6] | d[7] << 8;
    *h = d[8] | d[9] << 8;
    rc = 0;
out:
    return rc;
}

/* A number at S (an SVG length): digits with an optional fraction and a "px"
 * unit.  Other units (em, %, mm) give 0: the size is then unknown. */
static int svg_number(const char *s, const char *end)
{
    double v = 0;
    int digits = 0;
    while (s < end && *s >= '0' && *s <= '9' && digits < 7) {
        v = v * 10 + (*s++ - '0');
        digits++;
    }
    if (!digits)
        return 0;
    if (s < end && *s == '.') {
        s++;
        double f = 0.1;
        while (s < end && *s >= '0' && *s <= '9') {
            v += (*s++ - '0') * f;
            f /= 10;
        }
    }
    if (s + 2 <= end && s[0] == 'p' && s[1] == 'x')
        s += 2;
    if (s < end && *s != '"' && *s != '\'' && *s != ' ')
        return 0;
    return (int)(v + 0.5);
}

/* The value of attribute NAME in the tag [TAG, END), or NULL. */
static const char *svg_attr(const char *tag, const char *end, const char *name, const char **vend)
{
    size_t nl = strlen(name);
    for (const char *p = tag; p + nl + 2 < end; p++) {
        if ((p[-1] == ' ' || p[-1] == '\n' || p[-1] == '\t' || p[-1] == '\r') &&
            memcmp(p, name, nl) == 0) {
            const char *q = p + nl;
            while (q < end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r'))
                q++;
            if (q >= end || *q != '=')
                continue;
            q++;
            while (q < end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r'))
                q++;
            if (q >= end || (*q != '"' && *q != '\''))
                continue;
            char quote = *q++;
            const char *e = memchr(q, quote, (size_t)(end - q));
            if (!e)
                return NULL;
            *vend = e;
            return q;
        }
    }
    return NULL;
}

static const char *find_bytes(const char *h, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(h + i, needle, k) == 0)
            return h + i;
    return NULL;
}

static int svg_size(const unsigned char *ud, size_t n, int *w, int *h)
{
    const char *d = (const char *)ud;
    int rc = -1;
    size_t i = dg_utf8_bom_len(d, n);
    while (i < n && (d[i] == ' ' || d[i] == '\t' || d[i] == '\n' || d[i] == '\r'))
        i++;
    if (i >= n || d[i] != '<')
        goto out;
    size_t lim = n < DG_SVG_SNIFF ? n : DG_SVG_SNIFF;
    const char *tag = find_bytes(d + i, lim - i, "<svg");
    if (!tag)
        goto out;
    /* Only a prolog may come before it: "<?xml", "<!--", "<!DOCTYPE". */
    if (tag != d + i && memcmp(d + i, "<?xml", n - i < 5 ? n - i : 5) != 0 &&
        memcmp(d + i, "<!", n - i < 2 ? n - i : 2) != 0)
        goto out;
    const char *end = memchr(tag, '>', (size_t)(d + n - tag));
    if (!end)
        goto out;
    *w = *h = 0;
    const char *ve;
    const char *v = svg_attr(tag + 4, end, "width", &ve);
    if (v)
        *w = svg_number(v, ve);
    v = svg_attr(tag + 4, end, "height", &ve);
    if (v)
        *h = svg_number(v, ve);
    if (*w == 0 || *h == 0) {
        /* viewBox="minx miny width height" gives the intrinsic ratio and size. */
        v = svg_attr(tag + 4, end, "viewBox", &ve);
        double box[4] = {0, 0, 0, 0};
        if (v) {
            char tmp[128];
            size_t l = (size_t)(ve - v) < sizeof tmp - 1 ? (size_t)(ve - v) : sizeof tmp - 1;
            memcpy(tmp, v, l);
            tmp[l] = 0;
            for (char *c = tmp; *c; c++)
                if (*c == ',')
                    *c = ' ';
            if (sscanf(tmp, "%lf %lf %lf %lf", &box[0], &box[1], &box[2], &box[3]) == 4 &&
                box[2] > 0 && box[3] > 0 && box[2] < 1e6 && box[3] < 1e6) {
                *w = (int)(box[2] + 0.5);
                *h = (int)(box[3] + 0.5);
            }
        }
    }
    rc = 0;
out:
    return rc;
}

/* libpng writes into a dg_buf. */
static void png_write_buf(png_structp png, png_bytep data, png_size_t len)
{
    dg_buf_put((dg_buf *)png_get_io_ptr(png), data, len);
}

static void png_flush_none(png_structp png)
{
    (void)png;
}

static void png_error_quiet(png_structp png, png_const_charp msg)
{
    (void)msg;
    png_longjmp(png, 1);
}

static void png_warning_quiet(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

/* Writes ROWS through PNG and INFO.  libpng reports errors by longjmp: it
 * lands here, in a function with no local state to lose, and becomes -1. */
static int png_write_all(png_structp png, png_infop info, dg_buf *out, png_bytep *rows, int w,
                          int h, bool opaque)
{
    if (setjmp(png_jmpbuf(png))) /* libpng's only error path */
        return -1;
    png_set_write_fn(png, out, png_write_buf, png_flush_none);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8,
                 opaque ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_RGBA, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, 9);
    png_write_info(png, info);
    png_write_image(png, rows);
    png_write_end(png, info);
    return 0;
}

/* Encodes RGBA pixels as PNG (RGB when fully opaque).  No time or text
 * chunks: the same pixels always give the same bytes. */
static int png_encode(dg_buf *out, uint8_t *rgba, int w, int h)
{
    png_infop info = NULL;
    png_bytep *rows = NULL;
    int rc = -1;
    bool opaque = true;
    size_t npx = (size_t)w * (size_t)h;
    for (size_t i = 0; i < npx && opaque; i++)
        opaque = rgba[i * 4 + 3] == 255;
    if (opaque) /* pack RGB in place */
        for (size_t i = 0; i < npx; i++)
            memmove(rgba + i * 3, rgba + i * 4, 3);
    size_t stride = (size_t)w * (opaque ? 3u : 4u);

    png_structp png =
        png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, png_error_quiet, png_warning_quiet);
    if (!png)
        goto out;
    info = png_create_info_struct(png);
    if (!info)
        goto out;
    rows = malloc(sizeof *rows * (size_t)h);
    if (!rows)
        goto out;
    for (int y = 0; y < h; y++)
        rows[y] = rgba + (size_t)y * stride;
    rc = png_write_all(png, info, out, rows, w, h, opaque);
out:
    if (png)
        png_destroy_write_struct(&png, info ? &info : NULL);
    free(rows);
    return rc;
}

static int webp_to_png(dg_image *out, dg_arena *a, const unsigned char *data, size_t len)
{
    int w = 0, h = 0, rc = -1;
    uint8_t *px = NULL;
    dg_buf b = {0};
    if (!WebPGetInfo(data, len, &w, &h) || w <= 0 || h <= 0 ||
        (uint64_t)w * (uint64_t)h > DG_IMAGE_MAX_PIXELS)
        goto out;
    px = WebPDecodeRGBA(data, len, &w, &h);
    if (!px || png_encode(&b, px, w, h) != 0)
        goto out;
    out->len = b.len;
    out->data = (const unsigned char *)dg_buf_to_arena(&b, a);
    out->type = DG_IMG_PNG;
    out->media_type = "image/png";
    out->ext = "png";
    out->width = w;
    out->height = h;
    rc = 0;
out:
    if (px)
        WebPFree(px);
    dg_buf_free(&b); /* emptied by dg_buf_to_arena when it worked */
    return rc;
}

int dg_image_from_memory(dg_image *out, dg_arena *a, const unsigned char *data, size_t len)
{
    dg_image img = {0};
    int rc = -1;
    if (!data)
        goto out;
    if (len >= 12 && memcmp(data, "RIFF", 4) == 0 && memcmp(data + 8, "WEBP", 4) == 0) {
        if (webp_to_png(&img, a, data, len) != 0)
            goto out;
        *out = img;
        rc = 0;
        goto out;
    }
    if (png_size(data, len, &img.width, &img.height) == 0) {
        img.type = DG_IMG_PNG;
        img.media_type = "image/png";
        img.ext = "png";
    } else if (jpeg_size(data, len, &img.width, &img.height) == 0) {
        img.type = DG_IMG_JPEG;
        img.media_type = "image/jpeg";
        img.ext = "jpg";
    } else if (gif_size(data, len, &img.width, &img.height) == 0) {
        img.type = DG_IMG_GIF;
        img.media_type = "image/gif";
        img.ext = "gif";
    } else if (svg_size(data, len, &img.width, &img.height) == 0) {
        img.type = DG_IMG_SVG;
        img.media_type = "image/svg+xml";
        img.ext = "svg";
    } else {
        goto out;
    }
    unsigned char *copy = dg_alloc(a, len + 1);
    memcpy(copy, data, len);
    img.data = copy;
    img.len = len;
    *out = img;
    rc = 0;
out:
    return rc;
}

int dg_image_load(dg_image *out, dg_arena *a, const char *abspath)
{
    struct stat st;
    char *data = NULL;
    size_t len = 0;
    int rc = -1;
    if (stat(abspath, &st) != 0 || !S_ISREG(st.st_mode) ||
        (uintmax_t)st.st_size > DG_IMAGE_MAX_FILE)
        goto out;
    if (dg_read_file(abspath, &data, &len) != 0)
        goto out;
    rc = dg_image_from_memory(out, a, (const unsigned char *)data, len);
out:
    free(data);
    return rc;
}

/* Pixel count beyond which a PNG is not decoded: 64 Mpx is a poster, not a
 * blog image, and keeps a hostile header from asking for gigabytes. */
#define DG_MAX_DECODE_PIXELS (64u * 1024 * 1024)

int dg_image_decode_png(dg_pixels *out, dg_arena *a, const dg_image *img, int max_width)
{
    int rc = -1;
    uint8_t *src = NULL;
    size_t *cols = NULL;
    png_image im;
    memset(out, 0, sizeof *out);
    memset(&im, 0, sizeof im);
    im.version = PNG_IMAGE_VERSION;
    if (img->type != DG_IMG_PNG || !png_image_begin_read_from_memory(&im, img->data, img->len))
        goto out;
    if (im.width == 0 || im.height == 0 || (uint64_t)im.width * im.height > DG_MAX_DECODE_PIXELS)
        goto out;
    bool has_alpha = (im.format & PNG_FORMAT_FLAG_ALPHA) != 0;
    size_t w = im.width, h = im.height, ow = w, oh = h;
    if (max_width > 0 && w > (size_t)max_width) {
        ow = (size_t)max_width;
        oh = h * ow / w;
        if (oh == 0)
            oh = 1;
    }
    if (!has_alpha && ow == w) { /* the common screenshot: straight in */
        im.format = PNG_FORMAT_RGB;
        out->rgb = dg_allocn(a, w * h, 3);
        if (!png_image_finish_read(&im, NULL, out->rgb, 0, NULL)) {
            out->rgb = NULL;
            goto out;
        }
        out->width = (int)w;
        out->height = (int)h;
        rc = 0;
        goto out;
    }
    size_t ch = has_alpha ? 4 : 3;
    im.format = has_alpha ? PNG_FORMAT_RGBA : PNG_FORMAT_RGB;
    src = malloc(w * h * ch);
    cols = malloc((ow + 1) * sizeof *cols);
    if (!src || !cols || !png_image_finish_read(&im, NULL, src, 0, NULL))
        goto out;
    out->rgb = dg_allocn(a, ow * oh, 3);
    out->alpha = has_alpha ? dg_allocn(a, ow * oh, 1) : NULL;
    bool opaque = true;
    /* Scale down by a box filter: each output pixel averages the source
     * pixels it covers, colour weighted by alpha so transparent pixels do
     * not darken edges (integer arithmetic: the result is reproducible).
     * Unscaled, each box is one pixel. */
    for (size_t x = 0; x <= ow; x++)
        cols[x] = x * w / ow;
    for (size_t y = 0; y < oh; y++) {
        size_t y0 = y * h / oh, y1 = (y + 1) * h / oh;
        if (y1 <= y0)
            y1 = y0 + 1;
        for (size_t x = 0; x < ow; x++) {
            size_t x0 = cols[x], x1 = cols[x + 1] > x0 ? cols[x + 1] : x0 + 1;
            uint64_t sum[4] = {0, 0, 0, 0};
            for (size_t sy = y0; sy < y1; sy++) {
                const uint8_t *p = src + (sy * w + x0) * ch;
                for (size_t sx = x0; sx < x1; sx++, p += ch) {
                    unsigned al = has_alpha ? p[3] : 255;
                    sum[0] += (uint64_t)p[0] * al;
                    sum[1] += (uint64_t)p[1] * al;
                    sum[2] += (uint64_t)p[2] * al;
                    sum[3] += al;
                }
            }
            size_t o = y * ow + x;
            for (int c = 0; c < 3; c++)
                out->rgb[3 * o + c] = (unsigned char)(sum[3] ? sum[c] / sum[3] : 255);
            if (out->alpha) {
                unsigned char al = (unsigned char)(sum[3] / ((y1 - y0) * (x1 - x0)));
                out->alpha[o] = al;
                opaque &= al == 255;
            }
        }
    }
    if (opaque)
        out->alpha = NULL;
    out->width = (int)ow;
    out->height = (int)oh;
    rc = 0;
out:
    free(src);
    free(cols);
    png_image_free(&im); /* safe when nothing was read, or all of it */
    return rc;
}
