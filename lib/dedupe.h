/* dedupe.h: a set of 128-bit keys, 16 bytes each, grown by doubling. */
#ifndef GHA_DEDUPE_H
#define GHA_DEDUPE_H

#include "hash.h"

struct dedupe {
	struct h128 *slot;
	size_t cap, n;
};
void dedupe_init(struct dedupe *d);
void dedupe_free(struct dedupe *d);
/* 1 when key was new (and is now in), 0 when it was already there.
 * The all-zero key stands for an empty slot and is stored as {1, 0}. */
int dedupe_add(struct dedupe *d, struct h128 key);

#endif
