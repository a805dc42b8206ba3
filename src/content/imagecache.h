/* imagecache.h - the cache of fetched remote images (imagecache.c).
 *
 * One file per URL under OUT/.digest-cache/images, named by a hash of the
 * URL (dg_imagecache_file; fetch.c writes it whole, checked to be an image),
 * and beside the files an index, "index":
 *
 *     digest-image-cache 1
 *     HASH SIZE TYPE STATUS TIME ETAG LAST-MODIFIED REASON URL   (tab-separated)
 *
 * STATUS is "ok" (the file holds the image; TIME is when a build last used
 * it, for least-recently-used eviction) or a failure: "http" (an error
 * status), "not-image", "too-large" or "unreachable" (TIME is when it failed,
 * REASON what happened).  A failure is not tried again for DG_CACHE_RETRY
 * seconds unless --refresh-images.  ETAG and LAST-MODIFIED are the server's
 * validators, sent back by --refresh-images.  An empty field is "-".
 *
 * One dg_imagecache serves all the threads of a build (a mutex).  The index
 * is read when it is opened and written by dg_imagecache_save: under an
 * exclusive flock of index.lock the index is read again, this build's
 * changes laid over it, the least recently used images evicted down to the
 * size limit, and the result written to a temporary file renamed over the
 * index.  Two builds sharing OUT merge their changes and no reader ever
 * sees a torn index.  The times are the wall clock (dg_wall_seconds); no
 * digest depends on them.
 */
#ifndef DIGEST_CONTENT_IMAGECACHE_H
#define DIGEST_CONTENT_IMAGECACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"
#include "digest/diag.h"

/* A failed URL is tried again after a day. */
#define DG_CACHE_RETRY (24 * 60 * 60)
/* A failure older than this is dropped from the index when a build writes
 * it (the URL may be gone from the site: the index does not grow for ever). */
#define DG_CACHE_FORGET (30 * DG_CACHE_RETRY)
/* The default size limit of the images (image_cache_max). */
#define DG_CACHE_MAX_DEFAULT (2ull << 30)

typedef enum dg_cache_status {
    DG_CACHE_OK = 0,
    DG_CACHE_HTTP,        /* an error status, or a transfer that went wrong (TLS,
                             too many redirects, a cut answer) */
    DG_CACHE_NOT_IMAGE,   /* the answer is no image this program packs */
    DG_CACHE_TOO_LARGE,   /* over DG_FETCH_MAX_BYTES */
    DG_CACHE_UNREACHABLE, /* the host could not be resolved or reached */
    DG_CACHE_NSTATUS
} dg_cache_status;

/* The index's word for S ("ok", "http", ...). */
const char *dg_cache_status_name(dg_cache_status s);

typedef struct dg_cache_entry {
    const char *url;
    uint64_t hash;    /* the file's name */
    uint64_t size;    /* bytes of the file (ok) */
    const char *type; /* "png", "jpg", "gif", "svg", "webp" or "-" */
    dg_cache_status status;
    int64_t time;                        /* ok: last used; else: when it failed */
    const char *etag, *lastmod, *reason; /* "" when none */
    /* this build's marks (not in the index) */
    bool changed; /* the entry is new or its status or file changed */
    bool used;    /* used by this build: its time is at least TIME */
    bool checked; /* fetched or revalidated by this build */
    bool tried;   /* a fetch by this build failed: not tried again in it */
    bool resolve; /* unreachable maybe through the machine's fault (a name that
                     did not resolve, every host given up): not remembered
                     when no server answered in the build */
} dg_cache_entry;

/* Reads the text of an index into entries in A (malformed lines are
 * skipped and counted in *BAD).  Returns the number of entries. */
size_t dg_imagecache_parse(const char *text, size_t len, dg_arena *a, dg_cache_entry ***out,
                           size_t *bad);

/* The file of URL in the cache folder DIR (it may not exist), in A. */
const char *dg_imagecache_file(dg_arena *a, const char *dir, const char *url);

typedef struct dg_imagecache_opts {
    bool offline;       /* use what is there; fetch nothing */
    bool refresh;       /* revalidate what is there, retry failures now */
    uint64_t max_bytes; /* 0: DG_CACHE_MAX_DEFAULT */
} dg_imagecache_opts;

typedef struct dg_imagecache dg_imagecache;

/* The cache in folder DIR (it need not exist; it is made by the first
 * image written).  An index that cannot be read is an empty one. */
dg_imagecache *dg_imagecache_open(const char *dir, const dg_imagecache_opts *o);
void dg_imagecache_free(dg_imagecache *c);
const char *dg_imagecache_dir(const dg_imagecache *c);
bool dg_imagecache_offline(const dg_imagecache *c);

typedef enum dg_cache_lookup {
    DG_LOOKUP_HIT,   /* *FILE holds the image (marked used) */
    DG_LOOKUP_FETCH, /* to be fetched (or revalidated) now */
    DG_LOOKUP_SKIP,  /* a placeholder: offline, or a failure remembered */
} dg_cache_lookup;

/* What to do with the remote image URL; *FILE is its cache file, in A. */
dg_cache_lookup dg_imagecache_lookup(dg_imagecache *c, dg_arena *a, const char *url,
                                     const char **file);

/* The time T of a record as people read it, in UTC, in A: "2027-01-15",
 * with MINUTES "2027-01-15 08:00 UTC". */
const char *dg_imagecache_time(dg_arena *a, int64_t t, bool minutes);

/* URL's entry copied into A (false when there is none). */
bool dg_imagecache_get(dg_imagecache *c, dg_arena *a, const char *url, dg_cache_entry *out);

/* What a fetch found: the image was written into its file (TYPE "png",
 * ..., the validators may be NULL); the server said it has not changed
 * (304); or the fetch failed (RESOLVE: the host's name did not resolve). */
void dg_imagecache_record_ok(dg_imagecache *c, const char *url, uint64_t size, const char *type,
                             const char *etag, const char *lastmod);
void dg_imagecache_record_same(dg_imagecache *c, const char *url);
void dg_imagecache_record_failure(dg_imagecache *c, const char *url, dg_cache_status s,
                                  const char *reason, bool resolve);

/* Writes this build's changes into the index (see above) and evicts the
 * least recently used images beyond the size limit.  Failures to resolve a
 * name are not remembered when no server answered in this build (the
 * machine is offline: they are tried again next time).  Nothing is written
 * when nothing changed, or the folder does not exist.  Returns the number
 * of images evicted, or -1 after a warning. */
long dg_imagecache_save(dg_imagecache *c, dg_diag *d);

/* ---- digest cache ----------------------------------------------------------- */

typedef struct dg_cache_stats {
    size_t images;                     /* entries with their file */
    uint64_t bytes;                    /* their size */
    size_t failures[DG_CACHE_NSTATUS]; /* by status (failures[DG_CACHE_OK] unused) */
    size_t expired;                    /* failures older than DG_CACHE_RETRY */
    size_t orphans;                    /* files of the folder the index does not name */
    uint64_t orphan_bytes;
    int64_t oldest, newest; /* times of use of the images */
} dg_cache_stats;

/* The entries of the index of DIR as it is, in A, and what they hold. */
size_t dg_imagecache_read(const char *dir, dg_arena *a, dg_cache_entry ***out, dg_cache_stats *st);

/* digest cache prune: under the index's lock, entries whose file is gone
 * and failures older than DG_CACHE_RETRY are dropped, the least recently
 * used images evicted down to MAX_BYTES and, with ORPHANS (no build is
 * using OUT), files the index does not name removed.  *REMOVED counts the
 * files removed, *DROPPED the entries dropped.  0, or -1 after a warning. */
int dg_imagecache_prune(const char *dir, uint64_t max_bytes, bool orphans, size_t *removed,
                        size_t *dropped, uint64_t *freed, dg_diag *d);

/* digest cache clear: every image and the index removed, under the lock.
 * 0, or -1 after a warning. */
int dg_imagecache_clear(const char *dir, size_t *removed, uint64_t *freed, dg_diag *d);

#endif
