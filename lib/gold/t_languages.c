/* t_languages.c: one row per (day, language); a repo's language is the
 * latest one known for it (events, then -R), NULL when none is. */
#include <stdlib.h>
#include <string.h>

#include "rows.h"

static const struct schema_col cols[] = {
	{ "day", "date", "the UTC day of created_at", 1 },
	{ "language", "text", "the repo's language; NULL: unknown, or no repo", 0 },
	{ "events", "bigint", "events", 1 },
	{ "repos", "bigint", "distinct repos", 1 },
	{ "actors", "bigint", "distinct actors", 1 },
	{ "pushes", "bigint", "PushEvents", 1 },
	{ "prs_opened", "bigint", "PullRequestEvents, action opened", 1 },
	{ "stars", "bigint", "distinct (repo, non-bot actor) pairs with a WatchEvent", 1 },
};

struct row {
	struct gold_rowkey k;	/* key: the language symbol (0: NULL, last) */
	int64_t events, repos, actors, pushes, pro, stars;
};

static int
group(struct gold_rows *rs, const struct gfact *x, int64_t *day, uint32_t *key)
{
	uint32_t rk = gold_key(rs->sy, x->k.repo);

	*day = gold_day(x->k.hour);
	*key = rk ? gold_repo_lang(rs->r, rk) : 0;
	return 1;
}

static void
add(struct gold_rows *rs, void *row, const struct gfact *x, int first)
{
	struct row *w = row;
	uint32_t ak = gold_key(rs->sy, x->k.actor), rk = gold_key(rs->sy, x->k.repo);
	int kind;

	(void)first;
	w->events += x->n;
	if (rk && gold_rows_distinct(rs, 1, rk))
		w->repos++;
	if (ak && gold_rows_distinct(rs, 2, ak))
		w->actors++;
	kind = gold_kind(rs->f, &x->k);
	if (kind == GK_PUSH)
		w->pushes += x->n;
	else if (kind == GK_PR_OPENED)
		w->pro += x->n;
	else if (kind == GK_STAR && ak && rk && !x->k.bot &&
		 gold_rows_distinct(rs, 3, (uint64_t)rk << 32 | ak))
		w->stars++;
}

static void
put(struct gold_rows *rs, struct gold_out *o, const void *row)
{
	const struct row *w = row;

	gold_out_day(o, w->k.day);
	gold_out_sym(o, rs->sy, w->k.key);
	gold_out_int(o, w->events);
	gold_out_int(o, w->repos);
	gold_out_int(o, w->actors);
	gold_out_int(o, w->pushes);
	gold_out_int(o, w->pro);
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
count_kind(struct buf *b, int kind, const char *as)
{
	buf_adds(b, "  sum(case when ");
	gold_sql_kind(b, kind);
	buf_printf(b, " then 1 else 0 end) as %s,\n", as);
}

static void
sql(struct buf *b, const struct gold_run *r, enum gold_dialect d)
{
	const char *C = d == GD_POSTGRES ? " collate \"C\"" : "";

	gold_sql_ev(b, r, d);
	buf_adds(b, ",\n");
	gold_sql_langs(b, r, d);
	buf_adds(b, ",\nagg as (\n  select day_s, l.language, count(*) as events,\n"
		    "  count(distinct ev.repo_k) as repos, count(distinct actor_k) as actors,\n");
	count_kind(b, GK_PUSH, "pushes");
	count_kind(b, GK_PR_OPENED, "prs_opened");
	buf_adds(b, "  count(distinct case when not bot and ");
	gold_sql_kind(b, GK_STAR);
	buf_adds(b, " and ev.repo_k is not null\n    then length(ev.repo_k) || ':' || ev.repo_k || actor_k end) as stars\n"
		    "  from ev left join langs l on l.repo_k = ev.repo_k and l.rn = 1\n"
		    "  group by day_s, l.language\n)\nselect ");
	gold_sql_fmt_day(b, d, "day_s");
	buf_printf(b, " as day, language, events, repos, actors, pushes, prs_opened, stars\n"
		      "from agg\norder by day_s, language%s nulls last", C);
}

static const char *const key[] = { "day", "language" };
const struct schema_table schema_gold_languages = SCHEMA_TABLE("gold_languages",
	"per (day, language): events, repos, actors, pushes, PRs opened, stars", cols, key);

const struct gold_table gold_t_languages = {
	"languages", &schema_gold_languages,
	1u << GI_CREATED_AT | 1u << GI_EVENT_TYPE | 1u << GI_ACTOR_ID | 1u << GI_ACTOR_LOGIN |
		1u << GI_IS_BOT | 1u << GI_REPO_ID | 1u << GI_REPO_NAME | 1u << GI_ACTION |
		1u << GI_MERGED | 1u << GI_LANGUAGE,
	emit, sql,
};
