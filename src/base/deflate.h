/* deflate.h - a buffer deflated by libdeflate into malloc'd memory: the one
 * way the writers compress (the PDF's streams, fonts and images, the cover's
 * PNG, the EPUB's text).  libdeflate rather than zlib: at the same speed its
 * output is smaller, and its higher levels (near-optimal parsing) take a few
 * percent more off the fonts, most of a PDF's bytes. */
#ifndef DIGEST_BASE_DEFLATE_H
#define DIGEST_BASE_DEFLATE_H

#include <stddef.h>

struct libdeflate_compressor;

typedef enum dg_deflate_format {
    DG_DEFLATE_ZLIB, /* a zlib stream (PDF /FlateDecode, PNG IDAT) */
    DG_DEFLATE_RAW,  /* bare deflate (a ZIP entry) */
} dg_deflate_format;

/* Deflates the LEN bytes of IN with ZC as FMT into *OUT (malloc'd), *OUT_LEN
 * bytes.  0, or -1 when it did not work (nothing to free). */
int dg_deflate(struct libdeflate_compressor *zc, dg_deflate_format fmt, const void *in, size_t len,
               unsigned char **out, size_t *out_len);

#endif
