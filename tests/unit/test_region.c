/* test_region.c: region inference on synthetic actors with known UTC
 * offsets. The generator does not use the fit's template: each actor has
 * its own wake-up time and day length, works in a few sessions of random
 * length at random times while awake, and is active on a random share of
 * the days of a 28-day window. Kinds of actor:
 *   regular   as above, offsets -10..+13 (and some half-hour ones)
 *   noisy     regular plus 25% of events at uniformly random times
 *   weekend   active on Saturdays and Sundays only, waking later
 *   flat      a bot: events at uniformly random times, around the clock
 * The test prints, per kind, how many offsets came back within one hour
 * and how many bands were right, and asserts the documented floors
 * (gha-gold(1), REGIONS): among the actors fitted, offsets within 1 hour
 * for 90% of regular and 80% of noisy actors, within 3 hours for 75% of
 * weekend ones (they keep later hours than the template's generic day);
 * bands right for 90%, 80% and 65% of them; no flat bot gets a region. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gold/region.h"
#include "tap.h"

static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint64_t
next(void)
{
	/* splitmix64 */
	uint64_t z = (rng += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static double
unif(double a, double b)
{
	return a + (b - a) * (double)(next() >> 11) / 9007199254740992.0;
}

static int
irange(int a, int b)	/* a..b inclusive */
{
	return a + (int)(next() % (uint64_t)(b - a + 1));
}

enum kind { REGULAR, NOISY, WEEKEND, FLAT, NKIND };
static const char *const kindname[NKIND] = { "regular", "noisy", "weekend", "flat" };

#define DAYS 28
#define MIN_PER_DAY 1440

struct actor {
	unsigned char seen[DAYS + 2][24];	/* UTC day (shifted by one) x UTC hour */
	double offset;
};

/* an event at local minute m of local day d */
static void
event(struct actor *a, int d, double m)
{
	long utc = (long)floor(d * (double)MIN_PER_DAY + m - a->offset * 60) + MIN_PER_DAY;
	long day = utc / MIN_PER_DAY, h = (utc % MIN_PER_DAY) / 60;

	if (day >= 0 && day < DAYS + 2)
		a->seen[day][h] = 1;
}

static void
gen(struct actor *a, enum kind k)
{
	double wake, awake, share;
	int d, s, e;

	memset(a, 0, sizeof(*a));
	if (irange(0, 9) == 0) {
		static const double halves[] = { -3.5, 5.5, 9.5, 5.75 };

		a->offset = halves[irange(0, 3)];
	} else {
		a->offset = irange(REGION_OFFSET_MIN, REGION_OFFSET_MAX);
	}
	/* wake-up times spread over two hours (weekend: later), bed 15-17 h later */
	wake = k == WEEKEND ? unif(8, 10.5) : unif(6.5, 8.5);
	awake = unif(15, 17);
	share = unif(0.15, 0.9);
	for (d = 0; d < DAYS; d++) {
		if (k == FLAT) {
			for (e = 0; e < 40; e++)
				event(a, d, unif(0, MIN_PER_DAY));
			continue;
		}
		if (k == WEEKEND ? d % 7 < 5 : unif(0, 1) > share)
			continue;
		for (s = irange(1, 4); s > 0; s--) {
			/* most sessions in working hours, the rest anywhere awake */
			double start = (k != WEEKEND && unif(0, 1) < 0.7 ? unif(9, 17) : wake + unif(0, awake - 1)) * 60;
			double len = unif(20, 180);
			int n = irange(1, 30);

			for (e = 0; e < n; e++)
				event(a, d, start + unif(0, len));
		}
		if (k == NOISY)
			for (e = irange(1, 4); e > 0; e--)
				event(a, irange(0, DAYS - 1), unif(0, MIN_PER_DAY));
	}
}

static void
counts(const struct actor *a, uint32_t hours[24], uint32_t *days)
{
	int d, h;

	memset(hours, 0, 24 * sizeof(hours[0]));
	*days = 0;
	for (d = 0; d < DAYS + 2; d++) {
		int any = 0;

		for (h = 0; h < 24; h++) {
			hours[h] += a->seen[d][h];
			any |= a->seen[d][h];
		}
		*days += (uint32_t)any;
	}
}

/* circular distance in hours between a fitted offset and the truth */
static double
dist(int fitted, double truth)
{
	double d = fmod(fabs(fitted - truth), 24);

	return d > 12 ? 24 - d : d;
}

static enum region
band_of(double truth)
{
	return region_of_offset((int)floor(truth + 0.5) > REGION_OFFSET_MAX ?
				(int)floor(truth + 0.5) - 24 : (int)floor(truth + 0.5));
}

/* floor_within: the share of fitted actors whose offset must come back
 * within `slack` hours; floor_band: the share whose band must be right
 * (unknown counts as wrong). */
static void
kind_run(enum kind k, int n, double slack, double floor_within, double floor_band)
{
	static struct actor a;
	int i, fitted = 0, within = 0, within_slack = 0, band = 0, unknown = 0;

	for (i = 0; i < n; i++) {
		uint32_t hours[24], days;
		struct region_fit f;

		gen(&a, k);
		counts(&a, hours, &days);
		region_infer(hours, days, &f);
		if (!f.fitted)
			continue;
		fitted++;
		if (f.region == REGION_UNKNOWN)
			unknown++;
		if (dist(f.offset, a.offset) <= 1)
			within++;
		if (dist(f.offset, a.offset) <= slack)
			within_slack++;
		if (getenv("REGION_DEBUG"))
			printf("# %s truth %.2f fit %d conf %.3f gain %.3f\n", kindname[k], a.offset, f.offset, f.confidence, f.gain);
		if (f.region == band_of(a.offset))
			band++;
	}
	printf("# %-8s %d actors, %d fitted: offset within 1 h %d (%.1f%%), within %g h %d (%.1f%%),"
	       " band right %d (%.1f%%), unknown %d\n", kindname[k], n, fitted, within,
	       100.0 * within / (fitted ? fitted : 1), slack, within_slack,
	       100.0 * within_slack / (fitted ? fitted : 1), band, 100.0 * band / (fitted ? fitted : 1), unknown);
	if (k == FLAT) {
		ok(unknown == fitted && fitted == n, "flat bots: all %d fitted and none given a region (%d unknown)",
		   n, unknown);
		return;
	}
	ok(fitted >= n * 9 / 10, "%s: at least 90%% of actors fitted (%d of %d)", kindname[k], fitted, n);
	ok(within_slack >= floor_within * fitted, "%s: offset within %g h for >= %.0f%% (%d of %d)",
	   kindname[k], slack, 100 * floor_within, within_slack, fitted);
	ok(band >= floor_band * fitted, "%s: band right for >= %.0f%% (%d of %d)", kindname[k],
	   100 * floor_band, band, fitted);
}

/* Counts that are the template itself, shifted: the exact offset comes
 * back with every offset, and the band boundaries are as documented. */
static void
exact_shifts(void)
{
	int o, h, good = 0;

	for (o = REGION_OFFSET_MIN; o <= REGION_OFFSET_MAX; o++) {
		uint32_t hours[24];
		struct region_fit f;

		/* local hour l = UTC h + o, so UTC h holds template[h + o] */
		for (h = 0; h < 24; h++)
			hours[h] = (uint32_t)(10 * region_template[((h + o) % 24 + 24) % 24]);
		region_infer(hours, 20, &f);
		good += f.fitted && f.offset == o;
	}
	ok(good == 24, "the template shifted by each of the 24 offsets comes back exactly (%d)", good);
}

static void
boundaries(void)
{
	ok(region_of_offset(-10) == REGION_AMERICAS && region_of_offset(-3) == REGION_AMERICAS,
	   "americas is UTC-10..-3");
	ok(region_of_offset(-2) == REGION_EUROPE_AFRICA && region_of_offset(3) == REGION_EUROPE_AFRICA,
	   "europe_africa is UTC-2..+3");
	ok(region_of_offset(4) == REGION_ASIA_PACIFIC && region_of_offset(13) == REGION_ASIA_PACIFIC,
	   "asia_pacific is UTC+4..+13");
	ok(region_of_offset(14) == REGION_UNKNOWN && region_of_offset(-11) == REGION_UNKNOWN,
	   "offsets outside -10..+13 have no band");
	ok(!strcmp(region_name(REGION_EUROPE_AFRICA), "europe_africa") &&
	   !strcmp(region_name(REGION_UNKNOWN), "unknown") && !strcmp(region_name((enum region)99), "unknown"),
	   "region names");
}

static void
minimums(void)
{
	uint32_t hours[24] = { 0 };
	struct region_fit f;

	hours[14] = 50;
	region_infer(hours, REGION_MIN_DAYS - 1, &f);
	ok(!f.fitted && f.region == REGION_UNKNOWN, "fewer than %d active days: unknown", REGION_MIN_DAYS);
	memset(hours, 0, sizeof(hours));
	hours[14] = REGION_MIN_HOURS - 1;
	region_infer(hours, 30, &f);
	ok(!f.fitted && f.region == REGION_UNKNOWN, "fewer than %d active hours: unknown", REGION_MIN_HOURS);
	hours[14] = REGION_MIN_HOURS;
	region_infer(hours, REGION_MIN_DAYS, &f);
	ok(f.fitted, "at the minimums: fitted");
	/* all 24 hours equally active: every shift is as likely */
	for (int h = 0; h < 24; h++)
		hours[h] = 7;
	region_infer(hours, 30, &f);
	ok(f.fitted && f.region == REGION_UNKNOWN && f.confidence < REGION_MIN_CONFIDENCE,
	   "a flat profile has no band (confidence %.3f)", f.confidence);
}

int
main(void)
{
	boundaries();
	minimums();
	exact_shifts();
	kind_run(REGULAR, 2000, 1, 0.90, 0.90);
	kind_run(NOISY, 1000, 1, 0.80, 0.80);
	/* weekend actors keep later hours than the generic day the template
	 * describes (they wake 1.5 h later here), so they are fitted west of
	 * their truth by about that much: looser floors, said out loud */
	kind_run(WEEKEND, 1000, 3, 0.75, 0.65);
	kind_run(FLAT, 200, 1, 0, 0);
	return tap_done();
}
