/* test_outfile.c: write to a temporary name, rename into place on
 * commit, leave nothing on abort or failure. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gha.h"
#include "outfile.h"
#include "tap.h"
#include "testutil.h"

static char dir[] = "/tmp/gha-test-outfile-XXXXXX";

/* The names in dir, sorted, joined by spaces; "" when empty. */
static void
listing(const char *d, char *out, size_t cap)
{
	DIR *dp = opendir(d);
	struct dirent *e;
	char names[64][256];
	int n = 0, i, j;

	out[0] = '\0';
	if (!dp)
		return;
	while ((e = readdir(dp)) && n < 64) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(names[n++], sizeof(names[0]), "%s", e->d_name);
	}
	closedir(dp);
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			char t[256];

			memcpy(t, names[j], sizeof(t));
			memcpy(names[j], names[j - 1], sizeof(t));
			memcpy(names[j - 1], t, sizeof(t));
		}
	for (i = 0; i < n; i++) {
		size_t l = strlen(out);

		snprintf(out + l, cap - l, "%s%s", i ? " " : "", names[i]);
	}
}

static int
count_entries(const char *d)
{
	char l[4096];
	int n = 0;
	const char *p;

	listing(d, l, sizeof(l));
	if (!*l)
		return 0;
	for (n = 1, p = l; *p; p++)
		n += *p == ' ';
	return n;
}

static char *
slurp(const char *p, size_t *n)
{
	FILE *fp = fopen(p, "rb");
	char *s = malloc(1 << 20);

	*n = 0;
	if (!fp) {
		free(s);
		return NULL;
	}
	*n = fread(s, 1, 1 << 20, fp);
	fclose(fp);
	return s;
}

static int
file_is(const char *p, const char *want)
{
	size_t n;
	char *s = slurp(p, &n);
	int r = s && n == strlen(want) && !memcmp(s, want, n);

	free(s);
	return r;
}

int
main(void)
{
	struct outfile o;
	struct gha_err err;
	char p[4200], l[4096];

	if (!mkdtemp(dir)) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	snprintf(p, sizeof(p), "%s/out.txt", dir);

	/* commit */
	memset(&err, 0, sizeof(err));
	ok(outfile_open(&o, p, &err) == 0 && o.fp, "outfile_open");
	fputs("hello\n", o.fp);
	fflush(o.fp);
	ok(access(p, F_OK) == -1, "before commit the final name does not exist");
	ok(count_entries(dir) == 1, "one temporary file while writing");
	listing(dir, l, sizeof(l));
	ok(strncmp(l, "out.txt", 7) == 0 && strcmp(l, "out.txt") != 0,
	   "the temporary name starts with the final one (%s)", l);
	ok(outfile_commit(&o, &err) == 0, "outfile_commit");
	ok(file_is(p, "hello\n"), "committed file has the content");
	listing(dir, l, sizeof(l));
	ok(!strcmp(l, "out.txt"), "after commit only out.txt is left (%s)", l);
	ok(o.fp == NULL, "fp cleared after commit");
	outfile_abort(&o);	/* a cleanup path may abort after commit */
	ok(file_is(p, "hello\n"), "abort after commit is harmless");

	/* abort leaves nothing, and an existing file untouched */
	ok(outfile_open(&o, p, &err) == 0, "open over an existing file");
	fputs("partial", o.fp);
	ok(file_is(p, "hello\n"), "the old file stays readable while writing");
	outfile_abort(&o);
	listing(dir, l, sizeof(l));
	ok(!strcmp(l, "out.txt") && file_is(p, "hello\n"), "abort: old file untouched, no temporary (%s)", l);

	/* commit replaces the old file */
	ok(outfile_open(&o, p, &err) == 0, "open to replace");
	fputs("new\n", o.fp);
	ok(outfile_commit(&o, &err) == 0 && file_is(p, "new\n"), "commit replaces the content");
	listing(dir, l, sizeof(l));
	ok(!strcmp(l, "out.txt"), "still one file (%s)", l);

	/* abort of a fresh file: nothing at all */
	snprintf(p, sizeof(p), "%s/fresh.json", dir);
	ok(outfile_open(&o, p, &err) == 0, "open fresh");
	fputs("{}", o.fp);
	outfile_abort(&o);
	ok(access(p, F_OK) == -1 && count_entries(dir) == 1, "abort of a fresh file leaves nothing");
	ok(o.fp == NULL, "fp cleared after abort");
	outfile_abort(&o);
	ok(o.fp == NULL && o.path == NULL && access(p, F_OK) == -1 && count_entries(dir) == 1,
	   "a second abort is harmless: still nothing");

	/* an empty file commits too */
	ok(outfile_open(&o, p, &err) == 0 && outfile_commit(&o, &err) == 0 && file_is(p, ""),
	   "an empty file commits");
	unlink(p);

	/* a big file */
	{
		static char big[600000];
		size_t n;
		char *s;

		memset(big, 'z', sizeof(big) - 1);
		ok(outfile_open(&o, p, &err) == 0, "open for a big file");
		fwrite(big, 1, sizeof(big) - 1, o.fp);
		ok(outfile_commit(&o, &err) == 0, "commit a big file");
		s = slurp(p, &n);
		ok(s && n == sizeof(big) - 1 && !memcmp(s, big, n), "big file content");
		free(s);
		unlink(p);
	}

	/* a directory that does not exist: -1, code 74, nothing created */
	snprintf(p, sizeof(p), "%s/no/such/dir/out.txt", dir);
	memset(&err, 0, sizeof(err));
	ok(outfile_open(&o, p, &err) == -1 && err.code == GHA_IOERR && err.msg[0],
	   "open in a missing directory fails with 74 (%d: %s)", err.code, err.msg);

	/* rename fails (the target is a non-empty directory): -1, 74, no .tmp */
	snprintf(p, sizeof(p), "%s/sub", dir);
	mkdir(p, 0755);
	{
		char q[4300];
		FILE *fp;

		snprintf(q, sizeof(q), "%s/keep", p);
		fp = fopen(q, "w");
		if (fp)
			fclose(fp);
	}
	memset(&err, 0, sizeof(err));
	memset(&o, 0, sizeof(o));
	if (outfile_open(&o, p, &err) == 0) {
		fputs("data", o.fp);
		ok(outfile_commit(&o, &err) == -1 && err.code == GHA_IOERR && err.msg[0],
		   "commit onto a non-empty directory fails with 74 (%s)", err.msg);
	} else {
		ok(err.code == GHA_IOERR && err.msg[0], "open onto a directory fails with 74 (%s)", err.msg);
	}
	listing(dir, l, sizeof(l));
	ok(!strcmp(l, "out.txt sub"), "no temporary left behind after the failure (%s)", l);
	{
		struct stat st;

		ok(stat(p, &st) == 0 && S_ISDIR(st.st_mode), "the directory is still there");
	}

	/* a write error shows at commit: /dev/full cannot be a target, but a
	 * full stream can be simulated by closing the descriptor early */
	snprintf(p, sizeof(p), "%s/werr.txt", dir);
	if (outfile_open(&o, p, &err) == 0) {
		close(fileno(o.fp));
		fputs("lost", o.fp);
		memset(&err, 0, sizeof(err));
		ok(outfile_commit(&o, &err) == -1 && err.code == GHA_IOERR,
		   "a write error at commit gives -1 and 74 (%s)", err.msg);
		ok(access(p, F_OK) == -1, "and the final name is not created");
		listing(dir, l, sizeof(l));
		ok(!strcmp(l, "out.txt sub"), "and no temporary is left (%s)", l);
	}

	/* a FIFO is written in place, not replaced by a regular file */
	snprintf(p, sizeof(p), "%s/fifo", dir);
	if (mkfifo(p, 0600) == 0) {
		int pfd[2];
		pid_t pid = -1;

		if (pipe(pfd) != 0) {
			ok(0, "pipe");
		} else if ((pid = fork()) == 0) {
			/* the reader: copy the FIFO's bytes to the pipe */
			FILE *in = fopen(p, "r");
			char b[256];
			size_t n;

			close(pfd[0]);
			if (!in)
				_exit(1);
			while ((n = fread(b, 1, sizeof(b), in)) > 0)
				if (write(pfd[1], b, n) != (ssize_t)n)
					_exit(1);
			_exit(0);
		} else {
			char b[256];
			ssize_t n = 0, k;
			struct stat st;
			int r = outfile_open(&o, p, &err);

			close(pfd[1]);
			if (r == 0) {
				fputs("through the fifo\n", o.fp);
				r = outfile_commit(&o, &err);
			}
			while (n < (ssize_t)sizeof(b) && (k = read(pfd[0], b + n, sizeof(b) - (size_t)n)) > 0)
				n += k;
			close(pfd[0]);
			waitpid(pid, NULL, 0);
			ok(r == 0 && n == 17 && !memcmp(b, "through the fifo\n", 17),
			   "a FIFO gets the bytes (r=%d, %zd bytes)", r, n);
			ok(stat(p, &st) == 0 && S_ISFIFO(st.st_mode), "and is still a FIFO");
			unlink(p);
		}
	}
	listing(dir, l, sizeof(l));
	ok(!strcmp(l, "out.txt sub"), "nothing else created (%s)", l);

	rmtree(dir);
	return tap_done();
}
