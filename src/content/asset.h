/* asset.h - an image reference of a post becomes an asset of the book.
 *
 * One rule for every stage: the sanitizer (content.c) packs what
 * dg_local_image finds, and digest check (check.c) warns about what it does
 * not find, so the two always agree.  A reference is, in this order:
 *   - a web address (http:, https:, "//host"): remote (fetch.h);
 *   - a data: URL: decoded and packed;
 *   - another URL (file:, ftp:, ...): refused;
 *   - else a local path, resolved by dg_local_image.
 */
#ifndef DIGEST_CONTENT_ASSET_H
#define DIGEST_CONTENT_ASSET_H

#include <stdbool.h>

#include "base/base.h"
#include "content/registry.h"
#include "digest/diag.h"
#include "site/post.h"

typedef enum dg_ref_kind {
    DG_REF_WEB,   /* http(s) or protocol-relative */
    DG_REF_DATA,  /* data: URL */
    DG_REF_OTHER, /* any other scheme: neither a file nor a web address */
    DG_REF_LOCAL, /* a path (with or without a Liquid prefix) */
} dg_ref_kind;

/* What kind of reference SRC is (leading and trailing spaces ignored). */
dg_ref_kind dg_ref_kind_of(const char *src);

typedef enum dg_local_status {
    DG_LOCAL_FOUND,    /* a file inside the site: *PATH is its real path */
    DG_LOCAL_NO_FILE,  /* the reference names no file ("#x", "{{ site.url }}") */
    DG_LOCAL_MISSING,  /* no such file */
    DG_LOCAL_NOT_FILE, /* there, inside the site, but no regular file (a folder) */
    DG_LOCAL_OUTSIDE,  /* resolves outside the site: "../", a symlink, an absolute path */
} dg_local_status;

/* Resolves the local image reference SRC (as written in the HTML, entities
 * decoded) to a file inside SITE_ROOT (absolute, symlinks resolved):
 *   - Liquid prefixes are dropped: "{{ site.baseurl }}/img/a.png" is
 *     "/img/a.png", and so is "{{site.url}}{{site.baseurl}}/img/a.png", also
 *     as cmark writes it for a Markdown image ("%7B%7Bsite.url%7D%7D...");
 *   - ?query and #fragment are dropped, %XX decoded;
 *   - "/x" is SITE_ROOT/x, then, when that is not there, the absolute path
 *     /x itself (a path written out in full: it must still lie in the site);
 *   - a relative path is resolved in POST_DIR; with HEADER (a post's
 *     header-img, as Jekyll themes do) in SITE_ROOT first, then in POST_DIR;
 *   - the real path (symlinks resolved) must lie inside SITE_ROOT.
 * On DG_LOCAL_FOUND *PATH is the file's real path, in A; else NULL. */
dg_local_status dg_local_image(dg_arena *a, const char *site_root, const char *post_dir,
                               const char *src, bool header, const char **path);

/* Where the images of one chapter are resolved and registered. */
/* A warning about post P at Markdown line LINE (with the line quoted), or
 * about the whole file when LINE is 0: the content stage's one form of a
 * warning about a post. */
void dg_post_warn(dg_diag *d, const dg_post *p, int line, const char *msg);

typedef struct dg_asset_scope {
    dg_registry *reg;
    dg_diag *d;
    const dg_post *post;   /* for diagnostics */
    const char *site_root; /* absolute, symlinks resolved */
    const char *post_dir;
} dg_asset_scope;

/* The packed asset for the image reference RAW (at Markdown line LINE, 0:
 * unknown), or NULL after a warning.  *REMOTE is set to the escaped web URL
 * when RAW is remote: no warning then; the image is taken from the
 * registry's cache of fetched images when it is there, else recorded for
 * fetching (when there is a cache) and NULL returned.  HEADER: a post's
 * header-img (see dg_local_image). */
const dg_asset *dg_asset_for_ref(const dg_asset_scope *s, const char *raw, int line, bool header,
                                 const char **remote);

#endif
