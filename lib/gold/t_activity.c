/* t_activity.c: events per (hour, event_type), with exact distinct
 * actors and repos. */
#include <stdlib.h>
#include <string.h>

#include "gold.h"

static const struct schema_col cols[] = {
	{ "hour", "timestamptz", "start of the UTC hour of created_at", 1 },
	{ "event_type", "text", "the event type", 1 },
	{ "events", "bigint", "events: count(*)", 1 },
	{ "actors", "bigint", "distinct actors (actor_id, or actor_login where the id is NULL)", 1 },
	{ "repos", "bigint", "distinct repos (repo_id, or repo_name where the id is NULL)", 1 },
	{ "bot_events", "bigint", "events whose actor is a bot", 1 },
};

struct row {
	int64_t hour;
	uint32_t type;
	int64_t events, actors, repos, bots;
};

static const struct gsyms *sort_sy;

static int
cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->hour != y->hour)
		return x->hour < y->hour ? -1 : 1;
	return gsym_cmp(sort_sy, x->type, y->type);
}

static int
emit(struct gold_run *r, struct gold_out *o, struct gha_err *err)
{
	const struct gold_facts *f = r->f;
	struct gmap groups, seen;
	struct row *rows = NULL;
	size_t i, cap = 0;

	(void)err;
	gmap_init(&groups);
	gmap_init(&seen);
	for (i = 0; i < f->n; i++) {
		const struct gfact *x = &f->v[i];
		int isnew;
		uint32_t g = gmap_get(&groups, (uint64_t)x->k.hour, x->k.type, 0, &isnew);
		struct row *w;

		if (isnew) {
			if (g >= cap) {
				cap = cap ? 2 * cap : 256;
				rows = xrealloc(rows, cap * sizeof(*rows));
			}
			memset(&rows[g], 0, sizeof(rows[g]));
			rows[g].hour = x->k.hour;
			rows[g].type = x->k.type;
		}
		w = &rows[g];
		w->events += x->n;
		if (x->k.bot)
			w->bots += x->n;
		/* distinct: (group, 1, key) for actors, (group, 2, key) for repos */
		if (x->k.actor && gmap_add(&seen, g, 1, f->sy.v[x->k.actor].key))
			w->actors++;
		if (x->k.repo && gmap_add(&seen, g, 2, f->sy.v[x->k.repo].key))
			w->repos++;
	}
	sort_sy = &f->sy;
	if (groups.n)
		qsort(rows, groups.n, sizeof(*rows), cmp);
	for (i = 0; i < groups.n; i++) {
		gold_out_hour(o, rows[i].hour);
		gold_out_sym(o, &f->sy, rows[i].type);
		gold_out_int(o, rows[i].events);
		gold_out_int(o, rows[i].actors);
		gold_out_int(o, rows[i].repos);
		gold_out_int(o, rows[i].bots);
		gold_out_end(o);
	}
	free(rows);
	gmap_free(&groups);
	gmap_free(&seen);
	return 0;
}

static void
sql(struct buf *b, const struct gold_run *r, enum gold_dialect d)
{
	gold_sql_ev(b, r, d);
	buf_adds(b, "\nselect ");
	gold_sql_fmt_hour(b, d, "hour_s");
	buf_adds(b, " as hour,\n  event_type,\n  count(*) as events,\n"
		    "  count(distinct actor_k) as actors,\n  count(distinct repo_k) as repos,\n"
		    "  sum(case when bot then 1 else 0 end) as bot_events\n"
		    "from ev\ngroup by hour_s, event_type\n");
	buf_printf(b, "order by hour_s, event_type%s", d == GD_POSTGRES ? " collate \"C\"" : "");
}

static const char *const key[] = { "hour", "event_type" };
const struct schema_table schema_gold_activity = SCHEMA_TABLE("gold_activity",
	"events, distinct actors and repos, bot events per (hour, event_type)", cols, key);

const struct gold_table gold_t_activity = {
	"activity", &schema_gold_activity,
	1u << GI_CREATED_AT | 1u << GI_EVENT_TYPE | 1u << GI_ACTOR_ID | 1u << GI_ACTOR_LOGIN |
		1u << GI_IS_BOT | 1u << GI_REPO_ID | 1u << GI_REPO_NAME,
	emit, sql,
};
