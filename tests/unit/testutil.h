/* testutil.h: small helpers several unit tests share. They decode what
 * lib/ encodes, written apart from lib/ so that a test checks, not copies. */
#ifndef GHA_TESTUTIL_H
#define GHA_TESTUTIL_H
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define TU_UNUSED __attribute__((unused))

/* a hex digit's value by lookup, not lib/hex.h's arithmetic */
TU_UNUSED static int
hexv(int c)
{
	const char *tab = "0123456789abcdef0123456789ABCDEF";
	const char *p = c ? strchr(tab, c) : NULL;

	return p ? (int)(p - tab) % 16 : -1;
}

TU_UNUSED static int
b64v(char c)
{
	const char *tab = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c ? strchr(tab, c) : NULL;

	return p ? (int)(p - tab) : -1;
}

/* RFC 4648 decoding, padding required; returns the length or -1. */
TU_UNUSED static long
b64dec(const char *s, size_t n, unsigned char *out)
{
	size_t i;
	long o = 0;

	if (n % 4)
		return -1;
	for (i = 0; i < n; i += 4) {
		int a = b64v(s[i]), b = b64v(s[i + 1]), c, d;

		if (a < 0 || b < 0)
			return -1;
		out[o++] = (unsigned char)(a << 2 | b >> 4);
		if (s[i + 2] == '=') {
			if (s[i + 3] != '=' || i + 4 != n || (b & 15))
				return -1;
			break;
		}
		c = b64v(s[i + 2]);
		if (c < 0)
			return -1;
		out[o++] = (unsigned char)((b & 15) << 4 | c >> 2);
		if (s[i + 3] == '=') {
			if (i + 4 != n || (c & 3))
				return -1;
			break;
		}
		d = b64v(s[i + 3]);
		if (d < 0)
			return -1;
		out[o++] = (unsigned char)((c & 3) << 6 | d);
	}
	return o;
}

/* a growable byte string for building test inputs */
struct bytes {
	unsigned char *p;
	size_t n, cap;
};

TU_UNUSED static void
put(struct bytes *b, const void *p, size_t n)
{
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2 + 64;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			abort();
	}
	if (n)
		memcpy(b->p + b->n, p, n);
	b->n += n;
}

/* xorshift64: each test keeps its own seed (and so its own inputs) */
TU_UNUSED static uint64_t
xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* deflate src with zlib; windowBits 31 gives a gzip member, -15 raw */
TU_UNUSED static void
zdeflate(struct bytes *out, const void *src, size_t n, int level, int wbits)
{
	z_stream z;
	unsigned char chunk[65536];
	int rc;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, level, Z_DEFLATED, wbits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	z.next_in = (Bytef *)(uintptr_t)src;
	z.avail_in = (uInt)n;
	do {
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		rc = deflate(&z, Z_FINISH);
		put(out, chunk, sizeof(chunk) - z.avail_out);
	} while (rc == Z_OK || rc == Z_BUF_ERROR);
	if (rc != Z_STREAM_END)
		abort();
	deflateEnd(&z);
}

/* PATH made to hold exactly n bytes of p; a test cannot go on otherwise */
TU_UNUSED static void
write_bytes(const char *path, const void *p, size_t n)
{
	FILE *fp = fopen(path, "wb");

	if (!fp || fwrite(p, 1, n, fp) != n || fclose(fp))
		abort();
}

/* a test's scratch directory, removed at its end */
TU_UNUSED static void
rmtree(const char *dir)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# cannot remove %s\n", dir);
}

/* the number of open file descriptors (a leak shows as a difference) */
TU_UNUSED static int
open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1;	/* the directory's own */
}

#endif
