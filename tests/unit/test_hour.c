/* test_hour.c: GH Archive hour names: hour_parse, hour_parse_range,
 * hour_format, hour_of. Epoch values are computed by hand from
 * 2015-01-01T00:00:00Z = 1420070400 and 2016-01-01T00:00:00Z = 1451606400
 * (365 days later). */
#include <stdint.h>
#include <string.h>

#include "gha.h"
#include "timefmt.h"
#include "tap.h"

#define D2015 1420070400LL
#define D2016 1451606400LL
#define H 3600LL
#define DAY 86400LL

static void
parse_ok(const char *s, int64_t want)
{
	int64_t t = -7;
	int r = hour_parse(s, &t);

	ok(r == 0 && t == want, "hour_parse \"%s\" = %lld (r=%d, got %lld)", s, (long long)want, r,
	   (long long)t);
}

static void
parse_bad(const char *s)
{
	int64_t t;

	ok(hour_parse(s, &t) == -1, "hour_parse rejects \"%s\"", s);
}

static void
range_ok(const char *s, int64_t lo, int64_t hi)
{
	int64_t a = -7, b = -7;
	int r = hour_parse_range(s, &a, &b);

	ok(r == 0 && a == lo && b == hi, "hour_parse_range \"%s\" = [%lld, %lld] (r=%d, got [%lld, %lld])",
	   s, (long long)lo, (long long)hi, r, (long long)a, (long long)b);
}

static void
range_bad(const char *s)
{
	int64_t a, b;

	ok(hour_parse_range(s, &a, &b) == -1, "hour_parse_range rejects \"%s\"", s);
}

static void
fmt_is(int64_t t, const char *want)
{
	char out[32];

	memset(out, 'X', sizeof(out));
	hour_format(t, out);
	ok(!strcmp(out, want), "hour_format %lld = %s (got %.31s)", (long long)t, want, out);
}

int
main(void)
{
	char name[32];
	int64_t t, lo, hi;
	int i, bad;

	parse_ok("2015-01-01-0", D2015);
	parse_ok("2015-01-01-1", D2015 + H);
	parse_ok("2015-01-01-9", D2015 + 9 * H);
	parse_ok("2015-01-01-10", D2015 + 10 * H);
	parse_ok("2015-01-01-15", D2015 + 15 * H);
	parse_ok("2015-01-01-23", D2015 + 23 * H);
	parse_ok("2015-01-02-0", D2015 + DAY);
	parse_ok("2015-02-01-0", D2015 + 31 * DAY);
	parse_ok("2015-03-01-0", D2015 + (31 + 28) * DAY);
	parse_ok("2016-02-29-5", D2016 + (31 + 28) * DAY + 5 * H);
	parse_ok("2016-03-01-0", D2016 + (31 + 29) * DAY);
	parse_ok("2015-12-31-23", D2016 - H);
	parse_ok("1970-01-01-0", 0);
	parse_ok("2011-02-12-0", D2015 - (1461 - 42) * DAY);	/* 4 years back, then day 42 */

	parse_bad("2015-01-01-24");
	parse_bad("2015-01-01-99");
	parse_bad("2015-1-1-0");
	parse_bad("2015-01-1-0");
	parse_bad("2015-01-01-0x");
	parse_bad("2015-01-01-0 ");
	parse_bad("2015-01-01-1.json.gz");
	parse_bad("2015-01-01-123");
	parse_bad("2015-01-01-");
	parse_bad("2015-01-01");
	parse_bad("2015-01-01T0");
	parse_bad("2015-01-01 0");
	parse_bad("2015-01-01--1");
	parse_bad("2015-01-01-+1");
	parse_bad("2015-01-01-a");
	parse_bad(" 2015-01-01-0");
	parse_bad("");
	parse_bad("2015-02-29-0");
	parse_bad("2016-02-30-0");
	parse_bad("2015-13-01-0");
	parse_bad("2015-00-01-0");
	parse_bad("2015-01-00-0");
	parse_bad("2015-01-32-0");
	parse_bad("2015/01/01-0");
	parse_bad("20150101-0");

	/* ranges */
	range_ok("2015-01-01", D2015, D2015 + 23 * H);
	range_ok("2016-02-29", D2016 + 59 * DAY, D2016 + 59 * DAY + 23 * H);
	range_ok("2015-01-01T05", D2015 + 5 * H, D2015 + 5 * H);
	range_ok("2015-01-01T00", D2015, D2015);
	range_ok("2015-01-01T23", D2015 + 23 * H, D2015 + 23 * H);
	range_ok("2015-01-01-7", D2015 + 7 * H, D2015 + 7 * H);
	range_ok("2015-01-01-23", D2015 + 23 * H, D2015 + 23 * H);
	range_bad("2015-01-01T24");
	range_bad("2015-01-01-24");
	range_bad("2015-01-01T");
	range_bad("2015-01-01T5x");
	range_bad("2015-01-01T05:00");
	range_bad("2015-02-30");
	range_bad("2015-02-29T1");
	range_bad("2015-1-1");
	range_bad("2015-01-0");
	range_bad("2015-01-011");
	range_bad("2015-01-01X5");
	range_bad("2015-01-01 ");
	range_bad("");
	range_bad("yesterday");

	/* formatting: the hour is not zero-padded */
	fmt_is(D2015, "2015-01-01-0");
	fmt_is(D2015 + 5 * H, "2015-01-01-5");
	fmt_is(D2015 + 10 * H, "2015-01-01-10");
	fmt_is(D2015 + 23 * H, "2015-01-01-23");
	fmt_is(D2015 + 5 * H + 1799, "2015-01-01-5");	/* inside the hour */
	fmt_is(D2015 + 6 * H - 1, "2015-01-01-5");
	fmt_is(D2016 + 59 * DAY + 13 * H, "2016-02-29-13");
	fmt_is(0, "1970-01-01-0");
	fmt_is(-1, "1969-12-31-23");

	/* hour_of */
	ok(hour_of(0) == 0 && hour_of(3599) == 0 && hour_of(3600) == 3600 && hour_of(7199) == 3600,
	   "hour_of, positive");
	ok(hour_of(-1) == -3600 && hour_of(-3600) == -3600 && hour_of(-3601) == -7200,
	   "hour_of rounds down for negative times");
	ok(hour_of(D2015 + 1234) == D2015, "hour_of mid-hour");

	/* iterating across day, month, year and leap-day boundaries */
	{
		static const char *const want[] = {
			"2015-12-31-21", "2015-12-31-22", "2015-12-31-23", "2016-01-01-0",
			"2016-01-01-1",
		};
		static const char *const want2[] = {
			"2016-01-31-22", "2016-01-31-23", "2016-02-01-0", "2016-02-01-1",
		};
		static const char *const want3[] = {
			"2016-02-28-23", "2016-02-29-0", "2016-02-29-1",
		};
		static const char *const want4[] = {
			"2016-02-29-22", "2016-02-29-23", "2016-03-01-0", "2016-03-01-1",
		};
		static const char *const want5[] = {
			"2015-02-28-22", "2015-02-28-23", "2015-03-01-0",
		};
		static const struct { const char *start; const char *const *w; int n; } it[] = {
			{ "2015-12-31-21", want, 5 }, { "2016-01-31-22", want2, 4 },
			{ "2016-02-28-23", want3, 3 }, { "2016-02-29-22", want4, 4 },
			{ "2015-02-28-22", want5, 3 },
		};
		size_t k;

		for (k = 0; k < sizeof(it) / sizeof(it[0]); k++) {
			bad = 0;
			if (hour_parse(it[k].start, &t)) {
				ok(0, "iterate from %s", it[k].start);
				continue;
			}
			for (i = 0; i < it[k].n; i++, t += HOUR_SECS) {
				int64_t back;

				hour_format(t, name);
				if (strcmp(name, it[k].w[i]) || hour_parse(name, &back) || back != t)
					bad++;
			}
			ok(bad == 0, "iterating hours from %s crosses the boundary right", it[k].start);
		}
	}

	/* a whole leap year: 366 * 24 hours, each named once, round trip */
	if (hour_parse_range("2016-01-01", &lo, &hi) == 0) {
		int64_t end, n = 0;

		hour_parse_range("2016-12-31", &t, &end);
		bad = 0;
		for (t = lo; t <= end; t += HOUR_SECS) {
			int64_t back;

			hour_format(t, name);
			if (hour_parse(name, &back) || back != t)
				bad++;
			n++;
		}
		ok(n == 366 * 24 && bad == 0, "2016 has %lld hours (want 8784), all round trip (%d wrong)",
		   (long long)n, bad);
		hour_format(end, name);
		ok(!strcmp(name, "2016-12-31-23"), "last hour of 2016 is 2016-12-31-23 (%s)", name);
	} else {
		ok(0, "hour_parse_range 2016-01-01");
	}
	/* and a common year has 8760 */
	if (hour_parse("2015-01-01-0", &lo) == 0 && hour_parse("2016-01-01-0", &hi) == 0)
		ok((hi - lo) / HOUR_SECS == 8760, "2015 has 8760 hours");
	return tap_done();
}
