/* test_tsv.c: the PostgreSQL COPY text writer. Output goes to an
 * open_memstream and is read back with a small COPY text decoder written
 * here from the PostgreSQL documentation (backslash escapes b f n r t v,
 * octal, \x hex, any other escaped character stands for itself; \N alone
 * is NULL; fields split on tab, rows on newline). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "tsv.h"
#include "tap.h"
#include "testutil.h"

#define MAXF 16

struct field {
	int null;
	char *p;
	size_t n;
};

struct row {
	int nf;
	struct field f[MAXF];
};


static void
decode_field(const char *s, size_t n, struct field *f)
{
	size_t i;

	f->null = n == 2 && s[0] == '\\' && s[1] == 'N';
	f->p = malloc(n + 1);
	f->n = 0;
	if (f->null)
		return;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c != '\\' || i + 1 == n) {
			f->p[f->n++] = c;
			continue;
		}
		c = s[++i];
		switch (c) {
		case 'b': f->p[f->n++] = '\b'; break;
		case 'f': f->p[f->n++] = '\f'; break;
		case 'n': f->p[f->n++] = '\n'; break;
		case 'r': f->p[f->n++] = '\r'; break;
		case 't': f->p[f->n++] = '\t'; break;
		case 'v': f->p[f->n++] = '\v'; break;
		case 'x':
			if (i + 1 < n && hexv(s[i + 1]) >= 0) {
				int v = hexv(s[++i]);

				if (i + 1 < n && hexv(s[i + 1]) >= 0)
					v = v * 16 + hexv(s[++i]);
				f->p[f->n++] = (char)v;
			} else {
				f->p[f->n++] = 'x';
			}
			break;
		default:
			if (c >= '0' && c <= '7') {
				int v = c - '0', k;

				for (k = 0; k < 2 && i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '7'; k++)
					v = v * 8 + (s[++i] - '0');
				f->p[f->n++] = (char)v;
			} else {
				f->p[f->n++] = c;
			}
		}
	}
}

/* Split text into rows; returns the row count, -1 when the last row has
 * no newline or a row has too many fields. */
static int
decode(const char *s, size_t n, struct row *rows, int maxrows)
{
	size_t i = 0;
	int nr = 0;

	while (i < n) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t end, a;

		if (!nl || nr == maxrows)
			return -1;
		end = (size_t)(nl - s);
		rows[nr].nf = 0;
		a = i;
		for (;;) {
			const char *tab = memchr(s + a, '\t', end - a);
			size_t b = tab ? (size_t)(tab - s) : end;

			if (rows[nr].nf == MAXF)
				return -1;
			decode_field(s + a, b - a, &rows[nr].f[rows[nr].nf++]);
			if (!tab)
				break;
			a = b + 1;
		}
		nr++;
		i = end + 1;
	}
	return nr;
}

static void
free_rows(struct row *rows, int nr)
{
	int i, j;

	for (i = 0; i < nr; i++)
		for (j = 0; j < rows[i].nf; j++)
			free(rows[i].f[j].p);
}

static int
field_is(const struct field *f, const char *s, size_t n)
{
	return !f->null && f->n == n && (n == 0 || !memcmp(f->p, s, n));
}

static uint64_t rng = 0xD1B54A32D192ED03ULL;

static uint32_t
rnd(void)
{
	return (uint32_t)(xorshift(&rng) >> 7);
}

static size_t
enc8(uint32_t cp, char *o)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 + cp / 64);
		o[1] = (char)(0x80 + cp % 64);
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 + cp / 4096);
		o[1] = (char)(0x80 + cp / 64 % 64);
		o[2] = (char)(0x80 + cp % 64);
		return 3;
	}
	o[0] = (char)(0xF0 + cp / 262144);
	o[1] = (char)(0x80 + cp / 4096 % 64);
	o[2] = (char)(0x80 + cp / 64 % 64);
	o[3] = (char)(0x80 + cp % 64);
	return 4;
}

static void
test_exact(void)
{
	static const char *const names[] = { "id", "name", "note" };
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);
	struct tsv t;
	static const char want[] =
	    "id\tname\tnote\n"
	    "42\ta\\tb\\nc\\rd\\\\e\t\\N\n"
	    "-9223372036854775808\t\t\\\\N\n"
	    "9223372036854775807\tt\tf\n"
	    "0\t\\N\tplain \xc3\xa9\n"
	    "-1\t\\\\\\\\\t\\t\\t\n";
	int rc = 0;

	tsv_init(&t, fp, 3);
	rc |= tsv_header(&t, names);
	tsv_int(&t, 42);
	tsv_str(&t, "a\tb\nc\rd\\e", 9);
	tsv_null(&t);
	rc |= tsv_end(&t);
	tsv_int(&t, INT64_MIN);
	tsv_cstr(&t, "");
	tsv_cstr(&t, "\\N");
	rc |= tsv_end(&t);
	tsv_int(&t, INT64_MAX);
	tsv_bool(&t, 1);
	tsv_bool(&t, 0);
	rc |= tsv_end(&t);
	tsv_int(&t, 0);
	tsv_cstr(&t, NULL);
	tsv_cstr(&t, "plain \xc3\xa9");
	rc |= tsv_end(&t);
	tsv_int(&t, -1);
	tsv_str(&t, "\\\\", 2);
	tsv_str(&t, "\t\t", 2);
	rc |= tsv_end(&t);
	tsv_free(&t);
	fclose(fp);
	ok(rc == 0, "tsv_header and tsv_end return 0");
	ok(len == sizeof(want) - 1 && !memcmp(out, want, len), "exact bytes of header and rows");
	if (len != sizeof(want) - 1 || memcmp(out, want, len)) {
		size_t i;

		printf("# got: ");
		for (i = 0; i < len; i++)
			printf(out[i] >= 0x20 && out[i] < 0x7f ? "%c" : "\\x%02x", (unsigned char)out[i]);
		printf("\n");
	}

	/* the decoder reads the same values back */
	{
		struct row r[8];
		int nr = decode(out, len, r, 8);

		ok(nr == 6, "six lines");
		if (nr == 6) {
			ok(r[0].nf == 3 && field_is(&r[0].f[0], "id", 2) && field_is(&r[0].f[2], "note", 4),
			   "header fields");
			ok(r[1].nf == 3 && field_is(&r[1].f[1], "a\tb\nc\rd\\e", 9) && r[1].f[2].null,
			   "escaped string and NULL decode");
			ok(field_is(&r[2].f[1], "", 0) && !r[2].f[1].null, "empty string is not NULL");
			ok(field_is(&r[2].f[2], "\\N", 2), "the text \\N is not NULL");
			ok(field_is(&r[3].f[1], "t", 1) && field_is(&r[3].f[2], "f", 1), "booleans");
			ok(r[4].f[1].null, "tsv_cstr(NULL) is NULL");
			ok(field_is(&r[5].f[1], "\\\\", 2) && field_is(&r[5].f[2], "\t\t", 2),
			   "backslashes and tabs");
		}
		free_rows(r, nr > 0 ? nr : 0);
	}
	free(out);
}

static void
test_more(void)
{
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);
	struct tsv t;

	tsv_init(&t, fp, 4);
	tsv_bool(&t, 7);
	tsv_raw(&t, "1.5", 3);
	tsv_str(&t, "", 0);
	tsv_null(&t);
	tsv_end(&t);
	tsv_str(&t, "\x01\x7f\b\f\v", 5);	/* other controls need no escape in COPY text */
	tsv_end(&t);
	tsv_free(&t);
	fclose(fp);
	ok(len == 16 && !memcmp(out, "t\t1.5\t\t\\N\n\x01\x7f\b\f\v\n", 16),
	   "tsv_bool(7) is t; tsv_raw is verbatim; an empty tsv_str is an empty field");
	{
		struct row r[4];
		int nr = decode(out, len, r, 4);

		ok(nr == 2 && r[1].nf == 1 && field_is(&r[1].f[0], "\x01\x7f\b\f\v", 5),
		   "other control bytes survive");
		free_rows(r, nr > 0 ? nr : 0);
	}
	free(out);
}

/* Random strings of every byte but NUL go through tsv_str and back. */
static void
test_fuzz(void)
{
	enum { ROWS = 3000, COLS = 5 };
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);
	struct tsv t;
	static char val[ROWS][COLS][64];
	static size_t vlen[ROWS][COLS];
	static int isnull[ROWS][COLS];
	static struct row r[ROWS];
	int i, j, bad = 0, nr;

	tsv_init(&t, fp, COLS);
	for (i = 0; i < ROWS; i++) {
		for (j = 0; j < COLS; j++) {
			size_t n = rnd() % 64, k;

			isnull[i][j] = rnd() % 10 == 0;
			for (k = 0; k < n; k++) {
				uint32_t x = rnd() % 12;

				/* favour the bytes that need care */
				val[i][j][k] = x == 0 ? '\t' : x == 1 ? '\n' : x == 2 ? '\r' : x == 3 ? '\\' :
					       x == 4 ? 'N' : (char)(1 + rnd() % 255);
			}
			vlen[i][j] = n;
			if (isnull[i][j])
				tsv_null(&t);
			else
				tsv_str(&t, val[i][j], n);
		}
		if (tsv_end(&t))
			bad++;
	}
	tsv_free(&t);
	fclose(fp);
	nr = decode(out, len, r, ROWS);
	ok(nr == ROWS, "fuzz: %d rows decoded", nr);
	for (i = 0; i < nr; i++) {
		if (r[i].nf != COLS) {
			bad++;
			continue;
		}
		for (j = 0; j < COLS; j++) {
			if (isnull[i][j] ? !r[i].f[j].null : !field_is(&r[i].f[j], val[i][j], vlen[i][j]))
				bad++;
		}
	}
	ok(bad == 0, "fuzz: every value and NULL read back exactly (%d wrong)", bad);
	/* no raw CR or stray escapes in the output */
	ok(memchr(out, '\r', len) == NULL, "fuzz: no raw CR in the output");
	free_rows(r, nr > 0 ? nr : 0);
	free(out);
}

/* tsv_jstr: a JSON string body becomes the decoded text, TSV-escaped. */
static void
jstr_case(const char *body, const char *want, size_t wn, const char *what)
{
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);
	struct tsv t;
	struct row r[2];
	int nr;

	tsv_init(&t, fp, 2);
	tsv_jstr(&t, body, strlen(body));
	tsv_int(&t, 1);
	tsv_end(&t);
	tsv_free(&t);
	fclose(fp);
	nr = decode(out, len, r, 2);
	ok(nr == 1 && r[0].nf == 2 && field_is(&r[0].f[0], want, wn) && field_is(&r[0].f[1], "1", 1),
	   "tsv_jstr %s", what);
	if (nr > 0)
		free_rows(r, nr);
	free(out);
}

static void
test_jstr(void)
{
	int i, bad = 0;

	jstr_case("", "", 0, "empty");
	jstr_case("plain", "plain", 5, "plain");
	jstr_case("a\\tb\\nc\\rd\\\\e", "a\tb\nc\rd\\e", 9, "short escapes that TSV must escape");
	jstr_case("\\\"\\/\\b\\f", "\"/\b\f", 4, "quote, slash, backspace, form feed");
	jstr_case("\\u0009\\u000a\\u000D\\u005c", "\t\n\r\\", 4, "\\u forms of tab, LF, CR, backslash");
	jstr_case("\\u0041\\u00e9\\u20ac", "A\xc3\xa9\xe2\x82\xac", 6, "\\u to UTF-8");
	jstr_case("\\ud83d\\ude00", "\xf0\x9f\x98\x80", 4, "surrogate pair");
	jstr_case("\\ud800", "\xef\xbf\xbd", 3, "lone surrogate to U+FFFD");
	jstr_case("x\\udc00y", "x\xef\xbf\xbdy", 5, "lone low surrogate to U+FFFD");
	jstr_case("\\u0000", "\xef\xbf\xbd", 3, "\\u0000 to U+FFFD (PostgreSQL text holds no NUL)");
	jstr_case("\\\\N", "\\N", 2, "the text \\N, not NULL");
	jstr_case("\\\\.", "\\.", 2, "the text \\.");
	jstr_case("caf\xc3\xa9", "caf\xc3\xa9", 5, "raw UTF-8");
	jstr_case("\\u0001\\u001f", "\x01\x1f", 2, "other controls");

	/* random code points, escaped at random, decode to their UTF-8 */
	for (i = 0; i < 2000; i++) {
		char body[600], want[400];
		size_t bn = 0, wn = 0;
		int j, k = (int)(rnd() % 24);
		char *out = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&out, &len);
		struct tsv t;
		struct row r[2];
		int nr;

		for (j = 0; j < k; j++) {
			uint32_t cp, how = rnd() % 4;

			do {
				cp = rnd() % (rnd() % 2 ? 0x80 : 0x110000);
			} while ((cp >= 0xd800 && cp <= 0xdfff) || cp == 0);
			if (cp >= 0x10000) {
				uint32_t v = cp - 0x10000;

				if (how == 0)
					bn += (size_t)snprintf(body + bn, sizeof(body) - bn, "\\u%04x\\u%04X",
							       (unsigned)(0xd800 + (v >> 10)),
							       (unsigned)(0xdc00 + (v & 0x3ff)));
				else
					bn += enc8(cp, body + bn);
			} else if (how == 0 || cp < 0x20 || cp == '"' || cp == '\\') {
				bn += (size_t)snprintf(body + bn, sizeof(body) - bn, "\\u%04x", (unsigned)cp);
			} else {
				bn += enc8(cp, body + bn);
			}
			wn += enc8(cp, want + wn);
		}
		body[bn] = '\0';
		tsv_init(&t, fp, 1);
		tsv_jstr(&t, body, bn);
		tsv_end(&t);
		tsv_free(&t);
		fclose(fp);
		nr = decode(out, len, r, 2);
		if (nr != 1 || r[0].nf != 1 || !field_is(&r[0].f[0], want, wn))
			bad++;
		if (nr > 0)
			free_rows(r, nr);
		free(out);
	}
	ok(bad == 0, "2000 random JSON bodies decode to their code points (%d wrong)", bad);
}

/* copy_unescape, the library's own field decoder, undoes tsv_str */
static void
test_copy_unescape(void)
{
	struct buf b;
	int i, bad = 0;

	buf_init(&b);
	ok(copy_unescape("a\\tb\\nc\\rd\\\\e", 13, &b) == 0 && b.len == 9 &&
	   !memcmp(b.p, "a\tb\nc\rd\\e", 9), "copy_unescape of the four escapes");
	ok(copy_unescape("\\b\\f\\v", 6, &b) == 0 && b.len == 3 && !memcmp(b.p, "\b\f\v", 3),
	   "copy_unescape of \\b \\f \\v");
	ok(copy_unescape("", 0, &b) == 0 && b.len == 0, "copy_unescape of nothing");
	ok(copy_unescape("x\\", 2, &b) == -1, "a trailing backslash is an error");
	ok(copy_unescape("plain \xc3\xa9", 8, &b) == 0 && b.len == 8, "plain text as is");
	for (i = 0; i < 3000; i++) {
		char in[64], *out = NULL;
		size_t n = rnd() % 64, k, len = 0;
		FILE *fp = open_memstream(&out, &len);
		struct tsv t;

		for (k = 0; k < n; k++) {
			uint32_t x = rnd() % 8;

			in[k] = x == 0 ? '\t' : x == 1 ? '\n' : x == 2 ? '\r' : x == 3 ? '\\' : (char)(1 + rnd() % 255);
		}
		tsv_init(&t, fp, 1);
		tsv_str(&t, in, n);
		tsv_end(&t);
		tsv_free(&t);
		fclose(fp);
		if (len < 1 || copy_unescape(out, len - 1, &b) != 0 || b.len != n || (n && memcmp(b.p, in, n)))
			bad++;
		free(out);
	}
	ok(bad == 0, "copy_unescape(tsv_str(x)) == x for 3000 random x (%d wrong)", bad);
	buf_free(&b);
}

static void
test_write_error(void)
{
	FILE *fp = fopen("/dev/full", "w");
	struct tsv t;

	if (!fp) {
		ok(1, "# SKIP no /dev/full");
		return;
	}
	setvbuf(fp, NULL, _IONBF, 0);
	tsv_init(&t, fp, 1);
	tsv_str(&t, "x", 1);
	ok(tsv_end(&t) == -1, "tsv_end reports a write error");
	tsv_str(&t, "y", 1);
	ok(tsv_end(&t) == -1, "and again on the next row");
	tsv_free(&t);
	fclose(fp);
}

int
main(void)
{
	test_exact();
	test_more();
	test_fuzz();
	test_jstr();
	test_copy_unescape();
	test_write_error();
	return tap_done();
}
