/* t_orgs.c: one row per (day, org). */
#include <stdlib.h>
#include <string.h>

#include "gold.h"

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
	int64_t day, login_t, events, repos, actors, stars;
	uint32_t key, login;
};

static const struct gsyms *sort_sy;

static int
cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return gsym_cmp(sort_sy, x->key, y->key);
}

static int
emit(struct gold_run *r, struct gold_out *o, struct gha_err *err)
{
	const struct gold_facts *f = r->f;
	const struct gsyms *sy = &f->sy;
	struct gmap groups, seen;
	struct row *rows = NULL;
	size_t i, cap = 0;

	(void)err;
	gmap_init(&groups);
	gmap_init(&seen);
	for (i = 0; i < f->n; i++) {
		const struct gfact *x = &f->v[i];
		int isnew;
		uint32_t g, key, ak, rk;
		struct row *w;

		if (!x->k.org)
			continue;
		key = sy->v[x->k.org].key;
		g = gmap_get(&groups, (uint64_t)gold_day(x->k.hour), key, 0, &isnew);
		if (isnew) {
			if (g >= cap) {
				cap = cap ? 2 * cap : 256;
				rows = xrealloc(rows, cap * sizeof(*rows));
			}
			memset(&rows[g], 0, sizeof(rows[g]));
			rows[g].day = gold_day(x->k.hour);
			rows[g].key = key;
		}
		w = &rows[g];
		if (sy->v[x->k.org].has_text &&
		    (!w->login || x->tmax > w->login_t ||
		     (x->tmax == w->login_t && gsym_cmp(sy, x->k.org, w->login) > 0))) {
			w->login = x->k.org;
			w->login_t = x->tmax;
		}
		w->events += x->n;
		ak = x->k.actor ? sy->v[x->k.actor].key : 0;
		rk = x->k.repo ? sy->v[x->k.repo].key : 0;
		if (rk && gmap_add(&seen, g, 1, rk))
			w->repos++;
		if (ak && gmap_add(&seen, g, 2, ak))
			w->actors++;
		if (ak && rk && !x->k.bot && gold_kind(f, &x->k) == GK_STAR &&
		    gmap_add(&seen, g, 3, (uint64_t)rk << 32 | ak))
			w->stars++;
	}
	sort_sy = sy;
	if (groups.n)
		qsort(rows, groups.n, sizeof(*rows), cmp);
	for (i = 0; i < groups.n; i++) {
		const struct row *w = &rows[i];

		gold_out_day(o, w->day);
		gold_out_id(o, sy, w->key);
		gold_out_sym(o, sy, w->login);
		gold_out_int(o, w->events);
		gold_out_int(o, w->repos);
		gold_out_int(o, w->actors);
		gold_out_int(o, w->stars);
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
