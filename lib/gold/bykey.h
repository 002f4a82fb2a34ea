/* bykey.h: the facts of a gold run grouped by actor or by repo, in key
 * order (gsym_cmp: ids ascending, then texts), each group's facts by
 * hour. The analytics tables (actor_profiles, regions, anomalies) walk
 * one entity's facts at a time instead of keeping per-entity arrays, so
 * memory stays one index per fact. */
#ifndef GOLD_BYKEY_H
#define GOLD_BYKEY_H

#include "gold.h"
#include "region.h"

enum gold_bykey_of { GB_ACTOR, GB_REPO };

struct gold_bykey {
	const struct gold_facts *f;
	uint32_t *idx;		/* fact indexes with the key set, by (key order, hour) */
	size_t n;
	uint32_t *krank;	/* per position: the rank of its key */
	uint32_t *rank;		/* per symbol: 1 + rank of its key among the keys, 0 none */
	size_t nkeys;
	enum gold_bykey_of of;
};
void gold_bykey_init(struct gold_bykey *g, const struct gold_facts *f, enum gold_bykey_of of);
void gold_bykey_free(struct gold_bykey *g);
/* the (actor or repo) symbol of fact i */
uint32_t gold_bykey_sym(const struct gold_bykey *g, uint32_t i);
/* the end of the group starting at position at (the first position
 * whose key differs) */
size_t gold_bykey_end(const struct gold_bykey *g, size_t at);

/* the hour of day (0..23) of an hour, UTC */
static inline int
gold_hod(int64_t hour)
{
	return (int)(((hour / 3600) % 24 + 24) % 24);
}

/* ---- an actor's profile: when the actor is active (profile.c) ---- */

struct gold_profile {
	int64_t events;
	int64_t by_hour[24];	/* events by UTC hour of day */
	uint32_t active[24];	/* active hours by UTC hour of day: days with an event in it */
	uint32_t days, hours;	/* distinct active days, distinct active hours */
	uint32_t login;		/* the actor symbol of the latest event (its login) */
	struct region_fit fit;
};
/* The profile of the actor whose facts are g->idx[from..to). */
void gold_profile(const struct gold_bykey *g, size_t from, size_t to, struct gold_profile *p);

#endif
