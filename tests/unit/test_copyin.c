/* test_copyin.c: the COPY text reader: escapes as the PostgreSQL
 * documentation lists them, columns by header name, malformed rows. */
#include <string.h>

#include "gha.h"
#include "copyin.h"
#include "tap.h"

static int
dec(const char *in, const char *want, size_t wantlen)
{
	struct buf b;
	int r;

	buf_init(&b);
	r = copy_decode(in, strlen(in), &b);
	r = r == 0 && b.len == wantlen && !memcmp(b.p, want, wantlen);
	buf_free(&b);
	return r;
}

static int
bad(const char *in)
{
	struct buf b;
	int r;

	buf_init(&b);
	r = copy_decode(in, strlen(in), &b);
	buf_free(&b);
	return r == -1;
}

int
main(void)
{
	static const char *const names[] = { "b", "a", "missing" };
	static const unsigned char req[] = { 1, 1, 0 };
	static const unsigned char req3[] = { 1, 1, 1 };
	struct copyin c;
	struct gha_err err;
	const char *p;
	size_t n;
	int64_t v;
	int bv;

	ok(dec("plain", "plain", 5), "no escapes");
	ok(dec("a\\tb\\nc\\rd\\\\e", "a\tb\nc\rd\\e", 9), "\\t \\n \\r \\\\");
	ok(dec("\\b\\f\\v", "\b\f\v", 3), "\\b \\f \\v");
	ok(dec("\\101\\60\\0601", "A001", 4), "octal, 1 to 3 digits");
	ok(dec("\\x41\\x4a\\x7", "AJ\a", 3), "hex, 1 or 2 digits");
	ok(dec("\\377", "\377", 1), "octal 377");
	ok(bad("\\q"), "a backslash before another character is bad (stricter than PostgreSQL)");
	ok(bad("abc\\"), "a trailing backslash is bad");
	ok(bad("\\000") && bad("\\x0"), "an escape to NUL is bad");
	ok(bad("\\x") && bad("\\xg"), "\\x without hex digits is bad");

	copyin_init(&c, NULL);
	c.name = "t.tsv";
	ok(copyin_header(&c, "a\tb\tc", 5, &err) == 0 && c.nfields == 3, "a header of 3 columns");
	ok(copyin_bind(&c, names, 3, req, &err) == 0, "bind b, a and an optional missing column");
	ok(copyin_bind(&c, names, 3, req3, &err) == -1 && err.code == GHA_DATAERR &&
		   !strcmp(err.msg, "t.tsv:1: no column 'missing' in the header"),
	   "a required missing column: 65 naming the file and the column");
	copyin_bind(&c, names, 3, req, &err);
	ok(copyin_split(&c, "1\t2\\t\\\\x\t3", 10) == 0, "a row splits");
	p = copyin_text(&c, 0, &n);
	ok(p && n == 4 && !memcmp(p, "2\t\\x", 4), "column b decoded: %.*s", (int)n, p);
	ok(copyin_int64(&c, 1, &v) == 1 && v == 1, "column a as an integer");
	ok(copyin_isnull(&c, 2) && copyin_text(&c, 2, &n) == NULL, "the missing column reads NULL");
	ok(copyin_split(&c, "\\N\tt\tz", 7) == 0 && copyin_isnull(&c, 1) && copyin_int64(&c, 1, &v) == 0,
	   "\\N is NULL");
	ok(copyin_bool(&c, 0, &bv) == 1 && bv == 1, "t is true");
	ok(copyin_split(&c, "1\t2", 3) == -1 && !strcmp(c.why, "fewer fields than the header has"),
	   "too few fields");
	ok(copyin_split(&c, "1\t2\t3\t4", 7) == -1 && !strcmp(c.why, "more fields than the header has"),
	   "too many fields");
	ok(copyin_split(&c, "1\t2\\\t3", 6) == -1 && !strcmp(c.why, "bad escape"),
	   "a backslash before a tab is a bad escape, not an escaped separator");
	ok(copyin_split(&c, "a\\N\t2\t3", 7) == -1, "\\N inside a field is a bad escape");
	ok(copyin_split(&c, "99999999999999999999\t2\t3", 24) == 0 && copyin_int64(&c, 1, &v) == -1,
	   "an integer out of range is -1");
	ok(copyin_split(&c, "-9223372036854775808\t2\t3", 24) == 0 && copyin_int64(&c, 1, &v) == 1 &&
		   v == INT64_MIN, "INT64_MIN parses");
	ok(copyin_header(&c, "a\tb\ta", 5, &err) == -1, "a column twice in the header is an error");
	ok(copyin_header(&c, "a\t\tb", 4, &err) == -1, "an empty column name is an error");
	copyin_free(&c);
	return tap_done();
}
