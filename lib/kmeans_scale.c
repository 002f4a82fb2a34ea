/* kmeans_scale.c: what a NULL becomes and how features are scaled before
 * the fit. zscore is StandardScaler's: the mean and the population
 * standard deviation, a constant feature divided by 1; log1p is log(1+x)
 * and then zscore, for counts with long tails (stars, events). */
#include <math.h>

#include "kmeans.h"

void
km_prep_init(struct km_prep *p, size_t d, enum km_scale s, enum km_missing m)
{
	p->d = d;
	p->scale = s;
	p->missing = m;
	p->fill = xcalloc(d ? d : 1, sizeof(double));
	p->mean = xcalloc(d ? d : 1, sizeof(double));
	p->sd = xmalloc((d ? d : 1) * sizeof(double));
	for (size_t j = 0; j < d; j++)
		p->sd[j] = 1;
}

void
km_prep_free(struct km_prep *p)
{
	free(p->fill);
	free(p->mean);
	free(p->sd);
	memset(p, 0, sizeof(*p));
}

static double
pre(const struct km_prep *p, size_t j, double v)
{
	if (isnan(v))
		v = p->fill[j];
	return p->scale == KM_SCALE_LOG1P ? log1p(v) : v;
}

/* Per feature, in passes along the rows (each pass adds a feature's
 * values in row order, as a pass down its column would, with the same
 * result, but reads the rows once instead of d times). */
void
km_prep_learn(struct km_prep *p, const struct km_data *dt)
{
	size_t n = dt->n, d = p->d;
	const double *x = dt->x;
	double *s = xcalloc(d ? d : 1, sizeof(double)), *v = xcalloc(d ? d : 1, sizeof(double));
	size_t *c = xcalloc(d ? d : 1, sizeof(size_t));

	for (size_t j = 0; j < d; j++) {
		p->fill[j] = 0;
		p->mean[j] = 0;
		p->sd[j] = 1;
	}
	if (p->missing == KM_MISSING_MEAN) {
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < d; j++)
				if (!isnan(x[i * d + j]))
					s[j] += x[i * d + j], c[j]++;
		for (size_t j = 0; j < d; j++)
			p->fill[j] = c[j] ? s[j] / (double)c[j] : 0;
	}
	if (p->scale != KM_SCALE_NONE && n) {
		memset(s, 0, d * sizeof(double));
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < d; j++)
				s[j] += pre(p, j, x[i * d + j]);
		for (size_t j = 0; j < d; j++)
			p->mean[j] = s[j] / (double)n;
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < d; j++) {
				double e = pre(p, j, x[i * d + j]) - p->mean[j];

				v[j] += e * e;
			}
		for (size_t j = 0; j < d; j++) {
			double m = p->mean[j], sd = sqrt(v[j] / (double)n);

			/* a constant feature (up to rounding) is left unscaled */
			p->sd[j] = sd > 10 * 2.220446049250313e-16 * (fabs(m) > 1 ? fabs(m) : 1) ? sd : 1;
		}
	}
	free(s);
	free(v);
	free(c);
}

void
km_prep_apply(const struct km_prep *p, double *x, size_t n)
{
	size_t d = p->d;

	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < d; j++)
			x[i * d + j] = (pre(p, j, x[i * d + j]) - p->mean[j]) / p->sd[j];
}

void
km_prep_invert(const struct km_prep *p, double *row)
{
	for (size_t j = 0; j < p->d; j++) {
		row[j] = row[j] * p->sd[j] + p->mean[j];
		if (p->scale == KM_SCALE_LOG1P)
			row[j] = expm1(row[j]);
	}
}
