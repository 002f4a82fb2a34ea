/* test_gzverify.c: gz_verify on good, multi-member, padded, truncated,
 * corrupt and non-gzip files. The files are made with zlib here; the
 * SHA-256 is checked against sha256sum(1). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "gha.h"
#include "gz.h"
#include "tap.h"
#include "testutil.h"

static char dir[] = "/tmp/gha-test-gzverify-XXXXXX";
static char path[4200];
static int nfile;



/* a gzip member from zlib */
static void
gz(struct bytes *out, const void *src, size_t n, int level)
{
	zdeflate(out, src, n, level, 31);
}

/* A member with a hand-made header: flags FHCRC 2, FEXTRA 4, FNAME 8,
 * FCOMMENT 16; raw deflate from zlib; crc32 and length trailer. */
static void
member(struct bytes *out, const char *src, int flags, const char *name, int good_hcrc)
{
	size_t start = out->n, n = strlen(src);
	unsigned char hdr[10] = { 0x1f, 0x8b, 8, (unsigned char)flags, 0, 0, 0, 0, 0, 3 };
	unsigned char t[8];
	uLong c;
	z_stream z;
	unsigned char chunk[4096];
	int rc;

	put(out, hdr, 10);
	if (flags & 4)
		put(out, "\x03\0abc", 5);
	if (flags & 8)
		put(out, name, strlen(name) + 1);
	if (flags & 16)
		put(out, "comment", 8);
	if (flags & 2) {
		c = crc32(0, out->p + start, (uInt)(out->n - start)) ^ (good_hcrc ? 0 : 1);
		t[0] = (unsigned char)(c & 0xff);
		t[1] = (unsigned char)(c >> 8 & 0xff);
		put(out, t, 2);
	}
	memset(&z, 0, sizeof(z));
	deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
	z.next_in = (Bytef *)(uintptr_t)src;
	z.avail_in = (uInt)n;
	do {
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		rc = deflate(&z, Z_FINISH);
		put(out, chunk, sizeof(chunk) - z.avail_out);
	} while (rc == Z_OK);
	deflateEnd(&z);
	c = crc32(0, (const Bytef *)src, (uInt)n);
	t[0] = (unsigned char)c;
	t[1] = (unsigned char)(c >> 8);
	t[2] = (unsigned char)(c >> 16);
	t[3] = (unsigned char)(c >> 24);
	t[4] = (unsigned char)n;
	t[5] = (unsigned char)(n >> 8);
	t[6] = (unsigned char)(n >> 16);
	t[7] = (unsigned char)(n >> 24);
	put(out, t, 8);
}

static const char *
file(const void *p, size_t n)
{
	FILE *fp;

	snprintf(path, sizeof(path), "%s/f%d.json.gz", dir, nfile++);
	fp = fopen(path, "wb");
	if (!fp || fwrite(p, 1, n, fp) != n || fclose(fp))
		abort();
	return path;
}

static int
sha_of_file(const char *p, char want[65])
{
	char cmd[4300], line[100];
	FILE *pp;

	snprintf(cmd, sizeof(cmd), "sha256sum '%s'", p);
	pp = popen(cmd, "r");
	if (!pp)
		return -1;
	if (!fgets(line, sizeof(line), pp)) {
		pclose(pp);
		return -1;
	}
	pclose(pp);
	memcpy(want, line, 64);
	want[64] = '\0';
	return 0;
}

static void
good(const void *p, size_t n, uint64_t usize, const char *what)
{
	const char *f = file(p, n);
	char sha[65] = "", want[65];
	uint64_t u = 12345;
	struct gha_err err;
	int r;

	memset(&err, 0, sizeof(err));
	r = gz_verify(f, sha, &u, &err);
	ok(r == 0 && u == usize, "%s: good, %llu bytes inflated (r=%d, u=%llu, %s)", what,
	   (unsigned long long)usize, r, (unsigned long long)u, err.msg);
	if (sha_of_file(f, want) == 0)
		ok(!strcmp(sha, want), "%s: SHA-256 of the file (%s)", what, sha);
}

static void
bad(const void *p, size_t n, int code, const char *what)
{
	const char *f = file(p, n);
	char sha[65];
	uint64_t u;
	struct gha_err err;
	int r;

	memset(&err, 0, sizeof(err));
	r = gz_verify(f, sha, &u, &err);
	ok(r == -1 && err.code == code && err.msg[0], "%s: -1, code %d (%d: %s)", what, code, err.code, err.msg);
}

int
main(void)
{
	struct bytes t = { 0 }, z = { 0 }, two = { 0 };
	size_t i;
	char sha[65];
	uint64_t u;
	struct gha_err err;

	if (!mkdtemp(dir)) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	for (i = 0; i < 100000; i++) {
		char line[64];
		int k = snprintf(line, sizeof(line), "{\"id\":%zu,\"type\":\"PushEvent\"}\n", i * 7919);

		put(&t, line, (size_t)k);
	}
	gz(&z, t.p, t.n, 6);
	good(z.p, z.n, t.n, "one member");
	good(z.p, z.n, t.n, "the same again");
	put(&two, z.p, z.n);
	gz(&two, "tail\n", 5, 9);
	good(two.p, two.n, t.n + 5, "two members");
	{
		struct bytes e = { 0 };

		gz(&e, "", 0, 6);
		good(e.p, e.n, 0, "an empty member");
		free(e.p);
	}
	{
		unsigned char zeros[700] = { 0 };
		struct bytes pz = { 0 };

		put(&pz, two.p, two.n);
		put(&pz, zeros, sizeof(zeros));
		good(pz.p, pz.n, t.n + 5, "zero padding after the members");
		free(pz.p);
	}

	/* header fields */
	{
		static char longname[400000];
		struct bytes h = { 0 };
		int f;

		for (f = 0; f < 32; f += 2) {
			char what[64];

			h.n = 0;
			member(&h, "x\ny\n", f, "name.json", 1);
			snprintf(what, sizeof(what), "header flags 0x%02x", f);
			good(h.p, h.n, 4, what);
		}
		memset(longname, 'n', sizeof(longname) - 1);
		h.n = 0;
		member(&h, "x\ny\n", 8 | 2, longname, 1);
		member(&h, "z\n", 8 | 4 | 16 | 2, longname, 1);
		good(h.p, h.n, 6, "FHCRC after a 400 KB FNAME, twice");
		h.n = 0;
		member(&h, "x\n", 8 | 2, "n", 0);
		bad(h.p, h.n, GHA_DATAERR, "a wrong header CRC");
		h.n = 0;
		member(&h, "x\n", 0x20, "", 1);
		bad(h.p, h.n, GHA_DATAERR, "a reserved flag bit");
		h.n = 0;
		member(&h, "x\n", 8, longname, 1);
		bad(h.p, 200000, GHA_DATAERR, "cut inside a long FNAME");
		free(h.p);
	}

	/* damage */
	bad(z.p, z.n - 1, GHA_DATAERR, "cut 1 byte");
	bad(z.p, z.n - 8, GHA_DATAERR, "cut the trailer");
	bad(z.p, z.n / 2, GHA_DATAERR, "cut in half");
	bad(z.p, 5, GHA_DATAERR, "cut in the header");
	bad(two.p, two.n - 3, GHA_DATAERR, "the second member cut");
	{
		unsigned char *c = malloc(z.n);
		size_t at[] = { z.n - 8, z.n - 1, z.n / 2 };
		size_t k;

		for (k = 0; k < 3; k++) {
			memcpy(c, z.p, z.n);
			c[at[k]] ^= 0x55;
			bad(c, z.n, GHA_DATAERR, k == 0 ? "a CRC byte flipped" : k == 1 ? "an ISIZE byte flipped"
											: "a deflate byte flipped");
		}
		free(c);
	}
	{
		struct bytes g = { 0 };

		put(&g, z.p, z.n);
		put(&g, "garbage", 7);
		bad(g.p, g.n, GHA_DATAERR, "garbage after the data");
		free(g.p);
	}
	bad("", 0, GHA_DATAERR, "an empty file");
	bad("{\"id\":1}\n", 9, GHA_DATAERR, "plain JSON");
	bad("\0\0\0\0", 4, GHA_DATAERR, "zeros");
	bad("\x1f\x8b", 2, GHA_DATAERR, "only the magic");

	snprintf(path, sizeof(path), "%s/missing.json.gz", dir);
	memset(&err, 0, sizeof(err));
	ok(gz_verify(path, sha, &u, &err) == -1 && err.code == GHA_NOINPUT, "a missing file: code 66 (%s)",
	   err.msg);

	free(t.p);
	free(z.p);
	free(two.p);
	rmtree(dir);
	return tap_done();
}
