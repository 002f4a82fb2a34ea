/* test_err.c: gha_seterr, gha_warn, gha_setprog, gha_exit_worse, and
 * fshut (the checked close at exit). stderr is redirected to a file to
 * read the messages back. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gha.h"
#include "tap.h"

static char errfile[] = "/tmp/gha-test-err-XXXXXX";

/* Run f with stderr going to errfile; return what it wrote. */
static const char *
capture(void (*f)(void))
{
	static char out[2048];
	int saved = dup(2), fd = open(errfile, O_RDWR | O_TRUNC);
	ssize_t n;

	fflush(stderr);
	dup2(fd, 2);
	f();
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	lseek(fd, 0, SEEK_SET);
	n = read(fd, out, sizeof(out) - 1);
	close(fd);
	out[n > 0 ? n : 0] = '\0';
	return out;
}

static void
warn_plain(void)
{
	gha_warn("bad thing %d", 42);
}

static void
warn_errno(void)
{
	errno = ENOENT;
	gha_warn("cannot open '%s':", "x.gz");
}

static void
warn_colon_inside(void)
{
	errno = ENOENT;
	gha_warn("%s", "ends with colon:");
}

/* for display: the text up to its first newline */
static const char *
line1(const char *s)
{
	static char b[2048];
	size_t n = strcspn(s, "\n");

	memcpy(b, s, n);
	b[n] = '\0';
	return b;
}

static int rc_fshut;

static void
do_fshut_full(void)
{
	FILE *fp = fopen("/dev/full", "w");

	if (fp) {
		fputs("x", fp);
		rc_fshut = fshut(fp, "/dev/full");
	} else {
		rc_fshut = -1;
	}
}

int
main(void)
{
	struct gha_err e;
	const char *out;
	int fd = mkstemp(errfile);

	if (fd < 0) {
		printf("Bail out! mkstemp\n");
		return 1;
	}
	close(fd);

	/* gha_seterr */
	memset(&e, 0, sizeof(e));
	ok(gha_seterr(&e, GHA_DATAERR, "line %d: %s", 7, "bad") == -1, "gha_seterr returns -1");
	ok(e.code == GHA_DATAERR && !strcmp(e.msg, "line 7: bad"), "code and message (%s)", e.msg);
	errno = EACCES;
	gha_seterr(&e, GHA_NOINPUT, "cannot open '%s':", "f");
	ok(e.code == GHA_NOINPUT && !strcmp(e.msg, "cannot open 'f': Permission denied") ,
	   "a format ending in ':' appends strerror (%s)", e.msg);
	errno = EACCES;
	gha_seterr(&e, GHA_IOERR, "%s", "no:");
	ok(!strcmp(e.msg, "no:"), "only the format's last character counts (%s)", e.msg);
	{
		char big[600];

		memset(big, 'm', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		errno = EIO;
		gha_seterr(&e, GHA_IOERR, "%s:", big);
		ok(strlen(e.msg) == sizeof(e.msg) - 1 && e.msg[0] == 'm', "a long message is cut to fit");
	}

	/* gha_exit_worse: the order the man pages give */
	{
		static const int order[] = { GHA_OK, GHA_PARTIAL, GHA_TEMPFAIL, GHA_DATAERR, GHA_NOINPUT,
					     GHA_UNAVAILABLE, GHA_IOERR, GHA_USAGE };
		size_t i, j;
		int bad = 0;

		for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
			for (j = 0; j < sizeof(order) / sizeof(order[0]); j++) {
				int w = gha_exit_worse(order[i], order[j]);

				if (w != order[i > j ? i : j])
					bad++;
			}
		ok(bad == 0, "gha_exit_worse ranks the exit codes consistently (%d wrong)", bad);
		ok(gha_exit_worse(GHA_OK, GHA_DATAERR) == GHA_DATAERR &&
		   gha_exit_worse(GHA_IOERR, GHA_DATAERR) == GHA_IOERR &&
		   gha_exit_worse(GHA_PARTIAL, GHA_OK) == GHA_PARTIAL, "a few pairs");
		ok(gha_exit_worse(99, GHA_USAGE) == 99, "an unknown code is the worst");
	}

	/* messages */
	gha_setprog("/usr/local/bin/gha-bronze");
	ok(!strcmp(gha_progname, "gha-bronze"), "gha_setprog keeps the base name");
	out = capture(warn_plain);
	ok(!strcmp(out, "gha-bronze: bad thing 42\n"), "gha_warn format (%s)", line1(out));
	out = capture(warn_errno);
	ok(!strcmp(out, "gha-bronze: cannot open 'x.gz': No such file or directory\n"),
	   "gha_warn with ':' appends strerror (%s)", line1(out));
	out = capture(warn_colon_inside);
	ok(!strcmp(out, "gha-bronze: ends with colon:\n"), "a ':' in an argument does not (%s)", line1(out));
	gha_setprog("plain");
	ok(!strcmp(gha_progname, "plain"), "gha_setprog without a slash");

	/* fshut */
	{
		FILE *fp = tmpfile();

		fputs("data", fp);
		ok(fshut(fp, "tmp") == GHA_OK, "fshut of a good stream is 0");
	}
	out = capture(do_fshut_full);
	ok(rc_fshut == GHA_IOERR && strstr(out, "/dev/full"), "fshut of /dev/full is 74 with a message (%d, %s)",
	   rc_fshut, line1(out));
	{
		/* EPIPE counts as success: the reader went away */
		int p[2];
		FILE *fp;
		int r;

		signal(SIGPIPE, SIG_IGN);
		if (pipe(p) == 0) {
			close(p[0]);
			fp = fdopen(p[1], "w");
			fputs("nobody reads this", fp);
			r = fshut(fp, "pipe");
			ok(r == GHA_OK, "fshut on a closed pipe is 0 (EPIPE), got %d", r);
			if (fcntl(p[1], F_GETFD) != -1) {
				ok(0, "fshut closes the stream on EPIPE too (the FILE and its descriptor leak)");
				fclose(fp);	/* so the leak checker reports nothing */
			} else {
				ok(1, "fshut closes the stream on EPIPE too");
			}
		}
	}
	unlink(errfile);
	return tap_done();
}
