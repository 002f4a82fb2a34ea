/* region.c: an actor's UTC offset by fitting a diurnal template.
 *
 * Model: each active hour of an actor falls at local hour l with
 * probability p(l), the template normalized to sum 1. For a candidate
 * offset o (local = UTC + o) the log-likelihood of the counts is
 *     L(o) = sum over UTC hours h of hours[h] * log p((h + o) mod 24).
 * The best offset maximizes L (ties: the lowest offset, so the answer is
 * deterministic). With a uniform prior over the 24 offsets the posterior
 * of o is exp(L(o)) / sum exp(L(o')); the confidence is the posterior
 * mass of the best offset's band. A flat profile (a bot active around the
 * clock) gives a flat posterior, so no band reaches REGION_MIN_CONFIDENCE
 * and the actor stays unknown rather than being assigned a guess; so
 * does one the template fits no better than a flat profile (gain below
 * REGION_MIN_GAIN nats per active hour).
 *
 * The template is not fitted to any data set: it is a generic human day,
 * written down from the common shape of computer activity (asleep 01-06,
 * rising from 07, a working day 09-17 with a dip at noon, a long evening
 * tail to midnight). Only its trough matters much: the fit finds where
 * the actor sleeps. Weights are relative; none is zero, so one event at
 * 04:00 local lowers a shift's likelihood without ruling it out. */
#include <math.h>

#include "region.h"

const double region_template[24] = {
	/* 00-05 */ 3, 2, 1, 1, 1, 1,
	/* 06-11 */ 2, 4, 6, 8, 9, 9,
	/* 12-17 */ 8, 9, 10, 10, 9, 8,
	/* 18-23 */ 6, 6, 6, 6, 5, 4,
};

static const char *const names[REGION_N] = {
	[REGION_UNKNOWN] = "unknown",
	[REGION_AMERICAS] = "americas",
	[REGION_EUROPE_AFRICA] = "europe_africa",
	[REGION_ASIA_PACIFIC] = "asia_pacific",
};

const char *
region_name(enum region r)
{
	return (unsigned)r < REGION_N ? names[r] : names[REGION_UNKNOWN];
}

enum region
region_of_offset(int offset)
{
	if (offset < REGION_OFFSET_MIN || offset > REGION_OFFSET_MAX)
		return REGION_UNKNOWN;
	if (offset <= -3)
		return REGION_AMERICAS;
	if (offset <= 3)
		return REGION_EUROPE_AFRICA;
	return REGION_ASIA_PACIFIC;
}

/* A weight as 2^e[0] 3^e[1] 5^e[2] (the template's weights are such
 * integers); 0 when it is not one. */
int
region_weight_exp(int h, int e[3])
{
	static const int pr[3] = { 2, 3, 5 };
	double w = region_template[h];
	long v = (long)w;
	int i;

	e[0] = e[1] = e[2] = 0;
	if ((double)v != w || v < 1)
		return 0;
	for (i = 0; i < 3; i++)
		while (v % pr[i] == 0) {
			v /= pr[i];
			e[i]++;
		}
	return v == 1;
}

void
region_infer(const uint32_t hours[24], uint32_t active_days, struct region_fit *fit)
{
	double post[24], ll[24], sum = 0, total = 0, band = 0, near = 0, best_ll, ls;
	uint64_t n = 0;
	int h, o, i, best = 0, e[24][3];

	fit->region = REGION_UNKNOWN;
	fit->fitted = 0;
	fit->offset = 0;
	fit->confidence = 0;
	fit->offset_share = 0;
	fit->gain = 0;
	for (h = 0; h < 24; h++) {
		n += hours[h];
		sum += region_template[h];
		region_weight_exp(h, e[h]);
	}
	if (active_days < REGION_MIN_DAYS || n < REGION_MIN_HOURS)
		return;
	ls = log(sum);
	/* L(o) = sum hours[h] * (log w - log sum), with log w = e2 log 2 +
	 * e3 log 3 + e5 log 5: the three exponent sums are exact integers, so
	 * two shifts that meet the same weights tie exactly (and the lowest
	 * offset wins, as documented), whatever order a sum is made in; the
	 * SQL of the regions table computes the same expression. i indexes
	 * the offsets REGION_OFFSET_MIN.. in order */
	for (i = 0; i < 24; i++) {
		uint64_t a[3] = { 0, 0, 0 };

		o = REGION_OFFSET_MIN + i;
		for (h = 0; h < 24; h++) {
			int l = ((h + o) % 24 + 24) % 24;

			a[0] += (uint64_t)hours[h] * (uint64_t)e[l][0];
			a[1] += (uint64_t)hours[h] * (uint64_t)e[l][1];
			a[2] += (uint64_t)hours[h] * (uint64_t)e[l][2];
		}
		ll[i] = ((double)a[0] * REGION_LOG2 + (double)a[1] * REGION_LOG3 +
			 (double)a[2] * REGION_LOG5) - (double)n * ls;
		if (ll[i] > ll[best])
			best = i;
	}
	best_ll = ll[best];
	for (i = 0; i < 24; i++) {
		post[i] = exp(ll[i] - best_ll);
		total += post[i];
	}
	fit->fitted = 1;
	fit->offset = REGION_OFFSET_MIN + best;
	for (i = 0; i < 24; i++) {
		int d = i - best;

		if (region_of_offset(REGION_OFFSET_MIN + i) == region_of_offset(fit->offset))
			band += post[i];
		if (d < 0)
			d = -d;
		if (d <= 1 || d >= 23)
			near += post[i];
	}
	fit->confidence = band / total;
	fit->offset_share = near / total;
	/* a profile the template explains no better than "no rhythm at all"
	 * (every hour as likely) has no offset to speak of: a bot, a shared
	 * account, a mirror */
	fit->gain = (best_ll - (double)n * log(1.0 / 24)) / (double)n;
	if (fit->confidence >= REGION_MIN_CONFIDENCE && fit->gain >= REGION_MIN_GAIN)
		fit->region = region_of_offset(fit->offset);
}
