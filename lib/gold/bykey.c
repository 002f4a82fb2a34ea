/* bykey.c: facts sorted by (entity key order, hour). The keys are ranked
 * once (a sort of the distinct key symbols with gsym_cmp), then the facts
 * are sorted on integers. */
#include <stdlib.h>
#include <string.h>

#include "bykey.h"

static const struct gsyms *cmp_sy;

static int
cmp_sym(const void *a, const void *b)
{
	return gsym_cmp(cmp_sy, *(const uint32_t *)a, *(const uint32_t *)b);
}

struct ent {
	uint64_t rank;
	int64_t hour;
	uint32_t i;
};

static int
cmp_ent(const void *a, const void *b)
{
	const struct ent *x = a, *y = b;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (x->hour != y->hour)
		return x->hour < y->hour ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

uint32_t
gold_bykey_sym(const struct gold_bykey *g, uint32_t i)
{
	return g->of == GB_ACTOR ? g->f->v[i].k.actor : g->f->v[i].k.repo;
}

void
gold_bykey_init(struct gold_bykey *g, const struct gold_facts *f, enum gold_bykey_of of)
{
	const struct gsyms *sy = &f->sy;
	uint32_t *keys;
	struct ent *e;
	size_t i, nk = 0, n = 0;

	memset(g, 0, sizeof(*g));
	g->f = f;
	g->of = of;
	g->rank = xcalloc(sy->n ? sy->n : 1, sizeof(*g->rank));
	/* the distinct key symbols, marked in rank[] first */
	for (i = 0; i < f->n; i++) {
		uint32_t s = gold_bykey_sym(g, (uint32_t)i);

		if (s && !g->rank[sy->v[s].key]) {
			g->rank[sy->v[s].key] = 1;
			nk++;
		}
		n += s != 0;
	}
	keys = xmalloc((nk ? nk : 1) * sizeof(*keys));
	nk = 0;
	for (i = 1; i < sy->n; i++)
		if (g->rank[i])
			keys[nk++] = (uint32_t)i;
	cmp_sy = sy;
	if (nk)
		qsort(keys, nk, sizeof(*keys), cmp_sym);
	for (i = 0; i < nk; i++)
		g->rank[keys[i]] = (uint32_t)i + 1;
	free(keys);
	g->nkeys = nk;
	e = xmalloc((n ? n : 1) * sizeof(*e));
	n = 0;
	for (i = 0; i < f->n; i++) {
		uint32_t s = gold_bykey_sym(g, (uint32_t)i);

		if (s)
			e[n++] = (struct ent){ g->rank[sy->v[s].key], f->v[i].k.hour, (uint32_t)i };
	}
	if (n)
		qsort(e, n, sizeof(*e), cmp_ent);
	g->idx = xmalloc((n ? n : 1) * sizeof(*g->idx));
	for (i = 0; i < n; i++)
		g->idx[i] = e[i].i;
	g->n = n;
	free(e);
}

void
gold_bykey_free(struct gold_bykey *g)
{
	free(g->idx);
	free(g->rank);
	memset(g, 0, sizeof(*g));
}

size_t
gold_bykey_end(const struct gold_bykey *g, size_t at)
{
	const struct gsyms *sy = &g->f->sy;
	uint32_t k = sy->v[gold_bykey_sym(g, g->idx[at])].key;
	size_t j = at + 1;

	while (j < g->n && sy->v[gold_bykey_sym(g, g->idx[j])].key == k)
		j++;
	return j;
}
