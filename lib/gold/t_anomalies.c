/* t_anomalies.c: unusual hours, by robust z-scores (anomaly.c) of hourly
 * series: global (every covered hour, flagged or not), per repo and per
 * actor (flagged hours only). Positions in a series are the hours of the
 * input that have at least one event ("present"); the window of a value
 * is the 24 present hours before it within the week before it. An hour
 * inside the covered range with no events is not a position but is
 * scored against the window before it: a gap when that window says
 * events were expected, a quiet hour otherwise; with no window at all it
 * is left out. Thresholds are below and in gha-gold(1), ANOMALIES. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anomaly.h"
#include "bykey.h"

#define HORIZON (168 * 3600)	/* the window's hours lie in the week before */
#define Z_BURST 6.0		/* star_burst, fork_burst, event_flood, bot_surge */
#define Z_DROP (-4.0)		/* volume_drop, with value <= baseline / 2 */
#define GAP_BASELINE 10.0	/* an empty hour is a gap when the baseline is at least this */
#define MIN_STARS 5		/* an hour's value must also reach these */
#define MIN_FORKS 5
#define MIN_FLOOD 100		/* events of one repo or actor in the hour */
#define MIN_BOTS 100		/* bot events in the hour, global */

static const struct schema_col cols[] = {
	{ "hour", "timestamptz", "start of the UTC hour", 1 },
	{ "scope", "text", "global, repo or actor", 1 },
	{ "key", "text", "repo_id or actor_id (repo_name or actor_login where the id is NULL); NULL for global", 0 },
	{ "name", "text", "repo_name or actor_login on the latest event of the hour; NULL for global", 0 },
	{ "metric", "text",
	  "events, bot_events (global), stars, forks (distinct non-bot actors of WatchEvent, ForkEvent), events", 1 },
	{ "value", "bigint", "the metric in this hour (0 for an hour with no events)", 1 },
	{ "baseline", "numeric", "median of the metric over the 24 trailing present hours; NULL with fewer than 6", 0 },
	{ "mad", "numeric", "median absolute deviation from baseline over the same hours", 0 },
	{ "score", "numeric", "(value - baseline) / (1.4826 * max(mad, 1))", 0 },
	{ "reason", "text",
	  "star_burst, fork_burst, event_flood, bot_surge, volume_drop, gap; NULL when not flagged", 0 },
};

enum scope { SC_ACTOR, SC_GLOBAL, SC_REPO };	/* output order: by name */
static const char *const scopes[] = { "actor", "global", "repo", 0 };
enum metric { M_BOT_EVENTS, M_EVENTS, M_FORKS, M_STARS };
static const char *const metrics[] = { "bot_events", "events", "forks", "stars" };
enum reason { R_NONE, R_STAR, R_FORK, R_FLOOD, R_BOTS, R_DROP, R_GAP };
static const char *const reasons[] = {
	NULL, "star_burst", "fork_burst", "event_flood", "bot_surge", "volume_drop", "gap"
};

struct arow {
	int64_t hour, value;
	uint32_t rank, name;	/* key rank within the scope; the symbol named */
	unsigned char scope, metric, reason;
	struct anomaly_stat st;
};

struct rows {
	struct arow *v;
	size_t n, cap;
};

static void
add(struct rows *r, const struct arow *a)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 256;
		r->v = xrealloc(r->v, r->cap * sizeof(*r->v));
	}
	r->v[r->n++] = *a;
}

static int
cmp(const void *a, const void *b)
{
	const struct arow *x = a, *y = b;

	if (x->hour != y->hour)
		return x->hour < y->hour ? -1 : 1;
	if (x->scope != y->scope)
		return x->scope < y->scope ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return (x->metric > y->metric) - (x->metric < y->metric);
}

/* the present hours: sorted, distinct */
struct present {
	int64_t *h;
	size_t n;
};

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* the number of present hours before hour t (its position if present) */
static int64_t
pos_of(const struct present *p, int64_t t)
{
	size_t lo = 0, hi = p->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->h[mid] < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (int64_t)lo;
}

static void
present_init(struct present *p, const struct gold_facts *f)
{
	size_t i, k = 0;

	p->h = xmalloc((f->n ? f->n : 1) * sizeof(*p->h));
	for (i = 0; i < f->n; i++)
		p->h[i] = f->v[i].k.hour;
	if (f->n)
		qsort(p->h, f->n, sizeof(*p->h), cmp_i64);
	for (i = 0; i < f->n; i++)
		if (!k || p->h[k - 1] != p->h[i])
			p->h[k++] = p->h[i];
	p->n = k;
}

/* ---- global series ---- */

static void
global(const struct gold_facts *f, const struct present *pr, struct rows *out)
{
	struct anomaly_point *ev = xcalloc(pr->n ? pr->n : 1, sizeof(*ev));
	struct anomaly_point *bots = xcalloc(pr->n ? pr->n : 1, sizeof(*bots));
	size_t i;
	int64_t t;

	for (i = 0; i < pr->n; i++)
		ev[i].pos = bots[i].pos = (int64_t)i;
	for (i = 0; i < f->n; i++) {
		int64_t p = pos_of(pr, f->v[i].k.hour);

		ev[p].value += f->v[i].n;
		if (f->v[i].k.bot)
			bots[p].value += f->v[i].n;
	}
	for (t = f->hmin; pr->n && t <= f->hmax; t += 3600) {
		int64_t p = pos_of(pr, t);
		int here = (size_t)p < pr->n && pr->h[p] == t;
		struct arow a = { .hour = t, .scope = SC_GLOBAL, .metric = M_EVENTS };

		a.value = here ? ev[p].value : 0;
		anomaly_score(ev, pr->n, pos_of(pr, t - HORIZON), p, a.value, &a.st);
		/* an empty hour with nothing to compare with says nothing (two
		 * sample hours years apart are not 30,000 quiet hours) */
		if (!here && !a.st.scored)
			continue;
		if (!here && a.st.scored && a.st.baseline >= GAP_BASELINE)
			a.reason = R_GAP;
		else if (here && a.st.scored && a.st.score <= Z_DROP && 2.0 * (double)a.value <= a.st.baseline)
			a.reason = R_DROP;
		add(out, &a);
		if (!here)
			continue;
		a.metric = M_BOT_EVENTS;
		a.reason = R_NONE;
		a.value = bots[p].value;
		anomaly_score(bots, pr->n, pos_of(pr, t - HORIZON), p, a.value, &a.st);
		if (a.st.scored && a.st.score >= Z_BURST && a.value >= MIN_BOTS)
			a.reason = R_BOTS;
		add(out, &a);
	}
	free(ev);
	free(bots);
}

/* ---- per repo and per actor ---- */

struct series {
	struct anomaly_point *v;
	uint32_t *name;		/* per point: the symbol on the hour's latest event */
	size_t n, cap;
};

static void
series_add(struct series *s, int64_t pos, int64_t value, uint32_t name)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
		s->name = xrealloc(s->name, s->cap * sizeof(*s->name));
	}
	s->v[s->n] = (struct anomaly_point){ pos, value };
	s->name[s->n++] = name;
}

static void
flag(const struct series *s, const struct present *pr, int scope, uint32_t rank, int metric,
     int64_t min, int reason, struct rows *out)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		struct arow a = { .hour = pr->h[s->v[i].pos], .value = s->v[i].value, .rank = rank,
				  .name = s->name[i], .scope = (unsigned char)scope,
				  .metric = (unsigned char)metric };

		if (a.value < min)
			continue;
		anomaly_score(s->v, s->n, pos_of(pr, a.hour - HORIZON), s->v[i].pos, a.value, &a.st);
		if (a.st.scored && a.st.score >= Z_BURST) {
			a.reason = (unsigned char)reason;
			add(out, &a);
		}
	}
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* distinct values in v[0..n) (reordered) */
static int64_t
distinct(uint32_t *v, size_t n)
{
	size_t i;
	int64_t d = 0;

	if (n)
		qsort(v, n, sizeof(*v), cmp_u32);
	for (i = 0; i < n; i++)
		d += !i || v[i] != v[i - 1];
	return d;
}

/* type symbol -> 1 WatchEvent, 2 ForkEvent, 3 other; 0 not looked up */
static int
kind(const struct gsyms *sy, unsigned char *memo, uint32_t type)
{
	if (!memo[type])
		memo[type] = gsym_is(sy, type, "WatchEvent") ? 1 : gsym_is(sy, type, "ForkEvent") ? 2 : 3;
	return memo[type];
}

static void
entities(const struct gold_facts *f, const struct present *pr, enum gold_bykey_of of, struct rows *out)
{
	const struct gsyms *sy = &f->sy;
	unsigned char *memo = xcalloc(sy->n ? sy->n : 1, 1);
	struct series ev = { 0 }, stars = { 0 }, forks = { 0 };
	uint32_t *w = NULL, *k = NULL;
	size_t wcap = 0, at, end, j, h;
	struct gold_bykey g;

	gold_bykey_init(&g, f, of);
	for (at = 0; at < g.n; at = end) {
		uint32_t rank;

		end = gold_bykey_end(&g, at);
		rank = g.rank[sy->v[gold_bykey_sym(&g, g.idx[at])].key];
		ev.n = stars.n = forks.n = 0;
		for (j = at; j < end; j = h) {
			int64_t hour = f->v[g.idx[j]].k.hour, n = 0, tmax = INT64_MIN;
			size_t nw = 0, nk = 0;
			uint32_t name = 0;
			int64_t p = pos_of(pr, hour);

			for (h = j; h < end && f->v[g.idx[h]].k.hour == hour; h++) {
				const struct gfact *x = &f->v[g.idx[h]];
				uint32_t s = gold_bykey_sym(&g, g.idx[h]);

				n += x->n;
				if (x->tmax > tmax || (x->tmax == tmax && gsym_cmp(sy, s, name) > 0)) {
					tmax = x->tmax;
					name = s;
				}
				if (of != GB_REPO || x->k.bot || !x->k.actor)
					continue;
				if (h - j + 1 > wcap) {
					wcap = 2 * (h - j + 1);
					w = xrealloc(w, wcap * sizeof(*w));
					k = xrealloc(k, wcap * sizeof(*k));
				}
				switch (kind(sy, memo, x->k.type)) {
				case 1:
					w[nw++] = sy->v[x->k.actor].key;
					break;
				case 2:
					k[nk++] = sy->v[x->k.actor].key;
					break;
				}
			}
			series_add(&ev, p, n, name);
			if (nw)
				series_add(&stars, p, distinct(w, nw), name);
			if (nk)
				series_add(&forks, p, distinct(k, nk), name);
		}
		if (of == GB_REPO) {
			flag(&ev, pr, SC_REPO, rank, M_EVENTS, MIN_FLOOD, R_FLOOD, out);
			flag(&stars, pr, SC_REPO, rank, M_STARS, MIN_STARS, R_STAR, out);
			flag(&forks, pr, SC_REPO, rank, M_FORKS, MIN_FORKS, R_FORK, out);
		} else {
			flag(&ev, pr, SC_ACTOR, rank, M_EVENTS, MIN_FLOOD, R_FLOOD, out);
		}
	}
	free(ev.v);
	free(ev.name);
	free(stars.v);
	free(stars.name);
	free(forks.v);
	free(forks.name);
	free(w);
	free(k);
	free(memo);
	gold_bykey_free(&g);
}

static void
num(struct gold_out *o, int prec, double v)
{
	char s[64];

	gold_out_str(o, s, (size_t)snprintf(s, sizeof(s), "%.*f", prec, v));
}

static void
key_out(struct gold_out *o, const struct gsyms *sy, uint32_t sym)
{
	if (sym && sy->v[sym].has_id) {
		char s[32];

		gold_out_str(o, s, (size_t)snprintf(s, sizeof(s), "%lld", (long long)sy->v[sym].id));
	} else {
		gold_out_sym(o, sy, sym);
	}
}

static int
emit(struct gold_run *r, struct gold_out *o, struct gha_err *err)
{
	const struct gold_facts *f = r->f;
	struct present pr;
	struct rows out = { 0 };
	size_t i;

	(void)err;
	present_init(&pr, f);
	global(f, &pr, &out);
	entities(f, &pr, GB_REPO, &out);
	entities(f, &pr, GB_ACTOR, &out);
	if (out.n)
		qsort(out.v, out.n, sizeof(*out.v), cmp);
	for (i = 0; i < out.n; i++) {
		const struct arow *a = &out.v[i];

		gold_out_hour(o, a->hour);
		gold_out_str(o, scopes[a->scope], strlen(scopes[a->scope]));
		if (a->scope == SC_GLOBAL) {
			gold_out_null(o);
			gold_out_null(o);
		} else {
			key_out(o, &f->sy, a->name);
			gold_out_sym(o, &f->sy, a->name);
		}
		gold_out_str(o, metrics[a->metric], strlen(metrics[a->metric]));
		gold_out_int(o, a->value);
		if (a->st.scored) {
			num(o, 2, a->st.baseline);
			num(o, 2, a->st.mad);
			num(o, 3, a->st.score);
		} else {
			gold_out_null(o);
			gold_out_null(o);
			gold_out_null(o);
		}
		if (reasons[a->reason])
			gold_out_str(o, reasons[a->reason], strlen(reasons[a->reason]));
		else
			gold_out_null(o);
		gold_out_end(o);
	}
	free(out.v);
	free(pr.h);
	return 0;
}

static const char *const key[] = { "hour", "scope", "key", "metric" };
const struct schema_table schema_gold_anomalies = SCHEMA_TABLE("gold_anomalies",
	"robust z-scores of hourly series: global, per repo, per actor, with a reason when flagged", cols, key);

const struct gold_table gold_t_anomalies = {
	"anomalies", &schema_gold_anomalies,
	1u << GI_CREATED_AT | 1u << GI_EVENT_TYPE | 1u << GI_ACTOR_ID | 1u << GI_ACTOR_LOGIN |
		1u << GI_IS_BOT | 1u << GI_REPO_ID | 1u << GI_REPO_NAME,
	emit, NULL,
};
