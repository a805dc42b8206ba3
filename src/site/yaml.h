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

/* Parses the YAML of SRC into *DOC.  Returns 0 (then yaml_document_delete
 * *DOC), or -1 after reporting "bad WHAT: problem [context [that starts at
 * line:col]]; CONSEQUENCE" at the problem's line and column with severity
 * SEV (nothing to free then). */
int dg_yaml_load(yaml_document_t *doc, const dg_yaml_src *src, dg_severity sev, dg_diag *d);

#endif
