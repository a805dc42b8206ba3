/* registry.h - what the chapters of one book share: its images (assets),
 * the ids in use, and the remote images still to fetch.
 *
 * The sanitizer (content.c) registers every image a chapter packs and takes
 * every id from here, so ids are unique in the whole digest and an image used
 * twice is packed once.  The writers read the assets.
 */
#ifndef DIGEST_CONTENT_REGISTRY_H
#define DIGEST_CONTENT_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "base/base.h"
#include "content/fetch.h"
#include "content/image.h"

/* Longest slug taken from a heading's text for its id (ids stay readable;
 * uniqueness comes from the chapter prefix and the -2, -3 suffixes). */
#define DG_SLUG_MAX 48

typedef struct dg_asset {
    const char *key;  /* what it came from: absolute path, or a hash of a data: URL */
    const char *href; /* name in the book, "images/001.png" */
    dg_image image;
} dg_asset;

/* The book's images and ids, shared by all its chapters. */
typedef struct dg_registry {
    dg_asset **assets;
    size_t nassets, cap;
    void *priv; /* private: the ids in use, the assets by key, the chapter count */
    dg_arena *arena;
    /* The cache of fetched remote images (NULL: remote images are
     * placeholders) and the remote images that were not there, in the arena. */
    dg_imagecache *cache;
    dg_remote_ref *remote;
    size_t nremote, capremote;
    size_t nplaceholders; /* remote images shown as placeholders (no cache) */
} dg_registry;

void dg_registry_init(dg_registry *r, dg_arena *a);
void dg_registry_free(dg_registry *r);
/* A fresh id made from TEXT (ASCII slug, else "sec"), unique in the registry. */
const char *dg_registry_unique_id(dg_registry *r, const char *text);
/* BASE itself when no id of the registry is BASE yet, else BASE-2, BASE-3,
 * ...: the id is then in use.  In the registry's arena. */
const char *dg_registry_claim_id(dg_registry *r, const char *base);
/* The number of the next chapter built with R: 1, 2, ... */
int dg_registry_next_chapter(dg_registry *r);
/* Packs the local image at ABSPATH (deduplicated by path). NULL when it cannot be read/used. */
const dg_asset *dg_registry_add_image(dg_registry *r, const char *abspath);
/* Packs image bytes that came from a data: URL (deduplicated by content).
 * NULL when they are no image this program packs. */
const dg_asset *dg_registry_add_memory(dg_registry *r, const unsigned char *data, size_t len);
const dg_asset *dg_registry_find(const dg_registry *r, const char *href);
/* Records a remote image that is not in the cache; FETCH: to be fetched. */
void dg_registry_add_remote(dg_registry *r, const char *url, const char *path, int line,
                            bool fetch);

/* ASCII slug of TEXT into OUT (DG_SLUG_MAX + 1 bytes): letters and digits
 * lowercased, every other run of characters one '-'; "" when TEXT has no
 * ASCII letter or digit. */
void dg_slugify(const char *text, char *out);

#endif
