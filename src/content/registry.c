/* registry.c - the images, ids and remote images one book's chapters share
 * (registry.h).  Everything lives in the registry's arena. */
#include "content/registry.h"

#include <stdint.h>
#include <string.h>

typedef struct reg_priv {
    dg_map ids;    /* id in use -> next suffix to try (uintptr_t) */
    dg_map by_key; /* asset key -> dg_asset (NULL: known unusable) */
    int nchapters;
} reg_priv;

static reg_priv *priv(dg_registry *r)
{
    if (!r->priv) {
        reg_priv *p = dg_alloc(r->arena, sizeof *p);
        dg_map_init(&p->ids, r->arena);
        dg_map_init(&p->by_key, r->arena);
        r->priv = p;
    }
    return r->priv;
}

void dg_registry_init(dg_registry *r, dg_arena *a)
{
    memset(r, 0, sizeof *r);
    r->arena = a;
}

void dg_registry_free(dg_registry *r)
{
    r->assets = NULL; /* in the arena, like the maps */
    r->priv = NULL;
    r->nassets = r->cap = 0;
}

const char *dg_registry_claim_id(dg_registry *r, const char *base)
{
    reg_priv *p = priv(r);
    void *next;
    if (!dg_map_get(&p->ids, base, &next)) {
        char *s = dg_strdup(r->arena, base);
        dg_map_put(&p->ids, s, (void *)(uintptr_t)2);
        return s;
    }
    for (uintptr_t n = (uintptr_t)next;; n++) {
        char *s = dg_sprintf(r->arena, "%s-%lu", base, (unsigned long)n);
        if (!dg_map_get(&p->ids, s, NULL)) {
            dg_map_put(&p->ids, dg_strdup(r->arena, base), (void *)(n + 1));
            dg_map_put(&p->ids, s, (void *)(uintptr_t)2);
            return s;
        }
    }
}

int dg_registry_next_chapter(dg_registry *r)
{
    return ++priv(r)->nchapters;
}

void dg_slugify(const char *text, char *out)
{
    size_t o = 0;
    bool dash = false;
    for (const unsigned char *s = (const unsigned char *)text; *s && o < DG_SLUG_MAX; s++) {
        unsigned char c = *s;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) {
            if (dash && o > 0 && o + 1 < DG_SLUG_MAX)
                out[o++] = '-';
            dash = false;
            out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        } else {
            dash = true;
        }
    }
    out[o] = 0;
}

const char *dg_registry_unique_id(dg_registry *r, const char *text)
{
    char slug[DG_SLUG_MAX + 1];
    dg_slugify(text ? text : "", slug);
    if (!slug[0])
        return dg_registry_claim_id(r, "sec");
    if (slug[0] >= '0' && slug[0] <= '9') /* an XML id starts with a letter */
        return dg_registry_claim_id(r, dg_sprintf(r->arena, "id-%s", slug));
    return dg_registry_claim_id(r, slug);
}

static const dg_asset *reg_add(dg_registry *r, const char *key, const dg_image *img)
{
    dg_arena_grow(r->arena, &r->assets, r->nassets, &r->cap, sizeof *r->assets, 16);
    dg_asset *as = dg_alloc(r->arena, sizeof *as);
    as->key = dg_strdup(r->arena, key);
    as->href = dg_sprintf(r->arena, "images/%03zu.%s", r->nassets + 1, img->ext);
    as->image = *img;
    r->assets[r->nassets++] = as;
    dg_map_put(&priv(r)->by_key, as->key, as);
    return as;
}

const dg_asset *dg_registry_add_image(dg_registry *r, const char *abspath)
{
    reg_priv *p = priv(r);
    void *as;
    if (dg_map_get(&p->by_key, abspath, &as))
        return as;
    dg_image img;
    if (dg_image_load(&img, r->arena, abspath) != 0) {
        dg_map_put(&p->by_key, dg_strdup(r->arena, abspath), NULL);
        return NULL;
    }
    return reg_add(r, abspath, &img);
}

const dg_asset *dg_registry_add_memory(dg_registry *r, const unsigned char *data, size_t len)
{
    reg_priv *p = priv(r);
    char *key =
        dg_sprintf(r->arena, "data:%016llx-%zu", (unsigned long long)dg_hash64(data, len, 0), len);
    void *as;
    if (dg_map_get(&p->by_key, key, &as))
        return as;
    dg_image img;
    if (dg_image_from_memory(&img, r->arena, data, len) != 0) {
        dg_map_put(&p->by_key, key, NULL);
        return NULL;
    }
    return reg_add(r, key, &img);
}

const dg_asset *dg_registry_find(const dg_registry *r, const char *href)
{
    for (size_t i = 0; href && i < r->nassets; i++)
        if (strcmp(r->assets[i]->href, href) == 0)
            return r->assets[i];
    return NULL;
}

void dg_registry_add_remote(dg_registry *r, const char *url, const char *path, int line,
                            bool fetch)
{
    dg_arena_grow(r->arena, &r->remote, r->nremote, &r->capremote, sizeof *r->remote, 16);
    r->remote[r->nremote++] = (dg_remote_ref){
        .url = dg_strdup(r->arena, url), .path = path, .line = line, .fetch = fetch};
}
