/* map.c - the string map of map.h: open addressing over dg_hash64. */
#include "base/map.h"

#include <string.h>

#include "base/hash.h"

/* First table size: small maps (a chapter's ids) stay in one block. */
#define DG_MAP_FIRST 64

void dg_map_init(dg_map *m, dg_arena *a)
{
    memset(m, 0, sizeof *m);
    m->a = a;
}

/* The slot of KEY: where it is, or the empty slot where it would go. */
static size_t slot(const dg_map *m, const char *key)
{
    size_t i = (size_t)dg_hash64(key, strlen(key), 0) & (m->cap - 1);
    while (m->keys[i] && strcmp(m->keys[i], key) != 0)
        i = (i + 1) & (m->cap - 1);
    return i;
}

bool dg_map_get(const dg_map *m, const char *key, void **val)
{
    if (!m->cap)
        return false;
    size_t i = slot(m, key);
    if (!m->keys[i])
        return false;
    if (val)
        *val = m->vals[i];
    return true;
}

static void grow(dg_map *m)
{
    dg_map old = *m;
    m->cap = old.cap ? old.cap * 2 : DG_MAP_FIRST;
    m->keys = dg_allocn(m->a, m->cap, sizeof *m->keys);
    m->vals = dg_allocn(m->a, m->cap, sizeof *m->vals);
    for (size_t i = 0; i < old.cap; i++)
        if (old.keys[i]) {
            size_t j = slot(m, old.keys[i]);
            m->keys[j] = old.keys[i];
            m->vals[j] = old.vals[i];
        }
}

/* The slot of KEY, made room for; *FRESH tells whether KEY is new. */
static size_t place(dg_map *m, const char *key, bool *fresh)
{
    if ((m->len + 1) * 2 > m->cap)
        grow(m);
    size_t i = slot(m, key);
    *fresh = !m->keys[i];
    if (*fresh) {
        m->keys[i] = key;
        m->len++;
    }
    return i;
}

void dg_map_put(dg_map *m, const char *key, void *val)
{
    bool fresh;
    size_t i = place(m, key, &fresh); /* may grow the tables: before m->vals is read */
    m->vals[i] = val;
}

bool dg_map_add(dg_map *m, const char *key, void *val)
{
    bool fresh;
    size_t i = place(m, key, &fresh);
    if (fresh)
        m->vals[i] = val;
    return fresh;
}
