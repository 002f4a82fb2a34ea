/* outfile.h: write to NAME.tmp, then rename into place on commit, so a
 * failed run never leaves a plausible-looking partial file. Devices and
 * FIFOs are written in place. */
#ifndef GHA_OUTFILE_H
#define GHA_OUTFILE_H

#include "gha.h"

struct outfile {
	FILE *fp;
	char *path, *tmp;
	int direct;	/* a device or FIFO, written in place */
};
int outfile_open(struct outfile *o, const char *path, struct gha_err *err);
int outfile_commit(struct outfile *o, struct gha_err *err);	/* close + rename */
void outfile_abort(struct outfile *o);				/* close + unlink */
int outfile_distinct(const char *const *paths, int n, struct gha_err *err);	/* -1 on a repeat */
/* A whole file's bytes, the same way. */
int write_atomic(const char *path, const char *data, size_t n, struct gha_err *err);

#endif
