/* fuzz_markdown.c - cmark-gfm rendering with CJK soft-break removal and the
 * first-H1 extraction on arbitrary bytes.  The first byte picks the start
 * line and whether to take the H1. */
#include <stdint.h>
#include <stdlib.h>

#include "site/post.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    dg_arena *a = dg_arena_new();
    int first_line = 1 + data[0] % 64;
    bool take_h1 = data[0] & 0x80;
    char *h1 = NULL;
    char *html = dg_markdown_render(a, (const char *)data + 1, size - 1, first_line, take_h1, &h1);
    if (!html || (!take_h1 && h1))
        abort();
    dg_arena_free(a);
    return 0;
}
