/* sql.c: pieces of the --sql queries that every table shares: the "ev"
 * view of gha_events with gold's keys and times, and time formatting per
 * dialect. Times go through epoch seconds so every dialect rounds alike. */
#include <string.h>

#include "gold.h"

void
gold_sql_epoch(struct buf *b, enum gold_dialect d, const char *expr)
{
	switch (d) {
	case GD_POSTGRES: buf_printf(b, "floor(extract(epoch from %s))::bigint", expr); break;
	case GD_DUCKDB: buf_printf(b, "floor(epoch(%s))::bigint", expr); break;
	case GD_SNOWFLAKE: buf_printf(b, "date_part(epoch_second, %s)", expr); break;
	}
}

static void
fmt(struct buf *b, enum gold_dialect d, const char *e, const char *pg, const char *duck)
{
	switch (d) {
	case GD_POSTGRES:
		buf_printf(b, "to_char(to_timestamp(%s) at time zone 'UTC', '%s')", e, pg);
		break;
	case GD_DUCKDB:
		buf_printf(b, "strftime(make_timestamp((%s) * 1000000), '%s')", e, duck);
		break;
	case GD_SNOWFLAKE:
		buf_printf(b, "to_char(to_timestamp_ntz(%s), '%s')", e, pg);
		break;
	}
}

void
gold_sql_fmt_time(struct buf *b, enum gold_dialect d, const char *e)
{
	fmt(b, d, e, "YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"", "%Y-%m-%dT%H:%M:%SZ");
}

void
gold_sql_fmt_hour(struct buf *b, enum gold_dialect d, const char *e)
{
	gold_sql_fmt_time(b, d, e);
}

void
gold_sql_fmt_day(struct buf *b, enum gold_dialect d, const char *e)
{
	fmt(b, d, e, "YYYY-MM-DD", "%Y-%m-%d");
}

/* a glob as a LIKE pattern with '!' as the escape */
static void
like_pattern(struct buf *b, const char *g)
{
	buf_addc(b, '\'');
	for (; *g; g++) {
		switch (*g) {
		case '*': buf_addc(b, '%'); break;
		case '?': buf_addc(b, '_'); break;
		case '%': case '_': case '!': buf_addc(b, '!'); buf_addc(b, *g); break;
		case '\'': buf_adds(b, "''"); break;
		default: buf_addc(b, (char)((*g >= 'A' && *g <= 'Z') ? *g - 'A' + 'a' : *g));
		}
	}
	buf_addc(b, '\'');
}

void
gold_sql_ev(struct buf *b, const struct gold_run *r, enum gold_dialect d)
{
	const char *txt = d == GD_POSTGRES ? "::text" : "::varchar";
	size_t i;

	buf_adds(b, "with ev0 as (\n  select e.*, ");
	gold_sql_epoch(b, d, "created_at");
	buf_adds(b, " as t_s\n  from gha_events e\n),\nev as (\n  select ev0.*,\n"
		    /* floor division: hours and days start at multiples of 3600, 86400 */
		    "    t_s - mod(t_s, 3600) as hour_s,\n    t_s - mod(t_s, 86400) as day_s,\n");
	buf_printf(b, "    case when actor_id is not null then 'i' || actor_id%s\n"
		      "         when actor_login is not null then 'l' || actor_login end as actor_k,\n", txt);
	buf_printf(b, "    case when repo_id is not null then 'i' || repo_id%s\n"
		      "         when repo_name is not null then 'l' || repo_name end as repo_k,\n", txt);
	buf_printf(b, "    case when org_id is not null then 'i' || org_id%s\n"
		      "         when org_login is not null then 'l' || org_login end as org_k,\n", txt);
	buf_adds(b, "    (coalesce(is_bot, false)");
	if (r->o->bots) {
		for (i = 0; i < r->o->bots->n; i++) {
			buf_adds(b, "\n     or coalesce(lower(actor_login) like ");
			like_pattern(b, r->o->bots->pat[i]);
			buf_adds(b, " escape '!', false)");
		}
	}
	buf_adds(b, ") as bot\n  from ev0\n)");
}

void
gold_sql_langs(struct buf *b, const struct gold_run *r, enum gold_dialect d)
{
	buf_printf(b, "langs as (\n  select repo_k, language,\n"
		      "    row_number() over (partition by repo_k order by at_s desc, language%s desc) as rn\n"
		      "  from (\n    select repo_k, language, t_s as at_s from ev\n"
		      "    where repo_k is not null and language is not null\n",
		   d == GD_POSTGRES ? " collate \"C\"" : "");
	if (r->o->repos_path) {
		buf_printf(b, "    union all\n    select case when repo_id is not null then 'i' || repo_id%s\n"
			      "      else 'l' || name end, language, ",
			   d == GD_POSTGRES ? "::text" : "::varchar");
		gold_sql_epoch(b, d, "language_seen_at");
		buf_adds(b, "\n    from gha_repos where language is not null\n");
	}
	buf_adds(b, "  ) x\n)");
}
