/* gzverify.c: a downloaded hour is good only if every gzip member inflates
 * with a correct CRC and length trailer. The check takes bytes as they
 * arrive, so gha-fetch verifies while it downloads. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <isa-l/igzip_lib.h>

#include "gha.h"
#include "gz.h"
#include "gzhdr.h"
#include "sha256.h"

#define INSZ (256 * 1024)
#define OUTSZ (256 * 1024)

enum { G_BETWEEN, G_HEADER, G_DATA, G_BAD };

/* The checker's state, kept here so callers see only struct gzcheck. */
struct gzstate {
	void *zs;		/* ISA-L inflate state */
	unsigned char *out;	/* scratch for inflated bytes */
	struct gzhdr hdr;
	struct sha256 sha;
	int state;
	uint64_t in, usize;
	char why[200];
};

void
gzcheck_init(struct gzcheck *c)
{
	struct gzstate *g = xcalloc(1, sizeof(*g));

	g->zs = xmalloc(sizeof(struct inflate_state));
	g->out = xmalloc(OUTSZ);
	sha256_init(&g->sha);
	g->state = G_BETWEEN;
	c->st = g;
}

void
gzcheck_reset(struct gzcheck *c)
{
	struct gzstate *g = c->st;
	void *zs = g->zs;
	unsigned char *out = g->out;

	sha256_free(&g->sha);
	memset(g, 0, sizeof(*g));
	g->zs = zs;
	g->out = out;
	sha256_init(&g->sha);
	g->state = G_BETWEEN;
}

void
gzcheck_free(struct gzcheck *c)
{
	struct gzstate *g = c->st;

	if (!g)
		return;
	sha256_free(&g->sha);
	free(g->zs);
	free(g->out);
	free(g);
	c->st = NULL;
}

static int
bad(struct gzstate *g, uint64_t at, const char *why)
{
	g->state = G_BAD;
	snprintf(g->why, sizeof(g->why), "%s at byte %llu", why, (unsigned long long)at);
	return -1;
}

int
gzcheck_feed(struct gzcheck *c, const void *data, size_t n)
{
	struct gzstate *g = c->st;
	const unsigned char *p = data;
	struct inflate_state *zs = g->zs;
	size_t pos = 0;

	if (g->state == G_BAD)
		return -1;
	sha256_update(&g->sha, p, n);
	while (pos < n) {
		uint64_t at = g->in + pos;

		if (g->state == G_BETWEEN) {
			if (p[pos] == 0 && at > 0) {	/* zero padding after a member */
				pos++;
				continue;
			}
			if (p[pos] != 0x1f) {
				g->in += n;
				return bad(g, at, at ? "trailing garbage after gzip data" : "not gzip");
			}
			gzhdr_init(&g->hdr);
			g->state = G_HEADER;
		}
		if (g->state == G_HEADER) {
			const char *why;
			long k = gzhdr_feed(&g->hdr, p + pos, n - pos, &why);

			if (k < 0) {
				g->in += n;
				return bad(g, at, why);
			}
			pos += (size_t)k;
			if (!gzhdr_done(&g->hdr))
				continue;
			isal_inflate_init(zs);
			zs->crc_flag = ISAL_GZIP_NO_HDR_VER;
			g->state = G_DATA;
		}
		zs->next_in = (uint8_t *)(uintptr_t)(p + pos);
		zs->avail_in = (uint32_t)(n - pos);
		do {
			int r;

			zs->next_out = g->out;
			zs->avail_out = OUTSZ;
			r = isal_inflate(zs);
			g->usize += OUTSZ - zs->avail_out;
			if (r < 0) {
				at = g->in + (size_t)(zs->next_in - p);
				g->in += n;
				return bad(g, at, r == ISAL_INCORRECT_CHECKSUM
						    ? "gzip CRC or length mismatch"
						    : "corrupt gzip data");
			}
		} while (zs->avail_out == 0 && zs->block_state != ISAL_BLOCK_FINISH);
		pos = (size_t)(zs->next_in - p);
		if (zs->block_state == ISAL_BLOCK_FINISH)
			g->state = G_BETWEEN;
	}
	g->in += n;
	return 0;
}

int
gzcheck_finish(struct gzcheck *c, char sha[65], uint64_t *usize, struct gha_err *err)
{
	struct gzstate *g = c->st;

	if (g->state == G_BAD)
		return gha_seterr(err, GHA_DATAERR, "%s", g->why);
	if (g->in == 0)
		return gha_seterr(err, GHA_DATAERR, "empty file, not gzip");
	if (g->state != G_BETWEEN)
		return gha_seterr(err, GHA_DATAERR, "truncated gzip stream at byte %llu",
				  (unsigned long long)g->in);
	sha256_hex(&g->sha, sha);
	*usize = g->usize;
	return 0;
}

int
gz_verify(const char *path, char sha[65], uint64_t *usize, struct gha_err *err)
{
	struct gzcheck g;
	unsigned char *in;
	int fd, rc = 0;

	*usize = 0;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return gha_seterr(err, errno == ENOENT ? GHA_NOINPUT : GHA_IOERR,
				  "cannot open '%s':", path);
	gzcheck_init(&g);
	in = xmalloc(INSZ);
	for (;;) {
		ssize_t n;

		do
			n = read(fd, in, INSZ);
		while (n < 0 && errno == EINTR);
		if (n < 0) {
			rc = gha_seterr(err, GHA_IOERR, "%s: read error:", path);
			break;
		}
		if (n == 0 || gzcheck_feed(&g, in, (size_t)n) < 0)
			break;
	}
	if (rc == 0) {
		struct gha_err e;

		if (gzcheck_finish(&g, sha, usize, &e))
			rc = gha_seterr(err, e.code, "%s: %.200s", path, e.msg);
	}
	close(fd);
	free(in);
	gzcheck_free(&g);
	return rc;
}
