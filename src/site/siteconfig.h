/* siteconfig.h - the site's title, author, language and description, from
 * the site generator's configuration files and the run's options.  Stage
 * file: src/site/siteconfig.c. */
#ifndef DIGEST_SITE_SITECONFIG_H
#define DIGEST_SITE_SITECONFIG_H

#include "digest/diag.h"
#include "site/site.h"

/* Sets S's title, author, lang, description and templates_dir (S->root,
 * root_arg and arena set): from config.toml, hugo.toml, config.yaml, then
 * _config.yml under the root (a later file wins), then O's title, author,
 * lang and templates_dir.  The title is the folder's name when none gives
 * one; lang may stay NULL (the posts decide it).  A configuration file that
 * cannot be read or parsed is a warning: the defaults apply. */
void dg_site_config(dg_site *s, const dg_site_opts *o, dg_diag *d);

#endif
