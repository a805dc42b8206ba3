/* fuzz_dates.c - the dates table parser (--dates FILE). */
#include <stdint.h>
#include <stdlib.h>

#include "site/site.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dg_arena *a = dg_arena_new();
    dg_diag *d = dg_diag_new(NULL);
    dg_vec rows = {0};
    dg_dates_parse(a, (const char *)data, size, "dates.csv", &rows, d);
    dg_vec_free(&rows);
    dg_diag_free(d);
    dg_arena_free(a);
    return 0;
}
