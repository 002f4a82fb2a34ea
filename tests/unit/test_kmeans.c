/* test_kmeans.c: lib/kmeans*.c by hand-computed cases: the metrics on two
 * tiny clusters (worked out on paper below), the elbow rule, column
 * lists, the model file's round trip and its errors, the fit's
 * independence from the thread count, and the distinct-rows check. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "kmeans.h"
#include "tap.h"

static int
near(double a, double b, double tol)
{
	return fabs(a - b) <= tol;
}

static void
metrics(void)
{
	/* 1-D: {0, 1} and {10, 11}. Silhouette of 0: a = 1, b = (10 + 11) / 2
	 * = 10.5, s = 9.5 / 10.5; of 1: a = 1, b = 9.5, s = 8.5 / 9.5; the
	 * other cluster mirrors it. Davies-Bouldin: scatter 0.5 each, centres
	 * 10 apart: (0.5 + 0.5) / 10 = 0.1. Calinski-Harabasz: between
	 * 2 * 25 + 2 * 25 = 100 over 1, within 4 * 0.25 = 1 over 2: 200. */
	double x[] = { 0, 1, 10, 11 };
	int label[] = { 0, 0, 1, 1 }, one[] = { 0, 0, 0, 0 };
	struct km_metrics m;
	double sil = (9.5 / 10.5 + 8.5 / 9.5) / 2;

	km_metrics(NULL, x, 4, 1, label, 2, 5000, 0, &m);
	ok(near(m.silhouette, sil, 1e-12), "silhouette %.15g = %.15g", m.silhouette, sil);
	ok(m.sil_rows == 4 && !m.sil_sampled, "silhouette over all 4 rows");
	ok(near(m.davies_bouldin, 0.1, 1e-12), "davies-bouldin %.15g = 0.1", m.davies_bouldin);
	ok(near(m.calinski_harabasz, 200, 1e-9), "calinski-harabasz %.15g = 200", m.calinski_harabasz);
	km_metrics(NULL, x, 4, 1, one, 2, 5000, 0, &m);
	ok(isnan(m.silhouette) && isnan(m.davies_bouldin) && isnan(m.calinski_harabasz),
	   "one cluster: every metric undefined");
	km_metrics(NULL, x, 4, 1, label, 2, 3, 0, &m);
	ok(m.sil_rows == 3 && m.sil_sampled, "silhouette-max 3: 3 rows, sampled");
}

static void
elbow(void)
{
	struct km_sweep s[5];
	double in[] = { 100, 40, 20, 15, 12 };

	/* scaled: x = 0 .25 .5 .75 1, y = 0 .68 .91 .97 1: farthest above
	 * the chord at k = 2 */
	memset(s, 0, sizeof(s));
	for (int i = 0; i < 5; i++)
		s[i].k = (size_t)i + 1, s[i].inertia = in[i];
	ok(km_elbow(s, 5) == 2, "elbow of 100 40 20 15 12 at k = 2");
	ok(km_elbow(s, 2) == 1, "two points: the first k");
}

static void
cols(void)
{
	struct km_cols c;
	struct gha_err err = { 0 };	/* printed on success too */
	struct buf b;

	ok(km_cols_parse(&c, "a,b,h[24]", &err) == 0 && c.nspec == 3 && c.d == 26, "a,b,h[24]: 26 features");
	ok(!strcmp(c.feat[2], "h.0") && !strcmp(c.feat[25], "h.23"), "h[24] named h.0 .. h.23");
	buf_init(&b);
	km_cols_join(&c, &b);
	buf_addc(&b, 0);
	ok(!strcmp(b.p, "a,b,h[24]"), "joined back: %s", b.p);
	buf_free(&b);
	km_cols_free(&c);
	const char *bad[] = { "", "a,", ",a", "a,,b", "a,a", "h[1]", "h[x]", "h[3", "h[3]x", "a b", "h[5000]" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(km_cols_parse(&c, bad[i], &err) == -1 && err.code == GHA_USAGE, "'%s' refused", bad[i]);
}

static void
model(void)
{
	struct km_model m, m2;
	struct gha_err err = { 0 };	/* printed on success too */
	struct buf b, b2;
	const char *good =
		"gha-kmeans model 1\ncolumns\ta,h[2]\nid\tname\nscale\tlog1p\nmissing\tmean\nsum\t1\n"
		"k\t2\nd\t3\nfeature\ta\t1.5\t0.25\t2\nfeature\th.0\t0\t0\t1\nfeature\th.1\t0\t0\t1\n"
		"centroid\t0\t1\t2\t3\ncentroid\t1\t-1\t0.5\t1e-3\nend\n";

	ok(km_model_parse(&m, good, strlen(good), "m", &err) == 0, "a good model parses (%s)", err.msg);
	ok(m.k == 2 && m.d == 3 && m.prep.scale == KM_SCALE_LOG1P && m.prep.missing == KM_MISSING_MEAN &&
	   m.sum_by_id && !strcmp(m.id, "name") && m.prep.fill[0] == 1.5 && m.c[5] == 1e-3,
	   "its fields");
	buf_init(&b);
	buf_init(&b2);
	km_model_format(&m, &b);
	ok(km_model_parse(&m2, b.p, b.len, "m2", &err) == 0, "formatted, it parses again");
	km_model_format(&m2, &b2);
	ok(b.len == b2.len && !memcmp(b.p, b2.p, b.len), "and formats to the same bytes");
	km_model_free(&m);
	km_model_free(&m2);
	buf_free(&b2);

	struct {
		const char *from, *to, *why;
	} cases[] = {
		{ "model 1", "model 9", ":1: model version not supported" },
		{ "scale\tlog1p", "scale\tlog", ":4: expected 'scale'" },
		{ "sum\t1", "sum\t2", ":6: expected 'sum'" },
		{ "d\t3", "d\t4", ":8: 'd' is not the number" },
		{ "feature\th.0", "feature\th.9", ":10: feature name" },
		{ "\t0\t0\t1\nfeature\th.1", "\t0\t0\t-1\nfeature\th.1", ":10: feature FILL, MEAN, SD" },
		{ "centroid\t1\t", "centroid\t2\t", ":13: centroids must be numbered" },
		{ "\t1e-3\n", "\t1e-3\t4\n", ":13: a centroid has more" },
		{ "\t1e-3\n", "\tnan\n", ":13: a centroid value" },
		{ "end\n", "end", ":14: last line cut short" },
		{ "end\n", "End\n", ":14: expected 'end'" },
		{ "end\n", "end\nx\n", ":14: text after" },
		{ "centroid\t1\t-1\t0.5\t1e-3\nend\n", "", ":13: the file ends" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *at = strstr(good, cases[i].from);
		struct buf t;

		if (!at) {
			ok(0, "test case '%s' is in the model text", cases[i].from);
			continue;
		}
		buf_init(&t);
		buf_add(&t, good, (size_t)(at - good));
		buf_adds(&t, cases[i].to);
		buf_adds(&t, at + strlen(cases[i].from));
		ok(km_model_parse(&m, t.p, t.len, "m", &err) == -1 && err.code == GHA_DATAERR &&
		   strstr(err.msg, cases[i].why), "bad model %zu: %s (%s)", i, cases[i].why, err.msg);
		buf_free(&t);
	}
	buf_free(&b);
}

static void
fit(void)
{
	size_t n = 5000, d = 3;
	double *x = xmalloc(n * d * sizeof(double));
	struct km_rng r;
	struct km_fitopt o = { 4, 3, 100, 1e-4, 9 };
	struct km_fit f1, f3;
	struct gha_err err = { 0 };	/* printed on success too */
	struct km_pool *p1 = km_pool_new(1), *p3 = km_pool_new(3);

	km_rng_seed(&r, 1, 0);
	for (size_t i = 0; i < n * d; i++)
		x[i] = km_rng_unit(&r) + (double)(i / d % 4) * 3;
	ok(km_fit_run(p1, x, n, d, &o, &f1, &err) == 0, "fit with 1 thread");
	ok(km_fit_run(p3, x, n, d, &o, &f3, &err) == 0, "fit with 3 threads");
	ok(f1.inertia == f3.inertia && !memcmp(f1.c, f3.c, 4 * d * sizeof(double)) &&
	   !memcmp(f1.label, f3.label, n * sizeof(int)), "the same centroids, labels and inertia");
	ok(f1.size[0] + f1.size[1] + f1.size[2] + f1.size[3] == n, "sizes add up to the rows");
	km_fit_free(&f1);
	km_fit_free(&f3);
	for (size_t i = 0; i < n * d; i++)
		x[i] = (double)(i / d % 3);
	ok(km_distinct_rows(x, n, d, SIZE_MAX) == 3, "3 distinct rows");
	ok(km_distinct_rows(x, n, d, 2) == 2, "counted up to a limit");
	{
		double z[4] = { 0.0, 1.0, -0.0, 1.0 };

		ok(km_distinct_rows(z, 2, 2, SIZE_MAX) == 1, "-0.0 and 0.0: one row");
	}
	ok(km_fit_run(p1, x, n, d, &o, &f1, &err) == -1 && err.code == GHA_DATAERR &&
	   strstr(err.msg, "3 distinct rows, fewer than k=4"), "k=4 on 3 distinct rows: %s", err.msg);
	o.k = 3;
	ok(km_fit_run(p1, x, n, d, &o, &f1, &err) == 0 && f1.inertia == 0, "k=3 on 3 distinct rows: inertia 0");
	km_fit_free(&f1);
	km_pool_free(p1);
	km_pool_free(p3);
	free(x);
}

int
main(void)
{
	metrics();
	elbow();
	cols();
	model();
	fit();
	return tap_done();
}
