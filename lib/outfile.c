/* outfile.c: a temporary beside NAME then a durable rename (tempfile.c),
 * so readers never see a partial file, even after a crash. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gha.h"
#include "gzout.h"
#include "outfile.h"
#include "tempfile.h"

/* Does PATH lead, through symbolic links, into /proc (/dev/stdout is
 * /proc/self/fd/1)? */
static int
via_proc(const char *path)
{
	char buf[4096];
	int i;

	if (!strncmp(path, "/proc/", 6) || !strncmp(path, "/dev/fd/", 8))
		return 1;
	for (i = 0; i < 8; i++) {
		ssize_t k = readlink(path, buf, sizeof(buf) - 1);

		if (k < 0)
			return 0;
		buf[k] = '\0';
		if (!strncmp(buf, "/proc/", 6) || !strncmp(buf, "/dev/fd/", 8))
			return 1;
		if (buf[0] != '/')
			return 0;	/* relative links stay out of /proc */
		path = buf;
	}
	return 0;
}

/* Where the link PATH leads: realpath, or for a dangling link its
 * target made relative to the link's directory. */
static char *
link_target(const char *path)
{
	char t[4096], *r = realpath(path, NULL), *slash;
	ssize_t k;
	struct buf b;

	if (r)
		return r;
	k = readlink(path, t, sizeof(t) - 1);
	if (k < 0)
		return NULL;
	t[k] = '\0';
	buf_init(&b);
	slash = strrchr(path, '/');
	if (t[0] != '/' && slash)
		buf_printf(&b, "%.*s/%s", (int)(slash - path), path, t);
	else
		buf_adds(&b, t);
	return b.p;
}

static int open_at(struct outfile *o, const char *path, struct gha_err *err, int depth, int z);

int
outfile_open(struct outfile *o, const char *path, struct gha_err *err)
{
	return open_at(o, path, err, 0, 0);
}

int
outfile_open_z(struct outfile *o, const char *path, struct gha_err *err)
{
	return open_at(o, path, err, 0, 1);
}

static int
open_at(struct outfile *o, const char *path, struct gha_err *err, int depth, int z)
{
	struct stat st;

	o->fp = NULL;
	o->path = o->tmp = NULL;
	o->t = NULL;
	o->direct = o->gz = 0;
	/* a device or a pipe is written in place: renaming over it would
	 * replace it with a regular file. So is a file reached through
	 * /proc (/dev/stdout, /dev/fd/1: the shell's redirection), and
	 * appended to, not truncated: it holds what came before. */
	if (stat(path, &st) == 0 && (!S_ISREG(st.st_mode) || via_proc(path))) {
		if (S_ISDIR(st.st_mode))
			return gha_seterr(err, GHA_IOERR, "cannot write '%s': a directory", path);
		o->fp = fopen(path, S_ISREG(st.st_mode) ? "a" : "w");
		if (!o->fp)
			return gha_seterr(err, GHA_IOERR, "cannot open '%s':", path);
		o->path = xstrdup(path);
		o->tmp = NULL;
		o->direct = 1;
		return 0;
	}
	/* a symbolic link stays one: the file it leads to is replaced (or
	 * made, when the link dangles) */
	if (depth < 8 && lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		char *real = link_target(path);

		if (real) {
			int rc = open_at(o, real, err, depth + 1, z);

			free(real);
			return rc;
		}
	}
	o->t = tempfile_create(path, err);
	if (!o->t)
		return -1;
	o->fp = tempfile_fdopen(o->t, "w");
	if (!o->fp) {
		gha_seterr(err, GHA_IOERR, "cannot open '%s':", tempfile_name(o->t));
		tempfile_abort(o->t);
		o->t = NULL;
		return -1;
	}
	if (z && gzout_wanted(path)) {
		FILE *zf = gzout_open(o->fp);

		if (!zf) {
			gha_seterr(err, GHA_UNAVAILABLE, "cannot start the compressor for '%s'", path);
			tempfile_abort(o->t);
			o->t = NULL;
			o->fp = NULL;
			return -1;
		}
		o->fp = zf;
		o->gz = 1;
	}
	o->path = xstrdup(path);
	o->tmp = xstrdup(tempfile_name(o->t));
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
	int bad = 0;

	if (!o->direct) {
		/* the gzip stream ends (and goes out) as it closes */
		if (o->gz) {
			bad = fflush(o->fp) == EOF || ferror(o->fp);
			if (fclose(o->fp) == EOF)
				bad = 1;
		}
		if (o->gz && bad) {
			gha_seterr(err, GHA_IOERR, "write error on '%s':", o->path);
			tempfile_abort(o->t);
			o->t = NULL;
			done(o);
			return -1;
		}
		bad = tempfile_commit(o->t, err);
		o->t = NULL;
		done(o);
		return bad;
	}
	bad = fflush(o->fp) == EOF || ferror(o->fp);
	if (fclose(o->fp) == EOF)
		bad = 1;
	if (bad)
		gha_seterr(err, GHA_IOERR, "write error on '%s':", o->path);
	done(o);
	return bad ? -1 : 0;
}

int
outfile_commit_link(struct outfile *o, const char *src, struct gha_err *err)
{
	struct stat ss, sp;
	struct tempreg *reg;
	struct buf lt;
	char *path;
	int rc;

	if (o->direct || stat(src, &ss) || !S_ISREG(ss.st_mode))
		return 1;
	/* already that file (a rebuild of an output linked before): rename
	 * between two links of one file does nothing */
	if (stat(o->path, &sp) == 0 && sp.st_dev == ss.st_dev && sp.st_ino == ss.st_ino) {
		outfile_abort(o);
		return 0;
	}
	/* a second temporary name, registered like the first, so a signal
	 * between link and rename leaves nothing behind */
	buf_init(&lt);
	buf_printf(&lt, "%sl", o->tmp);
	unlink(lt.p);
	if (link(src, lt.p)) {
		buf_free(&lt);
		return 1;
	}
	reg = tempfile_register(lt.p, 0);
	/* the first temporary goes before the rename: a kill -9 after the
	 * rename must find the output complete and nothing else of ours
	 * (make then takes the output as made, and never sweeps again) */
	path = xstrdup(o->path);
	outfile_abort(o);
	rc = durable_rename(lt.p, path, err);
	if (rc)
		unlink(lt.p);
	tempfile_forget(reg);
	buf_free(&lt);
	free(path);
	return rc ? -1 : 0;
}

void
outfile_abort(struct outfile *o)
{
	if (!o->fp)
		return;
	if (o->direct)
		fclose(o->fp);
	else {
		if (o->gz)
			fclose(o->fp);
		tempfile_abort(o->t);
	}
	o->t = NULL;
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
	char **c = xcalloc((size_t)(n > 0 ? n : 1), sizeof(*c));

	for (i = 0; i < n; i++) {
		struct stat st;

		if (paths[i] && !via_proc(paths[i]) &&
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
	free(c);
	return rc;
}

/* PATH's file ("-": the stream on fd), when it is a regular one */
static int
reg_stat(const char *path, int fd, struct stat *st)
{
	if (!strcmp(path, "-"))
		return fstat(fd, st) == 0 && S_ISREG(st->st_mode);
	return stat(path, st) == 0 && S_ISREG(st->st_mode);
}

int
outfile_check(const char *const *outs, int nout, const char *const *ins, int nin,
	      struct gha_err *err)
{
	int i, k;
	struct stat so, si;

	if (outfile_distinct(outs, nout, err))
		return -1;
	for (i = 0; i < nout; i++) {
		if (!outs[i] || !reg_stat(outs[i], 1, &so))
			continue;
		for (k = i + 1; k < nout; k++) {
			struct stat s2;

			if (outs[k] && reg_stat(outs[k], 1, &s2) && s2.st_dev == so.st_dev &&
			    s2.st_ino == so.st_ino)
				return gha_seterr(err, GHA_USAGE, "'%s' and '%s' are one file: "
						  "each output needs its own", outs[i], outs[k]);
		}
		for (k = 0; k < nin; k++)
			if (ins[k] && reg_stat(ins[k], 0, &si) && si.st_dev == so.st_dev &&
			    si.st_ino == so.st_ino)
				return gha_seterr(err, GHA_USAGE, "output '%s' is the input '%s': "
						  "it would be overwritten",
						  strcmp(outs[i], "-") ? outs[i] : "<stdout>",
						  strcmp(ins[k], "-") ? ins[k] : "<stdin>");
	}
	return 0;
}

/* A whole file at once, the same way. */
int
write_atomic(const char *path, const char *data, size_t n, struct gha_err *err)
{
	struct outfile o;

	if (outfile_open(&o, path, err))
		return -1;
	if (fwrite(data, 1, n, o.fp) != n) {
		gha_seterr(err, GHA_IOERR, "write error on '%s':", path);
		outfile_abort(&o);
		return -1;
	}
	return outfile_commit(&o, err);
}
