/* rows.h: the per-group row array the fold tables (activity, repo_daily,
 * languages, contributors, orgs) share. A table says which (day, key) a
 * fact counts in, how a fact adds to its row and how a row is written;
 * gold_rows_emit does the rest: group the facts, keep the distinct sets,
 * sort the rows by (day, key) and write them. */
#ifndef GOLD_ROWS_H
#define GOLD_ROWS_H

#include "gold.h"

/* Every row struct starts with this. key is a symbol (gsym_cmp order,
 * 0 = NULL last); tables without a day leave it 0. */
struct gold_rowkey {
	int64_t day;
	uint32_t key;
};

struct gold_rows {
	struct gold_run *r;
	const struct gold_facts *f;
	const struct gsyms *sy;
	struct gmap seen;	/* distinct sets: (row, set, member) */
};

struct gold_rows_def {
	size_t size;		/* bytes per row (a struct starting with gold_rowkey) */
	/* The (day, key) fact x counts in; 0 when it counts in no row. */
	int (*group)(struct gold_rows *rs, const struct gfact *x, int64_t *day, uint32_t *key);
	/* Add x to row w (group number g, for gold_rows_distinct). A new row
	 * is zero but for its gold_rowkey; first says so. */
	void (*add)(struct gold_rows *rs, uint32_t g, void *w, const struct gfact *x, int first);
	/* Write row w (its columns, not gold_out_end). */
	void (*put)(struct gold_rows *rs, struct gold_out *o, const void *w);
};

int gold_rows_emit(struct gold_run *r, struct gold_out *o, const struct gold_rows_def *d);

/* 1 when member m of set s of row g was not seen yet (exact distinct counts) */
static inline int
gold_rows_distinct(struct gold_rows *rs, uint32_t g, unsigned s, uint64_t m)
{
	return gmap_add(&rs->seen, g, s, m);
}

/* The entity key of a symbol (0 stays 0). */
static inline uint32_t
gold_key(const struct gsyms *sy, uint32_t a)
{
	return a ? sy->v[a].key : 0;
}

/* Keep in *best (with its time *best_t) the symbol of the latest event,
 * ties to the greatest text: a row's name or login. */
static inline void
gold_latest(const struct gsyms *sy, uint32_t a, int64_t t, uint32_t *best, int64_t *best_t)
{
	if (sy->v[a].has_text &&
	    (!*best || t > *best_t || (t == *best_t && gsym_cmp(sy, a, *best) > 0))) {
		*best = a;
		*best_t = t;
	}
}

/* Sort v[0..n) with cmp(ctx, a, b); stable (a merge sort). */
void gold_sort(uint32_t *v, size_t n, int (*cmp)(const void *ctx, uint32_t a, uint32_t b),
	       const void *ctx);

#endif
