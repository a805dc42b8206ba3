/* site.c - the site: _config.yml and the posts folder. */
#include <stdlib.h>

#include "digest/site.h"

int dg_site_open(dg_site **out, const char *root, const char *posts_dir, dg_diag *d)
{
    *out = NULL;
    dg_report(d, DG_ERROR, root, 0, 0, NULL, 0, "not implemented yet");
    return -1;
}

void dg_site_free(dg_site *s)
{
    if (s)
        dg_arena_free(s->arena);
}

const char **dg_site_months(const dg_site *s, size_t *n)
{
    *n = 0;
    return NULL;
}

dg_post **dg_site_month_posts(const dg_site *s, const char *month, size_t *n)
{
    *n = 0;
    return NULL;
}
