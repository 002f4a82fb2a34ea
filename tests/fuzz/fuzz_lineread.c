/* fuzz_lineread.c: the line reader over plain and gzip bytes, in memory
 * (lr_open_mem), read in chunks the input chooses. Byte 0 picks the mode,
 * byte 1 the chunk size and a line limit (lr_set_maxline), or none:
 *   mode 0: the bytes as they are (gzip if they start with its magic);
 *           plain bytes must give exactly the lines a memchr split gives
 *   mode 1: the bytes deflated here by zlib into a gzip member: the lines
 *           must be those of the plain bytes, offsets and numbers included
 *   mode 2: the bytes behind a fixed gzip header: a mutated deflate stream
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "gha.h"
#include "inmem.h"
#include "lineread.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const size_t chunks[8] = { 1, 2, 3, 7, 64, 509, 4096, 65536 };
static unsigned char *zbuf;
static size_t zcap;

/* a small window and little memory: set up once, reset per input */
static size_t
deflate_gz(const uint8_t *p, size_t n)
{
	static z_stream z;
	static int ready;
	size_t need = compressBound((uLong)n) + 64;

	if (need > zcap) {
		zbuf = xrealloc(zbuf, need);
		zcap = need;
	}
	if (!ready && deflateInit2(&z, 1, Z_DEFLATED, 16 + 9, 1, Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	ready = 1;
	deflateReset(&z);
	z.next_in = (unsigned char *)(uintptr_t)p;
	z.avail_in = (uInt)n;
	z.next_out = zbuf;
	z.avail_out = (uInt)zcap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		abort();
	return z.total_out;
}

/* Read everything; with want, each line must be the next of want[0..wn):
 * split at '\n', a CR before it removed, the last line without one. */
static size_t maxline = LR_MAXLINE, keep = LR_KEEP;

static void
drain(const void *p, size_t n, size_t chunk, const uint8_t *want, size_t wn)
{
	struct gha_err err = { 0, "" };
	struct lineread *lr = lr_open_mem(p, n, "fuzz", chunk);
	struct line ln;
	size_t at = 0;
	uint64_t no = 0;
	int r;

	lr_set_maxline(lr, maxline, keep);
	while ((r = lr_next(lr, &ln, &err)) > 0) {
		if (ln.len && !ln.p)
			abort();
		if (want) {
			const uint8_t *nl = memchr(want + at, '\n', wn - at);
			size_t k = nl ? (size_t)(nl - (want + at)) : wn - at;
			int cr = k > 0 && want[at + k - 1] == '\r';

			/* over the limit (CR included): its first keep bytes */
			int over = k > maxline;
			size_t len = over ? keep : k - (size_t)cr;

			if (at >= wn || ln.partial || ln.lineno != ++no || ln.offset != at ||
			    ln.crlf != cr || ln.overlong != over || ln.len != len ||
			    ln.size != k - (size_t)cr || memcmp(ln.p, want + at, ln.len))
				abort();
			at += k + 1;
		}
	}
	if (want && (r < 0 || at < wn))
		abort();	/* good bytes: every line, and no error */
	if (r < 0 && err.code != GHA_DATAERR)
		abort();	/* memory has no read errors */
	if (lr_bytes_in(lr) > n)
		abort();
	lr_close(lr);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned char hdr[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
	int mode;
	size_t chunk, zn;
	unsigned char *g;

	if (size < 2)
		return 0;
	mode = data[0] % 3;
	chunk = chunks[data[1] % 8];
	/* half the inputs with a line limit of 1 to 64 bytes */
	maxline = data[1] & 0x80 ? 1 + (data[0] >> 2) % 64 : LR_MAXLINE;
	keep = data[1] & 0x80 ? 1 + (data[1] >> 3) % maxline : LR_KEEP;
	data += 2;
	size -= 2;
	switch (mode) {
	case 0:
		drain(data, size, chunk,
		      size >= 2 && data[0] == 0x1f && data[1] == 0x8b ? NULL : data, size);
		break;
	case 1:
		zn = deflate_gz(data, size);
		drain(zbuf, zn, chunk, data, size);
		break;
	default:
		g = xmalloc(size + sizeof(hdr));
		memcpy(g, hdr, sizeof(hdr));
		memcpy(g + sizeof(hdr), data, size);
		drain(g, size + sizeof(hdr), chunk, NULL, 0);
		free(g);
		break;
	}
	return 0;
}
