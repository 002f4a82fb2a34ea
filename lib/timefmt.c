/* timefmt.c: RFC 3339 timestamps and civil-date arithmetic (proleptic
 * Gregorian, no time zone database: GitHub only writes numeric offsets). */
#include <stdio.h>

#include "gha.h"
#include "timefmt.h"

int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void
civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int
digits(const char *s, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int
mdays(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

/* "YYYY-MM-DD" at s (10 bytes); days since the epoch in *days. */
static int
parse_date(const char *s, int64_t *days)
{
	int y, m, d;

	if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &m) || s[7] != '-' ||
	    digits(s + 8, 2, &d))
		return -1;
	if (m < 1 || m > 12 || d < 1 || d > mdays(y, m))
		return -1;
	*days = days_from_civil(y, (unsigned)m, (unsigned)d);
	return 0;
}

/* 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z: what ts_format writes
 * as four-digit years and PostgreSQL reads back. An offset can push a
 * time in "0000-..." or "9999-12-31" outside: found by fuzz_hour, where
 * such a created_at made tables that gha-silver --merge-entities and
 * COPY refused. */
#define TS_MIN (-62135596800LL)
#define TS_MAX 253402300799LL

static int
in_range(int64_t utc)
{
	return utc >= TS_MIN && utc <= TS_MAX ? 0 : -1;
}

int
ts_parse(const char *s, size_t n, int64_t *utc)
{
	int64_t days;
	int H, M, S, oh, om;
	size_t i = 19;

	if (n < 20 || parse_date(s, &days) || (s[10] != 'T' && s[10] != 't') ||
	    digits(s + 11, 2, &H) || s[13] != ':' || digits(s + 14, 2, &M) ||
	    s[16] != ':' || digits(s + 17, 2, &S))
		return -1;
	if (H > 23 || M > 59 || S > 60)
		return -1;
	if (s[i] == '.') {
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == 20)
			return -1;
	}
	*utc = days * 86400 + H * 3600 + M * 60 + S;
	if (i + 1 == n && (s[i] == 'Z' || s[i] == 'z'))
		return in_range(*utc);
	if (i + 6 != n || (s[i] != '+' && s[i] != '-') || digits(s + i + 1, 2, &oh) ||
	    s[i + 3] != ':' || digits(s + i + 4, 2, &om) || oh > 23 || om > 59)
		return -1;
	/* local = utc + offset, so utc = local - offset */
	if (s[i] == '+')
		*utc -= oh * 3600 + om * 60;
	else
		*utc += oh * 3600 + om * 60;
	return in_range(*utc);
}

size_t
fmt_i64(char *out, int64_t v)
{
	char tmp[24];
	size_t n = 0, i;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	i = 0;
	if (v < 0)
		out[i++] = '-';
	while (n)
		out[i++] = tmp[--n];
	out[i] = '\0';
	return i;
}

static char *
two(char *p, unsigned v)
{
	p[0] = (char)('0' + v / 10 % 10);
	p[1] = (char)('0' + v % 10);
	return p + 2;
}

/* By hand: snprintf was a tenth of gha-silver's time. */
void
ts_format(int64_t utc, char out[32])
{
	int64_t days = utc >= 0 ? utc / 86400 : (utc - 86399) / 86400, y;
	int64_t sec = utc - days * 86400;
	unsigned m, d;
	char *p = out;

	civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		snprintf(out, 32, "%lld-%02u-%02uT%02d:%02d:%02dZ", (long long)y, m, d,
			 (int)(sec / 3600), (int)(sec / 60 % 60), (int)(sec % 60));
		return;
	}
	p = two(p, (unsigned)(y / 100));
	p = two(p, (unsigned)(y % 100));
	*p++ = '-';
	p = two(p, m);
	*p++ = '-';
	p = two(p, d);
	*p++ = 'T';
	p = two(p, (unsigned)(sec / 3600));
	*p++ = ':';
	p = two(p, (unsigned)(sec / 60 % 60));
	*p++ = ':';
	p = two(p, (unsigned)(sec % 60));
	*p++ = 'Z';
	*p = '\0';
}
