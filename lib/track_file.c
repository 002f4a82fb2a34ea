/* track_file.c: a run written as an MLflow file store (FileStore's
 * layout: mlflow/store/tracking/file_store.py):
 *   DIR/0/meta.yaml                  the Default experiment
 *   DIR/EXP/meta.yaml                artifact_location, creation_time,
 *                                    experiment_id, last_update_time,
 *                                    lifecycle_stage, name
 *   DIR/EXP/RUN/meta.yaml            the run (status as MLflow's int enum)
 *   DIR/EXP/RUN/{params,tags}/KEY    the value, no newline
 *   DIR/EXP/RUN/metrics/KEY          "timestamp value step" lines
 *   DIR/EXP/RUN/artifacts/...
 * Atomic: the run is built in DIR/EXP/.tmp.RUN.HOST.PID (FileStore skips
 * a folder without meta.yaml), renamed to DIR/EXP/RUN at the end, and its
 * meta.yaml, which makes it a run, goes in last by rename. A kill before
 * that leaves no run; SIGINT/SIGTERM/exit remove the temporary folder
 * (tempfile.h), and the next run in the experiment removes one that a
 * kill -9 left (its process gone). Experiments are looked up and made under a lock
 * (DIR/.gha-track.lock, flock), so two processes asking for the same
 * new name get one experiment. */
#define _XOPEN_SOURCE 700	/* nftw */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gha.h"
#include "mkdirs.h"
#include "tempfile.h"
#include "track.h"
#include "track_impl.h"
#include "hex.h"

struct tfile {
	char *root;		/* absolute */
	char *tmpdir;		/* DIR/EXP/.tmp.RUN.HOST.PID while building */
	char *finaldir;		/* DIR/EXP/RUN */
	char *artifact_uri;	/* the run's, as meta.yaml records it */
	char *ext_artdir;	/* artifacts outside the run folder, else NULL */
	int remote_art;		/* the experiment's artifacts are not local */
	struct made {		/* what SIGINT/exit must remove, in order made */
		struct tempreg *r;
		char *path;
		int dir;
	} *regs;
	size_t nregs, capregs;
};

static char *
join(const char *a, const char *b)
{
	struct buf x;

	buf_init(&x);
	buf_printf(&x, "%s/%s", a, b);
	buf_addc(&x, '\0');
	return x.p;
}

static void
reg(struct tfile *f, const char *path, int is_dir)
{
	if (f->nregs == f->capregs) {
		f->capregs = f->capregs ? 2 * f->capregs : 32;
		f->regs = xrealloc(f->regs, f->capregs * sizeof(*f->regs));
	}
	f->regs[f->nregs].r = tempfile_register(path, is_dir);
	f->regs[f->nregs].path = xstrdup(path);
	f->regs[f->nregs].dir = is_dir;
	f->nregs++;
}

static void
forget_all(struct tfile *f)
{
	size_t i;

	for (i = 0; i < f->nregs; i++) {
		tempfile_forget(f->regs[i].r);
		free(f->regs[i].path);
	}
	f->nregs = 0;
}

/* Remove the temporary run folder, deepest first (the reverse of the
 * order things were made in). */
static void
remove_tmp(struct tfile *f)
{
	size_t i = f->nregs;

	while (i-- > 0) {
		if (f->regs[i].dir)
			rmdir(f->regs[i].path);
		else
			unlink(f->regs[i].path);
	}
	forget_all(f);
}

static int
read_all(const char *path, struct buf *b)
{
	FILE *fp = fopen(path, "rb");
	char tmp[4096];
	size_t k;
	int bad;

	if (!fp)
		return -1;
	while ((k = fread(tmp, 1, sizeof(tmp), fp)) > 0) {
		buf_add(b, tmp, k);
		if (b->len > (1u << 20))
			break;	/* a meta.yaml is small: not one of ours */
	}
	bad = ferror(fp);
	fclose(fp);
	return bad ? -1 : 0;
}

/* Path.as_uri(): file:// and the path, %-encoded but for unreserved
 * bytes and '/' */
static char *
file_uri(const char *path)
{
	struct buf b;
	const unsigned char *p;

	buf_init(&b);
	buf_adds(&b, "file://");
	for (p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '/' || *p == '-' || *p == '_' || *p == '.' || *p == '~')
			buf_addc(&b, (char)*p);
		else
			buf_printf(&b, "%%%02X", *p);
	}
	buf_addc(&b, '\0');
	return b.p;
}

/* A local artifact location (file:///x, file:x or a plain path) as a
 * path; NULL for another scheme (s3://, mlflow-artifacts:/ ...). */
static char *
local_path(const char *loc)
{
	struct buf b;
	const char *p;

	if (strncmp(loc, "file:", 5) == 0) {
		p = loc + 5;
		if (strncmp(p, "//", 2) == 0) {
			p += 2;
			if (strncmp(p, "localhost", 9) == 0)
				p += 9;
			if (*p != '/')
				return NULL;	/* file://host/... */
		}
	} else if (strstr(loc, "://") || strncmp(loc, "mlflow-artifacts:", 17) == 0) {
		return NULL;
	} else {
		p = loc;
	}
	buf_init(&b);
	for (; *p; p++) {
		if (*p == '%' && hex_digit((unsigned char)p[1]) >= 0 && hex_digit((unsigned char)p[2]) >= 0) {
			buf_addc(&b, (char)(hex_digit((unsigned char)p[1]) * 16 + hex_digit((unsigned char)p[2])));
			p += 2;
		} else {
			buf_addc(&b, *p);
		}
	}
	buf_addc(&b, '\0');
	return b.p;
}

static int
write_yaml_atomic(const char *path, const struct buf *y, struct gha_err *err)
{
	struct tempfile *tf = tempfile_create(path, err);
	FILE *fp;

	if (!tf)
		return -1;
	fp = tempfile_fdopen(tf, "w");
	if (!fp) {
		tempfile_abort(tf);
		return gha_seterr(err, GHA_IOERR, "cannot write '%s':", path);
	}
	fwrite(y->p, 1, y->len, fp);
	return tempfile_commit(tf, err);
}

static int
write_experiment_meta(const char *root, const char *id, const char *name, struct gha_err *err)
{
	char *dir = join(root, id), *path = join(dir, "meta.yaml"), *uri = file_uri(dir);
	int64_t now = track_now_ms();
	struct buf y;
	int rc;

	buf_init(&y);
	buf_adds(&y, "artifact_location: ");
	yaml_addstr(&y, uri);
	buf_printf(&y, "\ncreation_time: %lld\nexperiment_id: ", (long long)now);
	yaml_addstr(&y, id);
	buf_printf(&y, "\nlast_update_time: %lld\nlifecycle_stage: active\nname: ", (long long)now);
	yaml_addstr(&y, name);
	buf_addc(&y, '\n');
	rc = write_yaml_atomic(path, &y, err);
	buf_free(&y);
	free(uri);
	free(path);
	free(dir);
	return rc;
}

struct expinfo {
	char *id, *artifact_location;
};

/* Look for an experiment named NAME among DIR's folders (active) or in
 * DIR/.trash (deleted: MLflow refuses to reuse its name). 1 found,
 * 0 not, -1 with err. */
static int
find_experiment(const char *root, const char *name, struct expinfo *out, struct gha_err *err)
{
	static const char *const where[] = { "", ".trash" };
	int w;

	for (w = 0; w < 2; w++) {
		char *dir = *where[w] ? join(root, where[w]) : xstrdup(root);
		DIR *d = opendir(dir);
		struct dirent *e;
		int found = 0;

		if (!d) {
			int e0 = errno;

			free(dir);
			if (w == 1 && e0 == ENOENT)
				continue;
			errno = e0;
			return gha_seterr(err, GHA_IOERR, "cannot read '%s':", root);
		}
		while (!found && (e = readdir(d))) {
			char *edir, *meta, *v = NULL;
			struct buf y;

			if (e->d_name[0] == '.' || strcmp(e->d_name, "models") == 0)
				continue;
			edir = join(dir, e->d_name);
			meta = join(edir, "meta.yaml");
			buf_init(&y);
			if (read_all(meta, &y) == 0 && yaml_get(y.p, y.len, "name", &v) &&
			    strcmp(v, name) == 0) {
				char *id = NULL, *stage = NULL;

				yaml_get(y.p, y.len, "experiment_id", &id);
				yaml_get(y.p, y.len, "lifecycle_stage", &stage);
				/* FileStore ignores an experiment whose id is not its folder's */
				if (id && strcmp(id, e->d_name) == 0) {
					if (w == 1 || (stage && strcmp(stage, "deleted") == 0)) {
						found = -1;
					} else {
						found = 1;
						out->id = xstrdup(id);
						if (!yaml_get(y.p, y.len, "artifact_location",
							      &out->artifact_location))
							out->artifact_location = NULL;
					}
				}
				free(id);
				free(stage);
			}
			free(v);
			buf_free(&y);
			free(meta);
			free(edir);
		}
		closedir(d);
		free(dir);
		if (found < 0)
			return gha_seterr(err, GHA_USAGE,
					  "experiment '%s' exists in deleted state (restore it, or remove it from %s/.trash)",
					  name, root);
		if (found)
			return 1;
	}
	return 0;
}

/* MLflow's ids: 18 decimal digits, the first not 0 */
static int
new_experiment(const char *root, const char *name, struct expinfo *out, struct gha_err *err)
{
	int tries;

	for (tries = 0; tries < 100; tries++) {
		unsigned char r[18];
		char id[19], *dir;
		int i;

		if (track_random(r, sizeof(r)) < 0)
			return gha_seterr(err, GHA_IOERR, "no random bytes:");
		for (i = 0; i < 18; i++)
			id[i] = (char)('0' + (i == 0 ? 1 + r[i] % 9 : r[i] % 10));
		id[18] = '\0';
		dir = join(root, id);
		if (mkdir(dir, 0777) < 0) {
			int e = errno;

			free(dir);
			if (e == EEXIST)
				continue;
			errno = e;
			return gha_seterr(err, GHA_IOERR, "cannot create experiment folder in '%s':", root);
		}
		free(dir);
		if (write_experiment_meta(root, id, name, err) < 0)
			return -1;
		out->id = xstrdup(id);
		out->artifact_location = NULL;
		return 0;
	}
	return gha_seterr(err, GHA_IOERR, "no free experiment id in '%s'", root);
}

/* Under the lock: the Default experiment, then NAME found or made. */
static int
experiment(const char *root, const char *name, struct expinfo *out, struct gha_err *err)
{
	char *lock = join(root, ".gha-track.lock"), *zero = join(root, "0"), *trash;
	int fd, rc = 0;
	struct stat st;

	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0 || flock(fd, LOCK_EX) < 0) {
		rc = gha_seterr(err, GHA_IOERR, "cannot lock '%s':", lock);
		goto out;
	}
	trash = join(root, ".trash");
	if (mkdir(trash, 0777) < 0 && errno != EEXIST)
		rc = gha_seterr(err, GHA_IOERR, "cannot create '%s':", trash);
	free(trash);
	if (rc < 0)
		goto out;
	if (stat(zero, &st) < 0) {
		if (mkdir(zero, 0777) < 0 || write_experiment_meta(root, "0", "Default", err) < 0) {
			if (!err->code)
				gha_seterr(err, GHA_IOERR, "cannot create '%s':", zero);
			rc = -1;
			goto out;
		}
	}
	rc = find_experiment(root, name ? name : "Default", out, err);
	if (rc == 0) {
		if (!name) {
			out->id = xstrdup("0");
			out->artifact_location = NULL;
		} else {
			rc = new_experiment(root, name, out, err);
		}
	}
	if (rc > 0)
		rc = 0;
out:
	if (fd >= 0)
		close(fd);	/* releases the lock */
	free(zero);
	free(lock);
	return rc;
}

/* mkdir -p for REL's folders under BASE, registering each one made */
static int
mkparents(struct tfile *f, const char *base, const char *rel, struct gha_err *err)
{
	struct buf p;
	const char *s;
	int rc = 0;

	buf_init(&p);
	buf_adds(&p, base);
	for (s = rel; (s = strchr(s, '/')); s++) {
		struct buf d;

		buf_init(&d);
		buf_add(&d, p.p, p.len);
		buf_addc(&d, '/');
		buf_add(&d, rel, (size_t)(s - rel));
		buf_addc(&d, '\0');
		if (mkdir(d.p, 0777) == 0) {
			reg(f, d.p, 1);
		} else if (errno != EEXIST) {
			rc = gha_seterr(err, errno == ENOTDIR ? GHA_USAGE : GHA_IOERR,
					"cannot create '%s':", d.p);
		} else {
			struct stat st;

			if (stat(d.p, &st) < 0 || !S_ISDIR(st.st_mode))
				rc = gha_seterr(err, GHA_USAGE,
						"'%s' names both a value and a folder of values", rel);
		}
		buf_free(&d);
		if (rc < 0)
			break;
	}
	buf_free(&p);
	return rc;
}

static int
put(struct tfile *f, const char *sub, const char *key, const char *data, size_t n, int append,
    struct gha_err *err)
{
	char *base = join(f->tmpdir, sub), *path = join(base, key);
	struct stat st;
	int fd, rc = 0, isnew;

	if (mkparents(f, base, key, err) < 0) {
		rc = -1;
		goto out;
	}
	isnew = lstat(path, &st) < 0;
	if (!isnew && !S_ISREG(st.st_mode)) {
		rc = gha_seterr(err, GHA_USAGE, "'%s' names both a value and a folder of values", key);
		goto out;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | (append ? O_APPEND : O_TRUNC), 0666);
	if (fd < 0) {
		rc = gha_seterr(err, GHA_IOERR, "cannot write '%s':", path);
		goto out;
	}
	if (isnew)
		reg(f, path, 0);
	while (n > 0) {
		ssize_t k = write(fd, data, n);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			rc = gha_seterr(err, GHA_IOERR, "cannot write '%s':", path);
			break;
		}
		data += k;
		n -= (size_t)k;
	}
	if (close(fd) < 0 && rc == 0)
		rc = gha_seterr(err, GHA_IOERR, "cannot write '%s':", path);
out:
	free(path);
	free(base);
	return rc;
}

static int
f_param(struct track *t, const char *key, const char *value, struct gha_err *err)
{
	return put(t->be, "params", key, value, strlen(value), 0, err);
}

static int
f_tag(struct track *t, const char *key, const char *value, struct gha_err *err)
{
	return put(t->be, "tags", key, value, strlen(value), 0, err);
}

static int
f_metric(struct track *t, const char *key, double value, int64_t step, int64_t ts_ms,
	 struct gha_err *err)
{
	struct buf line;
	int rc;

	buf_init(&line);
	buf_printf(&line, "%lld ", (long long)ts_ms);
	track_fmt_double(&line, value);
	buf_printf(&line, " %lld\n", (long long)step);
	rc = put(t->be, "metrics", key, line.p, line.len, 1, err);
	buf_free(&line);
	return rc;
}

static int
copy_fd(int in, int out)
{
	char tmp[65536];
	ssize_t k;

	while ((k = read(in, tmp, sizeof(tmp))) != 0) {
		char *p = tmp;

		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		while (k > 0) {
			ssize_t w = write(out, p, (size_t)k);

			if (w < 0) {
				if (errno == EINTR)
					continue;
				return -1;
			}
			p += w;
			k -= w;
		}
	}
	return 0;
}

static int
f_artifact(struct track *t, const char *src, const char *name, struct gha_err *err)
{
	struct tfile *f = t->be;
	int in = open(src, O_RDONLY | O_CLOEXEC), out, rc = 0;
	char *base, *path;

	if (f->remote_art) {
		if (in >= 0)
			close(in);
		return gha_seterr(err, GHA_UNAVAILABLE,
				  "artifact '%s': the run's artifact location '%s' is not a local path",
				  name, f->artifact_uri);
	}
	if (in < 0)
		return gha_seterr(err, GHA_NOINPUT, "artifact '%s':", src);
	if (f->ext_artdir) {
		/* outside the run folder: each file atomic on its own */
		struct tempfile *tf;

		path = join(f->ext_artdir, name);
		base = xstrdup(path);
		*strrchr(base, '/') = '\0';
		if (mkdirs(base, err) < 0 || !(tf = tempfile_create(path, err))) {
			rc = -1;
		} else if (copy_fd(in, tempfile_fd(tf)) < 0) {
			rc = gha_seterr(err, GHA_IOERR, "cannot copy '%s' to '%s':", src, path);
			tempfile_abort(tf);
		} else {
			rc = tempfile_commit(tf, err);
		}
		free(base);
		free(path);
		close(in);
		return rc;
	}
	base = join(f->tmpdir, "artifacts");
	path = join(base, name);
	if (mkparents(f, base, name, err) < 0) {
		rc = -1;
	} else if ((out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666)) < 0) {
		rc = gha_seterr(err, errno == EEXIST ? GHA_USAGE : GHA_IOERR,
				"artifact '%s':", name);
	} else {
		reg(f, path, 0);
		if (copy_fd(in, out) < 0)
			rc = gha_seterr(err, GHA_IOERR, "cannot copy '%s' to '%s':", src, path);
		if (close(out) < 0 && rc == 0)
			rc = gha_seterr(err, GHA_IOERR, "cannot write '%s':", path);
	}
	close(in);
	free(path);
	free(base);
	return rc;
}

/* fsync what the run holds before the rename makes it a run: a power
 * loss then leaves either no run or all of it */
static int
sync_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	int fd;

	(void)st;
	(void)ftw;
	if (type != FTW_F && type != FTW_D && type != FTW_DP)
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fsync(fd) < 0 && errno != EINVAL) {
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static const char *
host_name(void)
{
	static char h[256];
	size_t i;

	if (!h[0]) {
		if (gethostname(h, sizeof(h) - 1) < 0 || !h[0])
			snprintf(h, sizeof(h), "localhost");
		/* a name part of our temporary folders: no '/' */
		for (i = 0; h[i]; i++)
			if (h[i] == '/')
				h[i] = '_';
	}
	return h;
}

static int
remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

/* A run killed (kill -9, power loss) leaves EXP/.tmp.RUN.HOST.PID, hidden
 * from MLflow. Remove those of this host whose process is gone; another
 * host's (a shared file system) and a live process's stay. */
static void
sweep(const char *expdir)
{
	DIR *d = opendir(expdir);
	struct dirent *e;
	size_t hl = strlen(host_name());

	if (!d)
		return;
	while ((e = readdir(d))) {
		const char *p = e->d_name, *pid;
		char *end, *path;
		long v;

		if (strncmp(p, ".tmp.", 5) != 0 || strlen(p) < 5 + 32 + 1 + hl + 2)
			continue;
		p += 5 + 32;
		if (*p != '.' || strncmp(p + 1, host_name(), hl) != 0 || p[1 + hl] != '.')
			continue;
		pid = p + 2 + hl;
		errno = 0;
		v = strtol(pid, &end, 10);
		if (errno || *end || v <= 0 || v == (long)getpid() ||
		    kill((pid_t)v, 0) == 0 || errno != ESRCH)
			continue;
		path = join(expdir, e->d_name);
		nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
		free(path);
	}
	closedir(d);
}

static const int run_status[] = {
	[TRACK_FINISHED] = 3, [TRACK_FAILED] = 4, [TRACK_KILLED] = 5,
};

static int
f_end(struct track *t, enum track_status st, int64_t end_ms, struct gha_err *err)
{
	struct tfile *f = t->be;
	struct buf y;
	char *meta;
	int rc;

	if (nftw(f->tmpdir, sync_one, 16, FTW_PHYS) != 0)
		return gha_seterr(err, GHA_IOERR, "cannot sync '%s':", f->tmpdir);
	if (rename(f->tmpdir, f->finaldir) < 0)
		return gha_seterr(err, GHA_IOERR, "cannot rename '%s' to '%s':", f->tmpdir,
				  f->finaldir);
	forget_all(f);
	fsync_parent(f->finaldir);
	buf_init(&y);
	buf_adds(&y, "artifact_uri: ");
	yaml_addstr(&y, f->artifact_uri);
	buf_printf(&y, "\ndeleted_time: null\nend_time: %lld\nentry_point_name: ''\nexperiment_id: ",
		   (long long)end_ms);
	yaml_addstr(&y, t->exp_id);
	buf_adds(&y, "\nlifecycle_stage: active\nrun_id: ");
	yaml_addstr(&y, t->run_id);
	buf_adds(&y, "\nrun_name: ");
	yaml_addstr(&y, t->run_name);
	buf_adds(&y, "\nrun_uuid: ");
	yaml_addstr(&y, t->run_id);
	buf_printf(&y, "\nsource_name: ''\nsource_type: 4\nsource_version: ''\nstart_time: %lld\n"
		   "status: %d\ntags: []\nuser_id: ", (long long)t->start_ms, run_status[st]);
	yaml_addstr(&y, t->user);
	buf_addc(&y, '\n');
	meta = join(f->finaldir, "meta.yaml");
	rc = write_yaml_atomic(meta, &y, err);
	free(meta);
	buf_free(&y);
	return rc;
}

static void
f_free(struct track *t)
{
	struct tfile *f = t->be;

	if (!f)
		return;
	if (f->nregs)
		remove_tmp(f);	/* never ended: no run */
	free(f->regs);
	free(f->root);
	free(f->tmpdir);
	free(f->finaldir);
	free(f->artifact_uri);
	free(f->ext_artdir);
	free(f);
	t->be = NULL;
}

static const struct track_ops file_ops = {
	f_param, f_tag, f_metric, f_artifact, f_end, f_free,
};

static void
uuid4_hex(char out[257])
{
	unsigned char r[16];
	int i;

	if (track_random(r, sizeof(r)) < 0) {
		/* no getrandom: time and pid still make a clash unlikely */
		int64_t now = track_now_ms();

		for (i = 0; i < 16; i++)
			r[i] = (unsigned char)((now >> (8 * (i % 8))) ^ (getpid() >> (i % 4)) ^ (i * 37));
	}
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
	for (i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", r[i]);
}

int
track_file_start(struct track *t, const char *dir, const char *name, struct gha_err *err)
{
	struct tfile *f;
	struct expinfo ex = { NULL, NULL };
	char resolved[PATH_MAX], *expdir, *loc, *exp_uri;
	static const char *const subs[] = { "metrics", "params", "tags", "artifacts" };
	size_t i;

	if (mkdirs(dir, err) < 0)
		return -1;
	if (!realpath(dir, resolved))
		return gha_seterr(err, GHA_IOERR, "cannot resolve '%s':", dir);
	f = xcalloc(1, sizeof(*f));
	t->be = f;
	t->ops = &file_ops;
	f->root = xstrdup(resolved);
	if (experiment(f->root, name, &ex, err) < 0)
		return -1;
	t->exp_id = ex.id;
	uuid4_hex(t->run_id);
	expdir = join(f->root, t->exp_id);
	f->finaldir = join(expdir, t->run_id);
	exp_uri = file_uri(expdir);
	/* the run's artifacts: under the experiment's artifact_location */
	loc = local_path(ex.artifact_location ? ex.artifact_location : exp_uri);
	{
		struct buf u;

		buf_init(&u);
		buf_printf(&u, "%s/%s/artifacts", ex.artifact_location ? ex.artifact_location : exp_uri,
			   t->run_id);
		buf_addc(&u, '\0');
		f->artifact_uri = u.p;
	}
	if (loc) {
		char lr[PATH_MAX];

		if (!realpath(loc, lr) || strcmp(lr, expdir) != 0) {
			struct buf a;

			buf_init(&a);
			buf_printf(&a, "%s/%s/artifacts", loc, t->run_id);
			buf_addc(&a, '\0');
			f->ext_artdir = a.p;
		}
	} else {
		/* artifacts cannot be written there: refused at track_artifact */
		f->remote_art = 1;
	}
	free(exp_uri);
	{
		struct buf tmp;

		buf_init(&tmp);
		buf_printf(&tmp, "%s/.tmp.%s.%s.%ld", expdir, t->run_id, host_name(), (long)getpid());
		buf_addc(&tmp, '\0');
		f->tmpdir = tmp.p;
	}
	sweep(expdir);
	free(expdir);
	free(ex.artifact_location);
	free(loc);
	if (mkdir(f->tmpdir, 0777) < 0)
		return gha_seterr(err, GHA_IOERR, "cannot create '%s':", f->tmpdir);
	reg(f, f->tmpdir, 1);
	for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		char *s = join(f->tmpdir, subs[i]);

		if (mkdir(s, 0777) < 0) {
			gha_seterr(err, GHA_IOERR, "cannot create '%s':", s);
			free(s);
			return -1;
		}
		reg(f, s, 1);
		free(s);
	}
	return track_system_tags(t, err);
}
