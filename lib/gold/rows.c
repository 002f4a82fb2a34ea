/* rows.c: group facts into rows, sort, write (rows.h). */
#include <stdlib.h>
#include <string.h>

#include "bigmem.h"
#include "rows.h"

static void
msort(uint32_t *v, uint32_t *tmp, size_t n, int (*cmp)(const void *, uint32_t, uint32_t),
      const void *ctx)
{
	size_t h = n / 2, i, j, k;

	if (n < 2)
		return;
	if (n < 12) {	/* insertion sort: stable, cheap on short runs */
		for (i = 1; i < n; i++) {
			uint32_t x = v[i];

			for (j = i; j > 0 && cmp(ctx, v[j - 1], x) > 0; j--)
				v[j] = v[j - 1];
			v[j] = x;
		}
		return;
	}
	msort(v, tmp, h, cmp, ctx);
	msort(v + h, tmp, n - h, cmp, ctx);
	if (cmp(ctx, v[h - 1], v[h]) <= 0)
		return;		/* already in order: the common case for sorted input */
	memcpy(tmp, v, h * sizeof(*v));
	for (i = 0, j = h, k = 0; i < h && j < n;)
		v[k++] = cmp(ctx, tmp[i], v[j]) <= 0 ? tmp[i++] : v[j++];
	while (i < h)
		v[k++] = tmp[i++];
}

void
gold_sort(uint32_t *v, size_t n, int (*cmp)(const void *ctx, uint32_t a, uint32_t b),
	  const void *ctx)
{
	uint32_t *tmp;

	if (n < 2)
		return;
	tmp = xmalloc((n / 2 + 1) * sizeof(*tmp));
	msort(v, tmp, n, cmp, ctx);
	free(tmp);
}

/* ---- the current row's distinct sets ---- */

static uint64_t
lmix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	return x ^ (x >> 33);
}

static void
lset_grow(struct gold_rows *rs)
{
	size_t i, cap = rs->scap ? 2 * rs->scap : 1024;
	struct gold_lslot *v = xcalloc(cap, sizeof(*v));

	for (i = 0; i < rs->scap; i++) {
		const struct gold_lslot *e = &rs->set[i];
		size_t h;

		if (e->gen != rs->gen)
			continue;
		h = lmix(e->m ^ (uint64_t)e->s << 58) & (cap - 1);
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
	size_t h = lmix(m ^ (uint64_t)s << 58) & (rs->scap - 1);
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

/* ---- ranks: the sort order of days and keys as small integers ---- */

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static const struct gsyms *cmp_sy;

static int
cmp_sym(const void *a, const void *b)
{
	return gsym_cmp(cmp_sy, *(const uint32_t *)a, *(const uint32_t *)b);
}

static unsigned
bits(uint64_t n)
{
	unsigned b = 0;

	while (n >> b)
		b++;
	return b;
}

struct ent {
	uint64_t k;	/* day rank << kbits | key rank */
	uint64_t i;	/* fact index */
};

/* LSD radix sort of e[0..n) by k's low nbits; stable, so a row's facts
 * keep their order. tmp holds n entries. Returns the sorted array. */
static struct ent *
radix(struct ent *e, struct ent *tmp, size_t n, unsigned nbits)
{
	enum { D = 11 };
	size_t cnt[1 << D];
	unsigned shift;
	size_t i;

	for (shift = 0; shift < nbits; shift += D) {
		size_t sum = 0;
		struct ent *t;

		memset(cnt, 0, sizeof(cnt));
		for (i = 0; i < n; i++)
			cnt[e[i].k >> shift & ((1u << D) - 1)]++;
		for (i = 0; i < (1u << D); i++) {
			size_t c = cnt[i];

			cnt[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			tmp[cnt[e[i].k >> shift & ((1u << D) - 1)]++] = e[i];
		t = e;
		e = tmp;
		tmp = t;
	}
	return e;
}

int
gold_rows_emit(struct gold_run *r, struct gold_out *o, const struct gold_rows_def *d)
{
	struct gold_rows rs;
	struct gmap days;
	const struct gsyms *sy = &r->f->sy;
	uint32_t *krank, *keys;
	int64_t *dv;
	struct ent *e, *tmp, *sorted;
	size_t i, j, n = 0, nk = 0, nd, esz;
	unsigned kbits;
	unsigned char *row;

	memset(&rs, 0, sizeof(rs));
	rs.r = r;
	rs.f = r->f;
	rs.sy = sy;
	lset_grow(&rs);
	rs.gen = 1;
	/* the days and keys in use: key ranks in gsym_cmp order, NULL last */
	gmap_init(&days);
	krank = xcalloc(sy->n + 1, sizeof(*krank));
	for (i = 0; i < rs.f->n; i++) {
		int64_t day = 0;
		uint32_t key = 0;

		if (!d->group(&rs, &rs.f->v[i], &day, &key))
			continue;
		n++;
		gmap_get(&days, (uint64_t)day, 0, 0, NULL);
		if (key && !krank[key]) {
			krank[key] = 1;
			nk++;
		}
	}
	keys = xmalloc((nk + 1) * sizeof(*keys));
	for (i = 1, j = 0; i < sy->n; i++)
		if (krank[i])
			keys[j++] = (uint32_t)i;
	cmp_sy = sy;
	qsort(keys, nk, sizeof(*keys), cmp_sym);
	for (i = 0; i < nk; i++)
		krank[keys[i]] = (uint32_t)i;
	krank[0] = (uint32_t)nk;
	free(keys);
	kbits = bits(nk);
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

	esz = (n + 1) * sizeof(struct ent);
	e = big_alloc(esz);
	tmp = big_alloc(esz);
	for (i = 0, j = 0; i < rs.f->n; i++) {
		int64_t day = 0;
		uint32_t key = 0;

		if (!d->group(&rs, &rs.f->v[i], &day, &key))
			continue;
		e[j].k = (uint64_t)gmap_find(&days, (uint64_t)day, 0, 0) << kbits | krank[key];
		e[j++].i = i;
	}
	sorted = radix(e, tmp, n, bits(nd) + kbits);

	row = xmalloc(d->size);
	for (i = 0; i < n; i = j) {
		struct gold_rowkey *w = (void *)row;

		memset(row, 0, d->size);
		d->group(&rs, &rs.f->v[sorted[i].i], &w->day, &w->key);
		lset_next(&rs);
		for (j = i; j < n && sorted[j].k == sorted[i].k; j++)
			d->add(&rs, row, &rs.f->v[sorted[j].i], j == i);
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
