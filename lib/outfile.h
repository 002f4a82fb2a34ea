/* outfile.h: write to a temporary (tempfile.h), then rename into place
 * on commit, so a failed run never leaves a plausible-looking partial
 * file. Devices and FIFOs are written in place. With outfile_open_z a
 * regular file named NAME.gz is written gzip-compressed (gzout.h). */
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
/* The same, but a regular file named NAME.gz is written gzip-compressed
 * (for text outputs; never for bytes that are gzip already) */
int outfile_open_z(struct outfile *o, const char *path, struct gha_err *err);
int outfile_commit(struct outfile *o, struct gha_err *err);	/* close + rename */
void outfile_abort(struct outfile *o);				/* close + unlink */
/* Instead of what was written, make the output a hard link to SRC (a file
 * that holds exactly the bytes the output should), the same way: a link
 * at the temporary's name renamed into place. 1 when that cannot be done
 * (a device or FIFO output, another filesystem, no links there): o is
 * untouched and the caller writes and commits as usual. 0 done, -1 with
 * err (o is closed either way). */
int outfile_commit_link(struct outfile *o, const char *src, struct gha_err *err);
int outfile_distinct(const char *const *paths, int n, struct gha_err *err);	/* -1 on a repeat */
/* Before anything is opened for writing: each output (NULL: none, "-":
 * stdout) its own file, and none of them an input ("-": stdin), by
 * device and inode (links too) or by name. 0, or -1 with err (64). */
int outfile_check(const char *const *outs, int nout, const char *const *ins, int nin,
		  struct gha_err *err);
/* A whole file's bytes, the same way. */
int write_atomic(const char *path, const char *data, size_t n, struct gha_err *err);

#endif
