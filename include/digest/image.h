/* image.h - local images: sniffed, measured, converted to what EPUB and PDF take.
 * Stage file: src/image.c (libpng, libjpeg, libwebp).
 */
#ifndef DIGEST_IMAGE_H
#define DIGEST_IMAGE_H

#include <stddef.h>

#include "digest/diag.h"
#include "digest/util.h"

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

#endif
