/* kmeans.h: k-means clustering for gha-kmeans: reading features from COPY
 * text (kmeans_data.c), scaling (kmeans_scale.c), the fit (kmeans.c:
 * greedy k-means++ seeding, Hamerly's bounds, restarts), quality metrics
 * (kmeans_metrics.c), the model file (kmeans_model.c) and a small thread
 * pool (kmeans_pool.c).
 *
 * Determinism: every parallel loop works on fixed chunks of KM_CHUNK rows
 * and partial results are reduced in chunk order, so a fit depends on the
 * data, the options and the seed, not on the thread count. */
#ifndef GHA_KMEANS_H
#define GHA_KMEANS_H

#include "gha.h"

#define KM_CHUNK 2048		/* rows per parallel task */
#define KM_MAXK 10000		/* clusters */
#define KM_MAXD 4096		/* features */
#define KM_MODEL_VERSION 1

enum km_scale { KM_SCALE_NONE, KM_SCALE_ZSCORE, KM_SCALE_LOG1P };
enum km_missing { KM_MISSING_DROP, KM_MISSING_ZERO, KM_MISSING_MEAN };

/* Squared Euclidean distance, in four independent sums: a single running
 * sum is one long chain of dependent additions, four run side by side
 * (2-3x faster with d = 24). The order is fixed, so results are too. */
static inline double
km_sqdist(const double *a, const double *b, size_t d)
{
	double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
	size_t j = 0;

	for (; j + 4 <= d; j += 4) {
		double t0 = a[j] - b[j], t1 = a[j + 1] - b[j + 1];
		double t2 = a[j + 2] - b[j + 2], t3 = a[j + 3] - b[j + 3];

		s0 += t0 * t0;
		s1 += t1 * t1;
		s2 += t2 * t2;
		s3 += t3 * t3;
	}
	for (; j < d; j++) {
		double t = a[j] - b[j];

		s0 += t * t;
	}
	return (s0 + s1) + (s2 + s3);
}

/* ---- a pool of worker threads (kmeans_pool.c) ---- */
struct km_pool;
struct km_pool *km_pool_new(int threads);	/* threads <= 1: no workers */
/* Call fn(ctx, task) for task 0..ntasks-1, on the workers and the
 * caller; returns when all are done. */
void km_pool_run(struct km_pool *p, size_t ntasks, void (*fn)(void *ctx, size_t task), void *ctx);
void km_pool_free(struct km_pool *p);

/* ---- the features (kmeans_data.c) ---- */
/* A column spec is a header name, or NAME[N] (N >= 2): a text field of N
 * comma-separated numbers, read as N features NAME.0 .. NAME.N-1, each
 * divided by the row's sum of the N (a profile; all zero stays zero). */
struct km_cols {
	int nspec;
	char **spec;		/* header names */
	int *width;		/* 1, or N for NAME[N] */
	int d;			/* features: the sum of the widths */
	char **feat;		/* feature names, d of them */
};
int km_cols_parse(struct km_cols *c, const char *list, struct gha_err *err);	/* "a,b,c[24]" */
void km_cols_free(struct km_cols *c);
/* the list back, comma-separated (for a model file, tracking) */
void km_cols_join(const struct km_cols *c, struct buf *out);

struct km_data {
	size_t n, d;
	double *x;		/* n rows of d values, row-major; NaN: NULL */
	uint64_t *line;		/* the input line of each row */
	struct buf ids;		/* with an id column: each row's id, NUL-terminated */
	size_t *idoff;		/* offsets into ids (NULL without an id column) */
	uint64_t in;		/* data rows read */
	uint64_t dropped;	/* rows left out for a NULL (--missing drop) */
	uint64_t nulls;		/* NULL fields filled (zero, mean) */
	char sha256[65];	/* of the uncompressed text, when asked for */
};
struct km_readopt {
	const struct km_cols *cols;
	const char *id;		/* id column, or NULL: rows are named by line */
	enum km_missing missing;
	int log1p;		/* values must be > -1 */
	int hash;		/* compute sha256 */
};
void km_data_init(struct km_data *dt);
void km_data_free(struct km_data *dt);
/* Read path (NULL or "-": stdin; gzip or plain). 0, or -1 with err: 65
 * with FILE:LINE and the column for a bad field, 66, 74. NULLs are NaN
 * for km_fill_missing to fill (or the row is dropped). */
int km_read(struct km_data *dt, const char *path, const struct km_readopt *o, struct gha_err *err);
/* Rows with the same id become one, their features summed as SQL's sum
 * (NULLs skipped; NULL when all are); ordered by id, rows with a NULL id
 * kept apart at the end. Runs before --missing fills NULLs. */
void km_data_sum_by_id(struct km_data *dt);
/* Row i's id (NULL for a NULL id), or its line number written in tmp. */
const char *km_id(const struct km_data *dt, size_t i, char *tmp, size_t tmpn);

/* ---- scaling and missing values (kmeans_scale.c) ---- */
struct km_prep {
	size_t d;
	enum km_scale scale;
	enum km_missing missing;
	double *fill;		/* per feature: the value a NULL takes (original units) */
	double *mean, *sd;	/* per feature: after log1p when scale is log1p */
};
void km_prep_init(struct km_prep *p, size_t d, enum km_scale s, enum km_missing m);
void km_prep_free(struct km_prep *p);
/* Learn fill, mean and sd from the data (NaN fields skipped). */
void km_prep_learn(struct km_prep *p, const struct km_data *dt);
/* Fill NULLs and scale in place. */
void km_prep_apply(const struct km_prep *p, double *x, size_t n);
/* Back to original units, in place (one row). */
void km_prep_invert(const struct km_prep *p, double *row);

/* ---- the fit (kmeans.c) ---- */
struct km_fitopt {
	size_t k;
	int n_init, max_iter;
	double tol;		/* relative to the mean feature variance, as sklearn */
	uint64_t seed;
};
struct km_fit {
	size_t k, d;
	double *c;		/* k x d centroids */
	int *label;		/* per row */
	double *dist;		/* per row: Euclidean distance to its centroid */
	size_t *size;		/* per cluster */
	double inertia;		/* sum of squared distances */
	int iter, best_init, converged;
	uint64_t full_scans, skipped;	/* distance work the bounds saved */
};
void km_fit_free(struct km_fit *f);
/* x: n x d, n >= 1. -1 with err (65) when x has fewer than k distinct rows. */
int km_fit_run(struct km_pool *pool, const double *x, size_t n, size_t d,
	       const struct km_fitopt *o, struct km_fit *f, struct gha_err *err);
/* distinct rows of x, counted up to limit */
size_t km_distinct_rows(const double *x, size_t n, size_t d, size_t limit);
/* Nearest centroid of every row: label and distance. */
void km_assign(struct km_pool *pool, const double *x, size_t n, size_t d,
	       const double *c, size_t k, int *label, double *dist);

/* ---- quality (kmeans_metrics.c), on the data as clustered ---- */
struct km_metrics {
	double silhouette;	/* NaN when k < 2 or every row in one cluster */
	size_t sil_rows;	/* rows the silhouette was computed over */
	int sil_sampled;
	double davies_bouldin, calinski_harabasz;
};
/* Silhouette exact when n <= sil_max, else over sil_max rows drawn
 * without replacement (seeded), as sklearn's silhouette_score(sample_size). */
void km_metrics(struct km_pool *pool, const double *x, size_t n, size_t d, const int *label,
		size_t k, size_t sil_max, uint64_t seed, struct km_metrics *m);

/* ---- random numbers (kmeans.c): xoshiro256** seeded by splitmix64 ---- */
struct km_rng {
	uint64_t s[4];
};
void km_rng_seed(struct km_rng *r, uint64_t seed, uint64_t stream);
uint64_t km_rng_next(struct km_rng *r);
double km_rng_unit(struct km_rng *r);	/* [0, 1) */

/* ---- the model file (kmeans_model.c) ---- */
struct km_model {
	struct km_prep prep;
	struct km_cols cols;
	char *id;		/* the id column at fit time, or NULL */
	int sum_by_id;		/* rows were summed by id (--sum-by-id) */
	size_t k, d;
	double *c;		/* k x d, scaled */
};
void km_model_init(struct km_model *m);
void km_model_free(struct km_model *m);
void km_model_format(const struct km_model *m, struct buf *out);
/* Parse a model file's bytes. 0, or -1 with err (65, "NAME:LINE: why"). */
int km_model_parse(struct km_model *m, const char *p, size_t n, const char *name,
		   struct gha_err *err);
int km_model_load(struct km_model *m, const char *path, struct gha_err *err);

/* ---- outputs (kmeans_out.c), each written atomically; "-": stdout ---- */
struct km_sweep {
	size_t k;
	double inertia;
	int iter;
	struct km_metrics m;
};
struct km_report {
	const struct km_data *dt;
	const struct km_model *model;
	const struct km_fit *fit;
	const struct km_metrics *m;
	const struct km_fitopt *o;
	size_t sil_max;
	const struct km_sweep *sweep;	/* --k-range: every k, NULL otherwise */
	size_t nsweep, elbow_k;
	const char *input;
};
/* id, cluster, distance (the id column's name, or "line") */
int km_write_assign(const char *path, const struct km_data *dt, const char *idname,
		    const int *label, const double *dist, struct gha_err *err);
/* cluster, size, then each feature in original units */
int km_write_centroids(const char *path, const struct km_model *m, const size_t *size,
		       struct gha_err *err);
void km_report_json(const struct km_report *r, struct buf *out);
int km_write_model(const char *path, const struct km_model *m, struct gha_err *err);
/* the k of the elbow: the point farthest from the line through the
 * first and last (k, inertia), both axes scaled to [0, 1] */
size_t km_elbow(const struct km_sweep *s, size_t n);

#endif
