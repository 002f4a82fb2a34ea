/* codecs.c: what each candidate codec costs on one file (make bench's
 * codec table, and the measurement behind lib/zout.c's choice): CPU
 * seconds to compress it in 64 KB writes, as a tool writing through
 * stdio would, the size, and CPU seconds to read it back with the
 * reader the suite uses (ISA-L inflate for gzip, libzstd for zstd).
 * CPU time, not wall time: the machine may be shared.
 *   codecs FILE */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>
#include <isa-l/igzip_lib.h>
#if defined(__has_include)
#if __has_include(<zstd.h>)
#define HAVE_ZSTD 1
#include <zstd.h>
#endif
#endif

#define CHUNK (64 * 1024)

static unsigned char *in, *out;
static size_t inlen, outcap, outlen;

static double
cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
z_run(int level)
{
	z_stream z;
	size_t off = 0;

	memset(&z, 0, sizeof(z));
	deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
	z.next_out = out;
	z.avail_out = (uInt)outcap;
	while (off < inlen) {
		size_t k = inlen - off < CHUNK ? inlen - off : CHUNK;

		z.next_in = in + off;
		z.avail_in = (uInt)k;
		deflate(&z, Z_NO_FLUSH);
		off += k;
	}
	deflate(&z, Z_FINISH);
	outlen = z.total_out;
	deflateEnd(&z);
}

static void
isal_run(int level)
{
	struct isal_zstream s;
	static unsigned char lvlbuf[ISAL_DEF_LVL3_DEFAULT];
	size_t off = 0;

	isal_deflate_init(&s);
	s.level = (uint32_t)level;
	s.level_buf = lvlbuf;
	s.level_buf_size = level == 0 ? 0 : level == 1 ? ISAL_DEF_LVL1_DEFAULT
			 : level == 2 ? ISAL_DEF_LVL2_DEFAULT : ISAL_DEF_LVL3_DEFAULT;
	s.gzip_flag = IGZIP_GZIP;
	s.next_out = out;
	s.avail_out = (uint32_t)outcap;
	while (off < inlen) {
		size_t k = inlen - off < CHUNK ? inlen - off : CHUNK;

		s.next_in = in + off;
		s.avail_in = (uint32_t)k;
		off += k;
		s.end_of_stream = off == inlen;
		s.flush = NO_FLUSH;
		isal_deflate(&s);
	}
	outlen = s.total_out;
}

#ifdef HAVE_ZSTD
static void
zstd_run(int level)
{
	ZSTD_CCtx *c = ZSTD_createCCtx();
	ZSTD_outBuffer ob = { out, outcap, 0 };
	size_t off = 0;

	ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, level);
	ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1);
	while (off < inlen) {
		size_t k = inlen - off < CHUNK ? inlen - off : CHUNK;
		ZSTD_inBuffer ib = { in + off, k, 0 };

		while (ib.pos < ib.size)
			ZSTD_compressStream2(c, &ob, &ib, ZSTD_e_continue);
		off += k;
	}
	{
		ZSTD_inBuffer ib = { NULL, 0, 0 };

		while (ZSTD_compressStream2(c, &ob, &ib, ZSTD_e_end))
			;
	}
	outlen = ob.pos;
	ZSTD_freeCCtx(c);
}

#endif

/* read back in 1 MB blocks, as lineread does */
static double
isal_read(void)
{
	static struct inflate_state st;
	static unsigned char blk[1 << 20];
	double t = cpu();

	isal_inflate_init(&st);
	st.crc_flag = ISAL_GZIP;
	st.next_in = out;
	st.avail_in = (uint32_t)outlen;
	do {
		st.next_out = blk;
		st.avail_out = sizeof(blk);
		if (isal_inflate(&st) < 0)
			abort();
	} while (st.block_state != ISAL_BLOCK_FINISH);
	return cpu() - t;
}

#ifdef HAVE_ZSTD
static double
zstd_read(void)
{
	static unsigned char blk[1 << 20];
	ZSTD_DCtx *d = ZSTD_createDCtx();
	ZSTD_inBuffer ib = { out, outlen, 0 };
	double t = cpu();
	size_t r;

	do {
		ZSTD_outBuffer ob = { blk, sizeof(blk), 0 };

		r = ZSTD_decompressStream(d, &ob, &ib);
		if (ZSTD_isError(r))
			abort();
	} while (r != 0);
	t = cpu() - t;
	ZSTD_freeDCtx(d);
	return t;
}

#endif

static void
report(const char *name, int level, void (*fn)(int), double (*rd)(void))
{
	double t = cpu(), w, r;

	fn(level);
	w = cpu() - t;
	r = rd();
	printf("%-14s %8.2f %10.1f %6.1f%% %8.0f %9.2f\n", name, w, (double)outlen / 1e6,
	       100.0 * (double)outlen / (double)inlen, (double)inlen / 1e6 / w, r);
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	FILE *f;
	char name[32];
	int i;
	static const int zl[] = { 1, 6 }, il[] = { 0, 1, 2, 3 }, sl[] = { 1, 2, 3, 5 };

	if (argc != 2 || !(f = fopen(argv[1], "rb"))) {
		fprintf(stderr, "usage: codecs FILE\n");
		return 64;
	}
	fseek(f, 0, SEEK_END);
	inlen = (size_t)ftell(f);
	rewind(f);
	in = malloc(inlen ? inlen : 1);
	outcap = inlen + inlen / 10 + (1 << 20);
	out = malloc(outcap);
	if (!in || !out || fread(in, 1, inlen, f) != inlen)
		return 74;
	fclose(f);
	printf("%-14s %8s %10s %7s %8s %9s\n", "codec", "cpu s", "MB", "ratio", "MB/s", "read cpu");
	for (i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "isal -%d", il[i]);
		report(name, il[i], isal_run, isal_read);
	}
#ifdef HAVE_ZSTD
	for (i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "zstd -%d", sl[i]);
		report(name, sl[i], zstd_run, zstd_read);
	}
#else
	(void)sl;
	printf("(zstd: not measured, no zstd.h: apt-get install libzstd-dev)\n");
#endif
	for (i = 0; i < 2; i++) {
		snprintf(name, sizeof(name), "zlib -%d", zl[i]);
		report(name, zl[i], z_run, isal_read);
	}
	return 0;
}
