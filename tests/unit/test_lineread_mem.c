/* test_lineread_mem.c: lr_open_mem gives the lines, offsets and line
 * numbers of the text it was given, plain or gzip (deflated here with
 * zlib, not with the code under test), whatever the chunk size; a cut
 * gzip stream gives its complete lines, then error 65. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "gha.h"
#include "inmem.h"
#include "lineread.h"
#include "tap.h"

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 9);
}

/* nlines lines of random lengths (some empty, some long), the last one
 * without a newline when open_end */
static char *
make_text(int nlines, int open_end, size_t *n)
{
	size_t cap = 1, len = 0;
	char *t;
	int i;

	t = malloc(cap);
	for (i = 0; i < nlines; i++) {
		size_t k = rnd() % 8 == 0 ? rnd() % 5000 : rnd() % 80, j;

		t = realloc(t, cap = len + k + 2);
		for (j = 0; j < k; j++)
			t[len++] = (char)('a' + rnd() % 26);
		if (!open_end || i + 1 < nlines)
			t[len++] = '\n';
	}
	*n = len;
	return t;
}

/* a gzip member of src, by zlib */
static unsigned char *
gz(const char *src, size_t n, size_t *outn)
{
	z_stream z;
	size_t cap = compressBound((uLong)n) + 64;
	unsigned char *out = malloc(cap);

	memset(&z, 0, sizeof(z));
	deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
	z.next_in = (unsigned char *)(uintptr_t)src;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	deflate(&z, Z_FINISH);
	*outn = z.total_out;
	deflateEnd(&z);
	return out;
}

/* Read it all and compare with text; returns the lr_next end status. */
static int
check(const void *p, size_t n, const char *text, size_t tn, size_t chunk, int *lines_ok)
{
	struct gha_err err = { 0, "" };
	struct lineread *lr = lr_open_mem(p, n, "mem", chunk);
	struct line ln;
	size_t at = 0;
	uint64_t no = 0;
	int r, good = 1;

	while ((r = lr_next(lr, &ln, &err)) > 0) {
		const char *nl = memchr(text + at, '\n', tn - at);
		size_t k = nl ? (size_t)(nl - (text + at)) : tn - at;

		no++;
		if (ln.partial)
			break;
		if (ln.len != k || memcmp(ln.p, text + at, k) || ln.offset != at || ln.lineno != no) {
			good = 0;
			break;
		}
		at += k + 1;
	}
	if (r > 0)	/* a partial line: the rest tells the status */
		while ((r = lr_next(lr, &ln, &err)) > 0)
			;
	*lines_ok = good && (r < 0 || at >= tn);	/* all of it, unless damaged */
	lr_close(lr);
	return r < 0 ? err.code : 0;
}

/* Lines over the limit (100 bytes, CR included) give their first 10
 * bytes, flagged, with their whole size; the lines around them whole. */
static void
overlong(size_t chunk)
{
	static const size_t lens[] = { 5, 150, 99, 100, 101, 0, 300 };
	static const int crs[] = { 0, 1, 0, 1, 0, 0, 0 };
	char text[1024];
	size_t tn = 0, i, at[8];
	struct gha_err err;
	struct lineread *lr;
	struct line ln;
	int good = 1, r;

	for (i = 0; i < 7; i++) {
		size_t j;

		at[i] = tn;
		for (j = 0; j < lens[i]; j++)
			text[tn++] = (char)('a' + (i + j) % 26);
		if (crs[i])
			text[tn++] = '\r';
		if (i < 6)
			text[tn++] = '\n';	/* the last line has none */
	}
	lr = lr_open_mem(text, tn, "mem", chunk);
	lr_set_maxline(lr, 100, 10);
	for (i = 0; (r = lr_next(lr, &ln, &err)) > 0; i++) {
		int over = lens[i] + (size_t)crs[i] > 100;

		if (i >= 7 || ln.overlong != over || ln.size != lens[i] || ln.crlf != crs[i] ||
		    ln.len != (over ? 10 : lens[i]) || ln.offset != at[i] ||
		    memcmp(ln.p, text + at[i], ln.len))
			good = 0;
	}
	ok(good && r == 0 && i == 7 && lr_bytes_out(lr) == tn,
	   "chunk %zu: lines over the limit give their first bytes and whole size", chunk);
	lr_close(lr);
}

int
main(void)
{
	static const size_t chunks[] = { 0, 1, 2, 3, 7, 64, 4093 };
	size_t tn, zn, i;
	char *text = make_text(400, 1, &tn);
	unsigned char *z = gz(text, tn, &zn), *two;
	int good, rc;

	for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		rc = check(text, tn, text, tn, chunks[i], &good);
		ok(rc == 0 && good, "plain text, chunk %zu: every line, offset and number", chunks[i]);
		rc = check(z, zn, text, tn, chunks[i], &good);
		ok(rc == 0 && good, "gzip, chunk %zu: every line, offset and number", chunks[i]);
	}
	/* two members back to back read as one stream */
	two = malloc(2 * zn);
	{
		size_t hn = tn / 2, an, bn;
		unsigned char *a, *b;

		while (hn < tn && text[hn - 1] != '\n')
			hn++;
		a = gz(text, hn, &an);
		b = gz(text + hn, tn - hn, &bn);
		two = realloc(two, an + bn);
		memcpy(two, a, an);
		memcpy(two + an, b, bn);
		rc = check(two, an + bn, text, tn, 5, &good);
		ok(rc == 0 && good, "two gzip members: one stream of lines");
		free(a);
		free(b);
	}
	/* cut short: the lines before the damage, then 65 */
	rc = check(z, zn / 2, text, tn, 11, &good);
	ok(rc == GHA_DATAERR && good, "gzip cut in half: complete lines first, then error %d", rc);
	rc = check("", 0, "", 0, 0, &good);
	ok(rc == 0 && good, "empty input: no line, no error");
	overlong(1);
	overlong(7);
	overlong(0);
	free(two);
	free(z);
	free(text);
	return tap_done();
}
