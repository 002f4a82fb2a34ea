/* counter.h: counts by name, for stats; at most COUNTER_MAX distinct
 * names, later ones fold into "(other)". Sorted output. */
#ifndef GHA_COUNTER_H
#define GHA_COUNTER_H

#include "gha.h"

#define COUNTER_MAX 1000
struct counter {
	struct cnt { char *name; uint64_t n; } *v;
	size_t len, cap;
};
void counter_init(struct counter *c);
void counter_free(struct counter *c);
void counter_add(struct counter *c, const char *name, size_t len, uint64_t n);
void counter_json(const struct counter *c, struct buf *b);	/* {"a":1,...} sorted by name */

#endif
