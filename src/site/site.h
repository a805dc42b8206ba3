/* site.h - the site: its configuration and all its posts, in date order.
 * Stage files: src/site/site.c (scan and assembly), siteconfig.c (the site's
 * own settings), glob.c (--include, --exclude), dates.c and gitdates.c (dates
 * from outside the posts).
 */
#ifndef DIGEST_SITE_H
#define DIGEST_SITE_H

#include <stdbool.h>
#include <stddef.h>

#include "digest/diag.h"
#include "digest/digest.h"
#include "site/dates.h" /* the dates table the options name */
#include "site/glob.h"  /* the patterns the options name */
#include "site/post.h"
#include "site/siteconfig.h" /* the languages table */
#include "base/base.h"

typedef struct dg_site {
    const char *root;       /* absolute, symlinks resolved */
    const char *root_arg;   /* as given on the command line, for diagnostics */
    const char *posts_dir;  /* absolute */
    const char *title;      /* _config.yml title, else the folder name */
    const char *author;     /* may be NULL */
    const char *lang;       /* BCP 47, normalized: _config.yml lang/language, else "zh-CN"
                             * ("en" when the posts are plainly not CJK) */
    /* The site's languages table (Hugo's languages:), in weight order;
     * empty for a site that declares none. */
    const dg_site_language *languages;
    size_t nlanguages;
    /* Every language of the posts (dg_post.lang): the site's first, then
     * those of the table, then the others in tag order. */
    const char **langs;
    size_t nlangs;
    const char *description;
    const char *url;        /* the site's address from its configuration (may be NULL) */
    /* Every post that parsed, is published and has a date, ordered by
     * date-time then relpath. */
    dg_post **posts;
    size_t nposts;
    size_t nskipped;        /* left out: broken, unpublished or undated */
    /* Every post that parsed, in relpath order, whether published and dated
     * or not (digest check looks at all of them). */
    dg_post **all;
    size_t nall;
    const char *templates_dir; /* absolute; from digest.yaml "templates:", else NULL
                                * (then SITE/_digest/templates, see template.h) */
    dg_arena *arena;
} dg_site;



typedef struct dg_site_opts {
    const char *root;
    const char *posts_dir;      /* relative to ROOT (or absolute); NULL: by site shape */
    /* Globs on the post's path relative to the posts folder AND to the site
     * root (either matching counts): '*' and '?' stay within one path
     * component, "**" crosses folders.  A post is read when it matches some
     * include (or there are none) and no exclude. */
    const char *const *include; size_t ninclude;
    const char *const *exclude; size_t nexclude;
    const char *dates_file;     /* CSV "path,YYYY-MM-DD" relative to ROOT; NULL: none */
    const char *dates_origin;   /* where DATES rows come from, for diagnostics */
    const dg_date_row *dates;   size_t ndates; /* from the configuration */
    dg_date_from date_from;
    const char *title, *author, *lang; /* override _config.yml and co when set */
    const char *templates_dir;  /* relative to ROOT or absolute; NULL: none */
    const dg_lang_title *languages; size_t nlanguages; /* digest.yaml's, over the
                                 * site configuration's languages table */
    bool lazy_html;             /* render a post's Markdown only when
                                 * dg_site_month_posts hands it out (false: at
                                 * once, as digest check needs) */
} dg_site_opts;

/* Like dg_site_open with every option of O.  A post's date is, first that
 * answers: its metadata, its file or folder name, the dates table (the
 * config's rows, then DATES_FILE), then DATE_FROM. */
int dg_site_open_opts(dg_site **out, const dg_site_opts *o, dg_diag *d);

/* Scans ROOT.  POSTS_DIR (relative to ROOT) overrides the default "_posts".
 * Posts are *.md and *.markdown files under it, recursively, in sorted order.
 * Problems with single posts are reported and the post left out; returns -1
 * only when the site itself is unusable (no such folder), after reporting. */
int dg_site_open(dg_site **out, const char *root, const char *posts_dir, dg_diag *d);
void dg_site_free(dg_site *s);

/* The months that have posts, ascending ("YYYY-MM"); strings and array live
 * in the site's arena. */
const char **dg_site_months(const dg_site *s, size_t *n);
/* MONTH's posts, with their html.  A site opened with lazy_html is not
 * written: the posts handed out are copies in A (the array too), their html
 * rendered into A, and they live as long as A; their other strings stay in
 * the site's arena.  Otherwise the site's own posts and array.  Safe from
 * several threads, each with its own A.  NULL (and *N = 0) for a month
 * without posts. */
dg_post **dg_site_month_posts(const dg_site *s, const char *month, dg_arena *a, size_t *n);
/* The same posts with their metadata alone: a lazily opened site renders no
 * Markdown for them (html may be NULL).  For listing. */
dg_post **dg_site_month_posts_meta(const dg_site *s, const char *month, size_t *n);

#endif
