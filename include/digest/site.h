/* site.h - the site: its configuration and all its posts, in date order.
 * Stage file: src/site.c.
 */
#ifndef DIGEST_SITE_H
#define DIGEST_SITE_H

#include <stddef.h>

#include "digest/diag.h"
#include "digest/post.h"
#include "digest/util.h"

typedef struct dg_site {
    const char *root;       /* absolute, symlinks resolved */
    const char *root_arg;   /* as given on the command line, for diagnostics */
    const char *posts_dir;  /* absolute */
    const char *title;      /* _config.yml title, else the folder name */
    const char *author;     /* may be NULL */
    const char *lang;       /* BCP 47: _config.yml lang/language, else "zh-CN"
                             * ("en" when the posts are plainly not CJK) */
    const char *description;
    /* Every post that parsed, is published and has a date, ordered by
     * date-time then relpath. */
    dg_post **posts;
    size_t nposts;
    size_t nskipped;        /* left out: broken, unpublished or undated */
    dg_arena *arena;
} dg_site;

/* Scans ROOT.  POSTS_DIR (relative to ROOT) overrides the default "_posts".
 * Posts are *.md and *.markdown files under it, recursively, in sorted order.
 * Problems with single posts are reported and the post left out; returns -1
 * only when the site itself is unusable (no such folder), after reporting. */
int dg_site_open(dg_site **out, const char *root, const char *posts_dir, dg_diag *d);
void dg_site_free(dg_site *s);

/* The months that have posts, ascending ("YYYY-MM"), and a month's posts. */
/* Strings and arrays live in the site's arena. */
const char **dg_site_months(const dg_site *s, size_t *n);
dg_post **dg_site_month_posts(const dg_site *s, const char *month, size_t *n);

#endif
