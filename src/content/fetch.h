/* fetch.h - remote images, fetched into the image cache (libcurl).
 *
 * A book's remote <img> and header images are looked up in the cache
 * (imagecache.h, through the registry); the ones to fetch are recorded in
 * the registry (registry.h) as dg_remote_ref, fetched here, and the book is
 * built again.  This header depends on no content header but the cache's:
 * the registry uses it, not the other way round.  An image in the cache is
 * not fetched again (unless --refresh-images revalidates it): the digests
 * of a month stay the same from build to build.
 *
 * libcurl is loaded when an image is to be fetched, not at start-up: with its
 * TLS, SSH, LDAP and Kerberos dependencies it would add milliseconds to every
 * run, and an --offline build never loads it.  Politeness: at most
 * DG_FETCH_PARALLEL transfers at once in a build, DG_FETCH_PER_HOST to one
 * host (host:port); "User-Agent: digest/VERSION"; at most DG_FETCH_REDIRS
 * redirects, http to https followed but never https to http; no cookies,
 * no .netrc, no credentials (an address holding a user name is refused).
 * Only http and https; an answer larger than DG_FETCH_MAX_BYTES, or not a
 * PNG, JPEG, GIF, WebP or SVG image, is refused.  A host whose name does not
 * resolve, or that cannot be connected to, is given up for the rest of the
 * build, and so is every host once DG_FETCH_DEAD_HOSTS were given up with no
 * server answering at all (the machine is offline).
 */
#ifndef DIGEST_FETCH_H
#define DIGEST_FETCH_H

#include <stdbool.h>
#include <stddef.h>

#include "base/base.h"
#include "content/imagecache.h"
#include "digest/diag.h"

#define DG_FETCH_MAX_BYTES  (20u << 20)
#define DG_FETCH_PARALLEL   8
#define DG_FETCH_PER_HOST   2
#define DG_FETCH_REDIRS     5
#define DG_FETCH_DEAD_HOSTS 3

/* A remote image a chapter shows as a placeholder: not in the cache. */
typedef struct dg_remote_ref {
    const char *url;  /* as the book would fetch it (escaped, absolute) */
    const char *path; /* the post that uses it, and the line */
    int line;
    bool fetch; /* to be fetched now (else offline or failed before) */
} dg_remote_ref;

/* The fetching of one build, shared by its threads, into cache C. */
typedef struct dg_fetcher dg_fetcher;
dg_fetcher *dg_fetcher_new(dg_imagecache *c);
void dg_fetcher_free(dg_fetcher *f);

/* Fetches the REFS (N of them) marked fetch (a URL met again, in this call
 * or another thread's, is fetched once), each image checked and written
 * atomically and the outcome recorded in the cache.  A failure is a
 * warning at the post and line that use the image, but for a host that
 * cannot be reached (counted for dg_fetch_outcome).  Returns the number of
 * those images the cache now holds (fetched or revalidated, here or by
 * another thread: the book is to be built again). */
size_t dg_fetch_images(dg_fetcher *f, const dg_remote_ref *refs, size_t n, dg_diag *d);

/* Why the remote image URL is still a placeholder after the fetching. */
typedef enum dg_fetch_outcome {
    DG_OUTCOME_OFFLINE,     /* --offline (or fetch_images: false) */
    DG_OUTCOME_UNREACHABLE, /* its host could not be reached in this build */
    DG_OUTCOME_FAILED,      /* fetched in this build and refused (warned) */
    DG_OUTCOME_REMEMBERED,  /* failed less than a day ago: not tried */
    DG_OUTCOME_NO_CURL,     /* libcurl could not be loaded (warned) */
} dg_fetch_outcome;
dg_fetch_outcome dg_fetch_outcome_of(dg_fetcher *f, const char *url);

/* The hosts given up in this build, "host (why)", comma-separated, at most
 * MAX of them named; in A.  NULL when none. */
const char *dg_fetch_dead_hosts(dg_fetcher *f, dg_arena *a, size_t max, size_t *n);

#endif
