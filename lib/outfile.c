/* outfile.c: NAME.tmp then rename, so readers never see a partial file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gha.h"

int
outfile_open(struct outfile *o, const char *path, struct gha_err *err)
{
	size_t n = strlen(path);
	struct stat st;

	o->fp = NULL;
	o->path = o->tmp = NULL;
	o->direct = 0;
	/* a device or a pipe (/dev/stdout, /dev/full, a FIFO) is written in
	 * place: renaming over it would replace it with a regular file */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode))
			return gha_seterr(err, GHA_IOERR, "cannot write '%s': a directory", path);
		o->fp = fopen(path, "w");
		if (!o->fp)
			return gha_seterr(err, GHA_IOERR, "cannot open '%s':", path);
		o->path = xstrdup(path);
		o->tmp = NULL;
		o->direct = 1;
		return 0;
	}
	o->path = xstrdup(path);
	o->tmp = xmalloc(n + 32);
	snprintf(o->tmp, n + 32, "%s.tmp.%ld", path, (long)getpid());
	o->fp = fopen(o->tmp, "w");
	if (!o->fp) {
		gha_seterr(err, GHA_IOERR, "cannot create '%s':", o->tmp);
		free(o->path);
		free(o->tmp);
		o->path = o->tmp = NULL;
		return -1;
	}
	return 0;
}

static void
done(struct outfile *o)
{
	free(o->path);
	free(o->tmp);
	o->path = o->tmp = NULL;
	o->fp = NULL;
}

int
outfile_commit(struct outfile *o, struct gha_err *err)
{
	int bad = fflush(o->fp) == EOF || ferror(o->fp);

	if (fclose(o->fp) == EOF)
		bad = 1;
	if (bad) {
		gha_seterr(err, GHA_IOERR, "write error on '%s':", o->path);
		if (!o->direct)
			unlink(o->tmp);
		done(o);
		return -1;
	}
	if (o->direct) {
		done(o);
		return 0;
	}
	if (rename(o->tmp, o->path) == -1) {
		gha_seterr(err, GHA_IOERR, "cannot rename '%s' to '%s':", o->tmp, o->path);
		unlink(o->tmp);
		done(o);
		return -1;
	}
	done(o);
	return 0;
}

void
outfile_abort(struct outfile *o)
{
	if (!o->fp)
		return;
	fclose(o->fp);
	if (!o->direct)
		unlink(o->tmp);
	done(o);
}
