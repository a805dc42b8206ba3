/* siteconfig.h - the site's title, author, language and description, from
 * the site generator's configuration files.  Stage file:
 * src/site/siteconfig.c. */
#ifndef DIGEST_SITE_SITECONFIG_H
#define DIGEST_SITE_SITECONFIG_H

#include "digest/diag.h"
#include "base/base.h"

typedef struct dg_site_config {
    const char *title, *author, *lang, *description; /* NULL when no file sets them */
    const char *url; /* the site's address: Jekyll's and Hexo's url, Hugo's baseURL */
} dg_site_config;

/* Reads config.toml, hugo.toml, config.yaml, then _config.yml under ROOT
 * (ROOT_ARG as the user names it, for reports) into *C, in A; a later file
 * wins.  A file that cannot be read or parsed is a warning: the defaults
 * apply. */
void dg_site_config_read(dg_site_config *c, dg_arena *a, const char *root, const char *root_arg,
                         dg_diag *d);

#endif
