/* rows.h: the per-group rows the fold tables (activity, repo_daily,
 * languages, contributors, orgs) share. A table says which (day, key) a
 * fact counts in, how a fact adds to its row and how a row is written;
 * gold_rows_emit does the rest. It sorts the facts by their row's
 * (day, key) on integer ranks (a radix sort), so each row's facts come
 * together and rows come out in key order: one row at a time, with a
 * small distinct set that empties between rows. No hash table as large
 * as the input, no sort of rows. */
#ifndef GOLD_ROWS_H
#define GOLD_ROWS_H

#include "gold.h"
#include "sort.h"

/* Every row struct starts with this. key is a symbol (gsym_cmp order,
 * 0 = NULL last); tables without a day leave it 0. */
struct gold_rowkey {
	int64_t day;
	uint32_t key;
};

/* the distinct sets of the current row: (set, member) pairs stamped with
 * the row's generation, so emptying the sets is one increment */
struct gold_lslot {
	uint64_t m;
	uint32_t s;
	uint32_t gen;		/* 0: never used */
};

struct gold_rows {
	struct gold_run *r;
	const struct gold_facts *f;
	const struct gsyms *sy;
	struct gold_lslot *set;
	size_t scap, sn;
	uint32_t gen;
};

struct gold_rows_def {
	size_t size;		/* bytes per row (a struct starting with gold_rowkey) */
	/* The (day, key) fact x counts in; 0 when it counts in no row. */
	int (*group)(struct gold_rows *rs, const struct gfact *x, int64_t *day, uint32_t *key);
	/* Add x to row w, whose facts all come in one run (so
	 * gold_rows_distinct is about w). A new row is zero but for its
	 * gold_rowkey; first says so. */
	void (*add)(struct gold_rows *rs, void *w, const struct gfact *x, int first);
	/* Write row w (its columns, not gold_out_end). */
	void (*put)(struct gold_rows *rs, struct gold_out *o, const void *w);
};

int gold_rows_emit(struct gold_run *r, struct gold_out *o, const struct gold_rows_def *d);

/* 1 when member m of set s of the current row was not seen yet (exact
 * distinct counts) */
int gold_rows_distinct(struct gold_rows *rs, unsigned s, uint64_t m);

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

#endif
