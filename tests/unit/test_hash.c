/* test_hash.c: hash128 properties (no published vectors exist for it):
 * deterministic, depends on every byte, on the length and on the seed,
 * reads only n bytes, and shows no collisions over a million keys. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "hash.h"
#include "tap.h"

static int
eq(struct h128 a, struct h128 b)
{
	return a.lo == b.lo && a.hi == b.hi;
}

static int
cmp64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int
popcount64(uint64_t x)
{
	int n = 0;

	while (x) {
		x &= x - 1;
		n++;
	}
	return n;
}

int
main(void)
{
	unsigned char buf[256];
	size_t i, j;
	long bad;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 37 + 11);

	ok(eq(hash128(buf, 100, 1), hash128(buf, 100, 1)), "deterministic");
	{
		unsigned char copy[100];

		memcpy(copy, buf, 100);
		ok(eq(hash128(buf, 100, 1), hash128(copy, 100, 1)), "depends on content, not address");
	}
	ok(!eq(hash128(buf, 100, 1), hash128(buf, 100, 2)), "seed changes the hash");
	ok(!eq(hash128("", 0, 0), hash128("", 0, 1)), "seed matters for empty input");

	/* every prefix length gives a different hash, also for all-zero data */
	{
		static const unsigned char zero[64];
		uint64_t lo[65];

		bad = 0;
		for (i = 0; i <= 64; i++)
			lo[i] = hash128(zero, i, 7).lo;
		qsort(lo, 65, sizeof(lo[0]), cmp64);
		for (i = 1; i <= 64; i++)
			if (lo[i] == lo[i - 1])
				bad++;
		ok(bad == 0, "zero runs of length 0..64 all hash differently");
	}

	/* flipping any one bit of a 1..40 byte input changes both halves */
	bad = 0;
	for (j = 1; j <= 40; j++) {
		struct h128 h0 = hash128(buf, j, 3);

		for (i = 0; i < j * 8; i++) {
			struct h128 h;

			buf[i / 8] ^= (unsigned char)(1u << (i % 8));
			h = hash128(buf, j, 3);
			buf[i / 8] ^= (unsigned char)(1u << (i % 8));
			if (h.lo == h0.lo || h.hi == h0.hi)
				bad++;
		}
	}
	ok(bad == 0, "every single-bit flip changes both words (%ld unchanged)", bad);

	/* avalanche, roughly: a bit flip changes about half the output bits */
	{
		double total = 0;
		int count = 0;

		for (i = 0; i < 32 * 8; i++) {
			struct h128 a = hash128(buf, 32, 9), b;

			buf[i / 8] ^= (unsigned char)(1u << (i % 8));
			b = hash128(buf, 32, 9);
			buf[i / 8] ^= (unsigned char)(1u << (i % 8));
			total += popcount64(a.lo ^ b.lo) + popcount64(a.hi ^ b.hi);
			count++;
		}
		total /= count;
		ok(total > 54 && total < 74, "a bit flip changes %.1f of 128 bits on average", total);
	}

	/* only n bytes are read: bytes past n do not matter */
	{
		unsigned char a[24], b[24];

		memset(a, 'x', sizeof(a));
		memset(b, 'x', sizeof(b));
		b[13] = 'y';
		ok(eq(hash128(a, 13, 0), hash128(b, 13, 0)), "byte n is not read (tail)");
		b[5] = 'y';
		ok(!eq(hash128(a, 13, 0), hash128(b, 13, 0)), "byte inside n is");
		/* exact-size heap blocks for every length (the sanitizer sees
		 * a read past them), each hashing as the same bytes followed
		 * by others do (a read past them that counted would differ) */
		{
			unsigned char big[48];
			int same = 0;

			memset(big, 'z', sizeof(big));
			for (i = 0; i < 40; i++) {
				unsigned char *p = malloc(i ? i : 1);

				memset(p, 'z', i);
				big[i] = 'q';
				same += eq(hash128(p, i, 0), hash128(big, i, 0));
				big[i] = 'z';
				free(p);
			}
			ok(same == 40, "blocks of 0..39 bytes hash by their bytes alone (%d of 40)", same);
		}
	}

	/* a million distinct short keys like "123456789|" give distinct hashes */
	{
		size_t n = 1000000;
		uint64_t *v = malloc(n * sizeof(*v));
		char k[32];

		for (i = 0; i < n; i++) {
			int len = snprintf(k, sizeof(k), "%zu|", 2489000000u + i);
			struct h128 h = hash128(k, (size_t)len, 1);

			v[i] = h.lo ^ (h.hi * 0x9E3779B97F4A7C15ULL);
		}
		qsort(v, n, sizeof(*v), cmp64);
		bad = 0;
		for (i = 1; i < n; i++)
			if (v[i] == v[i - 1])
				bad++;
		ok(bad == 0, "no collisions among 1000000 id-like keys");
		free(v);
	}
	return tap_done();
}
