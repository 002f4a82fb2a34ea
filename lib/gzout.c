/* gzout.c: gzip-compressing stdio streams, so that every tool that
 * writes through a FILE * can write NAME.gz the same way (fopencookie).
 *
 * ISA-L's deflate at level 2, not zlib: on a bench hour's bronze (720 MB
 * of NDJSON) it takes 1.0 CPU s for 139 MB where zlib -6 takes 14.2 s for
 * 118 MB and zlib -1 7.6 s for 147 MB (tests/bench/codecs.c). The gzip
 * header ISA-L writes has no name and mtime 0, and one build of the
 * library always makes the same bytes of the same input, as gzip -n. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <isa-l/igzip_lib.h>

#include "gha.h"
#include "gzout.h"

#define CHUNK (1 << 17)
#define LEVEL 2
#define LEVEL_BUF ISAL_DEF_LVL2_DEFAULT

struct gzout {
	struct isal_zstream z;
	FILE *to;
	int bad, err;	/* a write failed: reported by fclose, with its errno */
	unsigned char out[CHUNK];
	unsigned char lvl[LEVEL_BUF];
};

/* Deflate what is in z.next_in (all of it: ISA-L takes the input as long
 * as there is room for output) and write what comes out; with end set,
 * the stream's end too. */
static int
pump(struct gzout *g, int end)
{
	struct isal_zstream *z = &g->z;

	z->end_of_stream = (uint16_t)end;
	z->flush = NO_FLUSH;
	do {
		size_t k;

		z->next_out = g->out;
		z->avail_out = CHUNK;
		if (isal_deflate(z) != COMP_OK)
			return -1;
		k = CHUNK - z->avail_out;
		if (k && fwrite(g->out, 1, k, g->to) != k)
			return -1;
	} while (z->avail_in > 0 || z->avail_out == 0 ||
		 (end && z->internal_state.state != ZSTATE_END));
	return 0;
}

static ssize_t
gz_write(void *c, const char *buf, size_t n)
{
	struct gzout *g = c;
	size_t done = 0;

	/* A failure is kept for fclose to report, and the bytes are taken:
	 * glibc's fwrite can overrun its buffer when a cookie's write
	 * returns -1 (found by t0150's fault injection) */
	if (g->bad)
		return (ssize_t)n;
	/* avail_in is 32 bits: feed a large write in pieces */
	while (done < n) {
		size_t k = n - done > (1u << 30) ? (1u << 30) : n - done;

		g->z.next_in = (uint8_t *)(uintptr_t)(buf + done);
		g->z.avail_in = (uint32_t)k;
		if (pump(g, 0)) {
			g->bad = 1;
			g->err = errno;
			return (ssize_t)n;
		}
		done += k;
	}
	return (ssize_t)n;
}

static int
gz_close(void *c)
{
	struct gzout *g = c;
	int bad = g->bad, e = g->err;

	g->z.next_in = NULL;
	g->z.avail_in = 0;
	if (!bad && pump(g, 1)) {
		bad = 1;
		e = errno;
	}
	if (!bad && (fflush(g->to) == EOF || ferror(g->to))) {
		bad = 1;
		e = errno;
	}
	free(g);
	if (bad)
		errno = e ? e : EIO;
	return bad ? EOF : 0;
}

FILE *
gzout_open(FILE *to)
{
	cookie_io_functions_t io = { NULL, gz_write, NULL, gz_close };
	struct gzout *g = xcalloc(1, sizeof(*g));
	FILE *fp;

	isal_deflate_init(&g->z);
	g->z.level = LEVEL;
	g->z.level_buf = g->lvl;
	g->z.level_buf_size = LEVEL_BUF;
	g->z.gzip_flag = IGZIP_GZIP;	/* the default header: no name, mtime 0 */
	g->to = to;
	fp = fopencookie(g, "w", io);
	if (!fp)
		free(g);
	return fp;
}

int
gzout_wanted(const char *path)
{
	size_t n = strlen(path);

	return n > 3 && !strcmp(path + n - 3, ".gz");
}
