/* content.c - one content tree per post (first version: stubs). */
#include "digest/content.h"

#include <stdlib.h>
#include <string.h>

void dg_registry_init(dg_registry *r, dg_arena *a)
{
    memset(r, 0, sizeof *r);
    r->arena = a;
}

void dg_registry_free(dg_registry *r)
{
    free(r->assets);
    r->assets = NULL;
    r->nassets = r->cap = 0;
}

const char *dg_registry_unique_id(dg_registry *r, const char *text)
{
    return dg_sprintf(r->arena, "sec%zu", r->nassets);
}

const dg_asset *dg_registry_add_image(dg_registry *r, const char *abspath)
{
    return NULL;
}

const dg_asset *dg_registry_find(const dg_registry *r, const char *href)
{
    return NULL;
}

int dg_chapter_build(dg_chapter *out, const dg_post *post, const char *site_root,
                     dg_registry *reg, dg_diag *d)
{
    memset(out, 0, sizeof *out);
    out->post = post;
    out->id = "post-01";
    out->doc = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr root = xmlNewDocNode(out->doc, NULL, BAD_CAST "section", NULL);
    xmlDocSetRootElement(out->doc, root);
    return 0;
}

void dg_chapter_free(dg_chapter *c)
{
    if (c->doc)
        xmlFreeDoc(c->doc);
    c->doc = NULL;
}

char *dg_sanitize_fragment(dg_arena *a, const char *html, const char *site_root,
                           const char *post_dir, dg_registry *reg, dg_diag *d)
{
    return dg_strdup(a, "");
}
