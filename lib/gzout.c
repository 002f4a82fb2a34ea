/* gzout.c: gzip-compressing stdio streams, so that every tool that
 * writes through a FILE * can write NAME.gz the same way (fopencookie). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "gha.h"
#include "gzout.h"

#define CHUNK (1 << 16)

struct gzout {
	z_stream z;
	FILE *to;
	int bad;
	unsigned char out[CHUNK];
};

static int
pump(struct gzout *g, int flush)
{
	int rc;

	do {
		g->z.next_out = g->out;
		g->z.avail_out = CHUNK;
		rc = deflate(&g->z, flush);
		if (rc == Z_STREAM_ERROR)
			return -1;
		if (fwrite(g->out, 1, CHUNK - g->z.avail_out, g->to) != CHUNK - g->z.avail_out)
			return -1;
	} while (g->z.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
	return 0;
}

static ssize_t
gz_write(void *c, const char *buf, size_t n)
{
	struct gzout *g = c;
	size_t done = 0;

	if (g->bad)
		return -1;
	/* avail_in is a uInt: feed a large write in pieces */
	while (done < n) {
		size_t k = n - done > (1u << 30) ? (1u << 30) : n - done;

		g->z.next_in = (unsigned char *)(uintptr_t)(buf + done);
		g->z.avail_in = (uInt)k;
		if (pump(g, Z_NO_FLUSH)) {
			g->bad = 1;
			return -1;
		}
		done += k;
	}
	return (ssize_t)n;
}

static int
gz_close(void *c)
{
	struct gzout *g = c;
	int bad = g->bad;

	g->z.next_in = NULL;
	g->z.avail_in = 0;
	if (!bad && pump(g, Z_FINISH))
		bad = 1;
	deflateEnd(&g->z);
	if (fflush(g->to) == EOF || ferror(g->to))
		bad = 1;
	free(g);
	return bad ? EOF : 0;
}

FILE *
gzout_open(FILE *to)
{
	cookie_io_functions_t io = { NULL, gz_write, NULL, gz_close };
	struct gzout *g = xcalloc(1, sizeof(*g));
	FILE *fp;

	/* windowBits 15 + 16: a gzip header with no name and mtime 0 */
	if (deflateInit2(&g->z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		free(g);
		return NULL;
	}
	g->to = to;
	fp = fopencookie(g, "w", io);
	if (!fp) {
		deflateEnd(&g->z);
		free(g);
	}
	return fp;
}

int
gzout_wanted(const char *path)
{
	size_t n = strlen(path);

	return n > 3 && !strcmp(path + n - 3, ".gz");
}
