/* hash.h: a 128-bit non-cryptographic hash for dedupe keys. */
#ifndef GHA_HASH_H
#define GHA_HASH_H

#include <stddef.h>
#include <stdint.h>

struct h128 {
	uint64_t lo, hi;
};
struct h128 hash128(const void *p, size_t n, uint64_t seed);

/* splitmix64's finalizer: every input bit reaches every output bit (for
 * hash-table slots from ids and short keys) */
static inline uint64_t
hash_mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

#endif
