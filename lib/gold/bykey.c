/* bykey.c: facts sorted by (entity key order, hour). The keys are ranked
 * once (gold_rank_keys), then the facts are radix-sorted on integers. */
#include <stdlib.h>
#include <string.h>

#include "bykey.h"
#include "rows.h"

uint32_t
gold_bykey_sym(const struct gold_bykey *g, uint32_t i)
{
	return g->of == GB_ACTOR ? g->f->v[i].k.actor : g->f->v[i].k.repo;
}

void
gold_bykey_init(struct gold_bykey *g, const struct gold_facts *f, enum gold_bykey_of of)
{
	const struct gsyms *sy = &f->sy;
	struct gold_ent *e, *tmp, *sorted;
	size_t i, nk = 0, n = 0;
	unsigned hb;

	memset(g, 0, sizeof(*g));
	g->f = f;
	g->of = of;
	g->rank = xcalloc(sy->n + 1, sizeof(*g->rank));
	/* the distinct key symbols, marked in rank[] first */
	for (i = 0; i < f->n; i++) {
		uint32_t s = gold_bykey_sym(g, (uint32_t)i);

		if (s && !g->rank[sy->v[s].key]) {
			g->rank[sy->v[s].key] = 1;
			nk++;
		}
		n += s != 0;
	}
	gold_rank_keys(sy, g->rank, nk, 1);
	g->nkeys = nk;
	/* by (key rank, hour, fact): hours as hours since the first; the
	 * input order of the facts stays within one (key, hour) */
	hb = n ? gold_bits((uint64_t)(f->hmax - f->hmin) / 3600) : 0;
	e = xmalloc((n + 1) * sizeof(*e));
	tmp = xmalloc((n + 1) * sizeof(*tmp));
	n = 0;
	for (i = 0; i < f->n; i++) {
		uint32_t s = gold_bykey_sym(g, (uint32_t)i);

		if (s)
			e[n++] = (struct gold_ent){ (uint64_t)g->rank[sy->v[s].key] << hb |
							    (uint64_t)(f->v[i].k.hour - f->hmin) / 3600, i };
	}
	sorted = gold_radix(e, tmp, n, gold_bits(nk) + hb);
	g->idx = xmalloc((n + 1) * sizeof(*g->idx));
	g->krank = xmalloc((n + 1) * sizeof(*g->krank));
	for (i = 0; i < n; i++) {
		g->idx[i] = (uint32_t)sorted[i].i;
		g->krank[i] = (uint32_t)(sorted[i].k >> hb);
	}
	g->n = n;
	free(e);
	free(tmp);
}

void
gold_bykey_free(struct gold_bykey *g)
{
	free(g->idx);
	free(g->krank);
	free(g->rank);
	memset(g, 0, sizeof(*g));
}

size_t
gold_bykey_end(const struct gold_bykey *g, size_t at)
{
	size_t j = at + 1;

	while (j < g->n && g->krank[j] == g->krank[at])
		j++;
	return j;
}
