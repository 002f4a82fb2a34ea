/* test_ingest.c: the validating read loop: every record is counted once
 * (in = out + rejected + duplicates + filtered), records run together
 * as }{ are split, rejects reach the quarantine with their line, offset
 * and code, and files with no valid event fail. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include <zlib.h>

#include "gha.h"
#include "counter.h"
#include "dedupe.h"
#include "event.h"
#include "ingest.h"
#include "json.h"
#include "lineread.h"
#include "quarantine.h"
#include "tap.h"
#include "testutil.h"

static char dir[] = "/tmp/gha-test-ingest-XXXXXX";

/* memmem is a GNU extension; a plain one here */
static const char *
find(const char *h, size_t hn, const char *needle, size_t nn)
{
	size_t i;

	for (i = 0; i + nn <= hn; i++)
		if (!memcmp(h + i, needle, nn))
			return h + i;
	return NULL;
}

struct seen {
	int n;
	uint64_t lineno[32], offset[32];
	char id[32][24];
};

static int
on_event(void *ctx, const struct line *ln, const char *p, size_t n, const struct event *ev)
{
	struct seen *s = ctx;
	const char *id = find(p, n, "\"id\":\"", 6);

	(void)ev;
	if (find(p, n, "FilteredEvent", 13))
		return 0;
	if (s->n < 32) {
		s->lineno[s->n] = ln->lineno;
		s->offset[s->n] = ln->offset;
		if (id) {
			const char *q = memchr(id + 6, '"', (size_t)(p + n - (id + 6)));

			snprintf(s->id[s->n], sizeof(s->id[0]), "%.*s", (int)(q - id - 6), id + 6);
		}
		s->n++;
	}
	return 1;
}

#define EV(id, type, t) "{\"id\":\"" id "\",\"type\":\"" type "\",\"actor\":{\"id\":1},\"repo\":{\"id\":2}," \
			"\"created_at\":\"" t "\"}"

static const char *
write_file(const char *name, const void *p, size_t n)
{
	static char path[4200];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	write_bytes(path, p, n);
	return path;
}

/* the quarantine line for a given line number, or NULL */
static const char *
qline(const char *q, size_t qn, uint64_t lineno, size_t *len)
{
	char want[40];
	const char *p = q, *end = q + qn;
	int wn = snprintf(want, sizeof(want), "\"line\":%llu,", (unsigned long long)lineno);

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (find(p, n, want, (size_t)wn)) {
			*len = n;
			return p;
		}
		p += n + 1;
	}
	return NULL;
}

int
main(void)
{
	static const char text[] =
	    EV("1", "PushEvent", "2015-01-01T00:00:00Z") "\n"			/* 1: out */
	    EV("2", "PushEvent", "2015-01-01T00:00:01Z") "\r\n"			/* 2: out */
	    EV("1", "WatchEvent", "2015-01-01T00:00:00Z") "\n"			/* 3: duplicate */
	    "   \t\n"								/* 4: blank */
	    "{\"id\":\n"							/* 5: json */
	    "[1,2]\n"								/* 6: not-object */
	    EV("3", "PushEvent", "2015-01-01T00:00:02Z") EV("4", "PushEvent", "2015-01-01T00:00:03Z") "\n"
	    "\xef\xbb\xbf" EV("9", "PushEvent", "2015-01-01T00:00:04Z") "\n"	/* 8: bom */
	    EV("5", "FilteredEvent", "2015-01-01T00:00:05Z") "\n"		/* 9: filtered */
	    "{\"a\":\"\\x\",\"b\":\"..............................\"}\n"	/* 10: json, bad escape */
	    "{\"type\":\"X\",\"s\":\"\xff\"}\n"					/* 11: utf8 */
	    "{\"id\":\"6\",\"type\":\"X\",\"created_at\":\"2015-01-01T00:00:00Z\"}\n"	/* 12: missing-field */
	    "\n";								/* 13: blank */
	struct quarantine q;
	struct ingest g;
	struct seen s;
	char *qout = NULL;
	size_t qlen = 0, n;
	FILE *qfp;
	int r, saved_err, devnull;
	const char *l;

	if (!mkdtemp(dir)) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	memset(&s, 0, sizeof(s));
	qfp = open_memstream(&qout, &qlen);
	quarantine_init(&q, qfp);
	ingest_init(&g, &q, NULL, 0);
	g.on_event = on_event;
	g.ctx = &s;
	g.quiet = 1;
	r = ingest_file(&g, write_file("hour.json", text, sizeof(text) - 1));
	fclose(qfp);
	ok(r == GHA_OK, "ingest_file returns 0 (%d)", r);
	ok(g.out == 4 && s.n == 4, "4 events out (%llu)", (unsigned long long)g.out);
	ok(g.dups == 1, "1 duplicate (%llu)", (unsigned long long)g.dups);
	ok(g.filtered == 1, "1 filtered (%llu)", (unsigned long long)g.filtered);
	ok(q.n == 6, "6 rejected (%llu)", (unsigned long long)q.n);
	ok(g.blank == 2, "2 blank lines (%llu)", (unsigned long long)g.blank);
	ok(g.in == 12 && g.in == g.out + q.n + g.dups + g.filtered,
	   "in = out + rejected + duplicates + filtered = 12 (%llu)", (unsigned long long)g.in);
	{
		struct buf b;

		buf_init(&b);
		counter_json(&q.bycode, &b);
		ok(!strcmp(b.p, "{\"bom\":1,\"json\":2,\"missing-field\":1,\"not-object\":1,\"utf8\":1}"),
		   "rejects by code (%s)", b.p);
		buf_free(&b);
	}
	ok(s.n == 4 && !strcmp(s.id[0], "1") && !strcmp(s.id[1], "2") && !strcmp(s.id[2], "3") &&
	   !strcmp(s.id[3], "4"), "events in order 1 2 3 4");
	ok(s.lineno[2] == 7 && s.lineno[3] == 7, "both halves of a }{ line are from line 7");
	ok(s.lineno[0] == 1 && s.offset[0] == 0 && s.lineno[1] == 2 && s.offset[1] == strlen(EV("1", "PushEvent", "2015-01-01T00:00:00Z")) + 1,
	   "line numbers and offsets of events");

	/* the quarantine holds each reject with its line */
	l = qline(qout, qlen, 5, &n);
	ok(l && find(l, n, "\"code\":\"json\"", 13) && find(l, n, "\"offset\":", 9), "line 5 quarantined as json");
	l = qline(qout, qlen, 6, &n);
	ok(l && find(l, n, "\"code\":\"not-object\"", 19), "line 6 quarantined as not-object");
	l = qline(qout, qlen, 8, &n);
	ok(l && find(l, n, "\"code\":\"bom\"", 12), "line 8 quarantined as bom");
	l = qline(qout, qlen, 11, &n);
	ok(l && find(l, n, "\"code\":\"utf8\"", 13) && find(l, n, "raw_base64", 10),
	   "line 11 quarantined as utf8, raw in base64");
	l = qline(qout, qlen, 12, &n);
	ok(l && find(l, n, "\"code\":\"missing-field\"", 22), "line 12 quarantined as missing-field");
	/* the reason gives the column of the fault: the backslash is column 7 */
	l = qline(qout, qlen, 10, &n);
	{
		const char *c = l ? find(l, n, "at column ", 10) : NULL;
		long col = c ? strtol(c + 10, NULL, 10) : -1;

		ok(c && col >= 6 && col <= 8, "a bad escape is reported at its column, 7 (got %ld)", col);
	}
	{
		struct buf b;
		struct jscan js;
		size_t vs, ve;

		buf_init(&b);
		ingest_stats_json(&g, &b);	/* members, each followed by a comma */
		buf_adds(&b, "\"end\":0}");
		{
			struct buf w;

			buf_init(&w);
			buf_addc(&w, '{');
			buf_add(&w, b.p, b.len);
			jscan_init(&js, NULL, 0);
			ok(json_scan(&js, w.p, w.len, 0, &vs, &ve) == (long)w.len, "ingest_stats_json members are valid JSON");
			jscan_free(&js);
			buf_free(&w);
		}
		ok(strstr(b.p, "\"records_in\":12,\"records_out\":4,\"rejected\":6,\"duplicates\":1,\"filtered\":1,"
			       "\"blank_lines\":2") != NULL, "stats counts");
		buf_free(&b);
	}
	ingest_free(&g);
	quarantine_free(&q);
	free(qout);

	/* without dedupe the duplicate goes out */
	memset(&s, 0, sizeof(s));
	quarantine_init(&q, NULL);
	ingest_init(&g, &q, NULL, 0);
	g.on_event = on_event;
	g.ctx = &s;
	g.quiet = 1;
	g.dedupe = 0;
	ingest_file(&g, write_file("hour.json", text, sizeof(text) - 1));
	ok(g.out == 5 && g.dups == 0 && g.in == g.out + q.n + g.filtered, "dedupe off: 5 out, no duplicates");
	/* duplicates across files count too */
	g.dedupe = 1;
	dedupe_free(&g.seen);
	dedupe_init(&g.seen);
	g.in = g.out = g.filtered = g.dups = 0;
	ingest_file(&g, write_file("a.json", EV("77", "X", "2015-01-01T00:00:00Z") "\n", sizeof(EV("77", "X", "2015-01-01T00:00:00Z"))));
	ingest_file(&g, write_file("b.json", EV("77", "X", "2015-01-01T00:00:00Z") "\n", sizeof(EV("77", "X", "2015-01-01T00:00:00Z"))));
	ok(g.out == 1 && g.dups == 1, "the same event in two files: one out, one duplicate");
	ingest_free(&g);
	quarantine_free(&q);

	/* a file with no valid event, a missing file, a damaged gzip; their
	 * warnings go to stderr whatever quiet says, so hide them here */
	fflush(stderr);
	saved_err = dup(2);
	devnull = open("/dev/null", O_WRONLY);
	dup2(devnull, 2);
	close(devnull);
	quarantine_init(&q, NULL);
	ingest_init(&g, &q, NULL, 0);
	g.on_event = on_event;
	g.ctx = &s;
	g.quiet = 1;
	r = ingest_file(&g, write_file("junk.txt", "hello\nworld\n", 12));
	ok(r == GHA_DATAERR && q.n == 2, "a file of non-JSON: 65, two rejects (%d)", r);
	{
		char p[4300];

		snprintf(p, sizeof(p), "%s/missing.json.gz", dir);
		r = ingest_file(&g, p);
		ok(r == GHA_NOINPUT, "a missing file: 66 (%d)", r);
	}
	{
		static char big[200000];
		size_t k = 0;
		uLongf zn = compressBound(sizeof(big)) + 64;
		unsigned char *zb = malloc(zn);
		z_stream z;
		uint64_t before = q.n, out0 = g.out;
		int id = 100;

		while (k + 200 < sizeof(big)) {
			int w = snprintf(big + k, sizeof(big) - k,
					 "{\"id\":\"%d\",\"type\":\"X\",\"actor\":{},\"repo\":{},\"created_at\":\"2015-01-01T00:00:00Z\"}\n",
					 id++);

			k += (size_t)w;
		}
		memset(&z, 0, sizeof(z));
		deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
		z.next_in = (Bytef *)big;
		z.avail_in = (uInt)k;
		z.next_out = zb;
		z.avail_out = (uInt)zn;
		deflate(&z, Z_FINISH);
		zn = z.total_out;
		deflateEnd(&z);
		/* cut the gzip in the middle of the data */
		r = ingest_file(&g, write_file("cut.json.gz", zb, zn / 2));
		ok(r == GHA_DATAERR, "a cut gzip file: 65 (%d)", r);
		{
			/* what the cut stream holds, told by zlib here: every
			 * whole line goes out, the cut-short last one is the one
			 * reject */
			static unsigned char plain[sizeof(big)];
			z_stream u;
			uint64_t lines = 0;
			size_t i;
			int tail;

			memset(&u, 0, sizeof(u));
			inflateInit2(&u, 31);
			u.next_in = zb;
			u.avail_in = (uInt)(zn / 2);
			u.next_out = plain;
			u.avail_out = sizeof(plain);
			inflate(&u, Z_SYNC_FLUSH);
			for (i = 0; i < u.total_out; i++)
				lines += plain[i] == '\n';
			tail = u.total_out > 0 && plain[u.total_out - 1] != '\n';
			inflateEnd(&u);
			ok(lines > 0 && tail && g.out - out0 == lines,
			   "its %llu complete records still go out (%llu)", (unsigned long long)lines,
			   (unsigned long long)(g.out - out0));
			ok(q.n == before + 1, "one reject for the cut-short line (%llu)",
			   (unsigned long long)(q.n - before));
		}
		{
			struct buf b;

			buf_init(&b);
			counter_json(&q.bycode, &b);
			ok(strstr(b.p, "\"truncated\":1") != NULL,
			   "a cut-short last line is rejected as truncated (%s)", b.p);
			buf_free(&b);
		}
		free(zb);
	}
	ingest_free(&g);
	quarantine_free(&q);
	fflush(stderr);
	dup2(saved_err, 2);
	close(saved_err);
	rmtree(dir);
	return tap_done();
}
