/* gz.h: is it complete, intact gzip data (every member's CRC and
 * length)? Fed as bytes arrive (gzverify.c); finish gives the SHA-256 of
 * all the bytes and the uncompressed size, or -1 with the damage and its
 * offset. */
#ifndef GHA_GZ_H
#define GHA_GZ_H

#include "gha.h"

struct gzstate;
struct gzcheck {
	struct gzstate *st;	/* private to gzverify.c */
};
void gzcheck_init(struct gzcheck *g);
void gzcheck_reset(struct gzcheck *g);		/* start over, keep the buffers */
int gzcheck_feed(struct gzcheck *g, const void *p, size_t n);	/* -1 once bad */
int gzcheck_finish(struct gzcheck *g, char sha[65], uint64_t *usize, struct gha_err *err);
void gzcheck_free(struct gzcheck *g);
/* The same for a whole file. */
int gz_verify(const char *path, char sha[65], uint64_t *usize, struct gha_err *err);

#endif
