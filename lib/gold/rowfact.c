/* rowfact.c: one silver events row as a fact of one event. */
#include <string.h>

#include "gold.h"
#include "hash.h"
#include "timefmt.h"

const char *const gold_in_cols[GI_N] = {
	"created_at", "event_type", "actor_id", "actor_login", "is_bot", "repo_id",
	"repo_name", "org_id", "org_login", "action", "commit_count", "merged",
	"merged_at", "pr_created_at", "additions", "deletions", "language",
};

/* an integer column of silver: PostgreSQL integer, so the SQL over the
 * same rows could load it (and sums cannot overflow) */
static int
int32col(struct copyin *c, int col, int64_t *v)
{
	int r = copyin_int64(c, col, v);

	if (r == 1 && (*v < INT32_MIN || *v > INT32_MAX))
		return -1;
	return r;
}

/* (id, text) of an entity */
static int
entity(struct copyin *c, int idcol, int textcol, struct gold_pre *e, int g, const char **why)
{
	int64_t id = 0;
	int r = copyin_int64(c, idcol, &id);

	if (r < 0)
		return *why = idcol == GI_ACTOR_ID ? "bad actor_id" :
			      idcol == GI_REPO_ID ? "bad repo_id" : "bad org_id", -1;
	e->has_id[g] = r == 1;
	e->id[g] = id;
	e->p[g] = copyin_text(c, textcol, &e->n[g]);
	return 0;
}

/* A text symbol; for columns of few values (slot >= 0), a look at the
 * last few found saves a hash lookup per row. */
static uint32_t
text(struct gold_facts *f, const char *p, size_t n, int slot)
{
	size_t m;
	const char *q;
	uint32_t *r, a;
	int i;

	if (!p)
		return 0;
	if (slot < 0)
		return gsym_get(&f->sy, 0, 0, p, n);
	r = f->recent[slot];
	for (i = 0; i < 8 && r[i]; i++) {
		q = gsym_text(&f->sy, r[i], &m);
		if (m == n && !memcmp(p, q, n) && !f->sy.v[r[i]].has_id)
			return r[i];
	}
	a = gsym_get(&f->sy, 0, 0, p, n);
	memmove(r + 1, r, 7 * sizeof(*r));
	r[0] = a;
	return a;
}

int
gold_event_parse(struct copyin *c, const struct botlist *bots, struct gold_pre *e,
		 const char **code, const char **why)
{
	struct gfact *x = &e->x;
	int64_t t, v, a, d;
	int b, r;

	memset(x, 0, sizeof(*x));
	*code = "bad_value";
	if (copyin_time(c, GI_CREATED_AT, &t) != 1)
		return *why = "bad or NULL created_at", -1;
	if (!(e->p[GP_TYPE] = copyin_text(c, GI_EVENT_TYPE, &e->n[GP_TYPE])))
		return *why = "NULL event_type", -1;
	x->k.hour = t - ((t % HOUR_SECS) + HOUR_SECS) % HOUR_SECS;
	x->n = 1;
	x->tmin = x->tmax = t;
	if (entity(c, GI_ACTOR_ID, GI_ACTOR_LOGIN, e, GP_ACTOR, why) ||
	    entity(c, GI_REPO_ID, GI_REPO_NAME, e, GP_REPO, why) ||
	    entity(c, GI_ORG_ID, GI_ORG_LOGIN, e, GP_ORG, why))
		return -1;
	e->p[GP_ACTION] = copyin_text(c, GI_ACTION, &e->n[GP_ACTION]);
	e->p[GP_LANG] = copyin_text(c, GI_LANGUAGE, &e->n[GP_LANG]);
	if ((r = copyin_bool(c, GI_IS_BOT, &b)) < 0)
		return *why = "bad is_bot", -1;
	x->k.bot = r == 1 && b;
	if (!x->k.bot && bots)
		x->k.bot = e->p[GP_ACTOR] && botlist_match(bots, e->p[GP_ACTOR], e->n[GP_ACTOR]);
	if ((r = copyin_bool(c, GI_MERGED, &b)) < 0)
		return *why = "bad merged", -1;
	x->k.merged = r == 1 ? (b ? GM_TRUE : GM_FALSE) : GM_NULL;
	if ((r = int32col(c, GI_COMMIT_COUNT, &v)) < 0)
		return *why = "bad commit_count", -1;
	if (e->n[GP_TYPE] == 9 && !memcmp(e->p[GP_TYPE], "PushEvent", 9)) {
		if (r == 1)
			x->commits = v;
		else
			x->nocount = 1;
	}
	if (x->k.merged == GM_TRUE) {
		int ra, rd;

		if ((ra = copyin_time(c, GI_MERGED_AT, &a)) < 0)
			return *why = "bad merged_at", -1;
		if ((rd = copyin_time(c, GI_PR_CREATED_AT, &d)) < 0)
			return *why = "bad pr_created_at", -1;
		if (ra == 1 && rd == 1) {
			x->k.msecs = a - d;
			x->k.flags |= GF_MSECS;
		}
		if ((ra = int32col(c, GI_ADDITIONS, &a)) < 0)
			return *why = "bad additions", -1;
		if ((rd = int32col(c, GI_DELETIONS, &d)) < 0)
			return *why = "bad deletions", -1;
		if (ra == 1 && rd == 1) {
			x->k.size = a + d;
			x->k.flags |= GF_SIZE;
		}
	}
	return 0;
}

void
gold_event_intern(struct gold_facts *f, const struct gold_pre *e, struct gfact *x)
{
	struct gold_pre c = *e;

	gold_event_hash(&c);
	gold_event_intern_h(f, &c, x);
}

void
gold_event_hash(struct gold_pre *e)
{
	int g;

	for (g = GP_ACTOR; g <= GP_ORG; g++)
		e->h[g] = e->has_id[g] || e->p[g] ? gsym_hash(e->has_id[g], e->id[g], e->p[g], e->n[g]) : 0;
}

void
gold_event_intern_h(struct gold_facts *f, const struct gold_pre *e, struct gfact *x)
{
	int g;
	uint32_t *sym[] = { &x->k.actor, &x->k.repo, &x->k.org };

	*x = e->x;
	x->k.type = text(f, e->p[GP_TYPE], e->n[GP_TYPE], 0);
	for (g = GP_ACTOR; g <= GP_ORG; g++)
		*sym[g - GP_ACTOR] = e->has_id[g] || e->p[g] ?
			gsym_get_h(&f->sy, e->h[g], e->has_id[g], e->id[g], e->p[g], e->n[g]) : 0;
	x->k.action = text(f, e->p[GP_ACTION], e->n[GP_ACTION], 1);
	x->k.lang = text(f, e->p[GP_LANG], e->n[GP_LANG], 2);
}

void
gold_event_prefetch(const struct gold_facts *f, const struct gold_pre *e, int stage)
{
	int g;

	for (g = GP_ACTOR; g <= GP_ORG; g++)
		if (e->has_id[g] || e->p[g])
			gsym_prefetch(&f->sy, e->h[g], stage);
}

int
gold_event_fact(struct gold_facts *f, struct copyin *c, const struct botlist *bots,
		struct gfact *x, const char **code, const char **why)
{
	struct gold_pre e;

	if (gold_event_parse(c, bots, &e, code, why))
		return -1;
	gold_event_intern(f, &e, x);
	return 0;
}
