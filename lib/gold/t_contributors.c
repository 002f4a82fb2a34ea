/* t_contributors.c: one row per actor over the whole input. */
#include <stdlib.h>
#include <string.h>

#include "rows.h"

static const struct schema_col cols[] = {
	{ "actor_id", "bigint", "actor_id; NULL for an actor known by login only", 0 },
	{ "actor_login", "text", "the actor_login of the actor's latest event (ties: the greatest login)", 0 },
	{ "events", "bigint", "events", 1 },
	{ "pushes", "bigint", "PushEvents", 1 },
	{ "commits", "bigint", "sum of the known commit_count of those pushes", 1 },
	{ "prs_opened", "bigint", "PullRequestEvents, action opened", 1 },
	{ "prs_merged", "bigint", "PullRequestEvents, action closed, merged: merges this actor did", 1 },
	{ "reviews", "bigint", "PullRequestReviewEvents", 1 },
	{ "issues_opened", "bigint", "IssuesEvents, action opened", 1 },
	{ "comments", "bigint", "IssueComment, PullRequestReviewComment and CommitComment events", 1 },
	{ "repos", "bigint", "distinct repos the actor had events in", 1 },
	{ "active_days", "bigint", "distinct UTC days with an event", 1 },
	{ "first_seen", "timestamptz", "the earliest created_at", 1 },
	{ "last_seen", "timestamptz", "the latest created_at", 1 },
	{ "is_bot", "boolean", "some event of the actor was a bot's", 1 },
};

struct row {
	struct gold_rowkey k;	/* day 0; key: the actor key symbol */
	uint32_t login;
	int64_t login_t, events, pushes, commits, pro, prm, reviews, io, comments, repos, days,
		first, last;
	int bot;
};

static int
group(struct gold_rows *rs, const struct gfact *x, int64_t *day, uint32_t *key)
{
	if (!x->k.actor)
		return 0;
	*day = 0;
	*key = gold_key(rs->sy, x->k.actor);
	return 1;
}

static void
add(struct gold_rows *rs, void *row, const struct gfact *x, int first)
{
	struct row *w = row;

	if (first) {
		w->first = x->tmin;
		w->last = x->tmax;
	}
	gold_latest(rs->sy, x->k.actor, x->tmax, &w->login, &w->login_t);
	w->events += x->n;
	switch (gold_kind(rs->f, &x->k)) {
	case GK_PUSH: w->pushes += x->n; w->commits += x->commits; break;
	case GK_PR_OPENED: w->pro += x->n; break;
	case GK_PR_MERGED: w->prm += x->n; break;
	case GK_REVIEW: w->reviews += x->n; break;
	case GK_ISSUE_OPENED: w->io += x->n; break;
	case GK_COMMENT: w->comments += x->n; break;
	default: break;
	}
	if (x->k.repo && gold_rows_distinct(rs, 1, gold_key(rs->sy, x->k.repo)))
		w->repos++;
	if (gold_rows_distinct(rs, 2, (uint64_t)gold_day(x->k.hour)))
		w->days++;
	if (x->tmin < w->first)
		w->first = x->tmin;
	if (x->tmax > w->last)
		w->last = x->tmax;
	w->bot |= x->k.bot;
}

static void
put(struct gold_rows *rs, struct gold_out *o, const void *row)
{
	const struct row *w = row;

	gold_out_id(o, rs->sy, w->k.key);
	gold_out_sym(o, rs->sy, w->login);
	gold_out_int(o, w->events);
	gold_out_int(o, w->pushes);
	gold_out_int(o, w->commits);
	gold_out_int(o, w->pro);
	gold_out_int(o, w->prm);
	gold_out_int(o, w->reviews);
	gold_out_int(o, w->io);
	gold_out_int(o, w->comments);
	gold_out_int(o, w->repos);
	gold_out_int(o, w->days);
	gold_out_time(o, w->first);
	gold_out_time(o, w->last);
	gold_out_bool(o, w->bot);
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
	buf_printf(b, ",\nlogins as (\n  select actor_k, actor_login,\n"
		      "    row_number() over (partition by actor_k order by t_s desc, actor_login%s desc) as rn\n"
		      "  from ev where actor_k is not null and actor_login is not null\n),\n", C);
	buf_adds(b, "agg as (\n  select actor_k, max(actor_id) as actor_id, count(*) as events,\n");
	count_kind(b, GK_PUSH, "pushes");
	buf_adds(b, "  sum(case when ");
	gold_sql_kind(b, GK_PUSH);
	buf_adds(b, " then coalesce(commit_count, 0) else 0 end) as commits,\n");
	count_kind(b, GK_PR_OPENED, "prs_opened");
	count_kind(b, GK_PR_MERGED, "prs_merged");
	count_kind(b, GK_REVIEW, "reviews");
	count_kind(b, GK_ISSUE_OPENED, "issues_opened");
	count_kind(b, GK_COMMENT, "comments");
	buf_adds(b, "  count(distinct repo_k) as repos, count(distinct day_s) as active_days,\n"
		    "  min(t_s) as first_s, max(t_s) as last_s,\n"
		    "  max(case when bot then 1 else 0 end) as bot_n\n"
		    "  from ev where actor_k is not null\n  group by actor_k\n)\n"
		    "select a.actor_id, l.actor_login, events, pushes, commits, prs_opened, prs_merged,\n"
		    "  reviews, issues_opened, comments, repos, active_days,\n  ");
	gold_sql_fmt_time(b, d, "first_s");
	buf_adds(b, " as first_seen,\n  ");
	gold_sql_fmt_time(b, d, "last_s");
	/* t / f as PostgreSQL prints a boolean, in every dialect */
	buf_printf(b, " as last_seen,\n  %s as is_bot\n",
		   d == GD_POSTGRES ? "bot_n = 1" : "case when bot_n = 1 then 't' else 'f' end");
	buf_printf(b, "from agg a left join logins l on l.actor_k = a.actor_k and l.rn = 1\n"
		      "order by a.actor_id nulls last, l.actor_login%s", C);
}

static const char *const key[] = { "actor_id", "actor_login" };
const struct schema_table schema_gold_contributors = SCHEMA_TABLE("gold_contributors",
	"per actor over the input: events, pushes, PRs, reviews, repos, active days", cols, key);

const struct gold_table gold_t_contributors = {
	"contributors", &schema_gold_contributors,
	GI_ALL & ~(1u << GI_ORG_ID | 1u << GI_ORG_LOGIN | 1u << GI_MERGED_AT | 1u << GI_PR_CREATED_AT |
		   1u << GI_ADDITIONS | 1u << GI_DELETIONS | 1u << GI_LANGUAGE),
	emit, sql,
};
