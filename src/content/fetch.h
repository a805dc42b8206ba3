/* fetch.h - remote images, fetched into a cache folder (libcurl).
 *
 * With --fetch-images, a book's remote <img> and header images are looked up
 * in OUT/.digest-cache/images (asset.c, through the registry's
 * remote_cache); the ones not there are recorded in the registry
 * (registry.h) as dg_remote_ref, fetched here, and the book is built again.
 * This header depends on no content header: the registry uses it, not the
 * other way round.  A cached image is never fetched again:
 * the digests of a month stay the same from build to build.
 *
 * libcurl is loaded when an image is to be fetched, not at start-up: with its
 * TLS, SSH, LDAP and Kerberos dependencies it would add milliseconds to every
 * run.  Only http and https are followed; an answer larger than
 * DG_FETCH_MAX_BYTES, or not a PNG, JPEG, GIF, WebP or SVG image, is refused.
 */
#ifndef DIGEST_FETCH_H
#define DIGEST_FETCH_H

#include <stddef.h>

#include "digest/diag.h"
#include "base/base.h"

#define DG_FETCH_MAX_BYTES (20u << 20)
#define DG_FETCH_PARALLEL 8

/* A remote image a chapter uses and the cache has not got. */
typedef struct dg_remote_ref {
    const char *url;    /* as the book would fetch it (escaped, absolute) */
    const char *path;   /* the post that uses it, and the line */
    int line;
} dg_remote_ref;

/* The cache file of URL in folder DIR (it may not exist), in A. */
const char *dg_fetch_cache_file(dg_arena *a, const char *dir, const char *url);

/* Fetches REFS (N of them; a URL met again is fetched once) into DIR, at
 * most DG_FETCH_PARALLEL at a time, each image checked and written
 * atomically.  A failure is a warning at the post and line that use the
 * image.  Returns the number of images now in the cache that were not. */
size_t dg_fetch_images(const char *dir, const dg_remote_ref *refs, size_t n, dg_diag *d);

#endif
