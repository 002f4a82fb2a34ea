/* fuzz_ingest.c: the ingest loop gha-bronze and gha-silver share, on one
 * input read as a file (ingest_lr over lr_open_mem): blank lines, records
 * run together as }{ and cut short, documents spread over lines, the
 * event checks, the dedupe, the quarantine. Byte 0 picks the chunk size.
 * Oracles: the counts add up (in = out + rejected + duplicates +
 * filtered), and every quarantine line is valid JSON. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "event.h"
#include "ingest.h"
#include "inmem.h"
#include "json.h"
#include "lineread.h"
#include "quarantine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const size_t chunks[4] = { 7, 509, 4096, 65536 };
static struct ingest g;
static struct quarantine q;
static struct jscan check;
static char qbuf[4 << 20];
static FILE *qfp;

static int
on_event(void *ctx, const struct line *ln, const char *p, size_t n, const struct event *ev)
{
	(void)ctx;
	(void)ln;
	/* keep about half, as a --where filter would */
	return (n + (size_t)ev->created + (size_t)p[n - 1]) % 2;
}

static void
setup(void)
{
	qfp = fmemopen(qbuf, sizeof(qbuf), "w");
	quarantine_init(&q, qfp);
	ingest_init(&g, &q, NULL, 0);
	g.quiet = 1;
	g.on_event = on_event;
	jscan_init(&check, NULL, 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct lineread *lr;
	uint64_t rej0, in0, out0, dups0, filt0;
	long qlen;
	size_t at, vs, ve;

	if (!ready) {
		setup();
		ready = 1;
	}
	if (size < 1)
		return 0;
	/* a fresh dedupe set and stats, the rest kept */
	memset(g.seen.slot, 0, g.seen.cap * sizeof(*g.seen.slot));
	g.seen.n = 0;
	g.files.len = 0;
	g.stop = g.qerr = 0;
	rewind(qfp);
	clearerr(qfp);
	rej0 = q.n, in0 = g.in, out0 = g.out, dups0 = g.dups, filt0 = g.filtered;
	lr = lr_open_mem(data + 1, size - 1, "fuzz", chunks[data[0] % 4]);
	ingest_lr(&g, lr, "fuzz", 1);
	lr_close(lr);
	if (g.f_in != g.f_out + g.f_rej + g.f_dups + g.f_filtered || g.f_rej != q.n - rej0 ||
	    g.in - in0 != g.f_in || g.out - out0 != g.f_out || g.dups - dups0 != g.f_dups ||
	    g.filtered - filt0 != g.f_filtered)
		abort();	/* counts that do not add up */
	if (g.qerr)
		return 0;	/* the memory stream is full: nothing to check */
	fflush(qfp);
	qlen = ftell(qfp);
	for (at = 0; at < (size_t)qlen;) {
		char *nl = memchr(qbuf + at, '\n', (size_t)qlen - at);
		size_t k;

		if (!nl)
			abort();	/* a quarantine record without its newline */
		k = (size_t)(nl - (qbuf + at));
		if (json_scan(&check, qbuf + at, k, 0, &vs, &ve) != (long)k)
			abort();	/* a quarantine record that is not JSON */
		at += k + 1;
	}
	return 0;
}
