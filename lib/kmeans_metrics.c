/* kmeans_metrics.c: cluster quality as scikit-learn's sklearn.metrics
 * computes it (silhouette_score, davies_bouldin_score,
 * calinski_harabasz_score), on the data as clustered (scaled). Only
 * non-empty clusters count as labels. */
#include <math.h>

#include "kmeans.h"

struct sil {
	const double *x;	/* the rows the silhouette is over, contiguous */
	const int *label;	/* their labels */
	size_t m, d, k;
	const size_t *size;	/* per cluster, among rows */
	double *s;		/* per row of rows */
};

static void
sil_task(void *ctx, size_t t)
{
	struct sil *S = ctx;
	size_t lo = t * KM_CHUNK / 8, hi = lo + KM_CHUNK / 8 < S->m ? lo + KM_CHUNK / 8 : S->m;
	double *sum = xmalloc(S->k * sizeof(double));

	for (size_t q = lo; q < hi; q++) {
		const double *xi = S->x + q * S->d;
		int li = S->label[q];
		double a, b = INFINITY;

		memset(sum, 0, S->k * sizeof(double));
		for (size_t r = 0; r < S->m; r++)
			sum[S->label[r]] += sqrt(km_sqdist(xi, S->x + r * S->d, S->d));
		if (S->size[li] <= 1) {
			S->s[q] = 0;	/* a cluster of one: 0, as sklearn */
			continue;
		}
		a = sum[li] / (double)(S->size[li] - 1);
		for (size_t j = 0; j < S->k; j++)
			if ((int)j != li && S->size[j] && sum[j] / (double)S->size[j] < b)
				b = sum[j] / (double)S->size[j];
		S->s[q] = (b - a) / (a > b ? a : b);
		if (isnan(S->s[q]))
			S->s[q] = 0;
	}
	free(sum);
}

static double
silhouette(struct km_pool *pool, const double *x, size_t n, size_t d, const int *label, size_t k,
	   size_t sil_max, uint64_t seed, struct km_metrics *m)
{
	struct sil S;
	size_t *rows = xmalloc((n ? n : 1) * sizeof(size_t)), *size = xcalloc(k, sizeof(size_t));
	size_t mm = n, nlab = 0;
	double tot = 0;

	for (size_t i = 0; i < n; i++)
		rows[i] = i;
	m->sil_sampled = 0;
	if (n > sil_max) {
		struct km_rng rng;

		/* a partial Fisher-Yates shuffle: sil_max rows, no repeats */
		km_rng_seed(&rng, seed, 0x5117);
		for (size_t i = 0; i < sil_max; i++) {
			size_t j = i + (size_t)(km_rng_next(&rng) % (n - i)), t = rows[i];

			rows[i] = rows[j];
			rows[j] = t;
		}
		mm = sil_max;
		m->sil_sampled = 1;
	}
	m->sil_rows = mm;
	for (size_t q = 0; q < mm; q++)
		size[label[rows[q]]]++;
	for (size_t j = 0; j < k; j++)
		nlab += size[j] > 0;
	if (nlab < 2 || nlab >= mm) {
		free(rows);
		free(size);
		return NAN;
	}
	{
		double *sx = xmalloc(mm * d * sizeof(double));
		int *sl = xmalloc(mm * sizeof(int));

		for (size_t q = 0; q < mm; q++) {
			memcpy(sx + q * d, x + rows[q] * d, d * sizeof(double));
			sl[q] = label[rows[q]];
		}
		S.x = sx;
		S.label = sl;
	}
	S.m = mm;
	S.d = d;
	S.k = k;
	S.size = size;
	S.s = xmalloc(mm * sizeof(double));
	km_pool_run(pool, (mm + KM_CHUNK / 8 - 1) / (KM_CHUNK / 8), sil_task, &S);
	for (size_t q = 0; q < mm; q++)
		tot += S.s[q];
	free(S.s);
	free((void *)S.x);
	free((void *)S.label);
	free(rows);
	free(size);
	return tot / (double)mm;
}

void
km_metrics(struct km_pool *pool, const double *x, size_t n, size_t d, const int *label, size_t k,
	   size_t sil_max, uint64_t seed, struct km_metrics *m)
{
	double *cen = xcalloc(k * d, sizeof(double)), *mean = xcalloc(d ? d : 1, sizeof(double));
	double *intra = xcalloc(k, sizeof(double)), extra = 0, within = 0;
	size_t *size = xcalloc(k, sizeof(size_t)), nlab = 0;
	int allzero = 1, cenzero = 1;

	m->silhouette = silhouette(pool, x, n, d, label, k, sil_max ? sil_max : 1, seed, m);
	for (size_t i = 0; i < n; i++) {
		size[label[i]]++;
		for (size_t j = 0; j < d; j++) {
			cen[(size_t)label[i] * d + j] += x[i * d + j];
			mean[j] += x[i * d + j];
		}
	}
	for (size_t j = 0; j < d; j++)
		mean[j] /= (double)n;
	for (size_t c = 0; c < k; c++) {
		nlab += size[c] > 0;
		for (size_t j = 0; size[c] && j < d; j++)
			cen[c * d + j] /= (double)size[c];
	}
	for (size_t i = 0; i < n; i++) {
		const double *ci = cen + (size_t)label[i] * d;
		double v = 0;

		for (size_t j = 0; j < d; j++)
			v += (x[i * d + j] - ci[j]) * (x[i * d + j] - ci[j]);
		within += v;
		intra[label[i]] += sqrt(v);
	}
	for (size_t c = 0; c < k; c++) {
		double v = 0;

		if (!size[c])
			continue;
		intra[c] /= (double)size[c];
		if (fabs(intra[c]) > 1e-8)
			allzero = 0;
		for (size_t j = 0; j < d; j++)
			v += (cen[c * d + j] - mean[j]) * (cen[c * d + j] - mean[j]);
		extra += (double)size[c] * v;
	}
	if (nlab < 2 || nlab >= n) {
		m->davies_bouldin = m->calinski_harabasz = NAN;
		goto out;
	}
	m->calinski_harabasz = within == 0 ? 1.0
		: extra * (double)(n - nlab) / (within * ((double)nlab - 1.0));
	double db = 0;

	for (size_t c = 0; c < k; c++) {
		double worst = 0;

		if (!size[c])
			continue;
		for (size_t o = 0; o < k; o++) {
			double v = 0;

			if (o == c || !size[o])
				continue;
			for (size_t j = 0; j < d; j++)
				v += (cen[c * d + j] - cen[o * d + j]) * (cen[c * d + j] - cen[o * d + j]);
			v = sqrt(v);
			if (fabs(v) > 1e-8)
				cenzero = 0;
			if (v > 0 && (intra[c] + intra[o]) / v > worst)
				worst = (intra[c] + intra[o]) / v;
		}
		db += worst;
	}
	/* sklearn: 0 when every intra-cluster or every centroid distance is 0 */
	m->davies_bouldin = allzero || cenzero ? 0.0 : db / (double)nlab;
out:
	free(cen);
	free(mean);
	free(intra);
	free(size);
}
