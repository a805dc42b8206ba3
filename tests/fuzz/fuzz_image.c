/* fuzz_image.c - image sniffing, measuring and WebP conversion on arbitrary
 * bytes. */
#include <stdint.h>
#include <stdlib.h>

#include "content/image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dg_arena *a = dg_arena_new();
    dg_image img;
    if (dg_image_from_memory(&img, a, data, size) == 0) {
        if (!img.data || !img.ext || !img.media_type || img.width < 0 || img.height < 0)
            abort();
    }
    dg_arena_free(a);
    return 0;
}
