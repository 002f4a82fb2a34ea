/* tables.c: the list of gold tables, writing their rows, and what
 * several tables share (a repo's language). */
#include <stdlib.h>
#include <string.h>

#include "gold.h"
#include "hash.h"
#include "timefmt.h"

extern const struct gold_table gold_t_activity, gold_t_repo_daily, gold_t_contributors,
	gold_t_languages, gold_t_orgs, gold_t_prs, gold_t_trending;
/* goldb's analytics tables */
extern const struct gold_table gold_t_actor_profiles, gold_t_regions, gold_t_anomalies;

/* --list order; add a table here (see gold.h) */
const struct gold_table *const gold_tables[] = {
	&gold_t_activity,
	&gold_t_repo_daily,
	&gold_t_trending,
	&gold_t_languages,
	&gold_t_contributors,
	&gold_t_prs,
	&gold_t_orgs,
	/* goldb's analytics tables */
	&gold_t_actor_profiles, &gold_t_regions, &gold_t_anomalies,
	NULL
};

extern const struct schema_table schema_gold_activity, schema_gold_repo_daily,
	schema_gold_trending, schema_gold_languages, schema_gold_contributors, schema_gold_prs,
	schema_gold_orgs;
extern const struct schema_table schema_gold_actor_profiles, schema_gold_regions, schema_gold_anomalies;

const struct schema_table *const gold_schema_tables[] = {
	&schema_gold_activity,
	&schema_gold_repo_daily,
	&schema_gold_trending,
	&schema_gold_languages,
	&schema_gold_contributors,
	&schema_gold_prs,
	&schema_gold_orgs,
	/* goldb's analytics tables */
	&schema_gold_actor_profiles, &schema_gold_regions, &schema_gold_anomalies,
	NULL
};

const struct gold_table *
gold_table(const char *name, size_t len)
{
	int i;

	for (i = 0; gold_tables[i]; i++)
		if (strlen(gold_tables[i]->name) == len && !memcmp(gold_tables[i]->name, name, len))
			return gold_tables[i];
	return NULL;
}

void
gold_ddl(struct buf *b, const struct gold_table *t, enum gold_dialect d)
{
	static const int dialects[] = { SQL_POSTGRES, SQL_SNOWFLAKE, SQL_DUCKDB };

	schema_ddl(t->schema, dialects[d], NULL, b);
}

/* ---- output ---- */

void
gold_out_init(struct gold_out *o, FILE *fp, const struct gold_table *t)
{
	tsv_init(&o->t, fp, t->schema->ncols);
	o->err = 0;
	o->rows = 0;
	if (tsv_header(&o->t, schema_names(t->schema)))
		o->err = 1;
}

void
gold_out_free(struct gold_out *o)
{
	tsv_free(&o->t);
}

void gold_out_int(struct gold_out *o, int64_t v) { tsv_int(&o->t, v); }
void gold_out_null(struct gold_out *o) { tsv_null(&o->t); }
void gold_out_str(struct gold_out *o, const char *p, size_t n) { tsv_str(&o->t, p, n); }
void gold_out_bool(struct gold_out *o, int v) { tsv_bool(&o->t, v); }

void
gold_out_sym(struct gold_out *o, const struct gsyms *s, uint32_t a)
{
	size_t n;
	const char *p = gsym_text(s, a, &n);

	if (p)
		tsv_str(&o->t, p, n);
	else
		tsv_null(&o->t);
}

void
gold_out_id(struct gold_out *o, const struct gsyms *s, uint32_t a)
{
	if (a && s->v[a].has_id)
		tsv_int(&o->t, s->v[a].id);
	else
		tsv_null(&o->t);
}

void
gold_out_time(struct gold_out *o, int64_t t)
{
	char s[32];

	ts_format(t, s);
	tsv_raw(&o->t, s, strlen(s));
}

void
gold_out_hour(struct gold_out *o, int64_t t)
{
	gold_out_time(o, t - ((t % HOUR_SECS) + HOUR_SECS) % HOUR_SECS);
}

void
gold_out_day(struct gold_out *o, int64_t t)
{
	char s[32];

	ts_format(gold_day(t), s);
	tsv_raw(&o->t, s, 10);
}

void
gold_out_end(struct gold_out *o)
{
	if (tsv_end(&o->t))
		o->err = 1;
	o->rows++;
}

/* ---- shared: a repo's language ---- */

void
gold_run_init(struct gold_run *r, struct gold_facts *f, const struct gold_opts *o)
{
	memset(r, 0, sizeof(*r));
	r->f = f;
	r->o = o;
	gmap_init(&r->rlang);
}

void
gold_run_free(struct gold_run *r)
{
	free(r->lang);
	free(r->rlang_at);
	gmap_free(&r->rlang);
}

/* later (t, language a) than (u, language b): time first, then the
 * greater language text, so the choice is a total order */
static int
later(const struct gsyms *s, int64_t t, uint32_t a, int64_t u, uint32_t b)
{
	if (t != u)
		return t > u;
	return gsym_cmp(s, a, b) > 0;
}

int
gold_load_repos(struct gold_run *r, struct gha_err *err)
{
	static const char *const names[] = { "repo_id", "name", "language", "language_seen_at" };
	static const unsigned char req[] = { 1, 1, 1, 1 };
	struct copyin c;
	struct gsyms *s = &r->f->sy;
	size_t cap = 0;
	int k, rc = 0;

	if (!r->o->repos_path)
		return 0;
	copyin_init(&c, NULL);
	if (copyin_open(&c, r->o->repos_path, err) || copyin_bind(&c, names, 4, req, err)) {
		copyin_free(&c);
		return -1;
	}
	while ((k = copyin_next(&c, err)) > 0) {
		int64_t id = 0, at;
		int hid = copyin_int64(&c, 0, &id);
		size_t n, ln;
		const char *p = copyin_text(&c, 1, &n), *lp = copyin_text(&c, 2, &ln);
		uint32_t key, lang;
		long v;

		if (hid < 0 || !p || (lp && copyin_time(&c, 3, &at) != 1)) {
			rc = gha_seterr(err, GHA_DATAERR, "%s:%llu: bad repos row (repo_id, name, language_seen_at)",
					c.name, (unsigned long long)c.ln.lineno);
			break;
		}
		if (!lp)
			continue;
		key = hid ? gsym_get(s, 1, id, NULL, 0) : gsym_get(s, 0, 0, p, n);
		lang = gsym_get(s, 0, 0, lp, ln);
		v = gmap_find(&r->rlang, key, 0, 0);
		if (v < 0) {
			v = gmap_get(&r->rlang, key, 0, 0, NULL);
			if ((size_t)v >= cap) {
				cap = cap ? cap * 2 : 1024;
				r->rlang_at = xrealloc(r->rlang_at, cap * 2 * sizeof(*r->rlang_at));
			}
			r->rlang_at[2 * v] = at;
			r->rlang_at[2 * v + 1] = lang;
		} else if (later(s, at, lang, r->rlang_at[2 * v], (uint32_t)r->rlang_at[2 * v + 1])) {
			r->rlang_at[2 * v] = at;
			r->rlang_at[2 * v + 1] = lang;
		}
	}
	if (k < 0)
		rc = -1;
	if (!rc && c.rejected)
		rc = gha_seterr(err, GHA_DATAERR, "%s: %llu malformed rows", c.name,
				(unsigned long long)c.rejected);
	copyin_free(&c);
	return rc;
}

static void
resolve_langs(struct gold_run *r)
{
	struct gsyms *s = &r->f->sy;
	size_t i, n = s->n;
	int64_t *at = xmalloc(n * sizeof(*at));

	r->lang = xcalloc(n, sizeof(*r->lang));
	for (i = 0; i < r->f->n; i++) {
		const struct gfact *x = &r->f->v[i];
		uint32_t k;

		if (!x->k.repo || !x->k.lang)
			continue;
		k = s->v[x->k.repo].key;
		if (!r->lang[k] || later(s, x->tmax, x->k.lang, at[k], r->lang[k])) {
			r->lang[k] = x->k.lang;
			at[k] = x->tmax;
		}
	}
	for (i = 0; i < r->rlang.cap; i++) {
		uint32_t k, v;

		if (!r->rlang.s[i].v)
			continue;
		k = (uint32_t)r->rlang.s[i].k[0];
		v = r->rlang.s[i].v - 1;
		if (k < n && (!r->lang[k] || later(s, r->rlang_at[2 * v], (uint32_t)r->rlang_at[2 * v + 1],
						  at[k], r->lang[k]))) {
			r->lang[k] = (uint32_t)r->rlang_at[2 * v + 1];
			at[k] = r->rlang_at[2 * v];
		}
	}
	free(at);
	r->lang_done = 1;
}

uint32_t
gold_repo_lang(struct gold_run *r, uint32_t rk)
{
	if (!r->lang_done)
		resolve_langs(r);
	return rk < r->f->sy.n ? r->lang[rk] : 0;
}
