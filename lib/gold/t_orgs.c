/* t_orgs.c: one row per (day, org). */
#include <stdlib.h>
#include <string.h>

#include "rows.h"

static const struct schema_col cols[] = {
	{ "day", "date", "the UTC day of created_at", 1 },
	{ "org_id", "bigint", "org_id; NULL for an org known by login only", 0 },
	{ "org_login", "text", "the org_login of its latest event that day (ties: the greatest login)", 0 },
	{ "events", "bigint", "events", 1 },
	{ "repos", "bigint", "distinct repos", 1 },
	{ "actors", "bigint", "distinct actors", 1 },
	{ "stars", "bigint", "distinct (repo, non-bot actor) pairs with a WatchEvent", 1 },
};

struct row {
	struct gold_rowkey k;	/* key: the org key symbol */
	int64_t login_t, events, repos, actors, stars;
	uint32_t login;
};

static int
group(struct gold_rows *rs, const struct gfact *x, int64_t *day, uint32_t *key)
{
	if (!x->k.org)
		return 0;
	*day = gold_day(x->k.hour);
	*key = gold_key(rs->sy, x->k.org);
	return 1;
}

static void
add(struct gold_rows *rs, void *row, const struct gfact *x, int first)
{
	struct row *w = row;
	uint32_t ak = gold_key(rs->sy, x->k.actor), rk = gold_key(rs->sy, x->k.repo);

	(void)first;
	gold_latest(rs->sy, x->k.org, x->tmax, &w->login, &w->login_t);
	w->events += x->n;
	if (rk && gold_rows_distinct(rs, 1, rk))
		w->repos++;
	if (ak && gold_rows_distinct(rs, 2, ak))
		w->actors++;
	if (ak && rk && !x->k.bot && gold_kind(rs->f, &x->k) == GK_STAR &&
	    gold_rows_distinct(rs, 3, (uint64_t)rk << 32 | ak))
		w->stars++;
}

static void
put(struct gold_rows *rs, struct gold_out *o, const void *row)
{
	const struct row *w = row;

	gold_out_day(o, w->k.day);
	gold_out_id(o, rs->sy, w->k.key);
	gold_out_sym(o, rs->sy, w->login);
	gold_out_int(o, w->events);
	gold_out_int(o, w->repos);
	gold_out_int(o, w->actors);
	gold_out_int(o, w->stars);
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
	const char *C = d == GD_POSTGRES ? " collate \"C\"" : "";

	gold_sql_ev(b, r, d);
	buf_printf(b, ",\nnames as (\n  select day_s, org_k, org_login,\n"
		      "    row_number() over (partition by day_s, org_k order by t_s desc, org_login%s desc) as rn\n"
		      "  from ev where org_k is not null and org_login is not null\n),\n", C);
	buf_adds(b, "agg as (\n  select day_s, org_k, max(org_id) as org_id, count(*) as events,\n"
		    "  count(distinct repo_k) as repos, count(distinct actor_k) as actors,\n"
		    "  count(distinct case when not bot and ");
	gold_sql_kind(b, GK_STAR);
	buf_adds(b, " and repo_k is not null\n    then length(repo_k) || ':' || repo_k || actor_k end) as stars\n"
		    "  from ev where org_k is not null\n  group by day_s, org_k\n)\nselect ");
	gold_sql_fmt_day(b, d, "a.day_s");
	buf_printf(b, " as day, a.org_id, n.org_login, events, repos, actors, stars\n"
		      "from agg a left join names n on n.day_s = a.day_s and n.org_k = a.org_k and n.rn = 1\n"
		      "order by a.day_s, a.org_id nulls last, n.org_login%s", C);
}

static const char *const key[] = { "day", "org_id", "org_login" };
const struct schema_table schema_gold_orgs = SCHEMA_TABLE("gold_orgs",
	"per (day, org): events, distinct repos and actors, stars", cols, key);

const struct gold_table gold_t_orgs = {
	"orgs", &schema_gold_orgs,
	1u << GI_CREATED_AT | 1u << GI_EVENT_TYPE | 1u << GI_ACTOR_ID | 1u << GI_ACTOR_LOGIN |
		1u << GI_IS_BOT | 1u << GI_REPO_ID | 1u << GI_REPO_NAME | 1u << GI_ORG_ID |
		1u << GI_ORG_LOGIN | 1u << GI_ACTION | 1u << GI_MERGED,
	emit, sql,
};
