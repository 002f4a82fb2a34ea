/* tempfile.c: the temporaries a process holds, in one registry that a
 * fatal signal or exit() empties, so no half-written file outlives the
 * run; and renames that survive a power loss (fsync the file before,
 * the directory after).
 *
 * The registry is a list that only grows: a node is never freed, only
 * marked unused (state 0) and reused for a later name that fits. So the
 * signal handler, which may run in any thread at any moment, walks
 * nodes that stay valid and reads a name only while its state says the
 * name is complete. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tempfile.h"

/* T_HELD: taken by a caller that has not named it yet; skipped by all */
enum { T_UNUSED, T_FILE, T_DIR, T_HELD };

struct tempreg {
	struct tempreg *next;
	volatile sig_atomic_t state;
	char *name;
	size_t cap;
};

struct tempfile {
	struct tempreg *reg;
	int fd;
	FILE *fp;
	char *path, *tmp;
};

static struct tempreg *volatile head;
/* SIGABRT too: out of memory aborts in xmalloc, and leaves nothing */
static const int sigs[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGPIPE, SIGABRT };
#define NSIGS ((int)(sizeof(sigs) / sizeof(sigs[0])))
static struct sigaction old_action[NSIGS];
static int installed;

/* unlink and rmdir only: async-signal-safe. Directories after files,
 * inner ones (registered later, nearer the head) first; a few passes
 * in case a reused node put an outer one first. */
static void
remove_all(void)
{
	struct tempreg *r;
	int pass, left = 1;

	for (r = head; r; r = r->next)
		if (r->state == T_FILE)
			unlink(r->name);
	for (pass = 0; pass < 4 && left; pass++) {
		left = 0;
		for (r = head; r; r = r->next)
			if (r->state == T_DIR && rmdir(r->name) < 0 && errno == ENOTEMPTY)
				left = 1;
	}
}

static void
on_signal(int sig)
{
	int i, saved = errno;

	remove_all();
	for (i = 0; i < NSIGS; i++)
		if (sigs[i] == sig)
			sigaction(sig, &old_action[i], NULL);
	errno = saved;
	raise(sig);	/* delivered (default: fatal) once this handler returns */
}

static void
at_exit(void)
{
	remove_all();
}

void
tempfile_remove_all(void)
{
	struct tempreg *r;

	remove_all();
	for (r = head; r; r = r->next)
		r->state = T_UNUSED;
}

static void
install(void)
{
	int i;

	if (installed)
		return;
	installed = 1;
	for (i = 0; i < NSIGS; i++) {
		struct sigaction sa;

		if (sigaction(sigs[i], NULL, &old_action[i]) < 0)
			continue;
		/* an ignored signal (nohup's SIGHUP) stays ignored */
		if (!(old_action[i].sa_flags & SA_SIGINFO) &&
		    old_action[i].sa_handler == SIG_IGN)
			continue;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(sigs[i], &sa, NULL);
	}
	atexit(at_exit);
}

/* A node with room for a name of n bytes, held (T_HELD) for the caller.
 * All the allocation a registration needs happens here, so a caller can
 * hold a node before it makes the file: out of memory then aborts while
 * there is nothing yet to leave behind. */
static struct tempreg *
hold(size_t n)
{
	struct tempreg *r;

	install();
	for (r = head; r; r = r->next)
		if (r->state == T_UNUSED && r->cap >= n) {
			r->state = T_HELD;
			return r;
		}
	r = xcalloc(1, sizeof(*r));
	r->name = xmalloc(n);
	r->cap = n;
	r->state = T_HELD;
	r->next = head;
	head = r;	/* complete before it is reachable */
	return r;
}

/* Name a held node; no allocation, so it cannot fail. */
static void
name_held(struct tempreg *r, const char *path, int is_dir)
{
	memcpy(r->name, path, strlen(path) + 1);	/* held: the handler skips it */
	r->state = is_dir ? T_DIR : T_FILE;
}

struct tempreg *
tempfile_register(const char *path, int is_dir)
{
	struct tempreg *r = hold(strlen(path) + 1);

	name_held(r, path, is_dir);
	return r;
}

void
tempfile_forget(struct tempreg *r)
{
	if (r)
		r->state = T_UNUSED;
}

static mode_t
new_file_mode(void)
{
	static mode_t mask = (mode_t)-1;

	if (mask == (mode_t)-1) {
		mask = umask(022);
		umask(mask);
	}
	return 0666 & ~mask;
}

struct tempfile *
tempfile_create(const char *path, struct gha_err *err)
{
	struct tempfile *t;
	struct stat st;
	mode_t mode;
	size_t n = strlen(path);
	sigset_t block, old;

	mode = stat(path, &st) == 0 && S_ISREG(st.st_mode) ? st.st_mode & 07777
							    : new_file_mode();
	t = xcalloc(1, sizeof(*t));
	t->path = xstrdup(path);
	t->tmp = xmalloc(n + 16);
	memcpy(t->tmp, path, n);
	memcpy(t->tmp + n, ".tmp.XXXXXX", 12);
	t->fp = NULL;
	/* the node first (it allocates), then no signal between making the
	 * file and naming it there */
	t->reg = hold(n + 12);
	sigemptyset(&block);
	for (int i = 0; i < NSIGS; i++)
		sigaddset(&block, sigs[i]);
	sigprocmask(SIG_BLOCK, &block, &old);
	t->fd = mkstemp(t->tmp);	/* O_CREAT|O_EXCL, a random name */
	if (t->fd >= 0)
		name_held(t->reg, t->tmp, 0);
	else
		tempfile_forget(t->reg);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (t->fd < 0) {
		gha_seterr(err, GHA_IOERR, "cannot create '%s' (as '%s'):", path, t->tmp);
		free(t->path);
		free(t->tmp);
		free(t);
		return NULL;
	}
	if (fchmod(t->fd, mode) < 0) {
		gha_seterr(err, GHA_IOERR, "cannot set the mode of '%s':", t->tmp);
		tempfile_abort(t);
		return NULL;
	}
	return t;
}

int
tempfile_fd(const struct tempfile *t)
{
	return t->fd;
}

const char *
tempfile_name(const struct tempfile *t)
{
	return t->tmp;
}

FILE *
tempfile_fdopen(struct tempfile *t, const char *mode)
{
	if (!t->fp)
		t->fp = fdopen(t->fd, mode);
	return t->fp;
}

static void
release(struct tempfile *t)
{
	tempfile_forget(t->reg);
	free(t->path);
	free(t->tmp);
	free(t);
}

void
tempfile_abort(struct tempfile *t)
{
	if (!t)
		return;
	if (t->fp)
		fclose(t->fp);
	else
		close(t->fd);
	unlink(t->tmp);
	release(t);
}

/* fsync, where the filesystem can */
static int
sync_fd(int fd)
{
	return fsync(fd) < 0 && errno != EINVAL && errno != EROFS ? -1 : 0;
}

int
fsync_parent(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd, rc = 0;

	if (!slash)
		dir = xstrdup(".");
	else if (slash == path)
		dir = xstrdup("/");
	else {
		dir = xmalloc((size_t)(slash - path) + 1);
		memcpy(dir, path, (size_t)(slash - path));
		dir[slash - path] = '\0';
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		rc = sync_fd(fd);
		close(fd);
	}
	free(dir);
	return rc;
}

int
tempfile_commit(struct tempfile *t, struct gha_err *err)
{
	int bad = 0;

	if (t->fp) {
		bad = fflush(t->fp) == EOF || ferror(t->fp);
		if (!bad && sync_fd(fileno(t->fp)))
			bad = 1;
		if (fclose(t->fp) == EOF)
			bad = 1;
	} else {
		bad = sync_fd(t->fd) < 0;
		if (close(t->fd) < 0)
			bad = 1;
	}
	t->fp = NULL;
	if (bad) {
		gha_seterr(err, GHA_IOERR, "write error on '%s':", t->path);
		unlink(t->tmp);
		release(t);
		return -1;
	}
	if (rename(t->tmp, t->path) < 0) {
		gha_seterr(err, GHA_IOERR, "cannot rename '%s' to '%s':", t->tmp, t->path);
		unlink(t->tmp);
		release(t);
		return -1;
	}
	tempfile_forget(t->reg);
	if (fsync_parent(t->path)) {
		gha_seterr(err, GHA_IOERR, "cannot sync the directory of '%s':", t->path);
		release(t);
		return -1;
	}
	release(t);
	return 0;
}

int
durable_rename(const char *from, const char *to, struct gha_err *err)
{
	int fd = open(from, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || sync_fd(fd) < 0) {
		gha_seterr(err, GHA_IOERR, "cannot sync '%s':", from);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	if (rename(from, to) < 0)
		return gha_seterr(err, GHA_IOERR, "cannot rename '%s' to '%s':", from, to);
	if (fsync_parent(to))
		return gha_seterr(err, GHA_IOERR, "cannot sync the directory of '%s':", to);
	return 0;
}
