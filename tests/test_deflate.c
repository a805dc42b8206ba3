/* test_deflate.c - dg_deflate, the one deflater of the writers (the PDF's
 * streams: fonts, CIDToGIDMaps, images, page content; the cover's PNG; the
 * EPUB's text): what it writes inflates back to its input, as a zlib stream
 * or bare deflate, and it gives back the room it does not use. */
#include <libdeflate.h>
#include <stdlib.h>

#include "base/deflate.h"
#include "test.h"

static void roundtrip_as(const unsigned char *in, size_t len, int level, dg_deflate_format fmt)
{
    struct libdeflate_compressor *zc = libdeflate_alloc_compressor(level);
    struct libdeflate_decompressor *zd = libdeflate_alloc_decompressor();
    CHECK(zc && zd);
    unsigned char *z = NULL;
    size_t zlen = 0;
    CHECK(dg_deflate(zc, fmt, in, len, &z, &zlen) == 0);
    CHECK(z != NULL && zlen > 0);
    unsigned char *back = malloc(len ? len : 1);
    size_t got = 0;
    enum libdeflate_result r = fmt == DG_DEFLATE_ZLIB
                                   ? libdeflate_zlib_decompress(zd, z, zlen, back, len, &got)
                                   : libdeflate_deflate_decompress(zd, z, zlen, back, len, &got);
    CHECK(back && r == LIBDEFLATE_SUCCESS);
    CHECK(got == len);
    CHECK(len == 0 || memcmp(back, in, len) == 0);
    free(back);
    free(z);
    libdeflate_free_decompressor(zd);
    libdeflate_free_compressor(zc);
}

static void roundtrip(const unsigned char *in, size_t len, int level)
{
    roundtrip_as(in, len, level, DG_DEFLATE_ZLIB);
    roundtrip_as(in, len, level, DG_DEFLATE_RAW);
}

int main(void)
{
    /* a CIDToGIDMap-like run of zeros with a few steps, and noise */
    size_t n = 1 + 2 * 65536;
    unsigned char *map = calloc(n, 1);
    unsigned char *noise = malloc(n);
    CHECK(map && noise);
    for (size_t i = 0; i < n; i += 997)
        map[i] = 1;
    unsigned x = 12345;
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        noise[i] = (unsigned char)(x >> 16);
    }
    roundtrip(map, n, 6);
    roundtrip(map, n, 10);
    roundtrip(noise, n, 9);
    roundtrip(noise, 1, 9);
    roundtrip(map, 0, 6);

    /* mostly zeros: far smaller than the input */
    struct libdeflate_compressor *zc = libdeflate_alloc_compressor(6);
    unsigned char *z = NULL;
    size_t zlen = 0;
    CHECK(dg_deflate(zc, DG_DEFLATE_ZLIB, map, n, &z, &zlen) == 0);
    CHECK(zlen < n / 20);
    free(z);
    libdeflate_free_compressor(zc);
    free(map);
    free(noise);
    TEST_DONE();
}
