/* t_regions.c: per (day, region), the actors active that day and their
 * events. An actor's region is fitted over the whole input (the
 * actor_profiles table), then counted on each day the actor is active;
 * events with no actor, and actors below the minimums, are "unknown", so
 * the coverage is visible. */
#include <stdlib.h>
#include <string.h>

#include "bykey.h"

static const struct schema_col cols[] = {
	{ "day", "date", "the UTC day", 1 },
	{ "region", "text", "americas, europe_africa, asia_pacific or unknown (see actor_profiles)", 1 },
	{ "actors", "bigint", "distinct actors of the region active that day", 1 },
	{ "events", "bigint", "their events that day (and, under unknown, events with no actor)", 1 },
};

struct row {
	int64_t day;
	int region;
	int64_t actors, events;
};

static int
cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return strcmp(region_name((enum region)x->region), region_name((enum region)y->region));
}

static struct row *
row_of(struct gmap *groups, struct row **rows, size_t *cap, int64_t day, int region)
{
	int isnew;
	uint32_t i = gmap_get(groups, (uint64_t)day, (uint64_t)region, 0, &isnew);

	if (isnew) {
		if (i >= *cap) {
			*cap = *cap ? 2 * *cap : 64;
			*rows = xrealloc(*rows, *cap * sizeof(**rows));
		}
		(*rows)[i] = (struct row){ day, region, 0, 0 };
	}
	return &(*rows)[i];
}

static int
emit(struct gold_run *r, struct gold_out *o, struct gha_err *err)
{
	const struct gold_facts *f = r->f;
	struct gold_bykey g;
	struct gmap groups;
	struct row *rows = NULL;
	size_t at, end, j, cap = 0;
	const char *rn;

	(void)err;
	gmap_init(&groups);
	gold_bykey_init(&g, f, GB_ACTOR);
	for (at = 0; at < g.n; at = end) {
		struct gold_profile p;
		int64_t day = INT64_MIN;
		struct row *w = NULL;

		end = gold_bykey_end(&g, at);
		gold_profile(&g, at, end, &p);
		for (j = at; j < end; j++) {
			const struct gfact *x = &f->v[g.idx[j]];

			if (gold_day(x->k.hour) != day) {
				day = gold_day(x->k.hour);
				w = row_of(&groups, &rows, &cap, day, p.fit.region);
				w->actors++;
			}
			w->events += x->n;
		}
	}
	for (j = 0; j < f->n; j++)
		if (!f->v[j].k.actor)
			row_of(&groups, &rows, &cap, gold_day(f->v[j].k.hour), REGION_UNKNOWN)->events += f->v[j].n;
	if (groups.n)
		qsort(rows, groups.n, sizeof(*rows), cmp);
	for (j = 0; j < groups.n; j++) {
		gold_out_day(o, rows[j].day);
		rn = region_name((enum region)rows[j].region);
		gold_out_str(o, rn, strlen(rn));
		gold_out_int(o, rows[j].actors);
		gold_out_int(o, rows[j].events);
		gold_out_end(o);
	}
	free(rows);
	gmap_free(&groups);
	gold_bykey_free(&g);
	return 0;
}

static const char *const key[] = { "day", "region" };
const struct schema_table schema_gold_regions = SCHEMA_TABLE("gold_regions",
	"per (day, region): active actors and their events, regions fitted per actor", cols, key);

const struct gold_table gold_t_regions = {
	"regions", &schema_gold_regions,
	1u << GI_CREATED_AT | 1u << GI_ACTOR_ID | 1u << GI_ACTOR_LOGIN,
	emit, NULL,
};
