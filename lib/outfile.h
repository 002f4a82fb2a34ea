/* outfile.h: write to a temporary (tempfile.h), then rename into place
 * on commit, so a failed run never leaves a plausible-looking partial
 * file. Devices and FIFOs are written in place. A regular file named
 * NAME.gz is written gzip-compressed (gzout.h). */
#ifndef GHA_OUTFILE_H
#define GHA_OUTFILE_H

#include "gha.h"

struct tempfile;
struct outfile {
	FILE *fp;
	char *path, *tmp;
	struct tempfile *t;
	int direct;	/* a device or FIFO, written in place */
	int gz;		/* NAME.gz: fp compresses into the temporary */
};
int outfile_open(struct outfile *o, const char *path, struct gha_err *err);
int outfile_commit(struct outfile *o, struct gha_err *err);	/* close + rename */
void outfile_abort(struct outfile *o);				/* close + unlink */
int outfile_distinct(const char *const *paths, int n, struct gha_err *err);	/* -1 on a repeat */
/* Before anything is opened for writing: each output (NULL: none, "-":
 * stdout) its own file, and none of them an input ("-": stdin), by
 * device and inode (links too) or by name. 0, or -1 with err (64). */
int outfile_check(const char *const *outs, int nout, const char *const *ins, int nin,
		  struct gha_err *err);
/* A whole file's bytes, the same way. */
int write_atomic(const char *path, const char *data, size_t n, struct gha_err *err);

#endif
