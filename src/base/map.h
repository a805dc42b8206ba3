/* map.h - a string map in the arena: key -> pointer (or small integer).
 *
 * Open addressing with linear probing over dg_hash64, kept at most half
 * full.  Keys are borrowed: the caller keeps them alive as long as the map
 * (an arena string is the usual key).  Everything, tables included, lives in
 * the arena given to dg_map_init; there is nothing to free.  Growing leaves
 * the old table in the arena (at most as much again as the final one).
 * Lookups only: the map has no order and no iteration.
 */
#ifndef DIGEST_BASE_MAP_H
#define DIGEST_BASE_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"

typedef struct dg_map {
    const char **keys;
    void **vals;
    size_t cap, len; /* cap: 0 or a power of two */
    dg_arena *a;
} dg_map;

/* An empty map whose tables go into A. */
void dg_map_init(dg_map *m, dg_arena *a);
/* True when KEY is in M; *VAL (when VAL is not NULL) is then its value. */
bool dg_map_get(const dg_map *m, const char *key, void **val);
/* Sets KEY to VAL, adding KEY (borrowed, not copied) when it is new. */
void dg_map_put(dg_map *m, const char *key, void *val);
/* Adds KEY with VAL unless KEY is there; true when it was added. */
bool dg_map_add(dg_map *m, const char *key, void *val);

#endif
