/* t_activity.c: events per (hour, event_type), with exact distinct
 * actors and repos. */
#include <stdlib.h>
#include <string.h>

#include "rows.h"

static const struct schema_col cols[] = {
	{ "hour", "timestamptz", "start of the UTC hour of created_at", 1 },
	{ "event_type", "text", "the event type", 1 },
	{ "events", "bigint", "events: count(*)", 1 },
	{ "actors", "bigint", "distinct actors (actor_id, or actor_login where the id is NULL)", 1 },
	{ "repos", "bigint", "distinct repos (repo_id, or repo_name where the id is NULL)", 1 },
	{ "bot_events", "bigint", "events whose actor is a bot", 1 },
};

struct row {
	struct gold_rowkey k;	/* day: the hour; key: the event_type symbol */
	int64_t events, actors, repos, bots;
};

static int
group(struct gold_rows *rs, const struct gfact *x, int64_t *day, uint32_t *key)
{
	(void)rs;
	*day = x->k.hour;
	*key = x->k.type;
	return 1;
}

static void
add(struct gold_rows *rs, void *row, const struct gfact *x, int first)
{
	struct row *w = row;

	(void)first;
	w->events += x->n;
	if (x->k.bot)
		w->bots += x->n;
	/* distinct: set 1 actors, set 2 repos */
	if (x->k.actor && gold_rows_distinct(rs, 1, gold_key(rs->sy, x->k.actor)))
		w->actors++;
	if (x->k.repo && gold_rows_distinct(rs, 2, gold_key(rs->sy, x->k.repo)))
		w->repos++;
}

static void
put(struct gold_rows *rs, struct gold_out *o, const void *row)
{
	const struct row *w = row;

	gold_out_hour(o, w->k.day);
	gold_out_sym(o, rs->sy, w->k.key);
	gold_out_int(o, w->events);
	gold_out_int(o, w->actors);
	gold_out_int(o, w->repos);
	gold_out_int(o, w->bots);
}

static const struct gold_rows_def def = { sizeof(struct row), group, add, put };

static int
emit(struct gold_run *r, struct gold_out *o, struct gha_err *err)
{
	(void)err;
	return gold_rows_emit(r, o, &def);
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
