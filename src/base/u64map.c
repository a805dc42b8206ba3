/* u64map.c - the fixed-capacity integer table of u64map.h. */
#include "base/u64map.h"

#include <assert.h>
#include <stdlib.h>

/* Fibonacci hashing: the key times 2^64 / phi, whose high bits are well
 * mixed even for small consecutive keys (code points). */
#define GOLDEN UINT64_C(0x9E3779B97F4A7C15)

int dg_u64map_init(dg_u64map *m, size_t slots)
{
    int rc = -1;
    assert(slots > 0 && (slots & (slots - 1)) == 0);
    *m = (dg_u64map){0};
    m->keys = calloc(slots, sizeof *m->keys);
    m->vals = calloc(slots, sizeof *m->vals);
    if (!m->keys || !m->vals) {
        dg_u64map_free(m);
        goto out;
    }
    m->slots = slots;
    rc = 0;
out:
    return rc;
}

void dg_u64map_free(dg_u64map *m)
{
    free(m->keys);
    free(m->vals);
    *m = (dg_u64map){0};
}

/* The slot of KEY: where it is, or the empty slot where it would go.  There
 * always is an empty one: the table is never more than 3/4 full. */
static size_t slot(const dg_u64map *m, uint64_t key)
{
    size_t mask = m->slots - 1;
    size_t i = (size_t)((key * GOLDEN) >> 32) & mask;
    while (m->keys[i] && m->keys[i] != key)
        i = (i + 1) & mask;
    return i;
}

bool dg_u64map_get(const dg_u64map *m, uint64_t key, uint64_t *val)
{
    assert(key != 0);
    if (!m->slots)
        return false;
    size_t i = slot(m, key);
    if (!m->keys[i])
        return false;
    if (val)
        *val = m->vals[i];
    return true;
}

bool dg_u64map_put(dg_u64map *m, uint64_t key, uint64_t val)
{
    assert(key != 0);
    if (!m->slots)
        return false;
    size_t i = slot(m, key);
    if (!m->keys[i]) {
        if (m->len >= m->slots * 3 / 4)
            return false; /* keep a quarter free so probes stay short */
        m->keys[i] = key;
        m->len++;
    }
    m->vals[i] = val;
    return true;
}
