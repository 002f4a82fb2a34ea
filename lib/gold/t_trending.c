/* t_trending.c: repos ranked over a window of days.
 *
 * After OSS Insight's trending query (stars weighted 2 to 5 by recency,
 * forks 1 to 4), with integer weights and these changes: an actor counts
 * once per repo and signal (at its latest star or fork in the window),
 * bots never count, and repos whose stars look farmed are flagged with a
 * reason and left out of the ranking instead of being silently ranked or
 * dropped. No young-repo bonus: a repo's creation is not in the events
 * unless its CreateEvent is in the input, so "young" cannot be told
 * honestly from a window of events.
 *
 *   q      = ((hour - window start) / 3600) * 4 / (24 * days)   (0..3)
 *   score  = sum over stargazers (2 + q) + sum over forkers (1 + q)
 *            + 2 * distinct PR openers + distinct pushers
 *   flags  = repeated_stars: star events >= 10 and >= 2 per stargazer
 *            star_burst: stars >= 20 and >= 80% of stargazers' latest
 *            stars in one hour
 */
#include <stdlib.h>
#include <string.h>

#include "rows.h"

static const struct schema_col cols[] = {
	{ "rank", "bigint", "1, 2, ... by score (descending), then repo key; NULL when flagged", 0 },
	{ "repo_id", "bigint", "repo_id; NULL for a repo known by name only", 0 },
	{ "repo_name", "text", "the repo_name of its latest event in the window", 0 },
	{ "language", "text", "the repo's language (as in the languages table)", 0 },
	{ "score", "bigint", "star weights (2..5) + fork weights (1..4) + 2 x PR openers + pushers", 1 },
	{ "stars", "bigint", "distinct non-bot actors with a WatchEvent in the window", 1 },
	{ "forks", "bigint", "distinct non-bot actors with a ForkEvent in the window", 1 },
	{ "pushes", "bigint", "non-bot PushEvents in the window", 1 },
	{ "prs_opened", "bigint", "non-bot PullRequestEvents, action opened, in the window", 1 },
	{ "contributors", "bigint", "distinct non-bot actors who pushed, opened or closed PRs or issues, reviewed or commented", 1 },
	{ "top_contributors", "text", "up to 5 non-bot logins, most events in the repo in the window first (ties: actor key), comma-separated", 0 },
	{ "flag", "text", "repeated_stars, star_burst (comma-separated), or NULL", 0 },
};

struct row {
	uint32_t key, name, lang;
	int64_t name_t, score, stars, forks, pushes, pro, contributors, star_events, openers,
		pushers, top_hour, rank;
	int flag;		/* bit 0 repeated_stars, bit 1 star_burst */
	char *top;
	size_t toplen;
};
enum { T_STAR = 1, T_FORK, T_CONTRIB, T_OPENER, T_PUSHER, T_EVENTS };

/* per (repo group, actor): star/fork hour, events */
struct pa {
	uint32_t g, actor;
	int64_t star_h, fork_h, events;
	unsigned seen;		/* 1 << T_PUSHER, T_OPENER, T_CONTRIB: counted as such */
};

static const struct gsyms *sort_sy;

static int
keycmp(const struct row *x, const struct row *y)
{
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return gsym_cmp(sort_sy, x->key, y->key);
}

static int
cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (!x->flag != !y->flag)
		return x->flag ? 1 : -1;
	return keycmp(x, y);
}

/* top contributors: by events desc, then actor key */
static int
cmppa(const void *a, const void *b)
{
	const struct pa *x = a, *y = b;

	if (x->g != y->g)
		return x->g < y->g ? -1 : 1;
	if (x->events != y->events)
		return x->events > y->events ? -1 : 1;
	return gsym_cmp(sort_sy, x->actor, y->actor);
}

static void
window(struct gold_run *r, int64_t *ws, int64_t *we)
{
	int64_t until = r->o->until >= 0 ? r->o->until : gold_day(r->f->hmax);

	*we = until + DAY_SECS;
	*ws = *we - (int64_t)r->o->window * DAY_SECS;
}

static int
emit(struct gold_run *r, struct gold_out *o, struct gha_err *err)
{
	const struct gold_facts *f = r->f;
	const struct gsyms *sy = &f->sy;
	struct gmap pam;
	struct row *rows = NULL;
	struct pa *pas = NULL;
	/* per key symbol: its group + 1; an actor's latest login (0: none) */
	uint32_t *gid = xcalloc(sy->n + 1, sizeof(*gid)), *login = xcalloc(sy->n + 1, sizeof(*login));
	int64_t *login_t = xcalloc(sy->n + 1, sizeof(*login_t));
	size_t i, ng = 0, cap = 0, pcap = 0;
	int64_t ws, we, len;

	(void)err;
	window(r, &ws, &we);
	len = we - ws;
	gmap_init(&pam);
	for (i = 0; i < f->n; i++) {
		const struct gfact *x = &f->v[i];
		int isnew, kind;
		uint32_t g, rk, ak;
		struct row *w;
		struct pa *p = NULL;

		if (!x->k.repo || x->k.hour < ws || x->k.hour >= we)
			continue;
		rk = sy->v[x->k.repo].key;
		if (!gid[rk]) {
			g = (uint32_t)ng++;
			gid[rk] = g + 1;
			if (g >= cap) {
				cap = cap ? 2 * cap : 256;
				rows = xrealloc(rows, cap * sizeof(*rows));
			}
			memset(&rows[g], 0, sizeof(rows[g]));
			rows[g].key = rk;
		}
		g = gid[rk] - 1;
		w = &rows[g];
		gold_latest(sy, x->k.repo, x->tmax, &w->name, &w->name_t);
		if (x->k.bot || !x->k.actor)
			continue;
		ak = sy->v[x->k.actor].key;
		/* the actor's latest login in the window */
		gold_latest(sy, x->k.actor, x->tmax, &login[ak], &login_t[ak]);
		{
			uint32_t pi = gmap_get(&pam, g, ak, 0, &isnew);

			if (isnew) {
				if (pi >= pcap) {
					pcap = pcap ? 2 * pcap : 256;
					pas = xrealloc(pas, pcap * sizeof(*pas));
				}
				pas[pi].g = g;
				pas[pi].actor = ak;
				pas[pi].star_h = pas[pi].fork_h = -1;
				pas[pi].events = 0;
				pas[pi].seen = 0;
			}
			p = &pas[pi];
		}
		p->events += x->n;
		kind = gold_kind(f, &x->k);
		switch (kind) {
		case GK_STAR:
			w->star_events += x->n;
			if (x->k.hour > p->star_h)
				p->star_h = x->k.hour;
			break;
		case GK_FORK:
			if (x->k.hour > p->fork_h)
				p->fork_h = x->k.hour;
			break;
		case GK_PUSH:
			w->pushes += x->n;
			if (!(p->seen & 1u << T_PUSHER)) {
				p->seen |= 1u << T_PUSHER;
				w->pushers++;
			}
			break;
		case GK_PR_OPENED:
			w->pro += x->n;
			if (!(p->seen & 1u << T_OPENER)) {
				p->seen |= 1u << T_OPENER;
				w->openers++;
			}
			break;
		default:
			break;
		}
		if (gold_kind_contributes(kind) && !(p->seen & 1u << T_CONTRIB)) {
			p->seen |= 1u << T_CONTRIB;
			w->contributors++;
		}
	}
	/* stars and forks: once per actor, weighted by its latest one */
	for (i = 0; i < pam.n; i++) {
		const struct pa *p = &pas[i];
		struct row *w = &rows[p->g];

		if (p->star_h >= 0) {
			w->stars++;
			w->score += 2 + (p->star_h - ws) / HOUR_SECS * 4 / (len / HOUR_SECS);
		}
		if (p->fork_h >= 0) {
			w->forks++;
			w->score += 1 + (p->fork_h - ws) / HOUR_SECS * 4 / (len / HOUR_SECS);
		}
	}
	/* stargazers per (repo, hour of their latest star): the burst test */
	{
		struct gmap hc;
		int64_t *cnt = NULL;
		size_t ccap = 0;

		gmap_init(&hc);
		for (i = 0; i < pam.n; i++) {
			const struct pa *p = &pas[i];
			int isnew;
			uint32_t h;

			if (p->star_h < 0)
				continue;
			h = gmap_get(&hc, p->g, (uint64_t)p->star_h, 0, &isnew);
			if (h >= ccap) {
				ccap = ccap ? 2 * ccap : 256;
				cnt = xrealloc(cnt, ccap * sizeof(*cnt));
			}
			if (isnew)
				cnt[h] = 0;
			if (++cnt[h] > rows[p->g].top_hour)
				rows[p->g].top_hour = cnt[h];
		}
		free(cnt);
		gmap_free(&hc);
	}
	/* top contributors */
	sort_sy = sy;
	if (pam.n)
		qsort(pas, pam.n, sizeof(*pas), cmppa);
	{
		struct buf b;

		buf_init(&b);
		for (i = 0; i < pam.n;) {
			uint32_t g = pas[i].g;
			int m = 0;

			b.len = 0;
			for (; i < pam.n && pas[i].g == g; i++) {
				uint32_t l = login[pas[i].actor];
				const char *p;
				size_t n;

				if (!l || m == 5)
					continue;
				p = gsym_text(sy, l, &n);
				if (m++)
					buf_addc(&b, ',');
				buf_add(&b, p, n);
			}
			if (m) {
				rows[g].top = xmalloc(b.len + 1);
				memcpy(rows[g].top, b.p, b.len);
				rows[g].toplen = b.len;
			}
		}
		buf_free(&b);
	}
	for (i = 0; i < ng; i++) {
		struct row *w = &rows[i];

		w->score += 2 * w->openers + w->pushers;
		if (w->star_events >= 10 && w->star_events >= 2 * w->stars)
			w->flag |= 1;
		if (w->stars >= 20 && 5 * w->top_hour >= 4 * w->stars)
			w->flag |= 2;
		w->lang = gold_repo_lang(r, w->key);
	}
	if (ng)
		qsort(rows, ng, sizeof(*rows), cmp);
	{
		int64_t rank = 0;

		for (i = 0; i < ng; i++) {
			struct row *w = &rows[i];
			static const char *const flags[] = { NULL, "repeated_stars", "star_burst",
							     "repeated_stars,star_burst" };

			if (w->score <= 0)
				continue;
			if (!w->flag && r->o->top && rank >= r->o->top)
				continue;
			if (!w->flag)
				gold_out_int(o, ++rank);
			else
				gold_out_null(o);
			gold_out_id(o, sy, w->key);
			gold_out_sym(o, sy, w->name);
			gold_out_sym(o, sy, w->lang);
			gold_out_int(o, w->score);
			gold_out_int(o, w->stars);
			gold_out_int(o, w->forks);
			gold_out_int(o, w->pushes);
			gold_out_int(o, w->pro);
			gold_out_int(o, w->contributors);
			if (w->top)
				gold_out_str(o, w->top, w->toplen);
			else
				gold_out_null(o);
			if (w->flag)
				gold_out_str(o, flags[w->flag], strlen(flags[w->flag]));
			else
				gold_out_null(o);
			gold_out_end(o);
		}
	}
	for (i = 0; i < ng; i++)
		free(rows[i].top);
	free(rows);
	free(pas);
	free(gid);
	free(login);
	free(login_t);
	gmap_free(&pam);
	return 0;
}

static void
idiv(struct buf *b, enum gold_dialect d, const char *num, const char *den)
{
	switch (d) {
	case GD_POSTGRES: buf_printf(b, "((%s) / (%s))", num, den); break;
	case GD_DUCKDB: buf_printf(b, "((%s) // (%s))", num, den); break;
	case GD_SNOWFLAKE: buf_printf(b, "floor((%s) / (%s))", num, den); break;
	}
}

static void
sql(struct buf *b, const struct gold_run *r, enum gold_dialect d)
{
	const char *C = d == GD_POSTGRES ? " collate \"C\"" : "";
	char den[32];

	gold_sql_ev(b, r, d);
	buf_adds(b, ",\n");
	gold_sql_langs(b, r, d);
	buf_adds(b, ",\nbounds as (\n  select ");
	if (r->o->until >= 0)
		buf_printf(b, "%lld as we\n", (long long)(r->o->until + DAY_SECS));
	else
		buf_adds(b, "max(day_s) + 86400 as we from ev\n");
	buf_printf(b, "),\nw as (\n  select ev.*,\n    ");
	/* q = ((hour - start) / 3600) * 4 / (24 * days) = (hour - start) * 4 /
	 * (window seconds), one integer division: hour - start is whole hours */
	snprintf(den, sizeof(den), "%d", r->o->window * DAY_SECS);
	{
		struct buf num;

		buf_init(&num);
		buf_printf(&num, "(hour_s - (we - %d)) * 4", r->o->window * DAY_SECS);
		buf_addc(&num, '\0');
		idiv(b, d, num.p, den);
		buf_free(&num);
	}
	buf_printf(b, " as q\n  from ev cross join bounds\n"
		      "  where repo_k is not null and hour_s >= we - %d and hour_s < we\n),\n",
		   r->o->window * DAY_SECS);
	buf_printf(b, "names as (\n  select repo_k, repo_name,\n"
		      "    row_number() over (partition by repo_k order by t_s desc, repo_name%s desc) as rn\n"
		      "  from w where repo_name is not null\n),\n", C);
	buf_printf(b, "logins as (\n  select actor_k, actor_login,\n"
		      "    row_number() over (partition by actor_k order by t_s desc, actor_login%s desc) as rn\n"
		      "  from w where not bot and actor_k is not null and actor_login is not null\n),\n", C);
	buf_adds(b, "sa as (\n  select repo_k, actor_k, max(q) as q, max(hour_s) as h from w\n"
		    "  where not bot and actor_k is not null and ");
	gold_sql_kind(b, GK_STAR);
	buf_adds(b, "\n  group by repo_k, actor_k\n),\nfa as (\n"
		    "  select repo_k, actor_k, max(q) as q from w\n  where not bot and actor_k is not null and ");
	gold_sql_kind(b, GK_FORK);
	buf_adds(b, "\n  group by repo_k, actor_k\n),\n"
		    "s as (\n  select repo_k, count(*) as stars, sum(2 + q) as star_score from sa group by repo_k\n),\n"
		    "sh as (\n  select repo_k, max(c) as top_hour\n"
		    "  from (select repo_k, h, count(*) as c from sa group by repo_k, h) x group by repo_k\n),\n"
		    "f as (\n  select repo_k, count(*) as forks, sum(1 + q) as fork_score from fa group by repo_k\n),\n"
		    "agg as (\n  select repo_k, max(repo_id) as repo_id,\n"
		    "    sum(case when not bot and ");
	gold_sql_kind(b, GK_PUSH);
	buf_adds(b, " and actor_k is not null then 1 else 0 end) as pushes,\n    sum(case when not bot and ");
	gold_sql_kind(b, GK_PR_OPENED);
	buf_adds(b, " and actor_k is not null then 1 else 0 end) as prs_opened,\n"
		    "    sum(case when not bot and ");
	gold_sql_kind(b, GK_STAR);
	buf_adds(b, " and actor_k is not null then 1 else 0 end) as star_events,\n"
		    "    count(distinct case when not bot and ");
	gold_sql_kind(b, GK_CONTRIB);
	buf_adds(b, " then actor_k end) as contributors,\n    count(distinct case when not bot and ");
	gold_sql_kind(b, GK_PR_OPENED);
	buf_adds(b, " then actor_k end) as openers,\n    count(distinct case when not bot and ");
	gold_sql_kind(b, GK_PUSH);
	buf_adds(b, " then actor_k end) as pushers\n  from w group by repo_k\n),\n");
	/* top contributors */
	buf_printf(b, "tc as (\n  select repo_k, actor_k, max(actor_id) as actor_id, count(*) as n from w\n"
		      "  where not bot and actor_k is not null group by repo_k, actor_k\n),\n"
		      "tcr as (\n  select tc.repo_k, l.actor_login,\n"
		      "    row_number() over (partition by tc.repo_k order by n desc, tc.actor_id nulls last,\n"
		      "      l.actor_login%s) as rn\n"
		      "  from tc join logins l on l.actor_k = tc.actor_k and l.rn = 1\n),\n", C);
	if (d == GD_SNOWFLAKE)
		buf_adds(b, "top as (\n  select repo_k, listagg(actor_login, ',') within group (order by rn) as top\n");
	else
		buf_adds(b, "top as (\n  select repo_k, string_agg(actor_login, ',' order by rn) as top\n");
	buf_adds(b, "  from tcr where rn <= 5 group by repo_k\n),\n"
		    "sc as (\n  select a.repo_k, a.repo_id, n.repo_name, lg.language,\n"
		    "    coalesce(s.star_score, 0) + coalesce(f.fork_score, 0) + 2 * openers + pushers as score,\n"
		    "    coalesce(s.stars, 0) as stars, coalesce(f.forks, 0) as forks, pushes, prs_opened,\n"
		    "    contributors, t.top as top_contributors,\n"
		    "    case when star_events >= 10 and star_events >= 2 * coalesce(s.stars, 0)\n"
		    "              and coalesce(s.stars, 0) >= 20 and 5 * sh.top_hour >= 4 * s.stars\n"
		    "         then 'repeated_stars,star_burst'\n"
		    "         when star_events >= 10 and star_events >= 2 * coalesce(s.stars, 0)\n"
		    "         then 'repeated_stars'\n"
		    "         when coalesce(s.stars, 0) >= 20 and 5 * sh.top_hour >= 4 * s.stars\n"
		    "         then 'star_burst' end as flag\n"
		    "  from agg a\n  left join s on s.repo_k = a.repo_k\n  left join f on f.repo_k = a.repo_k\n"
		    "  left join sh on sh.repo_k = a.repo_k\n  left join top t on t.repo_k = a.repo_k\n"
		    "  left join names n on n.repo_k = a.repo_k and n.rn = 1\n"
		    "  left join langs lg on lg.repo_k = a.repo_k and lg.rn = 1\n),\n");
	buf_printf(b, "ranked as (\n  select sc.*, case when flag is null then row_number() over (\n"
		      "    partition by flag is null order by score desc, repo_id nulls last, repo_name%s) end as rank\n"
		      "  from sc where score > 0\n)\n"
		      "select rank, repo_id, repo_name, language, score, stars, forks, pushes, prs_opened,\n"
		      "  contributors, top_contributors, flag\nfrom ranked\n", C);
	if (r->o->top)
		buf_printf(b, "where flag is not null or rank <= %ld\n", r->o->top);
	buf_printf(b, "order by flag is not null, score desc, repo_id nulls last, repo_name%s", C);
}

static const char *const key[] = { "repo_id", "repo_name" };
const struct schema_table schema_gold_trending = SCHEMA_TABLE("gold_trending",
	"repos ranked over a window of days (--window, --until), star farms flagged", cols, key);

const struct gold_table gold_t_trending = {
	"trending", &schema_gold_trending,
	GI_ALL & ~(1u << GI_ORG_ID | 1u << GI_ORG_LOGIN | 1u << GI_MERGED_AT | 1u << GI_PR_CREATED_AT |
		   1u << GI_ADDITIONS | 1u << GI_DELETIONS),
	emit, sql,
};
