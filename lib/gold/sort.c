/* sort.c: radix sorting and symbol order (sort.h). */
#include <stdlib.h>
#include <string.h>

#include "sort.h"

unsigned
gold_bits(uint64_t n)
{
	unsigned b = 0;

	while (n >> b)
		b++;
	return b;
}

struct gold_ent *
gold_radix(struct gold_ent *e, struct gold_ent *tmp, size_t n, unsigned nbits)
{
	enum { D = 11 };
	size_t cnt[1 << D];
	unsigned shift;
	size_t i;

	for (shift = 0; shift < nbits; shift += D) {
		size_t sum = 0;
		struct gold_ent *t;

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

static const struct gsyms *cmp_sy;

static int
cmp_sym(const void *a, const void *b)
{
	return gsym_cmp(cmp_sy, *(const uint32_t *)a, *(const uint32_t *)b);
}

/* Symbols with an id come first, by id: a radix sort of the ids less
 * the least, then the few that share an id (an (id) symbol and its
 * (id, text) ones) by gsym_cmp. Those with a text alone follow, by
 * gsym_cmp. */
void
gold_sort_syms(const struct gsyms *sy, uint32_t *syms, size_t n)
{
	struct gold_ent *e = xmalloc((n + 1) * sizeof(*e)), *tmp = xmalloc((n + 1) * sizeof(*tmp));
	struct gold_ent *sorted;
	uint32_t *texts = xmalloc((n + 1) * sizeof(*texts));
	uint64_t lo = UINT64_MAX, hi = 0;
	size_t i, j, ni = 0, nt = 0;

	for (i = 0; i < n; i++) {
		const struct gsym *y = &sy->v[syms[i]];

		if (y->has_id) {	/* the sign bit flipped: signed order as unsigned */
			uint64_t k = (uint64_t)y->id ^ (1ULL << 63);

			e[ni++] = (struct gold_ent){ k, syms[i] };
			lo = k < lo ? k : lo;
			hi = k > hi ? k : hi;
		} else {
			texts[nt++] = syms[i];
		}
	}
	for (i = 0; i < ni; i++)
		e[i].k -= lo;
	sorted = gold_radix(e, tmp, ni, ni ? gold_bits(hi - lo) : 0);
	for (i = 0; i < ni; i++)
		syms[i] = (uint32_t)sorted[i].i;
	cmp_sy = sy;
	for (i = 0; i < ni; i = j) {
		for (j = i + 1; j < ni && sorted[j].k == sorted[i].k; j++)
			;
		if (j - i > 1)
			qsort(syms + i, j - i, sizeof(*syms), cmp_sym);
	}
	qsort(texts, nt, sizeof(*texts), cmp_sym);
	memcpy(syms + ni, texts, nt * sizeof(*texts));
	free(texts);
	free(tmp);
	free(e);
}

void
gold_rank_keys(const struct gsyms *sy, uint32_t *krank, size_t nk, uint32_t base)
{
	uint32_t *keys = xmalloc((nk + 1) * sizeof(*keys));
	size_t i, j = 0;

	for (i = 1; i < sy->n; i++)
		if (krank[i])
			keys[j++] = (uint32_t)i;
	gold_sort_syms(sy, keys, nk);
	for (i = 0; i < nk; i++)
		krank[keys[i]] = base + (uint32_t)i;
	krank[0] = base + (uint32_t)nk;
	free(keys);
}
