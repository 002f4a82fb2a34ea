/* t_repo_daily.c: one row per (day, repo): what happened to it. */
#include <stdlib.h>
#include <string.h>

#include "rows.h"

static const struct schema_col cols[] = {
	{ "day", "date", "the UTC day of created_at", 1 },
	{ "repo_id", "bigint", "repo_id; NULL for a repo known by name only", 0 },
	{ "repo_name", "text", "the repo_name of its latest event that day (ties: the greatest name)", 0 },
	{ "events", "bigint", "events", 1 },
	{ "stars", "bigint", "distinct non-bot actors with a WatchEvent", 1 },
	{ "forks", "bigint", "distinct non-bot actors with a ForkEvent", 1 },
	{ "pushes", "bigint", "PushEvents", 1 },
	{ "commits", "bigint", "sum of the known commit_count of PushEvents", 1 },
	{ "pushes_without_count", "bigint", "PushEvents whose commit_count is NULL (commits is a lower bound)", 1 },
	{ "prs_opened", "bigint", "PullRequestEvents, action opened", 1 },
	{ "prs_merged", "bigint", "PullRequestEvents, action closed, merged", 1 },
	{ "prs_closed", "bigint", "PullRequestEvents, action closed, not merged", 1 },
	{ "issues_opened", "bigint", "IssuesEvents, action opened", 1 },
	{ "issues_closed", "bigint", "IssuesEvents, action closed", 1 },
	{ "comments", "bigint", "IssueComment, PullRequestReviewComment and CommitComment events", 1 },
	{ "reviews", "bigint", "PullRequestReviewEvents", 1 },
	{ "releases", "bigint", "ReleaseEvents", 1 },
	{ "contributors", "bigint", "distinct non-bot actors who pushed, opened or closed PRs or issues, reviewed or commented", 1 },
};

struct row {
	struct gold_rowkey k;	/* key: the repo key symbol */
	uint32_t name;		/* symbol holding the latest name */
	int64_t name_t;
	int64_t events, stars, forks, pushes, commits, nocount, pro, prm, prc, io, ic, comments,
		reviews, releases, contributors;
};

static int
group(struct gold_rows *rs, const struct gfact *x, int64_t *day, uint32_t *key)
{
	if (!x->k.repo)
		return 0;
	*day = gold_day(x->k.hour);
	*key = gold_key(rs->sy, x->k.repo);
	return 1;
}

static void
add(struct gold_rows *rs, void *row, const struct gfact *x, int first)
{
	struct row *w = row;
	int kind = gold_kind(rs->f, &x->k);
	uint32_t ak = gold_key(rs->sy, x->k.actor);

	(void)first;
	gold_latest(rs->sy, x->k.repo, x->tmax, &w->name, &w->name_t);
	w->events += x->n;
	switch (kind) {
	case GK_STAR:
		if (ak && !x->k.bot && gold_rows_distinct(rs, GK_STAR, ak))
			w->stars++;
		break;
	case GK_FORK:
		if (ak && !x->k.bot && gold_rows_distinct(rs, GK_FORK, ak))
			w->forks++;
		break;
	case GK_PUSH:
		w->pushes += x->n;
		w->commits += x->commits;
		w->nocount += x->nocount;
		break;
	case GK_PR_OPENED: w->pro += x->n; break;
	case GK_PR_MERGED: w->prm += x->n; break;
	case GK_PR_CLOSED: w->prc += x->n; break;
	case GK_ISSUE_OPENED: w->io += x->n; break;
	case GK_ISSUE_CLOSED: w->ic += x->n; break;
	case GK_COMMENT: w->comments += x->n; break;
	case GK_REVIEW: w->reviews += x->n; break;
	case GK_RELEASE: w->releases += x->n; break;
	default: break;
	}
	if (ak && !x->k.bot && gold_kind_contributes(kind) &&
	    gold_rows_distinct(rs, GK_CONTRIB, ak))
		w->contributors++;
}

static void
put(struct gold_rows *rs, struct gold_out *o, const void *row)
{
	const struct row *w = row;

	gold_out_day(o, w->k.day);
	gold_out_id(o, rs->sy, w->k.key);
	gold_out_sym(o, rs->sy, w->name);
	gold_out_int(o, w->events);
	gold_out_int(o, w->stars);
	gold_out_int(o, w->forks);
	gold_out_int(o, w->pushes);
	gold_out_int(o, w->commits);
	gold_out_int(o, w->nocount);
	gold_out_int(o, w->pro);
	gold_out_int(o, w->prm);
	gold_out_int(o, w->prc);
	gold_out_int(o, w->io);
	gold_out_int(o, w->ic);
	gold_out_int(o, w->comments);
	gold_out_int(o, w->reviews);
	gold_out_int(o, w->releases);
	gold_out_int(o, w->contributors);
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
	buf_printf(b, ",\nnames as (\n  select day_s, repo_k, repo_name,\n"
		      "    row_number() over (partition by day_s, repo_k order by t_s desc, repo_name%s desc) as rn\n"
		      "  from ev where repo_k is not null and repo_name is not null\n),\n", C);
	buf_adds(b, "agg as (\n  select day_s, repo_k, max(repo_id) as repo_id, count(*) as events,\n"
		    "  count(distinct case when not bot and ");
	gold_sql_kind(b, GK_STAR);
	buf_adds(b, " then actor_k end) as stars,\n  count(distinct case when not bot and ");
	gold_sql_kind(b, GK_FORK);
	buf_adds(b, " then actor_k end) as forks,\n");
	count_kind(b, GK_PUSH, "pushes");
	buf_adds(b, "  sum(case when ");
	gold_sql_kind(b, GK_PUSH);
	buf_adds(b, " then coalesce(commit_count, 0) else 0 end) as commits,\n  sum(case when ");
	gold_sql_kind(b, GK_PUSH);
	buf_adds(b, " and commit_count is null then 1 else 0 end) as pushes_without_count,\n");
	count_kind(b, GK_PR_OPENED, "prs_opened");
	count_kind(b, GK_PR_MERGED, "prs_merged");
	count_kind(b, GK_PR_CLOSED, "prs_closed");
	count_kind(b, GK_ISSUE_OPENED, "issues_opened");
	count_kind(b, GK_ISSUE_CLOSED, "issues_closed");
	count_kind(b, GK_COMMENT, "comments");
	count_kind(b, GK_REVIEW, "reviews");
	count_kind(b, GK_RELEASE, "releases");
	buf_adds(b, "  count(distinct case when not bot and ");
	gold_sql_kind(b, GK_CONTRIB);
	buf_adds(b, " then actor_k end) as contributors\n  from ev where repo_k is not null\n"
		    "  group by day_s, repo_k\n)\nselect ");
	gold_sql_fmt_day(b, d, "a.day_s");
	buf_printf(b, " as day, a.repo_id, n.repo_name, events, stars, forks, pushes, commits,\n"
		      "  pushes_without_count, prs_opened, prs_merged, prs_closed, issues_opened,\n"
		      "  issues_closed, comments, reviews, releases, contributors\n"
		      "from agg a left join names n on n.day_s = a.day_s and n.repo_k = a.repo_k and n.rn = 1\n"
		      "order by a.day_s, a.repo_id nulls last, n.repo_name%s", C);
}

static const char *const key[] = { "day", "repo_id", "repo_name" };
const struct schema_table schema_gold_repo_daily = SCHEMA_TABLE("gold_repo_daily",
	"per (day, repo): events, stars, forks, pushes, commits, PRs, issues, contributors", cols, key);

const struct gold_table gold_t_repo_daily = {
	"repo_daily", &schema_gold_repo_daily,
	GI_ALL & ~(1u << GI_ORG_ID | 1u << GI_ORG_LOGIN | 1u << GI_MERGED_AT | 1u << GI_PR_CREATED_AT |
		   1u << GI_ADDITIONS | 1u << GI_DELETIONS | 1u << GI_LANGUAGE),
	emit, sql,
};
