/* kmeans.c: the fit. Greedy k-means++ seeding (as scikit-learn: each new
 * centre is the best of 2 + ln(k) candidates drawn in proportion to the
 * squared distance, the one that lowers the potential most), then Lloyd
 * iterations with Hamerly's bounds: per row an upper bound on the
 * distance to its centre and a lower bound on the distance to any other,
 * so a row whose bounds are apart is not looked at again. The best of
 * n_init restarts (lowest inertia, the first on a tie) is kept.
 *
 * Every pass over the rows is split into fixed chunks of KM_CHUNK rows
 * whose partial sums are added in chunk order: the same seed gives the
 * same bytes with any number of threads. */
#include <math.h>

#include "kmeans.h"

/* The two passes over the rows also built for AVX2, picked at run time.
 * The same bytes either way: the sums are in a fixed order, vectorizing
 * never reorders them, and multiply-adds are never fused (-std=c11
 * implies -ffp-contract=off, which the Makefile also sets). */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define KM_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define KM_CLONES
#endif

/* ---- random numbers ---- */
static uint64_t
splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void
km_rng_seed(struct km_rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * 0xd1342543de82ef95ULL);

	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix(&x);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t
km_rng_next(struct km_rng *r)
{
	uint64_t *s = r->s, out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

double
km_rng_unit(struct km_rng *r)
{
	return (double)(km_rng_next(r) >> 11) * 0x1.0p-53;
}

#define sqdist km_sqdist

/* ---- the state of one restart ---- */
struct state {
	struct km_pool *pool;
	const double *x;
	size_t n, d, k, nchunk;
	double *c;		/* k x d */
	int *a;			/* assignment */
	double *u, *l;		/* Hamerly's upper and lower bounds */
	double *half;		/* per centre: half the distance to its nearest other centre */
	double *shift;		/* per centre: how far it moved last */
	double shmax, shmax2;	/* the largest and second largest shift */
	int shmaxj, have_shift;
	double *sum;		/* k x d: the sums of each cluster's rows */
	int64_t *cnt;		/* k: each cluster's rows */
	int first;		/* the restart's first pass: no labels yet */
	double *psum;		/* per chunk: k x d changes to sum */
	int64_t *pcnt;		/* per chunk: k changes to cnt */
	size_t *pchg;		/* per chunk: rows that changed cluster */
	uint64_t *pfull;	/* per chunk: full scans */
	/* seeding */
	double *closest;	/* n: squared distance to the nearest chosen centre */
	double *trial;		/* ntrial x n */
	double *tpot;		/* per chunk: ntrial partial potentials */
	const size_t *cand;
	int ntrial;
};

static void
chunk_range(const struct state *s, size_t t, size_t *lo, size_t *hi)
{
	*lo = t * KM_CHUNK;
	*hi = *lo + KM_CHUNK < s->n ? *lo + KM_CHUNK : s->n;
}

/* Rows outside, candidates inside: the rows (far larger than the caches)
 * are read once per centre, not once per candidate. */
KM_CLONES static void
seed_task(void *ctx, size_t t)
{
	struct state *s = ctx;
	size_t lo, hi, n = s->n, d = s->d;
	int nt = s->ntrial;
	double pot[64] = { 0 };
	const double *cx[64];

	chunk_range(s, t, &lo, &hi);
	for (int r = 0; r < nt; r++)
		cx[r] = s->x + s->cand[r] * d;
	for (size_t i = lo; i < hi; i++) {
		const double *xi = s->x + i * d;
		double cl = s->closest[i];

		for (int r = 0; r < nt; r++) {
			double v = sqdist(xi, cx[r], d);

			if (v > cl)
				v = cl;
			s->trial[(size_t)r * n + i] = v;
			pot[r] += v;
		}
	}
	for (int r = 0; r < nt; r++)
		s->tpot[t * (size_t)nt + (size_t)r] = pot[r];
}

/* the first index whose running sum reaches v (numpy's searchsorted) */
static size_t
search(const double *cum, size_t n, double v)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cum[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n ? lo : n - 1;
}

static void
seed_centres(struct state *s, struct km_rng *rng, double *cum)
{
	size_t n = s->n, d = s->d, first = (size_t)(km_rng_next(rng) % n);
	size_t cand[64];
	int ntrial = 2 + (int)log((double)s->k);

	if (ntrial > 64)
		ntrial = 64;
	memcpy(s->c, s->x + first * d, d * sizeof(double));
	/* the first centre: its distances, as one trial of one candidate */
	for (size_t i = 0; i < n; i++)
		s->closest[i] = INFINITY;
	s->cand = &first;
	s->ntrial = 1;
	km_pool_run(s->pool, s->nchunk, seed_task, s);
	memcpy(s->closest, s->trial, n * sizeof(double));
	for (size_t c = 1; c < s->k; c++) {
		double run = 0, bestpot = INFINITY;
		int best = 0;

		for (size_t i = 0; i < n; i++)
			cum[i] = run += s->closest[i];
		for (int r = 0; r < ntrial; r++)
			cand[r] = search(cum, n, km_rng_unit(rng) * run);
		s->cand = cand;
		s->ntrial = ntrial;
		km_pool_run(s->pool, s->nchunk, seed_task, s);
		for (int r = 0; r < ntrial; r++) {
			double p = 0;

			for (size_t t = 0; t < s->nchunk; t++)
				p += s->tpot[t * (size_t)ntrial + (size_t)r];
			if (p < bestpot)
				bestpot = p, best = r;
		}
		memcpy(s->c + c * d, s->x + cand[best] * d, d * sizeof(double));
		memcpy(s->closest, s->trial + (size_t)best * n, n * sizeof(double));
	}
}

/* s += sign * x, sign 1 or -1 (exact: s + -x is s - x) */
static void
vacc(double *restrict s, const double *restrict x, double sign, size_t d)
{
	size_t j = 0;

	for (; j + 4 <= d; j += 4) {
		s[j] += sign * x[j];
		s[j + 1] += sign * x[j + 1];
		s[j + 2] += sign * x[j + 2];
		s[j + 3] += sign * x[j + 3];
	}
	for (; j < d; j++)
		s[j] += sign * x[j];
}

/* One pass: bounds, reassignment where needed, and per chunk the changes
 * to the clusters' sums. Only a row that changes cluster is added and
 * subtracted (Hamerly's incremental update): a row its bounds keep is not
 * read at all, which is most rows after the first passes. */
KM_CLONES static void
assign_task(void *ctx, size_t t)
{
	struct state *s = ctx;
	size_t lo, hi, d = s->d, k = s->k, chg = 0;
	double *sum = s->psum + t * k * d;
	int64_t *cnt = s->pcnt + t * k;
	uint64_t full = 0;

	chunk_range(s, t, &lo, &hi);
	memset(sum, 0, k * d * sizeof(double));
	memset(cnt, 0, k * sizeof(int64_t));
	for (size_t b0 = lo; b0 < hi; b0 += 64) {
		size_t b1 = b0 + 64 < hi ? b0 + 64 : hi, need[64], nn = 0;

		/* First the bounds of a block of rows; the rows they cannot
		 * settle are fetched from memory together, not one miss at a
		 * time (the rows are far larger than the caches). */
		for (size_t i = b0; i < b1; i++) {
			int a = s->a[i];

			if (s->have_shift) {
				s->u[i] += s->shift[a];
				s->l[i] -= a == s->shmaxj ? s->shmax2 : s->shmax;
			}
			/* the first pass labels every row (with k = 1, m is infinite) */
			if (s->first || s->u[i] > (s->half[a] > s->l[i] ? s->half[a] : s->l[i])) {
				const char *p = (const char *)(s->x + i * d);

				for (size_t o = 0; o < d * sizeof(double); o += 64)
					__builtin_prefetch(p + o);
				need[nn++] = i;
			}
		}
		for (size_t q = 0; q < nn; q++) {
			size_t i = need[q];
			int a = s->a[i];
			double m = s->half[a] > s->l[i] ? s->half[a] : s->l[i];
			const double *xi = s->x + i * d;

			if (!s->first) {
				s->u[i] = sqrt(sqdist(xi, s->c + (size_t)a * d, d));
				if (s->u[i] <= m)
					continue;
			}
			double d1 = INFINITY, d2 = INFINITY;
			int b = 0;

			full++;
			for (size_t j = 0; j < k; j++) {
				double v = sqdist(xi, s->c + j * d, d);

				if (v < d1) {
					d2 = d1;
					d1 = v;
					b = (int)j;
				} else if (v < d2) {
					d2 = v;
				}
			}
			s->u[i] = sqrt(d1);
			s->l[i] = sqrt(d2);
			if (s->first) {
				vacc(sum + (size_t)b * d, xi, 1.0, d);
				cnt[b]++;
			} else if (b != a) {
				vacc(sum + (size_t)a * d, xi, -1.0, d);
				cnt[a]--;
				vacc(sum + (size_t)b * d, xi, 1.0, d);
				cnt[b]++;
			}
			if (b != a) {
				chg++;
				s->a[i] = b;
			}
		}
	}
	s->pchg[t] = chg;
	s->pfull[t] = full;
}

static void
centre_gaps(struct state *s)
{
	size_t k = s->k, d = s->d;

	for (size_t j = 0; j < k; j++)
		s->half[j] = INFINITY;
	for (size_t j = 0; j < k; j++)
		for (size_t i = j + 1; i < k; i++) {
			double v = sqrt(sqdist(s->c + j * d, s->c + i * d, d)) / 2;

			if (v < s->half[j])
				s->half[j] = v;
			if (v < s->half[i])
				s->half[i] = v;
		}
	if (k == 1)
		s->half[0] = INFINITY;
}

/* Empty clusters take the rows farthest from their centres (as sklearn
 * does); every bound is reset, since the move can be large. */
static void
relocate_empty(struct state *s, double *newc)
{
	size_t n = s->n, d = s->d;
	unsigned char *used = NULL;

	for (size_t j = 0; j < s->k; j++) {
		if (s->cnt[j])
			continue;
		if (!used)
			used = xcalloc(n, 1);
		size_t far = 0;
		double fd = -1;

		for (size_t i = 0; i < n; i++) {
			double v = sqdist(s->x + i * d, s->c + (size_t)s->a[i] * d, d);

			if (!used[i] && v > fd)
				fd = v, far = i;
		}
		used[far] = 1;
		memcpy(newc + j * d, s->x + far * d, d * sizeof(double));
	}
	if (used) {
		for (size_t i = 0; i < n; i++)
			s->u[i] = INFINITY, s->l[i] = 0;
		free(used);
	}
}

/* Apply the chunks' changes in order, move the centres. Returns the sum
 * of squared shifts. */
static double
update_centres(struct state *s, double *newc, uint64_t *full)
{
	size_t k = s->k, d = s->d;
	double tot = 0;

	for (size_t t = 0; t < s->nchunk; t++) {
		const double *ps = s->psum + t * k * d;

		for (size_t j = 0; j < k; j++)
			s->cnt[j] += s->pcnt[t * k + j];
		for (size_t q = 0; q < k * d; q++)
			s->sum[q] += ps[q];
		*full += s->pfull[t];
	}
	s->first = 0;
	for (size_t j = 0; j < k; j++) {
		/* an emptied cluster starts again from an exact zero */
		if (!s->cnt[j])
			memset(s->sum + j * d, 0, d * sizeof(double));
		memcpy(newc + j * d, s->sum + j * d, d * sizeof(double));
	}
	for (size_t j = 0; j < k; j++)
		if (s->cnt[j])
			for (size_t q = 0; q < d; q++)
				newc[j * d + q] /= (double)s->cnt[j];
	relocate_empty(s, newc);
	s->shmax = s->shmax2 = 0;
	s->shmaxj = -1;
	for (size_t j = 0; j < k; j++) {
		double sq = sqdist(newc + j * d, s->c + j * d, d), v = sqrt(sq);

		tot += sq;
		s->shift[j] = v;
		if (v > s->shmax) {
			s->shmax2 = s->shmax;
			s->shmax = v;
			s->shmaxj = (int)j;
		} else if (v > s->shmax2) {
			s->shmax2 = v;
		}
	}
	memcpy(s->c, newc, k * d * sizeof(double));
	s->have_shift = 1;
	centre_gaps(s);
	return tot;
}

static void
pass(struct state *s)
{
	km_pool_run(s->pool, s->nchunk, assign_task, s);
}

/* One restart from seeded centres; returns iterations. */
static int
lloyd(struct state *s, const struct km_fitopt *o, double tolabs, double *newc, int *converged,
      uint64_t *full)
{
	int it;

	for (size_t i = 0; i < s->n; i++)
		s->a[i] = 0, s->u[i] = INFINITY, s->l[i] = 0;
	memset(s->sum, 0, s->k * s->d * sizeof(double));
	memset(s->cnt, 0, s->k * sizeof(int64_t));
	s->first = 1;
	s->have_shift = 0;
	centre_gaps(s);
	*converged = 0;
	for (it = 1; it <= o->max_iter; it++) {
		pass(s);
		/* labels that did not move: the centres are their means already */
		size_t chg = 0;

		for (size_t t = 0; t < s->nchunk; t++)
			chg += s->pchg[t];
		if (it > 1 && chg == 0) {
			*converged = 1;
			for (size_t t = 0; t < s->nchunk; t++)
				*full += s->pfull[t];
			return it;
		}
		double tot = update_centres(s, newc, full);

		if (tot <= tolabs) {
			*converged = 1;
			break;
		}
	}
	/* the labels of the final centres */
	pass(s);
	for (size_t t = 0; t < s->nchunk; t++)
		*full += s->pfull[t];
	return it > o->max_iter ? o->max_iter : it;
}

/* per chunk: each row's squared distance to its centre (in u), and their
 * sum (in tpot) */
static void
exact_task(void *ctx, size_t t)
{
	struct state *s = ctx;
	size_t lo, hi, d = s->d;
	double p = 0;

	chunk_range(s, t, &lo, &hi);
	for (size_t i = lo; i < hi; i++) {
		s->u[i] = sqdist(s->x + i * d, s->c + (size_t)s->a[i] * d, d);
		p += s->u[i];
	}
	s->tpot[t] = p;
}

static int
samerow(const double *a, const double *b, size_t d)
{
	for (size_t j = 0; j < d; j++)
		if (a[j] != b[j])
			return 0;
	return 1;
}

static uint64_t
hashrow(const double *x, size_t d)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL;

	for (size_t j = 0; j < d; j++) {
		double v = x[j] == 0 ? 0 : x[j];	/* -0.0 equals 0.0 */
		uint64_t w;

		memcpy(&w, &v, sizeof(w));
		h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
		h ^= h >> 29;
	}
	return h;
}

/* Distinct rows, counted up to limit: a hash set that stops as soon as
 * limit rows differ, which on real data is within the first rows. */
size_t
km_distinct_rows(const double *x, size_t n, size_t d, size_t limit)
{
	size_t cap = 16, m = 0, want = limit < n ? limit : n;
	size_t *slot;

	while (cap < 2 * want)
		cap <<= 1;
	slot = xmalloc(cap * sizeof(size_t));
	for (size_t i = 0; i < cap; i++)
		slot[i] = SIZE_MAX;
	for (size_t i = 0; i < n && m < limit; i++) {
		size_t h = (size_t)hashrow(x + i * d, d) & (cap - 1);

		while (slot[h] != SIZE_MAX && !samerow(x + slot[h] * d, x + i * d, d))
			h = (h + 1) & (cap - 1);
		if (slot[h] == SIZE_MAX) {
			slot[h] = i;
			m++;
		}
	}
	free(slot);
	return m;
}

struct assign_ctx {
	const double *x, *c;
	size_t n, d, k;
	int *label;
	double *dist;
};

static void
nearest_task(void *ctx, size_t t)
{
	struct assign_ctx *a = ctx;
	size_t lo = t * KM_CHUNK, hi = lo + KM_CHUNK < a->n ? lo + KM_CHUNK : a->n;

	for (size_t i = lo; i < hi; i++) {
		double best = INFINITY;
		int b = 0;

		for (size_t j = 0; j < a->k; j++) {
			double v = sqdist(a->x + i * a->d, a->c + j * a->d, a->d);

			if (v < best)
				best = v, b = (int)j;
		}
		a->label[i] = b;
		a->dist[i] = sqrt(best);
	}
}

void
km_assign(struct km_pool *pool, const double *x, size_t n, size_t d, const double *c, size_t k,
	  int *label, double *dist)
{
	struct assign_ctx a = { x, c, n, d, k, label, dist };

	km_pool_run(pool, (n + KM_CHUNK - 1) / KM_CHUNK, nearest_task, &a);
}

void
km_fit_free(struct km_fit *f)
{
	free(f->c);
	free(f->label);
	free(f->dist);
	free(f->size);
	memset(f, 0, sizeof(*f));
}

/* tol times the mean variance of the features, in two passes along the
 * rows (a pass down each column would read all the rows d times) */
static double
tol_abs(const double *x, size_t n, size_t d, double tol)
{
	double *m, *v, tot = 0;

	if (tol <= 0)
		return 0;
	m = xcalloc(d, sizeof(double));
	v = xcalloc(d, sizeof(double));
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < d; j++)
			m[j] += x[i * d + j];
	for (size_t j = 0; j < d; j++)
		m[j] /= (double)n;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < d; j++)
			v[j] += (x[i * d + j] - m[j]) * (x[i * d + j] - m[j]);
	for (size_t j = 0; j < d; j++)
		tot += v[j] / (double)n;
	free(m);
	free(v);
	return tol * tot / (double)d;
}

int
km_fit_run(struct km_pool *pool, const double *x, size_t n, size_t d, const struct km_fitopt *o,
	   struct km_fit *f, struct gha_err *err)
{
	struct state s;
	size_t k = o->k, distinct;
	double *newc, *cum, tolabs;
	int ntrial = 2 + (int)log((double)k);

	memset(f, 0, sizeof(*f));
	if (k < 1 || n < 1)
		return gha_seterr(err, GHA_DATAERR, "no rows to cluster");
	if ((distinct = km_distinct_rows(x, n, d, k)) < k)
		return gha_seterr(err, GHA_DATAERR, "%zu distinct row%s, fewer than k=%zu", distinct,
				  distinct == 1 ? "" : "s", k);
	if (ntrial > 64)
		ntrial = 64;
	memset(&s, 0, sizeof(s));
	s.pool = pool;
	s.x = x;
	s.n = n;
	s.d = d;
	s.k = k;
	s.nchunk = (n + KM_CHUNK - 1) / KM_CHUNK;
	s.c = xmalloc(k * d * sizeof(double));
	s.a = xmalloc(n * sizeof(int));
	s.u = xmalloc(n * sizeof(double));
	s.l = xmalloc(n * sizeof(double));
	s.half = xmalloc(k * sizeof(double));
	s.shift = xmalloc(k * sizeof(double));
	s.psum = xmalloc(s.nchunk * k * d * sizeof(double));
	s.sum = xmalloc(k * d * sizeof(double));
	s.cnt = xmalloc(k * sizeof(int64_t));
	s.pcnt = xmalloc(s.nchunk * k * sizeof(int64_t));
	s.pchg = xcalloc(s.nchunk, sizeof(size_t));
	s.pfull = xcalloc(s.nchunk, sizeof(uint64_t));
	s.closest = xmalloc(n * sizeof(double));
	s.trial = xmalloc((size_t)ntrial * n * sizeof(double));
	s.tpot = xmalloc(s.nchunk * (size_t)ntrial * sizeof(double));
	newc = xmalloc(k * d * sizeof(double));
	cum = xmalloc(n * sizeof(double));
	tolabs = tol_abs(x, n, d, o->tol);

	f->k = k;
	f->d = d;
	f->c = xmalloc(k * d * sizeof(double));
	f->label = xmalloc(n * sizeof(int));
	f->dist = xmalloc(n * sizeof(double));
	f->size = xcalloc(k, sizeof(size_t));
	f->inertia = INFINITY;
	for (int r = 0; r < (o->n_init > 0 ? o->n_init : 1); r++) {
		struct km_rng rng;
		int conv, it;
		uint64_t full = 0;
		double inertia = 0;

		km_rng_seed(&rng, o->seed, (uint64_t)r);
		seed_centres(&s, &rng, cum);
		it = lloyd(&s, o, tolabs, newc, &conv, &full);
		/* exact distances: the bounds may be loose */
		km_pool_run(s.pool, s.nchunk, exact_task, &s);
		for (size_t t = 0; t < s.nchunk; t++)
			inertia += s.tpot[t];
		if (inertia < f->inertia) {
			f->inertia = inertia;
			f->iter = it;
			f->best_init = r;
			f->converged = conv;
			memcpy(f->c, s.c, k * d * sizeof(double));
			memcpy(f->label, s.a, n * sizeof(int));
			for (size_t i = 0; i < n; i++)
				f->dist[i] = sqrt(s.u[i]);
		}
		f->full_scans += full;
		f->skipped += (uint64_t)it * n - (full < (uint64_t)it * n ? full : (uint64_t)it * n);
	}
	for (size_t i = 0; i < n; i++)
		f->size[f->label[i]]++;
	free(s.c);
	free(s.a);
	free(s.u);
	free(s.l);
	free(s.half);
	free(s.shift);
	free(s.sum);
	free(s.cnt);
	free(s.psum);
	free(s.pcnt);
	free(s.pchg);
	free(s.pfull);
	free(s.closest);
	free(s.trial);
	free(s.tpot);
	free(newc);
	free(cum);
	return 0;
}
