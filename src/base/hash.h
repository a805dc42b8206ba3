/* hash.h - hashing for cache keys and stable identifiers. */
#ifndef DIGEST_BASE_HASH_H
#define DIGEST_BASE_HASH_H

#include <stddef.h>
#include <stdint.h>

/* FNV-1a 64-bit, for cache keys and stable identifiers. */
uint64_t dg_hash64(const void *p, size_t n, uint64_t seed);

#endif
