/* sort.h: sorting on integers for the gold tables: a stable radix sort,
 * and symbols put in gsym_cmp order without comparing most of them. */
#ifndef GOLD_SORT_H
#define GOLD_SORT_H

#include "gold.h"

/* e[0..n) by the low nbits of k, stable (tmp: room for n); returns the
 * sorted array, e or tmp. */
struct gold_ent {
	uint64_t k;
	uint64_t i;
};
struct gold_ent *gold_radix(struct gold_ent *e, struct gold_ent *tmp, size_t n, unsigned nbits);
unsigned gold_bits(uint64_t n);		/* bits to hold n */

/* syms[0..n) (distinct symbols, none 0) into gsym_cmp order */
void gold_sort_syms(const struct gsyms *sy, uint32_t *syms, size_t n);
/* krank[key] for the nk symbols marked in krank (nonzero; the rest stay
 * 0): base, base + 1, ... in gsym_cmp order; krank[0] (NULL) after all,
 * base + nk. */
void gold_rank_keys(const struct gsyms *sy, uint32_t *krank, size_t nk, uint32_t base);

#endif
