/* test_time.c: ts_parse, ts_format, days_from_civil, civil_from_days.
 * Expected values come from hand arithmetic, well-known epoch constants,
 * the C library's timegm/gmtime_r, and a day-by-day calendar walk. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gha.h"
#include "timefmt.h"
#include "tap.h"

/* ts_parse on an exact-size copy without a NUL, so overreads show. */
static int
parse(const char *s, int64_t *t)
{
	size_t n = strlen(s);
	char *c = malloc(n ? n : 1);
	int r;

	memcpy(c, s, n);
	r = ts_parse(c, n, t);
	free(c);
	return r;
}

static void
parses(const char *s, int64_t want)
{
	int64_t t = -12345;
	int r = parse(s, &t);

	ok(r == 0 && t == want, "ts_parse %s = %lld (got r=%d, %lld)", s, (long long)want, r,
	   (long long)t);
}

static void
rejects(const char *s)
{
	int64_t t;

	ok(parse(s, &t) == -1, "ts_parse rejects \"%s\"", s);
}

static int
leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned
mlen(int64_t y, unsigned m)
{
	static const unsigned d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && leap(y) ? 29 : d[m - 1];
}

static int64_t
tgm(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return (int64_t)timegm(&tm);
}

static void
test_parse(void)
{
	parses("1970-01-01T00:00:00Z", 0);
	parses("1970-01-01T00:00:01Z", 1);
	parses("1969-12-31T23:59:59Z", -1);
	parses("2015-01-01T00:00:00Z", 1420070400);
	parses("2015-01-01T15:00:00Z", 1420070400 + 15 * 3600);
	parses("2000-01-01T00:00:00Z", 946684800);
	parses("2001-09-09T01:46:40Z", 1000000000);
	parses("2009-02-13T23:31:30Z", 1234567890);
	parses("2038-01-19T03:14:07Z", 2147483647);
	parses("2038-01-19T03:14:08Z", 2147483648LL);
	parses("2106-02-07T06:28:16Z", 4294967296LL);
	parses("2000-02-29T12:00:00Z", 946684800 + (31 + 28) * 86400 + 12 * 3600);
	parses("2016-02-29T00:00:00Z", tgm(2016, 2, 29, 0, 0, 0));
	parses("2016-12-31T23:59:59Z", tgm(2016, 12, 31, 23, 59, 59));
	parses("9999-12-31T23:59:59Z", 253402300799LL);
	parses("1900-01-01T00:00:00Z", -2208988800LL);

	/* offsets: local = UTC + offset */
	parses("2014-12-31T16:00:00-08:00", 1420070400);
	parses("2015-01-01T05:30:00+05:30", 1420070400);
	parses("2015-01-01T00:00:00+00:00", 1420070400);
	parses("2015-01-01T00:00:00-00:00", 1420070400);
	parses("2012-03-10T07:01:50-08:00", tgm(2012, 3, 10, 15, 1, 50));
	parses("2015-01-01T00:00:00+23:59", 1420070400 - 23 * 3600 - 59 * 60);
	parses("2015-01-01T00:00:00-23:59", 1420070400 + 23 * 3600 + 59 * 60);
	parses("2015-03-01T01:00:00+02:00", tgm(2015, 2, 28, 23, 0, 0));	/* across a month */
	parses("2016-12-31T20:00:00-05:00", tgm(2017, 1, 1, 1, 0, 0));	/* across a year */
	parses("2015-01-01T12:34:56+14:00", tgm(2014, 12, 31, 22, 34, 56));

	/* fractions are dropped */
	parses("2015-01-01T00:00:00.0Z", 1420070400);
	parses("2015-01-01T00:00:00.123Z", 1420070400);
	parses("2015-01-01T00:00:00.999999999Z", 1420070400);
	parses("2015-01-01T00:00:59.5+01:00", 1420070400 + 59 - 3600);
	parses("2015-01-01T00:00:00.000000000000000000001Z", 1420070400);

	/* RFC 3339 lets T and Z be lower case */
	parses("2015-01-01t00:00:00z", 1420070400);

	/* invalid dates */
	rejects("2015-02-29T00:00:00Z");
	rejects("2016-02-30T00:00:00Z");
	rejects("1900-02-29T00:00:00Z");
	rejects("2100-02-29T00:00:00Z");
	rejects("2015-04-31T00:00:00Z");
	rejects("2015-06-31T00:00:00Z");
	rejects("2015-09-31T00:00:00Z");
	rejects("2015-11-31T00:00:00Z");
	rejects("2015-13-01T00:00:00Z");
	rejects("2015-00-01T00:00:00Z");
	rejects("2015-01-00T00:00:00Z");
	rejects("2015-01-32T00:00:00Z");
	rejects("2015-12-32T00:00:00Z");
	/* out of range times and offsets */
	rejects("2015-01-01T24:00:00Z");
	rejects("2015-01-01T23:60:00Z");
	rejects("2015-01-01T23:59:61Z");
	rejects("2015-01-01T99:00:00Z");
	rejects("2015-01-01T00:00:00+24:00");
	rejects("2015-01-01T00:00:00-24:00");
	rejects("2015-01-01T00:00:00+05:60");
	rejects("2015-01-01T00:00:00+99:99");
	/* malformed */
	rejects("");
	rejects("2015");
	rejects("2015-01-01");
	rejects("2015-01-01T00:00:00");
	rejects("2015-01-01T00:00Z");
	rejects("2015-01-01T00:00:00.Z");
	rejects("2015-01-01T00:00:00.");
	rejects("2015-01-01T00:00:00.5");
	rejects("2015-01-01T00:00:00,5Z");
	rejects("2015-1-01T00:00:00Z");
	rejects("2015-01-1T00:00:00Z");
	rejects("15-01-01T00:00:00Z");
	rejects("2015-01-01T0:00:00Z");
	rejects("2015-01-01T00:0:00Z");
	rejects("2015-01-01T00:00:0Z");
	rejects("2015/01/01T00:00:00Z");
	rejects("2015-01-01X00:00:00Z");
	rejects("2015-01-01T00-00-00Z");
	rejects("2015-01-01T00:00:00+0530");
	rejects("2015-01-01T00:00:00+05");
	rejects("2015-01-01T00:00:00+05:3");
	rejects("2015-01-01T00:00:00+05:300");
	rejects("2015-01-01T00:00:00+5:30");
	rejects("2015-01-01T00:00:00 +05:30");
	rejects("2015-01-01T00:00:00ZZ");
	rejects("2015-01-01T00:00:00Z ");
	rejects(" 2015-01-01T00:00:00Z");
	rejects("2015-01-01T00:00:00A");
	rejects("2015-01-01T00:00:00UTC");
	rejects("+2015-01-01T00:00:00Z");
	rejects("2015-01-01T00:00:-1Z");
	rejects("2015-01-01T-1:00:00Z");
	rejects("2015-0a-01T00:00:00Z");
	rejects("2015-01-01T00:00:00+05:30Z");
	rejects("2015-01-01T00:00:00Z+05:30");
	rejects("2015-01-01T00:00:00.12a3Z");

	/* n bounds the text: a valid stamp followed by junk is cut by n */
	{
		int64_t t = 0;

		ok(ts_parse("2015-01-01T00:00:00Zjunk", 20, &t) == 0 && t == 1420070400,
		   "n stops before trailing bytes");
		ok(ts_parse("2015-01-01T00:00:00Z", 19, &t) == -1, "n one short fails");
		ok(ts_parse("2015-01-01T00:00:00Z\0", 21, &t) == -1, "a NUL inside n fails");
	}
}

static void
test_format(void)
{
	char out[32];
	static const struct { int64_t t; const char *s; } v[] = {
		{ 0, "1970-01-01T00:00:00Z" },
		{ -1, "1969-12-31T23:59:59Z" },
		{ -86400, "1969-12-31T00:00:00Z" },
		{ -86401, "1969-12-30T23:59:59Z" },
		{ 1420070400, "2015-01-01T00:00:00Z" },
		{ 1420070400 + 15 * 3600 + 7 * 60 + 9, "2015-01-01T15:07:09Z" },
		{ 951782400, "2000-02-29T00:00:00Z" },
		{ 951868799, "2000-02-29T23:59:59Z" },
		{ 1000000000, "2001-09-09T01:46:40Z" },
		{ 1234567890, "2009-02-13T23:31:30Z" },
		{ 2147483647, "2038-01-19T03:14:07Z" },
		{ 253402300799LL, "9999-12-31T23:59:59Z" },
		{ -2208988800LL, "1900-01-01T00:00:00Z" },
		{ -62135596800LL, "0001-01-01T00:00:00Z" },
	};
	size_t i;
	int bad = 0, n = 0;
	uint64_t r = 0x9E3779B97F4A7C15ULL;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		memset(out, 'X', sizeof(out));
		ts_format(v[i].t, out);
		ok(!strcmp(out, v[i].s), "ts_format %lld = %s (got %.31s)", (long long)v[i].t, v[i].s,
		   out);
	}

	/* against gmtime_r over years 1000 to 9999 */
	for (i = 0; i < 200000; i++) {
		int64_t t;
		time_t tt;
		struct tm tm;
		char want[32];

		r ^= r << 13;
		r ^= r >> 7;
		r ^= r << 17;
		t = -30610224000LL + (int64_t)(r % (253402300800ULL + 30610224000ULL));
		tt = (time_t)t;
		if (!gmtime_r(&tt, &tm))
			continue;
		strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%SZ", &tm);
		ts_format(t, out);
		n++;
		if (strcmp(out, want)) {
			if (bad++ < 5)
				ok(0, "ts_format %lld: %s, gmtime says %s", (long long)t, out, want);
		}
	}
	ok(bad == 0 && n > 190000, "ts_format agrees with gmtime_r on %d random instants", n);

	/* round trip over years 1 to 9999, and every second of a leap day edge */
	bad = 0;
	for (i = 0; i < 200000; i++) {
		int64_t t, back = 0;

		r ^= r << 13;
		r ^= r >> 7;
		r ^= r << 17;
		t = -62135596800LL + (int64_t)(r % (253402300800ULL + 62135596800ULL));
		ts_format(t, out);
		if (strlen(out) != 20 || ts_parse(out, strlen(out), &back) || back != t)
			bad++;
	}
	ok(bad == 0, "ts_parse(ts_format(t)) == t for 200000 random t in years 1-9999 (%d wrong)", bad);
	bad = 0;
	for (i = 0; i < 2 * 86400; i++) {
		int64_t t = 951696000 + (int64_t)i, back = 0;	/* 2000-02-28 and 29 */

		ts_format(t, out);
		if (ts_parse(out, 20, &back) || back != t)
			bad++;
	}
	ok(bad == 0, "round trip for every second of 2000-02-28 and 2000-02-29");
}

static void
test_civil(void)
{
	int64_t y = 1970, z;
	unsigned m = 1, d = 1;
	long bad = 0, bad2 = 0;

	ok(days_from_civil(1970, 1, 1) == 0, "day 0 is 1970-01-01");
	ok(days_from_civil(2015, 1, 1) == 16436, "2015-01-01 is day 16436");
	ok(days_from_civil(2000, 3, 1) == 11017, "2000-03-01 is day 11017");
	ok(days_from_civil(1969, 12, 31) == -1, "1969-12-31 is day -1");
	ok(days_from_civil(0, 3, 1) == -719468, "0000-03-01 is day -719468");
	ok(days_from_civil(1, 1, 1) == -719162, "0001-01-01 is day -719162");

	/* walk forward day by day from 1970 to 10000 */
	for (z = 0; y < 10000; z++) {
		int64_t yy;
		unsigned mm, dd;

		if (days_from_civil(y, m, d) != z)
			bad++;
		civil_from_days(z, &yy, &mm, &dd);
		if (yy != y || mm != m || dd != d)
			bad2++;
		if (++d > mlen(y, m)) {
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
	ok(bad == 0, "days_from_civil right for every day 1970..9999 (%ld wrong)", bad);
	ok(bad2 == 0, "civil_from_days right for every day 1970..9999 (%ld wrong)", bad2);

	/* and backward to year -10000 */
	y = 1969;
	m = 12;
	d = 31;
	bad = bad2 = 0;
	for (z = -1; y > -10000; z--) {
		int64_t yy;
		unsigned mm, dd;

		if (days_from_civil(y, m, d) != z)
			bad++;
		civil_from_days(z, &yy, &mm, &dd);
		if (yy != y || mm != m || dd != d)
			bad2++;
		if (--d == 0) {
			if (--m == 0) {
				m = 12;
				y--;
			}
			d = mlen(y, m);
		}
	}
	ok(bad == 0, "days_from_civil right for every day back to year -9999 (%ld wrong)", bad);
	ok(bad2 == 0, "civil_from_days right for every day back to year -9999 (%ld wrong)", bad2);

	/* far out, the two are inverses */
	bad = 0;
	for (z = -400000000; z <= 400000000; z += 9973) {
		int64_t yy;
		unsigned mm, dd;

		civil_from_days(z, &yy, &mm, &dd);
		if (mm < 1 || mm > 12 || dd < 1 || dd > mlen(yy, mm) || days_from_civil(yy, mm, dd) != z)
			bad++;
	}
	ok(bad == 0, "inverses over +-400 million days (%ld wrong)", bad);
}

static void
test_fmt_i64(void)
{
	static const int64_t v[] = { 0, 1, -1, 9, 10, -10, 99, 100, 1234567890, -1234567890,
				     INT64_MAX, INT64_MIN, INT64_MIN + 1, 1000000000000000000LL };
	char out[32], want[32];
	size_t i, n;
	int bad = 0;
	uint64_t r = 0x0123456789ABCDEFULL;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		memset(out, 'X', sizeof(out));
		n = fmt_i64(out, v[i]);
		snprintf(want, sizeof(want), "%lld", (long long)v[i]);
		ok(n == strlen(want) && !strcmp(out, want), "fmt_i64 %s (got %.*s, %zu)", want, (int)n, out, n);
	}
	for (i = 0; i < 200000; i++) {
		int64_t x;

		r ^= r << 13;
		r ^= r >> 7;
		r ^= r << 17;
		x = (int64_t)(r >> (r % 64));
		if (r & 1)
			x = -x;
		n = fmt_i64(out, x);
		snprintf(want, sizeof(want), "%lld", (long long)x);
		if (n != strlen(want) || strcmp(out, want))
			bad++;
	}
	ok(bad == 0, "fmt_i64 agrees with printf on 200000 values (%d wrong)", bad);
}

int
main(void)
{
	test_fmt_i64();
	test_parse();
	test_format();
	test_civil();
	return tap_done();
}
