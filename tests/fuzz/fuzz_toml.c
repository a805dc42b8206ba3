/* fuzz_toml.c - the TOML reader on arbitrary bytes, alone and as +++ front
 * matter through dg_post_parse. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "site/post.h"
#include "site/toml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dg_arena *a = dg_arena_new();
    dg_diag *d = dg_diag_new(NULL);
    dg_toml_kv *kv = NULL;
    size_t n = 0;
    dg_toml_parse(&kv, &n, a, "fuzz.toml", (const char *)data, size, 0, d);
    for (size_t i = 0; i < n; i++) {
        if (!kv[i].key || !kv[i].str || !kv[i].table)
            abort();
        for (size_t k = 0; k < kv[i].nitems; k++)
            if (!kv[i].items[k])
                abort();
    }
    char *doc = malloc(size + 16);
    if (!doc)
        abort();
    memcpy(doc, "+++\n", 4);
    memcpy(doc + 4, data, size);
    memcpy(doc + 4 + size, "\n+++\nbody\n", 10);
    dg_post *p = NULL;
    if (dg_post_parse(&p, a, "fuzz.md", "posts/12-fuzz.md", "/tmp", doc, size + 14, d) == 0 &&
        (!p->title || !p->html))
        abort();
    free(doc);
    dg_diag_free(d);
    dg_arena_free(a);
    return 0;
}
