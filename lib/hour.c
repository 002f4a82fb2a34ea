/* hour.c: GH Archive hour names, "YYYY-MM-DD-H" with the hour not
 * zero-padded, kept as the UTC second the hour starts at. */
#include <stdio.h>
#include <string.h>

#include "gha.h"
#include "timefmt.h"

int64_t
hour_of(int64_t utc)
{
	return utc >= 0 ? utc - utc % HOUR_SECS : utc - ((utc % HOUR_SECS) + HOUR_SECS) % HOUR_SECS;
}

/* The hour part: one or two digits, 0 to 23, and nothing after. */
static int
hour_part(const char *s, int *h)
{
	size_t n = strlen(s);

	if (n < 1 || n > 2 || s[0] < '0' || s[0] > '9' || (n == 2 && (s[1] < '0' || s[1] > '9')))
		return -1;
	*h = n == 2 ? (s[0] - '0') * 10 + (s[1] - '0') : s[0] - '0';
	return *h > 23 ? -1 : 0;
}

static int
day_part(const char *s, int64_t *t)
{
	int64_t utc;
	char tmp[32];

	/* reuse the RFC 3339 parser for the calendar checks */
	if (strlen(s) < 10)
		return -1;
	snprintf(tmp, sizeof(tmp), "%.10sT00:00:00Z", s);
	if (ts_parse(tmp, strlen(tmp), &utc))
		return -1;
	*t = utc;
	return 0;
}

int
hour_parse(const char *s, int64_t *t)
{
	int h;

	if (strlen(s) < 12 || s[10] != '-' || day_part(s, t) || hour_part(s + 11, &h))
		return -1;
	*t += (int64_t)h * HOUR_SECS;
	return 0;
}

int
hour_parse_range(const char *s, int64_t *lo, int64_t *hi)
{
	int h;

	if (strlen(s) == 10) {
		if (day_part(s, lo))
			return -1;
		*hi = *lo + 23 * HOUR_SECS;
		return 0;
	}
	if (strlen(s) >= 12 && s[10] == 'T') {
		if (day_part(s, lo) || hour_part(s + 11, &h))
			return -1;
		*lo += (int64_t)h * HOUR_SECS;
		*hi = *lo;
		return 0;
	}
	if (hour_parse(s, lo))
		return -1;
	*hi = *lo;
	return 0;
}

void
hour_format(int64_t t, char out[32])
{
	char ts[32];

	size_t n, k;

	ts_format(hour_of(t), ts);
	/* "YYYY-MM-DDTHH:MM:SSZ" -> "YYYY-MM-DD-H"; n is where the T is */
	n = strlen(ts) - 10;
	memcpy(out, ts, n);
	out[n] = '-';
	k = n + 1;
	if (ts[n + 1] != '0')
		out[k++] = ts[n + 1];
	out[k++] = ts[n + 2];
	out[k] = '\0';
}
