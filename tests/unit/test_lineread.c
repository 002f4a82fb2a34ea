/* test_lineread.c: lr_open/lr_next over plain and gzip files. The gzip
 * files are written here with zlib (deflate with a gzip wrapper, or raw
 * deflate with a hand-made header), never with the code under test, and
 * expected lines, offsets and line numbers come from the generated text. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <zlib.h>

#include "gha.h"
#include "lineread.h"
#include "tap.h"
#include "testutil.h"

static char dir[] = "/tmp/gha-test-lineread-XXXXXX";
static char path[4096];
static int fileno_;

static uint64_t rng = 0x853C49E6748FEA9BULL;

static uint32_t
rnd(void)
{
	return (uint32_t)(xorshift(&rng) >> 9);
}

/* ---- building inputs ---- */



static void
putc_(struct bytes *b, int c)
{
	unsigned char x = (unsigned char)c;

	put(b, &x, 1);
}

static void
put_le32(struct bytes *b, uint32_t v)
{
	unsigned char x[4] = { (unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
			       (unsigned char)(v >> 24) };

	put(b, x, 4);
}

/* A gzip member by hand: flags FEXTRA 4, FNAME 8, FCOMMENT 16, FHCRC 2. */
static void
gz_member(struct bytes *out, const void *src, size_t n, int flags, const char *name,
	  size_t extralen, const char *comment)
{
	size_t start = out->n;

	putc_(out, 0x1f);
	putc_(out, 0x8b);
	putc_(out, 8);
	putc_(out, flags);
	put_le32(out, 1420070400);
	putc_(out, 0);
	putc_(out, 3);
	if (flags & 4) {
		size_t i;

		putc_(out, (int)(extralen & 0xff));
		putc_(out, (int)(extralen >> 8));
		for (i = 0; i < extralen; i++)
			putc_(out, (int)('A' + i % 26));
	}
	if (flags & 8)
		put(out, name, strlen(name) + 1);
	if (flags & 16)
		put(out, comment, strlen(comment) + 1);
	if (flags & 2) {
		uLong c = crc32(0, out->p + start, (uInt)(out->n - start));

		putc_(out, (int)(c & 0xff));
		putc_(out, (int)(c >> 8 & 0xff));
	}
	zdeflate(out, src, n, 6, -15);
	put_le32(out, (uint32_t)crc32(0, src, (uInt)n));
	put_le32(out, (uint32_t)n);
}

static const char *
write_file(const void *p, size_t n)
{
	snprintf(path, sizeof(path), "%s/f%d", dir, fileno_++);
	write_bytes(path, p, n);
	return path;
}

/* ---- reading back ---- */

struct got {
	struct bytes all;	/* every line's bytes, concatenated */
	size_t nlines;
	size_t *off, *len;	/* where each line sits in all */
	uint64_t *lineno, *offset;
	int *crlf, *partial;
	int rc;			/* the last lr_next result */
	struct gha_err err;
	int gzip;
	uint64_t in, out;
};

static void
got_free(struct got *g)
{
	free(g->all.p);
	free(g->off);
	free(g->len);
	free(g->lineno);
	free(g->offset);
	free(g->crlf);
	free(g->partial);
	memset(g, 0, sizeof(*g));
}

static int
read_lr(struct lineread *lr, struct got *g)
{
	struct line ln;
	size_t cap = 0;
	int r;

	memset(g, 0, sizeof(*g));
	g->gzip = lr_is_gzip(lr);
	while ((r = lr_next(lr, &ln, &g->err)) == 1) {
		if (g->nlines == cap) {
			cap = cap ? cap * 2 : 1024;
			g->off = realloc(g->off, cap * sizeof(size_t));
			g->len = realloc(g->len, cap * sizeof(size_t));
			g->lineno = realloc(g->lineno, cap * sizeof(uint64_t));
			g->offset = realloc(g->offset, cap * sizeof(uint64_t));
			g->crlf = realloc(g->crlf, cap * sizeof(int));
			g->partial = realloc(g->partial, cap * sizeof(int));
		}
		g->off[g->nlines] = g->all.n;
		g->len[g->nlines] = ln.len;
		g->lineno[g->nlines] = ln.lineno;
		g->offset[g->nlines] = ln.offset;
		g->crlf[g->nlines] = ln.crlf;
		g->partial[g->nlines] = ln.partial;
		put(&g->all, ln.p, ln.len);
		g->nlines++;
	}
	g->rc = r;
	g->in = lr_bytes_in(lr);
	g->out = lr_bytes_out(lr);
	if (r == -1) {	/* after the error, the end */
		struct gha_err e2;

		memset(&e2, 0, sizeof(e2));
		if (lr_next(lr, &ln, &e2) != 0)
			g->rc = -2;
	}
	lr_close(lr);
	return r;
}

static int
read_path(const char *p, struct got *g)
{
	struct gha_err err;
	struct lineread *lr;

	memset(&err, 0, sizeof(err));
	lr = lr_open(p, &err);
	if (!lr) {
		memset(g, 0, sizeof(*g));
		g->rc = -9;
		g->err = err;
		return -9;
	}
	return read_lr(lr, g);
}

/* The lines of text split on LF, a final CR removed; how lineread must
 * see them. */
struct want {
	size_t n;
	size_t *start, *len;	/* in text, CR excluded */
	int *crlf;
};

static void
want_of(const unsigned char *t, size_t n, struct want *w)
{
	size_t i = 0, cap = 1024;

	w->n = 0;
	w->start = malloc(cap * sizeof(size_t));
	w->len = malloc(cap * sizeof(size_t));
	w->crlf = malloc(cap * sizeof(int));
	while (i < n) {
		const unsigned char *nl = memchr(t + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - t) : n;

		if (w->n == cap) {
			cap *= 2;
			w->start = realloc(w->start, cap * sizeof(size_t));
			w->len = realloc(w->len, cap * sizeof(size_t));
			w->crlf = realloc(w->crlf, cap * sizeof(int));
		}
		w->start[w->n] = i;
		w->crlf[w->n] = e > i && t[e - 1] == '\r';
		w->len[w->n] = e - i - (size_t)w->crlf[w->n];
		w->n++;
		i = e + 1;
	}
}

static void
want_free(struct want *w)
{
	free(w->start);
	free(w->len);
	free(w->crlf);
}

/* Compare the first k lines of g with the text; returns the number of
 * mismatches and prints the first. */
static long
compare(const struct got *g, const unsigned char *t, const struct want *w, size_t k, const char *what)
{
	size_t i;
	long bad = 0;

	for (i = 0; i < k && i < g->nlines && i < w->n; i++) {
		int same = g->len[i] == w->len[i] &&
			   (w->len[i] == 0 || !memcmp(g->all.p + g->off[i], t + w->start[i], w->len[i])) &&
			   g->lineno[i] == i + 1 && g->offset[i] == w->start[i] && g->crlf[i] == w->crlf[i];

		if (!same && bad++ == 0)
			printf("# %s: line %zu differs: len %zu/%zu lineno %llu offset %llu/%zu crlf %d/%d\n",
			       what, i + 1, g->len[i], w->len[i], (unsigned long long)g->lineno[i],
			       (unsigned long long)g->offset[i], w->start[i], g->crlf[i], w->crlf[i]);
	}
	return bad;
}

/* Read path, expect exactly the lines of t and a clean end. */
static void
expect_all(const char *p, const void *text, size_t n, int gz, const char *what)
{
	struct got g;
	struct want w;
	long bad;

	want_of(text, n, &w);
	read_path(p, &g);
	bad = compare(&g, text, &w, w.n, what);
	ok(g.rc == 0 && g.nlines == w.n && bad == 0 && g.gzip == gz,
	   "%s: %zu lines as written (got %zu, rc %d, gzip %d%s%s)", what, w.n, g.nlines, g.rc, g.gzip,
	   g.rc ? ": " : "", g.rc ? g.err.msg : "");
	ok(g.out == n, "%s: lr_bytes_out %llu = %zu", what, (unsigned long long)g.out, n);
	{
		size_t i;
		int part = 0;

		for (i = 0; i < g.nlines; i++)
			part |= g.partial[i];
		ok(!part, "%s: no line marked partial", what);
	}
	got_free(&g);
	want_free(&w);
}

static void
expect_both(const void *text, size_t n, const char *what)
{
	struct bytes z = { 0 };
	char w2[200];

	expect_all(write_file(text, n), text, n, 0, what);
	zdeflate(&z, text, n, 6, 31);
	snprintf(w2, sizeof(w2), "%s (gzip)", what);
	expect_all(write_file(z.p, z.n), text, n, 1, w2);
	free(z.p);
}

static int has_offset(const char *msg);

/* ---- the tests ---- */

static void
test_small(void)
{
	struct got g;
	static const char t1[] = "line1\nline22\n\nline4";

	read_path(write_file(t1, sizeof(t1) - 1), &g);
	ok(g.rc == 0 && g.nlines == 4, "plain: 4 lines, the last without newline");
	if (g.nlines == 4) {
		ok(g.len[0] == 5 && !memcmp(g.all.p + g.off[0], "line1", 5) && g.len[1] == 6 &&
		   g.len[2] == 0 && g.len[3] == 5 && !memcmp(g.all.p + g.off[3], "line4", 5),
		   "plain: line contents");
		ok(g.offset[0] == 0 && g.offset[1] == 6 && g.offset[2] == 13 && g.offset[3] == 14,
		   "plain: offsets 0 6 13 14");
		ok(g.lineno[0] == 1 && g.lineno[3] == 4, "plain: line numbers");
	}
	ok(!g.gzip && g.in == 19 && g.out == 19, "plain: not gzip, 19 bytes in and out (%llu, %llu)",
	   (unsigned long long)g.in, (unsigned long long)g.out);
	got_free(&g);

	expect_both(t1, sizeof(t1) - 1, "small text");
	expect_both("a\r\nb\r\n\r\nc\n", 10, "CRLF lines");
	expect_both("x\ry\n\rz\n", 7, "CR inside a line is kept");
	expect_both("\n", 1, "one empty line");
	expect_both("\n\n\n", 3, "three empty lines");
	expect_both("x", 1, "one byte");
	expect_both("\x1f", 1, "one byte that starts the gzip magic");
	expect_both("\x1f\x8c\n", 3, "almost the gzip magic");
	expect_both("a\0b\nc\n", 6, "NUL bytes inside a line");

	/* CRLF details */
	read_path(write_file("a\r\nb\n\r\n", 7), &g);
	ok(g.nlines == 3 && g.crlf[0] == 1 && g.len[0] == 1 && g.crlf[1] == 0 && g.crlf[2] == 1 &&
	   g.len[2] == 0 && g.offset[2] == 5, "crlf flags and lengths");
	got_free(&g);

	/* empty inputs */
	read_path(write_file("", 0), &g);
	ok(g.rc == 0 && g.nlines == 0 && !g.gzip && g.in == 0 && g.out == 0, "empty file: no lines, end");
	got_free(&g);
	{
		struct bytes z = { 0 };

		zdeflate(&z, "", 0, 6, 31);
		read_path(write_file(z.p, z.n), &g);
		ok(g.rc == 0 && g.nlines == 0 && g.gzip && g.in == z.n, "empty gzip member: no lines, end");
		got_free(&g);
		free(z.p);
	}
}

static void
test_random(void)
{
	struct bytes t = { 0 };
	size_t i;

	/* 200000 lines of 0..300 bytes, some CRLF, some with bytes >= 0x80 */
	for (i = 0; i < 200000; i++) {
		size_t n = rnd() % (rnd() % 50 ? 120 : 3000), k;

		for (k = 0; k < n; k++)
			putc_(&t, rnd() % 7 ? 'a' + (int)(rnd() % 26) : (int)(0x80 + rnd() % 128));
		if (rnd() % 5 == 0)
			putc_(&t, '\r');
		putc_(&t, '\n');
	}
	expect_both(t.p, t.n, "200000 random lines");
	{
		struct bytes z = { 0 };

		zdeflate(&z, t.p, t.n, 1, 31);
		expect_all(write_file(z.p, z.n), t.p, t.n, 1, "200000 random lines (gzip -1)");
		free(z.p);
		memset(&z, 0, sizeof(z));
		zdeflate(&z, t.p, t.n, 0, 31);
		expect_all(write_file(z.p, z.n), t.p, t.n, 1, "200000 random lines (stored)");
		free(z.p);
	}
	free(t.p);
}

static void
test_long_line(void)
{
	size_t n = 9 * 1024 * 1024, i;
	struct bytes t = { 0 };
	struct got g;
	int good;

	for (i = 0; i < n; i++)
		putc_(&t, 'a' + (int)(i % 23));
	put(&t, "\nsecond\n", 8);
	expect_both(t.p, t.n, "a 9 MB line then a short one");

	/* and as the only line, without newline */
	read_path(write_file(t.p, n), &g);
	good = g.nlines == 1 && g.len[0] == n && !memcmp(g.all.p, t.p, n);
	ok(good && g.rc == 0, "a 9 MB line without a final newline");
	got_free(&g);
	free(t.p);
}

/* Lines that end right at, just before and just after power-of-two
 * positions, where read and inflate buffers are likely to break. */
static void
test_boundaries(void)
{
	static const size_t edge[] = { 4096, 65536, 131072, 262144, 524288, 1048576, 2097152, 4194304 };
	size_t e, d;

	for (e = 0; e < sizeof(edge) / sizeof(edge[0]); e++) {
		struct bytes t = { 0 };
		char what[100];

		/* a line of edge[e]-1-d bytes, so the LF falls at edge - d, then CRLF
		 * lines that put the CR and LF on each side of the edge */
		for (d = 0; d < 3; d++) {
			size_t len = edge[e] - 1 - d, i;

			t.n = 0;
			for (i = 0; i < len; i++)
				putc_(&t, 'a' + (int)(i % 26));
			putc_(&t, '\n');
			put(&t, "tail\n", 5);
			snprintf(what, sizeof(what), "LF at byte %zu", len);
			expect_both(t.p, t.n, what);

			t.n = 0;
			for (i = 0; i + 1 < len; i++)
				putc_(&t, 'a' + (int)(i % 26));
			put(&t, "\r\n", 2);
			put(&t, "\r\nend\r\n", 7);
			snprintf(what, sizeof(what), "CR LF at bytes %zu-%zu", len - 1, len);
			expect_both(t.p, t.n, what);
		}
		free(t.p);
	}
}

static void
test_multimember(void)
{
	struct bytes z = { 0 }, t = { 0 };
	struct got g;
	int i;

	/* members split mid-line: "a\nb" + "c\nd\n" is "a\nbc\nd\n" */
	zdeflate(&z, "a\nb", 3, 6, 31);
	zdeflate(&z, "c\nd\n", 4, 6, 31);
	expect_all(write_file(z.p, z.n), "a\nbc\nd\n", 7, 1, "two members, split mid-line");

	/* 300 members, some empty */
	z.n = 0;
	for (i = 0; i < 300; i++) {
		char line[64];
		int n = snprintf(line, sizeof(line), "member %d\nmore %d\n", i, i * i);

		if (i % 7 == 3)
			n = 0;
		put(&t, line, (size_t)n);
		zdeflate(&z, line, (size_t)n, i % 10, 31);
	}
	expect_all(write_file(z.p, z.n), t.p, t.n, 1, "300 gzip members");

	/* zero padding after the last member is tolerated */
	{
		size_t k = z.n;
		unsigned char zeros[1000] = { 0 };

		put(&z, zeros, sizeof(zeros));
		expect_all(write_file(z.p, z.n), t.p, t.n, 1, "300 members then zero padding");
		z.n = k;
	}

	/* garbage after the last member: every line, then 65 */
	put(&z, "garbage\n", 8);
	read_path(write_file(z.p, z.n), &g);
	{
		struct want w;

		want_of(t.p, t.n, &w);
		ok(g.nlines == w.n && compare(&g, t.p, &w, w.n, "garbage") == 0 && g.rc == -1 &&
		   g.err.code == GHA_DATAERR, "garbage after the gzip data: all lines, then code 65 (%d: %s)",
		   g.err.code, g.err.msg);
		want_free(&w);
	}
	got_free(&g);
	free(z.p);
	free(t.p);
}

/* Headers with FNAME, FEXTRA, FCOMMENT, FHCRC, including a name long
 * enough to cross any read buffer up to 1 MiB. */
static void
test_headers(void)
{
	static const char text[] = "{\"id\":1}\n{\"id\":2}\n";
	struct bytes z = { 0 };
	char *longname = malloc(1100000);
	int f;

	memset(longname, 'n', 1099999);
	longname[1099999] = '\0';
	for (f = 0; f < 32; f += 2) {
		char what[64];

		z.n = 0;
		gz_member(&z, text, sizeof(text) - 1, f, "2015-01-01-0.json", 300, "a comment");
		snprintf(what, sizeof(what), "gzip header flags 0x%02x", f);
		expect_all(write_file(z.p, z.n), text, sizeof(text) - 1, 1, what);
	}
	z.n = 0;
	gz_member(&z, text, sizeof(text) - 1, 8, longname, 0, NULL);
	expect_all(write_file(z.p, z.n), text, sizeof(text) - 1, 1, "a 1.1 MB FNAME");
	z.n = 0;
	gz_member(&z, text, sizeof(text) - 1, 4, NULL, 65535, NULL);
	gz_member(&z, text, sizeof(text) - 1, 16, NULL, 0, longname);
	{
		char two[64];

		snprintf(two, sizeof(two), "%s%s", text, text);
		expect_all(write_file(z.p, z.n), two, strlen(two), 1, "a 64 KiB FEXTRA, a 1.1 MB comment");
	}
	/* a wrong header CRC is damage */
	z.n = 0;
	gz_member(&z, text, sizeof(text) - 1, 8 | 2, "name", 0, NULL);
	z.p[10 + 5] ^= 0xff;	/* the CRC16 after "name\0" */
	{
		struct got gg;

		read_path(write_file(z.p, z.n), &gg);
		ok(gg.nlines == 0 && gg.rc == -1 && gg.err.code == GHA_DATAERR && has_offset(gg.err.msg),
		   "a wrong FHCRC: no lines, code 65 (%s)", gg.err.msg);
		got_free(&gg);
	}
	/* FHCRC on a header longer than one read: valid (gzip -t agrees) */
	z.n = 0;
	longname[300000] = '\0';
	gz_member(&z, text, sizeof(text) - 1, 8 | 2, longname, 0, NULL);
	expect_all(write_file(z.p, z.n), text, sizeof(text) - 1, 1, "FHCRC after a 300 KB FNAME");
	free(z.p);
	free(longname);
}

/* The second member's header, or the first one's trailer, falls across
 * offsets 262144 and 1048576 of the compressed file. Stored blocks make
 * the compressed size a simple function of the text size. */
static void
test_member_straddle(void)
{
	static const size_t at[] = { 262144, 524288, 1048576 };
	size_t a, k;
	long bad = 0, tried = 0;

	for (a = 0; a < sizeof(at) / sizeof(at[0]); a++) {
		for (k = 1; k <= 20; k++) {
			size_t target = at[a] - k, len = target - 100, i, tries;
			struct bytes z = { 0 }, t = { 0 }, m2 = { 0 };
			struct got g;
			struct want w;

			for (tries = 0; tries < 30; tries++) {
				z.n = 0;
				t.n = 0;
				for (i = 0; i < len; i++)
					putc_(&t, i % 61 == 60 ? '\n' : 'a' + (int)(i % 26));
				zdeflate(&z, t.p, t.n, 0, 31);
				if (z.n == target)
					break;
				len += target - z.n;
			}
			if (z.n != target) {
				free(z.p);
				free(t.p);
				continue;
			}
			tried++;
			zdeflate(&m2, "second member\nline 2\n", 21, 6, 31);
			put(&z, m2.p, m2.n);
			put(&t, "second member\nline 2\n", 21);
			want_of(t.p, t.n, &w);
			read_path(write_file(z.p, z.n), &g);
			if (g.rc != 0 || g.nlines != w.n || compare(&g, t.p, &w, w.n, "straddle")) {
				if (bad++ < 3)
					printf("# member boundary at %zu: rc %d, %zu of %zu lines, %s\n", target,
					       g.rc, g.nlines, w.n, g.err.msg);
			}
			got_free(&g);
			want_free(&w);
			free(z.p);
			free(t.p);
			free(m2.p);
		}
	}
	ok(tried >= 30 && bad == 0, "member boundary at %ld offsets around 256K/512K/1M: all read (%ld bad)",
	   tried, bad);
}

/* zlib's count of the bytes a cut stream still inflates to */
static size_t
zlib_recoverable(const unsigned char *p, size_t n)
{
	z_stream z;
	unsigned char *out = malloc(1 << 20);
	size_t total = 0;
	int rc;

	memset(&z, 0, sizeof(z));
	inflateInit2(&z, 31);
	z.next_in = (Bytef *)(uintptr_t)p;
	z.avail_in = (uInt)n;
	do {
		z.next_out = out;
		z.avail_out = 1 << 20;
		rc = inflate(&z, Z_SYNC_FLUSH);
		total += (1 << 20) - z.avail_out;
	} while (rc == Z_OK && (z.avail_in > 0 || z.avail_out == 0));
	inflateEnd(&z);
	free(out);
	return total;
}

static int
has_offset(const char *msg)
{
	const char *b = strstr(msg, "byte");

	while (b) {
		const char *q = b + 4;

		while (*q == ' ')
			q++;
		if (*q >= '0' && *q <= '9')
			return 1;
		b = strstr(b + 1, "byte");
	}
	return 0;
}

static void
test_truncated(void)
{
	struct bytes t = { 0 }, z = { 0 };
	struct want w;
	size_t i, cut;
	static const size_t cuts[] = { 1, 2, 4, 7, 8, 9, 12, 100, 1000, 50000, 0 };

	for (i = 0; i < 60000; i++) {
		char line[80];
		int n = snprintf(line, sizeof(line), "{\"id\":%zu,\"v\":\"%u\"}\n", i, rnd());

		put(&t, line, (size_t)n);
	}
	zdeflate(&z, t.p, t.n, 6, 31);
	want_of(t.p, t.n, &w);

	for (cut = 0; cut < sizeof(cuts) / sizeof(cuts[0]); cut++) {
		size_t c = cuts[cut] ? cuts[cut] : z.n / 2, keep = z.n - c, rec, complete = 0, j;
		struct got g;
		long bad;
		int last_partial_ok = 1;

		rec = zlib_recoverable(z.p, keep);
		for (j = 0; j < w.n && w.start[j] + w.len[j] < rec; j++)
			complete++;
		read_path(write_file(z.p, keep), &g);
		/* the complete lines, maybe one cut-short line marked partial */
		bad = compare(&g, t.p, &w, complete, "truncated");
		if (g.nlines > complete) {
			size_t x = complete;

			if (g.nlines != complete + 1 || !g.partial[x] || g.len[x] > w.len[x] ||
			    (g.len[x] && memcmp(g.all.p + g.off[x], t.p + w.start[x], g.len[x])) ||
			    g.offset[x] != w.start[x])
				last_partial_ok = 0;
		}
		for (j = 0; j < complete && j < g.nlines; j++)
			if (g.partial[j])
				last_partial_ok = 0;
		ok(g.nlines >= complete && bad == 0 && last_partial_ok,
		   "cut %zu bytes: the %zu complete lines, then at most one partial (got %zu)", c, complete,
		   g.nlines);
		if (c <= 8)
			ok(g.nlines == w.n && (g.nlines == 0 || !g.partial[g.nlines - 1]),
			   "cut %zu bytes of the trailer: every line delivered whole", c);
		ok(g.rc == -1 && g.err.code == GHA_DATAERR && has_offset(g.err.msg),
		   "cut %zu bytes: then -1, code 65, message with a byte offset (%d: %s)", c, g.err.code,
		   g.err.msg);
		got_free(&g);
	}

	/* cut inside the first member's header */
	{
		struct got g;

		read_path(write_file(z.p, 2), &g);
		ok(g.nlines == 0 && g.rc == -1 && g.err.code == GHA_DATAERR,
		   "only the two magic bytes: no lines, code 65 (%s)", g.err.msg);
		got_free(&g);
		read_path(write_file(z.p, 7), &g);
		ok(g.nlines == 0 && g.rc == -1 && g.err.code == GHA_DATAERR, "cut in the header: code 65");
		got_free(&g);
	}

	/* a cut second member: the first member's lines all come through */
	{
		struct bytes z2 = { 0 };
		struct got g;

		zdeflate(&z2, "one\ntwo\n", 8, 6, 31);
		put(&z2, z.p, z.n - 20);
		read_path(write_file(z2.p, z2.n), &g);
		ok(g.nlines >= 2 && g.len[0] == 3 && g.len[1] == 3 && g.rc == -1 &&
		   g.err.code == GHA_DATAERR && has_offset(g.err.msg),
		   "a cut second member: first member's lines, then 65 (%s)", g.err.msg);
		got_free(&g);
		free(z2.p);
	}
	want_free(&w);
	free(t.p);
	free(z.p);
}

static void
test_corrupt(void)
{
	struct bytes t = { 0 }, z = { 0 };
	struct want w;
	size_t i;
	static const struct { long at; const char *what; } flips[] = {
		{ -8, "first CRC byte" }, { -5, "last CRC byte" }, { -4, "first ISIZE byte" },
		{ -1, "last ISIZE byte" }, { 0, "a byte in the middle of the deflate data" },
		{ 3, "FLG (reserved bit)" },
	};

	for (i = 0; i < 20000; i++) {
		char line[80];
		int n = snprintf(line, sizeof(line), "{\"id\":%zu,\"v\":\"%u\"}\r\n", i, rnd() % 1000);

		put(&t, line, (size_t)n);
	}
	zdeflate(&z, t.p, t.n, 9, 31);
	want_of(t.p, t.n, &w);
	for (i = 0; i < sizeof(flips) / sizeof(flips[0]); i++) {
		unsigned char *c = malloc(z.n);
		size_t at = flips[i].at < 0 ? z.n - (size_t)-flips[i].at : flips[i].at ? (size_t)flips[i].at : z.n / 2;
		struct got g;

		memcpy(c, z.p, z.n);
		c[at] ^= flips[i].at == 3 ? 0x80 : 0xff;
		read_path(write_file(c, z.n), &g);
		ok(g.rc == -1 && g.err.code == GHA_DATAERR && has_offset(g.err.msg),
		   "flipped %s: -1 with code 65 and an offset (rc %d, %d: %s)", flips[i].what, g.rc,
		   g.err.code, g.err.msg);
		if (flips[i].at < 0)	/* the data itself is intact: every line first */
			ok(g.nlines == w.n && compare(&g, t.p, &w, w.n, "crc") == 0,
			   "flipped %s: every line delivered first (%zu of %zu)", flips[i].what, g.nlines, w.n);
		ok(g.rc != -2, "flipped %s: the error is reported once, then the end", flips[i].what);
		got_free(&g);
		free(c);
	}
	want_free(&w);
	free(t.p);
	free(z.p);
}

static void
test_open_errors(void)
{
	struct gha_err err;
	struct lineread *lr;
	char p[4200];

	memset(&err, 0, sizeof(err));
	snprintf(p, sizeof(p), "%s/does-not-exist.json.gz", dir);
	lr = lr_open(p, &err);
	ok(lr == NULL && err.code == GHA_NOINPUT && strstr(err.msg, "does-not-exist"),
	   "missing file: NULL, code 66, message names it (%s)", err.msg);
	lr_close(lr);

	memset(&err, 0, sizeof(err));
	lr = lr_open(dir, &err);
	if (lr) {
		struct got g;

		read_lr(lr, &g);
		ok(g.rc == -1 && (g.err.code == GHA_NOINPUT || g.err.code == GHA_IOERR),
		   "a directory fails on read (%d: %s)", g.err.code, g.err.msg);
		got_free(&g);
	} else {
		ok(err.code == GHA_NOINPUT || err.code == GHA_IOERR, "a directory: NULL, code 66 or 74 (%d: %s)",
		   err.code, err.msg);
	}

	if (geteuid() != 0) {
		const char *f = write_file("x\n", 2);

		chmod(f, 0);
		memset(&err, 0, sizeof(err));
		lr = lr_open(f, &err);
		ok(lr == NULL && err.code == GHA_NOINPUT, "unreadable file: code 66");
		lr_close(lr);
	}
}

static void
test_stdin(void)
{
	static const char text[] = "from\nstdin\r\n";
	struct bytes z = { 0 };
	int saved = dup(0), fd;
	struct gha_err err;
	struct lineread *lr;
	struct got g;

	fd = open(write_file(text, sizeof(text) - 1), O_RDONLY);
	dup2(fd, 0);
	close(fd);
	memset(&err, 0, sizeof(err));
	lr = lr_open("-", &err);
	ok(lr != NULL, "lr_open(\"-\") reads stdin");
	if (lr) {
		read_lr(lr, &g);
		ok(g.rc == 0 && g.nlines == 2 && g.len[0] == 4 && g.len[1] == 5 && g.crlf[1],
		   "stdin: two lines");
		got_free(&g);
	}
	ok(fcntl(0, F_GETFD) != -1, "stdin is not closed by lr_close");

	zdeflate(&z, text, sizeof(text) - 1, 6, 31);
	fd = open(write_file(z.p, z.n), O_RDONLY);
	dup2(fd, 0);
	close(fd);
	lr = lr_open(NULL, &err);
	ok(lr != NULL, "lr_open(NULL) reads stdin");
	if (lr) {
		read_lr(lr, &g);
		ok(g.rc == 0 && g.nlines == 2 && g.gzip, "stdin: gzip detected by magic, two lines");
		got_free(&g);
	}
	free(z.p);

	/* a pipe that delivers one byte at a time */
	{
		int pfd[2];
		pid_t pid;

		if (pipe(pfd) == 0 && (pid = fork()) == 0) {
			size_t i;

			close(pfd[0]);
			memset(&z, 0, sizeof(z));
			gz_member(&z, "slow\n", 5, 2 | 4 | 8 | 16, "name", 5, "comment");
			gz_member(&z, "pipe\n", 5, 2 | 8, "second", 0, NULL);
			for (i = 0; i < z.n; i++) {
				if (write(pfd[1], z.p + i, 1) != 1)
					_exit(1);
				usleep(200);
			}
			_exit(0);
		}
		close(pfd[1]);
		dup2(pfd[0], 0);
		close(pfd[0]);
		lr = lr_open("-", &err);
		if (lr) {
			read_lr(lr, &g);
			ok(g.rc == 0 && g.nlines == 2 && g.gzip && g.len[0] == 4,
			   "gzip from a pipe, one byte per write, two members with full headers");
			got_free(&g);
		} else {
			ok(0, "gzip from a pipe");
		}
		while (wait(NULL) > 0)
			;
	}
	dup2(saved, 0);
	close(saved);
}

/* Closing early, with the reader thread blocked on a full ring. */
static void
test_early_close(void)
{
	struct bytes t = { 0 }, z = { 0 };
	struct gha_err err;
	struct lineread *lr;
	struct line ln;
	size_t i;
	int k, fds0 = open_fds();

	for (i = 0; i < 200000; i++)
		put(&t, "0123456789012345678901234567890123456789\n", 41);
	zdeflate(&z, t.p, t.n, 1, 31);
	for (k = 0; k < 2; k++) {
		const char *f = k ? write_file(z.p, z.n) : write_file(t.p, t.n);

		lr = lr_open(f, &err);
		if (!lr) {
			ok(0, "open for early close");
			continue;
		}
		ok(lr_next(lr, &ln, &err) == 1 && ln.len == 40, "%s: one line read", k ? "gzip" : "plain");
		usleep(100000);	/* let the reader fill the ring */
		lr_close(lr);
		ok(open_fds() == fds0, "%s: closed after one line of 8 MB: no descriptor left (%d, was %d)",
		   k ? "gzip" : "plain", open_fds(), fds0);
	}
	lr = lr_open(write_file(t.p, t.n), &err);
	ok(lr && open_fds() > fds0, "open: a descriptor more");
	lr_close(lr);
	ok(open_fds() == fds0, "closed before reading anything: no descriptor left");
	free(t.p);
	free(z.p);
}

static void
test_gzip_tool(void)
{
	static const char text[] = "made by\ngzip(1)\n";
	char cmd[8300];
	const char *f = write_file(text, sizeof(text) - 1);
	char gz[4200];

	snprintf(cmd, sizeof(cmd), "gzip -9 -c '%s' > '%s.gz' && cat '%s.gz' '%s.gz' > '%s.2.gz'", f, f,
		 f, f, f);
	if (system(cmd) != 0) {
		ok(1, "# SKIP gzip(1) not usable");
		return;
	}
	snprintf(gz, sizeof(gz), "%s.gz", f);
	expect_all(gz, text, sizeof(text) - 1, 1, "a file from gzip(1)");
	snprintf(gz, sizeof(gz), "%s.2.gz", f);
	expect_all(gz, "made by\ngzip(1)\nmade by\ngzip(1)\n", 32, 1, "cat of two gzip(1) files");
}

static void
cleanup(void)
{
	rmtree(dir);
}

int
main(void)
{
	if (!mkdtemp(dir)) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	alarm(600);	/* a hang is a failure */
	test_small();
	test_random();
	test_long_line();
	test_boundaries();
	test_multimember();
	test_headers();
	test_member_straddle();
	test_truncated();
	test_corrupt();
	test_open_errors();
	test_stdin();
	test_early_close();
	test_gzip_tool();
	cleanup();
	return tap_done();
}
