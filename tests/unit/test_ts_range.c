/* test_ts_range.c: ts_parse takes only what ts_format writes back as a
 * four-digit year, and PostgreSQL reads: UTC from 0001-01-01T00:00:00Z
 * to 9999-12-31T23:59:59Z, offsets applied. The day counts come from
 * Python's calendar (date.toordinal), not from the code under test. */
#include <string.h>

#include "gha.h"
#include "tap.h"
#include "timefmt.h"

static int
parses(const char *s, int64_t *t)
{
	return ts_parse(s, strlen(s), t) == 0;
}

int
main(void)
{
	/* days from 0001-01-01 to 1970-01-01: date(1970, 1, 1).toordinal() - 1 */
	const int64_t lo = -719162LL * 86400;
	/* days from 1970-01-01 to 10000-01-01:
	 * date(9999, 12, 31).toordinal() + 1 - date(1970, 1, 1).toordinal() */
	const int64_t hi = 2932897LL * 86400 - 1;
	static const char *const out[] = {
		"0000-01-01T00:00:00+00:01", "0000-12-31T23:59:59Z", "0000-06-01T00:00:00Z",
		"9999-12-31T23:59:59-00:01", "9999-12-31T23:59:60Z", "9999-12-31T20:00:00-23:59",
	};
	int64_t t;
	char buf[32];
	size_t i;

	ok(parses("0001-01-01T00:00:00Z", &t) && t == lo, "0001-01-01T00:00:00Z is the first second");
	ok(parses("0001-01-01T00:00:00-00:01", &t) && t == lo + 60, "an offset inside the range");
	ok(parses("9999-12-31T23:59:59Z", &t) && t == hi, "9999-12-31T23:59:59Z is the last second");
	ok(parses("9999-12-31T23:59:00+00:01", &t) && t == hi - 119, "an offset inside the range");
	for (i = 0; i < sizeof(out) / sizeof(out[0]); i++)
		ok(!parses(out[i], &t), "'%s' is out of range", out[i]);
	/* every accepted bound writes back as text that parses to itself */
	ts_format(lo, buf);
	ok(!strcmp(buf, "0001-01-01T00:00:00Z"), "the first second writes back: %s", buf);
	ts_format(hi, buf);
	ok(!strcmp(buf, "9999-12-31T23:59:59Z"), "the last second writes back: %s", buf);
	return tap_done();
}
