/* test_tempfile.c: temporaries made with O_EXCL under a random name
 * (a link planted at the old predictable name is not followed), a
 * replaced file's mode kept, temporaries gone after a fatal signal or an
 * exit without commit, ignored signals left ignored, earlier handlers
 * still called. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <dirent.h>
#include <unistd.h>

#include "gha.h"
#include "outfile.h"
#include "tap.h"
#include "tempfile.h"

static char dir[] = "/tmp/gha-test-tempfile-XXXXXX";
static char path[4096], victim[4096];

static int
entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void
put(const char *p, const char *s)
{
	FILE *fp = fopen(p, "w");

	if (fp) {
		fputs(s, fp);
		fclose(fp);
	}
}

static int
holds(const char *p, const char *s)
{
	char b[256];
	FILE *fp = fopen(p, "r");
	size_t n;

	if (!fp)
		return 0;
	n = fread(b, 1, sizeof(b) - 1, fp);
	fclose(fp);
	b[n] = '\0';
	return !strcmp(b, s);
}

static void
clean(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[4200];

	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
			unlink(p);
		}
	if (d)
		closedir(d);
}

/* write "new" to path through outfile; 0 on success */
static int
write_out(void)
{
	struct outfile o;
	struct gha_err err;

	if (outfile_open(&o, path, &err))
		return -1;
	fputs("new", o.fp);
	return outfile_commit(&o, &err);
}

static void
prev_handler(int sig)
{
	(void)sig;
	_exit(42);
}

/* in a child: make a temporary, then what `how` says; returns the
 * child's wait status */
static int
child(int how)
{
	pid_t pid;
	int st = 0;

	fflush(stdout);	/* the child's exit() must not print it again */
	pid = fork();

	if (pid == 0) {
		struct gha_err err;
		struct tempfile *t;

		if (how == 3)
			signal(SIGHUP, SIG_IGN);
		if (how == 4)
			signal(SIGTERM, prev_handler);
		t = tempfile_create(path, &err);
		if (!t)
			_exit(99);
		if (write(tempfile_fd(t), "partial", 7) != 7)
			_exit(98);
		if (how == 5) {
			mkdir(victim, 0777);
			tempfile_register(victim, 1);
			snprintf(victim + strlen(victim), 64, "/inner");
			put(victim, "x");
			tempfile_register(victim, 0);
		}
		switch (how) {
		case 0: raise(SIGTERM); break;
		case 1: raise(SIGINT); break;
		case 2: raise(SIGHUP); break;
		case 3: raise(SIGHUP); _exit(tempfile_commit(t, &err) ? 97 : 0);
		case 4: raise(SIGTERM); break;
		default: exit(1);	/* an error exit, no commit */
		}
		_exit(96);
	}
	waitpid(pid, &st, 0);
	return st;
}

int
main(void)
{
	struct stat st;
	struct gha_err err;
	struct tempfile *t;
	int s;
	mode_t old;

	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/out", dir);
	snprintf(victim, sizeof(victim), "%s/victim", dir);

	/* a link planted where the old code wrote (NAME.tmp.PID) */
	{
		pid_t pid;
		int ws = 0;
		char link[4200];

		put(victim, "precious");
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			snprintf(link, sizeof(link), "%s.tmp.%ld", path, (long)getpid());
			if (symlink(victim, link))
				_exit(2);
			_exit(write_out() ? 1 : 0);
		}
		waitpid(pid, &ws, 0);
		ok(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "write beside a planted link: done");
		ok(holds(victim, "precious"), "the planted link is not followed: its target is untouched");
		ok(holds(path, "new"), "the output is written");
		ok(lstat(path, &st) == 0 && S_ISREG(st.st_mode), "the output is a file, not the link");
		clean();
	}

	/* signals and exits, in children, before this process makes a
	 * temporary of its own (the handlers are installed with the first) */
	s = child(0);
	ok(WIFSIGNALED(s) && WTERMSIG(s) == SIGTERM && entries() == 0,
	   "SIGTERM: the process dies of it, no temporary left (%d left)", entries());
	clean();
	s = child(1);
	ok(WIFSIGNALED(s) && WTERMSIG(s) == SIGINT && entries() == 0, "SIGINT: no temporary left");
	clean();
	s = child(2);
	ok(WIFSIGNALED(s) && WTERMSIG(s) == SIGHUP && entries() == 0, "SIGHUP: no temporary left");
	clean();
	s = child(3);
	ok(WIFEXITED(s) && WEXITSTATUS(s) == 0 && holds(path, "partial"),
	   "an ignored SIGHUP (nohup) stays ignored; the commit goes through");
	clean();
	s = child(4);
	ok(WIFEXITED(s) && WEXITSTATUS(s) == 42 && entries() == 0,
	   "an earlier SIGTERM handler still runs, after the temporary is gone");
	clean();
	s = child(5);
	ok(WIFEXITED(s) && WEXITSTATUS(s) == 1 && entries() == 0,
	   "exit without commit: temporaries, a registered file and directory all gone (%d left)",
	   entries());
	clean();

	/* the temporary's name: beside the target, not predictable */
	t = tempfile_create(path, &err);
	ok(t && !strncmp(tempfile_name(t), path, strlen(path)) &&
	   strcmp(tempfile_name(t) + strlen(path), ".tmp.XXXXXX") &&
	   !strncmp(tempfile_name(t) + strlen(path), ".tmp.", 5),
	   "temporary '%s' beside the target, random suffix", t ? tempfile_name(t) : "(none)");
	tempfile_abort(t);
	ok(entries() == 0, "abort leaves nothing");

	/* modes */
	{
		unsigned m[3];
		int r[3];

		put(path, "old");
		chmod(path, 0640);
		r[0] = write_out();
		m[0] = stat(path, &st) == 0 ? (unsigned)(st.st_mode & 07777) : 0;
		chmod(path, 0755);
		r[1] = write_out();
		m[1] = stat(path, &st) == 0 ? (unsigned)(st.st_mode & 07777) : 0;
		unlink(path);
		old = umask(022);
		r[2] = write_out();
		m[2] = stat(path, &st) == 0 ? (unsigned)(st.st_mode & 07777) : 0;
		ok(r[0] == 0 && m[0] == 0640, "a replaced file keeps its mode 0640 (got %o)", m[0]);
		ok(r[1] == 0 && m[1] == 0755, "a replaced file keeps its mode 0755 (got %o)", m[1]);
		ok(r[2] == 0 && m[2] == 0644, "a new file: 0666 & ~umask 022 = 0644 (got %o)", m[2]);
	}
	umask(old);
	clean();

	/* errors */
	{
		char nodir[4200];

		snprintf(nodir, sizeof(nodir), "%s/no/such/out", dir);
		t = tempfile_create(nodir, &err);
		ok(!t && err.code == GHA_IOERR && strstr(err.msg, "cannot create"),
		   "no directory: 74 (%s)", err.msg);
	}
	put(victim, "data");
	ok(durable_rename(victim, path, &err) == 0 && holds(path, "data") && entries() == 1,
	   "durable_rename moves the file");
	clean();
	rmdir(dir);
	return tap_done();
}
