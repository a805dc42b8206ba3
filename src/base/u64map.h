/* u64map.h - a fixed-capacity table of 64-bit keys to 64-bit values.
 *
 * Open addressing with linear probing, for the caches and seen-sets that
 * outlive a build's arena (the diagnostics sink's merged reports, the fonts'
 * characters beyond the BMP).  The table never grows: it records keys until
 * it is three quarters full, so probes stay short, and then only answers
 * lookups; a caller treats a key it could not record as not cached.  Key 0
 * marks an empty slot and may not be used.  No locking: a table shared
 * between threads is used under its owner's lock.  Memory is malloc'd, freed
 * by dg_u64map_free (the owner is not an arena's).
 */
#ifndef DIGEST_BASE_U64MAP_H
#define DIGEST_BASE_U64MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct dg_u64map {
    uint64_t *keys; /* 0 = empty */
    uint64_t *vals;
    size_t slots; /* a power of two */
    size_t len;   /* keys recorded, at most 3/4 of slots */
} dg_u64map;

/* An empty table of SLOTS (a power of two) slots.  Returns 0, or -1 when
 * memory runs out (M is then empty and dg_u64map_free may still be called). */
int dg_u64map_init(dg_u64map *m, size_t slots);
/* Frees M's tables; M is empty afterwards. */
void dg_u64map_free(dg_u64map *m);
/* True when KEY (not 0) is in M; *VAL (when VAL is not NULL) is its value. */
bool dg_u64map_get(const dg_u64map *m, uint64_t key, uint64_t *val);
/* Sets KEY (not 0) to VAL: a key already in M takes the new value, a new
 * one is recorded unless M is three quarters full.  True when KEY is now
 * in M with VAL. */
bool dg_u64map_put(dg_u64map *m, uint64_t key, uint64_t val);

#endif
