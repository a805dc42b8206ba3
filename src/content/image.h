/* image.h - local images: sniffed, measured, converted to what EPUB and PDF take.
 * Stage file: src/content/image.c (libpng, libjpeg, libwebp).
 */
#ifndef DIGEST_IMAGE_H
#define DIGEST_IMAGE_H

#include <stddef.h>

#include "digest/diag.h"
#include "base/base.h"

typedef enum dg_image_type {
    DG_IMG_UNKNOWN = 0, DG_IMG_PNG, DG_IMG_JPEG, DG_IMG_GIF, DG_IMG_SVG
} dg_image_type;

typedef struct dg_image {
    dg_image_type type;      /* after conversion: WebP arrives here as PNG */
    const char *media_type;  /* "image/png", ... */
    const char *ext;         /* "png", "jpg", "gif", "svg" */
    const unsigned char *data;
    size_t len;
    int width, height;       /* pixels; 0 when unknown (SVG without size) */
} dg_image;

/* Sniffs DATA by its bytes (not by the name); WebP is decoded and re-encoded
 * as PNG (deterministically).  Returns 0, or -1 when the bytes are no image
 * this program can use (nothing is reported: the caller knows the path). */
int dg_image_from_memory(dg_image *out, dg_arena *a, const unsigned char *data, size_t len);
/* Reads and converts a file. -1 when unreadable or not an image. */
int dg_image_load(dg_image *out, dg_arena *a, const char *abspath);

/* Decoded pixels of a PNG, for writers that cannot take every PNG as it is
 * (libharu 2.3 refuses some ordinary RGBA files).  RGB is 3 bytes a pixel;
 * ALPHA is 1 byte a pixel, or NULL when the image is opaque.  An image wider
 * than MAX_WIDTH (0: no limit) is scaled down (box filter) to MAX_WIDTH,
 * keeping its aspect.  Returns 0, or -1 when the PNG cannot be decoded. */
typedef struct dg_pixels {
    unsigned char *rgb, *alpha;  /* in the arena */
    int width, height;
} dg_pixels;
int dg_image_decode_png(dg_pixels *out, dg_arena *a, const dg_image *img, int max_width);

#endif
