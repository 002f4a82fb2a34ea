/* anomaly.c: median and MAD over a trailing window of a sparse series.
 * The window is at most ANOMALY_WINDOW values, so a sort per scored point
 * is cheap and simpler to trust than a running median. */
#include <math.h>

#include "anomaly.h"

/* insertion sort: at most ANOMALY_WINDOW values, and no qsort callback */
static void
sort(double *v, size_t n)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		double x = v[i];

		for (j = i; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

double
anomaly_median(double *v, size_t n)
{
	sort(v, n);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* the first index in pts[0..n) with pos >= p */
static size_t
lower(const struct anomaly_point *pts, size_t n, int64_t p)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (pts[mid].pos < p)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void
anomaly_score(const struct anomaly_point *pts, size_t n, int64_t lo, int64_t pos, int64_t value,
	      struct anomaly_stat *st)
{
	double w[ANOMALY_WINDOW];
	int64_t from = pos - ANOMALY_WINDOW < lo ? lo : pos - ANOMALY_WINDOW;
	size_t len = (size_t)(pos - from), k = 0, i, a, b;
	double med, mad, scale;

	st->scored = 0;
	st->baseline = st->mad = st->score = 0;
	if (from < 0)
		from = 0;
	if (pos - from < ANOMALY_MIN_HISTORY)
		return;
	a = lower(pts, n, from);
	b = lower(pts, n, pos);
	/* positions without a point are zeros (a repeated pos would be a
	 * caller's bug: never past the window) */
	for (i = a; i < b && k < len; i++)
		w[k++] = (double)pts[i].value;
	while (k < len)
		w[k++] = 0;
	med = anomaly_median(w, len);
	for (i = 0; i < len; i++)
		w[i] = fabs(w[i] - med);
	mad = anomaly_median(w, len);
	scale = ANOMALY_MAD_SCALE * (mad > ANOMALY_MAD_FLOOR ? mad : ANOMALY_MAD_FLOOR);
	st->scored = 1;
	st->baseline = med;
	st->mad = mad;
	st->score = ((double)value - med) / scale;
}
