/* dedupe.c: an open-addressing set of 128-bit keys. The all-zero key
 * marks an empty slot, so a real zero key is nudged to 1. */
#include <stdlib.h>

#include "gha.h"
#include "dedupe.h"
#include "hash.h"

void
dedupe_init(struct dedupe *d)
{
	d->cap = 1 << 12;
	d->n = 0;
	d->slot = xcalloc(d->cap, sizeof(*d->slot));
}

void
dedupe_free(struct dedupe *d)
{
	free(d->slot);
	d->slot = NULL;
	d->cap = d->n = 0;
}

static int
put(struct h128 *slot, size_t cap, struct h128 k)
{
	size_t i = (size_t)k.lo & (cap - 1);

	for (;;) {
		if (!slot[i].lo && !slot[i].hi) {
			slot[i] = k;
			return 1;
		}
		if (slot[i].lo == k.lo && slot[i].hi == k.hi)
			return 0;
		i = (i + 1) & (cap - 1);
	}
}

static void
grow(struct dedupe *d)
{
	size_t i, cap = d->cap * 2;
	struct h128 *s = xcalloc(cap, sizeof(*s));

	for (i = 0; i < d->cap; i++)
		if (d->slot[i].lo || d->slot[i].hi)
			put(s, cap, d->slot[i]);
	free(d->slot);
	d->slot = s;
	d->cap = cap;
}

int
dedupe_add(struct dedupe *d, struct h128 k)
{
	int added;

	if (!k.lo && !k.hi)
		k.lo = 1;
	if ((d->n + 1) * 4 > d->cap * 3)
		grow(d);
	added = put(d->slot, d->cap, k);
	d->n += (size_t)added;
	return added;
}
