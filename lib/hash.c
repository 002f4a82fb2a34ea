/* hash.c: a 128-bit non-cryptographic hash (two 64-bit multiply-mix
 * lanes over 8-byte words) for dedupe keys. Collisions among a billion
 * keys have odds near 1e-20; the man page says so. */
#include <string.h>

#include "gha.h"
#include "hash.h"

struct h128
hash128(const void *p, size_t n, uint64_t seed)
{
	const unsigned char *s = p;
	uint64_t a = seed ^ 0x9e3779b97f4a7c15ULL ^ n, b = hash_mix64(seed + n) ^ 0xc2b2ae3d27d4eb4fULL;
	struct h128 h;

	while (n >= 8) {
		uint64_t w;

		memcpy(&w, s, 8);
		a = (a ^ w) * 0xff51afd7ed558ccdULL;
		a ^= a >> 29;
		b = (b + w) * 0xc4ceb9fe1a85ec53ULL;
		b = (b << 31) | (b >> 33);
		s += 8;
		n -= 8;
	}
	if (n) {
		uint64_t w = 0;

		memcpy(&w, s, n);
		a = (a ^ w ^ ((uint64_t)n << 56)) * 0xff51afd7ed558ccdULL;
		b = (b + w) * 0xc4ceb9fe1a85ec53ULL;
	}
	h.lo = hash_mix64(a ^ (b >> 17));
	h.hi = hash_mix64(b + a);
	return h;
}
