/* test_image.c - sniffing, measuring, WebP -> PNG, hostile inputs. */
#include <png.h>
#include <stdlib.h>
#include <string.h>

#include "content/image.h"
#include "test.h"

static dg_arena *A;

static const char *fixture(const char *name)
{
    return dg_sprintf(A, "%s/fixtures/content/%s", TEST_SOURCE_DIR, name);
}

static void check_file(const char *name, dg_image_type type, const char *ext, int w, int h)
{
    dg_image img;
    int rc = dg_image_load(&img, A, fixture(name));
    CHECK(rc == 0);
    if (rc != 0) {
        fprintf(stderr, "  (%s)\n", name);
        return;
    }
    CHECK(img.type == type);
    CHECK_STR(img.ext, ext);
    CHECK(img.width == w);
    CHECK(img.height == h);
    if (img.width != w || img.height != h)
        fprintf(stderr, "  %s: %dx%d\n", name, img.width, img.height);
}

/* Decodes PNG bytes back with libpng: size and first pixel. */
static int png_decode_check(const unsigned char *data, size_t len, int *w, int *h, unsigned char px[4])
{
    png_image im;
    memset(&im, 0, sizeof im);
    im.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&im, data, len))
        return -1;
    im.format = PNG_FORMAT_RGBA;
    unsigned char *buf = malloc(PNG_IMAGE_SIZE(im));
    if (!buf || !png_image_finish_read(&im, NULL, buf, 0, NULL)) {
        free(buf);
        png_image_free(&im);
        return -1;
    }
    *w = (int)im.width;
    *h = (int)im.height;
    memcpy(px, buf, 4);
    free(buf);
    return 0;
}

static void test_webp(void)
{
    char *data;
    size_t len;
    CHECK(dg_read_file(fixture("tiny.webp"), &data, &len) == 0);
    dg_image a, b;
    CHECK(dg_image_from_memory(&a, A, (unsigned char *)data, len) == 0);
    CHECK(dg_image_from_memory(&b, A, (unsigned char *)data, len) == 0);
    CHECK(a.type == DG_IMG_PNG);
    CHECK_STR(a.media_type, "image/png");
    CHECK_STR(a.ext, "png");
    CHECK(a.width == 3 && a.height == 2);
    /* deterministic: same bytes every time */
    CHECK(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
    /* and a real PNG with the same pixels (lossless WebP: exact) */
    int w = 0, h = 0;
    unsigned char px[4] = {0};
    CHECK(png_decode_check(a.data, a.len, &w, &h, px) == 0);
    CHECK(w == 3 && h == 2);
    CHECK(px[0] == 0 && px[1] == 200 && px[2] == 255 && px[3] == 255);
    /* no tIME chunk */
    bool time_chunk = false;
    for (size_t i = 0; i + 4 <= a.len; i++)
        time_chunk |= memcmp(a.data + i, "tIME", 4) == 0;
    CHECK(!time_chunk);
    free(data);
}

static void test_hostile(void)
{
    static const unsigned char png_hdr[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    dg_image img;
    CHECK(dg_image_from_memory(&img, A, png_hdr, sizeof png_hdr) == -1);
    CHECK(dg_image_from_memory(&img, A, (const unsigned char *)"", 0) == -1);
    CHECK(dg_image_from_memory(&img, A, NULL, 0) == -1);
    CHECK(dg_image_from_memory(&img, A, (const unsigned char *)"\xff\xd8\xff", 3) == -1);
    /* JPEG with a marker length running past the end */
    static const unsigned char jpg[] = {0xff, 0xd8, 0xff, 0xe0, 0xff, 0xff, 0, 0};
    CHECK(dg_image_from_memory(&img, A, jpg, sizeof jpg) == -1);
    /* JPEG whose SOF is cut short */
    static const unsigned char jpg2[] = {0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00};
    CHECK(dg_image_from_memory(&img, A, jpg2, sizeof jpg2) == -1);
    CHECK(dg_image_from_memory(&img, A, (const unsigned char *)"GIF89a", 6) == -1);
    CHECK(dg_image_from_memory(&img, A, (const unsigned char *)"RIFF\0\0\0\0WEBPVP8 ", 16) == -1);
    CHECK(dg_image_from_memory(&img, A, (const unsigned char *)"hello world", 11) == -1);
    CHECK(dg_image_from_memory(&img, A, (const unsigned char *)"<html><body>", 12) == -1);
    /* truncated WebP */
    char *data;
    size_t len;
    CHECK(dg_read_file(fixture("tiny.webp"), &data, &len) == 0);
    for (size_t n = 0; n + 1 < len; n++)
        CHECK(dg_image_from_memory(&img, A, (unsigned char *)data, n) == -1 ||
              (img.width == 3 && img.height == 2));
    free(data);
    /* SVG sizes */
    const char *svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 120.5 60\"></svg>";
    CHECK(dg_image_from_memory(&img, A, (const unsigned char *)svg, strlen(svg)) == 0);
    CHECK(img.type == DG_IMG_SVG && img.width == 121 && img.height == 60);
    svg = "\xef\xbb\xbf<!-- c --><svg width=\"50%\" height=\"2em\"/>";
    CHECK(dg_image_from_memory(&img, A, (const unsigned char *)svg, strlen(svg)) == 0);
    CHECK(img.type == DG_IMG_SVG && img.width == 0 && img.height == 0);
    svg = "<svg width='12px' height='7'>";
    CHECK(dg_image_from_memory(&img, A, (const unsigned char *)svg, strlen(svg)) == 0);
    CHECK(img.width == 12 && img.height == 7);
    CHECK(dg_image_load(&img, A, fixture("notimage.png")) == -1);
    CHECK(dg_image_load(&img, A, fixture("does-not-exist.png")) == -1);
    CHECK(dg_image_load(&img, A, TEST_SOURCE_DIR) == -1); /* a folder */
}

/* PNG pixels for the PDF writer: decoded by libpng, scaled down by a box
 * filter when too wide, alpha kept only when some pixel is not opaque. */
static void test_decode_png(void)
{
    dg_image img;
    dg_pixels px;
    CHECK(dg_image_load(&img, A, fixture("tiny.png")) == 0);
    CHECK(dg_image_decode_png(&px, A, &img, 0) == 0);
    CHECK(px.width == 4 && px.height == 3 && px.rgb != NULL && px.alpha == NULL);
    CHECK(dg_image_decode_png(&px, A, &img, 2) == 0);
    CHECK(px.width == 2 && px.height == 1);
    /* a 2x1 RGBA image: one opaque red pixel, one transparent one */
    static const unsigned char rgba[] = {255, 0, 0, 255, 0, 0, 255, 0};
    png_image pi;
    memset(&pi, 0, sizeof pi);
    pi.version = PNG_IMAGE_VERSION;
    pi.width = 2;
    pi.height = 1;
    pi.format = PNG_FORMAT_RGBA;
    png_alloc_size_t n = 0;
    CHECK(png_image_write_get_memory_size(pi, n, 0, rgba, 0, NULL));
    unsigned char *mem = dg_alloc(A, n);
    CHECK(png_image_write_to_memory(&pi, mem, &n, 0, rgba, 0, NULL));
    dg_image rgba_img;
    CHECK(dg_image_from_memory(&rgba_img, A, mem, n) == 0);
    CHECK(dg_image_decode_png(&px, A, &rgba_img, 0) == 0);
    CHECK(px.alpha != NULL && px.alpha[0] == 255 && px.alpha[1] == 0);
    CHECK(px.rgb[0] == 255 && px.rgb[1] == 0 && px.rgb[2] == 0);
    /* not a PNG */
    CHECK(dg_image_load(&img, A, fixture("tiny.jpg")) == 0);
    CHECK(dg_image_decode_png(&px, A, &img, 0) == -1);
}

int main(void)
{
    A = dg_arena_new();
    check_file("tiny.png", DG_IMG_PNG, "png", 4, 3);
    check_file("tiny.jpg", DG_IMG_JPEG, "jpg", 5, 4);
    check_file("tiny.gif", DG_IMG_GIF, "gif", 2, 2);
    check_file("tiny.svg", DG_IMG_SVG, "svg", 40, 30);
    check_file("tiny.webp", DG_IMG_PNG, "png", 3, 2);
    test_webp();
    test_hostile();
    test_decode_png();
    dg_arena_free(A);
    TEST_DONE();
}
