/* t_prs.c: merged pull requests per (day, repo), per day, and overall:
 * how many, how long they took (nearest-rank percentiles, exact), and how
 * big they were. */
#include <stdlib.h>
#include <string.h>

#include "gold.h"

static const struct schema_col cols[] = {
	{ "day", "date", "the UTC day of the merge event; NULL on the overall row", 0 },
	{ "scope", "text", "repo: one repo that day; day: all repos that day; all: the whole input", 1 },
	{ "repo_id", "bigint", "repo_id (scope repo); NULL for a repo known by name only", 0 },
	{ "repo_name", "text", "the repo_name of its latest event that day (scope repo)", 0 },
	{ "merged", "bigint", "PullRequestEvents, action closed, merged", 1 },
	{ "timed", "bigint", "of those, with merged_at and pr_created_at known", 1 },
	{ "merge_p50_s", "bigint", "median merge time, seconds (nearest rank: percentile_disc(0.5)); NULL when timed is 0", 0 },
	{ "merge_p90_s", "bigint", "90th percentile merge time, seconds (nearest rank: percentile_disc(0.9))", 0 },
	{ "size_xs", "bigint", "additions + deletions < 10", 1 },
	{ "size_s", "bigint", "10 to 99", 1 },
	{ "size_m", "bigint", "100 to 499", 1 },
	{ "size_l", "bigint", "500 to 999", 1 },
	{ "size_xl", "bigint", "1000 or more", 1 },
	{ "size_unknown", "bigint", "additions or deletions NULL (trimmed payloads)", 1 },
};

enum { SC_ALL, SC_DAY, SC_REPO };
static const char *const scope_names[] = { "all", "day", "repo" };

struct row {
	int64_t day;
	int scope;
	uint32_t key, name;
	int64_t name_t, merged, timed, p50, p90, size[6];
};
struct val {
	uint32_t g;
	int64_t secs, n;
};

static const struct gsyms *sort_sy;

static int
cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	/* day, the overall row (no day) last; then scope by name; then repo */
	if ((x->scope == SC_ALL) != (y->scope == SC_ALL))
		return x->scope == SC_ALL ? 1 : -1;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	if (x->scope != y->scope)
		return strcmp(scope_names[x->scope], scope_names[y->scope]);
	return gsym_cmp(sort_sy, x->key, y->key);
}

static int
cmpval(const void *a, const void *b)
{
	const struct val *x = a, *y = b;

	if (x->g != y->g)
		return x->g < y->g ? -1 : 1;
	return x->secs < y->secs ? -1 : x->secs > y->secs;
}

static int
bucket(int64_t size)
{
	return size < 10 ? 0 : size < 100 ? 1 : size < 500 ? 2 : size < 1000 ? 3 : 4;
}

static int
emit(struct gold_run *r, struct gold_out *o, struct gha_err *err)
{
	const struct gold_facts *f = r->f;
	const struct gsyms *sy = &f->sy;
	struct gmap groups;
	struct row *rows = NULL;
	struct val *vals = NULL;
	size_t i, cap = 0, nv = 0, vcap = 0;

	(void)err;
	gmap_init(&groups);
	for (i = 0; i < f->n; i++) {
		const struct gfact *x = &f->v[i];
		uint32_t rk = x->k.repo ? sy->v[x->k.repo].key : 0;
		int s;

		if (gold_kind(f, &x->k) != GK_PR_MERGED)
			continue;
		for (s = SC_ALL; s <= SC_REPO; s++) {
			int64_t day = s == SC_ALL ? 0 : gold_day(x->k.hour);
			uint32_t key = s == SC_REPO ? rk : 0;
			int isnew;
			uint32_t g;
			struct row *w;

			if (s == SC_REPO && !rk)
				continue;
			g = gmap_get(&groups, (uint64_t)day, key, (uint64_t)s, &isnew);
			if (isnew) {
				if (g >= cap) {
					cap = cap ? 2 * cap : 256;
					rows = xrealloc(rows, cap * sizeof(*rows));
				}
				memset(&rows[g], 0, sizeof(rows[g]));
				rows[g].day = day;
				rows[g].scope = s;
				rows[g].key = key;
			}
			w = &rows[g];
			w->merged += x->n;
			w->size[x->k.flags & GF_SIZE ? bucket(x->k.size) : 5] += x->n;
			if (x->k.flags & GF_MSECS) {
				w->timed += x->n;
				if (nv == vcap) {
					vcap = vcap ? 2 * vcap : 256;
					vals = xrealloc(vals, vcap * sizeof(*vals));
				}
				vals[nv].g = g;
				vals[nv].secs = x->k.msecs;
				vals[nv].n = x->n;
				nv++;
			}
		}
	}
	/* nearest rank: the k-th smallest, k = ceil(p * n), in integers */
	if (nv)
		qsort(vals, nv, sizeof(*vals), cmpval);
	for (i = 0; i < nv;) {
		struct row *w = &rows[vals[i].g];
		int64_t seen = 0, k50 = (w->timed + 1) / 2, k90 = (9 * w->timed + 9) / 10;
		int have50 = 0, have90 = 0;
		uint32_t g = vals[i].g;

		for (; i < nv && vals[i].g == g; i++) {
			seen += vals[i].n;
			if (!have50 && seen >= k50)
				w->p50 = vals[i].secs, have50 = 1;
			if (!have90 && seen >= k90)
				w->p90 = vals[i].secs, have90 = 1;
		}
	}
	/* repo names: the latest that day, over all the repo's events */
	for (i = 0; i < f->n && groups.n; i++) {
		const struct gfact *x = &f->v[i];
		long g;
		struct row *w;

		if (!x->k.repo || !sy->v[x->k.repo].has_text)
			continue;
		g = gmap_find(&groups, (uint64_t)gold_day(x->k.hour), sy->v[x->k.repo].key, SC_REPO);
		if (g < 0)
			continue;
		w = &rows[g];
		if (!w->name || x->tmax > w->name_t ||
		    (x->tmax == w->name_t && gsym_cmp(sy, x->k.repo, w->name) > 0)) {
			w->name = x->k.repo;
			w->name_t = x->tmax;
		}
	}
	sort_sy = sy;
	if (groups.n)
		qsort(rows, groups.n, sizeof(*rows), cmp);
	for (i = 0; i < groups.n; i++) {
		const struct row *w = &rows[i];
		int k;

		if (w->scope == SC_ALL)
			gold_out_null(o);
		else
			gold_out_day(o, w->day);
		gold_out_str(o, scope_names[w->scope], strlen(scope_names[w->scope]));
		gold_out_id(o, sy, w->key);
		gold_out_sym(o, sy, w->name);
		gold_out_int(o, w->merged);
		gold_out_int(o, w->timed);
		if (w->timed) {
			gold_out_int(o, w->p50);
			gold_out_int(o, w->p90);
		} else {
			gold_out_null(o);
			gold_out_null(o);
		}
		for (k = 0; k < 6; k++)
			gold_out_int(o, w->size[k]);
		gold_out_end(o);
	}
	free(rows);
	free(vals);
	gmap_free(&groups);
	return 0;
}

static void
aggs(struct buf *b, const char *sfx)
{
	buf_printf(b, "count(*) as merged, count(secs) as timed,\n"
		      "    min(case when secs is not null and 2 * rn_%s >= cnt_%s then secs end) as p50,\n"
		      "    min(case when secs is not null and 10 * rn_%s >= 9 * cnt_%s then secs end) as p90,\n"
		      "    sum(case when size < 10 then 1 else 0 end) as size_xs,\n"
		      "    sum(case when size >= 10 and size < 100 then 1 else 0 end) as size_s,\n"
		      "    sum(case when size >= 100 and size < 500 then 1 else 0 end) as size_m,\n"
		      "    sum(case when size >= 500 and size < 1000 then 1 else 0 end) as size_l,\n"
		      "    sum(case when size >= 1000 then 1 else 0 end) as size_xl,\n"
		      "    sum(case when size is null then 1 else 0 end) as size_unknown\n",
		   sfx, sfx, sfx, sfx);
}

static void
sql(struct buf *b, const struct gold_run *r, enum gold_dialect d)
{
	const char *C = d == GD_POSTGRES ? " collate \"C\"" : "";

	gold_sql_ev(b, r, d);
	buf_printf(b, ",\nnames as (\n  select day_s, repo_k, repo_name,\n"
		      "    row_number() over (partition by day_s, repo_k order by t_s desc, repo_name%s desc) as rn\n"
		      "  from ev where repo_k is not null and repo_name is not null\n),\n", C);
	buf_adds(b, "m0 as (\n  select day_s, repo_k, repo_id,\n    ");
	gold_sql_epoch(b, d, "merged_at");
	buf_adds(b, " - ");
	gold_sql_epoch(b, d, "pr_created_at");
	buf_adds(b, " as secs,\n    additions + deletions as size\n  from ev where ");
	gold_sql_kind(b, GK_PR_MERGED);
	buf_adds(b, "\n),\nm as (\n  select m0.*,\n"
		    "    row_number() over (partition by day_s, repo_k order by secs nulls last) as rn_r,\n"
		    "    count(secs) over (partition by day_s, repo_k) as cnt_r,\n"
		    "    row_number() over (partition by day_s order by secs nulls last) as rn_d,\n"
		    "    count(secs) over (partition by day_s) as cnt_d,\n"
		    "    row_number() over (order by secs nulls last) as rn_a,\n"
		    "    count(secs) over () as cnt_a\n  from m0\n),\n"
		    "g as (\n  select day_s, 'repo' as scope, repo_k, max(repo_id) as repo_id,\n    ");
	aggs(b, "r");
	buf_adds(b, "  from m where repo_k is not null group by day_s, repo_k\n  union all\n"
		    "  select day_s, 'day', null, null,\n    ");
	aggs(b, "d");
	buf_adds(b, "  from m group by day_s\n  union all\n  select null, 'all', null, null,\n    ");
	aggs(b, "a");
	buf_adds(b, "  from m having count(*) > 0\n)\nselect ");
	gold_sql_fmt_day(b, d, "g.day_s");
	buf_printf(b, " as day, scope, g.repo_id, n.repo_name, merged, timed,\n"
		      "  p50 as merge_p50_s, p90 as merge_p90_s,\n"
		      "  size_xs, size_s, size_m, size_l, size_xl, size_unknown\n"
		      "from g left join names n on n.day_s = g.day_s and n.repo_k = g.repo_k and n.rn = 1\n"
		      "order by g.day_s nulls last, scope%s, g.repo_id nulls last, n.repo_name%s", C, C);
}

static const char *const key[] = { "day", "scope", "repo_id", "repo_name" };
const struct schema_table schema_gold_prs = SCHEMA_TABLE("gold_prs",
	"merged PRs per (day, repo), per day and overall: merge time p50/p90, size buckets", cols, key);

const struct gold_table gold_t_prs = {
	"prs", &schema_gold_prs,
	GI_ALL & ~(1u << GI_ORG_ID | 1u << GI_ORG_LOGIN | 1u << GI_LANGUAGE | 1u << GI_COMMIT_COUNT),
	emit, sql,
};
