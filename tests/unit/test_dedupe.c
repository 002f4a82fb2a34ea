/* test_dedupe.c: the 128-bit key set: many keys, duplicates, growth,
 * keys that collide in the table (same low word), the all-zero key. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "dedupe.h"
#include "hash.h"
#include "tap.h"

/* splitmix64: distinct, well-spread keys without using hash128 */
static uint64_t
sm64(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ULL;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
	return x ^ (x >> 31);
}

static struct h128
key(uint64_t i)
{
	struct h128 k;

	k.lo = sm64(2 * i);
	k.hi = sm64(2 * i + 1);
	return k;
}

static int
pow2(size_t x)
{
	return x && !(x & (x - 1));
}

int
main(void)
{
	struct dedupe d;
	size_t i, n = 1000000, cap0;
	long bad;
	int growth_ok = 1;

	dedupe_init(&d);
	ok(d.n == 0 && d.cap > 0 && pow2(d.cap) && d.slot, "empty set, power-of-two table");
	cap0 = d.cap;

	/* a million new keys */
	bad = 0;
	for (i = 0; i < n; i++) {
		size_t before = d.cap;

		if (dedupe_add(&d, key(i)) != 1)
			bad++;
		if (d.cap != before && d.cap != 2 * before)
			growth_ok = 0;
		if (d.n * 4 > d.cap * 3)
			growth_ok = 0;
	}
	ok(bad == 0, "1000000 distinct keys are all new (%ld wrong)", bad);
	ok(d.n == n, "n counts them (%zu)", d.n);
	ok(growth_ok && pow2(d.cap) && d.cap > cap0, "grown by doubling, load kept at most 3/4 (cap %zu)",
	   d.cap);

	/* all of them again: duplicates */
	bad = 0;
	for (i = 0; i < n; i++)
		if (dedupe_add(&d, key(i)) != 0)
			bad++;
	ok(bad == 0, "re-adding every key reports a duplicate (%ld wrong)", bad);
	ok(d.n == n, "duplicates do not change n");

	/* interleaved new and old */
	bad = 0;
	for (i = 0; i < 100000; i++) {
		if (dedupe_add(&d, key(n + i)) != 1)
			bad++;
		if (dedupe_add(&d, key(i * 7 % (n + i + 1))) != 0)
			bad++;
	}
	ok(bad == 0 && d.n == n + 100000, "interleaved new and old keys (%ld wrong)", bad);
	dedupe_free(&d);
	ok(d.slot == NULL && d.n == 0, "dedupe_free empties the set");

	/* keys that differ only in the high word all land in one slot */
	dedupe_init(&d);
	bad = 0;
	for (i = 0; i < 20000; i++) {
		struct h128 k = { 12345, i + 1 };

		if (dedupe_add(&d, k) != 1)
			bad++;
	}
	for (i = 0; i < 20000; i++) {
		struct h128 k = { 12345, i + 1 };

		if (dedupe_add(&d, k) != 0)
			bad++;
	}
	ok(bad == 0 && d.n == 20000, "20000 keys with the same low word: found new, then duplicate");
	/* same high word, low words a multiple of the table size apart */
	bad = 0;
	for (i = 0; i < 20000; i++) {
		struct h128 k = { (uint64_t)i << 32, 77 };

		if (dedupe_add(&d, k) != 1)
			bad++;
	}
	ok(bad == 0 && d.n == 40000, "low words that share their low bits");
	{
		struct h128 k = { 12345, 20001 }, k2 = { 12346, 1 };

		ok(dedupe_add(&d, k) == 1 && dedupe_add(&d, k2) == 1, "near neighbours are new");
		ok(dedupe_add(&d, k) == 0 && dedupe_add(&d, k2) == 0, "and then duplicates");
	}
	dedupe_free(&d);

	/* the zero key works like any other */
	dedupe_init(&d);
	{
		struct h128 z = { 0, 0 }, lo = { 0, 5 }, hi = { 5, 0 };

		ok(dedupe_add(&d, z) == 1, "the zero key is new");
		ok(dedupe_add(&d, z) == 0, "the zero key twice is a duplicate");
		ok(dedupe_add(&d, lo) == 1 && dedupe_add(&d, hi) == 1, "keys with one zero word are new");
		ok(dedupe_add(&d, lo) == 0 && dedupe_add(&d, hi) == 0, "and then duplicates");
		ok(d.n == 3, "three keys (%zu)", d.n);
	}
	dedupe_free(&d);

	/* growth from a fresh set keeps every key findable across each doubling */
	dedupe_init(&d);
	bad = 0;
	for (i = 0; i < 70000; i++) {
		size_t before = d.cap;

		dedupe_add(&d, key(5000000 + i));
		if (d.cap != before) {
			size_t j;

			for (j = 0; j <= i; j++)
				if (dedupe_add(&d, key(5000000 + j)) != 0)
					bad++;
		}
	}
	ok(bad == 0, "after every doubling all earlier keys are still there (%ld lost)", bad);
	dedupe_free(&d);
	return tap_done();
}
