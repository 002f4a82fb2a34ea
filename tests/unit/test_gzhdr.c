/* test_gzhdr.c: the incremental gzip member header parser (RFC 1952
 * section 2.3), fed whole, byte by byte, and in every two-piece split.
 * Headers are built by hand here; the header CRC is zlib's crc32. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "gha.h"
#include "gzhdr.h"
#include "tap.h"

#define FTEXT 1
#define FHCRC 2
#define FEXTRA 4
#define FNAME 8
#define FCOMMENT 16

/* A header with the given flags, then "DEFLATE" bytes that must not be
 * consumed. Returns the header length; *total includes the tail. */
static size_t
build(unsigned char *b, int flg, size_t xlen, const char *name, const char *comment, int good_crc,
      size_t *total)
{
	size_t n = 0, i;

	b[n++] = 0x1f;
	b[n++] = 0x8b;
	b[n++] = 8;
	b[n++] = (unsigned char)flg;
	b[n++] = 0x80;	/* MTIME */
	b[n++] = 0x4a;
	b[n++] = 0xa5;
	b[n++] = 0x54;
	b[n++] = 0;	/* XFL */
	b[n++] = 3;	/* OS */
	if (flg & FEXTRA) {
		b[n++] = (unsigned char)(xlen & 0xff);
		b[n++] = (unsigned char)(xlen >> 8);
		for (i = 0; i < xlen; i++)
			b[n++] = (unsigned char)(i * 7);	/* zeros and 0x1f included */
	}
	if (flg & FNAME) {
		memcpy(b + n, name, strlen(name) + 1);
		n += strlen(name) + 1;
	}
	if (flg & FCOMMENT) {
		memcpy(b + n, comment, strlen(comment) + 1);
		n += strlen(comment) + 1;
	}
	if (flg & FHCRC) {
		uLong c = crc32(0, b, (uInt)n);

		if (!good_crc)
			c ^= 1;
		b[n++] = (unsigned char)(c & 0xff);
		b[n++] = (unsigned char)(c >> 8 & 0xff);
	}
	memcpy(b + n, "DEFLATE", 7);
	*total = n + 7;
	return n;
}

/* Feed b[0..total) in pieces of at most step bytes (0: split once at
 * cut); returns the bytes consumed when the header is done, or -1. */
static long
feed(const unsigned char *b, size_t total, size_t step, size_t cut, const char **why)
{
	struct gzhdr h;
	size_t off = 0;

	gzhdr_init(&h);
	*why = NULL;
	while (off < total && !gzhdr_done(&h)) {
		size_t k = step ? step : (off < cut ? cut - off : total - off);
		long r;

		if (k > total - off)
			k = total - off;
		r = gzhdr_feed(&h, b + off, k, why);
		if (r < 0)
			return -1;
		if ((size_t)r > k)
			return -2;
		off += (size_t)r;
		if (!gzhdr_done(&h) && (size_t)r != k)
			return -3;	/* stopped early without finishing */
	}
	return gzhdr_done(&h) ? (long)off : -4;
}

int
main(void)
{
	static unsigned char b[200000];
	size_t hn, total, step, cut;
	int flg, bad;
	const char *why;
	long r;

	/* every combination of the optional fields, fed every way */
	bad = 0;
	for (flg = 0; flg < 32; flg++) {
		hn = build(b, flg, 13, "2015-01-01-15.json", "a comment", 1, &total);
		for (step = 0; step <= 11; step++) {
			if (step == 0) {
				for (cut = 0; cut <= total; cut++)
					if (feed(b, total, 0, cut, &why) != (long)hn)
						bad++;
			} else if (feed(b, total, step, 0, &why) != (long)hn) {
				bad++;
			}
		}
	}
	ok(bad == 0, "all 32 flag combinations parse to the header's end, fed in any pieces (%d wrong)", bad);

	hn = build(b, 0, 0, "", "", 1, &total);
	ok(hn == 10 && feed(b, total, 0, total, &why) == 10, "the 10-byte header alone");
	hn = build(b, FEXTRA, 0, "", "", 1, &total);
	ok(feed(b, total, 1, 0, &why) == (long)hn && hn == 12, "an empty FEXTRA");
	hn = build(b, FEXTRA | FHCRC, 65535, "", "", 1, &total);
	ok(feed(b, total, 1000, 0, &why) == (long)hn && hn == 10 + 2 + 65535 + 2, "a 65535-byte FEXTRA with FHCRC");
	hn = build(b, FEXTRA, 300, "", "", 1, &total);
	b[10] = 0x2c;	/* xlen 0x012c = 300, little-endian */
	b[11] = 0x01;
	ok(feed(b, total, 1, 0, &why) == (long)hn, "xlen is little-endian");
	{
		static char longname[150000];

		memset(longname, 'n', sizeof(longname) - 1);
		hn = build(b, FNAME | FCOMMENT | FHCRC, 0, longname, "c", 1, &total);
		ok(feed(b, total, 4096, 0, &why) == (long)hn, "a 150 KB FNAME with FHCRC, in 4 KiB pieces");
		ok(feed(b, total, 0, 70000, &why) == (long)hn, "the same, split in the name");
	}
	hn = build(b, FEXTRA | FNAME, 3, "n", "", 1, &total);
	b[12] = 0;	/* a NUL inside FEXTRA does not end anything */
	ok(feed(b, total, 1, 0, &why) == (long)hn, "a NUL byte inside FEXTRA");

	/* errors */
	hn = build(b, FNAME | FHCRC, 0, "name", "", 0, &total);
	ok(feed(b, total, 0, total, &why) == -1 && why && *why, "a wrong header CRC is an error (%s)", why);
	ok(feed(b, total, 1, 0, &why) == -1, "also fed byte by byte");
	hn = build(b, FHCRC, 0, "", "", 1, &total);
	b[hn - 1] ^= 0x80;	/* the high byte of the CRC16 */
	ok(feed(b, total, 0, total, &why) == -1, "a wrong high CRC byte is an error");
	for (flg = 0x20; flg <= 0x80; flg <<= 1) {
		hn = build(b, flg, 0, "", "", 1, &total);
		ok(feed(b, total, 0, total, &why) == -1 && why, "reserved flag bit 0x%02x is an error (%s)", flg, why);
	}
	hn = build(b, 0, 0, "", "", 1, &total);
	b[2] = 7;
	ok(feed(b, total, 0, total, &why) == -1, "compression method 7 is an error (%s)", why);
	hn = build(b, 0, 0, "", "", 1, &total);
	b[1] = 0x8c;
	ok(feed(b, total, 0, total, &why) == -1, "bad magic is an error (%s)", why);

	/* an unfinished header consumes what it is given and is not done */
	{
		struct gzhdr h;

		hn = build(b, FNAME, 0, "unfinished", "", 1, &total);
		gzhdr_init(&h);
		r = gzhdr_feed(&h, b, 15, &why);
		ok(r == 15 && !gzhdr_done(&h), "an unfinished header: all 15 bytes taken, not done");
		r = gzhdr_feed(&h, b + 15, total - 15, &why);
		ok(r == (long)(hn - 15) && gzhdr_done(&h), "the rest: stops at the header's end (%ld)", r);
		r = gzhdr_feed(&h, b + hn, total - hn, &why);
		ok(r == 0, "a finished header takes no more bytes (%ld)", r);
		gzhdr_init(&h);
		ok(gzhdr_feed(&h, b, 0, &why) == 0 && !gzhdr_done(&h), "feeding nothing");
	}

	/* FTEXT is allowed */
	hn = build(b, FTEXT | FNAME, 0, "t", "", 1, &total);
	ok(feed(b, total, 0, total, &why) == (long)hn, "FTEXT is fine");
	return tap_done();
}
