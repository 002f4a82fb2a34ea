/* t_regions.c: per (day, region), the actors active that day and their
 * events. An actor's region is fitted over the whole input (the
 * actor_profiles table), then counted on each day the actor is active;
 * events with no actor, and actors below the minimums, are "unknown", so
 * the coverage is visible. */
#include <math.h>
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

/* hour of day of an epoch-seconds expression, integer division per dialect */
static void
hod(struct buf *b, enum gold_dialect d, const char *e)
{
	switch (d) {
	case GD_POSTGRES: buf_printf(b, "mod(%s / 3600, 24)", e); break;
	case GD_DUCKDB: buf_printf(b, "mod(%s // 3600, 24)", e); break;
	case GD_SNOWFLAKE: buf_printf(b, "mod(floor(%s / 3600), 24)", e); break;
	}
}

/* The fit of region.c in SQL: active hours per hour of day, the
 * log-likelihood of each of the 24 shifts of the template, the best (ties:
 * the lowest offset), its band's posterior share and its gain over a flat
 * profile, with the same minimums. Floating sums may add in another order
 * than C's; only an exact tie or a value exactly on a threshold could then
 * fall the other way (see gha-gold(1)). */
static void
sql(struct buf *b, const struct gold_run *r, enum gold_dialect d)
{
	const char *C = d == GD_POSTGRES ? " collate \"C\"" : "";
	const char *F = d == GD_POSTGRES ? "float8" : "double";
	int h, o;
	double sum = 0;

	gold_sql_ev(b, r, d);
	buf_adds(b, ",\nah as (\n  select distinct actor_k, hour_s from ev where actor_k is not null\n),\n"
		    "prof as (\n  select actor_k, ");
	hod(b, d, "hour_s");
	buf_adds(b, " as h, count(*) as a\n  from ah group by actor_k, ");
	hod(b, d, "hour_s");
	buf_adds(b, "\n),\ntot as (\n  select actor_k, count(*) as n,\n"
		    "    count(distinct hour_s - mod(hour_s, 86400)) as days\n  from ah group by actor_k\n),\n"
		    "lw (h, e2, e3, e5) as (\n  values ");
	for (h = 0; h < 24; h++)
		sum += region_template[h];
	/* each weight as exponents of 2, 3 and 5 (region.c): integer sums */
	for (h = 0; h < 24; h++) {
		int e[3];

		region_weight_exp(h, e);
		buf_printf(b, "%s(%d, %d, %d, %d)", h ? ", " : "", h, e[0], e[1], e[2]);
	}
	buf_adds(b, "\n),\noffs (o) as (\n  values ");
	for (o = REGION_OFFSET_MIN; o <= REGION_OFFSET_MAX; o++)
		buf_printf(b, "%s(%d)", o > REGION_OFFSET_MIN ? ", " : "", o);
	/* %.17g: the doubles region.c uses, exactly */
	buf_printf(b, "\n),\nll as (\n  select p.actor_k, offs.o,\n"
		      "    (cast(sum(p.a * lw.e2) as %s) * cast(%.17g as %s) + cast(sum(p.a * lw.e3) as %s) * cast(%.17g as %s)\n"
		      "     + cast(sum(p.a * lw.e5) as %s) * cast(%.17g as %s)) - cast(sum(p.a) as %s) * cast(%.17g as %s) as ll\n",
		   F, REGION_LOG2, F, F, REGION_LOG3, F, F, REGION_LOG5, F, F, log(sum), F);
	buf_adds(b, "  from prof p cross join offs join lw on lw.h = mod(mod(p.h + offs.o, 24) + 24, 24)\n"
		    "  group by p.actor_k, offs.o\n),\n"
		    "best as (\n  select actor_k, o, ll,\n"
		    "    row_number() over (partition by actor_k order by ll desc, o) as rn\n  from ll\n),\n"
		    "fit as (\n  select bb.actor_k, bb.o, bb.ll,\n"
		    "    sum(case when l.ll - bb.ll < -700 then 0 else exp(l.ll - bb.ll) end) as total,\n"
		    "    sum(case when (case when l.o <= -3 then 1 when l.o <= 3 then 2 else 3 end) =\n"
		    "                  (case when bb.o <= -3 then 1 when bb.o <= 3 then 2 else 3 end)\n"
		    "             and l.ll - bb.ll >= -700 then exp(l.ll - bb.ll) else 0 end) as band\n"
		    "  from best bb join ll l on l.actor_k = bb.actor_k\n"
		    "  where bb.rn = 1\n  group by bb.actor_k, bb.o, bb.ll\n),\n");
	buf_printf(b, "reg as (\n  select t.actor_k,\n"
		      "    case when t.days >= %d and t.n >= %d and f.band / f.total >= %g\n"
		      "          and (f.ll - t.n * cast(%.17g as %s)) / t.n >= %g\n"
		      "      then case when f.o <= -3 then 'americas' when f.o <= 3 then 'europe_africa'\n"
		      "                else 'asia_pacific' end\n"
		      "      else 'unknown' end as region\n"
		      "  from tot t left join fit f on f.actor_k = t.actor_k\n)\nselect ",
		   REGION_MIN_DAYS, REGION_MIN_HOURS, REGION_MIN_CONFIDENCE, log(1.0 / 24), F,
		   REGION_MIN_GAIN);
	gold_sql_fmt_day(b, d, "x.day_s");
	buf_printf(b, " as day, x.region, count(distinct x.actor_k) as actors, count(*) as events\n"
		      "from (\n  select ev.day_s, ev.actor_k, coalesce(reg.region, 'unknown') as region\n"
		      "  from ev left join reg on reg.actor_k = ev.actor_k\n) x\n"
		      "group by x.day_s, x.region\norder by x.day_s, x.region%s", C);
}

static const char *const key[] = { "day", "region" };
const struct schema_table schema_gold_regions = SCHEMA_TABLE("gold_regions",
	"per (day, region): active actors and their events, regions fitted per actor", cols, key);

const struct gold_table gold_t_regions = {
	"regions", &schema_gold_regions,
	1u << GI_CREATED_AT | 1u << GI_ACTOR_ID | 1u << GI_ACTOR_LOGIN,
	emit, sql,
};
