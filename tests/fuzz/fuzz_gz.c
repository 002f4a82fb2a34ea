/* fuzz_gz.c: the gzip checker gha-fetch runs as bytes arrive (gzcheck,
 * and gzhdr under it) on arbitrary bytes in arbitrary chunks. Byte 0
 * seeds the chunk sizes, byte 1 picks the mode:
 *   0: the bytes as they are; when they start as gzip, the line reader
 *      must agree: the checker passes them if and only if the reader
 *      reads them to the end without error, to the same length
 *   1: the bytes deflated here by zlib: they must pass, their length
 *      the uncompressed size */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "gha.h"
#include "gz.h"
#include "inmem.h"
#include "lineread.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct gzcheck chk;

/* feed p[0..n) in chunks of 1 to 64 bytes, or larger, from seed */
static int
check(const uint8_t *p, size_t n, unsigned seed, uint64_t *usize)
{
	struct gha_err err;
	char sha[65];
	size_t pos = 0;
	uint32_t x = seed * 2654435761u + 1;

	gzcheck_reset(&chk);
	while (pos < n) {
		size_t k;

		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		k = x % 8 == 0 ? n - pos : 1 + x % 64;
		if (k > n - pos)
			k = n - pos;
		if (gzcheck_feed(&chk, p + pos, k) < 0)
			break;
		pos += k;
	}
	*usize = 0;
	return gzcheck_finish(&chk, sha, usize, &err);
}

/* the line reader's view: 0 and the bytes it delivered, or -1 */
static int
read_all(const uint8_t *p, size_t n, uint64_t *out)
{
	struct gha_err err;
	struct lineread *lr = lr_open_mem(p, n, "fuzz", 4096);
	struct line ln;
	int r;

	while ((r = lr_next(lr, &ln, &err)) > 0)
		;
	*out = lr_bytes_out(lr);
	lr_close(lr);
	return r;
}

static size_t
deflate_gz(const uint8_t *p, size_t n, unsigned char **out)
{
	static z_stream z;
	static int ready;
	static unsigned char *zbuf;
	static size_t zcap;
	size_t need = compressBound((uLong)n) + 64;

	if (need > zcap)
		zbuf = xrealloc(zbuf, zcap = need);
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
	*out = zbuf;
	return z.total_out;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	unsigned seed;
	uint64_t usize, lrsize;
	unsigned char *z;
	size_t zn;
	int ok, lrok;

	if (!ready) {
		gzcheck_init(&chk);
		ready = 1;
	}
	if (size < 2)
		return 0;
	seed = data[0];
	if (data[1] % 2) {
		zn = deflate_gz(data + 2, size - 2, &z);
		if (check(z, zn, seed, &usize) || usize != size - 2)
			abort();
		return 0;
	}
	data += 2;
	size -= 2;
	ok = check(data, size, seed, &usize) == 0;
	if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
		lrok = read_all(data, size, &lrsize) == 0;
		if (ok != lrok || (ok && lrsize != usize))
			abort();
	}
	return 0;
}
