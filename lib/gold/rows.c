/* rows.c: facts folded into rows in key order (rows.h). */
#include <stdlib.h>
#include <string.h>

#include "bigmem.h"
#include "hash.h"
#include "rows.h"

/* ---- the current row's distinct sets ---- */

static void
lset_grow(struct gold_rows *rs)
{
	size_t i, cap = rs->scap ? 2 * rs->scap : 64;	/* small inputs (fuzzing) stay small */
	struct gold_lslot *v = xcalloc(cap, sizeof(*v));

	for (i = 0; i < rs->scap; i++) {
		const struct gold_lslot *e = &rs->set[i];
		size_t h;

		if (e->gen != rs->gen)
			continue;
		h = hash_mix64(e->m ^ (uint64_t)e->s << 58) & (cap - 1);
		while (v[h].gen == rs->gen)
			h = (h + 1) & (cap - 1);
		v[h] = *e;
	}
	free(rs->set);
	rs->set = v;
	rs->scap = cap;
}

/* the next row: every set empty */
static void
lset_next(struct gold_rows *rs)
{
	rs->sn = 0;
	if (++rs->gen == 0) {	/* wrapped: stamps of 2^32 rows ago would match */
		memset(rs->set, 0, rs->scap * sizeof(*rs->set));
		rs->gen = 1;
	}
}

int
gold_rows_distinct(struct gold_rows *rs, unsigned s, uint64_t m)
{
	size_t h = hash_mix64(m ^ (uint64_t)s << 58) & (rs->scap - 1);
	struct gold_lslot *e;

	for (; (e = &rs->set[h])->gen == rs->gen; h = (h + 1) & (rs->scap - 1))
		if (e->m == m && e->s == s)
			return 0;
	e->m = m;
	e->s = s;
	e->gen = rs->gen;
	if (2 * ++rs->sn > rs->scap)
		lset_grow(rs);
	return 1;
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* the lines a fact's fold reads beyond the fact: its actor's and repo's
 * symbols (gold_key, gold_latest) */
static void
prefetch_syms(const struct gsyms *sy, const struct gfact *x)
{
	__builtin_prefetch(&sy->v[x->k.actor]);
	__builtin_prefetch(&sy->v[x->k.repo]);
}

#define PF 16

int
gold_rows_emit(struct gold_run *r, struct gold_out *o, const struct gold_rows_def *d)
{
	struct gold_rows rs;
	struct gmap days;
	const struct gsyms *sy = &r->f->sy;
	const struct gfact *v = r->f->v;
	uint32_t *krank;
	int64_t *dv;
	struct gold_ent *e, *tmp, *sorted;
	size_t i, j, n = 0, nk = 0, nd, esz, nf = r->f->n;
	unsigned kbits;
	unsigned char *row;

	memset(&rs, 0, sizeof(rs));
	rs.r = r;
	rs.f = r->f;
	rs.sy = sy;
	lset_grow(&rs);
	rs.gen = 1;
	/* each fact's (day, key): e[].k the day, e[].i the key and the fact */
	esz = (nf + 1) * sizeof(struct gold_ent);
	e = big_alloc(esz);
	tmp = big_alloc(esz);
	gmap_init(&days);
	krank = xcalloc(sy->n + 1, sizeof(*krank));
	for (i = 0; i < nf; i++) {
		int64_t day = 0;
		uint32_t key = 0;

		if (i + PF < nf)
			prefetch_syms(sy, &v[i + PF]);
		if (!d->group(&rs, &v[i], &day, &key))
			continue;
		e[n].k = (uint64_t)day;
		e[n++].i = (uint64_t)key << 32 | i;
		gmap_get(&days, (uint64_t)day, 0, 0, NULL);
		if (key && !krank[key]) {
			krank[key] = 1;
			nk++;
		}
	}
	gold_rank_keys(sy, krank, nk, 0);
	kbits = gold_bits(nk);
	nd = days.n;
	dv = xmalloc((nd + 1) * sizeof(*dv));
	for (i = 0; i < days.cap; i++)
		if (days.s[i].v)
			dv[days.s[i].v - 1] = (int64_t)days.s[i].k[0];
	qsort(dv, nd, sizeof(*dv), cmp_i64);
	/* inserted in order, each day's value is its rank */
	gmap_free(&days);
	gmap_init(&days);
	for (i = 0; i < nd; i++)
		gmap_get(&days, (uint64_t)dv[i], 0, 0, NULL);
	for (i = 0; i < n; i++) {
		e[i].k = (uint64_t)gmap_find(&days, e[i].k, 0, 0) << kbits | krank[e[i].i >> 32];
		e[i].i &= UINT32_MAX;
	}
	sorted = gold_radix(e, tmp, n, gold_bits(nd) + kbits);

	row = xmalloc(d->size);
	for (i = 0; i < n; i = j) {
		struct gold_rowkey *w = (void *)row;

		memset(row, 0, d->size);
		d->group(&rs, &v[sorted[i].i], &w->day, &w->key);
		lset_next(&rs);
		for (j = i; j < n && sorted[j].k == sorted[i].k; j++) {
			if (j + PF < n)
				__builtin_prefetch(&v[sorted[j + PF].i]);
			if (j + PF / 2 < n)
				prefetch_syms(sy, &v[sorted[j + PF / 2].i]);
			d->add(&rs, row, &v[sorted[j].i], j == i);
		}
		d->put(&rs, o, row);
		gold_out_end(o);
	}
	free(row);
	big_free(e, esz);
	big_free(tmp, esz);
	free(dv);
	free(krank);
	gmap_free(&days);
	free(rs.set);
	return 0;
}
