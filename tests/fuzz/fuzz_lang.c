/* fuzz_lang.c - language tags and text detection (site/lang.h) on
 * arbitrary bytes: a normalized tag is itself normal (normalizing it again
 * gives it back) and fits; names give only known tags; counting never reads
 * past the text and counts no more letters than it has bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "site/lang.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    char out[DG_LANG_MAX], again[DG_LANG_MAX];
    if (dg_lang_normalize(s, size, out) == 0) {
        size_t n = strlen(out);
        if (n == 0 || n >= DG_LANG_MAX)
            abort();
        if (dg_lang_normalize(out, n, again) != 0 || strcmp(out, again) != 0)
            abort();
    } else if (out[0]) {
        abort();
    }
    dg_arena *a = dg_arena_new();
    const char *name = dg_lang_from_name(a, s, size);
    if (name && !dg_lang_known(name))
        abort();
    dg_lang_counts c;
    dg_lang_count(&c, s, size);
    if (c.latin + c.han + c.kana + c.hangul > size)
        abort();
    if (!dg_lang_detect(&c, name ? name : "zh-CN"))
        abort();
    dg_arena_free(a);
    return 0;
}
