/* template.h - the XHTML skeletons and CSS in templates/, overridable per site.
 * Stage file: src/epub/template.c.
 *
 * Lookup order for NAME: the site's own folder (digest.yaml "templates:",
 * else SITE/_digest/templates: see dg_book.templates_dir), then the installed
 * DIGEST_DATA_DIR/templates/NAME, then the source tree's templates/NAME.
 * Placeholders are {{name}} (value XML-escaped) and {{{name}}} (inserted as is,
 * for markup the program made itself).  {{#name}}...{{/name}} keeps its body only
 * when name is set and non-empty.
 */
#ifndef DIGEST_TEMPLATE_H
#define DIGEST_TEMPLATE_H

#include "digest/diag.h"
#include "base/base.h"

typedef struct dg_var {
    const char *name, *value;
} dg_var;

/* The text of template NAME ("cover.xhtml", "chapter-head.xhtml", "style.css"),
 * in A.  OVERRIDE_DIR (the site's templates folder) may be NULL.  NULL after
 * reporting when it is nowhere. */
const char *dg_template_load(dg_arena *a, const char *override_dir, const char *name, dg_diag *d);
/* Every template the writers load, NULL-terminated (the EPUB writer's
 * files; the build fingerprint hashes the same list). */
extern const char *const dg_template_names[];

/* Expands TPL with VARS (N of them). Unknown placeholders expand to "". */
char *dg_template_expand(dg_arena *a, const char *tpl, const dg_var *vars, size_t n);

#endif
