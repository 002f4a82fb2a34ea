/* t_languages.c: one row per (day, language); a repo's language is the
 * latest one known for it (events, then -R), NULL when none is. */
#include <stdlib.h>
#include <string.h>

#include "gold.h"

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
	int64_t day, events, repos, actors, pushes, pro, stars;
	uint32_t lang;
};

static const struct gsyms *sort_sy;

static int
cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return gsym_cmp(sort_sy, x->lang, y->lang);
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
		int isnew, kind;
		uint32_t g, ak, rk, lang;
		struct row *w;

		rk = x->k.repo ? f->sy.v[x->k.repo].key : 0;
		lang = rk ? gold_repo_lang(r, rk) : 0;
		g = gmap_get(&groups, (uint64_t)gold_day(x->k.hour), lang, 0, &isnew);
		if (isnew) {
			if (g >= cap) {
				cap = cap ? 2 * cap : 256;
				rows = xrealloc(rows, cap * sizeof(*rows));
			}
			memset(&rows[g], 0, sizeof(rows[g]));
			rows[g].day = gold_day(x->k.hour);
			rows[g].lang = lang;
		}
		w = &rows[g];
		w->events += x->n;
		ak = x->k.actor ? sy->v[x->k.actor].key : 0;
		if (rk && gmap_add(&seen, g, 1, rk))
			w->repos++;
		if (ak && gmap_add(&seen, g, 2, ak))
			w->actors++;
		kind = gold_kind(f, &x->k);
		if (kind == GK_PUSH)
			w->pushes += x->n;
		else if (kind == GK_PR_OPENED)
			w->pro += x->n;
		else if (kind == GK_STAR && ak && rk && !x->k.bot &&
			 gmap_add(&seen, g, 3, (uint64_t)rk << 32 | ak))
			w->stars++;
	}
	sort_sy = sy;
	if (groups.n)
		qsort(rows, groups.n, sizeof(*rows), cmp);
	for (i = 0; i < groups.n; i++) {
		const struct row *w = &rows[i];

		gold_out_day(o, w->day);
		gold_out_sym(o, sy, w->lang);
		gold_out_int(o, w->events);
		gold_out_int(o, w->repos);
		gold_out_int(o, w->actors);
		gold_out_int(o, w->pushes);
		gold_out_int(o, w->pro);
		gold_out_int(o, w->stars);
		gold_out_end(o);
	}
	free(rows);
	gmap_free(&groups);
	gmap_free(&seen);
	return 0;
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
