/* fuzz_template.c - template expansion on arbitrary text: no crash, no read
 * past the end, and a template without braces comes back unchanged. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "epub/template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const dg_var vars[] = {
        {"title", "A & <B>"}, {"body", "<p>x</p>"}, {"empty", ""}, {"lang", "zh-CN"},
    };
    char *tpl = malloc(size + 1);
    if (!tpl)
        return 0;
    memcpy(tpl, data, size);
    tpl[size] = '\0';
    dg_arena *a = dg_arena_new();
    char *out = dg_template_expand(a, tpl, vars, sizeof vars / sizeof vars[0]);
    if (!strstr(tpl, "{{") && strcmp(out, tpl) != 0)
        abort();
    dg_arena_free(a);
    free(tpl);
    return 0;
}
