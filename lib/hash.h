/* hash.h: a 128-bit non-cryptographic hash for dedupe keys. */
#ifndef GHA_HASH_H
#define GHA_HASH_H

#include <stddef.h>
#include <stdint.h>

struct h128 {
	uint64_t lo, hi;
};
struct h128 hash128(const void *p, size_t n, uint64_t seed);

#endif
