/* yaml.h - one way to read a YAML document with libyaml and report its
 * syntax errors: front matter, the site's _config.yml and digest.yaml all
 * load through it. */
#ifndef DIGEST_SITE_YAML_H
#define DIGEST_SITE_YAML_H

#include <stddef.h>
#include <yaml.h>

#include "digest/diag.h"

/* Where the YAML is and how to speak of it. */
typedef struct dg_yaml_src {
    const char *path;        /* shown in reports */
    const char *text;        /* the whole file, for the excerpt */
    size_t len;
    size_t start, stop;      /* the YAML's bytes within TEXT */
    int line0;               /* lines of TEXT before START (front matter: the fence) */
    const char *what;        /* "YAML", "YAML in front matter" */
    const char *consequence; /* "post left out", "site defaults apply" */
} dg_yaml_src;

/* Nesting deeper than this is neither a post's header nor a site's settings
 * (the deepest seen in real sites is under 10), and libyaml's time grows with
 * the square of the depth (200,000 levels of "[": 77 s), so deeper text is
 * refused by a linear pre-scan before libyaml sees it. */
#define DG_YAML_MAX_DEPTH 64

/* Parses the YAML of SRC into *DOC.  Returns 0 (then yaml_document_delete
 * *DOC), or -1 after reporting "bad WHAT: problem [context [that starts at
 * line:col]]; CONSEQUENCE" at the problem's line and column with severity
 * SEV (nothing to free then), or "X nests deeper than DG_YAML_MAX_DEPTH
 * levels; CONSEQUENCE" where the nesting first goes past the cap (X: WHAT,
 * or "front matter" for WHAT "YAML in front matter"). */
int dg_yaml_load(yaml_document_t *doc, const dg_yaml_src *src, dg_severity sev, dg_diag *d);

#endif
