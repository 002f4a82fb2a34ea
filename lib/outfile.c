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
	/* a device, a pipe, or anything under /dev or /proc (/dev/stdout
	 * may lead to a regular file the shell opened) is written in place,
	 * appended to: renaming over it would replace it with a regular
	 * file, and truncating would cut what is already there */
	if (!strncmp(path, "/dev/", 5) || !strncmp(path, "/proc/", 6) ||
	    (stat(path, &st) == 0 && !S_ISREG(st.st_mode))) {
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			return gha_seterr(err, GHA_IOERR, "cannot write '%s': a directory", path);
		o->fp = fopen(path, "a");
		if (!o->fp)
			return gha_seterr(err, GHA_IOERR, "cannot open '%s':", path);
		o->path = xstrdup(path);
		o->tmp = NULL;
		o->direct = 1;
		return 0;
	}
	/* a symbolic link stays one: the file it leads to is replaced */
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		char *real = realpath(path, NULL);

		if (real) {
			int rc = outfile_open(o, real, err);

			free(real);
			return rc;
		}
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

/* PATH made absolute and free of . and .. and links, as far as it
 * exists: its directory resolved, its last name kept. */
static char *
canon(const char *path)
{
	char *r = realpath(path, NULL), *dir, *base, *d;
	struct buf b;

	if (r)
		return r;
	dir = xstrdup(path);
	base = strrchr(dir, '/');
	if (base) {
		*base++ = '\0';
		d = realpath(*dir ? dir : "/", NULL);
	} else {
		base = dir;
		d = realpath(".", NULL);
	}
	buf_init(&b);
	buf_printf(&b, "%s/%s", d ? d : (base == dir ? "." : dir), base);
	free(d);
	free(dir);
	return b.p;
}

/* Two outputs on one file would share a temporary name and clobber each
 * other. Devices and FIFOs (/dev/null twice) are fine. */
int
outfile_distinct(const char *const *paths, int n, struct gha_err *err)
{
	int i, k, rc = 0;
	char *c[16];

	if (n > 16)
		n = 16;
	for (i = 0; i < n; i++) {
		struct stat st;

		c[i] = NULL;
		if (paths[i] && strncmp(paths[i], "/dev/", 5) && strncmp(paths[i], "/proc/", 6) &&
		    !(stat(paths[i], &st) == 0 && !S_ISREG(st.st_mode)))
			c[i] = canon(paths[i]);
	}
	for (i = 0; i < n && !rc; i++)
		for (k = i + 1; k < n && !rc; k++)
			if (c[i] && c[k] && !strcmp(c[i], c[k]))
				rc = gha_seterr(err, GHA_USAGE, "'%s' and '%s' are one file: "
						"each output needs its own", paths[i], paths[k]);
	for (i = 0; i < n; i++)
		free(c[i]);
	return rc;
}
