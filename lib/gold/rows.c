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

struct order {
	const unsigned char *rows;
	size_t size;
	const struct gsyms *sy;
};

static int
row_cmp(const void *ctx, uint32_t a, uint32_t b)
{
	const struct order *o = ctx;
	const struct gold_rowkey *x = (const void *)(o->rows + a * o->size);
	const struct gold_rowkey *y = (const void *)(o->rows + b * o->size);
	const struct gsym *sx, *sy;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	if (x->key && y->key && (sx = &o->sy->v[x->key])->has_id &&
	    (sy = &o->sy->v[y->key])->has_id && sx->id != sy->id)
		return sx->id < sy->id ? -1 : 1;	/* gsym_cmp's first test, inline */
	return gsym_cmp(o->sy, x->key, y->key);
}

int
gold_rows_emit(struct gold_run *r, struct gold_out *o, const struct gold_rows_def *d)
{
	struct gold_rows rs;
	struct gmap groups;
	unsigned char *rows = NULL;
	uint32_t *idx;
	size_t i, cap = 0;
	struct order ord;

	rs.r = r;
	rs.f = r->f;
	rs.sy = &r->f->sy;
	gmap_init(&rs.seen);
	gmap_init(&groups);
	for (i = 0; i < rs.f->n; i++) {
		const struct gfact *x = &rs.f->v[i];
		int64_t day = 0;
		uint32_t key = 0, g;
		int isnew;
		struct gold_rowkey *w;

		if (!d->group(&rs, x, &day, &key))
			continue;
		g = gmap_get(&groups, (uint64_t)day, key, 0, &isnew);
		if (isnew) {
			if (g >= cap) {
				size_t c2 = cap ? 2 * cap : 256;

				rows = big_grow(rows, cap * d->size, c2 * d->size);	/* zeroed */
				cap = c2;
			}
			w = (void *)(rows + g * d->size);
			w->day = day;
			w->key = key;
		}
		w = (void *)(rows + g * d->size);
		d->add(&rs, g, w, x, isnew);
	}
	idx = xmalloc((groups.n + 1) * sizeof(*idx));
	for (i = 0; i < groups.n; i++)
		idx[i] = (uint32_t)i;
	ord.rows = rows;
	ord.size = d->size;
	ord.sy = rs.sy;
	gold_sort(idx, groups.n, row_cmp, &ord);
	for (i = 0; i < groups.n; i++) {
		d->put(&rs, o, rows + idx[i] * d->size);
		gold_out_end(o);
	}
	free(idx);
	big_free(rows, cap * d->size);
	gmap_free(&groups);
	gmap_free(&rs.seen);
	return 0;
}
