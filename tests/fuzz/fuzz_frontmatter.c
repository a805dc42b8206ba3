/* fuzz_frontmatter.c - front matter and dates on arbitrary bytes: directly,
 * and through dg_post_parse (text repair first, as in the tool). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "site/post.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dg_arena *a = dg_arena_new();
    dg_diag *d = dg_diag_new(NULL);
    const char *text = (const char *)data;

    dg_post *p = dg_alloc(a, sizeof *p);
    size_t body = 0;
    if (dg_frontmatter_parse(p, a, "fuzz.md", text, size, &body, d) == 0 && body > size)
        abort();

    dg_post *q = NULL;
    if (dg_post_parse(&q, a, "fuzz.md", "_posts/2025-03-02-fuzz.md", "/tmp", text, size, d) == 0) {
        char m[8];
        if (!q->title || !q->html || q->body_line < 1)
            abort();
        dg_post_month(q, m);
    }

    /* The first line, as a date. */
    size_t n = 0;
    while (n < size && n < 64 && data[n] != '\n')
        n++;
    char *s = dg_strndup(a, text, n);
    dg_datetime dt;
    if (dg_date_parse(s, &dt) == 0) {
        if (dt.month < 1 || dt.month > 12 || dt.day < 1 || dt.day > 31)
            abort();
        (void)dg_datetime_epoch(&dt);
        (void)dg_datetime_cmp(&dt, &dt);
    }
    dg_diag_free(d);
    dg_arena_free(a);
    return 0;
}
