/* deflate.c - a buffer deflated by libdeflate (deflate.h). */
#include "base/deflate.h"

#include <stdbool.h>
#include <stdlib.h>

#include <libdeflate.h>

int dg_deflate(struct libdeflate_compressor *zc, dg_deflate_format fmt, const void *in, size_t len,
               unsigned char **out, size_t *out_len)
{
    bool zlib = fmt == DG_DEFLATE_ZLIB;
    size_t cap =
        zlib ? libdeflate_zlib_compress_bound(zc, len) : libdeflate_deflate_compress_bound(zc, len);
    /* the bound is the input's size or more; a large buffer is mapped by the
     * allocator, so its pages past the output are never touched */
    unsigned char *buf = malloc(cap ? cap : 1);
    if (!buf)
        return -1;
    size_t n = zlib ? libdeflate_zlib_compress(zc, in, len, buf, cap)
                    : libdeflate_deflate_compress(zc, in, len, buf, cap);
    if (n == 0) {
        free(buf);
        return -1;
    }
    /* give back what the output does not use */
    unsigned char *fit = n < cap / 2 ? realloc(buf, n) : NULL;
    *out = fit ? fit : buf;
    *out_len = n;
    return 0;
}
