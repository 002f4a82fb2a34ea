/* test_anomaly.c: robust z-scores over a trailing window. Every figure is
 * checked against a reference written apart from the library (order
 * statistics by counting, no sort), on synthetic series with spikes and
 * drops planted at known hours, sparse and dense. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "gold/anomaly.h"
#include "tap.h"

static uint64_t rng = 42;

static uint64_t
next(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* the k-th smallest (0-based) of v[0..n), by counting */
static double
kth(const double *v, int n, int k)
{
	for (int i = 0; i < n; i++) {
		int less = 0, eq = 0;

		for (int j = 0; j < n; j++) {
			less += v[j] < v[i];
			eq += v[j] == v[i];
		}
		if (less <= k && k < less + eq)
			return v[i];
	}
	return NAN;
}

static double
ref_median(const double *v, int n)
{
	return n % 2 ? kth(v, n, n / 2) : (kth(v, n, n / 2 - 1) + kth(v, n, n / 2)) / 2;
}

/* reference score of dense[pos] with window 24, history 6, floor 1 */
static int
ref_score(const int64_t *dense, int pos, double *base, double *mad, double *score)
{
	double w[64] = { 0 }, d[64] = { 0 };
	int from = pos - 24 < 0 ? 0 : pos - 24, n = 0;

	if (pos < 6)
		return 0;
	for (int i = from; i < pos; i++)
		w[n++] = (double)dense[i];
	*base = ref_median(w, n);
	for (int i = 0; i < n; i++)
		d[i] = fabs(w[i] - *base);
	*mad = ref_median(d, n);
	*score = ((double)dense[pos] - *base) / (1.4826 * (*mad < 1 ? 1 : *mad));
	return 1;
}

#define N 400

static void
planted(void)
{
	static int64_t v[N];
	static struct anomaly_point pts[N];
	int spikes[] = { 50, 51, 130, 260, 399 }, drops[] = { 90, 200, 201 };
	int i, flagged_up = 0, flagged_down = 0, wrong = 0, mismatch = 0;

	for (i = 0; i < N; i++)
		v[i] = 1000 + (int64_t)(next() % 41) - 20;	/* 980..1020 */
	for (i = 0; i < 5; i++)
		v[spikes[i]] = 5000 + i;
	for (i = 0; i < 3; i++)
		v[drops[i]] = 100;
	for (i = 0; i < N; i++)
		pts[i] = (struct anomaly_point){ i, v[i] };
	for (i = 0; i < N; i++) {
		struct anomaly_stat st;
		double b, m, s;
		int want = ref_score(v, i, &b, &m, &s), up = 0, down = 0;

		anomaly_score(pts, N, 0, i, v[i], &st);
		if (st.scored != want || (want && (st.baseline != b || st.mad != m || fabs(st.score - s) > 1e-12)))
			mismatch++;
		for (int j = 0; j < 5; j++)
			up |= i == spikes[j];
		for (int j = 0; j < 3; j++)
			down |= i == drops[j];
		if (st.scored && st.score >= 6)
			flagged_up++, wrong += !up;
		else if (st.scored && st.score <= -6)
			flagged_down++, wrong += !down;
		else
			wrong += up || down;
	}
	ok(mismatch == 0, "dense series: baseline, mad and score equal the reference at all %d hours (%d differ)",
	   N, mismatch);
	ok(flagged_up == 5 && flagged_down == 3 && wrong == 0,
	   "planted spikes and drops flagged at |z| >= 6, nothing else (%d up, %d down, %d wrong)", flagged_up,
	   flagged_down, wrong);
}

/* a mostly-zero series given sparsely scores as the same series given densely */
static void
sparse(void)
{
	static int64_t v[N];
	static struct anomaly_point dense[N], sp[N];
	int i, n = 0, mismatch = 0, checked = 0;

	for (i = 0; i < N; i++) {
		v[i] = next() % 5 == 0 ? (int64_t)(next() % 7) + 1 : 0;
		if (i % 97 == 40)
			v[i] = 60;
		dense[i] = (struct anomaly_point){ i, v[i] };
		if (v[i])
			sp[n++] = dense[i];
	}
	for (i = 0; i < N; i++) {
		struct anomaly_stat a, b;
		double rb, rm, rs;
		int want = ref_score(v, i, &rb, &rm, &rs);

		anomaly_score(dense, N, 0, i, v[i], &a);
		anomaly_score(sp, (size_t)n, 0, i, v[i], &b);
		checked++;
		if (a.scored != b.scored || a.baseline != b.baseline || a.mad != b.mad || a.score != b.score ||
		    a.scored != want ||
		    (want && (a.baseline != rb || a.mad != rm || fabs(a.score - rs) > 1e-12)))
			mismatch++;
	}
	ok(mismatch == 0, "sparse (%d points) and dense give the reference's figures at %d hours (%d differ)", n,
	   checked, mismatch);
}

static void
edges(void)
{
	struct anomaly_point p[48];
	struct anomaly_stat st;
	int i;

	for (i = 0; i < 6; i++)
		p[i] = (struct anomaly_point){ i, 3 };
	anomaly_score(p, 6, 0, 5, 3, &st);
	ok(!st.scored, "5 hours of history: not scored");
	anomaly_score(p, 6, 0, 6, 10, &st);
	/* window {3,3,3,3,3,3}: median 3, mad 0 -> floor 1 */
	ok(st.scored && st.baseline == 3 && st.mad == 0 && fabs(st.score - 7 / 1.4826) < 1e-12,
	   "flat window: mad 0, the floor of 1 sets the scale (score %.6f)", st.score);
	/* hours 0..23 at 1000, 24..47 at 0 (no points) */
	for (i = 0; i < 24; i++)
		p[i] = (struct anomaly_point){ i, 1000 };
	anomaly_score(p, 24, 0, 36, 0, &st);
	ok(st.scored && st.baseline == 500 && st.mad == 500, "window 12..35 half 1000, half 0: median 500, mad 500");
	anomaly_score(p, 24, 0, 47, 0, &st);
	ok(st.scored && st.baseline == 0 && st.mad == 0, "window 23..46: one 1000 among 23 zeros: median 0");
	anomaly_score(p, 24, 0, 48, 0, &st);
	ok(st.scored && st.baseline == 0, "the window holds 24 hours: hour 23 is out of it at 48");
	anomaly_score(p, 24, 0, 24, 7, &st);
	ok(st.scored && st.baseline == 1000 && st.mad == 0 && fabs(st.score - (7 - 1000) / 1.4826) < 1e-9,
	   "a collapse after a steady day scores far below zero (%.1f)", st.score);
	/* a horizon: only positions >= lo count */
	anomaly_score(p, 24, 20, 30, 0, &st);
	ok(st.scored && st.baseline == 0 && st.mad == 0,
	   "horizon 20: window 20..29 holds 4 at 1000 and 6 zeros: median 0 (got %g)", st.baseline);
	anomaly_score(p, 24, 25, 30, 0, &st);
	ok(!st.scored, "horizon 25: 5 positions of history: not scored");
	/* even-length windows average the middle pair: {1,2,3,4,5,6,7,8} */
	for (i = 0; i < 8; i++)
		p[i] = (struct anomaly_point){ i, i + 1 };
	anomaly_score(p, 8, 0, 8, 5, &st);
	ok(st.baseline == 4.5 && st.mad == 2, "median of 1..8 is 4.5, MAD 2 (got %g, %g)", st.baseline, st.mad);
}

int
main(void)
{
	planted();
	sparse();
	edges();
	return tap_done();
}
