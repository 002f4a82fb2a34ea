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

/* (id, text) of an entity; 0 when both are NULL */
static int
entity(struct gold_facts *f, struct copyin *c, int idcol, int textcol, uint32_t *sym,
       const char **why)
{
	int64_t id = 0;
	int r = copyin_int64(c, idcol, &id);
	size_t n;
	const char *p = copyin_text(c, textcol, &n);

	if (r < 0)
		return *why = idcol == GI_ACTOR_ID ? "bad actor_id" :
			      idcol == GI_REPO_ID ? "bad repo_id" : "bad org_id", -1;
	*sym = r || p ? gsym_get(&f->sy, r, id, p, n) : 0;
	return 0;
}

/* A text symbol; for columns of few values (slot >= 0), a look at the
 * last few found saves a hash lookup per row. */
static uint32_t
text(struct gold_facts *f, struct copyin *c, int col, int slot)
{
	size_t n, m;
	const char *p = copyin_text(c, col, &n), *q;
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
gold_event_fact(struct gold_facts *f, struct copyin *c, const struct botlist *bots,
		struct gfact *x, const char **code, const char **why)
{
	int64_t t, v, a, d;
	int b, r;

	memset(x, 0, sizeof(*x));
	*code = "bad_value";
	if (copyin_time(c, GI_CREATED_AT, &t) != 1)
		return *why = "bad or NULL created_at", -1;
	if (!(x->k.type = text(f, c, GI_EVENT_TYPE, 0)))
		return *why = "NULL event_type", -1;
	x->k.hour = t - ((t % HOUR_SECS) + HOUR_SECS) % HOUR_SECS;
	x->n = 1;
	x->tmin = x->tmax = t;
	if (entity(f, c, GI_ACTOR_ID, GI_ACTOR_LOGIN, &x->k.actor, why) ||
	    entity(f, c, GI_REPO_ID, GI_REPO_NAME, &x->k.repo, why) ||
	    entity(f, c, GI_ORG_ID, GI_ORG_LOGIN, &x->k.org, why))
		return -1;
	x->k.action = text(f, c, GI_ACTION, 1);
	x->k.lang = text(f, c, GI_LANGUAGE, 2);
	if ((r = copyin_bool(c, GI_IS_BOT, &b)) < 0)
		return *why = "bad is_bot", -1;
	x->k.bot = r == 1 && b;
	if (!x->k.bot && bots) {
		size_t n;
		const char *p = copyin_text(c, GI_ACTOR_LOGIN, &n);

		x->k.bot = p && botlist_match(bots, p, n);
	}
	if ((r = copyin_bool(c, GI_MERGED, &b)) < 0)
		return *why = "bad merged", -1;
	x->k.merged = r == 1 ? (b ? GM_TRUE : GM_FALSE) : GM_NULL;
	if ((r = int32col(c, GI_COMMIT_COUNT, &v)) < 0)
		return *why = "bad commit_count", -1;
	if (gsym_is(&f->sy, x->k.type, "PushEvent")) {
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
